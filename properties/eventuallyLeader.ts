import { eventually, type EventuallyProperty } from '../checker/index.js';
import type { ClusterState, ModelConfig } from '../model/index.js';
import { NO_LEADER, has } from '../model/index.js';
import { isLive, replicaBrokers, workingLeader } from './clusterView.js';
import { KAFKA_FAIRNESS, controllerCut, faultsOver } from './fairness.js';
import { defineProperty, type PropertyInfo } from './propertyInfo.js';

/** The catalog entry of `eventually-leader`. */
export const eventuallyLeaderInfo: PropertyInfo = defineProperty({
  id: 'eventually-leader',
  title: 'Once faults stop, a partition with a live eligible replica eventually has a leader',
  kind: 'eventually',
  doc: {
    invariant:
      'Once the fault budget is spent and the network is healed, every partition with a live eligible replica (an ISR member, or any replica with unclean election enabled) eventually has a leader that is live and acts in ZooKeeper’s leader epoch. Weak fairness on controller, election, delivery, fetch and ISR actions; crashes, restarts, heals and other faults are not fair. An election cut by a bound discharges the obligation. Fails with an election rule that does not elect (e.g. `never`).',
  },
  build: (cfg) => eventuallyLeader(cfg),
});

/** The catalog entry of `eventually-available`. */
export const eventuallyAvailableInfo: PropertyInfo = defineProperty({
  id: 'eventually-available',
  title: 'Once faults stop, a partition with any live replica eventually has a leader',
  kind: 'eventually',
  doc: {
    invariant:
      'Once the fault budget is spent and the network is healed, every partition with ANY live replica eventually has a leader: availability over consistency. Expected to fail with clean elections whenever the faults can take every ISR member down (an offline partition waits for an ISR member that nothing forces back), and to hold with unclean.leader.election.enable; in the default set only when unclean election is enabled.',
  },
  build: (cfg) => eventuallyAvailable(cfg),
  applies: (cfg) => cfg.uncleanLeaderElection,
});

/** The catalog entry of `eventually-online`. */
export const eventuallyOnlineInfo: PropertyInfo = defineProperty({
  id: 'eventually-online',
  title: 'Once faults stop, every partition eventually has a leader, without waiting for a stopped broker',
  kind: 'eventually',
  doc: {
    invariant:
      'Once the fault budget is spent and the network is healed, every partition eventually has a leader, even if the brokers the faults stopped (or whose sessions expired) never come back: the operator’s OfflinePartitionsCount returns to 0 by itself. Unlike `eventually-available` it also fails when no replica is live any more (replication factor 1 after a crash, or two faults on a replication factor of 2), and like it, it fails with clean elections when only out-of-sync replicas are left. Not in the default liveness set; `kafka-mc audit` asks it for every fault class.',
    seeItFail:
      'kafka-mc check --property eventually-online --brokers 2 --replication-factor 1 --min-isr 1 --max-records 1 --max-leader-epochs 2 --max-partitions 0',
  },
  build: (cfg) => eventuallyOnline(cfg),
  applies: () => false,
});

/**
 * Whether an offline election for `p` is still possible: the leader- and partition-epoch bounds leave
 * room for one more ZooKeeper write, and a controller is in charge or can be elected.
 */
export function electionPossible(s: ClusterState, cfg: ModelConfig, p: number): boolean {
  const ps = s.zk.partitions[p];
  if (!ps || ps.leaderEpoch >= cfg.bounds.leaderEpochs || ps.version >= cfg.bounds.partitionEpochs) return false;
  return !controllerCut(s, cfg);
}

/** Whether the partition's leader must be (re-)elected: ZooKeeper names none, or one that is not live. */
function needsElection(s: ClusterState, p: number): boolean {
  const ps = s.zk.partitions[p];
  return !ps || ps.leader === NO_LEADER || !isLive(s, ps.leader);
}

/**
 * The goal shared by `eventually-leader` and `eventually-available`: every partition with an eligible
 * live replica has a working leader, or the bounds forbid the election it needs.
 */
function leaderGoal(
  cfg: ModelConfig,
  eligible: (s: ClusterState, p: number, b: number) => boolean,
  evenIfNoneLive = false,
) {
  const offline = (s: ClusterState): number => {
    for (let p = 0; p < s.zk.partitions.length; p++) {
      if (workingLeader(s, p) !== NO_LEADER) continue;
      if (!evenIfNoneLive && !replicaBrokers(s, p).some((b) => isLive(s, b) && eligible(s, p, b))) continue;
      if (controllerCut(s, cfg) || (needsElection(s, p) && !electionPossible(s, cfg, p))) continue;
      return p;
    }
    return -1;
  };
  const explain = (s: ClusterState): string => {
    const p = offline(s);
    if (p < 0) return 'holds';
    const ps = s.zk.partitions[p];
    const live = replicaBrokers(s, p).filter((b) => isLive(s, b) && eligible(s, p, b));
    if (live.length === 0) return `p${p} has no leader and none of its replicas is live`;
    return ps && ps.leader !== NO_LEADER
      ? `p${p}: ZooKeeper names b${ps.leader} leader in leader epoch ${ps.leaderEpoch}, but it does not act as leader, although eligible replicas [${live.map((b) => `b${b}`).join(', ')}] are live`
      : `p${p} has no leader although eligible replicas [${live.map((b) => `b${b}`).join(', ')}] are live`;
  };
  return { goal: (s: ClusterState) => offline(s) < 0, explain };
}

/**
 * `eventually-leader`: once faults stop and the network is healed, every partition that has a live
 * eligible replica eventually has a working leader.
 *
 * Eligible is Kafka's notion, not the election rule's: a member of the ISR in ZooKeeper, or any replica
 * when `unclean.leader.election.enable` is set (`offlinePartitionLeaderElection`). So a rule that
 * refuses to elect an eligible replica (e.g. `never`) is caught. Leads-to under `KAFKA_FAIRNESS`
 * (decide it with `checkLiveness` and `KAFKA_LIVENESS_OPTIONS`):
 * - trigger: `faultsOver(s)` and the network is healed (with a split left standing, the controller may
 *   elect a replica it cannot reach: Kafka's controller judges liveness by ZooKeeper sessions only);
 * - goal: for every partition with a live eligible replica, the leader in ZooKeeper is live and acts
 *   as leader in ZooKeeper's leader epoch — or the bounds cut the behaviour: the election it needs
 *   exceeds the leader- or partition-epoch bound, or no controller is in charge and the
 *   controller-epoch bound forbids electing one (`controllerCut`). Such a stop is not a counterexample.
 */
export function eventuallyLeader(cfg: ModelConfig): EventuallyProperty<ClusterState> {
  const { goal, explain } = leaderGoal(
    cfg,
    (s, p, b) => cfg.uncleanLeaderElection || has(s.zk.partitions[p]?.isr ?? 0, b),
  );
  return eventually(eventuallyLeaderInfo.id, eventuallyLeaderInfo.title, goal, {
    trigger: (s) => faultsOver(s) && s.split === 0,
    fairness: KAFKA_FAIRNESS,
    explain,
  });
}

/**
 * `eventually-available`: once faults stop and the network is healed, every partition with ANY live
 * replica eventually has a working leader — availability over consistency.
 *
 * The other side of `unclean.leader.election.enable`: with clean elections a partition whose ISR
 * members are all down stays offline (`OfflinePartitionsCount` > 0) until one of them comes back,
 * which nothing forces; so this property is expected to FAIL with clean elections whenever the faults
 * can take down every ISR member, and to hold with unclean election enabled (which trades it for
 * `no-data-loss`). Same trigger, goal and bounds as `eventually-leader`.
 */
export function eventuallyAvailable(cfg: ModelConfig): EventuallyProperty<ClusterState> {
  const { goal, explain } = leaderGoal(cfg, () => true);
  return eventually(eventuallyAvailableInfo.id, eventuallyAvailableInfo.title, goal, {
    trigger: (s) => faultsOver(s) && s.split === 0,
    fairness: KAFKA_FAIRNESS,
    explain,
  });
}

/**
 * `eventually-online`: once faults stop and the network is healed, every partition eventually has a
 * working leader — whether or not any replica is live. Where `eventually-available` asks whether the
 * controller elects a leader when it could, this asks whether the partition comes back without an
 * operator restarting a broker: with `KAFKA_LIVENESS_OPTIONS` a stopped broker may stay down forever, so
 * a fault class that can stop every replica (or every ISR member, with clean elections) fails it. Same
 * trigger and bound cuts as `eventually-leader`.
 */
export function eventuallyOnline(cfg: ModelConfig): EventuallyProperty<ClusterState> {
  const { goal, explain } = leaderGoal(cfg, () => true, true);
  return eventually(eventuallyOnlineInfo.id, eventuallyOnlineInfo.title, goal, {
    trigger: (s) => faultsOver(s) && s.split === 0,
    fairness: KAFKA_FAIRNESS,
    explain,
  });
}
