/**
 * The last stage of `check` and `fuzz`: what they print after the search (the verdict, the outcomes,
 * the counterexample with its saved trace and replay command, and the one-line summary, or one JSON
 * object with all of it) and the exit code; also `--print-config`.
 */
import { cutReports, renderCuts } from '../boundCuts.js';
import type { Grown } from './grow.js';
import type { ComposedPart } from './compose.js';
import { stringify as toYaml } from 'yaml';
import { CheckpointError, readCheckpoint, type CheckResult } from '../../checker/index.js';
import type { KafkaModel } from '../../model/index.js';
import { metricsDistributionLines } from '../../properties/index.js';
import { useColor, type CliContext, type Io } from '../Io.js';
import { exitCodeOf } from '../exitCodes.js';
import { shellQuote } from '../format.js';
import { shardRuns } from '../fuzzShard.js';
import { interruptedBy, interruptedExitCode } from '../lifecycle.js';
import { PROPERTY_DOCS } from '../propertyDocs.js';
import type { ReductionStats } from '../../checker/index.js';
import { bitstateNote, renderOutcomes, summaryLine, type FuzzSummary } from '../render.js';
import type { Engine } from '../runSearch.js';
import { renderCounterexample, saveCounterexample } from '../traceOutput.js';
import { version } from '../version.js';
import type { RunOutcome } from './execute.js';
import { exampleLines, saveExamples, traceInputFor, type SavedExample } from './examples.js';
import type { RunConfig, RunPlan } from './resolve.js';

/** The counterexample of a violation: its trace file (or why it could not be saved) and its rendering. */
interface Counterexample {
  readonly file: string | undefined;
  readonly error: string | undefined;
  readonly rendered: string | undefined;
  /** The command that replays the saved trace. */
  readonly replay: string | undefined;
}

/** What the report says about the checkpoint directory, in words and for --json. */
interface CheckpointReport {
  readonly text: string;
  readonly json: Record<string, unknown>;
}

/** Everything the report prints, computed once for the text and the JSON form. */
interface Report {
  readonly plan: RunPlan;
  readonly run: RunOutcome;
  readonly code: number;
  readonly summary: string;
  readonly checkpoint: CheckpointReport | undefined;
  readonly counterexample: Counterexample;
  /** `--save-examples`: the reached guards' example traces. */
  readonly examples: readonly SavedExample[];
  /** `--grow-bounds`: every round (the run reported is the last). */
  readonly grown: Grown | undefined;
  /** Decided one partition at a time (`cli/run/compose.ts`): each partition's check. */
  readonly composed: readonly ComposedPart[] | undefined;
}

/** `--print-config`: the effective config as YAML with where it came from (or as JSON with `--json`). */
export function printConfig({ eff, flags }: RunConfig, io: Io): void {
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

/**
 * Reports a finished run: saves the counterexample's trace, prints the verdict (as text or JSON) and
 * returns the exit code. `model` is the run's model, which the trace file records.
 */
export function reportRun(
  plan: RunPlan,
  run: RunOutcome,
  model: KafkaModel,
  ctx: CliContext,
  grown?: Grown,
  composed?: readonly ComposedPart[],
): number {
  const { io } = ctx;
  const { command, flags } = plan;
  const { engine } = run;
  const result = run.outcome.result;
  const code = interruptedExitCode(io.signal) ?? exitCodeOf(result, command);
  const checkpointDir = engine.kind === 'check' ? (engine.checkpoint?.dir ?? engine.resume?.dir) : undefined;
  const checkpoint =
    checkpointDir !== undefined
      ? checkpointReport(checkpointDir, flags.resume ?? flags.checkpoint ?? '', result)
      : undefined;
  const summary = summaryLine(result, command, fuzzSummary(engine), interruptedBy(io.signal));
  const counterexample = saveTrace(plan, engine, result, model, ctx);
  const examples = saveExamples(plan, engine, result, model, ctx);
  const report: Report = { plan, run, code, summary, checkpoint, counterexample, examples, grown, composed };
  if (flags.json) printJson(report, io);
  else printText(report, io);
  return code;
}

/** The runs, depth and seed the summary line names for a fuzz campaign (or shard). */
function fuzzSummary(engine: Engine): FuzzSummary | undefined {
  return engine.kind === 'simulate'
    ? {
        runs: engine.shard ? shardRuns(engine.runs, engine.shard) : engine.runs,
        depth: engine.depth,
        seed: engine.seed,
        ...(engine.shard ? { shard: { ...engine.shard, of: engine.runs } } : {}),
      }
    : undefined;
}

/**
 * A violation's counterexample: saved as a trace file with the command that replays it, and rendered
 * (printed even if it could not be saved); all undefined when the result has no counterexample.
 */
function saveTrace(
  plan: RunPlan,
  engine: Engine,
  result: CheckResult,
  model: KafkaModel,
  ctx: CliContext,
): Counterexample {
  const { io } = ctx;
  const none: Counterexample = { file: undefined, error: undefined, rendered: undefined, replay: undefined };
  if (result.kind !== 'violation' || result.violation.status !== 'violated' || !result.violation.path) return none;
  const violation = result.violation;
  const property = plan.properties.find((p) => p.id === violation.id);
  if (!property) return none;
  const saved = saveCounterexample(
    traceInputFor(plan, engine, model, ctx, violation, property),
    plan.flags.outDir,
    io.cwd,
  );
  return {
    file: saved.file,
    error: saved.error,
    rendered: renderCounterexample(saved.trace, useColor(io)),
    replay: saved.file !== undefined ? `npx kafka-mc replay ${shellQuote(saved.file)}` : undefined,
  };
}

/** `--json`: one object with the verdict, config, engine, stats, outcomes, trace, fuzz coverage, checkpoint. */
function printJson(
  { plan, run, code, summary, checkpoint, counterexample: trace, examples, grown, composed }: Report,
  io: Io,
): void {
  const { command, eff, ids } = plan;
  const { engine, outcome } = run;
  const result = outcome.result;
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
        // a bit array may have skipped states: no verdict of such a run is a proof (see `bitstate`)
        exhaustive: engine.kind !== 'simulate' && result.stats.bitstate === undefined,
        bitstate: result.stats.bitstate ?? null,
        withinBounds: (result.stats.cuts?.length ?? 0) > 0,
        cuts: cutReports(result.stats.cuts, eff.config),
        outcomes: result.outcomes,
        reasons:
          result.kind === 'incomplete' ? result.reasons : result.kind === 'violation' ? (result.incomplete ?? []) : [],
        violation: result.kind === 'violation' ? result.violation : null,
        trace: trace.file !== undefined ? { file: trace.file, replay: trace.replay } : null,
        ...(trace.error !== undefined ? { traceError: trace.error } : {}),
        ...(plan.flags.saveExamples ? { examples } : {}),
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
        ...(grown ? { growBounds: { rounds: grown.rounds, end: grown.end } } : {}),
        ...(composed ? { perPartition: composed } : {}),
        ...(result.kind === 'error' ? { error: result.message } : {}),
      },
      null,
      2,
    )}\n`,
  );
  if (trace.error !== undefined) io.stderr.write(`error: the trace was not saved: ${trace.error}\n`);
}

/** The text report (without `--json`): outcomes, counterexample, notes (unless `--quiet`), then the summary line. */
function printText(
  { plan, run, summary, checkpoint, counterexample: trace, examples, grown, composed }: Report,
  io: Io,
): void {
  const { flags } = plan;
  const result = run.outcome.result;
  const out = (text: string): void => io.stdout.write(`${text}\n`);
  if (!flags.quiet) {
    out('');
    out(renderOutcomes(result.outcomes));
    if (run.outcome.fuzz) out(`\n${metricsDistributionLines(run.outcome.fuzz.coverage.metrics).join('\n')}`);
    if (trace.rendered !== undefined) out(`\n${trace.rendered}`);
    if (result.kind === 'violation' && result.violation.status === 'vacuous') {
      const hint = PROPERTY_DOCS[result.violation.id]?.protectedBy[0];
      out(
        `\nGuard ${result.violation.id} ("${result.violation.title}") was never reached in any of the ${result.stats.distinct.toLocaleString('en-US')} states: the safety results above say nothing about the behaviours it stands for.${hint ? `\nIt ${hint.replace(/^needs/, 'needs')}.` : ''}`,
      );
    }
    if (trace.file !== undefined) out(`\nTrace saved to ${trace.file}\nReplay it with: ${trace.replay}`);
    if (examples.length) out(`\n${exampleLines(examples).join('\n')}`);
    if (result.kind === 'incomplete' && result.reasons.includes('interrupted'))
      out(`\nInterrupted by ${interruptedBy(io.signal)}: partial results.`);
    if (checkpoint) out(`\n${checkpoint.text}`);
    const bitstate = result.stats.bitstate;
    if (bitstate && result.kind !== 'violation') out(`\n${bitstateNote(bitstate)}`);
    const reduction = reductionNote(result.stats.reduction);
    if (reduction !== undefined) out(`\n${reduction}`);
    // a pass holds only within the bounds that cut it (a violation stands whatever the bounds), and so
    // does a bitstate run that only the bit array kept from passing
    const passing =
      result.kind === 'ok' || (result.kind === 'incomplete' && result.reasons.every((r) => r === 'bitstate'));
    const cuts = passing ? renderCuts(cutReports(result.stats.cuts, plan.eff.config)) : undefined;
    if (cuts !== undefined) out(`\n${cuts}`);
    if (grown) out(`\n${renderRounds(grown)}`);
    if (composed) out(`\n${renderComposed(composed, plan.eff.config.partitions)}`);
    out('');
  }
  if (result.kind === 'error') io.stderr.write(`error: ${result.message}\n`);
  io.stdout.write(`${summary}\n`);
  if (trace.error !== undefined) io.stderr.write(`error: the trace above was not saved: ${trace.error}\n`);
  if (flags.quiet && trace.file !== undefined) io.stdout.write(`trace: ${trace.file}\n`);
}

/** What partial-order reduction did, when it did anything (`Stats.reduction`; the JSON has it whole). */
export function reductionNote(r: ReductionStats | undefined): string | undefined {
  if (!r?.used || r.skippedActions + r.reducedStates === 0) return undefined;
  const n = (x: number): string => x.toLocaleString('en-US');
  const parts = [
    r.skippedActions > 0 ? `${n(r.skippedActions)} steps not followed` : '',
    r.reducedStates > 0 ? `${n(r.reducedStates)} states expanded with a persistent subset of their steps` : '',
  ].filter(Boolean);
  return `Partial-order reduction (--no-por turns it off): ${r.detail}; ${parts.join(', ')}.`;
}

/**
 * What to tell about the checkpoint directory after a run: the last checkpoint and, when the run
 * stopped early, the command that continues it.
 */
function checkpointReport(dir: string, given: string, result: CheckResult): CheckpointReport {
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

/** The partitions' checks of a run decided one partition at a time. */
function renderComposed(parts: readonly ComposedPart[], partitions: number): string {
  return [
    `Decided one partition at a time (each with the other partitions as its environment; --no-compose checks the whole cluster at once), ${parts.length} of ${partitions} partitions checked:`,
    ...parts.map(
      (p) =>
        `  partition ${p.partition}: ${p.verdict}, ${p.distinct.toLocaleString('en-US')} states, ${p.seconds.toFixed(1)} s`,
    ),
    'State counts above and below are summed over the partitions’ one-partition clusters.',
  ].join('\n');
}

/** The rounds of `--grow-bounds`, one line each, and why they ended. */
function renderRounds(grown: Grown): string {
  const lines = grown.rounds.map((r, i) => {
    const bounds = Object.entries(r.bounds)
      .map(([flag, v]) => `${flag} ${v}`)
      .join(' ');
    const cut = r.cutBy.length ? `, cut by ${r.cutBy.join(', ')}` : '';
    return `  ${i + 1}. ${bounds}: ${r.verdict}, ${r.distinct.toLocaleString('en-US')} states${cut}`;
  });
  return [
    `Bounds grown (--grow-bounds), ${grown.rounds.length} round${grown.rounds.length === 1 ? '' : 's'}:`,
    ...lines,
    `Ended: ${grown.end}.`,
  ].join('\n');
}
