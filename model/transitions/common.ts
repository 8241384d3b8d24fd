import type { Draft } from 'immer';
import type { ModelConfig } from '../config.js';
import type { ElectionRule } from '../election/ElectionRule.js';
import type { ClusterState, ControllerContext, LeaderAndIsr, LogEntry, PartitionState, Replica } from '../state.js';
import { ROLE_NONE, has, popcount } from '../state.js';

/** What every transition reads besides the state. */
export interface Ctx {
  readonly cfg: ModelConfig;
  readonly rule: ElectionRule;
  /** The control plane of the configured mode (ZooKeeper controller or KRaft quorum controller). */
  readonly plane: ControlPlane;
  /**
   * Scratch for `Model.actionsCut`: a guard that finds its action enabled but for a bound ORs the
   * bound's bit (`CUT_*`) into `mask`. Guards test their bound last, so a bit means the bound alone
   * (or with another bound) disabled the action. Reset by the model before it lists actions.
   */
  readonly cut: { mask: number };
}

/**
 * The model bounds a run reports cuts for, in cut-mask bit order (`Model.boundNames`); each is a key of
 * `ModelConfig.bounds`. (`inFlight` is a state constraint: a run it prunes is reported incomplete.)
 */
export const CUT_BOUNDS = [
  'records',
  'leaderEpochs',
  'partitionEpochs',
  'controllerEpochs',
  'raftEpochs',
  'metadataRecords',
] as const;
export const CUT_RECORDS = 1;
export const CUT_LEADER_EPOCHS = 2;
export const CUT_PARTITION_EPOCHS = 4;
export const CUT_CONTROLLER_EPOCHS = 8;
export const CUT_RAFT_EPOCHS = 16;
export const CUT_METADATA_RECORDS = 32;

/** The epoch bounds a controller write bumping `leaderEpoch` and `partitionEpoch` by one would pass. */
export function epochCut(ctx: Ctx, leaderEpoch: number, partitionEpoch: number): number {
  const b = ctx.cfg.bounds;
  return (
    (leaderEpoch >= b.leaderEpochs ? CUT_LEADER_EPOCHS : 0) |
    (partitionEpoch >= b.partitionEpochs ? CUT_PARTITION_EPOCHS : 0)
  );
}

/** Records that the bounds in `bits` disabled an otherwise enabled action; returns `empty` (the guard's "no"). */
export function cutBy<T>(ctx: Ctx, bits: number, empty: T): T {
  ctx.cut.mask |= bits;
  return empty;
}

export type D = Draft<ClusterState>;
export type DReplica = Draft<Replica>;

/**
 * What the shared partition data plane (`replication.ts`) needs from a control plane. The data plane
 * (produce, fetch, high watermark, truncation, the leader's ISR change requests) is one implementation;
 * ZooKeeper mode (`controller.ts`) and KRaft mode (`kraft/`) each implement this interface.
 */
export interface ControlPlane {
  /**
   * Whether leader `L`'s AlterPartition proposing `newIsr` (bitmask) for partition `p` would be
   * accepted now: the request reaches a controller and passes its validation (leader and partition
   * epochs, eligibility of the new members). Pure.
   */
  acceptsAlterPartition(s: ClusterState, ctx: Ctx, L: number, p: number, newIsr: number): boolean;
  /**
   * Applies an AlterPartition that `acceptsAlterPartition` accepted in the same state: the
   * controller's write and whatever the leader learns from it in the same step.
   */
  alterPartition(d: D, ctx: Ctx, L: number, p: number, newIsr: number): void;
  /**
   * Whether a controller that reaches leader L's AlterPartition proposing `newIsr` for p rejects it so
   * that the leader drops the proposal (INELIGIBLE_REPLICA, KIP-841: `Partition.handleAlterPartitionError`
   * returns to the last committed state). Only planes that queue proposals (`queuesAlterPartition`). Pure.
   */
  rejectsAlterPartition?(s: ClusterState, ctx: Ctx, L: number, p: number, newIsr: number): boolean;
  /**
   * Whether a fetch that catches a follower up always makes the leader propose it (`PendingExpandIsr`,
   * the request queued in its `AlterPartitionManager` until a controller answers: the `expand-isr` step),
   * rather than only when a controller would take the proposal in the same step. ZooKeeper mode with
   * KIP-497's asynchronous AlterPartition (`Mechanisms.asyncAlterPartition`). Pure.
   */
  queuesAlterPartition(ctx: Ctx): boolean;
  /**
   * Whether leader L's metadata cache counts broker f alive, so that it proposes f for the ISR at all
   * (`Partition.isReplicaIsrEligible`; ZooKeeper mode: `ZkMetadataCache.hasAliveBroker`). Planes that
   * queue proposals only; the others propose only what `acceptsAlterPartition` takes. Pure.
   */
  isrEligible?(s: ClusterState, L: number, f: number): boolean;
  /** The broker epoch broker b's fetch requests carry (KIP-903; -1 where the mode has none). Pure. */
  fetchBrokerEpoch(s: ClusterState, b: number): number;
  /**
   * Whether a leader may act on the follower state it already recorded, as when a delayed fetch (maybe
   * from the follower's previous incarnation) reaches it: lists `expand-isr` on its own. KRaft only.
   */
  readonly delayedFetches: boolean;
}

/** Total order on requests, used to find one in the list. */
export function compareMessages(a: LeaderAndIsr, b: LeaderAndIsr): number {
  return (
    a.from - b.from ||
    a.to - b.to ||
    a.partition - b.partition ||
    a.leaderEpoch - b.leaderEpoch ||
    a.controllerEpoch - b.controllerEpoch ||
    a.leader - b.leader ||
    a.isr - b.isr ||
    a.version - b.version ||
    a.brokerEpoch - b.brokerEpoch ||
    Number(a.leaderLive) - Number(b.leaderLive)
  );
}

export function sameMessage(a: LeaderAndIsr, b: LeaderAndIsr): boolean {
  return compareMessages(a, b) === 0;
}

/**
 * Puts a request in flight. The controller talks to each broker over one connection and sends its
 * queued requests in order (`ControllerChannelManager`'s `RequestSendThread`), so requests from one
 * controller to one broker are FIFO; requests from different controllers interleave freely. The list
 * is grouped by (from, to) channel, in send order within a channel, so equal states encode equally.
 */
export function send(d: D, m: LeaderAndIsr): void {
  const list = d.inFlight;
  let i = list.length;
  while (i > 0) {
    const x = list[i - 1] as LeaderAndIsr;
    if (x.from < m.from || (x.from === m.from && x.to <= m.to)) break;
    i--;
  }
  list.splice(i, 0, m);
}

/** Whether `m` is the oldest request on its channel (only that one can be delivered next). */
export function isChannelHead(list: readonly LeaderAndIsr[], index: number): boolean {
  const m = list[index] as LeaderAndIsr;
  const prev = list[index - 1];
  return !prev || prev.from !== m.from || prev.to !== m.to;
}

/**
 * Sends the partition's ZooKeeper state as LeaderAndIsr to the replicas in `recipients` (the controller
 * sends only to brokers it considers live: `ControllerChannelManager.addLeaderAndIsrRequestForBrokers`).
 * Each request carries the addressee's broker epoch as the controller knows it (KIP-380, when the
 * broker-epoch check is on) and whether the leader is live for the controller (what the broker's
 * metadata cache will say).
 */
export function sendPartitionState(
  d: D,
  ctx: Ctx,
  from: number,
  cc: ControllerContext,
  recipients: number,
  p: number,
): void {
  const ps = d.zk.partitions[p] as PartitionState;
  const kip380 = ctx.cfg.mechanisms.brokerEpochCheck;
  for (const r of ctx.cfg.assignment[p] as readonly number[])
    if (has(recipients, r))
      send(d, {
        from,
        to: r,
        controllerEpoch: cc.epoch,
        partition: p,
        leader: ps.leader,
        leaderEpoch: ps.leaderEpoch,
        isr: ps.isr,
        version: ps.version,
        brokerEpoch: kip380 ? (cc.brokerEpochs[r] ?? 0) : 0,
        leaderLive: ps.leader >= 0 && has(cc.live, ps.leader),
      });
}

/** The replica of partition p on broker b (throws if b is not a replica: a model bug). */
export function replicaOf(d: D, b: number, p: number): DReplica {
  const r = d.brokers[b]?.replicas[p];
  if (!r) throw new Error(`model bug: broker ${b} is not a replica of partition ${p}`);
  return r;
}

/** `Partition.effectiveMinIsr`: min(min.insync.replicas, replication factor). */
export function effectiveMinIsr(cfg: ModelConfig): number {
  return Math.min(cfg.minInsyncReplicas, cfg.replicationFactor);
}

/**
 * `Partition.maybeIncrementLeaderHW`: the high watermark moves to the smallest log end offset over
 * the maximal ISR (committed ISR plus a pending expansion), frozen while the committed ISR is below
 * min.insync.replicas with strict min ISR (KAFKA-15583, `isUnderMinIsr`); then waiting acks=all
 * produces complete (`DelayedProduce`, `checkEnoughReplicasReachOffset`): success only if the maximal
 * ISR still has at least min.insync.replicas members, else NOT_ENOUGH_REPLICAS_AFTER_APPEND.
 */
export function maybeIncrementHw(d: D, ctx: Ctx, b: number, p: number): void {
  const r = replicaOf(d, b, p);
  const minIsr = effectiveMinIsr(ctx.cfg);
  const isrSize = popcount(r.isr);
  if (!(ctx.cfg.mechanisms.strictMinIsr && isrSize < minIsr)) {
    let hw = r.log.length;
    const maximal = r.isr | r.pendingIsr;
    for (const f of ctx.cfg.assignment[p] as readonly number[])
      if (f !== b && has(maximal, f)) hw = Math.min(hw, r.followerLeo[f] as number);
    if (hw > r.hw) {
      // Judged over the members both the leader and the controller count: those an election may choose.
      const counted = maximal & (d.zk.partitions[p]?.isr ?? 0);
      if (!d.ghost.hwPassedIsr && lacksCommitted(d, ctx, b, p, counted, hw)) d.ghost.hwPassedIsr = true;
      r.hw = hw;
      expose(d, p, r.log, hw, r.leaderEpoch);
    }
  }
  completeProduces(d, ctx, b, p);
}

/**
 * Ghost: whether a running member of leader b's ISR `isr` that has taken its role since it started does
 * not hold the leader's log below `hw` (shorter, or a different record at some offset): the leader counted
 * a fetch position that is no longer true (the member truncated after fetching, or came back with a
 * shorter log and was given a role without the controller noticing the restart).
 */
function lacksCommitted(d: D, ctx: Ctx, b: number, p: number, isr: number, hw: number): boolean {
  const log = replicaOf(d, b, p).log;
  for (const f of ctx.cfg.assignment[p] as readonly number[]) {
    if (f === b || !has(isr, f) || !d.brokers[f]?.alive) continue;
    const fr = d.brokers[f]?.replicas[p];
    // A restarted member not yet told its role does not replicate; the controller takes it out of the
    // ISR before it does (with KIP-380), so only members that took their role are judged.
    if (fr && fr.role === ROLE_NONE) continue;
    const fl = fr?.log;
    if (!fl || fl.length < hw) return true;
    for (let i = 0; i < hw; i++) {
      const x = fl[i];
      const y = log[i];
      if (!x || !y || x.id !== y.id || x.epoch !== y.epoch) return true;
    }
  }
  return false;
}

/**
 * Ghost: leader of `leaderEpoch` moved its high watermark to `hw`, so consumers may read its records
 * below it. Extends the exposed prefix of p, or flags a record that differs from one exposed earlier.
 */
function expose(d: D, p: number, log: readonly LogEntry[], hw: number, leaderEpoch: number): void {
  const ex = d.ghost.exposed[p] as readonly LogEntry[];
  const common = Math.min(hw, ex.length);
  for (let i = 0; i < common; i++) {
    const a = ex[i] as LogEntry;
    const b = log[i];
    if (!b || a.id !== b.id || a.epoch !== b.epoch) {
      d.ghost.exposedChanged = true;
      break;
    }
  }
  if (hw > ex.length) {
    const grown = ex.slice();
    for (let i = ex.length; i < hw; i++) grown.push({ ...(log[i] as LogEntry) });
    d.ghost.exposed[p] = grown;
  }
  if (leaderEpoch > (d.ghost.exposedBy[p] as number)) d.ghost.exposedBy[p] = leaderEpoch;
}

/** Ghost: how many replicas (running or stopped: a log survives on disk) hold record `id` at `offset`. */
export function holdersOf(d: D, ctx: Ctx, p: number, offset: number, id: number): number {
  let n = 0;
  for (const f of ctx.cfg.assignment[p] as readonly number[])
    if (d.brokers[f]?.replicas[p]?.log[offset]?.id === id) n++;
  return n;
}

/** Completes or fails the acks=all requests at (b, p) whose offset is below the high watermark. */
export function completeProduces(d: D, ctx: Ctx, b: number, p: number): void {
  if (!d.pending.length) return;
  const r = replicaOf(d, b, p);
  const minIsr = effectiveMinIsr(ctx.cfg);
  for (let i = d.pending.length - 1; i >= 0; i--) {
    const q = d.pending[i];
    if (!q || q.broker !== b || q.partition !== p || q.offset >= r.hw) continue;
    d.pending.splice(i, 1);
    if (popcount(r.isr | r.pendingIsr) >= minIsr && r.log[q.offset]?.id === q.id) {
      d.ghost.acked.push({ partition: p, id: q.id, offset: q.offset, leaderEpoch: q.leaderEpoch, by: b });
      if (holdersOf(d, ctx, p, q.offset, q.id) < minIsr) d.ghost.ackBelowMinIsr = true;
    }
  }
  d.ghost.acked.sort((x, y) => x.partition - y.partition || x.id - y.id);
}

/** Fails every produce request waiting at broker b (for partition p, or all partitions). */
export function failProduces(d: D, b: number, p?: number): void {
  for (let i = d.pending.length - 1; i >= 0; i--) {
    const q = d.pending[i];
    if (q && q.broker === b && (p === undefined || q.partition === p)) d.pending.splice(i, 1);
  }
}
