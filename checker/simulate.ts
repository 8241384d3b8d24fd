import type { Model } from './Model.js';
import type { Property } from './Property.js';
import type { CheckResult, PropertyOutcome, Stats } from './result.js';
import { verdict } from './result.js';
import { Rng } from './rng.js';
import { EncodeSink, collisionProbability, fingerprintInto } from './fingerprint.js';
import { FingerprintSet } from './visited.js';
import type { ProgressListener } from './reporter.js';

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
  const stopOnViolation = options.stopOnViolation ?? true;
  const root = new Rng(options.seed);
  const sink = new EncodeSink();
  const seen = new FingerprintSet();
  const fp = { hi: 0, lo: 0 };
  const start = Date.now();
  let generated = 0;
  let deepest = 0;
  let stop = false;
  let timedOut = false;
  const outcome = new Map<string, PropertyOutcome>();
  const inits = model.initStates();

  const visit = (s: S, path: readonly number[]): void => {
    sink.reset();
    model.encode(s, sink);
    fingerprintInto(sink.buf, sink.len, 0, fp);
    seen.add(fp.hi, fp.lo);
    for (const p of properties) {
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
      if (p.kind === 'always' && stopOnViolation) stop = true;
    }
  };

  for (let r = 0; r < runs && !stop; r++) {
    const rng = root.fork(r);
    const i0 = rng.below(inits.length);
    let s = inits[i0] as S;
    const path = [i0];
    generated++;
    visit(s, path);
    for (let d = 0; d < depth && !stop; d++) {
      const acts = model.actions(s);
      if (acts.length === 0) break;
      // Sample among actions that change the state; a no-op is redrawn from the rest.
      const order = acts.map((_, i) => i);
      let moved = false;
      for (let left = order.length; left > 0; left--) {
        const pick = rng.below(left);
        const ai = order[pick] as number;
        order[pick] = order[left - 1] as number;
        const n = model.next(s, acts[ai] as A);
        if (n === undefined) continue;
        s = n;
        path.push(ai);
        generated++;
        visit(s, path);
        moved = true;
        break;
      }
      if (!moved) break;
    }
    if (path.length - 1 > deepest) deepest = path.length - 1;
    options.onWalk?.(path);
    if ((r & 63) === 63) {
      if (options.timeLimitMs !== undefined && Date.now() - start >= options.timeLimitMs) {
        timedOut = true;
        break;
      }
      if (options.signal?.aborted) break;
      options.onProgress?.({
        generated,
        distinct: seen.size,
        depth: deepest,
        queued: runs - r - 1,
        elapsedMs: Date.now() - start,
        statesPerSecond: (generated * 1000) / Math.max(1, Date.now() - start),
      });
    }
  }
  const durationMs = Date.now() - start;
  const stats: Stats = {
    generated,
    distinct: seen.size,
    maxDepth: deepest,
    queued: 0,
    durationMs,
    statesPerSecond: Math.round((seen.size * 1000) / Math.max(1, durationMs)),
    collisionProbability: collisionProbability(seen.size, generated),
    bytesPerState: seen.size ? seen.bytesUsed() / seen.size : 0,
  };
  const outcomes = properties.map(
    (p): PropertyOutcome => outcome.get(p.id) ?? { id: p.id, title: p.title, kind: p.kind, status: 'unknown' },
  );
  // Sampling cannot prove anything: without a violation the verdict is always incomplete.
  return verdict(stats, outcomes, timedOut ? ['sampled', 'time-limit'] : ['sampled']);
}
