import type { Action } from '../actions.js';
import type { Broker, ClusterState } from '../state.js';
import { SPLIT_CUTS_ZOOKEEPER, has, reachesZk } from '../state.js';
import type { Ctx, D } from './common.js';
import { CUT_CONTROLLER_EPOCHS, cutBy, isChannelHead, sameMessage } from './common.js';
import {
  actingController,
  canDeliver,
  controlledShutdown,
  deliver,
  drop,
  electController,
  electLeader,
  observeBrokers,
  observationChanges,
  offlineCandidates,
  removableFromIsr,
  removeFromIsr,
  restartBroker,
  stopBroker,
  takeBacks,
} from './controller.js';
import { applyBrokerFault, brokerFaultActions, networkFaultActions } from './faults.js';
import { ADMIN_ELECTIONS } from '../actions.js';
import { adminElection, adminElectionCandidates, autoRebalance, rebalanceElections } from './zkElections.js';

/**
 * ZooKeeper mode's actions in canonical order and their effects (`KafkaController` and its ZooKeeper
 * session). The shared partition data plane is listed by the caller (`dataPlaneActions`) between the
 * control plane and the faults, as in KRaft mode (`kraftSteps.ts`).
 */

/**
 * Control-plane actions: the `/controller` election, each acting controller's events (resignation,
 * broker changes, elections, ISR removals, preferred elections), then the heads of the controller →
 * broker request channels (`ControllerChannelManager`).
 */
export function zkControlActions(s: ClusterState, ctx: Ctx, out: Action[]): void {
  const B = ctx.cfg.brokers;
  const P = ctx.cfg.partitions;
  if (s.zk.controller < 0) {
    const atBound = s.zk.controllerEpoch >= ctx.cfg.bounds.controllerEpochs;
    for (let b = 0; b < B; b++) {
      const br = s.brokers[b];
      if (!br || !br.alive || !br.session || !reachesZk(s, b)) continue;
      if (atBound) cutBy(ctx, CUT_CONTROLLER_EPOCHS, null);
      else out.push({ kind: 'elect-controller', broker: b });
    }
  }
  for (let c = 0; c < B; c++) {
    const cc = actingController(s, c);
    if (!cc) continue;
    if (s.zk.controller !== c) out.push({ kind: 'resign-controller', broker: c });
    if (observationChanges(s, ctx, c)) out.push({ kind: 'observe-brokers', controller: c });
    if (ctx.cfg.environment) deferredObservations(s, ctx, c, ctx.cfg.environment.hosts, out);
    for (let p = 0; p < P; p++) {
      for (const leader of offlineCandidates(s, ctx, c, p))
        out.push({ kind: 'elect-leader', controller: c, partition: p, leader });
      for (const b of removableFromIsr(s, ctx, c, p))
        out.push({ kind: 'remove-from-isr', controller: c, partition: p, broker: b });
      for (const election of ADMIN_ELECTIONS)
        for (const leader of adminElectionCandidates(s, ctx, c, p, election))
          out.push({ kind: 'leader-election', controller: c, partition: p, election, leader });
    }
    if (rebalanceElections(s, ctx, c).length) out.push({ kind: 'auto-rebalance', controller: c });
  }
  s.inFlight.forEach((m, i) => {
    if (isChannelHead(s.inFlight, i) && canDeliver(s, m)) out.push({ kind: 'deliver', message: m });
  });
  if (ctx.cfg.environment) {
    otherPartitionRequests(s, ctx, ctx.cfg.environment.hosts, out);
    requestsOffTheWire(s, ctx.cfg.environment.hosts, out);
  }
}

/**
 * A projected cluster's environment (model/projection.ts): the full cluster's controller takes a broker
 * back only once no partition owes work for it (`owesWork`), so while another partition does it may
 * leave out any broker that hosts one. Each nonempty set of such brokers is one `observe-brokers`
 * variant (listed when it still changes the controller's view).
 */
function deferredObservations(s: ClusterState, ctx: Ctx, c: number, hosts: number, out: Action[]): void {
  const deferrable = takeBacks(s, ctx, c) & hosts;
  for (let m = deferrable; m > 0; m = (m - 1) & deferrable)
    if (observationChanges(s, ctx, c, m)) out.push({ kind: 'observe-brokers', controller: c, deferred: m });
}

/**
 * A projected cluster's environment: a dead controller's requests die with its queues except the one
 * each channel has on the wire (`stopBroker`). In the full cluster that one may be about another
 * partition hosted by the same addressee, so the partition's own head request may die too.
 */
function requestsOffTheWire(s: ClusterState, hosts: number, out: Action[]): void {
  for (const m of s.inFlight)
    if (!s.brokers[m.from]?.alive && has(hosts, m.to)) out.push({ kind: 'other-partition-on-wire', message: m });
}

/**
 * A projected cluster's environment (model/projection.ts): a LeaderAndIsr request about another
 * partition reaches a running broker that hosts one, from any controller epoch up to ZooKeeper's, and
 * raises the broker's controller epoch (`ReplicaManager.becomeLeaderOrFollower` records the request's
 * `controllerEpoch` for the whole broker). It over-approximates the requests the other partitions'
 * controllers could have sent. Only replicas of this partition get one: a broker that hosts none reads
 * its controller epoch only to fence requests about other partitions, so the projection does not keep
 * it (`projectState`).
 */
function otherPartitionRequests(s: ClusterState, ctx: Ctx, hosts: number, out: Action[]): void {
  const replicas = ctx.cfg.assignment[0] ?? [];
  s.brokers.forEach((br, b) => {
    if (!br.alive || !has(hosts, b) || !replicas.includes(b)) return;
    for (let e = br.controllerEpochSeen + 1; e <= s.zk.controllerEpoch; e++)
      out.push({ kind: 'other-partition-request', broker: b, controllerEpoch: e });
  });
}

/** Faults, each from its budget: broker crashes and power loss, restarts, session expiry, splits, lost requests. */
export function zkFaultActions(s: ClusterState, ctx: Ctx, out: Action[]): void {
  brokerFaultActions(s, ctx, out, zkRunningBrokerFaults);
  // Nodes are the brokers (and ZooKeeper with `splitZooKeeper`); one side always holds broker 0, so each
  // split is listed once.
  const B = ctx.cfg.brokers;
  if (ctx.cfg.splitZooKeeper) networkFaultActions(s, ctx, B + 1, out, SPLIT_CUTS_ZOOKEEPER);
  else networkFaultActions(s, ctx, B, out);
  if (s.budget.messageLosses > 0) for (const m of s.inFlight) out.push({ kind: 'drop', message: m });
}

/**
 * A running broker's ZooKeeper-mode faults: its session expires or reconnects; a controlled shutdown,
 * the controller's own included (it sends ControlledShutdownRequest to itself).
 */
function zkRunningBrokerFaults(s: ClusterState, _ctx: Ctx, b: number, br: Broker, out: Action[]): void {
  const bud = s.budget;
  // A session expires by a fault (a long GC pause, from the budget) or because a network split cut
  // the broker off ZooKeeper for longer than zookeeper.session.timeout.ms (no budget: the split is the fault).
  if (br.session && (bud.sessionExpiries > 0 || !reachesZk(s, b))) out.push({ kind: 'expire-session', broker: b });
  if (!br.session && reachesZk(s, b)) out.push({ kind: 'reconnect', broker: b });
  if (bud.controlledShutdowns > 0 && br.session && reachesZk(s, b) && s.zk.controller >= 0)
    out.push({ kind: 'controlled-shutdown', broker: b });
}

/**
 * Applies a ZooKeeper-mode control-plane or fault action to the draft `d` of `s`; false when `a` is not
 * one (a data-plane step, applied by the caller).
 */
export function zkMutate(d: D, s: ClusterState, ctx: Ctx, a: Action): boolean {
  switch (a.kind) {
    case 'elect-controller':
      electController(d, ctx, a.broker);
      return true;
    case 'resign-controller': {
      const br = d.brokers[a.broker];
      if (br) br.controller = null;
      return true;
    }
    case 'observe-brokers':
      observeBrokers(d, ctx, a.controller, a.deferred ?? 0);
      return true;
    case 'elect-leader':
      electLeader(d, ctx, a.controller, a.partition, a.leader);
      return true;
    case 'remove-from-isr':
      removeFromIsr(d, ctx, a.controller, a.partition, a.broker);
      return true;
    case 'leader-election':
      adminElection(d, ctx, a.controller, a.partition, a.election, a.leader);
      return true;
    case 'auto-rebalance':
      autoRebalance(d, ctx, a.controller);
      return true;
    case 'controlled-shutdown':
      controlledShutdown(d, ctx, a.broker);
      return true;
    case 'deliver':
      deliver(d, ctx, a.message);
      return true;
    case 'expire-session': {
      if (reachesZk(s, a.broker)) d.budget.sessionExpiries--;
      const br = d.brokers[a.broker];
      if (br) br.session = false;
      d.zk.brokerEpochs[a.broker] = 0;
      if (d.zk.controller === a.broker) d.zk.controller = -1;
      return true;
    }
    case 'reconnect': {
      // `KafkaZkClient.registerBroker` on the new session: a new znode, so a new broker epoch (KIP-380).
      const br = d.brokers[a.broker];
      const epoch = d.zk.nextCzxid++;
      if (br) {
        br.session = true;
        br.epoch = epoch;
      }
      d.zk.brokerEpochs[a.broker] = epoch;
      return true;
    }
    case 'drop':
      drop(d, a.message);
      return true;
    case 'other-partition-on-wire': {
      const i = d.inFlight.findIndex((x) => sameMessage(x, a.message));
      if (i >= 0) d.inFlight.splice(i, 1);
      return true;
    }
    case 'other-partition-request': {
      const br = d.brokers[a.broker];
      if (br) br.controllerEpochSeen = a.controllerEpoch;
      return true;
    }
    default:
      return applyBrokerFault(d, ctx, a, stopBroker, restartBroker);
  }
}
