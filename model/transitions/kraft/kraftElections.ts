import type { AdminElection } from '../../actions.js';
import type { ClusterState, PartitionRegistration } from '../../state.js';
import { META_ELECTION, NO_LEADER, voterNode } from '../../state.js';
import type { Ctx, D } from '../common.js';
import { ruleDecides } from '../electionView.js';
import type { ControllerStep } from './kraftController.js';
import {
  append,
  batch,
  boundedStep,
  controllerImage,
  noteRecordBound,
  partitionsWhere,
  withinBounds,
  withinRecordBound,
} from './kraftController.js';
import type { MetadataImage } from './metadataImage.js';
import { activeBrokers } from './metadataImage.js';
import type { ChangeOutcome } from './partitionChange.js';
import { buildPartitionChange, outsideIsr } from './partitionChange.js';
import { isActiveController } from './raftQuorum.js';

/**
 * The KRaft controller's admin and periodic elections: `ReplicationControlManager.electLeader` for an
 * ElectLeaders request (`kafka-leader-election.sh`, `ElectionType.PREFERRED` / `UNCLEAN`) and
 * `maybeBalancePartitionLeaders` (`QuorumController` schedules it with `auto.leader.rebalance.enable`).
 */

/** `PartitionChangeBuilder` with election `election` for partition p on c's image, the ISR unchanged. */
function electionOutcomes(
  s: ClusterState,
  ctx: Ctx,
  c: number,
  img: MetadataImage,
  cur: PartitionRegistration,
  p: number,
  election: AdminElection,
): ChangeOutcome[] {
  return buildPartitionChange(s, ctx, cur, {
    partition: p,
    targetIsr: cur.isr,
    acceptable: activeBrokers(img),
    election,
    uncleanShutdown: 0,
    controllerNode: voterNode(s, c),
  });
}

/**
 * The outcomes an admin's election of type `type` for p on controller c may have, one per new leader
 * (an action each); [] when its budget is spent, when Kafka answers ELECTION_NOT_NEEDED (PREFERRED:
 * `hasPreferredLeader`; UNCLEAN: `hasLeader`), or when the builder moves no leadership
 * (PREFERRED_LEADER_NOT_AVAILABLE, ELIGIBLE_LEADERS_NOT_AVAILABLE). With Kafka's own preferred
 * algorithm only an election of the preferred replica is listed; a rule deciding preferred elections
 * may name another valid replica.
 */
export function adminElectionOutcomes(
  s: ClusterState,
  ctx: Ctx,
  c: number,
  p: number,
  type: AdminElection,
): ChangeOutcome[] {
  const budget = type === 'preferred' ? s.budget.preferredElections : s.budget.uncleanElections;
  if (budget <= 0 || !isActiveController(s, ctx, c)) return [];
  const img = controllerImage(s, ctx, c);
  const cur = img.partitions[p];
  const head = (ctx.cfg.assignment[p] as readonly number[])[0];
  if (!cur || head === undefined) return [];
  if (type === 'preferred' ? cur.leader === head : cur.leader !== NO_LEADER) return []; // ELECTION_NOT_NEEDED
  const anyLeader = type === 'unclean' || ruleDecides(ctx.rule, 'preferred');
  const moves = electionOutcomes(s, ctx, c, img, cur, p, type).filter(
    (o) =>
      !!o.change && o.change.leader >= 0 && o.change.leader !== cur.leader && (anyLeader || o.change.leader === head),
  );
  // the bounds are tested last, on the elections that would be listed (a cut is an action lost)
  const options = withinBounds(ctx, [moves]);
  if (!options) noteRecordBound(s, ctx, c);
  return options?.[0]?.length ? (withinRecordBound(s, ctx, c, options[0]) ?? []) : [];
}

/** Applies the admin election whose new leader is `leader` (from its type's budget). */
export function adminElect(
  d: D,
  s: ClusterState,
  ctx: Ctx,
  c: number,
  p: number,
  type: AdminElection,
  leader: number,
): void {
  const o = adminElectionOutcomes(s, ctx, c, p, type).find((x) => x.change?.leader === leader);
  if (!o) return;
  if (type === 'preferred') d.budget.preferredElections--;
  else d.budget.uncleanElections--;
  const { rec } = batch(s, c, META_ELECTION, -1, { controller: c, options: [[o]] }, 0);
  append(d, ctx, c, rec);
  if (outsideIsr(o)) d.ghost.uncleanElection = true;
}

/**
 * `maybeBalancePartitionLeaders` on controller c (with `autoLeaderRebalance`): a PREFERRED election
 * for every imbalanced partition (`imbalancedPartitions`: not led by its preferred replica; KRaft reads
 * no imbalance percentage), the first outcome of each, in one batch; null when no record would be
 * written.
 */
export function rebalanceStep(s: ClusterState, ctx: Ctx, c: number): ControllerStep | null {
  if (!ctx.cfg.autoLeaderRebalance || !isActiveController(s, ctx, c)) return null;
  const img = controllerImage(s, ctx, c);
  const ps = partitionsWhere(ctx, (p) => {
    const reg = img.partitions[p];
    return !!reg && reg.leader !== (ctx.cfg.assignment[p] as readonly number[])[0];
  });
  const all = ps.map((p) =>
    electionOutcomes(s, ctx, c, img, img.partitions[p] as PartitionRegistration, p, 'preferred'),
  );
  const options = withinBounds(
    ctx,
    all.map((o) => o.slice(0, 1)),
  );
  if (!options) return boundedStep(s, ctx, c, null);
  if (!options.some((o) => o[0]?.change)) return null;
  return boundedStep(s, ctx, c, options);
}

/** Applies controller c's auto rebalance. */
export function rebalance(d: D, s: ClusterState, ctx: Ctx, c: number): void {
  const step = rebalanceStep(s, ctx, c);
  if (!step) return;
  const { rec, unclean } = batch(s, c, META_ELECTION, -1, step, 0);
  append(d, ctx, c, rec);
  if (unclean) d.ghost.uncleanElection = true;
}
