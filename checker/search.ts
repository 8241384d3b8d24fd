import type { Model } from './Model.js';
import type { Property } from './Property.js';
import type { CheckResult, IncompleteReason, PropertyOutcome, Stats } from './result.js';
import { undecidedOutcome, verdict } from './result.js';
import type { ProgressListener } from './reporter.js';
import { EncodeSink, collisionProbability, fingerprintInto, type Fingerprint } from './fingerprint.js';
import { FingerprintSet, NO_PARENT, TraceStore } from './visited.js';
import { Queue, Stack, queueCodec, type Frontier } from './frontier.js';
import { DiskQueue, type DiskQueueOptions } from './diskQueue.js';
import { RunControl } from './RunControl.js';

/** Options of the exhaustive search. */
export interface CheckOptions {
  /** `bfs` (default) finds shortest counterexamples; `dfs` goes deep with little memory. */
  readonly strategy?: 'bfs' | 'dfs';
  /** States at this depth are checked but not expanded. */
  readonly maxDepth?: number;
  /** Stop after this many distinct states. */
  readonly maxStates?: number;
  /** Stop after this many milliseconds of wall time. */
  readonly timeLimitMs?: number;
  /** Stop at the first counterexample (default true); otherwise record the first per property. */
  readonly stopOnViolation?: boolean;
  /** Seed of the fingerprint hash (swarm shards use different seeds). */
  readonly hashSeed?: number;
  /** Presize the visited table for this many states. */
  readonly expectedStates?: number;
  /** Report a state without successors as a violation of `deadlock-free` (TLC's default). */
  readonly deadlock?: boolean;
  /** Permutes the order in which actions are explored (swarm verification); paths stay canonical. */
  readonly actionOrder?: (n: number, depth: number) => readonly number[];
  readonly signal?: AbortSignal;
  readonly onProgress?: ProgressListener;
  readonly progressIntervalMs?: number;
  /**
   * Where the counterexample trace (parent + action per state, 5-6 bytes) lives: in memory for the first
   * `after` × 65,536 states (default 8, about half a million), then appended to a temporary file in `dir`
   * (default the OS temp dir) and read back only to rebuild a path; the file is removed when the search
   * returns. `false` keeps it all in memory.
   */
  readonly traceSpill?: false | { readonly after?: number; readonly dir?: string };
  /**
   * Breadth-first only: keep at most `memorySegments` (default 2) segments of `segmentSize` (default
   * 16,384) queued states in memory and append the rest to a temporary file in `dir` (default the OS
   * temp dir), removed when the search returns. States are written in the structured-clone format
   * (`v8.serialize`), so they must be plain data, as the parallel engine also requires. For runs whose
   * frontier does not fit in memory; the visited set and trace are bounded separately.
   */
  readonly frontierSpill?: DiskQueueOptions;
}

interface Entry<S> {
  /** The state, or its encoding when the model has `decode` (see `Model.decode`). */
  readonly s: S | Int32Array;
  readonly id: number;
  readonly depth: number;
}

/**
 * Explores every reachable state of `model` once (by fingerprint) and decides `properties`.
 *
 * One engine, two frontiers: with BFS a property is checked when a state is first discovered, so the
 * first counterexample is a shortest one. Hitting any bound (depth, states, time, state constraint,
 * interruption) yields `incomplete`, never `ok`.
 */
export function check<S, A>(
  model: Model<S, A>,
  properties: readonly Property<S>[],
  options: CheckOptions = {},
): CheckResult {
  const strategy = options.strategy ?? 'bfs';
  if (options.frontierSpill && strategy !== 'bfs')
    throw new Error(
      'check: frontierSpill applies to breadth-first search (a DFS stack stays small); drop it or use bfs',
    );
  const spill = options.traceSpill;
  const trace = new TraceStore(
    spill === false ? {} : { spillAfter: spill?.after ?? 8, ...(spill?.dir !== undefined ? { dir: spill.dir } : {}) },
  );
  const frontier: Frontier<Entry<S>> & { close?(): void } =
    strategy === 'dfs' ? new Stack() : options.frontierSpill ? new DiskQueue(options.frontierSpill) : new Queue();
  try {
    return explore(model, properties, options, trace, frontier);
  } finally {
    trace.close();
    frontier.close?.();
  }
}

function explore<S, A>(
  model: Model<S, A>,
  properties: readonly Property<S>[],
  options: CheckOptions,
  trace: TraceStore,
  frontier: Frontier<Entry<S>>,
): CheckResult {
  const seen = new FingerprintSet(options.expectedStates);
  const sink = new EncodeSink();
  const fp: Fingerprint = { hi: 0, lo: 0 };
  const seed = options.hashSeed ?? 0;
  const maxDepth = options.maxDepth ?? Infinity;
  const maxStates = options.maxStates ?? Infinity;
  const stopOnViolation = options.stopOnViolation ?? true;
  const canonicalize = model.canonicalize?.bind(model);
  const within = model.withinBoundary?.bind(model);
  const control = new RunControl(options);
  const start = control.start;
  let generated = 0;
  let deepest = 0;
  const reasons = new Set<IncompleteReason>();

  const safety = properties.filter((p) => p.kind === 'always');
  const guards = properties.filter((p) => p.kind === 'sometimes');
  const liveness = properties.filter((p) => p.kind === 'eventually');
  const outcome = new Map<string, PropertyOutcome>();
  let stop = false;

  const { queued, unqueued } = queueCodec(model, sink);

  /**
   * Whether `s` is new (it is then added). At the state bound a new state stops the search instead:
   * a run with `maxStates: N` visits exactly N distinct states.
   */
  const isNew = (s: S): boolean => {
    sink.reset();
    model.encode(canonicalize ? canonicalize(s) : s, sink);
    fingerprintInto(sink.buf, sink.len, seed, fp);
    if (seen.size < maxStates) return seen.add(fp.hi, fp.lo);
    if (!seen.has(fp.hi, fp.lo)) {
      reasons.add('max-states');
      stop = true;
    }
    return false;
  };

  const record = (p: Property<S>, status: 'violated' | 'found', id: number, s: S): void => {
    if (outcome.has(p.id)) return;
    const detail = p.explain?.(s);
    outcome.set(p.id, {
      id: p.id,
      title: p.title,
      kind: p.kind,
      status,
      path: trace.pathTo(id),
      ...(detail !== undefined ? { detail } : {}),
    });
    if (status === 'violated' && stopOnViolation) stop = true;
  };

  const checkState = (s: S, id: number): void => {
    for (const p of safety) if (!outcome.has(p.id) && !p.holds(s)) record(p, 'violated', id, s);
    for (const p of guards) if (!outcome.has(p.id) && p.holds(s)) record(p, 'found', id, s);
  };

  const deadlockProp: Property<S> = {
    kind: 'always',
    id: 'deadlock-free',
    title: 'Every reachable state has a successor',
    holds: () => false,
  };

  const inits = model.initStates();
  for (let i = 0; i < inits.length && !stop; i++) {
    const s = inits[i] as S;
    generated++;
    if (within && !within(s)) {
      reasons.add('state-constraint');
      continue;
    }
    if (!isNew(s)) continue;
    const id = trace.append(NO_PARENT, i);
    checkState(s, id);
    frontier.push({ s: queued(s), id, depth: 0 });
  }

  while (!stop) {
    const e = frontier.pop();
    if (e === undefined) break;
    if (e.depth > deepest) deepest = e.depth;
    if (e.depth >= maxDepth) {
      reasons.add('max-depth');
      continue;
    }
    const es = unqueued(e.s);
    const acts = model.actions(es);
    const order = options.actionOrder?.(acts.length, e.depth);
    let successors = 0;
    for (let k = 0; k < acts.length && !stop; k++) {
      const ai = order ? (order[k] as number) : k;
      const n = model.next(es, acts[ai] as A);
      if (n === undefined) continue;
      successors++;
      generated++;
      if (within && !within(n)) {
        reasons.add('state-constraint');
        continue;
      }
      if (!isNew(n)) continue;
      const id = trace.append(e.id, ai);
      checkState(n, id);
      frontier.push({ s: queued(n), id, depth: e.depth + 1 });
    }
    if (successors === 0) {
      if (options.deadlock) record(deadlockProp, 'violated', e.id, es);
      for (const p of liveness) if (!outcome.has(p.id) && !p.holds(es)) record(p, 'violated', e.id, es);
    }
    const why = control.tick(() => ({ generated, distinct: seen.size, depth: deepest, queued: frontier.size }));
    if (why) {
      reasons.add(why);
      break;
    }
  }
  if (stop && frontier.size > 0 && !reasons.has('max-states')) {
    // Stopped at a counterexample: the unexplored rest does not make the run "incomplete".
  } else if (frontier.size > 0 && !reasons.size) {
    reasons.add('interrupted');
  }

  const durationMs = Date.now() - start;
  const distinct = seen.size;
  const stats: Stats = {
    generated,
    distinct,
    maxDepth: deepest,
    queued: frontier.size,
    durationMs,
    statesPerSecond: Math.round((distinct * 1000) / Math.max(1, durationMs)),
    collisionProbability: collisionProbability(distinct, generated),
    bytesPerState: distinct ? (seen.bytesUsed() + trace.bytesUsed()) / distinct : 0,
  };
  const complete = reasons.size === 0 && !stop;
  const outcomes: PropertyOutcome[] = [];
  if (options.deadlock && outcome.has('deadlock-free')) outcomes.push(outcome.get('deadlock-free') as PropertyOutcome);
  for (const p of properties) {
    const o = outcome.get(p.id);
    outcomes.push(o ?? undecidedOutcome(p, complete));
  }
  return verdict(stats, outcomes, [...reasons]);
}
