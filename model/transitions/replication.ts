import type { Action } from '../actions.js';
import type { ClusterState, Replica } from '../state.js';
import { NO_LEADER, ROLE_FOLLOWER, ROLE_LEADER, ROLE_NONE, has, popcount, reachable } from '../state.js';
import { UNDEFINED, endOffsetFor, epochCache, latestEpoch, truncationOffset, truncationOffsetV0 } from '../log.js';
import type { Ctx, D } from './common.js';
import {
  CUT_RECORDS,
  cutBy,
  effectiveMinIsr,
  failProduces,
  maybeIncrementHw,
  replicaOf,
  type DReplica,
} from './common.js';

/**
 * The partition data plane, shared by both control planes: produce on the leader
 * (`Partition.appendRecordsToLeader`), follower fetch (`ReplicaFetcherThread`, `Partition.readRecords`),
 * leader-driven ISR changes through the controller (AlterPartition, KIP-497, sent through
 * `ctx.plane`), becoming leader or follower (`Partition.makeLeader` / `makeFollower`, driven by
 * LeaderAndIsr in ZooKeeper mode and by committed metadata records in KRaft mode), and what a process
 * stop or restart does to a broker's replicas.
 */

/**
 * The data-plane actions of a state in canonical order (per partition, per broker: produce, fetch, ISR
 * shrinks, then the retry of a pending ISR expansion, which only KRaft mode has, then — with
 * `backgroundFlush` — a flush of an unflushed log), then per broker a high-watermark checkpoint.
 */
export function dataPlaneActions(s: ClusterState, ctx: Ctx, out: Action[]): void {
  for (let p = 0; p < ctx.cfg.partitions; p++)
    for (let b = 0; b < ctx.cfg.brokers; b++) {
      if (canProduce(s, ctx, b, p)) out.push({ kind: 'produce', partition: p, broker: b });
      if (fetchTarget(s, ctx, b, p) >= 0) out.push({ kind: 'fetch', partition: p, follower: b });
      for (const f of shrinkCandidates(s, ctx, b, p))
        out.push({ kind: 'shrink-isr', partition: p, leader: b, follower: f });
      for (const f of pendingRetry(s, ctx, b, p, 'expand'))
        out.push({ kind: 'expand-isr', partition: p, leader: b, follower: f });
      if (ctx.plane.delayedFetches)
        for (const f of expandCandidates(s, ctx, b, p))
          out.push({ kind: 'expand-isr', partition: p, leader: b, follower: f });
      if (ctx.cfg.backgroundFlush && canFlush(s, b, p)) out.push({ kind: 'flush', partition: p, broker: b });
    }
  for (let b = 0; b < ctx.cfg.brokers; b++)
    if (canCheckpointHw(s, ctx, b)) out.push({ kind: 'checkpoint-hw', broker: b });
}

/**
 * Whether running broker b's `replication-offset-checkpoint` file is behind some in-memory high
 * watermark, so a `checkpoint-hw` step would change it. Only while a stop that loses the process's
 * memory (a crash or a power loss) is still in the fault budget: otherwise the file is never read again
 * (a clean shutdown rewrites it first), and `syncCheckpoints` keeps it equal to the high watermark so
 * states that differ only in it are one state.
 */
export function canCheckpointHw(s: ClusterState, ctx: Ctx, b: number): boolean {
  const br = s.brokers[b];
  if (!br || !br.alive || !stopsRemain(s)) return false;
  for (let p = 0; p < ctx.cfg.partitions; p++) {
    const r = br.replicas[p];
    if (r && r.hwCheckpoint !== r.hw) return true;
  }
  return false;
}

/** Whether some crash or power loss is left in the budget (a stop that loses the in-memory high watermark). */
export function stopsRemain(s: ClusterState): boolean {
  return s.budget.crashes > 0 || s.budget.uncleanShutdowns > 0;
}

/**
 * The high-watermark checkpoint thread (`ReplicaManager.checkpointHighWatermarks`, every
 * `replica.high.watermark.checkpoint.interval.ms`): every partition of broker b at once, as one file.
 */
export function checkpointHw(d: D, ctx: Ctx, b: number): void {
  const br = d.brokers[b];
  if (!br) return;
  for (let p = 0; p < ctx.cfg.partitions; p++) {
    const r = br.replicas[p];
    if (r) r.hwCheckpoint = r.hw;
  }
}

/**
 * Once no crash or power loss is left, a running broker's checkpoint file is never read again: it is
 * kept equal to the in-memory high watermark (a sound reduction: nothing reads the field until a
 * restart, and no running broker can stop without writing it). Stopped brokers keep theirs.
 */
export function syncCheckpoints(d: D, ctx: Ctx): void {
  if (stopsRemain(d as unknown as ClusterState)) return;
  for (const br of d.brokers) {
    if (!br.alive) continue;
    for (let p = 0; p < ctx.cfg.partitions; p++) {
      const r = br.replicas[p];
      if (r && r.hwCheckpoint !== r.hw) r.hwCheckpoint = r.hw;
    }
  }
}

/** Whether running broker b has records of p that are not on disk yet. */
function canFlush(s: ClusterState, b: number, p: number): boolean {
  const br = s.brokers[b];
  const r = br?.replicas[p];
  return !!br && br.alive && !!r && r.flushed < r.log.length;
}

/**
 * Background flush (`LogManager.flushDirtyLogs` → `UnifiedLog.flush`, or the OS writing the page cache
 * back): b's log of p is on disk up to its end, so a power loss no longer takes it.
 */
export function flush(d: D, b: number, p: number): void {
  const r = replicaOf(d, b, p);
  r.flushed = r.log.length;
}

/**
 * Truncates a replica's log to its first `to` records (`UnifiedLog.truncateTo`): the high watermark and
 * the flushed prefix come down with it (`LocalLog.updateLogEndOffset` lowers the recovery point), so
 * records appended later at those offsets are unflushed.
 */
export function truncateLog(r: DReplica, to: number): void {
  if (r.log.length <= to) return;
  r.log.splice(to);
  if (r.hw > to) r.hw = to;
  if (r.flushed > to) r.flushed = to;
}

/** A leader that may accept a produce request now (acks=all needs ISR ≥ min.insync.replicas). */
export function canProduce(s: ClusterState, ctx: Ctx, b: number, p: number): boolean {
  const br = s.brokers[b];
  const r = br?.replicas[p];
  if (!br || !br.alive || !r || r.role !== ROLE_LEADER) return false;
  if (ctx.cfg.acks === 'all' && popcount(r.isr) < effectiveMinIsr(ctx.cfg)) return false; // NOT_ENOUGH_REPLICAS
  return (s.produced[p] as number) >= ctx.cfg.bounds.records ? cutBy(ctx, CUT_RECORDS, false) : true;
}

export function produce(d: D, ctx: Ctx, b: number, p: number): void {
  const r = replicaOf(d, b, p);
  const id = (d.produced[p] as number) + 1;
  d.produced[p] = id;
  const offset = r.log.length;
  r.log.push({ epoch: r.leaderEpoch, id });
  if (ctx.cfg.acks === '1') {
    d.ghost.acked.push({ partition: p, id, offset, leaderEpoch: r.leaderEpoch, by: b });
    d.ghost.acked.sort((x, y) => x.partition - y.partition || x.id - y.id);
  } else {
    d.pending.push({ partition: p, broker: b, offset, id, leaderEpoch: r.leaderEpoch });
  }
  maybeIncrementHw(d, ctx, b, p);
}

/** The leader a follower can fetch from now, or -1. */
export function fetchTarget(s: ClusterState, ctx: Ctx, f: number, p: number): number {
  const fb = s.brokers[f];
  const r = fb?.replicas[p];
  if (!fb || !fb.alive || !r || r.role !== ROLE_FOLLOWER || r.leader === NO_LEADER || r.leader === f) return -1;
  const L = r.leader;
  const lb = s.brokers[L];
  const lr = lb?.replicas[p];
  if (!lb || !lb.alive || !lr || lr.role !== ROLE_LEADER || !reachable(s, f, L)) return -1;
  // KIP-320: the fetch carries the follower's leader epoch; a mismatch is FENCED / UNKNOWN_LEADER_EPOCH.
  if (ctx.cfg.mechanisms.fetchEpochFencing && r.leaderEpoch !== lr.leaderEpoch) return -1;
  // Only list fetches that change something (a fetch that returns nothing new is a stutter step). A
  // caught-up follower outside the ISR keeps fetching, and each fetch makes the leader try to add it
  // back (`Partition.maybeExpandIsr` in `updateFollowerFetchState`): such a fetch changes the ISR.
  const changes =
    r.mustTruncate ||
    (ctx.cfg.truncation === 'diverging-epoch' && divergingTruncation(r, lr) >= 0) ||
    lr.followerLeo[f] !== r.log.length ||
    lr.log.length !== r.log.length ||
    r.hw !== Math.min(lr.hw, r.log.length) ||
    (!ctx.plane.delayedFetches && fetchExpands(s, ctx, L, p, f));
  return changes ? L : -1;
}

/**
 * Whether a fetch by f makes leader L propose f for p's ISR (`Partition.maybeExpandIsr` in
 * `updateFollowerFetchState`, judged after the fetch updates f's state): f is outside the ISR, nothing
 * is in flight, and f has (or the fetch brings it) up to the leader's high watermark and, with
 * KAFKA-7128, the start of its leader epoch. In ZooKeeper mode this is where the proposal is made
 * (`queuesAlterPartition`); in KRaft mode only when a controller would take it now.
 */
function fetchExpands(s: ClusterState, ctx: Ctx, L: number, p: number, f: number): boolean {
  const lr = s.brokers[L]?.replicas[p];
  if (!lr || has(lr.isr, f)) return false;
  return ctx.plane.queuesAlterPartition(ctx)
    ? expandEligible(s, ctx, L, p).includes(f) && (ctx.plane.isrEligible?.(s, L, f) ?? true)
    : expandCandidates(s, ctx, L, p).includes(f);
}

/**
 * One fetch round trip. With leader-epoch truncation a follower first reconciles its log with the
 * leader (OffsetsForLeaderEpoch, KIP-101/KIP-279); a follower whose log is longer than the leader's is
 * truncated to it (out-of-range handling). The leader records the fetch offset, may advance its high
 * watermark, and returns what follows the offset (all of it, or `fetchMaxRecords`) with its high
 * watermark.
 */
export function fetch(d: D, ctx: Ctx, f: number, p: number, L: number): void {
  const fr = replicaOf(d, f, p);
  const lr = replicaOf(d, L, p);
  if (ctx.cfg.truncation === 'diverging-epoch') {
    const to = divergingTruncation(fr, lr);
    if (to >= 0) {
      // The response names the diverging epoch and carries no records and no high watermark; the leader
      // does not record this fetch (`Partition.fetchRecords` skips `updateFollowerFetchState`).
      truncateLog(fr, to);
      return;
    }
  }
  if (fr.mustTruncate) {
    const cache = epochCache(lr.log, { epoch: lr.leaderEpoch, start: lr.epochStart });
    const truncate = ctx.cfg.truncation === 'leader-epoch-offset' ? truncationOffsetV0 : truncationOffset;
    const to = truncate(fr.log, fr.hw, cache, lr.log.length);
    truncateLog(fr, to);
    fr.mustTruncate = false;
  }
  truncateLog(fr, lr.log.length);
  const offset = fr.log.length;
  // `Partition.readRecords` reads the log and takes the high watermark *before* the fetch updates the
  // follower's state (`initialHighWatermark`); only then does `updateFollowerFetchState` record the
  // fetch offset and maybe advance the high watermark. So a follower learns a high watermark that its
  // own fetch moved one fetch later (the lag behind KIP-101's first scenario).
  const answeredHw = lr.hw;
  const end = ctx.cfg.fetchMaxRecords > 0 ? Math.min(lr.log.length, offset + ctx.cfg.fetchMaxRecords) : lr.log.length;
  lr.followerLeo[f] = offset;
  lr.followerEpoch[f] = ctx.plane.fetchBrokerEpoch(d as unknown as ClusterState, f);
  maybeIncrementHw(d, ctx, L, p);
  // A response carries at most `fetchMaxRecords` records (`replica.fetch.max.bytes`); the rest comes later.
  for (let i = offset; i < end; i++) fr.log.push({ ...(lr.log[i] as Replica['log'][number]) });
  // `UnifiedLog.updateHighWatermark` on the follower: the leader's answer, capped at its own log end.
  fr.hw = Math.min(answeredHw, fr.log.length);
  // `Partition.updateFollowerFetchState` → `maybeExpandIsr`: ISR expansion is triggered by the fetch.
  const after = d as unknown as ClusterState;
  if (ctx.plane.queuesAlterPartition(ctx)) {
    // `Partition.prepareIsrExpand`: the leader enters `PendingExpandIsr` (maximal ISR = ISR + f) and hands
    // the AlterPartition to its `AlterPartitionManager`, which sends it, and resends it, until a
    // controller answers; that answer is the `expand-isr` step (`pendingRetry`).
    if (expandEligible(after, ctx, L, p).includes(f) && (ctx.plane.isrEligible?.(after, L, f) ?? true)) {
      lr.pendingIsr = lr.isr | (1 << f);
      maybeIncrementHw(d, ctx, L, p);
    }
  } else if (expandCandidates(after, ctx, L, p).includes(f)) expandIsr(d, after, ctx, L, p, f);
}

/**
 * Kafka 2.7+'s fetch-time divergence check (`Partition.readRecords` on the leader,
 * `AbstractFetcherThread.truncateOnFetchResponse` → `getOffsetTruncationState` on the follower): the
 * fetch carries the epoch of the follower's last record and its log end offset; when the leader's log
 * ends that epoch earlier, or knows only an older epoch, it answers with its (epoch, end offset) for it,
 * and the follower truncates — to the end of its own epoch below an epoch it does not know (a later
 * fetch asks again), else to the smaller of both end offsets. Returns that offset, or -1 when the fetch
 * does not diverge. A follower whose last epoch is newer than everything the leader has gets an
 * out-of-range error instead (handled by the caller as before).
 */
export function divergingTruncation(fr: Replica, lr: Replica): number {
  const lastFetchedEpoch = latestEpoch(fr.log);
  if (lastFetchedEpoch === UNDEFINED) return -1;
  const fetchOffset = fr.log.length;
  const answer = endOffsetFor(
    epochCache(lr.log, { epoch: lr.leaderEpoch, start: lr.epochStart }),
    lr.log.length,
    lastFetchedEpoch,
  );
  if (answer.epoch === UNDEFINED || answer.offset === UNDEFINED) return -1;
  if (answer.epoch >= lastFetchedEpoch && answer.offset >= fetchOffset) return -1;
  const mine = endOffsetFor(epochCache(fr.log), fetchOffset, answer.epoch);
  if (mine.offset === UNDEFINED) return Math.min(answer.offset, fetchOffset);
  if (mine.epoch !== answer.epoch) return Math.min(mine.offset, fetchOffset);
  return Math.min(mine.offset, answer.offset, fetchOffset);
}

/**
 * Followers leader L may drop from p's ISR: those behind its log end (`Partition.maybeShrinkIsr`). While
 * an AlterPartition is in flight only its retry is possible (`AlterPartitionManager` resends it).
 */
export function shrinkCandidates(s: ClusterState, ctx: Ctx, L: number, p: number): number[] {
  const lb = s.brokers[L];
  const lr = lb?.replicas[p];
  if (!lb || !lb.alive || !lr || lr.role !== ROLE_LEADER) return [];
  if (lr.pendingIsr !== 0) return pendingRetry(s, ctx, L, p, 'shrink');
  const out: number[] = [];
  for (const f of ctx.cfg.assignment[p] as readonly number[])
    if (
      f !== L &&
      has(lr.isr, f) &&
      (lr.followerLeo[f] as number) < lr.log.length &&
      ctx.plane.acceptsAlterPartition(s, ctx, L, p, lr.isr & ~(1 << f))
    )
      out.push(f);
  return out;
}

export function shrinkIsr(d: D, ctx: Ctx, L: number, p: number, f: number): void {
  const lr = replicaOf(d, L, p);
  ctx.plane.alterPartition(d, ctx, L, p, lr.pendingIsr !== 0 ? lr.pendingIsr : lr.isr & ~(1 << f));
}

/**
 * The follower named by leader L's AlterPartition in flight for p, if it is a `kind` change and a
 * controller would answer it now: accept it (KRaft: a retry after the first request was lost, e.g. with
 * a controller failover; ZooKeeper mode: the queued proposal of a fetch reaches the controller), or,
 * where the plane says so, reject it so the leader drops the proposal (`rejectsAlterPartition`).
 */
export function pendingRetry(s: ClusterState, ctx: Ctx, L: number, p: number, kind: 'shrink' | 'expand'): number[] {
  const lr = s.brokers[L]?.replicas[p];
  if (!lr || lr.pendingIsr === 0) return [];
  const diff = kind === 'shrink' ? lr.isr & ~lr.pendingIsr : lr.pendingIsr & ~lr.isr;
  if (diff === 0 || popcount(diff) !== 1) return [];
  if (
    !ctx.plane.acceptsAlterPartition(s, ctx, L, p, lr.pendingIsr) &&
    !(ctx.plane.rejectsAlterPartition?.(s, ctx, L, p, lr.pendingIsr) ?? false)
  )
    return [];
  return [31 - Math.clz32(diff)];
}

/**
 * Followers leader L may add back (`Partition.maybeExpandIsr`): caught up to the high watermark and,
 * with KAFKA-7128's rule, to the start of the current leader epoch.
 */
export function expandCandidates(s: ClusterState, ctx: Ctx, L: number, p: number): number[] {
  const lr = s.brokers[L]?.replicas[p];
  if (!lr) return [];
  return expandEligible(s, ctx, L, p).filter((f) => ctx.plane.acceptsAlterPartition(s, ctx, L, p, lr.isr | (1 << f)));
}

/** Followers leader L would propose for p's ISR (`Partition.needsExpandIsr`), whether or not a controller would take them. */
function expandEligible(s: ClusterState, ctx: Ctx, L: number, p: number): number[] {
  const lb = s.brokers[L];
  const lr = lb?.replicas[p];
  if (!lb || !lb.alive || !lr || lr.role !== ROLE_LEADER || lr.pendingIsr !== 0) return [];
  const out: number[] = [];
  for (const f of ctx.cfg.assignment[p] as readonly number[]) {
    if (f === L || has(lr.isr, f)) continue;
    const leo = lr.followerLeo[f] as number;
    if (leo < 0 || leo < lr.hw) continue;
    if (ctx.cfg.mechanisms.isrJoinRequiresCurrentEpoch && leo < lr.epochStart) continue;
    out.push(f);
  }
  return out;
}

/**
 * Leader L's AlterPartition adding f reaches a controller: it is applied (`ControlPlane.alterPartition`),
 * or, rejected with INELIGIBLE_REPLICA (KIP-841), the leader returns to its last committed ISR
 * (`Partition.handleAlterPartitionError`; it does not move its high watermark there).
 */
export function expandIsr(d: D, s: ClusterState, ctx: Ctx, L: number, p: number, f: number): void {
  const lr = replicaOf(d, L, p);
  const proposal = lr.pendingIsr !== 0 ? lr.pendingIsr : lr.isr | (1 << f);
  if (lr.pendingIsr !== 0 && !ctx.plane.acceptsAlterPartition(s, ctx, L, p, proposal)) lr.pendingIsr = 0;
  else ctx.plane.alterPartition(d, ctx, L, p, proposal);
}

/** Everything a replica must forget or keep when it becomes leader (`Partition.makeLeader`). */
export function makeLeader(
  d: D,
  ctx: Ctx,
  b: number,
  p: number,
  leaderEpoch: number,
  isr: number,
  version: number,
): void {
  const r = replicaOf(d, b, p);
  const newEpoch = leaderEpoch !== r.leaderEpoch || r.role !== ROLE_LEADER;
  r.role = ROLE_LEADER;
  r.leader = b;
  r.isr = isr;
  r.zkVersion = version;
  if (newEpoch) {
    r.leaderEpoch = leaderEpoch;
    r.epochStart = r.log.length;
    r.followerLeo = r.followerLeo.map(() => -1);
    r.followerEpoch = r.followerEpoch.map(() => -1);
  }
  r.mustTruncate = false;
  r.pendingIsr = 0;
  maybeIncrementHw(d, ctx, b, p);
}

/** Becoming a follower (`Partition.makeFollower`): pre-KIP-101 truncates to the high watermark now. */
export function makeFollower(
  d: D,
  ctx: Ctx,
  b: number,
  p: number,
  leader: number,
  leaderEpoch: number,
  isr: number,
  version: number,
): void {
  const r = replicaOf(d, b, p);
  r.role = ROLE_FOLLOWER;
  r.leader = leader;
  r.leaderEpoch = leaderEpoch;
  r.isr = isr;
  r.zkVersion = version;
  r.pendingIsr = 0;
  failProduces(d, b, p);
  if (ctx.cfg.truncation === 'high-watermark') {
    truncateLog(r, r.hw);
  } else {
    // OffsetsForLeaderEpoch before the first fetch; with `diverging-epoch` the fetches themselves check
    // (Kafka 2.7+ starts a follower whose log has an epoch in the Fetching state).
    r.mustTruncate = ctx.cfg.truncation !== 'diverging-epoch';
  }
}

/**
 * What stopping broker b's process does to its replicas: `clean` flushes the log first, `crash` keeps
 * it (page cache survives), `unclean` (power loss) keeps only the flushed prefix; roles are forgotten
 * and waiting produce requests fail.
 */
export function stopReplicas(d: D, ctx: Ctx, b: number, how: 'clean' | 'crash' | 'unclean'): void {
  const br = d.brokers[b];
  if (!br) return;
  for (let p = 0; p < ctx.cfg.partitions; p++) {
    const r = br.replicas[p];
    if (!r) continue;
    // `ReplicaManager.shutdown(checkpointHW = true)` writes the high-watermark checkpoint on a clean stop.
    if (how === 'clean') {
      r.flushed = r.log.length;
      r.hwCheckpoint = r.hw;
    }
    if (how === 'unclean') truncateLog(r, r.flushed);
    r.role = ROLE_NONE;
    r.pendingIsr = 0;
  }
  failProduces(d, b);
}

/** Restart with log recovery: a fresh process whose replicas know no roles until the controller tells them. */
export function resetReplicas(d: D, ctx: Ctx, b: number): void {
  const br = d.brokers[b];
  if (!br) return;
  for (let p = 0; p < ctx.cfg.partitions; p++) {
    const r = br.replicas[p];
    if (!r) continue;
    r.flushed = r.log.length;
    // The log is opened with the checkpointed high watermark, capped at the recovered log end offset.
    r.hw = Math.min(r.hwCheckpoint, r.log.length);
    r.role = ROLE_NONE;
    r.leader = NO_LEADER;
    r.leaderEpoch = -1;
    r.isr = 0;
    r.zkVersion = -1;
    r.epochStart = 0;
    r.followerLeo = r.followerLeo.map(() => -1);
    r.followerEpoch = r.followerEpoch.map(() => -1);
    r.mustTruncate = false;
    r.pendingIsr = 0;
  }
}

/**
 * Applies a data-plane action (or a network split or heal, which both modes share) to the draft `d`
 * of `s`; false when `a` is a control-plane or broker-fault action of one of the modes.
 */
export function dataPlaneMutate(d: D, s: ClusterState, ctx: Ctx, a: Action): boolean {
  switch (a.kind) {
    case 'produce':
      produce(d, ctx, a.broker, a.partition);
      return true;
    case 'fetch':
      fetch(d, ctx, a.follower, a.partition, fetchTarget(s, ctx, a.follower, a.partition));
      return true;
    case 'shrink-isr':
      shrinkIsr(d, ctx, a.leader, a.partition, a.follower);
      return true;
    case 'expand-isr':
      expandIsr(d, s, ctx, a.leader, a.partition, a.follower);
      return true;
    case 'flush':
      flush(d, a.broker, a.partition);
      return true;
    case 'checkpoint-hw':
      checkpointHw(d, ctx, a.broker);
      return true;
    case 'partition-network':
      d.budget.networkPartitions--;
      d.split = a.side;
      return true;
    case 'heal':
      d.split = 0;
      return true;
    default:
      return false;
  }
}
