import type { Model } from './Model.js';
import type { Property } from './Property.js';

/**
 * Partial-order reduction (persistent sets with the invisibility and cycle provisos) for the exhaustive
 * safety engines.
 *
 * The model declares it (`Model.reduction`): in some states it names a subset T of the enabled actions
 * and promises that T is
 *
 *  - persistent (Godefroid's persistent sets, Peled's ample condition C1): along every path from the
 *    state that takes no action of T, every action taken is independent of every action of T — the two
 *    commute to the same state and neither disables the other. The path is one of the graph the engines
 *    explore, the one `withinBoundary` cuts;
 *  - invisible (C2): the actions of T write only the state components listed in `writes`.
 *
 * The checker adds the rest:
 *
 *  - visibility: it reduces only when every checked property declares, in `Property.ignores`, that it
 *    never reads those components, so an action of T never changes any property's value (and no
 *    `eventually` property is checked: this reduction preserves reachability, not liveness);
 *  - the cycle proviso (C3, that no action is ignored forever around a cycle): a reduced state keeps its
 *    reduction only if every successor through T is a state the model will expand fully
 *    (`fullyExpands`), or if every such successor is new. In a cycle made of reduced states only, the
 *    first kind would put a fully expanded state on it; with the second kind, the state of the cycle
 *    expanded last met its successor on the cycle already visited (Bošnački, Leue and Lluch-Lafuente's
 *    duplicate condition, sound for any search order, including parallel breadth-first levels). So
 *    every cycle of the reduced graph holds a fully expanded state.
 *
 * Why a violation is still found. Take a shortest path from an explored state s to a violating state
 * in the full graph. If s is fully expanded the path's first step is explored. Otherwise either an action
 * α of T occurs on it — by persistence α commutes with everything before it, so s -α-> then the rest
 * reaches the same violating state in one step fewer — or none does, and s -α-> followed by the same
 * path reaches α(v), which violates the same property as v because α is invisible. The second case
 * keeps the length but moves along reduced edges; the proviso forbids going around a cycle of them for
 * ever, so a fully expanded state or the first case comes, and the length shrinks. Deadlocks are found
 * too: a persistent set is empty only when nothing is enabled. Skipped actions are another matter (a
 * state whose only steps are skipped looks dead), so a run that detects deadlocks does not reduce a
 * model that skips.
 */

/** Whether a run reduced, and why not when it did not. */
export interface ReductionPlan {
  readonly use: boolean;
  /** One line for the report: what was reduced, or why nothing was. */
  readonly why: string;
}

/** What a run's reduction did (`Stats.reduction`). */
export interface ReductionStats {
  /** Whether the engine reduced at all (see `detail` when it did not). */
  readonly used: boolean;
  /** What was reduced, or why nothing was. */
  readonly detail: string;
  /** Expanded states that followed only a persistent subset of their actions. */
  readonly reducedStates: number;
  /** Expanded states whose persistent subset the cycle proviso discarded. */
  readonly provisoExpansions: number;
  /** Enabled actions not followed because they only restrict what can happen next (`Reduction.skip`). */
  readonly skippedActions: number;
}

/**
 * Decides whether a safety run of `model` over `properties` may reduce: the model offers a reduction,
 * the caller did not turn it off, deadlocks are not detected when it skips actions, no property is a
 * liveness property, and every property ignores what the persistent actions write.
 */
export function planReduction<S, A>(
  model: Model<S, A>,
  properties: readonly Property<S>[],
  requested: boolean,
  deadlock = false,
): ReductionPlan {
  const r = model.reduction;
  if (!r) return { use: false, why: `model "${model.name}" declares no independence (Model.reduction)` };
  if (!requested) return { use: false, why: 'turned off (--no-por)' };
  if (r.unavailable !== undefined) return { use: false, why: r.unavailable };
  // a skipped step may be a state's only step: the simulation argument keeps what properties see, not dead ends
  if (deadlock && r.skip)
    return { use: false, why: 'deadlock detection is on, and a skipped step may be the only one' };
  const live = properties.find((p) => p.kind === 'eventually');
  if (live) return { use: false, why: `${live.id} is a liveness property; the reduction preserves safety only` };
  for (const p of properties) {
    const blind = new Set(p.ignores ?? []);
    const seen = r.writes.filter((w) => !blind.has(w));
    if (seen.length > 0)
      return {
        use: false,
        why: `${p.id} may read ${seen.join(', ')}, which the independent actions write (Property.ignores)`,
      };
  }
  return { use: true, why: r.summary };
}

/** Counts what the engine did with a plan, for `Stats.reduction`. */
export class ReductionTally {
  reducedStates = 0;
  provisoExpansions = 0;
  skippedActions = 0;

  constructor(readonly plan: ReductionPlan) {}

  /** The stats of one run's counts under `plan`. */
  static of(plan: ReductionPlan, counts: Omit<ReductionStats, 'used' | 'detail'>): ReductionStats {
    const t = new ReductionTally(plan);
    t.add(counts);
    return t.stats();
  }

  add(other: Omit<ReductionStats, 'used' | 'detail'>): void {
    this.reducedStates += other.reducedStates;
    this.provisoExpansions += other.provisoExpansions;
    this.skippedActions += other.skippedActions;
  }

  stats(): ReductionStats {
    return {
      used: this.plan.use,
      detail: this.plan.why,
      reducedStates: this.reducedStates,
      provisoExpansions: this.provisoExpansions,
      skippedActions: this.skippedActions,
    };
  }
}
