import type { ClusterView } from './clusterState.js';
import { ReplayProblem, applyRecord, emptyCluster, partitionKey } from './clusterState.js';
import type { JsonRecord } from './dumpWriter.js';
import { incarnation, partitionRecord, record, registerBrokerRecord } from './kafkaJson.js';
import { ELR_VERSION, METADATA_VERSION } from './kafkaRecords.js';
import { byUnits, isShellTree, readShellTree } from './metadataShell.js';
import type { ParsedDump } from './parseDumpLog.js';
import { DumpParseError, parseDumpLog } from './parseDumpLog.js';

/**
 * Where `validate --snapshot` starts: the cluster a KRaft snapshot holds (`<end offset>-<epoch>.checkpoint`
 * in `__cluster_metadata-0`, written by the controller's `SnapshotGenerator` at a batch boundary), read
 * from either of the two texts Kafka's tools print for it:
 *
 * - `kafka-dump-log.sh --cluster-metadata-decoder --files <checkpoint>`: `Snapshot end offset: N, epoch:
 *   E`, then the snapshot's records (`MetadataImage.write`: features, brokers, topics and partitions,
 *   configs) between a `SnapshotHeader` and a `SnapshotFooter` control record;
 * - `kafka-metadata-shell.sh --snapshot <checkpoint> tree /image` (`metadataShell.ts`), which does not
 *   print the end offset: it is the number in the file name, given with `--snapshot-end-offset`.
 */
export interface SnapshotStart {
  readonly format: 'kafka-dump-log' | 'kafka-metadata-shell';
  /** The snapshot's end offset: the log offset of the first record it does not hold. */
  readonly endOffset: number;
  /** The snapshot's epoch (its file name's second number), when the text says it. */
  readonly epoch?: number;
  readonly cluster: ClusterView;
  /** Line of each partition (by `partitionKey`) in the snapshot text, for reports. */
  readonly lines: ReadonlyMap<string, number>;
  readonly warnings: readonly string[];
}

const DUMP_LINE = /^(Dumping |Snapshot end offset: |baseOffset: |\| offset: |\s*payload: )/m;

/**
 * Reads a snapshot in either format (detected from its lines); throws `DumpParseError` naming the
 * line and what was expected. `endOffset` is required for the metadata shell's text and, when given
 * for a dump, must match the `Snapshot end offset` line.
 */
export function readSnapshot(text: string, endOffset?: number): SnapshotStart {
  if (DUMP_LINE.test(text)) return fromDump(parseDumpLog(text), endOffset);
  if (isShellTree(text)) {
    const shell = readShellTree(text);
    if (endOffset === undefined)
      throw new DumpParseError(
        1,
        `this is kafka-metadata-shell output, which does not print the snapshot's end offset (its provenance offset ${shell.provenanceOffset ?? '?'} counts records inside the .checkpoint file, SnapshotFileReader); pass --snapshot-end-offset N, N being the first number in the file name <N>-<epoch>.checkpoint`,
      );
    return { format: 'kafka-metadata-shell', endOffset, ...shell };
  }
  throw new DumpParseError(
    1,
    'not a snapshot: expected the output of `kafka-dump-log.sh --cluster-metadata-decoder --files <N>-<epoch>.checkpoint` (a "Snapshot end offset: N, epoch: E" line, then records) or of `kafka-metadata-shell.sh --snapshot <N>-<epoch>.checkpoint tree /image` (an indented tree with cluster:, configs:, features:, topics:)',
  );
}

function fromDump(dump: ParsedDump, endOffset: number | undefined): SnapshotStart {
  const { ends, headerLine, footerLine } = dump.snapshot;
  const end = ends[0];
  if (!end)
    throw new DumpParseError(
      1,
      'expected a "Snapshot end offset: N, epoch: E" line, which kafka-dump-log.sh prints for a snapshot file: dump the newest <N>-<epoch>.checkpoint of __cluster_metadata-0, not a .log segment',
    );
  if (ends.length > 1)
    throw new DumpParseError(
      ends[1]?.line ?? 1,
      `a second snapshot (end offset ${ends[1]?.offset}) after the one at line ${end.line}: pass one snapshot`,
    );
  if (endOffset !== undefined && endOffset !== end.offset)
    throw new DumpParseError(
      end.line,
      `the snapshot's end offset is ${end.offset}, not ${endOffset} as --snapshot-end-offset says`,
    );
  const last = dump.entries.at(-1);
  if (headerLine !== undefined && footerLine === undefined)
    throw new DumpParseError(
      (last?.line ?? headerLine) + 1,
      'the snapshot ends without its SnapshotFooter control record: is the dump cut short?',
    );
  const stray = footerLine === undefined ? undefined : dump.entries.find((e) => e.line > footerLine);
  if (stray)
    throw new DumpParseError(
      stray.line,
      `a record after the snapshot's SnapshotFooter (line ${footerLine}): pass the checkpoint's dump alone as --snapshot, and the segments as the dump`,
    );
  const cluster = emptyCluster();
  const lines = new Map<string, number>();
  for (const e of dump.entries) {
    try {
      applyRecord(cluster, e.record);
    } catch (err) {
      if (!(err instanceof ReplayProblem)) throw err;
      throw new DumpParseError(e.line, `${e.record.type} in the snapshot: ${err.message}`);
    }
    if (e.record.type === 'PARTITION_RECORD') lines.set(partitionKey(e.record.topicId, e.record.partitionId), e.line);
  }
  const warnings = dump.skipped.map((s) => `snapshot line ${s.line}: ${s.what}`);
  return { format: 'kafka-dump-log', endOffset: end.offset, epoch: end.epoch, cluster, lines, warnings };
}

/**
 * The records a snapshot of `c` holds, in `MetadataImage.write`'s order: feature levels (metadata.version
 * first), broker registrations (`BrokerRegistration.toRecord`: fenced and in-controlled-shutdown as they
 * are), each topic with its partitions (`TopicImage.write`), then configs.
 */
export function snapshotRecords(c: ClusterView): JsonRecord[] {
  const out: JsonRecord[] = [];
  const mv = c.features.get(METADATA_VERSION);
  if (mv !== undefined) out.push(record('FEATURE_LEVEL_RECORD', 0, { name: METADATA_VERSION, featureLevel: mv }));
  for (const [name, featureLevel] of [...c.features].sort(([a], [b]) => byUnits(a, b)))
    if (name !== METADATA_VERSION) out.push(record('FEATURE_LEVEL_RECORD', 0, { name, featureLevel }));
  for (const b of [...c.brokers.values()].sort((x, y) => x.id - y.id))
    out.push(registerBrokerRecord(b.id, b.epoch, incarnation(b.id), b));
  const elr = (c.features.get(ELR_VERSION) ?? 0) >= 1;
  for (const [topicId, name] of [...c.topics].sort(([, a], [, b]) => byUnits(a, b))) {
    out.push(record('TOPIC_RECORD', 0, { name, topicId }));
    const parts = [...c.partitions.values()].filter((p) => p.topicId === topicId);
    for (const p of parts.sort((a, b) => a.partitionId - b.partitionId)) out.push(partitionRecord(elr, p));
  }
  for (const [key, configs] of [...c.configs].sort(([a], [b]) => byUnits(a, b))) {
    const [type, ...rest] = key.split(':');
    for (const [name, value] of [...configs].sort(([a], [b]) => byUnits(a, b)))
      out.push(record('CONFIG_RECORD', 0, { resourceType: Number(type), resourceName: rest.join(':'), name, value }));
  }
  return out;
}
