import type { ClusterState, ControllerContext, LeaderAndIsr, PartitionState, Replica } from '../state.js';
import { NO_LEADER, ROLE_FOLLOWER, has, maskOf, members, popcount, reachable, reachesZk } from '../state.js';
import type { ElectionView } from '../election/ElectionRule.js';
import type { ControlPlane, Ctx, D } from './common.js';
import { RuleError, allowedLeaders, buildElectionView } from './electionView.js';
import {
  CUT_PARTITION_EPOCHS,
  cutBy,
  epochCut,
  isChannelHead,
  maybeIncrementHw,
  replicaOf,
  sameMessage,
  sendPartitionState,
} from './common.js';
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

/**
 * A broker that believes it is the controller and can use ZooKeeper: its session is alive and ZooKeeper
 * is on its side of any network split (cut off, its reads and writes fail until the session expires).
 */
export function actingController(s: ClusterState, c: number): ControllerContext | null {
  const b = s.brokers[c];
  return b && b.alive && b.session && b.controller && reachesZk(s, c) ? b.controller : null;
}

/**
 * The ZooKeeper multi-op of every controller write: with controller-epoch fencing the write carries a
 * check on `/controller_epoch` (KAFKA-6082, `wrapRequestWithControllerEpochCheck`); a stale controller's
 * write fails with ControllerMovedException and it resigns. Returns whether the write may proceed.
 */
export function controllerMayWrite(d: D, ctx: Ctx, c: number): boolean {
  const cc = d.brokers[c]?.controller;
  if (!cc) return false;
  if (ctx.cfg.mechanisms.controllerEpochFencing && d.zk.controllerEpoch !== cc.epoch) {
    (d.brokers[c] as { controller: ControllerContext | null }).controller = null; // onControllerResignation
    return false;
  }
  return true;
}

/** Writes a partition's new state to ZooKeeper (version + 1) and records a stale controller's write. */
export function writePartition(
  d: D,
  c: number,
  p: number,
  next: { leader: number; leaderEpoch: number; isr: number },
): void {
  const cc = d.brokers[c]?.controller;
  const epoch = cc ? cc.epoch : d.zk.controllerEpoch;
  const cur = d.zk.partitions[p] as PartitionState;
  d.zk.partitions[p] = { ...next, version: cur.version + 1, controllerEpoch: epoch, preferred: cur.preferred };
  if (epoch < d.zk.controllerEpoch) d.ghost.staleControllerWrite = true;
}

/**
 * The election view controller `c` has of partition `p`: the partition state it reads from ZooKeeper
 * and its own live set (`ControllerContext.liveBrokerIds`, without `exclude`, a broker shutting down).
 */
export function electionView(
  s: ClusterState,
  ctx: Ctx,
  c: number,
  p: number,
  reason: ElectionView['reason'],
  exclude = -1,
): ElectionView {
  const cc = s.brokers[c]?.controller;
  const ps = s.zk.partitions[p] as PartitionState;
  const unclean = ctx.cfg.uncleanLeaderElection || !ctx.cfg.mechanisms.isrOnlyElection;
  return buildElectionView(s, ctx, {
    reason,
    partition: p,
    isr: ps.isr,
    live: cc ? cc.live & ~(exclude >= 0 ? 1 << exclude : 0) : 0,
    currentLeader: ps.leader,
    uncleanEnabled: reason === 'unclean' || unclean,
    controllerNode: c,
  });
}

/**
 * Leaders the rule allows for an offline partition (`reason` 'offline'; 'unclean' for an admin's
 * UNCLEAN election), validated: a rule may only return live replicas. Returns [] when the partition
 * needs no election. Throws a user-facing error for a bad rule.
 */
export function offlineCandidates(
  s: ClusterState,
  ctx: Ctx,
  c: number,
  p: number,
  reason: 'offline' | 'unclean' = 'offline',
): readonly number[] {
  const cc = actingController(s, c);
  if (!cc) return [];
  const ps = s.zk.partitions[p] as PartitionState;
  if (ps.leader !== NO_LEADER && has(cc.live, ps.leader)) return [];
  const bound = epochCut(ctx, ps.leaderEpoch, ps.version); // tested last: an election it blocks is a cut
  const uniq = allowedLeaders(ctx, electionView(s, ctx, c, p, reason));
  // No eligible leader: the partition goes offline (leader -1) unless it already is.
  const out = uniq.length ? uniq : ps.leader === NO_LEADER ? [] : [NO_LEADER];
  return bound && out.length ? cutBy(ctx, bound, []) : out;
}

export { RuleError };

/** `KafkaController.elect`: create the ephemeral /controller znode and bump the controller epoch. */
export function electController(d: D, ctx: Ctx, b: number): void {
  const epoch = d.zk.controllerEpoch + 1;
  d.zk.controller = b;
  d.zk.controllerEpoch = epoch;
  const live = registeredDraft(d);
  const broker = d.brokers[b];
  if (!broker) return;
  // KAFKA-3143 (2.3+): `ReplicaStateMachine.startup` moves replicas on dead brokers to OfflineReplica,
  // which takes them out of the ISR; before, they stay there.
  const all = (1 << ctx.cfg.brokers) - 1;
  const offline = ctx.cfg.mechanisms.offlineReplicasOnFailover ? all & ~live : 0;
  const cc = { epoch, live, brokerEpochs: [...d.zk.brokerEpochs], offline };
  broker.controller = cc;
  // onControllerFailover → replicaStateMachine.startup(): LeaderAndIsr to every live replica.
  for (let p = 0; p < ctx.cfg.partitions; p++) sendPartitionState(d, ctx, b, cc, live, p);
}

function registeredDraft(d: D): number {
  let m = 0;
  d.zk.brokerEpochs.forEach((e, b) => {
    if (e > 0) m |= 1 << b;
  });
  return m;
}

/**
 * `KafkaController.processBrokerChange`: compare the registered brokers (with KIP-380 also their
 * epochs) with the cached live set. A dead broker, or a bounced one (registered again with a new
 * epoch), is handled by `onBrokerFailure`: it leaves the live set, its request queue is dropped
 * (`ControllerChannelManager.removeBroker`), and the controller owes the election of the partitions it
 * led and its removal from the other ISRs. A registered broker outside the live set is taken in by
 * `onBrokerStartup` (LeaderAndIsr for its partitions) once that work is done: the model takes the
 * elections and ISR removals as separate steps, but Kafka does them inside the one event.
 */
export function observeBrokers(d: D, ctx: Ctx, c: number, deferred = 0): void {
  const cc = d.brokers[c]?.controller;
  if (!cc) return;
  for (let b = 0; b < ctx.cfg.brokers; b++) {
    const zkEpoch = d.zk.brokerEpochs[b] as number;
    if (has(cc.live, b)) {
      if (zkEpoch === 0) {
        brokerFailed(d, cc, c, b);
        cc.brokerEpochs[b] = 0;
      } else if (isBounce(ctx, cc, b, zkEpoch)) {
        brokerFailed(d, cc, c, b);
        cc.brokerEpochs[b] = zkEpoch;
      }
    } else if (zkEpoch !== 0 && !has(deferred, b) && !owesWork(d as unknown as ClusterState, ctx, c, b)) {
      cc.live |= 1 << b;
      cc.brokerEpochs[b] = zkEpoch;
      cc.offline &= ~(1 << b);
      for (let p = 0; p < ctx.cfg.partitions; p++)
        if ((ctx.cfg.assignment[p] as readonly number[]).includes(b)) sendPartitionState(d, ctx, c, cc, 1 << b, p);
    }
  }
}

/** A live broker registered again under a new epoch: only a controller with KIP-380 can tell. */
function isBounce(ctx: Ctx, cc: ControllerContext, b: number, zkEpoch: number): boolean {
  return ctx.cfg.mechanisms.brokerEpochCheck && cc.brokerEpochs[b] !== zkEpoch;
}

/** `onBrokerFailure` for controller c: b leaves the live set, its queued requests are dropped. */
function brokerFailed(d: D, cc: ControllerContext & { live: number; offline: number }, c: number, b: number): void {
  cc.live &= ~(1 << b);
  cc.offline |= 1 << b;
  d.inFlight = d.inFlight.filter((m) => m.from !== c || m.to !== b);
}

/**
 * Whether controller c still owes work for broker b, which it saw fail: the election of a partition b
 * led (a partition still led by b in ZooKeeper has not been re-elected), or b's removal from an ISR.
 * When a bound forbids that work, the behaviour ends here for b: Kafka would have done it, and the
 * model cannot (the liveness properties count such a state as cut by the bound).
 */
export function owesWork(s: ClusterState, ctx: Ctx, c: number, b: number): boolean {
  const cc = s.brokers[c]?.controller;
  if (!cc || has(cc.live, b)) return false;
  for (let p = 0; p < ctx.cfg.partitions; p++) {
    const ps = s.zk.partitions[p] as PartitionState;
    if (ps.leader === b) return true;
    if (has(cc.offline, b) && removalApplies(ps, b)) return true;
  }
  return false;
}

/**
 * The registered brokers controller c would take back now (outside its live set, owing no work): a
 * bitmask. A projected cluster may defer some of them (see `observeBrokers`).
 */
export function takeBacks(s: ClusterState, ctx: Ctx, c: number): number {
  const cc = s.brokers[c]?.controller;
  let m = 0;
  if (cc)
    for (let b = 0; b < ctx.cfg.brokers; b++)
      if (!has(cc.live, b) && s.zk.brokerEpochs[b] !== 0 && !owesWork(s, ctx, c, b)) m |= 1 << b;
  return m;
}

/** Whether controller c's next `observeBrokers` would change its view (the action is listed only then). */
export function observationChanges(s: ClusterState, ctx: Ctx, c: number, deferred = 0): boolean {
  const cc = s.brokers[c]?.controller;
  if (!cc) return false;
  for (let b = 0; b < ctx.cfg.brokers; b++) {
    const zkEpoch = s.zk.brokerEpochs[b] as number;
    if (has(cc.live, b)) {
      if (zkEpoch === 0 || isBounce(ctx, cc, b, zkEpoch)) return true;
    } else if (zkEpoch !== 0 && !has(deferred, b) && !owesWork(s, ctx, c, b)) {
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
  sendPartitionState(d, ctx, c, cc, cc.live, p);
}

/** When every ISR member is gone, ZooKeeper keeps the last one (the ISR never becomes empty). */
function lastIsrMember(ctx: Ctx, p: number, isr: number): number {
  const inOrder = (ctx.cfg.assignment[p] as readonly number[]).filter((r) => has(isr, r));
  const last = inOrder[inOrder.length - 1];
  return last === undefined ? 0 : 1 << last;
}

/**
 * `ReplicaStateMachine` → `OfflineReplica` → `doRemoveReplicasFromIsr` for broker b, which controller c
 * saw fail: b leaves the ISR (the leader stays; leader epoch + 1) and the other live replicas learn it.
 */
export function removeFromIsr(d: D, ctx: Ctx, c: number, p: number, b: number): void {
  if (!controllerMayWrite(d, ctx, c)) return;
  const cc = d.brokers[c]?.controller as ControllerContext;
  const ps = d.zk.partitions[p] as PartitionState;
  writePartition(d, c, p, { leader: ps.leader, leaderEpoch: ps.leaderEpoch + 1, isr: ps.isr & ~(1 << b) });
  sendPartitionState(d, ctx, c, cc, cc.live & ~(1 << b), p);
}

/**
 * Whether b's removal from p's ISR is still to do. Kafka elects a new leader for the partitions b led
 * before it moves b's replicas offline (`onReplicasBecomeOffline`), so a partition b still leads waits
 * for its election (which drops b from the ISR); and a removal that would leave the ISR empty keeps it
 * (`doRemoveReplicasFromIsr` keeps a one-member ISR: the write would only bump the leader epoch, so the
 * model does not take it).
 */
export function removalApplies(ps: PartitionState, b: number): boolean {
  return has(ps.isr, b) && ps.leader !== b && popcount(ps.isr) > 1;
}

/** Brokers controller c owes to take out of p's ISR (it processed their failure), within the bounds. */
export function removableFromIsr(s: ClusterState, ctx: Ctx, c: number, p: number): number[] {
  const cc = actingController(s, c);
  if (!cc || cc.offline === 0) return [];
  const ps = s.zk.partitions[p] as PartitionState;
  const out = members(cc.offline & ~cc.live, ctx.cfg.brokers).filter((b) => removalApplies(ps, b));
  const bound = epochCut(ctx, ps.leaderEpoch, ps.version);
  return bound && out.length ? cutBy(ctx, bound, []) : out;
}

/**
 * Controlled shutdown (`KafkaController.doControlledShutdown`): broker b asks the controller
 * (`KafkaServer.controlledShutdown` sends ControlledShutdownRequest to whichever broker its metadata
 * names controller, itself included), which marks b shutting down (`shuttingDownBrokerIds`: out of the
 * live set), elects a new leader for each partition b leads
 * (`ControlledShutdownPartitionLeaderElectionStrategy`, asking the rule with reason
 * 'controlled-shutdown' and taking its first answer) and removes b from the other ISRs
 * (`OfflineReplica`); then b stops cleanly (its log is flushed). When b is the controller it does this
 * for itself, and stopping ends its session: the /controller znode goes and another broker takes over
 * (`KafkaServer.shutdown` → `KafkaController.shutdown` → `onControllerResignation`).
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
        const view = electionView(d as unknown as ClusterState, ctx, c, p, 'controlled-shutdown', b);
        const next = allowedLeaders(ctx, view)[0];
        if (next === undefined) continue; // the election fails; b keeps leading until it stops
        const isr = has(ps.isr, next) ? ps.isr & ~(1 << b) : 1 << next;
        if (!has(ps.isr, next)) d.ghost.uncleanElection = true;
        writePartition(d, c, p, { leader: next, leaderEpoch: ps.leaderEpoch + 1, isr });
        sendPartitionState(d, ctx, c, cc, cc.live, p);
      } else if (has(ps.isr, b) && popcount(ps.isr) > 1) {
        writePartition(d, c, p, { leader: ps.leader, leaderEpoch: ps.leaderEpoch + 1, isr: ps.isr & ~(1 << b) });
        sendPartitionState(d, ctx, c, cc, cc.live, p);
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
  // Requests to b stay queued: the controller's `RequestSendThread` retries a request until it gets a
  // response, reconnecting to the same address, so a restarted b receives them unless the controller
  // processed b's failure first (`removeBroker` drops the queue) or KIP-380 fences them. Requests b sent
  // as a controller die with its queues, except the one each channel may have on the wire to another
  // broker (`RequestSendThread` sends one request at a time).
  d.inFlight = d.inFlight.filter((m, i, all) => m.from !== b || (m.to !== b && isChannelHead(all, i)));
}

/** Restart with log recovery: a fresh process that knows no roles, registered with a new broker epoch. */
export function restartBroker(d: D, ctx: Ctx, b: number): void {
  const br = d.brokers[b];
  if (!br) return;
  br.alive = true;
  br.session = true;
  br.controllerEpochSeen = 0;
  br.epoch = d.zk.nextCzxid++;
  d.zk.brokerEpochs[b] = br.epoch;
  resetReplicas(d, ctx, b);
}

/** The controller a leader's AlterPartition reaches, or -1. */
function alterPartitionTarget(s: ClusterState, L: number): number {
  const c = s.zk.controller;
  const cb = s.brokers[c];
  if (c < 0 || !cb || !cb.alive || !cb.controller || !reachable(s, L, c) || !reachesZk(s, c)) return -1;
  return c;
}

/**
 * How the controller leader L's AlterPartition reaches answers it (`KafkaController.tryProcessAlterPartition`):
 * `none` when it reaches no controller, or one that fences it (with the zkVersion check the request's
 * leader epoch and partition epoch must match ZooKeeper: FENCED_LEADER_EPOCH / INVALID_UPDATE_VERSION,
 * after which the leader waits for a LeaderAndIsr), `ineligible` when a new member is not live for the
 * controller (KIP-841's INELIGIBLE_REPLICA), else `accept`. Pure, but notes the partition-epoch bound.
 */
function zkAnswer(s: ClusterState, ctx: Ctx, L: number, p: number, newIsr: number): 'none' | 'ineligible' | 'accept' {
  const c = alterPartitionTarget(s, L);
  if (c < 0) return 'none';
  const lr = s.brokers[L]?.replicas[p] as Replica;
  const ps = s.zk.partitions[p] as PartitionState;
  if (ctx.cfg.mechanisms.zkVersionCheck && (lr.leaderEpoch !== ps.leaderEpoch || lr.zkVersion !== ps.version))
    return 'none';
  const live = s.brokers[c]?.controller?.live ?? 0;
  if ((newIsr & ~lr.isr & ~live) !== 0) return 'ineligible';
  return ps.version >= ctx.cfg.bounds.partitionEpochs ? cutBy(ctx, CUT_PARTITION_EPOCHS, 'none') : 'accept';
}

/**
 * ZooKeeper mode's side of AlterPartition (KIP-497, `KafkaController.processAlterPartition`). A fetch
 * that catches a follower up puts its leader in `PendingExpandIsr` and queues the request
 * (`Partition.prepareIsrExpand`, `queuesAlterPartition`); the request reaching the controller, the
 * controller's conditional ZooKeeper write and the response are then one step. An ISR shrink
 * (`Partition.maybeShrinkIsr`, run by the periodic `isr-expiration` task) is one step too, taken when a
 * controller would accept it: its pending state keeps the current ISR as the maximal ISR, so it only
 * holds back other ISR changes, and a shrink the task has not started yet is always a state Kafka has.
 */
export const zkControlPlane: ControlPlane = {
  acceptsAlterPartition(s, ctx, L, p, newIsr) {
    return zkAnswer(s, ctx, L, p, newIsr) === 'accept';
  },
  rejectsAlterPartition(s, ctx, L, p, newIsr) {
    return zkAnswer(s, ctx, L, p, newIsr) === 'ineligible';
  },
  queuesAlterPartition: (ctx) => ctx.cfg.mechanisms.asyncAlterPartition,
  /**
   * The leader's metadata cache is what the controller's UpdateMetadata told it; the model reads it as
   * the active controller's view of live brokers (the request's delay is not modelled), and, while no
   * controller is active, as the last one's: any broker, since none can answer a proposal then anyway.
   */
  isrEligible(s, _L, f) {
    const cc = s.brokers[s.zk.controller]?.controller;
    return !cc || (cc.live & (1 << f)) !== 0;
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
    lr.pendingIsr = 0;
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
 * A LeaderAndIsr request reaches its broker (`KafkaApis.handleLeaderAndIsrRequest` →
 * `ReplicaManager.becomeLeaderOrFollower`):
 * 1. with KIP-380, a request meant for an earlier incarnation of the broker is rejected
 *    (`isBrokerEpochStale`: STALE_BROKER_EPOCH);
 * 2. with controller fencing, a request from an older controller epoch is rejected
 *    (STALE_CONTROLLER_EPOCH);
 * 3. with leader-epoch fencing, a partition state whose leader epoch is not newer is ignored;
 * 4. the broker becomes leader (`makeLeaders`), or follower (`makeFollowers`) — but only of a leader its
 *    metadata cache knows alive: a request naming a dead leader, or none, leaves the partition as it was.
 */
export function deliver(d: D, ctx: Ctx, m: LeaderAndIsr): void {
  const i = d.inFlight.findIndex((x) => sameMessage(x, m));
  if (i >= 0) d.inFlight.splice(i, 1);
  const b = d.brokers[m.to];
  if (!b) return;
  if (ctx.cfg.mechanisms.brokerEpochCheck && m.brokerEpoch > 0 && m.brokerEpoch < b.epoch) return; // STALE_BROKER_EPOCH
  if (ctx.cfg.mechanisms.controllerEpochFencing && m.controllerEpoch < b.controllerEpochSeen) return; // STALE_CONTROLLER_EPOCH
  if (m.controllerEpoch > b.controllerEpochSeen) b.controllerEpochSeen = m.controllerEpoch;
  const r = replicaOf(d, m.to, m.partition);
  if (ctx.cfg.mechanisms.leaderEpochFencing && m.leaderEpoch <= r.leaderEpoch) return;
  if (m.leader === m.to) return void makeLeader(d, ctx, m.to, m.partition, m.leaderEpoch, m.isr, m.version);
  if (!m.leaderLive) return; // "cannot become follower since the new leader is unavailable"
  // `Partition.makeFollower` reports a change only for a new leader (Kafka ≤ 2.0) or also for a new
  // leader epoch (KAFKA-7164, 2.1+); without a change the follower keeps its log and its fetcher.
  const sameLeader = r.leader === m.leader && r.role === ROLE_FOLLOWER;
  if (sameLeader && (!ctx.cfg.mechanisms.truncateOnEveryLeaderEpoch || m.leaderEpoch === r.leaderEpoch)) {
    r.leaderEpoch = m.leaderEpoch;
    r.isr = m.isr;
    r.zkVersion = m.version;
    return;
  }
  makeFollower(d, ctx, m.to, m.partition, m.leader, m.leaderEpoch, m.isr, m.version);
}

/** A LeaderAndIsr request is lost in flight. */
export function drop(d: D, m: LeaderAndIsr): void {
  const i = d.inFlight.findIndex((x) => sameMessage(x, m));
  if (i >= 0) d.inFlight.splice(i, 1);
  d.budget.messageLosses--;
}

export { maskOf, reachable };
