import type { ReductionStats } from './reduction.js';
import type { BitstateStats } from './bitstate.js';

/** Counters every run reports, in TLC's vocabulary. */
export interface Stats {
  /** Successor states computed, including duplicates (TLC's "states generated"). */
  readonly generated: number;
  /** Distinct states (by fingerprint) found. */
  readonly distinct: number;
  /** Deepest level reached (initial states are depth 0). */
  readonly maxDepth: number;
  /** States still waiting in the frontier when the run stopped. */
  readonly queued: number;
  readonly durationMs: number;
  /** Distinct states per second. */
  readonly statesPerSecond: number;
  /** TLC's optimistic fingerprint-collision probability estimate. */
  readonly collisionProbability: number;
  /** Bytes of visited-table memory per distinct state. */
  readonly bytesPerState: number;
  /**
   * The model bounds that cut the run (models with `actionsCut`): per bound, the expanded states in
   * which it disabled an action that would otherwise have been enabled, and a path to one of them (the
   * first found; breadth-first, a shortest). A pass with cuts holds within these bounds only.
   */
  readonly cuts?: readonly BoundCut[];
  /**
   * A bitstate run (`CheckOptions.bitstate`): the bit array, the states stored in it and the estimated
   * chance that a new state was lost. `distinct` is then the states stored, not the reachable states.
   */
  readonly bitstate?: BitstateStats;
  /**
   * Partial-order reduction (models with `Model.reduction`, safety runs): whether it was used, why not,
   * and how many expanded states followed only a persistent subset of their actions.
   */
  readonly reduction?: ReductionStats;
}

/** One bound that cut a run (see `Stats.cuts`). */
export interface BoundCut {
  readonly bound: string;
  /** Expanded states in which the bound disabled an otherwise enabled action. */
  readonly states: number;
  /** `[initIndex, actionIndex, …]` to one such state. */
  readonly path: readonly number[];
}

/** What became of one property in a run. */
export type PropertyStatus =
  /** `always`/`eventually`: no counterexample in the explored space. */
  | 'holds'
  /** A counterexample was found. */
  | 'violated'
  /** `sometimes`: an example was found. */
  | 'found'
  /** `sometimes`: a complete search found no example — the guard failed. */
  | 'vacuous'
  /** The run stopped before the property was decided. */
  | 'unknown';

export interface PropertyOutcome {
  readonly id: string;
  readonly title: string;
  readonly kind: 'always' | 'sometimes' | 'eventually';
  readonly status: PropertyStatus;
  /** Counterexample or example: `[initIndex, actionIndex, …]`. */
  readonly path?: readonly number[];
  /**
   * For a lasso: index into the path's states where the cycle starts. The last state of the path is the
   * same state as the one at `loopStart` (the cycle's entry is repeated); `loopStart === path.length - 1`
   * means an empty cycle: the behaviour stutters forever in the last state.
   */
  readonly loopStart?: number;
  /** The failing part of the property in the last state. */
  readonly detail?: string;
  /**
   * Why the result is weaker than it looks (set by `checkLiveness`): the property holds vacuously (its
   * trigger is never reached), holds only because of fairness, names an unknown fairness family, or the
   * explored graph is incomplete. Absent when there is nothing to say.
   */
  readonly warnings?: readonly string[];
}

/**
 * Why a run is not a proof: a bound cut the search (`max-depth`, `max-states`, `time-limit`,
 * `state-constraint`), the user stopped it (`interrupted`), it only sampled the space (`sampled`), or
 * its visited set was a bit array that may have judged new states visited (`bitstate`).
 */
export type IncompleteReason =
  'max-depth' | 'max-states' | 'time-limit' | 'state-constraint' | 'interrupted' | 'sampled' | 'bitstate';

/** One result type for every engine (exhaustive, simulation, parallel, swarm). */
export type CheckResult =
  | { readonly kind: 'ok'; readonly stats: Stats; readonly outcomes: readonly PropertyOutcome[] }
  | {
      readonly kind: 'violation';
      readonly stats: Stats;
      readonly outcomes: readonly PropertyOutcome[];
      /** The first failed property (a counterexample, or a vacuous `sometimes`). */
      readonly violation: PropertyOutcome;
      /** Set when a bound was also hit. */
      readonly incomplete?: readonly IncompleteReason[];
    }
  | {
      readonly kind: 'incomplete';
      readonly stats: Stats;
      readonly outcomes: readonly PropertyOutcome[];
      readonly reasons: readonly IncompleteReason[];
    }
  | {
      readonly kind: 'error';
      readonly stats: Stats;
      readonly outcomes: readonly PropertyOutcome[];
      readonly message: string;
    };

/** Combines per-property outcomes and bound hits into the run's verdict. */
export function verdict(
  stats: Stats,
  outcomes: readonly PropertyOutcome[],
  reasons: readonly IncompleteReason[],
): CheckResult {
  const failed = outcomes.find((o) => o.status === 'violated') ?? outcomes.find((o) => o.status === 'vacuous');
  if (failed)
    return reasons.length
      ? { kind: 'violation', stats, outcomes, violation: failed, incomplete: reasons }
      : { kind: 'violation', stats, outcomes, violation: failed };
  if (reasons.length) return { kind: 'incomplete', stats, outcomes, reasons };
  return { kind: 'ok', stats, outcomes };
}

/**
 * The outcome of a property the run recorded nothing for: after a complete search an `always` or
 * `eventually` property holds and a `sometimes` guard is vacuous; otherwise it is undecided.
 */
export function undecidedOutcome(
  p: { readonly id: string; readonly title: string; readonly kind: PropertyOutcome['kind'] },
  complete: boolean,
): PropertyOutcome {
  const status: PropertyStatus = !complete ? 'unknown' : p.kind === 'sometimes' ? 'vacuous' : 'holds';
  return { id: p.id, title: p.title, kind: p.kind, status };
}
