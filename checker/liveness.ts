import { DEADLOCK_FREE, PropertyChecks, outcomesOf, searchStats, type CheckedProperty } from './findings.js';
import type { Model } from './Model.js';
import type { EventuallyProperty, Fairness, Property } from './Property.js';
import type { CheckOptions } from './search.js';
import type { CheckResult, PropertyOutcome, Stats } from './result.js';
import { verdict } from './result.js';
import { EXPANDED, Grow8, PRUNED, SELF_LOOP, exploreGraph, type Exploration, type StateGraph } from './StateGraph.js';
import { SccWorkspace } from './scc.js';
import { FairRefiner, anyFairEnabled, fairPlan, type FairPlan } from './fairness.js';
import { fairCycle } from './fairCycle.js';
import { shortestPrefix, walkLasso } from './lasso.js';

/** Options of `checkLiveness`: those of `check` (always breadth-first, canonical action order) plus `stutter`. */
export interface LivenessOptions extends Omit<CheckOptions, 'strategy' | 'actionOrder'> {
  /**
   * Where a behaviour may end by stuttering forever (default `deadlock`):
   * - `deadlock`: only in a state without successors. A behaviour is a maximal path of the state graph:
   *   it keeps taking steps while any is enabled, i.e. TLA+ with `WF_vars(Next)` always assumed.
   * - `always`: TLA+'s own semantics: in any state where no fair family is enabled (with no fairness
   *   at all, any state — so an `eventually` whose goal is false initially is then always violated).
   */
  readonly stutter?: 'deadlock' | 'always';
}

/**
 * Explores the whole reachable state graph of `model` breadth-first and decides every property:
 * `always` and `sometimes` exactly as `check` does (checked when a state is discovered; shortest paths),
 * and each `eventually` property over the finished graph under its fairness.
 *
 * ## Semantics of `eventually(holds, { trigger, fairness })`
 *
 * The property is TLA+'s `trigger ~> holds` (without a trigger: `Init ~> holds`, i.e. `<>holds` from
 * every initial state). A *behaviour* is an infinite sequence of states starting in an initial state in
 * which each step follows an edge of the graph, or ends by stuttering forever in a state where that is
 * allowed (see `LivenessOptions.stutter`; by default only states without successors). Actions that
 * leave the state unchanged (self-loops) are stuttering steps: they are neither edges nor "enabled".
 *
 * A counterexample is a *fair* behaviour that reaches a state where `trigger` holds and `holds` does
 * not, and from there on never reaches a state where `holds` is true. Every such behaviour ends in a
 * lasso over states where `holds` is false, of one of two shapes:
 * - a cycle (a strongly connected set of `!holds` states, with the edges among them) that satisfies
 *   every fairness constraint: for a family `F` listed as *weak*, if `F` is enabled (has an edge, even
 *   one leaving the set or one pruned by the state constraint) in every state of the cycle, an `F` edge
 *   is taken on the cycle; for a family listed as *strong*, if `F` is enabled in some state of the
 *   cycle, an `F` edge is taken on it. Families not listed (e.g. faults) are not fair, and a family
 *   listed under both is strong. Decided per strongly connected component (iterative Tarjan) with the
 *   Emerson–Lei / Streett refinement: an SCC where a weak family is enabled everywhere but never taken
 *   inside has no fair cycle; where a strong family is enabled somewhere but never taken inside, its
 *   enabling states are removed and the remaining sub-SCCs are examined again.
 * - stuttering forever in a `!holds` state where stuttering is allowed (a state without successors;
 *   with `stutter: 'always'`, any state where no fair family is enabled).
 *
 * ## The counterexample
 *
 * `path = [initIndex, a1, …, an]` names the states `s0 … sn` (replayable with `replayPath`). The
 * behaviour is `s0 … s(loopStart-1)` followed by `s(loopStart) … s(n-1)` repeated forever, and the last
 * state repeats the entry of the cycle: `sn` is the same state as `s(loopStart)`. When
 * `loopStart === n` the cycle is empty: the behaviour stutters forever in `sn`. The prefix is a shortest
 * path from an initial state through a trigger state into a state of a fair cycle (or a stuttering
 * state), staying in `!holds` states after the trigger; the cycle is short: it starts and ends at the
 * entry and greedily visits, by shortest paths inside the component, one edge of each fair family that
 * it must take and, for each weak family not enabled everywhere, a state where it is disabled (or an
 * edge of it).
 *
 * ## Incomplete graphs and warnings
 *
 * If a bound cut the graph (depth, states, time, state constraint, interruption, or the search stopped
 * at a safety counterexample), a found lasso is still a real counterexample (it only uses fully expanded
 * states, and enabledness counts pruned successors), but otherwise the status is `unknown`, never
 * `holds`. `PropertyOutcome.warnings` says when a result is vacuous or weaker than it looks: the trigger
 * is never reached; every trigger state already satisfies the goal; the property holds only because of
 * fairness (some behaviour would stay forever in `!holds` states without it); a fairness family no action
 * belongs to; an incomplete graph.
 *
 * Memory: the graph is kept in typed arrays (16–32 bytes per state for the fingerprint index, 6 for
 * the BFS tree and 8 per edge), plus transient per-property arrays of a few bytes per state. Symmetry
 * reduction (`canonicalize`) is not applied: cycles must close on the very same state to replay.
 */
export function checkLiveness<S, A>(
  model: Model<S, A>,
  properties: readonly Property<S>[],
  options: LivenessOptions = {},
): CheckResult {
  const stutterAlways = (options.stutter ?? 'deadlock') === 'always';
  const live = properties.filter((p): p is EventuallyProperty<S> => p.kind === 'eventually');
  const { exp, found, liveFlags } = exploreAndCheck(model, properties, live, options);
  const g = exp.graph;
  const complete = exp.reasons.length === 0 && !exp.stopped;
  const outcome = findingOutcomes(g, found);
  const deadlock = options.deadlock ? findDeadlock(g) : undefined;

  let ws: SccWorkspace | undefined;
  for (let i = 0; i < live.length; i++) {
    const p = live[i] as EventuallyProperty<S>;
    const fl = (liveFlags[i] as Grow8).view();
    ws ??= new SccWorkspace(g);
    outcome.set(p.id, decideEventually(model, g, p, fl, ws, stutterAlways, complete, exp.reasons));
  }

  const foundOutcome = (id: string): PropertyOutcome | undefined =>
    id === DEADLOCK_FREE.id ? deadlock : outcome.get(id);
  return verdict(graphStats(exp), outcomesOf(properties, foundOutcome, complete, deadlock !== undefined), exp.reasons);
}

/** Per-state bits of an `eventually` property, recorded during exploration. */
const HOLDS = 1;
const TRIGGER = 2;

/** The first state found violating an `always` property or satisfying a `sometimes` guard. */
interface Finding<S> {
  readonly p: CheckedProperty<S>;
  readonly id: number;
  readonly detail?: string;
}

/**
 * Builds the state graph, checking `always` and `sometimes` properties on each state as it is
 * discovered and recording the `HOLDS`/`TRIGGER` bits of each `eventually` property in `liveFlags`.
 */
function exploreAndCheck<S, A>(
  model: Model<S, A>,
  properties: readonly Property<S>[],
  live: readonly EventuallyProperty<S>[],
  options: LivenessOptions,
): { readonly exp: Exploration; readonly found: Map<string, Finding<S>>; readonly liveFlags: readonly Grow8[] } {
  const stopOnViolation = options.stopOnViolation ?? true;
  const liveFlags = live.map(() => new Grow8(1024));
  const found = new Map<string, Finding<S>>();
  let go = true;
  // deadlock and `eventually` are decided over the finished graph, not at dead ends
  const checks = new PropertyChecks<S>(
    properties,
    false,
    (p, status, id, s) => {
      const detail = status === 'violated' ? p.explain?.(s) : undefined;
      found.set(p.id, detail === undefined ? { p, id } : { p, id, detail });
      if (status === 'violated' && stopOnViolation) go = false;
    },
    (pid) => found.has(pid),
  );
  const exp = exploreGraph(model, options, (s, id) => {
    checks.discovered(s, id);
    for (let i = 0; i < live.length; i++) {
      const p = live[i] as EventuallyProperty<S>;
      (liveFlags[i] as Grow8).push((p.holds(s) ? HOLDS : 0) | (p.trigger?.(s) ? TRIGGER : 0));
    }
    return go;
  });
  return { exp, found, liveFlags };
}

/** The outcomes of the `always` and `sometimes` properties, by id, with shortest paths. */
function findingOutcomes<S>(g: StateGraph, found: ReadonlyMap<string, Finding<S>>): Map<string, PropertyOutcome> {
  const outcome = new Map<string, PropertyOutcome>();
  for (const [pid, f] of found) {
    outcome.set(pid, {
      id: pid,
      title: f.p.title,
      kind: f.p.kind,
      status: f.p.kind === 'always' ? 'violated' : 'found',
      path: g.tree.pathTo(f.id),
      ...(f.detail !== undefined ? { detail: f.detail } : {}),
    });
  }
  return outcome;
}

/** The first expanded state (in id order) with neither successors nor a self-loop, as a violated outcome. */
function findDeadlock(g: StateGraph): PropertyOutcome | undefined {
  for (let v = 0; v < g.size; v++) {
    const fl = g.flags[v] as number;
    if (fl & EXPANDED && !(fl & SELF_LOOP) && g.rowStart[v] === g.rowStart[v + 1])
      return { ...DEADLOCK_FREE, status: 'violated', path: g.tree.pathTo(v) };
  }
  return undefined;
}

/** The statistics of the exploration (the time is that of building the graph). */
function graphStats(exp: Exploration): Stats {
  const g = exp.graph;
  return searchStats({
    generated: exp.generated,
    distinct: g.size,
    deepest: exp.maxDepth,
    queued: exp.queued,
    durationMs: exp.durationMs,
    bytes: g.bytesUsed,
    cuts: exp.cuts,
  });
}

/** What the decision of one `eventually` property works on. */
interface Analysis {
  readonly g: StateGraph;
  /** Per state: `HOLDS` | `TRIGGER`. */
  readonly fl: Uint8Array;
  readonly plan: FairPlan;
  readonly hasTrigger: boolean;
  readonly stutterAlways: boolean;
}

/** Decides one `eventually` property over the finished graph (see `checkLiveness`). */
function decideEventually<S, A>(
  model: Model<S, A>,
  g: StateGraph,
  p: EventuallyProperty<S>,
  fl: Uint8Array,
  ws: SccWorkspace,
  stutterAlways: boolean,
  complete: boolean,
  reasons: readonly string[],
): PropertyOutcome {
  const plan = fairPlan(g, p.fairness?.weak ?? [], p.fairness?.strong ?? []);
  const warnings = plan.unknown.map((f) => unknownFamilyWarning(g, f));
  const cx: Analysis = { g, fl, plan, hasTrigger: p.trigger !== undefined, stutterAlways };
  const sccs = openSccs(g, fl, ws);
  const ends = classifySccs(cx, sccs, ws);
  const ob = obligations(cx, sccs.sccId, ends.reach);
  if (!ob.violated) return noCounterexample(cx, p, ob, complete, reasons, warnings);
  return counterexample(model, p, counterexampleLasso(cx, sccs.sccId, ends), warnings);
}

/** The warning for a fairness family `f` that no explored action belongs to. */
function unknownFamilyWarning(g: StateGraph, f: string): string {
  return `fairness names action family "${f}", which no explored action belongs to (families: ${
    g.families.length ? g.families.join(', ') : 'none: the model defines no actionFamily'
  }); it constrains nothing`;
}

/** Whether `v` is where an obligation starts: a trigger state, or without a trigger an initial state. */
function isStart(cx: Analysis, v: number): boolean {
  return cx.hasTrigger ? ((cx.fl[v] as number) & TRIGGER) !== 0 : v < cx.g.initIndex.length;
}

/**
 * Whether `v`, a `!holds` state, is one where the behaviour may stutter forever: it is expanded and has
 * no successors or, with `stutter: 'always'`, no fair family is enabled there.
 */
function isStuck(cx: Analysis, v: number): boolean {
  const { rowStart, flags } = cx.g;
  return (
    ((flags[v] as number) & EXPANDED) !== 0 &&
    (rowStart[v] === rowStart[v + 1] || (cx.stutterAlways && !anyFairEnabled(cx.g, cx.plan.famToFair, v)))
  );
}

/** The SCCs of the subgraph of `!holds` states, successors first: SCC `k` is `members[start[k] … start[k+1]-1]`. */
interface OpenSccs {
  /** State → its SCC, or -1 where the goal holds. */
  readonly sccId: Int32Array;
  readonly members: Int32Array;
  readonly start: Int32Array;
  readonly count: number;
}

/** Step 1: the SCCs of the subgraph of `!holds` states, emitted successors-first. */
function openSccs(g: StateGraph, fl: Uint8Array, ws: SccWorkspace): OpenSccs {
  const N = g.size;
  const token = ws.newToken();
  const mark = ws.mark;
  const roots = new Int32Array(N);
  let nB = 0;
  for (let v = 0; v < N; v++)
    if (!((fl[v] as number) & HOLDS)) {
      mark[v] = token;
      roots[nB++] = v;
    }
  const sccId = new Int32Array(N).fill(-1);
  const members = new Int32Array(nB);
  const start = new Int32Array(nB + 1);
  let count = 0;
  let pos = 0;
  ws.run(roots, nB, token, (stack, from, to) => {
    start[count] = pos;
    for (let i = from; i < to; i++) {
      const v = stack[i] as number;
      members[pos++] = v;
      sccId[v] = count;
    }
    count++;
  });
  start[count] = pos;
  return { sccId, members, start, count };
}

/** Bit of `reach[k]`: from SCC `k` a fair behaviour can stay in `!holds` states forever (k is in R). */
const FAIR_END = 1;
/** Bit of `reach[k]`: the same with no fairness at all (for the "holds only under fairness" warning). */
const ANY_END = 2;

/** Where behaviours can avoid the goal forever: per SCC, `FAIR_END` | `ANY_END`; per state, its fair component. */
interface Ends {
  readonly reach: Uint8Array;
  /** State → the SCC whose fair subgraph it belongs to (see `FairRefiner`), or -1. */
  readonly fairComp: Int32Array;
}

/**
 * Step 2: per SCC, does it hold a fair cycle or a stuttering state (bad), and can it reach a bad SCC
 * (`FAIR_END`)? `ANY_END` is the same question with no fairness at all. SCCs come successors-first,
 * so the bits of the SCCs an SCC reaches are final when it is examined.
 */
function classifySccs(cx: Analysis, sccs: OpenSccs, ws: SccWorkspace): Ends {
  const reach = new Uint8Array(sccs.count);
  const fairComp = new Int32Array(cx.g.size).fill(-1);
  const refiner = new FairRefiner(cx.g, cx.plan, ws, fairComp);
  for (let k = 0; k < sccs.count; k++) reach[k] = reachedEnds(cx.g, sccs, k, reach, endsInside(cx, sccs, k, refiner));
  return { reach, fairComp };
}

/**
 * The bits SCC `k` has by itself: `FAIR_END` if it has a stuttering state or holds a fair cycle (which
 * `refiner` then marks in `fairComp`), `ANY_END` if it has a cycle or a state where a behaviour may
 * stutter when there is no fairness.
 */
function endsInside(cx: Analysis, sccs: OpenSccs, k: number, refiner: FairRefiner): number {
  const { rowStart, flags } = cx.g;
  const { members } = sccs;
  const a = sccs.start[k] as number;
  const b = sccs.start[k + 1] as number;
  let bad = false;
  let bad0 = b - a >= 2;
  for (let i = a; i < b; i++) {
    const v = members[i] as number;
    if (!((flags[v] as number) & EXPANDED)) continue;
    if (isStuck(cx, v)) bad = true;
    if (cx.stutterAlways || rowStart[v] === rowStart[v + 1]) bad0 = true;
  }
  if (!bad && b - a >= 2 && refiner.refine(members.subarray(a, b), k)) bad = true;
  return (bad ? FAIR_END : 0) | (bad0 ? ANY_END : 0);
}

/** `bits` together with the bits of every other `!holds` SCC an edge of SCC `k` leads to. */
function reachedEnds(g: StateGraph, sccs: OpenSccs, k: number, reach: Uint8Array, bits: number): number {
  const { rowStart, target } = g;
  const { members, sccId } = sccs;
  const b = sccs.start[k + 1] as number;
  for (let i = sccs.start[k] as number; i < b && bits !== (FAIR_END | ANY_END); i++) {
    const v = members[i] as number;
    for (let e = rowStart[v] as number, end = rowStart[v + 1] as number; e < end; e++) {
      const w = target[e] as number;
      if (w === PRUNED) continue;
      const k2 = sccId[w] as number;
      if (k2 < 0 || k2 === k) continue;
      bits |= reach[k2] as number;
    }
  }
  return bits;
}

/** Where the obligations of a property start and whether they can be dodged forever. */
interface Obligations {
  /** Some state starts an obligation. */
  readonly anyStart: boolean;
  /** Some start state does not already satisfy the goal. */
  readonly anyOpen: boolean;
  /** From such a state a fair behaviour can avoid the goal forever. */
  readonly violated: boolean;
  /** From such a state some behaviour can avoid the goal forever when fairness is ignored. */
  readonly unfairOnly: boolean;
}

/** Step 3: the obligations, trigger states (or initial states) where the goal is false. */
function obligations(cx: Analysis, sccId: Int32Array, reach: Uint8Array): Obligations {
  const { fl } = cx;
  let anyStart = false;
  let anyOpen = false;
  let violated = false;
  let unfairOnly = false;
  for (let v = 0; v < cx.g.size; v++) {
    if (!isStart(cx, v)) continue;
    anyStart = true;
    if ((fl[v] as number) & HOLDS) continue;
    anyOpen = true;
    const bits = reach[sccId[v] as number] as number;
    if (bits & FAIR_END) violated = true;
    if (bits & ANY_END) unfairOnly = true;
  }
  return { anyStart, anyOpen, violated, unfairOnly };
}

/** The outcome without a counterexample: `holds` on a complete graph, else `unknown`, with its warnings. */
function noCounterexample<S>(
  cx: Analysis,
  p: EventuallyProperty<S>,
  ob: Obligations,
  complete: boolean,
  reasons: readonly string[],
  warnings: string[],
): PropertyOutcome {
  const N = cx.g.size;
  if (cx.hasTrigger && !ob.anyStart)
    warnings.push(
      complete
        ? `vacuous: the trigger is never reached in the ${N} reachable states, so the property holds trivially`
        : `the trigger is not reached in the ${N} explored states`,
    );
  else if (!ob.anyOpen)
    warnings.push(
      cx.hasTrigger
        ? `vacuous: every reachable state where the trigger holds already satisfies the goal`
        : `vacuous: the goal already holds in every initial state`,
    );
  else if (ob.unfairOnly)
    warnings.push(
      `holds only under fairness: without the fairness assumptions (${describeFairness(p.fairness)}) some behaviour would stay forever in states where the goal is false; every such cycle${
        cx.stutterAlways ? ' or stuttering state' : ''
      } is unfair`,
    );
  if (!complete) {
    const cut = reasons.length ? reasons.join(', ') : 'stopped at a counterexample of another property';
    warnings.push(
      `the explored graph is incomplete (${cut}): no counterexample in the explored part, but liveness is not decided`,
    );
  }
  const base = { id: p.id, title: p.title, kind: 'eventually' as const };
  return { ...base, status: complete ? 'holds' : 'unknown', ...(warnings.length ? { warnings } : {}) };
}

/** The fairness assumptions as the warnings name them, e.g. `weak: a, b; strong: c`. */
function describeFairness(fairness: Fairness | undefined): string {
  const weak = fairness?.weak ?? [];
  const strong = fairness?.strong ?? [];
  const parts: string[] = [];
  if (weak.length) parts.push(`weak: ${weak.join(', ')}`);
  if (strong.length) parts.push(`strong: ${strong.join(', ')}`);
  return parts.length ? parts.join('; ') : 'none';
}

/** A lasso (see `checkLiveness`) and the sentence that describes its loop. */
interface Lasso {
  readonly path: number[];
  readonly loopStart: number;
  readonly shape: string;
}

/** Step 4: the counterexample, a shortest prefix, then a short fair cycle (or stuttering forever). */
function counterexampleLasso(cx: Analysis, sccId: Int32Array, ends: Ends): Lasso {
  const { g, fl } = cx;
  const { reach, fairComp } = ends;
  const inRState = (v: number): boolean => {
    const k = sccId[v] as number;
    return k >= 0 && ((reach[k] as number) & FAIR_END) !== 0;
  };
  const isTarget = (v: number): boolean => fairComp[v] !== -1 || isStuck(cx, v);
  const canSwitch = (v: number): boolean => isStart(cx, v) && !((fl[v] as number) & HOLDS) && inRState(v);
  const prefix = shortestPrefix(g, cx.hasTrigger, canSwitch, inRState, isTarget);
  const entry = prefix.entry;
  const path = [prefix.init, ...prefix.actions];
  const loopStart = prefix.actions.length;
  if (isStuck(cx, entry)) {
    const shape =
      g.rowStart[entry] === g.rowStart[entry + 1]
        ? `the behaviour ends at step ${loopStart} in a state without successors`
        : `the behaviour stutters forever at step ${loopStart}: no fair action is enabled there`;
    return { path, loopStart, shape };
  }
  const cycle = fairCycle(g, cx.plan, fairComp, entry);
  for (const e of cycle) path.push(g.action[e] as number);
  const shape = `from step ${loopStart} the behaviour repeats a fair cycle of ${cycle.length} step(s) forever`;
  return { path, loopStart, shape };
}

/** The `violated` outcome of the lasso, explained at its loop entry when it replays. */
function counterexample<S, A>(
  model: Model<S, A>,
  p: EventuallyProperty<S>,
  lasso: Lasso,
  warnings: string[],
): PropertyOutcome {
  const { path, loopStart } = lasso;
  const replay = walkLasso(model, path, loopStart);
  let detail = `${lasso.shape} and never reaches the goal`;
  if (replay.ok) {
    const why = p.explain?.(replay.entry);
    if (why !== undefined) detail = `${why}; ${detail}`;
  } else warnings.push(`the counterexample does not replay: ${replay.error}`);
  const base = { id: p.id, title: p.title, kind: 'eventually' as const };
  return { ...base, status: 'violated', path, loopStart, detail, ...(warnings.length ? { warnings } : {}) };
}
