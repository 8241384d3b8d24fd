import type { Model } from './Model.js';
import type { EventuallyProperty, Property } from './Property.js';
import type { CheckOptions } from './search.js';
import type { CheckResult, PropertyOutcome, Stats } from './result.js';
import { undecidedOutcome, verdict } from './result.js';
import { collisionProbability, fingerprintOf } from './fingerprint.js';
import { replayPath } from './Path.js';
import { EXPANDED, Grow8, NO_FAMILY, PRUNED, SELF_LOOP, exploreGraph, type StateGraph } from './StateGraph.js';

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
  const stopOnViolation = options.stopOnViolation ?? true;
  const stutterAlways = (options.stutter ?? 'deadlock') === 'always';
  const safety = properties.filter((p) => p.kind === 'always');
  const guards = properties.filter((p) => p.kind === 'sometimes');
  const live = properties.filter((p): p is EventuallyProperty<S> => p.kind === 'eventually');
  const liveFlags = live.map(() => new Grow8(1024));
  const found = new Map<string, { readonly p: Property<S>; readonly id: number; readonly detail?: string }>();

  const exp = exploreGraph(model, options, (s, id) => {
    let go = true;
    for (const p of safety)
      if (!found.has(p.id) && !p.holds(s)) {
        const detail = p.explain?.(s);
        found.set(p.id, detail === undefined ? { p, id } : { p, id, detail });
        if (stopOnViolation) go = false;
      }
    for (const p of guards) if (!found.has(p.id) && p.holds(s)) found.set(p.id, { p, id });
    for (let i = 0; i < live.length; i++) {
      const p = live[i] as EventuallyProperty<S>;
      (liveFlags[i] as Grow8).push((p.holds(s) ? HOLDS : 0) | (p.trigger?.(s) ? TRIGGER : 0));
    }
    return go;
  });
  const g = exp.graph;
  const complete = exp.reasons.length === 0 && !exp.stopped;
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

  let deadlock: PropertyOutcome | undefined;
  if (options.deadlock) {
    for (let v = 0; v < g.size; v++) {
      const fl = g.flags[v] as number;
      if (fl & EXPANDED && !(fl & SELF_LOOP) && g.rowStart[v] === g.rowStart[v + 1]) {
        deadlock = {
          id: 'deadlock-free',
          title: 'Every reachable state has a successor',
          kind: 'always',
          status: 'violated',
          path: g.tree.pathTo(v),
        };
        break;
      }
    }
  }

  let ws: SccWorkspace | undefined;
  for (let i = 0; i < live.length; i++) {
    const p = live[i] as EventuallyProperty<S>;
    const fl = (liveFlags[i] as Grow8).view();
    ws ??= new SccWorkspace(g);
    outcome.set(p.id, decideEventually(model, g, p, fl, ws, stutterAlways, complete, exp.reasons));
  }

  const durationMs = exp.durationMs;
  const stats: Stats = {
    generated: exp.generated,
    distinct: g.size,
    maxDepth: exp.maxDepth,
    queued: exp.queued,
    durationMs,
    statesPerSecond: Math.round((g.size * 1000) / Math.max(1, durationMs)),
    collisionProbability: collisionProbability(g.size, exp.generated),
    bytesPerState: g.size ? g.bytesUsed / g.size : 0,
  };
  const outcomes: PropertyOutcome[] = [];
  if (deadlock) outcomes.push(deadlock);
  for (const p of properties) {
    const o = outcome.get(p.id);
    outcomes.push(o ?? undecidedOutcome(p, complete));
  }
  return verdict(stats, outcomes, exp.reasons);
}

const HOLDS = 1;
const TRIGGER = 2;

/** The fair families of one property, as indices `0 … count-1`. */
interface FairPlan {
  /** Family id → fair index, or -1 (65536 entries, so `NO_FAMILY` maps to -1 too). */
  readonly famToFair: Int16Array;
  /** Per fair index: 1 strong, 0 weak. */
  readonly strong: Uint8Array;
  readonly count: number;
  readonly unknown: readonly string[];
}

function fairPlan(g: StateGraph, weak: readonly string[], strong: readonly string[]): FairPlan {
  const famToFair = new Int16Array(NO_FAMILY + 1).fill(-1);
  const kinds: number[] = [];
  const unknown: string[] = [];
  const ids = new Map(g.families.map((f, i) => [f, i]));
  const add = (name: string, isStrong: boolean): void => {
    const id = ids.get(name);
    if (id === undefined) {
      if (!unknown.includes(name)) unknown.push(name);
      return;
    }
    if ((famToFair[id] as number) >= 0) return;
    famToFair[id] = kinds.length;
    kinds.push(isStrong ? 1 : 0);
  };
  for (const f of strong) add(f, true);
  for (const f of weak) add(f, false);
  return { famToFair, strong: Uint8Array.from(kinds), count: kinds.length, unknown };
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
  const N = g.size;
  const { rowStart, target, family, flags } = g;
  const weak = p.fairness?.weak ?? [];
  const strong = p.fairness?.strong ?? [];
  const plan = fairPlan(g, weak, strong);
  const { famToFair } = plan;
  const warnings: string[] = [];
  for (const f of plan.unknown)
    warnings.push(
      `fairness names action family "${f}", which no explored action belongs to (families: ${
        g.families.length ? g.families.join(', ') : 'none: the model defines no actionFamily'
      }); it constrains nothing`,
    );

  const anyFairEnabled = (v: number): boolean => {
    for (let e = rowStart[v] as number, end = rowStart[v + 1] as number; e < end; e++)
      if ((famToFair[family[e] as number] as number) >= 0) return true;
    return false;
  };
  /** A `!holds` state where the behaviour may stutter forever. */
  const stuck = (v: number): boolean =>
    ((flags[v] as number) & EXPANDED) !== 0 &&
    (rowStart[v] === rowStart[v + 1] || (stutterAlways && !anyFairEnabled(v)));

  // 1. SCCs of the subgraph of !holds states, emitted successors-first.
  const token = ws.newToken();
  const mark = ws.mark;
  const rootsB = new Int32Array(N);
  let nB = 0;
  for (let v = 0; v < N; v++)
    if (!((fl[v] as number) & HOLDS)) {
      mark[v] = token;
      rootsB[nB++] = v;
    }
  const sccId = new Int32Array(N).fill(-1);
  const members = new Int32Array(nB);
  const sccStart = new Int32Array(nB + 1);
  let nScc = 0;
  let pos = 0;
  ws.run(rootsB, nB, token, (stack, from, to) => {
    sccStart[nScc] = pos;
    for (let i = from; i < to; i++) {
      const v = stack[i] as number;
      members[pos++] = v;
      sccId[v] = nScc;
    }
    nScc++;
  });
  sccStart[nScc] = pos;

  // 2. Per SCC: does it hold a fair cycle or a stuttering state (bad), and can it reach a bad SCC (inR)?
  //    inR0 is the same question with no fairness at all, for the "holds only under fairness" warning.
  const inR = new Uint8Array(nScc);
  const inR0 = new Uint8Array(nScc);
  const fairComp = new Int32Array(N).fill(-1);
  const refine = fairRefiner(g, plan, ws, fairComp);
  for (let k = 0; k < nScc; k++) {
    const a = sccStart[k] as number;
    const b = sccStart[k + 1] as number;
    let bad = false;
    let bad0 = b - a >= 2;
    for (let i = a; i < b; i++) {
      const v = members[i] as number;
      if (!((flags[v] as number) & EXPANDED)) continue;
      if (stuck(v)) bad = true;
      if (stutterAlways || rowStart[v] === rowStart[v + 1]) bad0 = true;
    }
    if (!bad && b - a >= 2 && refine(members.subarray(a, b), k)) bad = true;
    let r = bad;
    let r0 = bad0;
    for (let i = a; i < b && !(r && r0); i++) {
      const v = members[i] as number;
      for (let e = rowStart[v] as number, end = rowStart[v + 1] as number; e < end; e++) {
        const w = target[e] as number;
        if (w === PRUNED) continue;
        const k2 = sccId[w] as number;
        if (k2 < 0 || k2 === k) continue;
        if (inR[k2]) r = true;
        if (inR0[k2]) r0 = true;
      }
    }
    inR[k] = r ? 1 : 0;
    inR0[k] = r0 ? 1 : 0;
  }

  // 3. The obligations: trigger states (or initial states) where the goal is false.
  const hasTrigger = p.trigger !== undefined;
  const nInit = g.initIndex.length;
  const isStart = (v: number): boolean => (hasTrigger ? ((fl[v] as number) & TRIGGER) !== 0 : v < nInit);
  let anyStart = false;
  let anyOpen = false;
  let violated = false;
  let unfairOnly = false;
  for (let v = 0; v < N; v++) {
    if (!isStart(v)) continue;
    anyStart = true;
    if ((fl[v] as number) & HOLDS) continue;
    anyOpen = true;
    const k = sccId[v] as number;
    if (inR[k]) violated = true;
    if (inR0[k]) unfairOnly = true;
  }

  const base = { id: p.id, title: p.title, kind: 'eventually' as const };
  const cut = reasons.length ? reasons.join(', ') : 'stopped at a counterexample of another property';
  if (!violated) {
    if (hasTrigger && !anyStart)
      warnings.push(
        complete
          ? `vacuous: the trigger is never reached in the ${N} reachable states, so the property holds trivially`
          : `the trigger is not reached in the ${N} explored states`,
      );
    else if (!anyOpen)
      warnings.push(
        hasTrigger
          ? `vacuous: every reachable state where the trigger holds already satisfies the goal`
          : `vacuous: the goal already holds in every initial state`,
      );
    else if (unfairOnly)
      warnings.push(
        `holds only under fairness: without the fairness assumptions (${describeFairness(weak, strong)}) some behaviour would stay forever in states where the goal is false; every such cycle${
          stutterAlways ? ' or stuttering state' : ''
        } is unfair`,
      );
    if (!complete)
      warnings.push(
        `the explored graph is incomplete (${cut}): no counterexample in the explored part, but liveness is not decided`,
      );
    return { ...base, status: complete ? 'holds' : 'unknown', ...(warnings.length ? { warnings } : {}) };
  }

  // 4. The counterexample: shortest prefix, then a short fair cycle.
  const inRState = (v: number): boolean => {
    const k = sccId[v] as number;
    return k >= 0 && inR[k] === 1;
  };
  const isTarget = (v: number): boolean => fairComp[v] !== -1 || stuck(v);
  const canSwitch = (v: number): boolean => isStart(v) && !((fl[v] as number) & HOLDS) && inRState(v);
  const prefix = shortestPrefix(g, hasTrigger, canSwitch, inRState, isTarget);
  const entry = prefix.entry;
  const path = [prefix.init, ...prefix.actions];
  const loopStart = prefix.actions.length;
  let shape: string;
  if (stuck(entry)) {
    shape =
      rowStart[entry] === rowStart[entry + 1]
        ? `the behaviour ends at step ${loopStart} in a state without successors`
        : `the behaviour stutters forever at step ${loopStart}: no fair action is enabled there`;
  } else {
    const cycle = fairCycle(g, plan, fairComp, entry);
    for (const e of cycle) path.push(g.action[e] as number);
    shape = `from step ${loopStart} the behaviour repeats a fair cycle of ${cycle.length} step(s) forever`;
  }
  const replay = walkLasso(model, path, loopStart);
  let detail = `${shape} and never reaches the goal`;
  if (replay.ok) {
    const why = p.explain?.(replay.entry);
    if (why !== undefined) detail = `${why}; ${detail}`;
  } else warnings.push(`the counterexample does not replay: ${replay.error}`);
  return { ...base, status: 'violated', path, loopStart, detail, ...(warnings.length ? { warnings } : {}) };
}

/**
 * Follows `path` once (cheaper than `replayPath`, which verifies every step twice; lassos can be long)
 * and returns the state at `loopStart`, after checking that the last state is that same state. On any
 * failure `replayPath` explains it.
 */
function walkLasso<S, A>(
  model: Model<S, A>,
  path: readonly number[],
  loopStart: number,
): { readonly ok: true; readonly entry: S } | { readonly ok: false; readonly error: string } {
  const explain = (): { ok: false; error: string } => {
    const r = replayPath(model, path);
    return {
      ok: false,
      error: r.ok
        ? `the model is nondeterministic: the last state differs from the state at step ${loopStart} it was found equal to`
        : r.error,
    };
  };
  const init = model.initStates()[path[0] as number];
  if (init === undefined) return explain();
  let s: S = init;
  let entry: S = init;
  for (let k = 1; k < path.length; k++) {
    const a: A | undefined = model.actions(s)[path[k] as number];
    const n: S | undefined = a === undefined ? undefined : model.next(s, a);
    if (n === undefined) return explain();
    s = n;
    if (k === loopStart) entry = s;
  }
  const encode = model.encode.bind(model);
  return fingerprintOf(encode, s) === fingerprintOf(encode, entry) ? { ok: true, entry } : explain();
}

function describeFairness(weak: readonly string[], strong: readonly string[]): string {
  const parts: string[] = [];
  if (weak.length) parts.push(`weak: ${weak.join(', ')}`);
  if (strong.length) parts.push(`strong: ${strong.join(', ')}`);
  return parts.length ? parts.join('; ') : 'none';
}

/**
 * Returns `refine(X, k)`: whether the SCC `X` contains a fair strongly connected subgraph; if so its
 * states get `fairComp[v] = k`. Weak families enabled everywhere but never taken inside reject a set;
 * strong families enabled somewhere but never taken inside remove their enabling states, and the
 * remaining sub-SCCs are examined (a worklist; no recursion).
 */
function fairRefiner(
  g: StateGraph,
  plan: FairPlan,
  ws: SccWorkspace,
  fairComp: Int32Array,
): (X: Int32Array, k: number) => boolean {
  const { rowStart, target, family } = g;
  const { famToFair, strong, count } = plan;
  const mark = ws.mark;
  const enabled = new Int32Array(count);
  const taken = new Uint8Array(count);
  const failing = new Uint8Array(count);
  const seenAt = new Int32Array(count);
  return (X0, k) => {
    const work: Int32Array[] = [X0];
    for (let X = work.pop(); X !== undefined; X = work.pop()) {
      const t = ws.newToken();
      for (const v of X) mark[v] = t;
      enabled.fill(0);
      taken.fill(0);
      failing.fill(0);
      seenAt.fill(-1);
      for (const v of X)
        for (let e = rowStart[v] as number, end = rowStart[v + 1] as number; e < end; e++) {
          const j = famToFair[family[e] as number] as number;
          if (j < 0) continue;
          if (seenAt[j] !== v) {
            seenAt[j] = v;
            enabled[j] = (enabled[j] as number) + 1;
          }
          const w = target[e] as number;
          if (w !== PRUNED && mark[w] === t) taken[j] = 1;
        }
      let rejected = false;
      let anyFailing = false;
      for (let j = 0; j < count; j++) {
        if (taken[j] || !enabled[j]) continue;
        if (strong[j]) {
          failing[j] = 1;
          anyFailing = true;
        } else if (enabled[j] === X.length) rejected = true;
      }
      if (rejected) continue;
      if (!anyFailing) {
        for (const v of X) fairComp[v] = k;
        return true;
      }
      const t2 = ws.newToken();
      const kept = new Int32Array(X.length);
      let nk = 0;
      outer: for (const v of X) {
        for (let e = rowStart[v] as number, end = rowStart[v + 1] as number; e < end; e++) {
          const j = famToFair[family[e] as number] as number;
          if (j >= 0 && failing[j]) continue outer;
        }
        mark[v] = t2;
        kept[nk++] = v;
      }
      ws.run(kept, nk, t2, (stack, from, to) => {
        if (to - from >= 2) work.push(stack.slice(from, to));
      });
    }
    return false;
  };
}

/**
 * Shortest path from an initial state, through a state where `canSwitch` (a trigger state in R), then
 * only through states where `inR`, to a state where `isTarget`. A BFS over (state, phase): phase 0 is
 * before the trigger (any edges; skipped when there is no trigger, since then the initial state itself
 * is the trigger), phase 1 after it; switching phase is free.
 */
function shortestPrefix(
  g: StateGraph,
  hasTrigger: boolean,
  canSwitch: (v: number) => boolean,
  inR: (v: number) => boolean,
  isTarget: (v: number) => boolean,
): { init: number; actions: number[]; entry: number } {
  const { rowStart, target, action } = g;
  const N2 = g.size * 2;
  const prev = new Int32Array(N2).fill(-1);
  const prevEdge = new Int32Array(N2).fill(-1);
  const seen = new Uint8Array(N2);
  const queue = new Int32Array(N2);
  let head = 0;
  let tail = 0;
  const reach = (x: number, from: number, e: number): void => {
    if (seen[x]) return;
    seen[x] = 1;
    prev[x] = from;
    prevEdge[x] = e;
    queue[tail++] = x;
  };
  for (let v = 0; v < g.initIndex.length; v++) {
    reach(2 * v, -1, -1);
    if (canSwitch(v)) reach(2 * v + 1, 2 * v, -1);
  }
  while (head < tail) {
    const x = queue[head++] as number;
    const v = x >> 1;
    if (x & 1) {
      if (isTarget(v)) {
        const actions: number[] = [];
        let cur = x;
        while (prev[cur] !== -1) {
          const e = prevEdge[cur] as number;
          if (e >= 0) actions.push(action[e] as number);
          cur = prev[cur] as number;
        }
        actions.reverse();
        return { init: g.initIndex[cur >> 1] as number, actions, entry: v };
      }
      for (let e = rowStart[v] as number, end = rowStart[v + 1] as number; e < end; e++) {
        const w = target[e] as number;
        if (w !== PRUNED && inR(w)) reach(2 * w + 1, x, e);
      }
    } else if (hasTrigger) {
      for (let e = rowStart[v] as number, end = rowStart[v + 1] as number; e < end; e++) {
        const w = target[e] as number;
        if (w === PRUNED) continue;
        reach(2 * w, x, e);
        if (canSwitch(w)) reach(2 * w + 1, 2 * w, -1);
      }
    }
  }
  throw new Error('internal error: no path to the counterexample cycle although one was proved to exist');
}

/**
 * A short fair cycle through `entry` inside its fair component `C = {v : fairComp[v] = fairComp[entry]}`,
 * as edge indices. Obligations: an edge of every strong family enabled somewhere in C and of every weak
 * family enabled everywhere in C; for a weak family enabled only somewhere, a state where it is disabled
 * (or one of its edges). Greedy: shortest path to the nearest state that discharges something, repeat,
 * then a shortest path back to `entry`.
 */
function fairCycle(g: StateGraph, plan: FairPlan, fairComp: Int32Array, entry: number): number[] {
  const { rowStart, target, family } = g;
  const { famToFair, strong, count } = plan;
  const N = g.size;
  const k = fairComp[entry] as number;
  const inC = (v: number): boolean => fairComp[v] === k;
  const enabledAt = (v: number, j: number): boolean => {
    for (let e = rowStart[v] as number, end = rowStart[v + 1] as number; e < end; e++)
      if (famToFair[family[e] as number] === j) return true;
    return false;
  };
  const enabled = new Int32Array(count);
  let size = 0;
  for (let v = 0; v < N; v++) {
    if (!inC(v)) continue;
    size++;
    for (let j = 0; j < count; j++) if (enabledAt(v, j)) enabled[j] = (enabled[j] as number) + 1;
  }
  // need[j]: 0 nothing, 1 take an edge of j, 2 take an edge of j or visit a state where j is disabled.
  const need = new Uint8Array(count);
  for (let j = 0; j < count; j++) {
    const en = enabled[j] as number;
    if (en === 0) continue;
    need[j] = strong[j] || en === size ? 1 : 2;
  }
  let pending = need.reduce((n, x) => n + (x ? 1 : 0), 0);
  const atState = (v: number): void => {
    for (let j = 0; j < count; j++)
      if (need[j] === 2 && !enabledAt(v, j)) {
        need[j] = 0;
        pending--;
      }
  };
  const atEdge = (e: number): void => {
    const j = famToFair[family[e] as number] as number;
    if (j >= 0 && need[j]) {
      need[j] = 0;
      pending--;
    }
  };
  const pendingEdge = (v: number): number => {
    for (let e = rowStart[v] as number, end = rowStart[v + 1] as number; e < end; e++) {
      const w = target[e] as number;
      if (w === PRUNED || !inC(w)) continue;
      const j = famToFair[family[e] as number] as number;
      if (j >= 0 && need[j]) return e;
    }
    return -1;
  };
  const discharges = (v: number): boolean => {
    if (pendingEdge(v) >= 0) return true;
    for (let j = 0; j < count; j++) if (need[j] === 2 && !enabledAt(v, j)) return true;
    return false;
  };

  const stamp = new Int32Array(N);
  const parent = new Int32Array(N);
  const parentEdge = new Int32Array(N);
  const queue = new Int32Array(N);
  let gen = 0;
  /** Shortest path inside C from `src` to a state where `goal`; with `zero`, `src` itself may be it. */
  const bfs = (src: number, goal: (v: number) => boolean, zero: boolean): number[] => {
    gen++;
    let head = 0;
    let tail = 0;
    let hit = -1;
    const found = (w: number): number[] => {
      const edges: number[] = [];
      for (let cur = w; parent[cur] !== -1;) {
        edges.push(parentEdge[cur] as number);
        if (parent[cur] === -2) break;
        cur = parent[cur] as number;
      }
      return edges.reverse();
    };
    if (zero) {
      if (goal(src)) return [];
      stamp[src] = gen;
      parent[src] = -1;
      queue[tail++] = src;
    } else {
      for (let e = rowStart[src] as number, end = rowStart[src + 1] as number; e < end && hit < 0; e++) {
        const w = target[e] as number;
        if (w === PRUNED || !inC(w) || stamp[w] === gen) continue;
        stamp[w] = gen;
        parent[w] = -2;
        parentEdge[w] = e;
        if (goal(w)) hit = w;
        queue[tail++] = w;
      }
    }
    while (head < tail && hit < 0) {
      const v = queue[head++] as number;
      for (let e = rowStart[v] as number, end = rowStart[v + 1] as number; e < end; e++) {
        const w = target[e] as number;
        if (w === PRUNED || !inC(w) || stamp[w] === gen) continue;
        stamp[w] = gen;
        parent[w] = v;
        parentEdge[w] = e;
        if (goal(w)) {
          hit = w;
          break;
        }
        queue[tail++] = w;
      }
    }
    if (hit < 0) throw new Error('internal error: a fair component is not strongly connected');
    return found(hit);
  };

  const cycle: number[] = [];
  let cur = entry;
  const step = (e: number): void => {
    cycle.push(e);
    atEdge(e);
    cur = target[e] as number;
    atState(cur);
  };
  atState(entry);
  while (pending > 0) {
    for (const e of bfs(cur, discharges, true)) step(e);
    const e = pendingEdge(cur);
    if (e >= 0) step(e);
  }
  if (cur !== entry || cycle.length === 0) for (const e of bfs(cur, (v) => v === entry, cur !== entry)) step(e);
  return cycle;
}

/**
 * Iterative Tarjan over the CSR graph, restricted to the states `v` with `mark[v] === token`. Work
 * arrays are sized once per graph and reused (a generation stamp replaces clearing).
 */
class SccWorkspace {
  /** Membership tokens; callers write them, `run` reads them. */
  readonly mark: Int32Array;
  private readonly stamp: Uint32Array;
  private readonly index: Int32Array;
  private readonly low: Int32Array;
  private readonly onStack: Uint8Array;
  private readonly stack: Int32Array;
  private readonly callV: Int32Array;
  private readonly callE: Uint32Array;
  private gen = 0;
  private tokens = 0;

  constructor(private readonly g: StateGraph) {
    const n = g.size;
    this.mark = new Int32Array(n);
    this.stamp = new Uint32Array(n);
    this.index = new Int32Array(n);
    this.low = new Int32Array(n);
    this.onStack = new Uint8Array(n);
    this.stack = new Int32Array(n);
    this.callV = new Int32Array(n);
    this.callE = new Uint32Array(n);
  }

  /** A token never used before. */
  newToken(): number {
    return ++this.tokens;
  }

  /**
   * Emits the SCCs reachable from `roots[0 … count-1]` inside the marked set, each as
   * `stack[from … to-1]` (valid only during the call), an SCC always after every SCC it can reach.
   */
  run(
    roots: Int32Array,
    count: number,
    token: number,
    emit: (stack: Int32Array, from: number, to: number) => void,
  ): void {
    const { rowStart, target } = this.g;
    const { mark, stamp, index, low, onStack, stack, callV, callE } = this;
    const gen = ++this.gen;
    let counter = 0;
    let sp = 0;
    let csp = 0;
    const enter = (w: number): void => {
      stamp[w] = gen;
      index[w] = low[w] = counter++;
      onStack[w] = 1;
      stack[sp++] = w;
      callV[csp] = w;
      callE[csp] = rowStart[w] as number;
      csp++;
    };
    for (let r = 0; r < count; r++) {
      const root = roots[r] as number;
      if (stamp[root] === gen || mark[root] !== token) continue;
      enter(root);
      while (csp > 0) {
        const v = callV[csp - 1] as number;
        let e = callE[csp - 1] as number;
        const end = rowStart[v + 1] as number;
        let descended = false;
        while (e < end) {
          const w = target[e++] as number;
          if (w === PRUNED || mark[w] !== token) continue;
          if (stamp[w] !== gen) {
            callE[csp - 1] = e;
            enter(w);
            descended = true;
            break;
          }
          if (onStack[w] && (index[w] as number) < (low[v] as number)) low[v] = index[w] as number;
        }
        if (descended) continue;
        csp--;
        if (low[v] === index[v]) {
          let from = sp;
          do {
            from--;
            onStack[stack[from] as number] = 0;
          } while (stack[from] !== v);
          emit(stack, from, sp);
          sp = from;
        }
        if (csp > 0) {
          const u = callV[csp - 1] as number;
          if ((low[v] as number) < (low[u] as number)) low[u] = low[v] as number;
        }
      }
    }
  }
}
