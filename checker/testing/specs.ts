import type { Model } from '../Model.js';
import type { ModelBundle } from '../parallelProtocol.js';
import { always, sometimes } from '../Property.js';
import { dieHardModel, notFour, type JugAction, type Jugs } from './dieHard.js';
import { graphModel, type GraphEdge } from './graphModel.js';
import { lockModel, type LockAction, type LockState } from './lock.js';
import {
  twoPhaseAllCommit,
  twoPhaseConsistent,
  twoPhaseModel,
  type TwoPhaseAction,
  type TwoPhaseState,
} from './twoPhase.js';

/**
 * Model factories for the parallel engine's tests and the benchmark (a `ModelSpec` names one of these
 * exports of the compiled `dist/checker/testing/specs.js`). The toy models carry their `origin`, so
 * `explore(model).workers(n)` runs them without a spec.
 */

/** `model` with the origin that rebuilds it: export `name` of this module called with `arg`. */
function withOrigin<S, A>(model: Model<S, A>, name: string, arg?: unknown): Model<S, A> {
  return { ...model, origin: { module: import.meta.url, export: name, ...(arg !== undefined ? { arg } : {}) } };
}

/** Two-phase commit with `n` RMs, its consistency invariant and all-commit guard. */
export function twoPhaseSpec(n: number): ModelBundle<TwoPhaseState, TwoPhaseAction> {
  return {
    model: withOrigin(twoPhaseModel(n), 'twoPhaseSpec', n),
    properties: [twoPhaseConsistent, twoPhaseAllCommit],
  };
}

/** Two-phase commit with an invariant that fails ("nobody commits"), for counterexample tests. */
export function twoPhaseNoCommitSpec(n: number): ModelBundle<TwoPhaseState, TwoPhaseAction> {
  return {
    model: withOrigin(twoPhaseModel(n), 'twoPhaseNoCommitSpec', n),
    properties: [always('no-commit', 'No resource manager commits', (s: TwoPhaseState) => !s.rm.includes(2))],
  };
}

/** Die Hard's jugs with the "big jug never holds 4" invariant (shortest counterexample: 6 steps). */
export function dieHardSpec(): ModelBundle<Jugs, JugAction> {
  return { model: withOrigin(dieHardModel, 'dieHardSpec'), properties: [notFour] };
}

/** The lock of the fairness tests (4 states), with an invariant that holds and a guard that is met. */
export function lockSpec(): ModelBundle<LockState, LockAction> {
  return {
    model: withOrigin(lockModel, 'lockSpec'),
    properties: [
      always('only-b-writes', 'Only B writes', (s: LockState) => !s.writing || s.lock === 'B'),
      sometimes('b-writes', 'B writes', (s: LockState) => s.writing),
    ],
  };
}

/**
 * An explicit graph with what trips engines up: a repeated initial state, a second initial state, a
 * diamond, a self-loop, an edge back to the start, a state without successors and unreachable states
 * (7 and 8). Six states are reachable: 0, 1, 2, 3, 4, 5.
 */
export const SMALL_GRAPH: {
  readonly init: readonly number[];
  readonly edges: readonly (readonly [number, number, string])[];
} = {
  init: [0, 5, 0],
  edges: [
    [0, 1, 'a'],
    [0, 2, 'b'],
    [1, 3, 'a'],
    [2, 3, 'b'],
    [3, 3, 'tick'],
    [3, 0, 'back'],
    [3, 4, 'a'],
    [5, 3, 'a'],
    [7, 0, 'a'],
    [8, 8, 'tick'],
  ],
};

/** `SMALL_GRAPH` with an invariant that holds (7 is unreachable) and a guard met at 4. */
export function smallGraphSpec(): ModelBundle<number, GraphEdge> {
  return {
    model: withOrigin(graphModel(SMALL_GRAPH.init, SMALL_GRAPH.edges, 'small-graph'), 'smallGraphSpec'),
    properties: [
      always('not-7', 'State 7 is never reached', (s: number) => s !== 7),
      sometimes('at-4', 'State 4', (s: number) => s === 4),
    ],
  };
}

/** Two-phase commit whose `next` throws in any state where at least `prepared` RMs are prepared. */
export function throwingSpec(arg: { n: number; prepared: number }): ModelBundle<TwoPhaseState, TwoPhaseAction> {
  const base = twoPhaseModel(arg.n);
  const model: Model<TwoPhaseState, TwoPhaseAction> = {
    ...base,
    next(s, a) {
      if (s.rm.filter((x) => x === 1).length >= arg.prepared) throw new Error('boom: the model threw on purpose');
      return base.next(s, a);
    },
  };
  return { model, properties: [twoPhaseConsistent] };
}

/**
 * Two-phase commit that burns about `spinMicros` µs of CPU per expanded state (deterministically), so a
 * test can kill a run mid-way.
 */
export function slowTwoPhaseSpec(arg: { n: number; spinMicros: number }): ModelBundle<TwoPhaseState, TwoPhaseAction> {
  const base = twoPhaseModel(arg.n);
  const model: Model<TwoPhaseState, TwoPhaseAction> = {
    ...base,
    actions(s) {
      const until = performance.now() + arg.spinMicros / 1000;
      while (performance.now() < until) {
        // burn CPU; the result does not depend on time
      }
      return base.actions(s);
    },
  };
  return { model, properties: [twoPhaseConsistent, twoPhaseAllCommit] };
}

/** A model whose states are class instances with a getter: they do not survive structured cloning. */
class Counter {
  constructor(private readonly v: number) {}
  get value(): number {
    return this.v;
  }
}
export function classStateSpec(): ModelBundle<Counter, number> {
  const model: Model<Counter, number> = {
    name: 'class-state',
    initStates: () => [new Counter(0)],
    actions: (s) => (s.value < 3 ? [1] : []),
    next: (s, a) => new Counter(s.value + a),
    encode: (s, sink) => sink.push(s.value ?? -1),
  };
  return { model, properties: [] };
}

/** Die Hard, except that `actions` never returns once the small jug is full. */
export function stuckSpec(): ModelBundle<Jugs, JugAction> {
  const model: Model<Jugs, JugAction> = {
    ...dieHardModel,
    actions(s) {
      let spin = s.small === 3;
      while (spin) spin = s.small === 3;
      return dieHardModel.actions(s);
    },
  };
  return { model, properties: [] };
}

/** Two-phase commit restricted by a state constraint (the TM never aborts), for bound tests. */
export function twoPhaseConstrainedSpec(n: number): ModelBundle<TwoPhaseState, TwoPhaseAction> {
  return {
    model: { ...twoPhaseModel(n), withinBoundary: (s) => s.tm !== 2 },
    properties: [twoPhaseConsistent],
  };
}

/** Die Hard, except that the thread running the model exits (code 3) once the big jug is full. */
export function exitingSpec(): ModelBundle<Jugs, JugAction> {
  const model: Model<Jugs, JugAction> = {
    ...dieHardModel,
    actions(s) {
      if (s.big === 5) process.exit(3);
      return dieHardModel.actions(s);
    },
  };
  return { model, properties: [] };
}

/**
 * A counter that steps up to `limit` and back to 0, with the bound reported as a cut: the state at the
 * limit has its step up disabled by the bound alone (`actionsCut` sets bit 0, "limit"). Every other
 * state is cut-free, so exactly one state is cut, after `limit` steps.
 */
export function boundedCounterSpec(limit: number): ModelBundle<number, 'up' | 'reset'> {
  const actions = (x: number, cut?: { mask: number }): ('up' | 'reset')[] => {
    const out: ('up' | 'reset')[] = [];
    if (x < limit) out.push('up');
    else if (cut) cut.mask |= 1;
    if (x > 0) out.push('reset');
    return out;
  };
  const model: Model<number, 'up' | 'reset'> = {
    name: `bounded-counter(${limit})`,
    initStates: () => [0],
    actions: (x) => actions(x),
    actionsCut: (x, cut) => {
      cut.mask = 0;
      return actions(x, cut);
    },
    boundNames: ['limit'],
    next: (x, a) => (a === 'up' ? x + 1 : 0),
    encode: (x, sink) => sink.push(x),
  };
  return {
    model: withOrigin(model, 'boundedCounterSpec', limit),
    properties: [always('below-limit+1', 'The counter stays at most at the limit', (x: number) => x <= limit)],
  };
}
