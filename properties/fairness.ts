import type { Fairness, LivenessOptions } from '../checker/index.js';
import type { ClusterState, ModelConfig } from '../model/index.js';
import { VOTER_LEADER, controllerRecordCount, removalApplies } from '../model/index.js';
import { hasWorkingController } from './clusterView.js';

/**
 * The fairness the Kafka liveness properties assume: weak fairness on every family of actions the
 * cluster takes by itself — the controller (controller election, resignation, broker-change
 * processing), offline elections and ISR removals, LeaderAndIsr delivery, follower fetches and
 * leader-driven ISR changes. A family continuously enabled from some point on is eventually taken.
 *
 * Not fair: faults (`crash`, `session`, `network`, `loss`, `admin`: crashes and unclean shutdowns,
 * session expiry and reconnection, partition and heal, message loss, controlled shutdown and preferred
 * elections), `restart` (a crashed broker may stay down forever: Kafka promises nothing about a
 * partition whose replicas never come back) and `produce` (clients may stop writing).
 */
export const KAFKA_FAIRNESS: Fairness = {
  weak: ['controller', 'election', 'delivery', 'fetch', 'isr'],
  strong: [],
};

/**
 * How the Kafka liveness properties are meant to be decided: with TLA+'s own stuttering
 * (`stutter: 'always'`), so a behaviour may stop in any state where no fair family is enabled — a
 * crashed broker need not restart, a split network need not heal.
 *
 * Why it matters: the model's reachable state graph is acyclic (every step consumes a budget or bound,
 * or moves a monotone counter), so there are no fair cycles to find and a liveness counterexample is
 * always a behaviour that stops in a state where the goal is false. With `stutter: 'deadlock'` the only
 * such states are those without any successor; then every enabled unfair action (restart, heal,
 * reconnect, the rest of the fault budget) is eventually forced, and e.g. an offline partition whose
 * ISR members are down counts as recovering because they must restart.
 */
export const KAFKA_LIVENESS_OPTIONS: LivenessOptions = { stutter: 'always' };

/**
 * Whether the fault budget is spent: no crash, unclean shutdown, network partition, message loss,
 * session expiry, controlled shutdown or preferred election can happen any more.
 *
 * The liveness properties are leads-to properties whose premise includes this: "once faults stop …".
 * Without it, a fault right after the premise (say, a crash of the only eligible replica) would be a
 * trivial counterexample, since recovery is not fair. The budget is the only way a state can say
 * "no more faults": behaviours that stop short of spending it are not examined, so use budgets you mean
 * to spend (a `faults-stop` action in the model would lift this; see the report).
 */
export function faultsOver(s: ClusterState): boolean {
  const b = s.budget;
  return (
    b.crashes === 0 &&
    b.uncleanShutdowns === 0 &&
    b.networkPartitions === 0 &&
    b.messageLosses === 0 &&
    b.sessionExpiries === 0 &&
    b.controlledShutdowns === 0 &&
    b.preferredElections === 0 &&
    b.uncleanElections === 0
  );
}

/** Whether a controller can still be elected when none is in charge (the controller-epoch bound). */
export function controllerElectable(s: ClusterState, cfg: ModelConfig): boolean {
  // KRaft: an election must move past the newest epoch a running voter has seen (such a voter votes only
  // in a newer epoch, and a pre-vote from an older one is refused), so the bound blocks a new controller
  // once that epoch is the last the bound allows.
  if (s.kraft) {
    const alive = s.kraft.voters.filter((x) => x.alive);
    return alive.length > 0 && Math.max(...alive.map((x) => x.epoch)) < cfg.bounds.raftEpochs;
  }
  return s.zk.controllerEpoch < cfg.bounds.controllerEpochs;
}

/**
 * Whether the controller-epoch bound has cut the behaviour: no controller is in charge and the bound
 * forbids electing one, so nothing that needs a controller (elections, LeaderAndIsr, AlterPartition)
 * can happen any more. Liveness goals count such states as reached (the bound, not Kafka, stopped it).
 */
export function controllerCut(s: ClusterState, cfg: ModelConfig): boolean {
  if (s.kraft) return (!hasWorkingController(s) && !controllerElectable(s, cfg)) || metadataCut(s, cfg);
  return (!hasWorkingController(s) && s.zk.controller < 0 && !controllerElectable(s, cfg)) || electionCut(s, cfg);
}

/**
 * ZooKeeper mode: whether a bound has cut the controller's handling of a failed broker. The controller
 * saw a partition's leader fail (or a follower it must take out of the ISR), and the leader-epoch or
 * partition-epoch bound forbids the election or ISR removal Kafka's `onBrokerFailure` would do, so the
 * controller never takes that broker back (it owes that work first: `owesWork`). Like `controllerCut`,
 * liveness goals count such states as reached.
 */
export function electionCut(s: ClusterState, cfg: ModelConfig): boolean {
  const cc = s.brokers[s.zk.controller]?.controller;
  if (s.kraft || !cc) return false;
  return s.zk.partitions.some((ps) => {
    if (ps.leaderEpoch < cfg.bounds.leaderEpochs && ps.version < cfg.bounds.partitionEpochs) return false;
    if (ps.leader >= 0 && (cc.live & (1 << ps.leader)) === 0) return true;
    for (let b = 0; b < s.brokers.length; b++)
      if ((cc.offline & ~cc.live & (1 << b)) !== 0 && removalApplies(ps, b)) return true;
    return false;
  });
}

/**
 * KRaft: whether the metadata-record bound has cut the behaviour: every running quorum leader's log
 * holds `bounds.metadataRecords` controller records, so no registration, fencing, election or ISR change
 * can be committed any more. Like `controllerCut`, liveness goals count such states as reached.
 */
export function metadataCut(s: ClusterState, cfg: ModelConfig): boolean {
  const k = s.kraft;
  if (!k) return false;
  const leaders = k.voters.filter((x) => x.alive && x.role === VOTER_LEADER);
  return leaders.length > 0 && leaders.every((x) => controllerRecordCount(x.log) >= cfg.bounds.metadataRecords);
}

/** Faults are over, the network is healed and every broker runs with a ZooKeeper session. */
export function fullyRecovered(s: ClusterState): boolean {
  if (s.kraft && !s.kraft.voters.every((x) => x.alive)) return false;
  return faultsOver(s) && s.split === 0 && s.brokers.every((b) => b.alive && b.session);
}
