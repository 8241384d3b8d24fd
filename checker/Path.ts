import type { Model } from './Model.js';
import { EncodeSink, fingerprintInto } from './fingerprint.js';

/**
 * A path names a behaviour by indices: the first number indexes `initStates()`, each following one
 * indexes `actions(s)` of the state reached so far. It is both the id of a discovery and its replay
 * handle, written `0/3/1/4`.
 */
export type Path = readonly number[];

/** `[0, 3, 1]` → `"0/3/1"`. */
export function formatPath(path: Path): string {
  return path.join('/');
}

/** `"0/3/1"` → `[0, 3, 1]`, or an error naming the bad component. */
export function parsePath(text: string): { ok: true; value: Path } | { ok: false; error: string } {
  const t = text.trim();
  if (t === '') return { ok: false, error: 'empty path: expected indices separated by "/", e.g. 0/3/1' };
  const parts = t.split('/');
  const out: number[] = [];
  for (const [i, p] of parts.entries()) {
    if (!/^\d+$/.test(p)) return { ok: false, error: `path component ${i + 1} ("${p}") is not a non-negative integer` };
    out.push(Number(p));
  }
  return { ok: true, value: out };
}

/** A replayed behaviour: `states[i+1] = next(states[i], actions[i])`. */
export interface Behaviour<S, A> {
  readonly states: readonly S[];
  readonly actions: readonly A[];
}

export type ReplayResult<S, A> =
  | { readonly ok: true; readonly value: Behaviour<S, A> }
  | { readonly ok: false; readonly step: number; readonly error: string; readonly partial: Behaviour<S, A> };

function fpOf<S, A>(model: Model<S, A>, s: S, sink: EncodeSink): string {
  sink.reset();
  model.encode(s, sink);
  const fp = fingerprintInto(sink.buf, sink.len, 0, { hi: 0, lo: 0 });
  return `${fp.hi}:${fp.lo}`;
}

/**
 * Rebuilds the behaviour named by `path` and checks the model's determinism on the way: every step is
 * computed twice (actions and successor) and must agree. A disagreement means the model reads
 * something outside its arguments (a clock, `Math.random`, mutable module state, or an unordered
 * collection), or mutated a state it was given.
 */
export function replayPath<S, A>(model: Model<S, A>, path: Path): ReplayResult<S, A> {
  const sink = new EncodeSink();
  const states: S[] = [];
  const actions: A[] = [];
  const fail = (step: number, error: string): ReplayResult<S, A> => ({
    ok: false,
    step,
    error,
    partial: { states, actions },
  });
  if (path.length === 0) return fail(0, 'empty path: it must start with the index of an initial state');
  const inits = model.initStates();
  const i0 = path[0] as number;
  const init = inits[i0];
  if (init === undefined)
    return fail(0, `initial-state index ${i0} is out of range: the model has ${inits.length} initial state(s)`);
  const again = model.initStates()[i0] as S;
  if (fpOf(model, init, sink) !== fpOf(model, again, sink))
    return fail(
      0,
      `model "${model.name}" is nondeterministic: initStates() returned different states on two calls; it probably reads a clock, Math.random or mutable module state`,
    );
  states.push(init);
  let s = init;
  for (let k = 1; k < path.length; k++) {
    const ai = path[k] as number;
    const before = fpOf(model, s, sink);
    const acts = model.actions(s);
    const acts2 = model.actions(s);
    if (acts.length !== acts2.length)
      return fail(
        k,
        `model "${model.name}" is nondeterministic at step ${k}: actions() returned ${acts.length} then ${acts2.length} actions for the same state; enumerate actions in a fixed order without clocks or randomness`,
      );
    const a = acts[ai];
    if (a === undefined)
      return fail(
        k,
        `step ${k}: action index ${ai} is out of range: the state has ${acts.length} enabled action(s). The model changed since the path was recorded, or the path is wrong`,
      );
    const n1 = model.next(s, a);
    if (fpOf(model, s, sink) !== before)
      return fail(
        k,
        `model "${model.name}" mutated its input state in next() at step ${k}; next() must return a new state (use immer's produce or copy before writing)`,
      );
    const n2 = model.next(s, acts2[ai] as A);
    if (n1 === undefined || n2 === undefined) {
      if (n1 !== n2)
        return fail(
          k,
          `model "${model.name}" is nondeterministic at step ${k}: next() was a no-op on one call and not on the other`,
        );
      return fail(
        k,
        `step ${k}: action ${ai} is a no-op in this state, so the path cannot continue; the model changed since the path was recorded`,
      );
    }
    if (fpOf(model, n1, sink) !== fpOf(model, n2, sink))
      return fail(
        k,
        `model "${model.name}" is nondeterministic at step ${k}: next() returned different states for the same state and action; it probably reads a clock, Math.random, mutable module state or iterates an unordered collection`,
      );
    actions.push(a);
    states.push(n1);
    s = n1;
  }
  return { ok: true, value: { states, actions } };
}
