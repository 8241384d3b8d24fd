import type { AdminElection } from '../actions.js';
import type { ClusterState, ControllerContext, PartitionState } from '../state.js';
import { has } from '../state.js';
import type { Ctx, D } from './common.js';
import { cutBy, epochCut, sendPartitionState } from './common.js';
import {
  actingController,
  controllerMayWrite,
  electLeader,
  electionView,
  offlineCandidates,
  writePartition,
} from './controller.js';
import { allowedLeaders } from './electionView.js';

/**
 * The ZooKeeper-mode controller's admin and periodic elections: `kafka-leader-election.sh` (KIP-460,
 * `KafkaController.processReplicaLeaderElection`) and `auto.leader.rebalance.enable`
 * (`KafkaController.checkAndTriggerAutoLeaderRebalance`).
 */

/**
 * Leaders controller c's preferred election of p may choose: the rule's answer for reason 'preferred'
 * (Kafka's `preferredReplicaPartitionLeaderElection` when it does not decide that reason: the preferred
 * replica if live and in the ISR), other than the current leader and within the ISR (a preferred
 * election keeps the ISR).
 */
function preferredChoices(s: ClusterState, ctx: Ctx, c: number, p: number): number[] {
  const ps = s.zk.partitions[p] as PartitionState;
  return allowedLeaders(ctx, electionView(s, ctx, c, p, 'preferred')).filter((l) => l !== ps.leader && has(ps.isr, l));
}

/**
 * The leaders an admin's election of type `type` for partition p on controller c may elect, each an
 * action; [] when its budget is spent, when Kafka answers ELECTION_NOT_NEEDED (PREFERRED: the
 * preferred replica leads; UNCLEAN: the leader is live) or when no replica is eligible
 * (PREFERRED_LEADER_NOT_AVAILABLE, ELIGIBLE_LEADERS_NOT_AVAILABLE). UNCLEAN runs the offline election
 * with unclean allowed (`OfflinePartitionLeaderElectionStrategy(allowUnclean = true)`), asking the rule
 * with reason 'unclean'.
 */
export function adminElectionCandidates(
  s: ClusterState,
  ctx: Ctx,
  c: number,
  p: number,
  type: AdminElection,
): readonly number[] {
  if (!actingController(s, c)) return [];
  if (type === 'unclean')
    return s.budget.uncleanElections > 0 ? offlineCandidates(s, ctx, c, p, 'unclean').filter((l) => l >= 0) : [];
  const ps = s.zk.partitions[p] as PartitionState;
  if (s.budget.preferredElections <= 0 || ps.leader === (ctx.cfg.assignment[p] as readonly number[])[0]) return [];
  const out = preferredChoices(s, ctx, c, p);
  const bound = epochCut(ctx, ps.leaderEpoch, ps.version);
  return bound && out.length ? cutBy(ctx, bound, []) : out;
}

/** An admin's election of p on controller c makes `leader` the leader (from the budget of its type). */
export function adminElection(d: D, ctx: Ctx, c: number, p: number, type: AdminElection, leader: number): void {
  if (type === 'unclean') {
    d.budget.uncleanElections--;
    electLeader(d, ctx, c, p, leader);
  } else {
    d.budget.preferredElections--;
    preferredElect(d, ctx, c, p, leader);
  }
}

/** `PreferredReplicaPartitionLeaderElectionStrategy`: the new leader with the ISR unchanged; leader epoch + 1. */
function preferredElect(d: D, ctx: Ctx, c: number, p: number, leader: number): void {
  if (!controllerMayWrite(d, ctx, c)) return;
  const cc = d.brokers[c]?.controller as ControllerContext;
  const ps = d.zk.partitions[p] as PartitionState;
  writePartition(d, c, p, { leader, leaderEpoch: ps.leaderEpoch + 1, isr: ps.isr });
  sendPartitionState(d, ctx, c, cc, cc.live, p);
}

/** One partition an auto rebalance moves, and to whom. */
export interface Rebalance {
  readonly partition: number;
  readonly leader: number;
}

/**
 * `checkAndTriggerAutoLeaderRebalance` on controller c (with `autoLeaderRebalance`): for each broker,
 * the partitions it is the preferred replica of; when the share of them led by another broker exceeds
 * `leader.imbalance.per.broker.percentage` (the ratio is compared with `>`), a preferred election for
 * each of those whose preferred replica can lead (`canPreferredReplicaBeLeader`: live and in the ISR).
 * Returns the elections one rebalance makes, by partition; [] when it would move nothing.
 */
export function rebalanceElections(s: ClusterState, ctx: Ctx, c: number): Rebalance[] {
  const cc = ctx.cfg.autoLeaderRebalance ? actingController(s, c) : null;
  if (!cc) return [];
  const out: Rebalance[] = [];
  let cut = 0;
  for (let pb = 0; pb < ctx.cfg.brokers; pb++) {
    const mine = ctx.cfg.assignment.flatMap((rs, p) => (rs[0] === pb ? [p] : []));
    const notLed = mine.filter((p) => (s.zk.partitions[p] as PartitionState).leader !== pb);
    // imbalanceRatio > percentage / 100, in integers
    if (notLed.length * 100 <= ctx.cfg.leaderImbalancePercentage * mine.length) continue;
    for (const p of notLed) {
      const ps = s.zk.partitions[p] as PartitionState;
      if (!has(cc.live, pb) || !has(ps.isr, pb)) continue;
      const leader = preferredChoices(s, ctx, c, p)[0];
      if (leader === undefined) continue;
      const bound = epochCut(ctx, ps.leaderEpoch, ps.version);
      if (bound) cut |= bound;
      else out.push({ partition: p, leader });
    }
  }
  // a cut is recorded when the bounds disable the whole rebalance; one they only shrink is not a lost step
  if (cut && !out.length) cutBy(ctx, cut, null);
  return out.sort((a, b) => a.partition - b.partition);
}

/** Controller c's auto rebalance: one preferred election per partition `rebalanceElections` lists. */
export function autoRebalance(d: D, ctx: Ctx, c: number): void {
  for (const r of rebalanceElections(d as unknown as ClusterState, ctx, c))
    preferredElect(d, ctx, c, r.partition, r.leader);
}
