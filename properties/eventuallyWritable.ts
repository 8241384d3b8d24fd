import { eventually, type EventuallyProperty } from '../checker/index.js';
import type { ClusterState, ModelConfig } from '../model/index.js';
import { NO_LEADER, maskOf, members, popcount, reachable, voterNode } from '../model/index.js';
import { activeQuorumLeader, brokerName, hasWorkingController, isLive, workingLeader } from './clusterView.js';
import { electionPossible } from './eventuallyLeader.js';
import { KAFKA_FAIRNESS, controllerCut, faultsOver } from './fairness.js';
import { defineProperty, type PropertyInfo } from './propertyInfo.js';

/** The catalog entry of `eventually-writable`. */
export const eventuallyWritableInfo: PropertyInfo = defineProperty({
  id: 'eventually-writable',
  title: 'Once faults stop, every partition eventually accepts and can acknowledge writes again',
  kind: 'eventually',
  doc: {
    invariant:
      'Once the fault budget is spent — crashed brokers may stay down and a network split may stay in place — every partition eventually has a working leader that appends a produce request and can acknowledge it under the configured acks: with acks=all its ISR has at least min.insync.replicas members and at least min.insync.replicas of them (the leader included) run and reach the leader, and any other ISR member can be dropped because the leader reaches the controller. Expected to fail whenever the faults can leave fewer than min.insync.replicas replicas that the leader reaches (RF 2 with min.insync.replicas=2 after one failure), so it is not in the default liveness set; `kafka-mc audit` asks it for every fault class.',
    seeItFail:
      'kafka-mc check --property eventually-writable --brokers 2 --replication-factor 2 --min-isr 2 --max-records 1 --max-leader-epochs 2 --max-partitions 0',
  },
  build: (cfg) => eventuallyWritable(cfg),
  applies: () => false,
});

/**
 * Whether leader L can change p's ISR now: it reaches the controller that takes its AlterPartition
 * (ZooKeeper mode: the controller broker, which writes the ISR to ZooKeeper, KIP-497; KRaft: the active
 * controller, `ReplicationControlManager.alterPartition`).
 */
function reachesController(s: ClusterState, L: number): boolean {
  if (!hasWorkingController(s)) return false;
  if (s.kraft) return reachable(s, L, voterNode(s, activeQuorumLeader(s)));
  return reachable(s, L, s.zk.controller);
}

/**
 * Why partition p would not acknowledge a write now, or undefined when it would. Kafka's rules:
 * `Partition.appendRecordsToLeader` refuses an acks=all append while the leader's ISR is smaller than
 * min.insync.replicas (NOT_ENOUGH_REPLICAS); the append is acknowledged once every ISR member has it
 * (`Partition.checkEnoughReplicasReachOffset`, completing the `DelayedProduce`), and an ISR member that
 * cannot fetch is dropped after `replica.lag.time.max.ms` (`Partition.maybeShrinkIsr`), which needs the
 * controller to accept the change; the write then still counts as acknowledged only if at least
 * min.insync.replicas members remain.
 */
export function notWritable(s: ClusterState, cfg: ModelConfig, p: number): string | undefined {
  const L = workingLeader(s, p);
  if (L === NO_LEADER) return noLeader(s, p);
  if (cfg.acks === '1') return undefined;
  const r = s.brokers[L]?.replicas[p];
  if (!r) return noLeader(s, p);
  const minIsr = Math.min(cfg.minInsyncReplicas, cfg.replicationFactor);
  const n = s.brokers.length;
  if (popcount(r.isr) < minIsr)
    return `p${p}'s leader ${brokerName(L)} has ISR ${setOf(r.isr, n)}, fewer than min.insync.replicas=${minIsr}: acks=all writes fail with NOT_ENOUGH_REPLICAS`;
  const isr = members(r.isr | r.pendingIsr, n);
  const reached = isr.filter((b) => b === L || (s.brokers[b]?.alive === true && reachable(s, L, b)));
  if (reached.length < minIsr)
    return `p${p}'s leader ${brokerName(L)} reaches only ${setOf(maskOf(reached), n)} of its ISR ${setOf(r.isr | r.pendingIsr, n)}, fewer than min.insync.replicas=${minIsr}: acks=all writes are never acknowledged`;
  if (reached.length < isr.length && !reachesController(s, L))
    return `p${p}'s leader ${brokerName(L)} waits for ISR members it cannot reach and cannot reach the controller to drop them`;
  return undefined;
}

/** `{b0, b2}`. */
const setOf = (mask: number, n: number): string => `{${members(mask, n).map(brokerName).join(', ')}}`;

/** Why p has no working leader: none elected, the elected one is down, or it has not learned it. */
function noLeader(s: ClusterState, p: number): string {
  const ps = s.zk.partitions[p];
  if (!ps || ps.leader === NO_LEADER) return `p${p} has no leader (offline)`;
  if (!isLive(s, ps.leader)) return `p${p}'s leader ${brokerName(ps.leader)} is down`;
  const c = s.kraft ? -1 : s.zk.controller;
  const cut = c >= 0 && !reachable(s, c, ps.leader) ? `: the controller ${brokerName(c)} cannot reach it` : '';
  return `p${p}'s elected leader ${brokerName(ps.leader)} does not act as leader of leader epoch ${ps.leaderEpoch}${cut}`;
}

/**
 * `eventually-writable`: once the fault budget is spent, every partition eventually accepts a write and
 * can acknowledge it (`notWritable`), even if crashed brokers stay down and a network split stays.
 *
 * Leads-to under `KAFKA_FAIRNESS` (decide it with `checkLiveness` and `KAFKA_LIVENESS_OPTIONS`, whose
 * stuttering lets a crashed broker stay down and a split stand forever):
 * - trigger: `faultsOver(s)`;
 * - goal: every partition is writable — or the bounds cut the behaviour: no controller can be in charge
 *   any more (`controllerCut`), or the partition's leader- or partition-epoch bound forbids the election
 *   or ISR change it needs (`electionPossible` is false). Such a stop is not a counterexample.
 *
 * The goal is a state predicate ("a write arriving now would be acknowledged"), not an observed
 * acknowledgement: the record bound does not make it vacuous, and an acknowledgement that depends on
 * an ISR member being dropped counts only when the leader reaches the controller that drops it.
 */
export function eventuallyWritable(cfg: ModelConfig): EventuallyProperty<ClusterState> {
  const blocked = (s: ClusterState): string | undefined => {
    if (controllerCut(s, cfg)) return undefined;
    for (let p = 0; p < s.zk.partitions.length; p++) {
      const why = notWritable(s, cfg, p);
      if (why !== undefined && electionPossible(s, cfg, p)) return why;
    }
    return undefined;
  };
  return eventually(eventuallyWritableInfo.id, eventuallyWritableInfo.title, (s) => blocked(s) === undefined, {
    trigger: faultsOver,
    fairness: KAFKA_FAIRNESS,
    explain: (s) => blocked(s) ?? 'holds',
  });
}
