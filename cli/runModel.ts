import type { Command } from 'commander';
import { stringify as toYaml } from 'yaml';
import { freshSeed, type CheckResult } from '../checker/index.js';
import type { Io } from './Io.js';
import { ExitCode } from './exitCodes.js';
import { UsageError } from './UsageError.js';
import { effectiveConfig, type EffectiveConfig } from './effectiveConfig.js';
import { modelFlags } from './modelFlags.js';
import { runFlags, type RunFlags } from './runOptions.js';
import { selectProperties } from './propertyCatalog.js';
import { runInWorker, runInline, type Engine, type SearchJob } from './runSearch.js';
import { ProgressDisplay } from './progress.js';
import { buildBundle } from './kafkaBundle.js';
import { describeConfig, renderOutcomes, summaryLine, type FuzzSummary } from './render.js';
import { renderCounterexample, saveCounterexample } from './traceOutput.js';
import { PROPERTY_DOCS } from './propertyDocs.js';

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
  const eff = await effectiveConfig(modelFlags(cmd), io.cwd);
  if (flags.printConfig) {
    printConfig(eff, flags, io);
    return ExitCode.ok;
  }
  const properties = selectProperties(flags.property, eff.config);
  const ids = properties.map((p) => p.id);
  const hasLiveness = properties.some((p) => p.kind === 'eventually');
  const seed = command === 'fuzz' ? (flags.seed ?? freshSeed()) : flags.seed;
  const engine = engineFor(command, flags, hasLiveness, seed);
  const job: SearchJob = {
    spec: {
      config: eff.config,
      rule: 'path' in eff.rule.ref ? eff.rule.ref.path : eff.rule.ref.name,
      properties: flags.property.length ? ids : [],
      cwd: io.cwd,
    },
    engine,
  };
  const out = (text: string): void => {
    if (!flags.json) io.stdout.write(`${text}\n`);
  };
  if (!flags.quiet) {
    out(`kafka-mc ${command}: ${describeConfig(eff.config, eff.preset)}`);
    out(`engine: ${describeEngine(engine)}; ${ids.length} properties: ${ids.join(', ')}`);
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
  let result: CheckResult;
  try {
    result =
      io.searchInWorker === true || (engine.kind === 'check' && engine.workers > 1)
        ? await runInWorker(job, searchOptions)
        : runInline(job, eff.rule, searchOptions);
  } finally {
    progress?.done();
  }
  const code = exitCodeOf(result, command);
  const fuzz: FuzzSummary | undefined =
    engine.kind === 'simulate' ? { runs: engine.runs, depth: engine.depth, seed: engine.seed } : undefined;
  const summary = summaryLine(result, command, fuzz);

  // The counterexample: rendered, saved, and a replay command.
  let traceFile: string | undefined;
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
      rendered = renderCounterexample(saved.trace, useColor(io));
    }
  }
  const replay = traceFile !== undefined ? `npx kafka-mc replay ${shellQuote(traceFile)}` : undefined;

  if (flags.json) {
    io.stdout.write(
      `${JSON.stringify(
        {
          command,
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
          ...(result.kind === 'error' ? { error: result.message } : {}),
        },
        null,
        2,
      )}\n`,
    );
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
    if (result.kind === 'incomplete' && result.reasons.includes('interrupted')) out('\nInterrupted: partial results.');
    out('');
  }
  if (result.kind === 'error') io.stderr.write(`error: ${result.message}\n`);
  io.stdout.write(`${summary}\n`);
  if (flags.quiet && traceFile !== undefined) io.stdout.write(`trace: ${traceFile}\n`);
  return code;
}

function engineFor(command: 'check' | 'fuzz', f: RunFlags, hasLiveness: boolean, seed: number | undefined): Engine {
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
    if (problems.length) throw new UsageError(problems.join('; '));
    return { kind: 'liveness', ...limits };
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
  return { kind: 'check', strategy: f.dfs ? 'dfs' : 'bfs', workers: f.workers, ...limits };
}

function describeEngine(e: Engine): string {
  switch (e.kind) {
    case 'check':
      return `exhaustive ${e.strategy === 'bfs' ? 'breadth-first' : 'depth-first'}${e.workers > 1 ? ` on ${e.workers} workers` : ''}${limitsText(e)}`;
    case 'liveness':
      return `exhaustive breadth-first with liveness${limitsText(e)}`;
    case 'swarm':
      return `swarm shard ${e.index}/${e.count}: bounded depth-first, seed ${e.seed}${limitsText(e)}`;
    case 'simulate':
      return `${e.runs.toLocaleString('en-US')} random runs of up to ${e.depth} steps, seed ${e.seed}${limitsText(e)}`;
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
