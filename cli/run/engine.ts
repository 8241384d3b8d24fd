/** The engine a `check` or `fuzz` run uses, chosen from its plan, and how the header describes it. */
import { statSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import { BITSTATE_DEFAULT_HASHES, formatBytes, type BitstateOptions } from '../../checker/index.js';
import { resolve } from 'node:path';
import type { KafkaModel } from '../../model/index.js';
import type { Io } from '../Io.js';
import { UsageError } from '../UsageError.js';
import { checkpointLabel, prepareCheckpointDir, type ResumePlan } from '../checkpoint.js';
import { shardRuns } from '../fuzzShard.js';
import { checkOutputDir } from '../outputPaths.js';
import type { RunFlags } from '../runOptions.js';
import type { Engine } from '../runSearch.js';
import type { RunPlan } from './resolve.js';

/** Bounds every engine takes. */
type Limits = { maxDepth?: number; maxStates?: number; timeLimitMs?: number };

/**
 * The engine of a run: the one its flags and properties call for (usage errors for those that cannot
 * go together), with `--spill-dir`, and with `--checkpoint` (whose directory is prepared here, and
 * whose label records `model`).
 */
export function chooseEngine(plan: RunPlan, model: KafkaModel, cwd: string): Engine {
  const { flags } = plan;
  let engine = engineFor(plan);
  if (flags.spillDir !== undefined) engine = withSpillDir(engine, flags.spillDir, cwd);
  if (engine.kind === 'check' && flags.checkpoint !== undefined && !plan.resume) {
    const dir = resolve(cwd, flags.checkpoint);
    prepareCheckpointDir(dir, flags.checkpoint, cwd);
    engine = {
      ...engine,
      checkpoint: { dir, everyMs: flags.checkpointEveryMs, label: checkpointLabel(model, plan.eff.rule, plan.ids) },
    };
  }
  return engine;
}

/** `--workers N` above the core count: said on stderr, with what the run will do. */
export function warnAboutWorkers(engine: Engine, io: Io): void {
  const cores = availableParallelism();
  if (engine.kind !== 'check' || engine.workers <= cores) return;
  io.stderr.write(
    `warning: --workers ${engine.workers} is more than the ${cores} core${cores === 1 ? '' : 's'} of this machine; running ${engine.workers} worker threads anyway: they take turns on the cores, so the search will be no faster than with --workers ${cores} and will use more memory\n`,
  );
}

/** The engine with `--spill-dir`: an existing directory, and an engine whose frontier can spill. */
function withSpillDir(engine: Engine, given: string, cwd: string): Engine {
  const dir = resolve(cwd, given);
  if (engine.kind !== 'check' || engine.strategy !== 'bfs')
    throw new UsageError(
      `--spill-dir applies to the breadth-first check (its frontier is what grows): drop it${engine.kind === 'check' ? ' or --dfs' : engine.kind === 'swarm' ? ' or --swarm' : engine.kind === 'liveness' ? ' (liveness keeps the whole state graph in memory)' : ' (fuzz keeps no frontier)'}`,
    );
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir) throw new UsageError(`--spill-dir ${given}: no such directory (${dir}); create it or name another`);
  checkOutputDir('--spill-dir', given, cwd);
  return { ...engine, spillDir: dir };
}

/** The engine the command, flags and properties call for (before `--spill-dir` and `--checkpoint`). */
function engineFor(plan: RunPlan): Engine {
  const { flags: f, seed, resume } = plan;
  if (plan.command === 'fuzz') {
    if (plan.hasLiveness)
      throw new UsageError(
        'fuzz checks safety properties and guards only; check liveness properties with `kafka-mc check`',
      );
    return {
      kind: 'simulate',
      seed: seed ?? 0,
      runs: f.runs,
      depth: f.depth,
      ...(f.timeLimitMs !== undefined ? { timeLimitMs: f.timeLimitMs } : {}),
      ...(f.shard ? { shard: f.shard } : {}),
    };
  }
  const limits: Limits = {
    ...(f.maxDepth !== undefined ? { maxDepth: f.maxDepth } : {}),
    ...(f.maxStates !== undefined ? { maxStates: f.maxStates } : {}),
    ...(f.timeLimitMs !== undefined ? { timeLimitMs: f.timeLimitMs } : {}),
  };
  if (plan.hasLiveness) return livenessEngine(f, resume, limits);
  if (resume) return resumedEngine(f, resume, limits);
  const bitstate = bitstateOf(f);
  const por = f.por ? {} : { partialOrder: false as const };
  if (f.swarm) {
    if (f.workers > 1) throw new UsageError('a swarm shard is a single-threaded DFS: drop --workers or --swarm');
    return {
      kind: 'swarm',
      index: f.swarm.index,
      count: f.swarm.count,
      seed: seed ?? 0,
      maxDepth: f.maxDepth ?? 100,
      ...limits,
      ...bitstate,
      ...por,
    };
  }
  if (f.dfs && f.workers > 1)
    throw new UsageError('the parallel engine (--workers) is breadth-first only: drop --dfs or --workers');
  return {
    kind: 'check',
    strategy: f.dfs ? 'dfs' : 'bfs',
    workers: f.workers,
    ...limits,
    ...(seed !== undefined ? { hashSeed: seed } : {}),
    ...bitstate,
    ...por,
  };
}

/** `--bitstate` as the engine takes it, refused when the array would not fit in this machine's memory. */
function bitstateOf(f: RunFlags): { bitstate?: BitstateOptions } {
  if (f.bitstate === undefined) return {};
  const bytes = f.bitstate / 8;
  if (bytes > totalmem())
    throw new UsageError(
      `--bitstate ${formatBytes(bytes)} is more than this machine's memory (${formatBytes(totalmem())}); choose a smaller size`,
    );
  return { bitstate: { bits: f.bitstate, hashes: f.bitstateHashes ?? BITSTATE_DEFAULT_HASHES } };
}

/** The liveness engine, unless flags ask for what it cannot do (depth-first, workers, checkpoints). */
function livenessEngine(f: RunFlags, resume: ResumePlan | undefined, limits: Limits): Engine {
  const problems: string[] = [];
  if (f.bitstate !== undefined)
    problems.push(
      'liveness properties are decided over the whole state graph, which a bit array does not keep: drop --bitstate (or check only safety properties and guards with --property)',
    );
  if (f.dfs) problems.push('liveness properties are decided breadth-first over the whole graph: drop --dfs');
  if (f.workers > 1) problems.push('liveness properties need the single-threaded engine: drop --workers');
  if (f.checkpoint !== undefined || resume)
    problems.push(
      'liveness properties are decided over the whole state graph, which checkpoints do not keep: drop --checkpoint (or check only safety properties and guards)',
    );
  if (problems.length) throw new UsageError(problems.join('; '));
  return { kind: 'liveness', ...limits };
}

/** The parallel engine continuing a checkpointed run, with its workers and depth bound, checkpointing on. */
function resumedEngine(f: RunFlags, resume: ResumePlan, limits: Limits): Engine {
  const depth = resume.info.options.maxDepth;
  return {
    kind: 'check',
    strategy: 'bfs',
    workers: resume.info.workers,
    ...limits,
    ...(depth !== null ? { maxDepth: depth } : {}),
    checkpoint: { dir: resume.dir, everyMs: f.checkpointEveryMs, label: resume.label },
    resume: {
      dir: resume.dir,
      level: resume.info.level,
      states: resume.info.count,
      elapsedMs: resume.info.elapsedMs,
    },
  };
}

/** The engine as the run's header names it, with its bounds. */
export function describeEngine(e: Engine): string {
  switch (e.kind) {
    case 'check': {
      const parallel = e.workers > 1 || e.checkpoint !== undefined;
      const ckpt = e.checkpoint
        ? `, checkpoints in ${e.checkpoint.dir} ${e.checkpoint.everyMs > 0 ? `at most every ${e.checkpoint.everyMs / 1000} s` : 'at every level'}`
        : '';
      const on = e.workers === 1 ? ' on 1 worker (parallel engine)' : ` on ${e.workers} workers`;
      const spill = e.spillDir !== undefined ? `, frontier spilled to ${e.spillDir}` : '';
      const order = e.strategy === 'bfs' ? 'breadth-first' : 'depth-first';
      if (e.bitstate)
        return `bitstate ${order}${spill} (${[bitstateText(e.bitstate), 'not exhaustive', ...limitParts(e)].join(', ')})`;
      return `exhaustive ${order}${parallel ? on : ''}${ckpt}${spill}${limitsText(e)}`;
    }
    case 'liveness':
      return `exhaustive breadth-first with liveness${limitsText(e)}`;
    case 'swarm':
      return `swarm shard ${e.index}/${e.count}: bounded depth-first, seed ${e.seed}${e.bitstate ? `, bitstate with a ${bitstateText(e.bitstate)}` : ''}${limitsText(e)}`;
    case 'simulate':
      return e.shard
        ? `shard ${e.shard.index}/${e.shard.count} of ${e.runs.toLocaleString('en-US')} random runs (${shardRuns(e.runs, e.shard).toLocaleString('en-US')} runs: run k when k mod ${e.shard.count} = ${e.shard.index - 1}) of up to ${e.depth} steps, seed ${e.seed}${limitsText(e)}`
        : `${e.runs.toLocaleString('en-US')} random runs of up to ${e.depth} steps, seed ${e.seed}${limitsText(e)}`;
  }
}

function limitsText(e: Limits): string {
  const parts = limitParts(e);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

function limitParts(e: Limits): string[] {
  return [
    e.maxDepth !== undefined ? `depth ≤ ${e.maxDepth}` : '',
    e.maxStates !== undefined ? `≤ ${e.maxStates.toLocaleString('en-US')} states` : '',
    e.timeLimitMs !== undefined ? `time limit ${e.timeLimitMs / 1000} s` : '',
  ].filter(Boolean);
}

/** "512 MiB bit array, 3 bits per state". */
function bitstateText(b: BitstateOptions): string {
  return `${formatBytes(b.bits / 8)} bit array, ${b.hashes ?? BITSTATE_DEFAULT_HASHES} bits per state`;
}
