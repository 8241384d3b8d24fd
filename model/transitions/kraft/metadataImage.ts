import type { ModelConfig } from '../../config.js';
import type { MetadataRecord, PartitionRegistration } from '../../state.js';
import {
  META_FENCE,
  META_REGISTER,
  META_SHUTDOWN,
  META_UNFENCE,
  NO_LAST_KNOWN_LEADER,
  NO_LEADER,
  maskOf,
} from '../../state.js';

/**
 * The metadata image (`MetadataImage`: `ClusterImage` + `TopicsImage`) at an offset of a metadata log:
 * the bootstrap snapshot with every record before the offset replayed. Pure.
 */

/** A broker as `ClusterControlManager` registers it (`BrokerRegistration`). */
export interface BrokerRegistration {
  /** Broker epoch of the registered incarnation (1 for the bootstrap registration). */
  readonly epoch: number;
  readonly fenced: boolean;
  readonly inControlledShutdown: boolean;
}

export interface MetadataImage {
  readonly partitions: readonly PartitionRegistration[];
  readonly brokers: readonly BrokerRegistration[];
  /** Per partition: Raft epoch of the record that last changed it (1 for the bootstrap snapshot). */
  readonly writtenIn: readonly number[];
}

/** Every partition led by its preferred replica with the full ISR; every broker registered and unfenced. */
export function bootstrapPartitions(cfg: ModelConfig): PartitionRegistration[] {
  return cfg.assignment.map((rs) => ({
    leader: rs[0] ?? NO_LEADER,
    leaderEpoch: 0,
    partitionEpoch: 0,
    isr: maskOf(rs),
    elr: 0,
    lastKnownLeader: NO_LAST_KNOWN_LEADER,
  }));
}

/** A computed image and the records it was computed from (see `metadataImage`). */
interface ImageMemo {
  cfg: ModelConfig | undefined;
  records: MetadataRecord[];
  image: MetadataImage | undefined;
}

/**
 * The last few images computed. Listing one state's actions asks for the same voter's image a dozen
 * times (every fence, unfence, registration and AlterPartition candidate), so images are kept by the
 * record objects they were replayed from: a hit needs the same config and the very same record objects
 * (identity, not content) at every offset below `upTo`. Records are never changed in place, so a log
 * changed since — truncated, appended, a transition's draft — is never served a stale image. Images are
 * read-only; a few entries are plenty and keep nothing alive for long.
 */
const MEMO: ImageMemo[] = Array.from({ length: 4 }, () => ({ cfg: undefined, records: [], image: undefined }));
let memoNext = 0;

/** The image after the first `upTo` records of `log`. */
export function metadataImage(cfg: ModelConfig, log: readonly MetadataRecord[], upTo = log.length): MetadataImage {
  const n = Math.min(upTo, log.length);
  for (const m of MEMO) if (m.image && m.cfg === cfg && sameRecords(m.records, log, n)) return m.image;
  const image = buildImage(cfg, log, n);
  const m = MEMO[memoNext] as ImageMemo;
  memoNext = (memoNext + 1) % MEMO.length;
  m.cfg = cfg;
  m.records = log.slice(0, n);
  m.image = image;
  return image;
}

function sameRecords(a: readonly MetadataRecord[], log: readonly MetadataRecord[], n: number): boolean {
  if (a.length !== n) return false;
  for (let i = 0; i < n; i++) if (a[i] !== log[i]) return false;
  return true;
}

function buildImage(cfg: ModelConfig, log: readonly MetadataRecord[], n: number): MetadataImage {
  const partitions = bootstrapPartitions(cfg);
  const writtenIn = partitions.map(() => 1);
  const brokers: BrokerRegistration[] = Array.from({ length: cfg.brokers }, () => ({
    epoch: 1,
    fenced: false,
    inControlledShutdown: false,
  }));
  for (let i = 0; i < n; i++) {
    const rec = log[i] as MetadataRecord;
    for (const pc of rec.partitions) {
      partitions[pc.partition] = {
        leader: pc.leader,
        leaderEpoch: pc.leaderEpoch,
        partitionEpoch: pc.partitionEpoch,
        isr: pc.isr,
        elr: pc.elr,
        lastKnownLeader: pc.lastKnownLeader,
      };
      writtenIn[pc.partition] = rec.epoch;
    }
    const b = rec.broker;
    const cur = brokers[b];
    if (!cur) continue;
    switch (rec.kind) {
      case META_REGISTER:
        brokers[b] = { epoch: rec.brokerEpoch, fenced: true, inControlledShutdown: false };
        break;
      case META_FENCE:
        brokers[b] = { ...cur, fenced: true };
        break;
      case META_UNFENCE:
        brokers[b] = { ...cur, fenced: false };
        break;
      case META_SHUTDOWN:
        brokers[b] = { ...cur, fenced: true, inControlledShutdown: true };
        break;
    }
  }
  return { partitions, brokers, writtenIn };
}

/** `ClusterControlManager.isActive`: registered, not fenced, not in controlled shutdown. */
export function isActiveBroker(img: MetadataImage, b: number): boolean {
  const r = img.brokers[b];
  return !!r && !r.fenced && !r.inControlledShutdown;
}

/** Active brokers as a bitmask. */
export function activeBrokers(img: MetadataImage): number {
  let m = 0;
  img.brokers.forEach((_, b) => {
    if (isActiveBroker(img, b)) m |= 1 << b;
  });
  return m;
}

/** Whether two records are the same batch (same epoch and content). */
export function sameRecord(a: MetadataRecord, b: MetadataRecord): boolean {
  if (a === b) return true;
  if (
    a.epoch !== b.epoch ||
    a.kind !== b.kind ||
    a.broker !== b.broker ||
    a.brokerEpoch !== b.brokerEpoch ||
    a.partitions.length !== b.partitions.length
  )
    return false;
  return a.partitions.every((x, i) => {
    const y = b.partitions[i];
    return (
      !!y &&
      x.partition === y.partition &&
      x.leader === y.leader &&
      x.leaderEpoch === y.leaderEpoch &&
      x.partitionEpoch === y.partitionEpoch &&
      x.isr === y.isr &&
      x.elr === y.elr &&
      x.lastKnownLeader === y.lastKnownLeader
    );
  });
}
