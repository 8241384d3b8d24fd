import type { ElectionView } from '../../election/ElectionRule.js';
import type { ClusterState, PartitionChange, PartitionRegistration } from '../../state.js';
import { NO_LAST_KNOWN_LEADER, NO_LEADER, has, popcount } from '../../state.js';
import type { Ctx } from '../common.js';
import { effectiveMinIsr } from '../common.js';
import { allowedLeaders, buildElectionView, ruleDecides, type ControllerFacts } from '../electionView.js';
import type { MetadataImage } from './metadataImage.js';
import { isActiveBroker } from './metadataImage.js';

/**
 * The KRaft controller's partition changes, as `PartitionChangeBuilder.build()` computes them
 * (verified against apache/kafka `metadata/.../controller/PartitionChangeBuilder.java`):
 * `maybePopulateTargetElr` → `tryElection` → `maybeUpdateRecordElr` → set the ISR unless it would become
 * empty without ELR → `maybeUpdateLastKnownLeader`. Leader epoch + 1 iff the leader changes, partition
 * epoch + 1 on every record (`PartitionRegistration.merge`). Not modelled: reassignment, directories,
 * `LeaderRecoveryState` (KIP-704), and the pre-3.6 leader-epoch bump on ISR shrink (KAFKA-15021).
 *
 * The election rule plugs in where the builder picks "the first valid replica in assignment order":
 * the rule sees the valid replicas (ISR, or ELR when the ISR is empty) as `view.isr` and the acceptable
 * ones (`isAcceptableLeader`) as `view.live`; every broker it returns is one possible outcome.
 */

/** What one partition change is asked to do. */
export interface ChangeRequest {
  readonly partition: number;
  /** The ISR the caller wants (bitmask). */
  readonly targetIsr: number;
  /** `isAcceptableLeader` as a bitmask over brokers. */
  readonly acceptable: number;
  /**
   * `Election.ONLINE` (keep a valid leader, else elect), `Election.PREFERRED` (admin or auto rebalance)
   * or `Election.UNCLEAN` (admin: as ONLINE, then any acceptable replica).
   */
  readonly election: 'online' | 'preferred' | 'unclean';
  /** Why an ONLINE election runs, as the rule is told: a broker fenced or gone, or shutting down. */
  readonly reason?: 'offline' | 'controlled-shutdown';
  /** The active controller's network node (who answers its log query, see `buildElectionView`). */
  readonly controllerNode: number;
  /** `uncleanShutdownReplicas` (KIP-966) as a bitmask: they do not join the ELR. */
  readonly uncleanShutdown: number;
}

/** One possible outcome: the resulting registration, or null when the builder emits no record. */
export interface ChangeOutcome {
  readonly change: PartitionChange | null;
  /** The election chose a leader outside the ISR/ELR (the ISR is forced to just it). */
  readonly unclean: boolean;
  /**
   * The leader is the last known leader (KIP-966, `canElectLastKnownLeader`): Kafka counts it as an
   * unclean election (`ElectionResult(lastKnownElr[0], true)`), but elects it with
   * unclean.leader.election.enable=false by design.
   */
  readonly lastKnownLeader: boolean;
}

interface Choice {
  readonly leader: number;
  readonly unclean: boolean;
  readonly lastKnownLeader?: true;
}

/**
 * An election outside the ISR/ELR that KIP-966 does not sanction: unclean, and not the last known
 * leader. This, not `unclean`, is what `leader-in-isr` forbids when unclean election is disabled.
 */
export const outsideIsr = (o: ChangeOutcome): boolean => o.unclean && !o.lastKnownLeader;

/**
 * What one partition's election depends on besides its registration: `PartitionChangeBuilder`'s
 * settings (`setEligibleLeaderReplicasEnabled`, the topic's effective min ISR, the replica list) and how
 * leaders are chosen. Built from the model's state by `buildPartitionChange`, and from a real cluster's
 * metadata log by `kafka-mc validate`.
 */
export interface PartitionPolicy {
  /** KIP-966 ELR on (`eligible.leader.replicas.version` ≥ 1). */
  readonly elr: boolean;
  /** Replica list in assignment order. */
  readonly assignment: readonly number[];
  /** `getTopicEffectiveMinIsr`: min(min.insync.replicas, replication factor). */
  readonly minIsr: number;
  /** The topic's `unclean.leader.election.enable` (or the model's non-ISR elections). */
  readonly uncleanEnabled: boolean;
  /** Whether the configured rule decides preferred elections (else Kafka's `electPreferredLeader`). */
  readonly ruleDecidesPreferred: boolean;
  /**
   * Whether `canElectLastKnownLeader` requires the last known leader to be acceptable (KAFKA-19522,
   * Kafka 4.1; the `lastKnownLeaderCheck` mechanism). False: Kafka ≤ 4.0, which elects it regardless.
   */
  readonly lastKnownLeaderCheck: boolean;
  /** The leaders allowed for an election with these facts, distinct and ascending (see `allowedLeaders`). */
  allowed(f: ControllerFacts): number[];
}

/**
 * Every outcome the controller may produce for `req` on registration `cur` (one per leader the rule
 * allows; usually one). Pure. Throws `RuleError` when the rule returns a broker outside `view.live`.
 */
export function buildPartitionChange(
  s: ClusterState,
  ctx: Ctx,
  cur: PartitionRegistration,
  req: ChangeRequest,
): ChangeOutcome[] {
  const cfg = ctx.cfg;
  return partitionChangeOutcomes(
    {
      elr: cfg.elr,
      assignment: cfg.assignment[req.partition] as readonly number[],
      minIsr: effectiveMinIsr(cfg),
      uncleanEnabled: cfg.uncleanLeaderElection || !cfg.mechanisms.isrOnlyElection,
      ruleDecidesPreferred: ruleDecides(ctx.rule, 'preferred'),
      lastKnownLeaderCheck: cfg.mechanisms.lastKnownLeaderCheck,
      allowed: (f) => allowedLeaders(ctx, buildElectionView(s, ctx, f)),
    },
    cur,
    req,
  );
}

/** `buildPartitionChange` on an explicit policy: the builder itself, independent of the model's state. Pure. */
export function partitionChangeOutcomes(
  policy: PartitionPolicy,
  cur: PartitionRegistration,
  req: ChangeRequest,
): ChangeOutcome[] {
  const elrOn = policy.elr;
  const assignment = policy.assignment;
  const targetIsr = req.targetIsr;
  let targetElr = elrOn ? cur.elr : 0;
  // maybePopulateTargetElr: members leaving the ISR while it is below min ISR join the ELR (KIP-966).
  if (elrOn) {
    if (popcount(targetIsr) >= policy.minIsr) targetElr = 0;
    else targetElr = (targetElr | cur.isr) & ~targetIsr & ~req.uncleanShutdown;
  }
  const isValid = (r: number): boolean =>
    r >= 0 && (has(targetIsr, r) || (targetIsr === 0 && has(targetElr, r))) && has(req.acceptable, r);
  // PartitionChangeBuilder.canElectLastKnownLeader: ELR on, target ISR and ELR empty, one last known
  // leader. Kafka 4.1 also requires it to pass isAcceptableLeader (KAFKA-19522); Kafka ≤ 4.0 only logs
  // that test and returns true (apache/kafka 1eb76443, 4.0.0-SNAPSHOT), electing a fenced or
  // unregistered last known leader — the model follows ≤ 4.0 with mechanisms.lastKnownLeaderCheck off.
  const lkl = cur.lastKnownLeader;
  const lastKnown: Choice | null =
    elrOn &&
    targetIsr === 0 &&
    targetElr === 0 &&
    lkl !== NO_LAST_KNOWN_LEADER &&
    (has(req.acceptable, lkl) || !policy.lastKnownLeaderCheck)
      ? { leader: lkl, unclean: true, lastKnownLeader: true }
      : null;

  const allowed = (reason: ElectionView['reason']): number[] =>
    policy.allowed({
      reason,
      partition: req.partition,
      isr: targetIsr !== 0 ? targetIsr : targetElr,
      live: req.acceptable,
      currentLeader: cur.leader,
      uncleanEnabled: reason === 'unclean' || policy.uncleanEnabled,
      controllerNode: req.controllerNode,
    });
  let choices: Choice[];
  if (req.election === 'preferred' && policy.ruleDecidesPreferred) {
    // A rule deciding preferred elections picks among the valid replicas; none: the leader stays.
    const picked = allowed('preferred').filter(isValid);
    choices = picked.length
      ? picked.map((leader) => ({ leader, unclean: false }))
      : [{ leader: cur.leader, unclean: false }];
  } else if (req.election === 'preferred') {
    // electPreferredLeader: the preferred replica, else the current leader, else the next valid replica.
    const head = assignment[0] as number;
    const next = assignment.slice(1).find(isValid);
    if (isValid(head)) choices = [{ leader: head, unclean: false }];
    else if (isValid(cur.leader)) choices = [{ leader: cur.leader, unclean: false }];
    else if (next !== undefined) choices = [{ leader: next, unclean: false }];
    else choices = [lastKnown ?? { leader: NO_LEADER, unclean: false }];
  } else if (isValid(cur.leader)) {
    // electAnyLeader: a valid current leader stays.
    choices = [{ leader: cur.leader, unclean: false }];
  } else {
    const picked = allowed(req.election === 'unclean' ? 'unclean' : (req.reason ?? 'offline'));
    const clean = picked.filter(isValid);
    if (clean.length) choices = clean.map((leader) => ({ leader, unclean: false }));
    else if (lastKnown) choices = [lastKnown];
    else if (picked.length) choices = picked.map((leader) => ({ leader, unclean: true }));
    else choices = [{ leader: NO_LEADER, unclean: false }];
  }
  return choices.map((c) => ({
    change: applyChoice(cur, req, c, targetIsr, targetElr, elrOn),
    unclean: c.unclean,
    lastKnownLeader: c.lastKnownLeader === true,
  }));
}

function applyChoice(
  cur: PartitionRegistration,
  req: ChangeRequest,
  choice: Choice,
  targetIsrIn: number,
  targetElrIn: number,
  elrOn: boolean,
): PartitionChange | null {
  let targetIsr = targetIsrIn;
  let targetElr = targetElrIn;
  const leaderChanged = choice.leader !== cur.leader;
  let forcedIsr = -1;
  // tryElection
  if (leaderChanged) {
    if (has(targetElr, choice.leader)) {
      targetIsr = 1 << choice.leader;
      targetElr &= ~(1 << choice.leader);
    }
    if (choice.unclean) forcedIsr = 1 << choice.leader; // "This can result in data loss!"
  }
  // maybeUpdateRecordElr: an unclean election or ELR off clears the ELR.
  if (forcedIsr >= 0 || !elrOn) targetElr = 0;
  // The ISR is set if it changed, unless it would become empty without ELR (the last member stays).
  let isr = cur.isr;
  if (forcedIsr >= 0) isr = forcedIsr;
  else if ((targetIsr !== 0 || elrOn) && targetIsr !== cur.isr) isr = targetIsr;
  const isrSetEmpty = isr === 0 && (forcedIsr >= 0 || isr !== cur.isr);
  // maybeUpdateLastKnownLeader (ELR only): remember the leader when the ISR first becomes empty; forget
  // it once the partition has (or keeps) a leader.
  let lastKnownLeader = cur.lastKnownLeader;
  if (elrOn) {
    const recordLeader = leaderChanged ? choice.leader : -2; // NO_LEADER_CHANGE
    if (isrSetEmpty && (cur.lastKnownLeader === NO_LAST_KNOWN_LEADER || cur.lastKnownLeader !== cur.leader))
      lastKnownLeader = cur.leader === NO_LEADER ? NO_LAST_KNOWN_LEADER : cur.leader;
    else if (
      (recordLeader >= 0 || (cur.leader !== NO_LEADER && recordLeader !== NO_LEADER)) &&
      cur.lastKnownLeader !== NO_LAST_KNOWN_LEADER
    )
      lastKnownLeader = NO_LAST_KNOWN_LEADER;
  }
  if (!leaderChanged && isr === cur.isr && targetElr === cur.elr && lastKnownLeader === cur.lastKnownLeader)
    return null; // changeRecordIsNoOp
  return {
    partition: req.partition,
    leader: choice.leader,
    leaderEpoch: cur.leaderEpoch + (leaderChanged ? 1 : 0),
    partitionEpoch: cur.partitionEpoch + 1,
    isr,
    elr: targetElr,
    lastKnownLeader,
  };
}

/**
 * `ReplicationControlManager.generateLeaderAndIsrUpdates`: for each listed partition, the outcomes of
 * removing `remove` and `uncleanShutdown` from the ISR and re-electing if needed; `add` counts as an
 * acceptable leader even though the image still shows it fenced (unfencing). -1 = none.
 */
export function leaderAndIsrUpdates(
  s: ClusterState,
  ctx: Ctx,
  img: MetadataImage,
  partitions: readonly number[],
  who: { readonly remove: number; readonly add: number; readonly uncleanShutdown: number },
  controllerNode: number,
  reason: 'offline' | 'controlled-shutdown' = 'offline',
): ChangeOutcome[][] {
  let acceptable = 0;
  for (let r = 0; r < ctx.cfg.brokers; r++)
    if (r !== who.remove && r !== who.uncleanShutdown && (r === who.add || isActiveBroker(img, r)))
      acceptable |= 1 << r;
  const drop = (who.remove >= 0 ? 1 << who.remove : 0) | (who.uncleanShutdown >= 0 ? 1 << who.uncleanShutdown : 0);
  return partitions.map((p) => {
    const cur = img.partitions[p] as PartitionRegistration;
    return buildPartitionChange(s, ctx, cur, {
      partition: p,
      targetIsr: cur.isr & ~drop,
      acceptable,
      election: 'online',
      reason,
      uncleanShutdown: who.uncleanShutdown >= 0 ? 1 << who.uncleanShutdown : 0,
      controllerNode,
    });
  });
}

/** How many combinations of per-partition outcomes there are (the choices of one controller step). */
export function combinations(options: readonly (readonly ChangeOutcome[])[]): number {
  return options.reduce((n, o) => n * Math.max(1, o.length), 1);
}

/** The `choice`-th combination (mixed radix, first partition fastest). */
export function pickCombination(options: readonly (readonly ChangeOutcome[])[], choice: number): ChangeOutcome[] {
  const out: ChangeOutcome[] = [];
  let c = choice;
  for (const o of options) {
    const n = Math.max(1, o.length);
    const picked = o[c % n];
    if (picked) out.push(picked);
    c = Math.floor(c / n);
  }
  return out;
}
