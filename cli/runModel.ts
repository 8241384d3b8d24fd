import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { stringify as toYaml } from 'yaml';
import { CheckpointError, freshSeed, readCheckpoint, type CheckResult } from '../checker/index.js';
import type { Io } from './Io.js';
import { ExitCode } from './exitCodes.js';
import { UsageError } from './UsageError.js';
import { effectiveConfig, type EffectiveConfig } from './effectiveConfig.js';
import { modelFlags } from './modelFlags.js';
import { runFlags, type RunFlags } from './runOptions.js';
import { selectProperties } from './propertyCatalog.js';
import {
  ruleErrorText,
  runInWorker,
  runInline,
  usesParallelEngine,
  type Engine,
  type SearchJob,
  type SearchOutcome,
} from './runSearch.js';
import { ProgressDisplay } from './progress.js';
import { buildBundle } from './kafkaBundle.js';
import { describeConfig, renderOutcomes, summaryLine, type FuzzSummary } from './render.js';
import { renderCounterexample, saveCounterexample } from './traceOutput.js';
import { PROPERTY_DOCS } from './propertyDocs.js';
import { checkpointLabel, planResume, prepareCheckpointDir, type ResumePlan } from './checkpoint.js';
import { shardRuns } from './fuzzShard.js';
import { interruptedBy, interruptedExitCode } from './lifecycle.js';
import { checkOutputDir } from './outputPaths.js';
import { version } from './version.js';

/** What every command gets: where to write, and the words it was called with (for traces). */
export interface CliContext {
  readonly io: Io;
  readonly argv: readonly string[];
}

/** The exit code of a finished run (see exitCodes.ts). */
export function exitCodeOf(result: CheckResult, command: 'check' | 'fuzz'): number {
  switch (result.kind) {
    case 'ok':
      return ExitCode.ok;
    case 'violation':
      return ExitCode.violation;
    case 'incomplete':
      // A fuzz run that did all its runs is as complete as sampling gets.
      return command === 'fuzz' && result.reasons.every((r) => r === 'sampled') ? ExitCode.ok : ExitCode.incomplete;
    case 'error':
      return ExitCode.usage;
  }
}

/**
 * `check` and `fuzz`: builds the effective config, runs the engine (with progress on stderr), prints
 * the verdict, the outcomes, the counterexample with its saved trace and replay command, and the
 * one-line summary; returns the exit code.
 */
export async function runModel(command: 'check' | 'fuzz', cmd: Command, ctx: CliContext): Promise<number> {
  const { io } = ctx;
  const flags = runFlags(cmd);
  checkRunFlags(command, flags);
  const resume = flags.resume !== undefined ? await planResume(cmd, flags, io.cwd) : undefined;
  const eff: EffectiveConfig = resume
    ? { config: resume.spec.config, rule: resume.rule }
    : await effectiveConfig(modelFlags(cmd), io.cwd);
  if (flags.printConfig) {
    printConfig(eff, flags, io);
    return ExitCode.ok;
  }
  const propertyArgs = resume ? resume.spec.properties : flags.property;
  const properties = selectProperties(propertyArgs, eff.config);
  const ids = properties.map((p) => p.id);
  const hasLiveness = properties.some((p) => p.kind === 'eventually');
  const seed = command === 'fuzz' ? (flags.seed ?? freshSeed()) : flags.seed;
  const spec = resume
    ? resume.spec
    : {
        config: eff.config,
        rule: 'path' in eff.rule.ref ? eff.rule.ref.path : eff.rule.ref.name,
        properties: propertyArgs.length ? ids : [],
        cwd: io.cwd,
      };
  let engine = engineFor(command, flags, hasLiveness, seed, resume);
  if (flags.spillDir !== undefined) engine = withSpillDir(engine, flags.spillDir, io.cwd);
  if (engine.kind === 'check' && flags.checkpoint !== undefined && !resume) {
    const dir = resolve(io.cwd, flags.checkpoint);
    prepareCheckpointDir(dir, flags.checkpoint, io.cwd);
    const { model } = buildBundle(eff.config, eff.rule, spec.properties, io.cwd);
    engine = {
      ...engine,
      checkpoint: { dir, everyMs: flags.checkpointEveryMs, label: checkpointLabel(model, eff.rule, ids) },
    };
  }
  const job: SearchJob = { spec, engine };
  checkOutputDir('--out-dir', flags.outDir, io.cwd);
  warnAboutWorkers(engine, io);
  // From here on a stop signal stops the search, which then prints what it has.
  io.catchSignals?.();
  const out = (text: string): void => {
    if (!flags.json) io.stdout.write(`${text}\n`);
  };
  if (!flags.quiet) {
    // With --json the header goes to stderr: stdout holds only the JSON object.
    const head = (text: string): void => (flags.json ? io.stderr.write(`${text}\n`) : out(text));
    head(`kafka-mc ${command}: ${describeConfig(eff.config, eff.preset)}`);
    head(
      `engine: ${describeEngine(engine)}; ${ids.length} propert${ids.length === 1 ? 'y' : 'ies'}: ${ids.join(', ')}`,
    );
    if (resume)
      head(
        `resuming from ${flags.resume ?? ''}: level ${resume.info.level}, ${resume.info.count.toLocaleString('en-US')} states, ${resume.info.frontier.toLocaleString('en-US')} of them to expand`,
      );
  }
  const progress =
    flags.quiet || flags.json
      ? undefined
      : new ProgressDisplay(
          io.stderr,
          engine.kind === 'simulate'
            ? { runs: engine.runs, ...(flags.timeLimitMs !== undefined ? { timeLimitMs: flags.timeLimitMs } : {}) }
            : flags.timeLimitMs !== undefined
              ? { timeLimitMs: flags.timeLimitMs }
              : {},
        );
  const searchOptions = {
    ...(io.signal ? { signal: io.signal } : {}),
    ...(progress ? { onProgress: progress.listener } : {}),
  };
  let outcome: SearchOutcome;
  try {
    outcome =
      io.searchInWorker === true || usesParallelEngine(engine)
        ? await runInWorker(job, searchOptions)
        : runInline(job, eff.rule, searchOptions);
  } finally {
    progress?.done();
  }
  if (outcome.warning !== undefined) io.stderr.write(`warning: ${outcome.warning}\n`);
  const result = outcome.result;
  // An engine that ended on a misbehaving election rule (a worker, fuzzing): a usage error, as inline.
  if (result.kind === 'error' && /election rule "/.test(result.message))
    throw new UsageError(ruleErrorText(result.message));
  const code = interruptedExitCode(io.signal) ?? exitCodeOf(result, command);
  const fuzz: FuzzSummary | undefined =
    engine.kind === 'simulate'
      ? {
          runs: engine.shard ? shardRuns(engine.runs, engine.shard) : engine.runs,
          depth: engine.depth,
          seed: engine.seed,
          ...(engine.shard ? { shard: { ...engine.shard, of: engine.runs } } : {}),
        }
      : undefined;
  const checkpointDir = engine.kind === 'check' ? (engine.checkpoint?.dir ?? engine.resume?.dir) : undefined;
  const checkpoint =
    checkpointDir !== undefined
      ? checkpointReport(checkpointDir, flags.resume ?? flags.checkpoint ?? '', result)
      : undefined;
  const summary = summaryLine(result, command, fuzz, interruptedBy(io.signal));

  // The counterexample: rendered, saved, and a replay command (printed even if it could not be saved).
  let traceFile: string | undefined;
  let traceError: string | undefined;
  let rendered: string | undefined;
  if (result.kind === 'violation' && result.violation.status === 'violated' && result.violation.path) {
    const violation = result.violation;
    const { model } = buildBundle(eff.config, eff.rule, ids, io.cwd);
    const property = properties.find((p) => p.id === violation.id);
    if (property) {
      const saved = saveCounterexample(
        {
          model,
          rule: eff.rule.ref,
          outcome: violation,
          property,
          strategy:
            engine.kind === 'simulate'
              ? 'fuzz'
              : engine.kind === 'swarm'
                ? 'dfs'
                : engine.kind === 'liveness'
                  ? 'liveness'
                  : engine.strategy,
          ...(seed !== undefined ? { seed } : {}),
          commandLine: ['kafka-mc', ...ctx.argv],
        },
        flags.outDir,
        io.cwd,
      );
      traceFile = saved.file;
      traceError = saved.error;
      rendered = renderCounterexample(saved.trace, useColor(io));
    }
  }
  const replay = traceFile !== undefined ? `npx kafka-mc replay ${shellQuote(traceFile)}` : undefined;

  if (flags.json) {
    io.stdout.write(
      `${JSON.stringify(
        {
          command,
          version: version(),
          verdict: result.kind,
          exitCode: code,
          summary,
          config: eff.config,
          ...(eff.preset !== undefined ? { preset: eff.preset } : {}),
          rule: eff.rule.ref,
          engine,
          stats: result.stats,
          outcomes: result.outcomes,
          reasons:
            result.kind === 'incomplete'
              ? result.reasons
              : result.kind === 'violation'
                ? (result.incomplete ?? [])
                : [],
          violation: result.kind === 'violation' ? result.violation : null,
          trace: traceFile !== undefined ? { file: traceFile, replay } : null,
          ...(traceError !== undefined ? { traceError } : {}),
          ...(outcome.fuzz && engine.kind === 'simulate'
            ? {
                fuzz: {
                  seed: engine.seed,
                  runs: engine.runs,
                  depth: engine.depth,
                  ...(engine.shard ? { shard: engine.shard } : {}),
                  assigned: outcome.fuzz.assigned,
                  properties: ids,
                  coverage: outcome.fuzz.coverage,
                },
              }
            : {}),
          ...(checkpoint ? { checkpoint: checkpoint.json } : {}),
          ...(result.kind === 'error' ? { error: result.message } : {}),
        },
        null,
        2,
      )}\n`,
    );
    if (traceError !== undefined) io.stderr.write(`error: the trace was not saved: ${traceError}\n`);
    return code;
  }
  if (!flags.quiet) {
    out('');
    out(renderOutcomes(result.outcomes));
    if (rendered !== undefined) out(`\n${rendered}`);
    if (result.kind === 'violation' && result.violation.status === 'vacuous') {
      const hint = PROPERTY_DOCS[result.violation.id]?.protectedBy[0];
      out(
        `\nGuard ${result.violation.id} ("${result.violation.title}") was never reached in any of the ${result.stats.distinct.toLocaleString('en-US')} states: the safety results above say nothing about the behaviours it stands for.${hint ? `\nIt ${hint.replace(/^needs/, 'needs')}.` : ''}`,
      );
    }
    if (traceFile !== undefined) out(`\nTrace saved to ${traceFile}\nReplay it with: ${replay}`);
    if (result.kind === 'incomplete' && result.reasons.includes('interrupted'))
      out(`\nInterrupted by ${interruptedBy(io.signal)}: partial results.`);
    if (checkpoint) out(`\n${checkpoint.text}`);
    out('');
  }
  if (result.kind === 'error') io.stderr.write(`error: ${result.message}\n`);
  io.stdout.write(`${summary}\n`);
  if (traceError !== undefined) io.stderr.write(`error: the trace above was not saved: ${traceError}\n`);
  if (flags.quiet && traceFile !== undefined) io.stdout.write(`trace: ${traceFile}\n`);
  return code;
}

/** `--workers N` above the core count: said on stderr, with what the run will do. */
function warnAboutWorkers(engine: Engine, io: Io): void {
  const cores = availableParallelism();
  if (engine.kind !== 'check' || engine.workers <= cores) return;
  io.stderr.write(
    `warning: --workers ${engine.workers} is more than the ${cores} core${cores === 1 ? '' : 's'} of this machine; running ${engine.workers} worker threads anyway: they take turns on the cores, so the search will be no faster than with --workers ${cores} and will use more memory\n`,
  );
}

/** Flag combinations that make no sense whatever the config (usage errors before anything runs). */
function checkRunFlags(command: 'check' | 'fuzz', f: RunFlags): void {
  if (command === 'fuzz') {
    if (f.shard && f.seed === undefined)
      throw new UsageError(
        `--shard ${f.shard.index}/${f.shard.count} needs --seed: every shard of a campaign must use the same base seed (e.g. --seed 42 --shard ${f.shard.index}/${f.shard.count})`,
      );
    return;
  }
  const ckpt = f.resume !== undefined ? '--resume' : f.checkpoint !== undefined ? '--checkpoint' : undefined;
  if (ckpt === undefined) {
    if (f.checkpointEveryMs > 0) throw new UsageError('--checkpoint-every needs --checkpoint DIR (or --resume DIR)');
    return;
  }
  const problems: string[] = [];
  if (f.resume !== undefined && f.checkpoint !== undefined)
    problems.push('--resume DIR keeps writing checkpoints into DIR: drop --checkpoint');
  if (f.dfs) problems.push(`checkpoints are written by the breadth-first parallel engine: drop --dfs or ${ckpt}`);
  if (f.swarm) problems.push(`a swarm shard is a single-threaded DFS without checkpoints: drop --swarm or ${ckpt}`);
  if (problems.length === 1) throw new UsageError(problems[0] as string);
  if (problems.length) throw new UsageError(`${ckpt} cannot be combined with these flags`, problems);
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

function engineFor(
  command: 'check' | 'fuzz',
  f: RunFlags,
  hasLiveness: boolean,
  seed: number | undefined,
  resume: ResumePlan | undefined,
): Engine {
  if (command === 'fuzz') {
    if (hasLiveness)
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
  const limits = {
    ...(f.maxDepth !== undefined ? { maxDepth: f.maxDepth } : {}),
    ...(f.maxStates !== undefined ? { maxStates: f.maxStates } : {}),
    ...(f.timeLimitMs !== undefined ? { timeLimitMs: f.timeLimitMs } : {}),
  };
  if (hasLiveness) {
    const problems: string[] = [];
    if (f.dfs) problems.push('liveness properties are decided breadth-first over the whole graph: drop --dfs');
    if (f.workers > 1) problems.push('liveness properties need the single-threaded engine: drop --workers');
    if (f.checkpoint !== undefined || resume)
      problems.push(
        'liveness properties are decided over the whole state graph, which checkpoints do not keep: drop --checkpoint (or check only safety properties and guards)',
      );
    if (problems.length) throw new UsageError(problems.join('; '));
    return { kind: 'liveness', ...limits };
  }
  if (resume) {
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
  if (f.swarm) {
    if (f.workers > 1) throw new UsageError('a swarm shard is a single-threaded DFS: drop --workers or --swarm');
    return {
      kind: 'swarm',
      index: f.swarm.index,
      count: f.swarm.count,
      seed: seed ?? 0,
      maxDepth: f.maxDepth ?? 100,
      ...limits,
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
  };
}

/**
 * What to tell about the checkpoint directory after a run: the last checkpoint and, when the run
 * stopped early, the command that continues it.
 */
function checkpointReport(
  dir: string,
  given: string,
  result: CheckResult,
): { text: string; json: Record<string, unknown> } {
  const resumeCommand = `kafka-mc check --resume ${shellQuote(given)}`;
  let level: number;
  let states: number;
  try {
    const info = readCheckpoint(dir);
    level = info.level;
    states = info.count;
  } catch (e) {
    if (!(e instanceof CheckpointError)) throw e;
    return {
      text: `No checkpoint was written into ${given} (${e.message}).`,
      json: { dir, level: null, states: null, resume: null },
    };
  }
  const stopped =
    result.kind === 'incomplete' ||
    (result.kind === 'violation' && (result.incomplete?.length ?? 0) > 0) ||
    result.kind === 'error';
  const where = `Checkpoint: level ${level}, ${states.toLocaleString('en-US')} states, in ${given}`;
  return {
    text: stopped
      ? `${where}\nContinue the run with: ${resumeCommand}`
      : `${where} (the run is finished; delete the directory when you no longer need it)`,
    json: { dir, level, states, resume: stopped ? resumeCommand : null },
  };
}

function describeEngine(e: Engine): string {
  switch (e.kind) {
    case 'check': {
      const parallel = e.workers > 1 || e.checkpoint !== undefined;
      const ckpt = e.checkpoint
        ? `, checkpoints in ${e.checkpoint.dir} ${e.checkpoint.everyMs > 0 ? `at most every ${e.checkpoint.everyMs / 1000} s` : 'at every level'}`
        : '';
      const on = e.workers === 1 ? ' on 1 worker (parallel engine)' : ` on ${e.workers} workers`;
      const spill = e.spillDir !== undefined ? `, frontier spilled to ${e.spillDir}` : '';
      return `exhaustive ${e.strategy === 'bfs' ? 'breadth-first' : 'depth-first'}${parallel ? on : ''}${ckpt}${spill}${limitsText(e)}`;
    }
    case 'liveness':
      return `exhaustive breadth-first with liveness${limitsText(e)}`;
    case 'swarm':
      return `swarm shard ${e.index}/${e.count}: bounded depth-first, seed ${e.seed}${limitsText(e)}`;
    case 'simulate':
      return e.shard
        ? `shard ${e.shard.index}/${e.shard.count} of ${e.runs.toLocaleString('en-US')} random runs (${shardRuns(e.runs, e.shard).toLocaleString('en-US')} runs: run k when k mod ${e.shard.count} = ${e.shard.index - 1}) of up to ${e.depth} steps, seed ${e.seed}${limitsText(e)}`
        : `${e.runs.toLocaleString('en-US')} random runs of up to ${e.depth} steps, seed ${e.seed}${limitsText(e)}`;
  }
}

function limitsText(e: { maxDepth?: number; maxStates?: number; timeLimitMs?: number }): string {
  const parts = [
    e.maxDepth !== undefined ? `depth ≤ ${e.maxDepth}` : '',
    e.maxStates !== undefined ? `≤ ${e.maxStates.toLocaleString('en-US')} states` : '',
    e.timeLimitMs !== undefined ? `time limit ${e.timeLimitMs / 1000} s` : '',
  ].filter(Boolean);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

function printConfig(eff: EffectiveConfig, flags: RunFlags, io: Io): void {
  const { electionRule: _rule, ...rest } = eff.config;
  const rule = 'path' in eff.rule.ref ? eff.rule.ref.path : eff.rule.ref.name;
  const doc = { ...rest, rule };
  if (flags.json) {
    io.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    return;
  }
  const header = [
    '# kafka-mc effective config (use it with --config FILE)',
    ...(eff.preset !== undefined ? [`# from preset ${eff.preset}`] : []),
    ...(eff.configFile !== undefined ? [`# from config file ${eff.configFile}`] : []),
  ];
  io.stdout.write(`${header.join('\n')}\n${toYaml(doc, { flow: false })}`);
}

/** ANSI colours on a terminal, unless NO_COLOR is set (https://no-color.org). */
export function useColor(io: Io): boolean {
  return io.stdout.isTTY && io.env['NO_COLOR'] === undefined;
}

/** Quotes a path for a POSIX shell when it needs it. */
export function shellQuote(s: string): string {
  return /^[\w./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
