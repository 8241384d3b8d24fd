import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  check,
  checkLiveness,
  checkParallel,
  swarmShard,
  type CheckResult,
  type Progress,
  type ProgressListener,
} from '../checker/index.js';
import { RuleError } from '../model/index.js';
import { KAFKA_LIVENESS_OPTIONS, fuzz } from '../properties/index.js';
import { UsageError } from './UsageError.js';
import { buildBundle, type RunSpec } from './kafkaBundle.js';
import type { LoadedRule } from './loadRule.js';

/** Which engine runs and with which limits. */
export type Engine =
  | {
      readonly kind: 'check';
      readonly strategy: 'bfs' | 'dfs';
      readonly maxDepth?: number;
      readonly maxStates?: number;
      readonly timeLimitMs?: number;
      /** More than 1: the parallel engine (breadth-first only). */
      readonly workers: number;
    }
  | {
      readonly kind: 'liveness';
      readonly maxDepth?: number;
      readonly maxStates?: number;
      readonly timeLimitMs?: number;
    }
  | {
      /** One shard of a swarm: bounded DFS with the shard's own action order and hash seed. */
      readonly kind: 'swarm';
      readonly index: number;
      readonly count: number;
      readonly seed: number;
      readonly maxDepth?: number;
      readonly maxStates?: number;
      readonly timeLimitMs?: number;
    }
  | {
      readonly kind: 'simulate';
      readonly seed: number;
      readonly runs: number;
      readonly depth: number;
      readonly timeLimitMs?: number;
    };

/** A search to run: the model (as data, so that a worker can rebuild it) and the engine. */
export interface SearchJob {
  readonly spec: RunSpec;
  readonly engine: Engine;
}

/** Messages from the search worker. */
export type FromSearchWorker =
  | { readonly type: 'progress'; readonly progress: Progress }
  | { readonly type: 'done'; readonly result: CheckResult }
  | { readonly type: 'failed'; readonly ruleError: boolean; readonly message: string; readonly stack?: string };

const PROGRESS_MS = 250;

/**
 * Runs the engine on a job in this thread. A misbehaving rule (`RuleError`) becomes a `UsageError`.
 */
export function runInline(
  job: SearchJob,
  loaded: LoadedRule,
  options: { readonly signal?: AbortSignal; readonly onProgress?: ProgressListener },
): CheckResult {
  const { model, properties } = buildBundle(job.spec.config, loaded, job.spec.properties, job.spec.cwd);
  const common = {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    progressIntervalMs: PROGRESS_MS,
  };
  const e = job.engine;
  try {
    switch (e.kind) {
      case 'check':
        return check(model, properties, { ...common, ...limits(e), strategy: e.strategy });
      case 'swarm':
        return swarmShard(model, properties, {
          ...common,
          ...limits(e),
          swarm: { index: e.index, count: e.count },
          seed: e.seed,
        });
      case 'liveness':
        return checkLiveness(model, properties, { ...KAFKA_LIVENESS_OPTIONS, ...common, ...limits(e) });
      case 'simulate':
        // fast-check model-based fuzzing over fault intents, with shrinking (properties/fuzz.ts).
        return fuzz(model, properties, {
          seed: e.seed,
          runs: e.runs,
          depth: e.depth,
          ...(options.signal ? { signal: options.signal } : {}),
          ...(e.timeLimitMs !== undefined ? { timeLimitMs: e.timeLimitMs } : {}),
        }).result;
    }
  } catch (err) {
    if (err instanceof RuleError) throw new UsageError(err.message);
    throw err;
  }
}

function limits(e: { maxDepth?: number; maxStates?: number; timeLimitMs?: number }): {
  maxDepth?: number;
  maxStates?: number;
  timeLimitMs?: number;
} {
  return {
    ...(e.maxDepth !== undefined ? { maxDepth: e.maxDepth } : {}),
    ...(e.maxStates !== undefined ? { maxStates: e.maxStates } : {}),
    ...(e.timeLimitMs !== undefined ? { timeLimitMs: e.timeLimitMs } : {}),
  };
}

/**
 * The compiled sibling module `name` (e.g. `searchWorker.js`): next to this file when running from
 * `dist/`, else under `dist/cli/` (tests run the TypeScript sources).
 */
export function compiledModule(name: string): string | undefined {
  const here = fileURLToPath(import.meta.url);
  const candidate = here.endsWith('.ts')
    ? fileURLToPath(new URL(`../dist/cli/${name}`, import.meta.url))
    : fileURLToPath(new URL(`./${name}`, import.meta.url));
  return existsSync(candidate) ? candidate : undefined;
}

/**
 * Runs a job off the main thread so that Ctrl-C (the `signal`) can stop a search loop that never
 * yields: single-threaded engines in one worker of ours, `--workers N` in the parallel engine.
 */
export async function runInWorker(
  job: SearchJob,
  options: { readonly signal?: AbortSignal; readonly onProgress?: ProgressListener },
): Promise<CheckResult> {
  const e = job.engine;
  if (e.kind === 'check' && e.workers > 1) {
    const module = compiledModule('kafkaBundle.js');
    if (!module) throw new Error('the compiled CLI (dist/cli/kafkaBundle.js) is missing; run `npm run build`');
    try {
      return await checkParallel(
        { module: pathToFileURL(module).href, export: 'kafkaBundle', arg: job.spec },
        {
          workers: e.workers,
          ...limits(e),
          ...(options.signal ? { signal: options.signal } : {}),
          ...(options.onProgress ? { onProgress: options.onProgress } : {}),
          progressIntervalMs: PROGRESS_MS,
        },
      );
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (/RuleError|election rule "/.test(message)) throw new UsageError(message);
      throw err;
    }
  }
  const module = compiledModule('searchWorker.js');
  if (!module) throw new Error('the compiled CLI (dist/cli/searchWorker.js) is missing; run `npm run build`');
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(module, { workerData: { job, stop } });
  const onAbort = (): void => void Atomics.store(stop, 0, 1);
  options.signal?.addEventListener('abort', onAbort);
  if (options.signal?.aborted) onAbort();
  try {
    return await new Promise<CheckResult>((resolve, reject) => {
      worker.on('message', (m: FromSearchWorker) => {
        if (m.type === 'progress') options.onProgress?.(m.progress);
        else if (m.type === 'done') resolve(m.result);
        else if (m.ruleError) reject(new UsageError(m.message));
        else reject(Object.assign(new Error(m.message), m.stack !== undefined ? { stack: m.stack } : {}));
      });
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`the search worker exited with code ${code}`)));
    });
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await worker.terminate();
  }
}
