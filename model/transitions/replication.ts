import type { ClusterState, LeaderAndIsr, PartitionState, Replica } from '../state.js';
import { NO_LEADER, ROLE_FOLLOWER, ROLE_LEADER, has, popcount, reachable } from '../state.js';
import { epochCache, truncationOffset } from '../log.js';
import type { Ctx, D } from './common.js';
import { effectiveMinIsr, maybeIncrementHw, replicaOf, sameMessage } from './common.js';
import { makeFollower, makeLeader } from './controller.js';

/**
 * The partition data plane, shared by both control planes: produce on the leader
 * (`Partition.appendRecordsToLeader`), follower fetch (`ReplicaFetcherThread`, `Partition.readRecords`),
 * leader-driven ISR changes through the controller (AlterPartition, KIP-497), and LeaderAndIsr handling
 * (`ReplicaManager.becomeLeaderOrFollower`).
 */

/** A leader that may accept a produce request now (acks=all needs ISR ≥ min.insync.replicas). */
export function canProduce(s: ClusterState, ctx: Ctx, b: number, p: number): boolean {
  const br = s.brokers[b];
  const r = br?.replicas[p];
  if (!br || !br.alive || !r || r.role !== ROLE_LEADER) return false;
  if ((s.produced[p] as number) >= ctx.cfg.bounds.records) return false;
  if (ctx.cfg.acks === 'all' && popcount(r.isr) < effectiveMinIsr(ctx.cfg)) return false; // NOT_ENOUGH_REPLICAS
  return true;
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
  // Only list fetches that change something (a fetch that returns nothing new is a stutter step).
  const changes =
    r.mustTruncate ||
    lr.followerLeo[f] !== r.log.length ||
    lr.log.length !== r.log.length ||
    r.hw !== Math.min(lr.hw, r.log.length);
  return changes ? L : -1;
}

/**
 * One fetch round trip. With leader-epoch truncation a follower first reconciles its log with the
 * leader (OffsetsForLeaderEpoch, KIP-101/KIP-279); a follower whose log is longer than the leader's is
 * truncated to it (out-of-range handling). The leader records the fetch offset, may advance its high
 * watermark, and returns everything after the offset with its high watermark.
 */
export function fetch(d: D, ctx: Ctx, f: number, p: number, L: number): void {
  const fr = replicaOf(d, f, p);
  const lr = replicaOf(d, L, p);
  if (fr.mustTruncate) {
    const cache = epochCache(lr.log, { epoch: lr.leaderEpoch, start: lr.epochStart });
    const to = truncationOffset(fr.log, fr.hw, cache, lr.log.length);
    if (fr.log.length > to) fr.log.splice(to);
    fr.mustTruncate = false;
  }
  if (fr.log.length > lr.log.length) fr.log.splice(lr.log.length);
  if (fr.hw > fr.log.length) fr.hw = fr.log.length;
  const offset = fr.log.length;
  lr.followerLeo[f] = offset;
  maybeIncrementHw(d, ctx, L, p);
  for (let i = offset; i < lr.log.length; i++) fr.log.push({ ...(lr.log[i] as Replica['log'][number]) });
  fr.hw = Math.min(lr.hw, fr.log.length);
  // `Partition.updateFollowerFetchState` → `maybeExpandIsr`: ISR expansion is triggered by the fetch.
  if (expandCandidates(d as unknown as ClusterState, ctx, L, p).includes(f)) expandIsr(d, ctx, L, p, f);
}

/** The controller a leader's AlterPartition reaches, or -1. */
function alterPartitionTarget(s: ClusterState, L: number): number {
  const c = s.zk.controller;
  const cb = s.brokers[c];
  if (c < 0 || !cb || !cb.alive || !cb.controller || !reachable(s, L, c)) return -1;
  return c;
}

/**
 * Whether the controller accepts leader L's proposed ISR for p: with the zkVersion check the request's
 * leader epoch and partition epoch must match ZooKeeper (`KafkaController.processAlterPartition`:
 * FENCED_LEADER_EPOCH / INVALID_UPDATE_VERSION), and every new member must be live (KIP-841).
 */
function alterPartitionAccepted(s: ClusterState, ctx: Ctx, L: number, p: number, newIsr: number): boolean {
  const c = alterPartitionTarget(s, L);
  if (c < 0) return false;
  const lr = s.brokers[L]?.replicas[p] as Replica;
  const ps = s.zk.partitions[p] as PartitionState;
  if (ps.version >= ctx.cfg.bounds.partitionEpochs) return false;
  if (ctx.cfg.mechanisms.zkVersionCheck && (lr.leaderEpoch !== ps.leaderEpoch || lr.zkVersion !== ps.version))
    return false;
  const live = s.brokers[c]?.controller?.live ?? 0;
  if ((newIsr & ~lr.isr & ~live) !== 0) return false;
  return true;
}

function applyIsr(d: D, ctx: Ctx, L: number, p: number, newIsr: number): void {
  const lr = replicaOf(d, L, p);
  const ps = d.zk.partitions[p] as PartitionState;
  const c = d.zk.controller;
  const version = ps.version + 1;
  // Without the version check this is the pre-KIP-497 unconditional write of the leader's LeaderAndIsr.
  d.zk.partitions[p] = {
    ...ps,
    leader: L,
    leaderEpoch: lr.leaderEpoch,
    isr: newIsr,
    version,
    controllerEpoch: d.brokers[c]?.controller?.epoch ?? d.zk.controllerEpoch,
  };
  lr.isr = newIsr;
  lr.zkVersion = version;
  maybeIncrementHw(d, ctx, L, p);
}

/** Followers leader L may drop from p's ISR: those behind its log end (`Partition.maybeShrinkIsr`). */
export function shrinkCandidates(s: ClusterState, ctx: Ctx, L: number, p: number): number[] {
  const lb = s.brokers[L];
  const lr = lb?.replicas[p];
  if (!lb || !lb.alive || !lr || lr.role !== ROLE_LEADER) return [];
  const out: number[] = [];
  for (const f of ctx.cfg.assignment[p] as readonly number[])
    if (
      f !== L &&
      has(lr.isr, f) &&
      (lr.followerLeo[f] as number) < lr.log.length &&
      alterPartitionAccepted(s, ctx, L, p, lr.isr & ~(1 << f))
    )
      out.push(f);
  return out;
}

export function shrinkIsr(d: D, ctx: Ctx, L: number, p: number, f: number): void {
  const lr = replicaOf(d, L, p);
  applyIsr(d, ctx, L, p, lr.isr & ~(1 << f));
}

/**
 * Followers leader L may add back (`Partition.maybeExpandIsr`): caught up to the high watermark and,
 * with KAFKA-7128's rule, to the start of the current leader epoch.
 */
export function expandCandidates(s: ClusterState, ctx: Ctx, L: number, p: number): number[] {
  const lb = s.brokers[L];
  const lr = lb?.replicas[p];
  if (!lb || !lb.alive || !lr || lr.role !== ROLE_LEADER) return [];
  const out: number[] = [];
  for (const f of ctx.cfg.assignment[p] as readonly number[]) {
    if (f === L || has(lr.isr, f)) continue;
    const leo = lr.followerLeo[f] as number;
    if (leo < 0 || leo < lr.hw) continue;
    if (ctx.cfg.mechanisms.isrJoinRequiresCurrentEpoch && leo < lr.epochStart) continue;
    if (alterPartitionAccepted(s, ctx, L, p, lr.isr | (1 << f))) out.push(f);
  }
  return out;
}

export function expandIsr(d: D, ctx: Ctx, L: number, p: number, f: number): void {
  const lr = replicaOf(d, L, p);
  applyIsr(d, ctx, L, p, lr.isr | (1 << f));
}

/** Whether broker `m.to` can receive `m` now. */
export function canDeliver(s: ClusterState, m: LeaderAndIsr): boolean {
  const b = s.brokers[m.to];
  return !!b && b.alive && reachable(s, m.from, m.to);
}

/**
 * `ReplicaManager.becomeLeaderOrFollower`: reject a request from an older controller epoch (controller
 * fencing), ignore a partition state whose leader epoch is not newer than the replica's (leader-epoch
 * fencing), else become leader or follower.
 */
export function deliver(d: D, ctx: Ctx, m: LeaderAndIsr): void {
  const i = d.inFlight.findIndex((x) => sameMessage(x, m));
  if (i >= 0) d.inFlight.splice(i, 1);
  const b = d.brokers[m.to];
  if (!b) return;
  if (ctx.cfg.mechanisms.controllerEpochFencing && m.controllerEpoch < b.controllerEpochSeen) return; // STALE_CONTROLLER_EPOCH
  if (m.controllerEpoch > b.controllerEpochSeen) b.controllerEpochSeen = m.controllerEpoch;
  const r = replicaOf(d, m.to, m.partition);
  if (ctx.cfg.mechanisms.leaderEpochFencing && m.leaderEpoch <= r.leaderEpoch) return;
  if (m.leader === m.to) makeLeader(d, ctx, m.to, m.partition, m.leaderEpoch, m.isr, m.version);
  else makeFollower(d, ctx, m.to, m.partition, m.leader, m.leaderEpoch, m.isr, m.version);
}

export function drop(d: D, m: LeaderAndIsr): void {
  const i = d.inFlight.findIndex((x) => sameMessage(x, m));
  if (i >= 0) d.inFlight.splice(i, 1);
  d.budget.messageLosses--;
}
