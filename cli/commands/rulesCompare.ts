import { Command, Option } from 'commander';
import { writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { builtinRule, builtinRuleNames, resolveConfig, validateConfig, type ConfigInput } from '../../model/index.js';
import { livenessProperties, metricsComparisonLines } from '../../properties/index.js';
import { presetConfig } from '../effectiveConfig.js';
import {
  ELR_COLUMN,
  columnModel,
  compareRules,
  formatMatrix,
  measureAvailability,
  formatPercentile,
  safetyFor,
  sweepAvailability,
  sweepMarkdown,
  compareHtml,
  compareMarkdown,
  traceKey,
  METRICS_HEADING,
  type Cell,
  type Column,
  type MatrixRow,
  type CompareReport,
} from '../../lab/index.js';
import { loadRule, type RuleRef } from '../loadRule.js';
import { parseCount, parsePositive, parseSeed } from '../modelFlags.js';
import { saveCounterexample } from '../traceOutput.js';
import { checkOutputDir, checkOutputFile, writeFailure } from '../outputPaths.js';
import { UsageError } from '../UsageError.js';
import { addSweepOptions, planLatency, runLatency, type LatencyPlan, type SweepFlags } from '../compareLatency.js';
import { latencyTable } from '../../lab/index.js';
import type { CliContext } from '../runModel.js';

const SMALL = { bounds: { records: 1, leaderEpochs: 2 }, faults: { networkPartitions: 0, crashes: 2 } } as const;

/** A column of the matrix with what its trace files record as the rule. */
interface RefColumn extends Column {
  readonly ref: RuleRef;
}

/** The column a `--rules` item names: `elr`, a built-in rule or a rule file. */
async function columnOf(name: string, cwd: string): Promise<RefColumn> {
  if (name === 'elr' && !builtinRule('elr')) return { ...ELR_COLUMN, ref: { name: 'clean' } };
  const loaded = await loadRule(name, cwd);
  return { name: loaded.rule.name, rule: loaded.rule, ref: loaded.ref };
}

/** A file-system-safe folder name for a column's traces. */
const folderOf = (name: string): string => name.replace(/[^A-Za-z0-9_-]+/g, '_');

/**
 * `kafka-mc rules compare --rules clean,unclean,elr,./myRule.ts`: every safety property for every rule
 * on the same config (property × rule matrix: exhaustive, and seeded fuzzing where the search stopped
 * at its state cap), a trace file for each violation, then availability and failover latency measured
 * by seeded random walks under the config's fault mix.
 */
export function rulesCompareCommand(ctx: CliContext, done: (code: number) => void): Command {
  const cmd = new Command('compare')
    .summary('compare election rules side by side: safety matrix, availability, failover latency')
    .option(
      '--rules <list>',
      'comma-separated built-in names, `elr` (clean with Eligible Leader Replicas, KRaft) or rule files',
      'clean,unclean,preferred,any-isr',
    )
    .addOption(new Option('--brokers <n>', 'brokers').argParser(parsePositive).default(3))
    .addOption(new Option('--max-crashes <n>', 'crash budget').argParser(parseCount).default(SMALL.faults.crashes))
    .addOption(
      new Option('--max-records <n>', 'records per partition').argParser(parsePositive).default(SMALL.bounds.records),
    )
    .option('--preset <name>', 'start from a Kafka version preset, e.g. kafka-4.x-kraft-elr (see `kafka-mc list`)')
    .addOption(
      new Option(
        '--mode <mode>',
        'controller mode (default: the preset’s, else ZooKeeper; KRaft when a column is elr)',
      ).choices(['zk', 'kraft']),
    )
    .addOption(new Option('--voters <n>', 'KRaft controller quorum size').argParser(parsePositive))
    .option('--liveness', 'also decide the liveness properties (one more exhaustive run per rule)')
    .addOption(
      new Option('--max-states <n>', 'distinct-state cap per rule (beyond it seeded fuzzing takes over)')
        .argParser(parsePositive)
        .default(1_000_000),
    )
    .addOption(
      new Option('--fuzz-runs <n>', 'fuzz runs per rule where the exhaustive search stopped at its cap (0: none)')
        .argParser(parseCount)
        .default(1000),
    )
    .addOption(new Option('--runs <n>', 'random walks for availability').argParser(parsePositive).default(2000))
    .addOption(
      new Option('--seed <n>', 'seed of the availability walks and of the fuzzing').argParser(parseSeed).default(1),
    )
    .option(
      '--sweep',
      'also measure availability over cluster sizes 3-5 brokers and 1-2 partitions, ZooKeeper and KRaft side by side, and failover unavailability in ms (timed simulation) over the --sweep-* axes',
    )
    .option(
      '--report <file>',
      'also write the matrix, availability (and the sweep) as an HTML (.html) or Markdown (.md) report; never overwrites',
    )
    .option('--out-dir <dir>', 'where the trace of each violation goes, a folder per rule', './kafka-mc-traces')
    .option('--json', 'print JSON')
    .action(async (opts: CompareFlags) => done(await compare(ctx, opts)));
  return addSweepOptions(cmd);
}

/** `rules compare`'s flags as parsed. */
interface CompareFlags extends SweepFlags {
  readonly rules: string;
  readonly brokers: number;
  readonly maxCrashes: number;
  readonly maxRecords: number;
  readonly preset?: string;
  readonly mode?: 'zk' | 'kraft';
  readonly voters?: number;
  readonly liveness?: boolean;
  readonly maxStates: number;
  readonly fuzzRuns: number;
  readonly runs: number;
  readonly seed: number;
  readonly sweep?: boolean;
  readonly report?: string;
  readonly outDir: string;
  readonly json?: boolean;
}

/** The comparison's columns and config, checked, with its output locations (before any search). */
async function planCompare(
  ctx: CliContext,
  opts: CompareFlags,
): Promise<{
  columns: RefColumn[];
  input: ConfigInput & CompareInput;
  reportFile: string | undefined;
  latency: LatencyPlan | undefined;
}> {
  const names = opts.rules
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const columns: RefColumn[] = [];
  for (const n of names) columns.push(await columnOf(n, ctx.io.cwd));
  const twice = columns.find((c, i) => columns.findIndex((d) => d.name === c.name) !== i);
  if (twice) throw new UsageError(`--rules names the rule "${twice.name}" twice; each column needs its own rule`);
  const base: ConfigInput = opts.preset !== undefined ? presetConfig(opts.preset) : {};
  const elr = columns.some((c) => c.overlay?.elr);
  if (elr && opts.mode === 'zk')
    throw new UsageError(
      'the elr column (Eligible Leader Replicas, KIP-966) exists only in KRaft mode; use --mode kraft or a KRaft preset, or drop elr from --rules',
    );
  const mode = elr ? 'kraft' : (opts.mode ?? base.mode);
  const input = {
    ...base,
    ...(mode !== undefined ? { mode } : {}),
    ...(opts.voters !== undefined ? { voters: opts.voters } : {}),
    brokers: opts.brokers,
    replicationFactor: Math.min(3, opts.brokers),
    bounds: { ...base.bounds, records: opts.maxRecords, leaderEpochs: 2 },
    faults: { ...base.faults, networkPartitions: 0, crashes: opts.maxCrashes },
  };
  const checked = validateConfig(resolveConfig(input), builtinRuleNames());
  if (!checked.ok) throw new UsageError('the configuration has problems', checked.errors);
  // Refuse a report file or trace folder that cannot be written before any search runs.
  const reportFile = opts.report !== undefined ? checkOutputFile('--report', opts.report, ctx.io.cwd) : undefined;
  if (reportFile && !/\.(html?|md)$/.test(reportFile))
    throw new UsageError(`--report ${opts.report ?? ''}: name an .html or .md file`);
  checkOutputDir('--out-dir', opts.outDir, ctx.io.cwd);
  const latency = opts.sweep ? planLatency(opts, input, columns) : undefined;
  return { columns, input, reportFile, latency };
}

/** The parts of the config every column shares that the headings name. */
interface CompareInput {
  readonly mode?: 'zk' | 'kraft';
  readonly brokers: number;
  readonly bounds: { readonly records: number };
  readonly faults: { readonly crashes: number };
}

/** Runs the comparison and prints it; returns the exit code (2 when a trace or the report could not be written). */
async function compare(ctx: CliContext, opts: CompareFlags): Promise<number> {
  const { columns, input, reportFile, latency } = await planCompare(ctx, opts);
  const unsaved: string[] = [];
  const measured = measure(ctx, opts, columns, input, unsaved);
  const timed =
    latency &&
    runLatency(latency, input, columns, {
      seed: opts.seed,
      runs: opts.sweepRuns,
      ...(opts.preset !== undefined ? { preset: opts.preset } : {}),
    });
  const report: CompareReport = timed
    ? { ...measured, latency: timed, latencyHeading: latencyHeading(opts) }
    : measured;
  const reportWritten = reportFile ? writeReport(ctx, reportFile, report, unsaved) : false;
  if (opts.json) printJson(ctx, opts, input, report, reportWritten, unsaved);
  else printText(ctx, opts, report, reportWritten);
  for (const e of unsaved) ctx.io.stderr.write(`error: ${e}\n`);
  return unsaved.length ? 2 : 0;
}

/**
 * Decides the property × rule matrix (saving the trace of each violation; those that could not be saved
 * are added to `unsaved`), measures availability (and the sweep with `--sweep`), and says how.
 */
function measure(
  ctx: CliContext,
  opts: CompareFlags,
  columns: readonly RefColumn[],
  input: ConfigInput & CompareInput,
  unsaved: string[],
): CompareReport {
  const { seed, runs } = opts;
  const rows = compareRules(columns, input, {
    maxStates: opts.maxStates,
    liveness: opts.liveness === true,
    fuzz: opts.fuzzRuns > 0 ? { seed, runs: opts.fuzzRuns } : false,
  });
  const traces = saveTraces(ctx, rows, columns, input, opts.outDir, unsaved);
  const availability = columns.map((c) => ({
    ...measureAvailability(
      c.rule,
      { ...input, ...c.overlay, bounds: { ...input.bounds, leaderEpochs: 3 } },
      { seed, runs, depth: 60 },
    ),
    rule: c.name,
  }));
  const sweep = opts.sweep
    ? sweepAvailability(
        columns,
        { brokers: [3, 4, 5], partitions: [1, 2] },
        { seed, runs: Math.min(runs, 500), depth: 60, modes: ['zk', 'kraft'] },
      )
    : undefined;
  return {
    title: 'kafka-mc: election rules compared',
    matrixHeading: `${opts.liveness ? 'Safety and liveness' : 'Safety'} (exhaustive, ${input.mode === 'kraft' ? 'KRaft' : 'ZooKeeper'} mode${opts.preset !== undefined ? `, preset ${opts.preset}` : ''}, ${input.brokers} brokers, ${input.faults.crashes} crash${input.faults.crashes === 1 ? '' : 'es'}, ${input.bounds.records} record${input.bounds.records === 1 ? '' : 's'})`,
    rows,
    traces,
    availabilityHeading: `Availability (${runs} seeded random walks of 60 steps, seed ${seed})`,
    availability,
    ...(sweep ? { sweep } : {}),
  };
}

/** Writes `--report` (Markdown or HTML, never over an existing file); false, with the reason in `unsaved`, when it cannot. */
function writeReport(ctx: CliContext, reportFile: string, report: CompareReport, unsaved: string[]): boolean {
  // Trace links relative to the report's folder.
  const links = new Map(
    [...report.traces].map(([k, f]) => [k, relative(dirname(reportFile), resolve(ctx.io.cwd, f))] as const),
  );
  const withLinks = { ...report, traces: links };
  try {
    writeFileSync(reportFile, reportFile.endsWith('.md') ? compareMarkdown(withLinks) : compareHtml(withLinks), {
      flag: 'wx',
    });
    return true;
  } catch (e) {
    unsaved.push(writeFailure('the report', reportFile, e));
    return false;
  }
}

/** `--json`: the config, the matrix with each violation's trace, availability, sweep, report, errors. */
function printJson(
  ctx: CliContext,
  opts: CompareFlags,
  input: ConfigInput,
  report: CompareReport,
  reportWritten: boolean,
  unsaved: readonly string[],
): void {
  ctx.io.stdout.write(
    `${JSON.stringify(
      {
        config: input,
        matrix: report.rows.map((r) => ({
          property: r.property,
          cells: r.cells.map((c) => ({
            rule: c.rule,
            ...jsonCell(c.cell),
            trace: report.traces.get(traceKey(c.rule, r.property)) ?? null,
          })),
        })),
        availability: report.availability,
        sweep: report.sweep ?? null,
        latency: report.latency ?? null,
        report: reportWritten ? (opts.report ?? null) : null,
        errors: unsaved,
      },
      null,
      2,
    )}\n`,
  );
}

/** The text: the matrix with its counterexamples, the availability table, the sweep, the report written. */
function printText(ctx: CliContext, opts: CompareFlags, report: CompareReport, reportWritten: boolean): void {
  const { seed, runs } = opts;
  const text = [
    `${report.matrixHeading}:`,
    formatMatrix(report.rows),
    ...traceLines(report.traces),
    '',
    `${report.availabilityHeading}:`,
    ...availabilityLines(report.availability),
    '',
    `${METRICS_HEADING}:`,
    ...metricsComparisonLines(report.availability.map((a) => ({ name: a.rule, d: a.metrics }))),
  ];
  if (report.sweep)
    text.push(
      '',
      `Sweep over cluster size (${Math.min(runs, 500)} walks per point, seed ${seed}):`,
      sweepMarkdown(report.sweep),
    );
  if (report.latency) text.push('', `${report.latencyHeading ?? ''}:`, latencyTable(report.latency));
  if (reportWritten) text.push('', `Report written to ${opts.report ?? ''}`);
  ctx.io.stdout.write(`${text.join('\n')}\n`);
}

/** How the timed sweep was measured. */
function latencyHeading(opts: CompareFlags): string {
  return `Failover unavailability in ms (timed simulation with Kafka's default timeouts (of the preset's version), ${opts.sweepRuns} seeded runs per row, seed ${opts.seed}; median / p95 / max over 120000 ms after the first fault)`;
}

/** The list of saved counterexamples. */
function traceLines(traces: ReadonlyMap<string, string>): string[] {
  if (!traces.size) return [];
  const keyWidth = Math.max(0, ...[...traces.keys()].map((k) => k.length));
  return [
    '',
    'Counterexamples (kafka-mc replay FILE, kafka-mc view FILE):',
    ...[...traces].map(([k, file]) => `  ${k.padEnd(keyWidth)}  ${file}`),
  ];
}

/** The availability table. */
function availabilityLines(avail: readonly (ReturnType<typeof measureAvailability> & { rule: string })[]): string[] {
  const w = Math.max(14, ...avail.map((a) => a.rule.length + 1)); // rule names from files can be long
  return [
    `${'rule'.padEnd(w)}${'offline'.padStart(9)}${'failover p50'.padStart(14)}${'p90'.padStart(6)}${'p99'.padStart(6)}${'msgs p50'.padStart(10)}${'loss/10k'.padStart(10)}`,
    ...avail.map(
      (a) =>
        `${a.rule.padEnd(w)}${(a.offlineFraction * 100).toFixed(1).padStart(8)}%${formatPercentile(a.recoverySteps, 50).padStart(14)}${formatPercentile(a.recoverySteps, 90).padStart(6)}${formatPercentile(a.recoverySteps, 99).padStart(6)}${formatPercentile(a.recoveryMessages, 50).padStart(10)}${a.dataLossPer10k.toFixed(0).padStart(10)}`,
    ),
  ];
}

/** A cell for --json: the verdict without the checker's internals. */
function jsonCell(c: Cell): Record<string, unknown> {
  if (c.status === 'violated')
    return {
      status: c.status,
      steps: c.steps,
      by: c.by,
      ...(c.seed !== undefined ? { seed: c.seed } : {}),
      detail: c.detail,
    };
  return { ...c };
}

/** Saves the trace of every violated cell under `<outDir>/<rule>/`; returns "rule × property" → file. */
function saveTraces(
  ctx: CliContext,
  rows: readonly MatrixRow[],
  columns: readonly RefColumn[],
  input: ConfigInput,
  outDir: string,
  unsaved: string[],
): Map<string, string> {
  const out = new Map<string, string>();
  columns.forEach((col, i) => {
    const model = columnModel(col, input);
    const props = [...safetyFor(model.config), ...livenessProperties(model.config)];
    for (const row of rows) {
      const cell = row.cells[i]?.cell;
      const property = props.find((p) => p.id === row.property);
      if (cell?.status !== 'violated' || !property) continue;
      const saved = saveCounterexample(
        {
          model,
          rule: col.ref,
          outcome: cell.outcome,
          property,
          strategy: cell.by,
          ...(cell.seed !== undefined ? { seed: cell.seed } : {}),
          commandLine: ['kafka-mc', ...ctx.argv],
        },
        join(outDir, folderOf(col.name)),
        ctx.io.cwd,
      );
      if (saved.file !== undefined) out.set(traceKey(col.name, row.property), saved.file);
      else unsaved.push(saved.error);
    }
  });
  return out;
}
