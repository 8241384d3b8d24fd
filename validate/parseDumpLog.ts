import type { KafkaRecord } from './kafkaRecords.js';
import { IGNORED_TYPES, KNOWN_VERSIONS, RecordShapeError, decodeRecord, isKnownType } from './kafkaRecords.js';

/**
 * Reads the text `kafka-dump-log.sh --cluster-metadata-decoder --files <segment>` prints
 * (`kafka.tools.DumpLogSegments`: a `baseOffset: … partitionLeaderEpoch: … isControl: …` line per batch,
 * then per record `| offset: N CreateTime: … payload: {json}`, or ` payload: {json}` alone with
 * `--skip-record-metadata`; control records print `controlType: LEADER_CHANGE(2)` and no payload).
 * Several dumps may be concatenated (one `Dumping <file>` header each). Pure.
 */

/** One record batch (`RecordBatch`): what the active controller appended atomically. */
export interface DumpBatch {
  readonly baseOffset: number;
  /** `partitionLeaderEpoch`: the Raft epoch of the controller that wrote it (-1 when the dump has no batch lines). */
  readonly epoch: number;
  readonly isControl: boolean;
  /** 1-based line of the batch header (0 when implicit). */
  readonly line: number;
  /** The offset of its last record (`lastOffset` of the batch line, else the last record read). */
  readonly lastOffset: number;
}

/** A metadata record the validator interprets, where it was found. */
export interface DumpEntry {
  readonly offset: number;
  /** 1-based line in the input. */
  readonly line: number;
  /** Index into `ParsedDump.batches`. */
  readonly batch: number;
  readonly version: number;
  readonly record: KafkaRecord;
  /** The payload as printed (for reports). */
  readonly payload: string;
}

/** A record that was read but not interpreted (unknown type or version, a control record). */
export interface SkippedEntry {
  readonly offset: number;
  readonly line: number;
  readonly what: string;
}

export interface ParsedDump {
  readonly batches: readonly DumpBatch[];
  readonly entries: readonly DumpEntry[];
  readonly skipped: readonly SkippedEntry[];
  /** Raft leader changes (`LEADER_CHANGE` control records) seen. */
  readonly leaderChanges: number;
  /** Their offsets. */
  readonly leaderChangeOffsets: readonly number[];
  /** Control records seen (leader changes, snapshot headers and footers, KRaft version and voters). */
  readonly controlRecords: number;
  readonly warnings: readonly string[];
  /**
   * What a dumped snapshot (`<end offset>-<epoch>.checkpoint`) says about itself: `DumpLogSegments`
   * prints `Snapshot end offset: N, epoch: E` before its batches (`Snapshots.parse` of the file name),
   * and the snapshot opens with a `SnapshotHeader` and closes with a `SnapshotFooter` control record
   * (`RecordsSnapshotWriter`). Lines are 1-based.
   */
  readonly snapshot: {
    readonly ends: readonly { readonly offset: number; readonly epoch: number; readonly line: number }[];
    readonly headerLine?: number;
    readonly footerLine?: number;
  };
}

/** Unreadable input: the line that could not be read and why (the CLI exits 2). */
export class DumpParseError extends Error {
  constructor(
    readonly lineNumber: number,
    reason: string,
  ) {
    super(`line ${lineNumber}: ${reason}`);
  }
}

const BATCH_LINE =
  /^baseOffset: (\d+) lastOffset: (\d+) count: (\d+) .*?partitionLeaderEpoch: (-?\d+) .*?isControl: (true|false)/;
const RECORD_LINE = /^\|\s+offset: (\d+)\s/;
const SKIP_METADATA_LINE = /^\s*payload: /;
/** Lines `DumpLogSegments` prints around the records that carry nothing to check. */
const HEADER_LINE =
  /^(Dumping |Log starting offset: |Snapshot end offset: |KRaft bootstrap snapshot|Found \d+ invalid bytes|Starting offset: )/;

type MutableBatch = { -readonly [K in keyof DumpBatch]: DumpBatch[K] };

interface Cursor {
  batches: MutableBatch[];
  entries: DumpEntry[];
  skipped: SkippedEntry[];
  warnings: string[];
  leaderChanges: number;
  leaderChangeOffsets: number[];
  controlRecords: number;
  snapshot: { ends: { offset: number; epoch: number; line: number }[]; headerLine?: number; footerLine?: number };
  /** Offset the next record without its own offset gets. */
  nextOffset: number;
}

/** Parses a whole dump; throws `DumpParseError` at the first line it cannot read. */
export function parseDumpLog(text: string): ParsedDump {
  const c: Cursor = {
    batches: [],
    entries: [],
    skipped: [],
    warnings: [],
    leaderChanges: 0,
    leaderChangeOffsets: [],
    controlRecords: 0,
    snapshot: { ends: [] },
    nextOffset: 0,
  };
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => parseLine(c, raw, i + 1));
  if (!c.entries.length)
    throw new DumpParseError(
      lines.length,
      'no metadata records found: expected the output of `kafka-dump-log.sh --cluster-metadata-decoder --files <__cluster_metadata-0 segment>` (record lines with `payload: {"type":…}`)',
    );
  return c;
}

function parseLine(c: Cursor, raw: string, n: number): void {
  const line = raw.trimEnd();
  if (!line.trim() || HEADER_LINE.test(line)) {
    const end = /^Snapshot end offset: (\d+), epoch: (\d+)/.exec(line);
    if (end) c.snapshot.ends.push({ offset: Number(end[1]), epoch: Number(end[2]), line: n });
    if (/^Found \d+ invalid bytes/.test(line))
      c.warnings.push(`line ${n}: ${line} (a torn write at the end of the segment)`);
    return;
  }
  const b = BATCH_LINE.exec(line);
  if (b) {
    c.batches.push({
      baseOffset: Number(b[1]),
      lastOffset: Number(b[2]),
      epoch: Number(b[4]),
      isControl: b[5] === 'true',
      line: n,
    });
    c.nextOffset = Number(b[1]);
    return;
  }
  const r = RECORD_LINE.exec(line);
  if (!r && !SKIP_METADATA_LINE.test(line))
    throw new DumpParseError(
      n,
      `cannot read "${line.slice(0, 80)}${line.length > 80 ? '…' : ''}": neither a batch line (baseOffset: …) nor a record line (| offset: … payload: {…})`,
    );
  const offset = r ? Number(r[1]) : c.nextOffset;
  c.nextOffset = offset + 1;
  if (!c.batches.length || (r && offset < (c.batches.at(-1)?.baseOffset ?? 0)))
    c.batches.push({ baseOffset: offset, lastOffset: offset, epoch: -1, isControl: false, line: 0 }); // a dump excerpt without batch lines
  const batch = c.batches.at(-1) as MutableBatch;
  batch.lastOffset = Math.max(batch.lastOffset, offset);
  const control = /controlType: (\w+)|(KRaftVersion|KRaftVoters|SnapshotHeader|SnapshotFooter) /.exec(line);
  const at = line.indexOf(' payload: ') >= 0 ? line.indexOf(' payload: ') + 10 : line.indexOf('payload: ') + 9;
  if (!line.includes('payload: ')) {
    if (control?.[1] === 'LEADER_CHANGE') {
      c.leaderChanges++;
      c.leaderChangeOffsets.push(offset);
    }
    if (control?.[2] === 'SnapshotHeader') c.snapshot.headerLine ??= n;
    if (control?.[2] === 'SnapshotFooter') c.snapshot.footerLine = n;
    if (control) c.controlRecords++;
    else c.skipped.push({ offset, line: n, what: 'a record without payload' });
    return;
  }
  readPayload(c, line.slice(at), offset, n);
}

function readPayload(c: Cursor, payload: string, offset: number, n: number): void {
  if (payload.startsWith('Error at ')) {
    // ClusterMetadataLogMessageParser could not decode the record (a version newer than the tool's)
    c.skipped.push({ offset, line: n, what: `undecodable record (${payload.slice(0, 120)})` });
    return;
  }
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch (e) {
    throw new DumpParseError(
      n,
      `the payload of offset ${offset} is not JSON (${(e as Error).message}); is the line cut short?`,
    );
  }
  const o = json as { type?: unknown; version?: unknown; data?: unknown };
  if (
    typeof o !== 'object' ||
    o === null ||
    typeof o.type !== 'string' ||
    typeof o.version !== 'number' ||
    typeof o.data !== 'object' ||
    o.data === null
  )
    throw new DumpParseError(
      n,
      `the payload of offset ${offset} is not a metadata record ({"type":…,"version":…,"data":{…}})`,
    );
  const type = o.type;
  if (!isKnownType(type)) {
    if (!IGNORED_TYPES.includes(type))
      c.skipped.push({ offset, line: n, what: `unknown record type ${type} v${o.version}` });
    return;
  }
  const [lo, hi] = KNOWN_VERSIONS[type];
  if (o.version < lo || o.version > hi) {
    c.skipped.push({ offset, line: n, what: `${type} version ${o.version} (known: ${lo}-${hi})` });
    return;
  }
  try {
    const record = decodeRecord(type, o.data as { readonly [k: string]: unknown });
    c.entries.push({ offset, line: n, batch: c.batches.length - 1, version: o.version, record, payload });
  } catch (e) {
    if (!(e instanceof RecordShapeError)) throw e;
    throw new DumpParseError(n, `${type} at offset ${offset}: ${e.message}`);
  }
}
