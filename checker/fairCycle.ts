import { PRUNED, type StateGraph } from './StateGraph.js';
import type { FairPlan } from './fairness.js';

/** Goal of `pathInComponent`: a state that discharges a pending obligation (else a goal is a state id). */
const DISCHARGES = -1;
/** `parent` of the start of a BFS that allows the empty path. */
const ROOT = -1;
/** `parent` of a state reached by the first edge of a BFS that needs at least one edge. */
const FIRST_STEP = -2;

/** The fair component being searched, the obligations still pending and the BFS work arrays. */
interface CycleSearch {
  readonly rowStart: Uint32Array;
  readonly target: Uint32Array;
  readonly family: Uint16Array;
  readonly famToFair: Int16Array;
  readonly count: number;
  /** State → fair component; the component searched is `k`. */
  readonly fairComp: Int32Array;
  readonly k: number;
  /** need[j]: 0 nothing, 1 take an edge of j, 2 take an edge of j or visit a state where j is disabled. */
  readonly need: Uint8Array;
  /** Number of nonzero entries of `need`. */
  pending: number;
  readonly stamp: Int32Array;
  readonly parent: Int32Array;
  readonly parentEdge: Int32Array;
  readonly queue: Int32Array;
  /** Generation of the current BFS (`stamp[v] === gen`: reached). */
  gen: number;
  /** End of the current BFS queue. */
  tail: number;
}

/**
 * A short fair cycle through `entry` inside its fair component `C = {v : fairComp[v] = fairComp[entry]}`,
 * as edge indices. Obligations: an edge of every strong family enabled somewhere in C and of every weak
 * family enabled everywhere in C; for a weak family enabled only somewhere, a state where it is disabled
 * (or one of its edges). Greedy: shortest path to the nearest state that discharges something, repeat,
 * then a shortest path back to `entry`.
 */
export function fairCycle(g: StateGraph, plan: FairPlan, fairComp: Int32Array, entry: number): number[] {
  const c = cycleSearch(g, plan, fairComp, entry);
  const cycle: number[] = [];
  let cur = entry;
  atState(c, entry);
  while (c.pending > 0) {
    for (const e of pathInComponent(c, cur, DISCHARGES, true)) cur = step(c, cycle, e);
    const e = pendingEdge(c, cur);
    if (e >= 0) cur = step(c, cycle, e);
  }
  if (cur !== entry || cycle.length === 0)
    for (const e of pathInComponent(c, cur, entry, cur !== entry)) cur = step(c, cycle, e);
  return cycle;
}

/** The search context of `fairCycle`, with the obligations of `entry`'s component. */
function cycleSearch(g: StateGraph, plan: FairPlan, fairComp: Int32Array, entry: number): CycleSearch {
  const N = g.size;
  const c: CycleSearch = {
    rowStart: g.rowStart,
    target: g.target,
    family: g.family,
    famToFair: plan.famToFair,
    count: plan.count,
    fairComp,
    k: fairComp[entry] as number,
    need: new Uint8Array(plan.count),
    pending: 0,
    stamp: new Int32Array(N),
    parent: new Int32Array(N),
    parentEdge: new Int32Array(N),
    queue: new Int32Array(N),
    gen: 0,
    tail: 0,
  };
  const { count, need, k } = c;
  const enabled = new Int32Array(count);
  let size = 0;
  for (let v = 0; v < N; v++) {
    if (fairComp[v] !== k) continue;
    size++;
    for (let j = 0; j < count; j++) if (enabledAt(c, v, j)) enabled[j] = (enabled[j] as number) + 1;
  }
  for (let j = 0; j < count; j++) {
    const en = enabled[j] as number;
    if (en === 0) continue;
    need[j] = plan.strong[j] || en === size ? 1 : 2;
  }
  c.pending = need.reduce((n, x) => n + (x ? 1 : 0), 0);
  return c;
}

/** Whether fair family `j` has an edge in state `v`. */
function enabledAt(c: CycleSearch, v: number, j: number): boolean {
  const { rowStart, family, famToFair } = c;
  for (let e = rowStart[v] as number, end = rowStart[v + 1] as number; e < end; e++)
    if (famToFair[family[e] as number] === j) return true;
  return false;
}

/** Appends edge `e` to `cycle`, discharges what it and its target discharge, and returns the target. */
function step(c: CycleSearch, cycle: number[], e: number): number {
  cycle.push(e);
  atEdge(c, e);
  const w = c.target[e] as number;
  atState(c, w);
  return w;
}

/** Discharges the weak families that are disabled in `v`. */
function atState(c: CycleSearch, v: number): void {
  const { need, count } = c;
  for (let j = 0; j < count; j++)
    if (need[j] === 2 && !enabledAt(c, v, j)) {
      need[j] = 0;
      c.pending--;
    }
}

/** Discharges the family of edge `e`. */
function atEdge(c: CycleSearch, e: number): void {
  const j = c.famToFair[c.family[e] as number] as number;
  if (j >= 0 && c.need[j]) {
    c.need[j] = 0;
    c.pending--;
  }
}

/** An edge of `v` inside the component of a family still needed, or -1. */
function pendingEdge(c: CycleSearch, v: number): number {
  const { rowStart, target, family, famToFair, fairComp, k, need } = c;
  for (let e = rowStart[v] as number, end = rowStart[v + 1] as number; e < end; e++) {
    const w = target[e] as number;
    if (w === PRUNED || fairComp[w] !== k) continue;
    const j = famToFair[family[e] as number] as number;
    if (j >= 0 && need[j]) return e;
  }
  return -1;
}

/** Whether visiting `v` discharges something: by one of its edges, or because a weak family is disabled there. */
function discharges(c: CycleSearch, v: number): boolean {
  if (pendingEdge(c, v) >= 0) return true;
  for (let j = 0; j < c.count; j++) if (c.need[j] === 2 && !enabledAt(c, v, j)) return true;
  return false;
}

/** Whether `v` is the goal of the BFS: the state `goal`, or with `DISCHARGES` a state that discharges something. */
function isGoal(c: CycleSearch, v: number, goal: number): boolean {
  return goal === DISCHARGES ? discharges(c, v) : v === goal;
}

/**
 * Shortest path (as edges) inside the component from `src` to a state that is `goal` (see `isGoal`);
 * with `zero`, `src` itself may be it, else the path has at least one edge.
 */
function pathInComponent(c: CycleSearch, src: number, goal: number, zero: boolean): number[] {
  c.gen++;
  c.tail = 0;
  let hit = -1;
  if (!zero) hit = expand(c, src, FIRST_STEP, goal);
  else if (isGoal(c, src, goal)) return [];
  else {
    c.stamp[src] = c.gen;
    c.parent[src] = ROOT;
    c.queue[c.tail++] = src;
  }
  for (let head = 0; head < c.tail && hit < 0; head++) {
    const v = c.queue[head] as number;
    hit = expand(c, v, v, goal);
  }
  if (hit < 0) throw new Error('internal error: a fair component is not strongly connected');
  return edgesTo(c, hit);
}

/**
 * Reaches the unreached component states after `v`, recording `from` as their parent; returns the
 * first that is the goal (it is not queued), or -1.
 */
function expand(c: CycleSearch, v: number, from: number, goal: number): number {
  const { rowStart, target, fairComp, k, gen, stamp, parent, parentEdge, queue } = c;
  for (let e = rowStart[v] as number, end = rowStart[v + 1] as number; e < end; e++) {
    const w = target[e] as number;
    if (w === PRUNED || fairComp[w] !== k || stamp[w] === gen) continue;
    stamp[w] = gen;
    parent[w] = from;
    parentEdge[w] = e;
    if (isGoal(c, w, goal)) return w;
    queue[c.tail++] = w;
  }
  return -1;
}

/** The edges of the BFS tree path to `w`. */
function edgesTo(c: CycleSearch, w: number): number[] {
  const { parent, parentEdge } = c;
  const edges: number[] = [];
  for (let cur = w; parent[cur] !== ROOT;) {
    edges.push(parentEdge[cur] as number);
    if (parent[cur] === FIRST_STEP) break;
    cur = parent[cur] as number;
  }
  return edges.reverse();
}
