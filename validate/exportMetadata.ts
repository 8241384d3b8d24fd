import type { ClusterState, MetadataRecord, ModelConfig, PartitionRegistration } from '../model/index.js';
import {
  META_ALTER_PARTITION,
  META_ELECTION,
  META_FENCE,
  META_LEADER_CHANGE,
  META_REGISTER,
  META_SHUTDOWN,
  META_UNFENCE,
  NO_LAST_KNOWN_LEADER,
  has,
  members,
} from '../model/index.js';
import type { ClusterView } from './clusterState.js';
import { applyRecord, emptyCluster } from './clusterState.js';
import type { JsonRecord, OutBatch } from './dumpWriter.js';
import { formatDump, formatSnapshotDump, segmentName, timeAt } from './dumpWriter.js';
import { MIN_ISR_CONFIG, RECOVERING, UNCLEAN_CONFIG, decodeRecord, isKnownType } from './kafkaRecords.js';
import { formatShellTree } from './metadataShell.js';
import { snapshotRecords } from './snapshot.js';
import {
  featureRecords,
  incarnation,
  newPartitionRecord,
  record,
  registerBrokerRecord,
  registrationChangeRecord,
  topicConfigRecord,
} from './kafkaJson.js';

/**
 * `export-metadata`: a KRaft-mode behaviour's committed metadata log (`KRaftState.committed`, in offset
 * order) as the records a real cluster would have written, in `kafka-dump-log.sh` text. The model's
 * bootstrap (every broker registered and unfenced, each partition led by its preferred replica with the
 * full ISR) becomes a first batch; each model batch becomes the records its controller event writes in
 * Kafka (`ReplicationControlManager.handleBrokerFenced`: partition changes, then the fencing;
 * `handleBrokerUnfenced` / `handleBrokerInControlledShutdown`: the registration change, then the
 * partition changes; `registerBroker` then `handleBrokerUncleanShutdown`). Broker ids are the model's.
 */

export const EXPORT_TOPIC = 'kafka-mc';
/** A fixed topic id (Kafka prints `Uuid`s as 22 base64 characters). */
export const EXPORT_TOPIC_ID = 'a2Fma2EtbWMtdG9waWMAAA';

/** Whether the model's run elects outside the ISR (what the exported topic config must allow). */
export function exportsUnclean(cfg: ModelConfig, ruleName: string): boolean {
  return (
    cfg.uncleanLeaderElection || !cfg.mechanisms.isrOnlyElection || ruleName === 'unclean' || ruleName === 'longest-log'
  );
}

function bootstrap(cfg: ModelConfig, ruleName: string, epochs: number[]): JsonRecord[] {
  const out = featureRecords(cfg.elr);
  for (let b = 0; b < cfg.brokers; b++) {
    const epoch = epochs[b] as number;
    out.push(registerBrokerRecord(b, epoch, incarnation(b)), registrationChangeRecord(b, epoch, { fenced: -1 }));
  }
  out.push(record('TOPIC_RECORD', 0, { name: EXPORT_TOPIC, topicId: EXPORT_TOPIC_ID }));
  out.push(topicConfigRecord(EXPORT_TOPIC, MIN_ISR_CONFIG, String(cfg.minInsyncReplicas)));
  out.push(topicConfigRecord(EXPORT_TOPIC, UNCLEAN_CONFIG, String(exportsUnclean(cfg, ruleName))));
  cfg.assignment.forEach((rs, p) => out.push(newPartitionRecord(cfg.elr, EXPORT_TOPIC_ID, p, rs)));
  return out;
}

/** The PartitionChangeRecord taking `prev` to `next`: only changed fields (`PartitionChangeBuilder.build`). */
function partitionChange(
  cfg: ModelConfig,
  p: number,
  prev: PartitionRegistration,
  next: PartitionRegistration,
): JsonRecord {
  const n = cfg.brokers;
  const data: Record<string, unknown> = { partitionId: p, topicId: EXPORT_TOPIC_ID };
  if (next.isr !== prev.isr) data['isr'] = members(next.isr, n);
  if (next.leader !== prev.leader) data['leader'] = next.leader;
  // tryElection: a leader from outside the ISR and ELR is an unclean election (KIP-704 marks it RECOVERING)
  if (next.leader !== prev.leader && next.leader >= 0 && !has(prev.isr | prev.elr, next.leader))
    data['leaderRecoveryState'] = RECOVERING;
  if (cfg.elr && next.elr !== prev.elr) data['eligibleLeaderReplicas'] = members(next.elr, n);
  if (cfg.elr && next.lastKnownLeader !== prev.lastKnownLeader)
    data['lastKnownElr'] = next.lastKnownLeader === NO_LAST_KNOWN_LEADER ? [] : [next.lastKnownLeader];
  return record('PARTITION_CHANGE_RECORD', cfg.elr ? 2 : 0, data);
}

function modelBatch(cfg: ModelConfig, r: MetadataRecord, parts: PartitionRegistration[], epochs: number[]): OutBatch {
  if (r.kind === META_LEADER_CHANGE) return { epoch: r.epoch, records: 'leader-change' };
  const changes = r.partitions.map((pc) => {
    const out = partitionChange(cfg, pc.partition, parts[pc.partition] as PartitionRegistration, pc);
    parts[pc.partition] = pc;
    return out;
  });
  const b = r.broker;
  const records: JsonRecord[] = [];
  switch (r.kind) {
    case META_REGISTER:
      epochs[b] = r.brokerEpoch;
      records.push(registerBrokerRecord(b, r.brokerEpoch, incarnation(b)), ...changes);
      break;
    case META_FENCE:
      records.push(...changes, registrationChangeRecord(b, epochs[b] as number, { fenced: 1 }));
      break;
    case META_UNFENCE:
      records.push(registrationChangeRecord(b, epochs[b] as number, { fenced: -1 }), ...changes);
      break;
    case META_SHUTDOWN:
      // the model's controlled shutdown is the shutdown and the stop: in controlled shutdown, then fenced
      records.push(registrationChangeRecord(b, epochs[b] as number, { inControlledShutdown: 1 }), ...changes);
      records.push(registrationChangeRecord(b, epochs[b] as number, { fenced: 1 }));
      break;
    case META_ALTER_PARTITION:
    case META_ELECTION:
      records.push(...changes);
      break;
  }
  return { epoch: r.epoch, records };
}

/** The committed metadata log of a KRaft state, as Kafka record batches. */
export function exportBatches(cfg: ModelConfig, ruleName: string, s: ClusterState): OutBatch[] {
  if (!s.kraft) throw new Error('export-metadata needs a KRaft-mode state');
  const epochs = Array.from({ length: cfg.brokers }, () => 1);
  const parts: PartitionRegistration[] = cfg.assignment.map((rs) => ({
    leader: rs[0] ?? -1,
    leaderEpoch: 0,
    partitionEpoch: 0,
    isr: rs.reduce((m, b) => m | (1 << b), 0),
    elr: 0,
    lastKnownLeader: NO_LAST_KNOWN_LEADER,
  }));
  const out: OutBatch[] = [{ epoch: 1, records: bootstrap(cfg, ruleName, epochs) }];
  for (const r of s.kraft.committed) out.push(modelBatch(cfg, r, parts, epochs));
  return out;
}

/** `exportBatches` as dump-log text. */
export function exportMetadataText(cfg: ModelConfig, ruleName: string, s: ClusterState): string {
  return formatDump(exportBatches(cfg, ruleName, s));
}

/** `export-metadata --snapshot-at`: the snapshot formats it writes (both read back by `validate --snapshot`). */
export const SNAPSHOT_FORMATS = ['kafka-dump-log', 'kafka-metadata-shell'] as const;
export type SnapshotFormat = (typeof SNAPSHOT_FORMATS)[number];

/** Each batch's first offset, as `formatDump` numbers them from 0. */
export function batchOffsets(batches: readonly OutBatch[]): number[] {
  let offset = 0;
  return batches.map((b) => {
    const at = offset;
    offset += b.records === 'leader-change' ? 1 : b.records.length;
    return at;
  });
}

/** Thrown for a `--snapshot-at` offset that is not a batch boundary inside the log. */
export class SnapshotOffsetError extends Error {}

/**
 * The log split at offset `at` the way a real cluster's is once it has taken a snapshot there: the
 * snapshot of the state the records before `at` leave (`<at>-<epoch>.checkpoint`, the epoch of the last
 * batch before it), in `format`, and the tail from `at` on as the dump of the segment starting there.
 * `at` must be a batch boundary (Kafka snapshots only at one) with at least one batch on each side.
 */
export function splitAtSnapshot(
  batches: readonly OutBatch[],
  at: number,
  format: SnapshotFormat,
): { readonly snapshot: string; readonly tail: string } {
  const offsets = batchOffsets(batches);
  const i = offsets.indexOf(at);
  if (i < 1)
    throw new SnapshotOffsetError(
      `offset ${at} is not a batch boundary after the first batch; the batches start at offsets ${offsets.slice(1).join(', ')}`,
    );
  const snapshot = snapshotText(clusterAfter(batches.slice(0, i)), at, (batches[i - 1] as OutBatch).epoch, format);
  return { snapshot, tail: formatDump(batches.slice(i), segmentName(at), at) };
}

/** The cluster `batches` leave (their metadata records replayed from an empty cluster). */
export function clusterAfter(batches: readonly OutBatch[]): ClusterView {
  const cluster = emptyCluster();
  for (const b of batches)
    for (const r of b.records === 'leader-change' ? [] : b.records)
      if (isKnownType(r.type)) applyRecord(cluster, decodeRecord(r.type, r.data));
  return cluster;
}

/** The snapshot of `cluster` with end offset `at` and epoch `epoch`, as `format`'s tool prints it. */
export function snapshotText(cluster: ClusterView, at: number, epoch: number, format: SnapshotFormat): string {
  const records = snapshotRecords(cluster);
  return format === 'kafka-dump-log'
    ? formatSnapshotDump(records, at, epoch)
    : formatShellTree(cluster, { lastOffset: records.length, epoch, timeMs: timeAt(1) });
}
