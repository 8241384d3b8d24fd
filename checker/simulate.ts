import type { Model } from './Model.js';
import type { Property } from './Property.js';
import type { CheckResult, PropertyOutcome, Stats } from './result.js';
import { verdict } from './result.js';
import { Rng } from './rng.js';
import { EncodeSink, collisionProbability, fingerprintInto } from './fingerprint.js';
import { FingerprintSet } from './visited.js';
import type { ProgressListener } from './reporter.js';
import { RunControl } from './RunControl.js';

/** Options of seeded random simulation. */
export interface SimulateOptions {
  /** The seed; the same seed gives the same walks. */
  readonly seed: number;
  /** Number of walks (default 1000). */
  readonly runs?: number;
  /** Maximum steps per walk (default 100). */
  readonly depth?: number;
  /** Stop at the first counterexample (default true). */
  readonly stopOnViolation?: boolean;
  readonly timeLimitMs?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: ProgressListener;
  /** Called with each finished walk's path (for coverage and tests). */
  readonly onWalk?: (path: readonly number[]) => void;
}

/**
 * Random walks: each run starts in a random initial state and takes a uniformly random enabled action
 * until it reaches `depth` steps or a state without successors. Run `i` uses `new Rng(seed).fork(i)`,
 * so any single run can be repeated on its own. `always` properties are checked on every state visited,
 * `sometimes` guards record their first example. The result is `incomplete` unless a violation is found:
 * sampling never proves a property.
 */
export function simulate<S, A>(
  model: Model<S, A>,
  properties: readonly Property<S>[],
  options: SimulateOptions,
): CheckResult {
  const runs = options.runs ?? 1000;
  const depth = options.depth ?? 100;
  const root = new Rng(options.seed);
  const control = new RunControl(options);
  const sim = sampling(model, properties, options.stopOnViolation ?? true);
  const inits = model.initStates();
  let timedOut = false;
  for (let r = 0; r < runs && !sim.stop; r++) {
    const path = walk(sim, root.fork(r), inits, depth);
    if (path.length - 1 > sim.deepest) sim.deepest = path.length - 1;
    options.onWalk?.(path);
    if ((r & 63) !== 63) continue;
    const halt = checkIn(sim, control, options, runs - r - 1);
    if (halt === 'time-limit') timedOut = true;
    if (halt !== undefined) break;
  }
  return samplingResult(sim, properties, control.elapsed(), timedOut);
}

/** The state of one `simulate` call: what it has seen and found so far. */
interface Sampling<S, A> {
  readonly model: Model<S, A>;
  readonly properties: readonly Property<S>[];
  readonly stopOnViolation: boolean;
  readonly sink: EncodeSink;
  readonly seen: FingerprintSet;
  readonly fp: { hi: number; lo: number };
  /** First counterexample or example per property id. */
  readonly outcome: Map<string, PropertyOutcome>;
  /** States visited, repeats included. */
  generated: number;
  /** Steps of the longest walk. */
  deepest: number;
  /** An `always` property is violated and `stopOnViolation` is set. */
  stop: boolean;
}

function sampling<S, A>(
  model: Model<S, A>,
  properties: readonly Property<S>[],
  stopOnViolation: boolean,
): Sampling<S, A> {
  return {
    model,
    properties,
    stopOnViolation,
    sink: new EncodeSink(),
    seen: new FingerprintSet(),
    fp: { hi: 0, lo: 0 },
    outcome: new Map(),
    generated: 0,
    deepest: 0,
    stop: false,
  };
}

/** One walk from a random initial state, at most `depth` steps; returns its path. */
function walk<S, A>(sim: Sampling<S, A>, rng: Rng, inits: readonly S[], depth: number): number[] {
  const i0 = rng.below(inits.length);
  let s: S | undefined = inits[i0] as S;
  const path = [i0];
  visit(sim, s, path);
  for (let d = 0; d < depth && !sim.stop && s !== undefined; d++) s = randomStep(sim, rng, s, path);
  return path;
}

/**
 * Takes a uniformly random action of `s` that changes the state (a no-op is redrawn from the rest),
 * appends it to `path` and visits the new state, which it returns; `undefined` if every action is a no-op.
 */
function randomStep<S, A>(sim: Sampling<S, A>, rng: Rng, s: S, path: number[]): S | undefined {
  const acts = sim.model.actions(s);
  const order = acts.map((_, i) => i);
  for (let left = order.length; left > 0; left--) {
    const pick = rng.below(left);
    const ai = order[pick] as number;
    order[pick] = order[left - 1] as number;
    const n = sim.model.next(s, acts[ai] as A);
    if (n === undefined) continue;
    path.push(ai);
    visit(sim, n, path);
    return n;
  }
  return undefined;
}

/** Counts and fingerprints the state `s` reached by `path` and checks the `always` and `sometimes` properties on it. */
function visit<S, A>(sim: Sampling<S, A>, s: S, path: readonly number[]): void {
  const { sink, fp, outcome } = sim;
  sim.generated++;
  sink.reset();
  sim.model.encode(s, sink);
  fingerprintInto(sink.buf, sink.len, 0, fp);
  sim.seen.add(fp.hi, fp.lo);
  for (const p of sim.properties) {
    if (outcome.has(p.id) || p.kind === 'eventually') continue;
    const h = p.holds(s);
    if (p.kind === 'always' ? h : !h) continue;
    const detail = p.explain?.(s);
    outcome.set(p.id, {
      id: p.id,
      title: p.title,
      kind: p.kind,
      status: p.kind === 'always' ? 'violated' : 'found',
      path: [...path],
      ...(detail !== undefined ? { detail } : {}),
    });
    if (p.kind === 'always' && sim.stopOnViolation) sim.stop = true;
  }
}

/**
 * Every 64 walks: why sampling must stop (the time limit, or the abort signal), else a progress event
 * with `queued` walks left.
 */
function checkIn<S, A>(
  sim: Sampling<S, A>,
  control: RunControl,
  options: SimulateOptions,
  queued: number,
): 'time-limit' | 'interrupted' | undefined {
  if (options.timeLimitMs !== undefined && control.elapsed() >= options.timeLimitMs) return 'time-limit';
  if (options.signal?.aborted) return 'interrupted';
  const elapsedMs = control.elapsed();
  options.onProgress?.({
    generated: sim.generated,
    distinct: sim.seen.size,
    depth: sim.deepest,
    queued,
    elapsedMs,
    statesPerSecond: (sim.generated * 1000) / Math.max(1, elapsedMs),
  });
  return undefined;
}

/** The verdict: violations and examples found, else `incomplete`, since sampling never proves a property. */
function samplingResult<S, A>(
  sim: Sampling<S, A>,
  properties: readonly Property<S>[],
  durationMs: number,
  timedOut: boolean,
): CheckResult {
  const { seen, generated } = sim;
  const stats: Stats = {
    generated,
    distinct: seen.size,
    maxDepth: sim.deepest,
    queued: 0,
    durationMs,
    statesPerSecond: Math.round((seen.size * 1000) / Math.max(1, durationMs)),
    collisionProbability: collisionProbability(seen.size, generated),
    bytesPerState: seen.size ? seen.bytesUsed() / seen.size : 0,
  };
  const outcomes = properties.map(
    (p): PropertyOutcome => sim.outcome.get(p.id) ?? { id: p.id, title: p.title, kind: p.kind, status: 'unknown' },
  );
  // Sampling cannot prove anything: without a violation the verdict is always incomplete.
  return verdict(stats, outcomes, timedOut ? ['sampled', 'time-limit'] : ['sampled']);
}
