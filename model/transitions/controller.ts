import type { ClusterState, ControllerContext, LeaderAndIsr, PartitionState, Replica } from '../state.js';
import { NO_LEADER, has, maskOf, members, popcount, reachable } from '../state.js';
import type { ElectionView } from '../election/ElectionRule.js';
import type { ControlPlane, Ctx, D } from './common.js';
import { maybeIncrementHw, replicaOf, sameMessage, sendPartitionState } from './common.js';
import { makeFollower, makeLeader, resetReplicas, stopReplicas } from './replication.js';

/**
 * The ZooKeeper-mode controller (`KafkaController`, `PartitionStateMachine`, `ReplicaStateMachine`).
 *
 * Abstraction: a controller reads partition state fresh from ZooKeeper before each election
 * (`doElectLeaderForPartitions` re-reads it) and writes it back in the same step, so its only stale
 * knowledge is which brokers are live (`ControllerContext.liveBrokers`, updated when it processes a
 * broker-change event) and its own controller epoch.
 */

/** Registered brokers in ZooKeeper, as a bitmask. */
export function registered(s: ClusterState): number {
  let m = 0;
  s.zk.brokerEpochs.forEach((e, b) => {
    if (e > 0) m |= 1 << b;
  });
  return m;
}

/** A broker that believes it is the controller and can reach ZooKeeper. */
export function actingController(s: ClusterState, c: number): ControllerContext | null {
  const b = s.brokers[c];
  return b && b.alive && b.session && b.controller ? b.controller : null;
}

/**
 * The ZooKeeper multi-op of every controller write: with controller-epoch fencing the write carries a
 * check on `/controller_epoch` (KAFKA-6082, `wrapRequestWithControllerEpochCheck`); a stale controller's
 * write fails with ControllerMovedException and it resigns. Returns whether the write may proceed.
 */
function controllerMayWrite(d: D, ctx: Ctx, c: number): boolean {
  const cc = d.brokers[c]?.controller;
  if (!cc) return false;
  if (ctx.cfg.mechanisms.controllerEpochFencing && d.zk.controllerEpoch !== cc.epoch) {
    (d.brokers[c] as { controller: ControllerContext | null }).controller = null; // onControllerResignation
    return false;
  }
  return true;
}

/** Writes a partition's new state to ZooKeeper (version + 1) and records a stale controller's write. */
function writePartition(d: D, c: number, p: number, next: { leader: number; leaderEpoch: number; isr: number }): void {
  const cc = d.brokers[c]?.controller;
  const epoch = cc ? cc.epoch : d.zk.controllerEpoch;
  const cur = d.zk.partitions[p] as PartitionState;
  d.zk.partitions[p] = { ...next, version: cur.version + 1, controllerEpoch: epoch, preferred: cur.preferred };
  if (epoch < d.zk.controllerEpoch) d.ghost.staleControllerWrite = true;
}

/** The election view a controller `c` has of partition `p`. */
export function electionView(
  s: ClusterState,
  ctx: Ctx,
  c: number,
  p: number,
  reason: ElectionView['reason'],
  exclude = -1,
): ElectionView {
  const cc = s.brokers[c]?.controller;
  const assignment = ctx.cfg.assignment[p] as readonly number[];
  const ps = s.zk.partitions[p] as PartitionState;
  const live = cc ? cc.live & ~(exclude >= 0 ? 1 << exclude : 0) : 0;
  return {
    reason,
    partition: p,
    assignment,
    isr: assignment.filter((r) => has(ps.isr, r)),
    live: assignment.filter((r) => has(live, r)),
    currentLeader: ps.leader,
    uncleanEnabled: ctx.cfg.uncleanLeaderElection || !ctx.cfg.mechanisms.isrOnlyElection,
    logEndOffsets: s.brokers.map((b) => b.replicas[p]?.log.length ?? 0),
  };
}

/**
 * Leaders the rule allows for an offline partition, validated: a rule may only return live replicas.
 * Returns [] when the partition needs no election. Throws a user-facing error for a bad rule.
 */
export function offlineCandidates(s: ClusterState, ctx: Ctx, c: number, p: number): readonly number[] {
  const cc = actingController(s, c);
  if (!cc) return [];
  const ps = s.zk.partitions[p] as PartitionState;
  if (ps.leader !== NO_LEADER && has(cc.live, ps.leader)) return [];
  if (ps.leaderEpoch >= ctx.cfg.bounds.leaderEpochs || ps.version >= ctx.cfg.bounds.partitionEpochs) return [];
  const view = electionView(s, ctx, c, p, 'offline');
  const chosen = ctx.rule.eligibleLeaders(view);
  for (const x of chosen)
    if (!view.live.includes(x))
      throw new RuleError(
        `election rule "${ctx.rule.name}" returned broker ${x} for partition ${p}, but the live replicas are [${view.live.join(', ')}] (ISR [${view.isr.join(', ')}]); a rule must return a subset of view.live`,
      );
  const uniq = [...new Set(chosen)].sort((a, b) => a - b);
  if (uniq.length) return uniq;
  // No eligible leader: the partition goes offline (leader -1) unless it already is.
  return ps.leader === NO_LEADER ? [] : [NO_LEADER];
}

/** An election rule misbehaved (a user error, reported without a stack trace). */
export class RuleError extends Error {
  override readonly name = 'RuleError';
}

/** `KafkaController.elect`: create the ephemeral /controller znode and bump the controller epoch. */
export function electController(d: D, ctx: Ctx, b: number): void {
  const epoch = d.zk.controllerEpoch + 1;
  d.zk.controller = b;
  d.zk.controllerEpoch = epoch;
  const live = registeredDraft(d);
  const broker = d.brokers[b];
  if (!broker) return;
  broker.controller = { epoch, live, brokerEpochs: [...d.zk.brokerEpochs] };
  // onControllerFailover → replicaStateMachine.startup(): LeaderAndIsr to every live replica.
  for (let p = 0; p < ctx.cfg.partitions; p++) sendPartitionState(d, ctx, b, epoch, live, p);
}

function registeredDraft(d: D): number {
  let m = 0;
  d.zk.brokerEpochs.forEach((e, b) => {
    if (e > 0) m |= 1 << b;
  });
  return m;
}

/**
 * `KafkaController.processBrokerChange`: compare the registered brokers (and their epochs, KIP-380)
 * with the cached live set. Dead brokers leave the live set; a bounced broker (new epoch) is first
 * treated as failed and is added back by the next observation; a new broker joins and receives
 * LeaderAndIsr for its partitions (`onBrokerStartup`).
 */
export function observeBrokers(d: D, ctx: Ctx, c: number): void {
  const cc = d.brokers[c]?.controller;
  if (!cc) return;
  for (let b = 0; b < ctx.cfg.brokers; b++) {
    const zkEpoch = d.zk.brokerEpochs[b] as number;
    const isLive = has(cc.live, b);
    if (zkEpoch === 0) {
      if (isLive) cc.live &= ~(1 << b);
      cc.brokerEpochs[b] = 0;
    } else if (isLive && cc.brokerEpochs[b] !== zkEpoch) {
      cc.live &= ~(1 << b); // bounced: onBrokerFailure first
      cc.brokerEpochs[b] = zkEpoch;
    } else if (!isLive && cc.brokerEpochs[b] === zkEpoch) {
      if (electionOwed(d as unknown as ClusterState, ctx, c, b)) continue;
      cc.live |= 1 << b;
      for (let p = 0; p < ctx.cfg.partitions; p++)
        if ((ctx.cfg.assignment[p] as readonly number[]).includes(b))
          sendPartitionState(d, ctx, c, cc.epoch, 1 << b, p);
    } else if (!isLive) {
      cc.brokerEpochs[b] = zkEpoch;
    }
  }
}

/**
 * Whether controller c still owes the election of a partition whose leader b it saw fail. Kafka handles
 * a broker change as one controller event: `KafkaController.processBrokerChange` → `onBrokerFailure`
 * elects new leaders for the partitions b led (`onReplicasBecomeOffline`) before a later event — b's
 * startup, or the second half of a bounce (KIP-380: failure, then startup, in one event) — is
 * processed. The model takes elections as separate steps, so c takes b back only once they are done;
 * otherwise b, restarted with a log that may have lost its unflushed tail, would lead again in the
 * same leader epoch.
 */
export function electionOwed(s: ClusterState, ctx: Ctx, c: number, b: number): boolean {
  if (has(s.brokers[c]?.controller?.live ?? 0, b)) return false;
  // A partition still led by b in ZooKeeper has not been re-elected. When a bound forbids the election,
  // the behaviour ends here for b: Kafka would have elected, and the model cannot.
  for (let p = 0; p < ctx.cfg.partitions; p++) if (s.zk.partitions[p]?.leader === b) return true;
  return false;
}

/** Whether `observeBrokers(c)` would change controller c's view (the action is listed only then). */
export function observationChanges(s: ClusterState, ctx: Ctx, c: number): boolean {
  const cc = s.brokers[c]?.controller;
  if (!cc) return false;
  for (let b = 0; b < ctx.cfg.brokers; b++) {
    const zkEpoch = s.zk.brokerEpochs[b] as number;
    const isLive = has(cc.live, b);
    if (zkEpoch === 0) {
      if (isLive || cc.brokerEpochs[b] !== 0) return true;
    } else if (cc.brokerEpochs[b] !== zkEpoch) {
      return true;
    } else if (!isLive && !electionOwed(s, ctx, c, b)) {
      return true;
    }
  }
  return false;
}

/**
 * Offline election (`onReplicasBecomeOffline` → `offlinePartitionLeaderElection`): the new leader's ISR
 * is the live ISR, or just the leader after an unclean choice (the last ISR member is kept when none is
 * live: KAFKA-5083). Bumps the leader epoch and sends LeaderAndIsr to live replicas.
 */
export function electLeader(d: D, ctx: Ctx, c: number, p: number, leader: number): void {
  if (!controllerMayWrite(d, ctx, c)) return;
  const cc = d.brokers[c]?.controller as ControllerContext;
  const ps = d.zk.partitions[p] as PartitionState;
  let isr: number;
  if (leader === NO_LEADER) {
    isr = ps.isr & cc.live;
    if (isr === 0) isr = lastIsrMember(ctx, p, ps.isr);
  } else if (has(ps.isr, leader)) {
    isr = ps.isr & cc.live;
  } else {
    isr = 1 << leader;
    d.ghost.uncleanElection = true;
  }
  writePartition(d, c, p, { leader, leaderEpoch: ps.leaderEpoch + 1, isr });
  sendPartitionState(d, ctx, c, cc.epoch, cc.live, p);
}

/** When every ISR member is gone, ZooKeeper keeps the last one (the ISR never becomes empty). */
function lastIsrMember(ctx: Ctx, p: number, isr: number): number {
  const inOrder = (ctx.cfg.assignment[p] as readonly number[]).filter((r) => has(isr, r));
  const last = inOrder[inOrder.length - 1];
  return last === undefined ? 0 : 1 << last;
}

/** `ReplicaStateMachine.doRemoveReplicasFromIsr` for a dead follower: leader epoch + 1. */
export function removeFromIsr(d: D, ctx: Ctx, c: number, p: number, b: number): void {
  if (!controllerMayWrite(d, ctx, c)) return;
  const cc = d.brokers[c]?.controller as ControllerContext;
  const ps = d.zk.partitions[p] as PartitionState;
  writePartition(d, c, p, { leader: ps.leader, leaderEpoch: ps.leaderEpoch + 1, isr: ps.isr & ~(1 << b) });
  sendPartitionState(d, ctx, c, cc.epoch, cc.live, p);
}

/** Dead followers the controller `c` would remove from p's ISR. */
export function removableFromIsr(s: ClusterState, ctx: Ctx, c: number, p: number): number[] {
  const cc = actingController(s, c);
  if (!cc) return [];
  const ps = s.zk.partitions[p] as PartitionState;
  if (
    ps.leader === NO_LEADER ||
    !has(cc.live, ps.leader) ||
    ps.leaderEpoch >= ctx.cfg.bounds.leaderEpochs ||
    ps.version >= ctx.cfg.bounds.partitionEpochs
  )
    return [];
  if (popcount(ps.isr) <= 1) return [];
  return members(ps.isr & ~cc.live, ctx.cfg.brokers);
}

/** `preferredReplicaPartitionLeaderElection`, triggered by an admin (kafka-leader-election.sh). */
export function preferredElection(d: D, ctx: Ctx, c: number, p: number): void {
  d.budget.preferredElections--;
  if (!controllerMayWrite(d, ctx, c)) return;
  const cc = d.brokers[c]?.controller as ControllerContext;
  const ps = d.zk.partitions[p] as PartitionState;
  const head = (ctx.cfg.assignment[p] as readonly number[])[0] as number;
  writePartition(d, c, p, { leader: head, leaderEpoch: ps.leaderEpoch + 1, isr: ps.isr });
  sendPartitionState(d, ctx, c, cc.epoch, cc.live, p);
}

/** Whether a preferred election would change p's leader. */
export function canPreferredElect(s: ClusterState, ctx: Ctx, c: number, p: number): boolean {
  const cc = actingController(s, c);
  if (!cc || s.budget.preferredElections <= 0) return false;
  const ps = s.zk.partitions[p] as PartitionState;
  if (ps.leaderEpoch >= ctx.cfg.bounds.leaderEpochs || ps.version >= ctx.cfg.bounds.partitionEpochs) return false;
  const head = (ctx.cfg.assignment[p] as readonly number[])[0] as number;
  return ps.leader !== head && has(cc.live, head) && has(ps.isr, head);
}

/**
 * Controlled shutdown (`KafkaController.doControlledShutdown`): the controller moves leadership away
 * from broker b (`controlledShutdownPartitionLeaderElection`) and removes it from ISRs, then b stops
 * cleanly (its log is flushed).
 */
export function controlledShutdown(d: D, ctx: Ctx, b: number): void {
  d.budget.controlledShutdowns--;
  const c = d.zk.controller;
  const cc = d.brokers[c]?.controller;
  if (cc && controllerMayWrite(d, ctx, c)) {
    cc.live &= ~(1 << b);
    for (let p = 0; p < ctx.cfg.partitions; p++) {
      const assignment = ctx.cfg.assignment[p] as readonly number[];
      if (!assignment.includes(b)) continue;
      const ps = d.zk.partitions[p] as PartitionState;
      if (ps.leaderEpoch >= ctx.cfg.bounds.leaderEpochs || ps.version >= ctx.cfg.bounds.partitionEpochs) continue;
      if (ps.leader === b) {
        const next = assignment.find((r) => r !== b && has(cc.live, r) && has(ps.isr, r));
        if (next === undefined) continue; // the election fails; b keeps leading until it stops
        writePartition(d, c, p, { leader: next, leaderEpoch: ps.leaderEpoch + 1, isr: ps.isr & ~(1 << b) });
        sendPartitionState(d, ctx, c, cc.epoch, cc.live, p);
      } else if (has(ps.isr, b) && popcount(ps.isr) > 1) {
        writePartition(d, c, p, { leader: ps.leader, leaderEpoch: ps.leaderEpoch + 1, isr: ps.isr & ~(1 << b) });
        sendPartitionState(d, ctx, c, cc.epoch, cc.live, p);
      }
    }
  }
  stopBroker(d, ctx, b, 'clean');
}

/** Takes broker b down: process state is lost; the log survives (`unclean`: only its flushed prefix). */
export function stopBroker(d: D, ctx: Ctx, b: number, how: 'clean' | 'crash' | 'unclean'): void {
  const br = d.brokers[b];
  if (!br) return;
  br.alive = false;
  br.session = false;
  br.controller = null;
  d.zk.brokerEpochs[b] = 0;
  if (d.zk.controller === b) d.zk.controller = NO_LEADER;
  stopReplicas(d, ctx, b, how);
  d.inFlight = d.inFlight.filter((m) => m.to !== b);
}

/** Restart with log recovery: a fresh process that knows no roles, registered with a new broker epoch. */
export function restartBroker(d: D, ctx: Ctx, b: number): void {
  const br = d.brokers[b];
  if (!br) return;
  br.alive = true;
  br.session = true;
  br.controllerEpochSeen = 0;
  d.zk.brokerEpochs[b] = d.zk.nextCzxid++;
  resetReplicas(d, ctx, b);
}

/** The controller a leader's AlterPartition reaches, or -1. */
function alterPartitionTarget(s: ClusterState, L: number): number {
  const c = s.zk.controller;
  const cb = s.brokers[c];
  if (c < 0 || !cb || !cb.alive || !cb.controller || !reachable(s, L, c)) return -1;
  return c;
}

/**
 * ZooKeeper mode's side of AlterPartition (KIP-497, `KafkaController.processAlterPartition`): the
 * request, the controller's conditional ZooKeeper write and the response are one step.
 */
export const zkControlPlane: ControlPlane = {
  /**
   * With the zkVersion check the request's leader epoch and partition epoch must match ZooKeeper
   * (FENCED_LEADER_EPOCH / INVALID_UPDATE_VERSION), and every new member must be live (KIP-841).
   */
  acceptsAlterPartition(s, ctx, L, p, newIsr) {
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
  },
  alterPartition(d, ctx, L, p, newIsr) {
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
  },
  fetchBrokerEpoch: () => -1,
  delayedFetches: false,
};

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

/** A LeaderAndIsr request is lost in flight. */
export function drop(d: D, m: LeaderAndIsr): void {
  const i = d.inFlight.findIndex((x) => sameMessage(x, m));
  if (i >= 0) d.inFlight.splice(i, 1);
  d.budget.messageLosses--;
}

export { maskOf, reachable };
