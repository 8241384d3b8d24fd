import type { Model } from './Model.js';
import type { Property } from './Property.js';
import type { CheckResult } from './result.js';
import type { SearchBounds } from './options.js';
import { check } from './search.js';
import { checkLiveness, type LivenessOptions } from './liveness.js';
import { swarmShard } from './swarm.js';
import { checkParallel, type ParallelOptions } from './parallel.js';
import type { BitstateOptions } from './bitstate.js';

/** What a builder has been told, before `run()` picks the engine. */
interface Plan {
  readonly order: 'bfs' | 'dfs';
  readonly swarm?: { readonly index: number; readonly count: number; readonly seed: number };
  readonly workers?: number;
  readonly spill?: { readonly dir?: string };
  readonly checkpoint?: { readonly dir: string; readonly everyMs?: number };
  readonly liveness?: Pick<LivenessOptions, 'stutter'>;
  readonly bitstate?: BitstateOptions;
  readonly bounds: SearchBounds;
}

/** The engine a plan runs on (see `Explorer.engine`). */
export type EngineName = 'check' | 'swarm' | 'parallel' | 'liveness';

/**
 * One way into every exhaustive engine, in the spirit of Stateright's `model.checker().threads(n)
 * .spawn_bfs()`: `explore(model, properties)` then the strategy and parts, then `run()`:
 *
 *   explore(m, ps).run()                                 breadth-first, in memory (`check`)
 *   explore(m, ps).dfs().bounds({ maxDepth: 40 }).run()   depth-first
 *   explore(m, ps).swarm(3, 8).run()                       shard 3 of an 8-shard swarm (bounded DFS)
 *   explore(m, ps).workers(4).run()                        parallel BFS on 4 threads (`checkParallel`)
 *   explore(m, ps).spill('/big/tmp').run()                 BFS whose frontier and trace spill to disk
 *   explore(m, ps).workers(4).checkpoint('./ckpt').run()   parallel BFS that checkpoints (resumable)
 *   explore(m, ps).liveness().run()                        whole graph, `eventually` properties decided
 *   explore(m, ps).bitstate(2 ** 32).run()                 BFS over a 512 MiB bit array (never exhaustive)
 *
 * Every engine takes the same `SearchBounds` and returns the same `CheckResult`, with the same counts
 * (`checker/strategies.test.ts` checks it). Builders are immutable: each call returns a new one. A
 * combination no engine runs (e.g. depth-first on workers) throws a `RangeError` saying why, at `run()`.
 * The parallel engine rebuilds the model in each worker from `model.origin` (see `Model.origin`).
 */
export class Explorer<S, A> {
  constructor(
    private readonly model: Model<S, A>,
    private readonly properties: readonly Property<S>[],
    private readonly plan: Plan = { order: 'bfs', bounds: {} },
  ) {}

  private with(change: Partial<Plan>): Explorer<S, A> {
    return new Explorer(this.model, this.properties, { ...this.plan, ...change });
  }

  /** Breadth-first (the default): counterexamples are shortest. */
  bfs(): Explorer<S, A> {
    return this.with({ order: 'bfs' });
  }

  /** Depth-first: deep states with a small frontier; counterexamples need not be shortest. */
  dfs(): Explorer<S, A> {
    return this.with({ order: 'dfs' });
  }

  /** Shard `index` of a `count`-shard swarm: depth-first with its own action order and hash seed. */
  swarm(index: number, count: number, seed = 0): Explorer<S, A> {
    return this.with({ swarm: { index, count, seed } });
  }

  /** Breadth-first on `n` worker threads over shared tables (the model needs an `origin`). */
  workers(n: number): Explorer<S, A> {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`explore: workers must be a positive integer, got ${n}`);
    return this.with({ workers: n });
  }

  /** Keep the breadth-first frontier (and the trace) mostly on disk, in `dir` (default the OS temp dir). */
  spill(dir?: string): Explorer<S, A> {
    return this.with({ spill: dir !== undefined ? { dir } : {} });
  }

  /** Write a checkpoint into `dir` at level barriers (parallel engine; `resumeParallel(dir)` continues). */
  checkpoint(dir: string, everyMs?: number): Explorer<S, A> {
    return this.with({ checkpoint: { dir, ...(everyMs !== undefined ? { everyMs } : {}) } });
  }

  /** Keep the whole graph and decide `eventually` properties under their fairness. */
  liveness(options: Pick<LivenessOptions, 'stutter'> = {}): Explorer<S, A> {
    return this.with({ liveness: options });
  }

  /**
   * Bitstate hashing (`CheckOptions.bitstate`): a bit array of `bits` bits, `hashes` per state, instead
   * of the fingerprint table; single-threaded BFS, DFS or swarm shards. A run without a violation is
   * `incomplete` (reason `bitstate`).
   */
  bitstate(bits: number, hashes?: number): Explorer<S, A> {
    return this.with({ bitstate: { bits, ...(hashes !== undefined ? { hashes } : {}) } });
  }

  /** The bounds and controls of the run (merged over earlier ones). */
  bounds(bounds: SearchBounds): Explorer<S, A> {
    return this.with({ bounds: { ...this.plan.bounds, ...bounds } });
  }

  /** Which engine `run()` uses; throws a `RangeError` for a combination none runs. */
  engine(): EngineName {
    const p = this.plan;
    const parallel = p.workers !== undefined || p.checkpoint !== undefined;
    const refuse = (why: string): never => {
      throw new RangeError(`explore: ${why}`);
    };
    if (p.liveness && (parallel || p.swarm || p.order === 'dfs' || p.spill))
      refuse('liveness keeps the whole state graph in one thread, breadth-first; drop workers, swarm, dfs and spill');
    if (p.swarm && (parallel || p.spill))
      refuse('a swarm shard is a bounded depth-first search; drop workers and spill');
    if (parallel && p.order === 'dfs') refuse('the parallel engine is breadth-first; drop dfs() or workers()');
    if (p.bitstate && (parallel || p.liveness))
      refuse('bitstate runs on the single-threaded engines and keeps no graph; drop workers, checkpoint and liveness');
    if (p.spill && p.order === 'dfs' && !p.swarm)
      refuse('spilling applies to breadth-first frontiers; a DFS stack stays small');
    return p.liveness ? 'liveness' : p.swarm ? 'swarm' : parallel ? 'parallel' : 'check';
  }

  /** Runs the search. */
  async run(): Promise<CheckResult> {
    const { model, properties, plan } = this;
    const b = { ...plan.bounds, ...(plan.bitstate ? { bitstate: plan.bitstate } : {}) };
    switch (this.engine()) {
      case 'liveness':
        return checkLiveness(model, properties, { ...b, ...plan.liveness });
      case 'swarm': {
        const s = plan.swarm as NonNullable<Plan['swarm']>;
        const { hashSeed: _ignored, ...rest } = b;
        return swarmShard(model, properties, { ...rest, swarm: { index: s.index, count: s.count }, seed: s.seed });
      }
      case 'parallel':
        return checkParallel(model, this.parallelOptions());
      case 'check':
        return check(model, properties, {
          ...b,
          strategy: plan.order,
          ...(plan.spill ? { frontierSpill: plan.spill, traceSpill: plan.spill } : {}),
        });
    }
  }

  private parallelOptions(): ParallelOptions {
    const p = this.plan;
    return {
      ...p.bounds,
      properties: this.properties.map((x) => x.id),
      ...(p.workers !== undefined ? { workers: p.workers } : {}),
      ...(p.spill ? { spill: p.spill } : {}),
      ...(p.checkpoint ? { checkpoint: p.checkpoint } : {}),
    };
  }
}

/** The builder over `model` and `properties` (see `Explorer`). */
export function explore<S, A>(model: Model<S, A>, properties: readonly Property<S>[] = []): Explorer<S, A> {
  return new Explorer(model, properties);
}
