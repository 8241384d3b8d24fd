import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  check,
  checkLiveness,
  checkParallel,
  collisionProbability,
  resumeParallel,
  swarmShard,
  type BitstateOptions,
  type CheckResult,
  type CheckpointLabel,
  type ModelSpec,
  type ParallelOptions,
  type Progress,
  type ProgressListener,
} from '../checker/index.js';
import { RuleError } from '../model/index.js';
import { KAFKA_LIVENESS_OPTIONS, fuzz, type FuzzCoverage } from '../properties/index.js';
import { UsageError } from './UsageError.js';
import { buildBundle, type RunSpec } from './kafkaBundle.js';
import type { LoadedRule } from './loadRule.js';
import { fuzzShard, shardRuns } from './fuzzShard.js';
import { selectProperties } from './propertyCatalog.js';

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
      /** Seed of the fingerprint hash (`--seed`); the default 0 is the engines' own. */
      readonly hashSeed?: number;
      /** Absolute directory for the breadth-first frontier and trace files (`--spill-dir`). */
      readonly spillDir?: string;
      /** `--bitstate`: a bit array instead of the fingerprint table (single-threaded engine only). */
      readonly bitstate?: BitstateOptions;
      /** `--no-por`: no partial-order reduction (default: where the model declares it). */
      readonly partialOrder?: false;
      /** Write checkpoints into `dir` (the parallel engine, even with 1 worker). */
      readonly checkpoint?: {
        readonly dir: string;
        /** Least time between two checkpoints (0: at every BFS level). */
        readonly everyMs: number;
        /** Stored with the checkpoint: what `--resume` checks the run against. */
        readonly label: CheckpointLabel;
      };
      /** Continue the run checkpointed in `dir` (its level, states and wall time so far). */
      readonly resume?: {
        readonly dir: string;
        readonly level: number;
        readonly states: number;
        readonly elapsedMs: number;
      };
    }
  | {
      readonly kind: 'liveness';
      /**
       * Keep exploring after a safety property fails, so that every property is decided in one run
       * (`kafka-mc audit`); default false: stop at the first counterexample.
       */
      readonly allProperties?: boolean;
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
      /** `--bitstate`: the shard's visited set is a bit array. */
      readonly bitstate?: BitstateOptions;
      /** `--no-por`. */
      readonly partialOrder?: false;
    }
  | {
      readonly kind: 'simulate';
      readonly seed: number;
      /** Runs of the whole campaign (a shard runs its share of them). */
      readonly runs: number;
      readonly depth: number;
      readonly timeLimitMs?: number;
      /** Run only shard `index` (0-based) of `count`: the runs k with k mod count = index. */
      readonly shard?: { readonly index: number; readonly count: number };
    };

/**
 * With `--spill-dir`, queued states beyond this many segments of 16,384 (about half a million) go to
 * disk: writing and reading them back (v8 serialization) costs time, so runs whose frontier fits stay
 * in memory.
 */
const SPILL_MEMORY_SEGMENTS = 32;

/** Whether an engine runs on the parallel engine (worker threads, checkpoints). */
export function usesParallelEngine(e: Engine): boolean {
  return e.kind === 'check' && (e.workers > 1 || e.checkpoint !== undefined || e.resume !== undefined);
}

/** What a fuzz campaign (or shard) exercised, next to its verdict. */
export interface FuzzRunInfo {
  /** Runs this invocation was to do (the shard's share of the campaign, or all of it). */
  readonly assigned: number;
  readonly coverage: FuzzCoverage;
}

/** A finished search: its verdict, and for fuzzing what it covered. */
export interface SearchOutcome {
  readonly result: CheckResult;
  readonly fuzz?: FuzzRunInfo;
  /** Something the user must know about how the search ended (printed on stderr). */
  readonly warning?: string;
}

/** A search to run: the model (as data, so that a worker can rebuild it) and the engine. */
export interface SearchJob {
  readonly spec: RunSpec;
  readonly engine: Engine;
}

/** Messages from the search worker. */
export type FromSearchWorker =
  | { readonly type: 'progress'; readonly progress: Progress }
  | { readonly type: 'done'; readonly outcome: SearchOutcome }
  | { readonly type: 'failed'; readonly ruleError: boolean; readonly message: string; readonly stack?: string };

const PROGRESS_MS = 250;

/**
 * Runs the engine on a job in this thread. A misbehaving rule (`RuleError`) becomes a `UsageError`.
 */
export function runInline(
  job: SearchJob,
  loaded: LoadedRule,
  options: { readonly signal?: AbortSignal; readonly onProgress?: ProgressListener },
): SearchOutcome {
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
        if (usesParallelEngine(e)) throw new Error('runInline: the parallel engine runs through runInWorker');
        return {
          result: check(model, properties, {
            ...common,
            ...limits(e),
            strategy: e.strategy,
            ...(e.hashSeed !== undefined ? { hashSeed: e.hashSeed } : {}),
            ...(e.bitstate ? { bitstate: e.bitstate } : {}),
            ...(e.partialOrder === false ? { partialOrder: false } : {}),
            ...(e.spillDir !== undefined
              ? {
                  frontierSpill: { dir: e.spillDir, memorySegments: SPILL_MEMORY_SEGMENTS },
                  traceSpill: { dir: e.spillDir },
                }
              : {}),
          }),
        };
      case 'swarm':
        return {
          result: swarmShard(model, properties, {
            ...common,
            ...limits(e),
            swarm: { index: e.index, count: e.count },
            seed: e.seed,
            ...(e.bitstate ? { bitstate: e.bitstate } : {}),
            ...(e.partialOrder === false ? { partialOrder: false } : {}),
          }),
        };
      case 'liveness':
        return {
          result: checkLiveness(model, properties, {
            ...KAFKA_LIVENESS_OPTIONS,
            ...common,
            ...limits(e),
            ...(e.allProperties === true ? { stopOnViolation: false } : {}),
          }),
        };
      case 'simulate': {
        // fast-check model-based fuzzing over fault intents, with shrinking (properties/fuzz.ts).
        const fuzzOptions = {
          seed: e.seed,
          runs: e.runs,
          depth: e.depth,
          ...(options.signal ? { signal: options.signal } : {}),
          ...(e.timeLimitMs !== undefined ? { timeLimitMs: e.timeLimitMs } : {}),
        };
        const report = e.shard
          ? fuzzShard(model, properties, { ...fuzzOptions, shard: e.shard })
          : fuzz(model, properties, fuzzOptions);
        return {
          result: report.result,
          fuzz: { assigned: e.shard ? shardRuns(e.runs, e.shard) : e.runs, coverage: report.coverage },
        };
      }
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
 * yields: single-threaded engines in one worker of ours, `--workers N`, `--checkpoint` and `--resume`
 * in the parallel engine.
 */
export async function runInWorker(
  job: SearchJob,
  options: { readonly signal?: AbortSignal; readonly onProgress?: ProgressListener },
): Promise<SearchOutcome> {
  const e = job.engine;
  if (e.kind === 'check' && usesParallelEngine(e)) {
    const module = compiledModule('kafkaBundle.js');
    if (!module) throw new Error('the compiled CLI (dist/cli/kafkaBundle.js) is missing; run `npm run build`');
    // The factory is always this build's own: a checkpoint records the module it was written with,
    // which may have moved since (its config, rule and properties are in `job.spec`).
    const spec: ModelSpec = { module: pathToFileURL(module).href, export: 'kafkaBundle', arg: job.spec };
    const resume = e.resume;
    const parallel: ParallelOptions = {
      workers: e.workers,
      ...limits(e),
      ...(e.hashSeed !== undefined && !resume ? { hashSeed: e.hashSeed } : {}),
      ...(e.partialOrder === false && !resume ? { partialOrder: false } : {}),
      ...(e.spillDir !== undefined ? { spill: { dir: e.spillDir, memorySegments: SPILL_MEMORY_SEGMENTS } } : {}),
      // A resumed run counts its time limit from this invocation (the engine counts the whole run),
      // and is bounded only by the state limit given now, not by the one of the interrupted run.
      ...(resume && e.timeLimitMs !== undefined ? { timeLimitMs: e.timeLimitMs + resume.elapsedMs } : {}),
      ...(resume ? { maxStates: e.maxStates ?? Infinity } : {}),
      ...(e.checkpoint
        ? { checkpoint: { dir: e.checkpoint.dir, everyMs: e.checkpoint.everyMs, label: e.checkpoint.label } }
        : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      progressIntervalMs: PROGRESS_MS,
      stopGraceMs: STOP_GRACE_MS,
      onCheckpointError: (m) => (checkpointFailure = m),
    };
    let checkpointFailure: string | undefined;
    try {
      const result = resume
        ? await resumeParallel(resume.dir, { ...parallel, spec })
        : await checkParallel(spec, parallel);
      return {
        result,
        ...(checkpointFailure !== undefined
          ? {
              warning: `a checkpoint could not be written (${checkpointFailure}); the search went on without checkpoints, the last complete one stays in place`,
            }
          : {}),
      };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (/RuleError|election rule "/.test(message)) throw new UsageError(ruleErrorText(message));
      throw err;
    }
  }
  return runSearchWorker(job, options);
}

/**
 * A worker's report of a `RuleError` ("worker 0 (model …): RuleError: election rule … \n    at …") as
 * the user should read it: the rule's message without the worker prefix and the stack.
 */
export function ruleErrorText(message: string): string {
  const start = message.indexOf('election rule "');
  const body = start >= 0 ? message.slice(start) : message;
  return body
    .split('\n')
    .filter((l) => !/^\s+at /.test(l))
    .join('\n');
}

/**
 * How long a search may take to stop after it was asked to (a stop signal) or after its time limit
 * before its thread is terminated: a search stuck in model or rule code never looks at the stop flag.
 */
export const STOP_GRACE_MS = 5000;

/** A single-threaded engine in a worker thread of ours (see `runInWorker`). */
async function runSearchWorker(
  job: SearchJob,
  options: { readonly signal?: AbortSignal; readonly onProgress?: ProgressListener },
): Promise<SearchOutcome> {
  const module = compiledModule('searchWorker.js');
  if (!module) throw new Error('the compiled CLI (dist/cli/searchWorker.js) is missing; run `npm run build`');
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(module, { workerData: { job, stop } });
  const onAbort = (): void => void Atomics.store(stop, 0, 1);
  options.signal?.addEventListener('abort', onAbort);
  if (options.signal?.aborted) onAbort();
  const started = Date.now();
  const timeLimit = 'timeLimitMs' in job.engine ? job.engine.timeLimitMs : undefined;
  let last: Progress | undefined;
  let stopAskedAt: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stuck = false;
  try {
    return await new Promise<SearchOutcome>((resolve, reject) => {
      worker.on('message', (m: FromSearchWorker) => {
        if (m.type === 'progress') {
          last = m.progress;
          options.onProgress?.(m.progress);
        } else if (m.type === 'done') resolve(m.outcome);
        else if (m.ruleError) reject(new UsageError(m.message));
        else reject(Object.assign(new Error(m.message), m.stack !== undefined ? { stack: m.stack } : {}));
      });
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`the search worker exited with code ${code}`)));
      timer = setInterval(() => {
        const now = Date.now();
        if (options.signal?.aborted) stopAskedAt ??= now;
        const late = stopAskedAt !== undefined && now - stopAskedAt > STOP_GRACE_MS;
        const overdue = timeLimit !== undefined && now - started > timeLimit + STOP_GRACE_MS;
        if (late || overdue) {
          stuck = true;
          resolve(stuckOutcome(job, last, late ? 'interrupted' : 'time-limit', now - started));
        }
      }, 100);
    });
  } finally {
    clearInterval(timer);
    options.signal?.removeEventListener('abort', onAbort);
    if (stuck) {
      // A thread blocked in native code (a rule that runs a child process…) cannot be terminated
      // before that call returns: do not wait for it, and do not let it keep the process alive.
      worker.unref();
      void worker.terminate();
    } else await worker.terminate();
  }
}

/** The outcome of a search whose thread had to be terminated: the counts of its last progress report. */
function stuckOutcome(
  job: SearchJob,
  last: Progress | undefined,
  reason: 'interrupted' | 'time-limit',
  elapsedMs: number,
): SearchOutcome {
  const distinct = last?.distinct ?? 0;
  const generated = last?.generated ?? 0;
  return {
    result: {
      kind: 'incomplete',
      reasons: [reason],
      stats: {
        generated,
        distinct,
        maxDepth: last?.depth ?? 0,
        queued: last?.queued ?? 0,
        durationMs: elapsedMs,
        statesPerSecond: Math.round((distinct * 1000) / Math.max(1, elapsedMs)),
        collisionProbability: collisionProbability(distinct, generated),
        bytesPerState: 0,
      },
      outcomes: selectProperties(job.spec.properties, job.spec.config).map((p) => ({
        id: p.id,
        title: p.title,
        kind: p.kind,
        status: 'unknown' as const,
      })),
    },
    warning: `the search did not stop within ${STOP_GRACE_MS / 1000} s of ${reason === 'interrupted' ? 'the stop request' : 'its time limit'}: it is stuck in the model or the election rule (a rule that never returns?); its thread was terminated, and the counts are those of its last progress report`,
  };
}
