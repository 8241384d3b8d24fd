import type { Model } from './Model.js';
import { fingerprintOf } from './fingerprint.js';
import { replayPath } from './Path.js';
import { PRUNED, type StateGraph } from './StateGraph.js';

/**
 * Shortest path from an initial state, through a state where `canSwitch` (a trigger state in R, the
 * states from which a fair behaviour can avoid the goal forever), then only through states where `inR`,
 * to a state where `isTarget`. A BFS over (state, phase): phase 0 is
 * before the trigger (any edges; skipped when there is no trigger, since then the initial state itself
 * is the trigger), phase 1 after it; switching phase is free.
 */
export function shortestPrefix(
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
 * Follows `path` once (cheaper than `replayPath`, which verifies every step twice; lassos can be long)
 * and returns the state at `loopStart`, after checking that the last state is that same state. On any
 * failure `replayPath` explains it.
 */
export function walkLasso<S, A>(
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
