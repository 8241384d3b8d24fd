import { Command, Option } from 'commander';
import { DEFAULT_SCHEDULE, latencyTable, sweepLatency, type FaultKind, type LatencyAxes } from '../../lab/index.js';
import type { ConfigInput } from '../../model/index.js';
import { presetConfig } from '../effectiveConfig.js';
import { loadRule } from '../loadRule.js';
import { parsePositive, parseSeed } from '../modelFlags.js';
import {
  FAULTS_HELP,
  addTimingOptions,
  checkPlotFile,
  checkSweep,
  faultsOf,
  parseIntList,
  parseMs,
  timingOf,
  writePlot,
} from '../latencyFlags.js';
import { UsageError } from '../UsageError.js';
import type { CliContext } from '../runModel.js';

/**
 * `kafka-mc latency --brokers 3,4,5 --runs 200 --seed 1`: failover unavailability in milliseconds.
 * A timed simulation on top of the model (Kafka's timeouts and a message latency; the model's states
 * stay untimed) injects one fault per run into a stable cluster and measures the time with no leader,
 * below min ISR, with NOT_ENOUGH_REPLICAS and without a controller, over N seeded runs per point.
 */
export function latencyCommand(ctx: CliContext, done: (code: number) => void): Command {
  const cmd = new Command('latency')
    .summary('failover unavailability in ms (timed simulation) as the cluster grows')
    .addOption(new Option('--brokers <list>', 'cluster sizes (2-5), e.g. 3,4,5').argParser(parseIntList).default([3]))
    .addOption(new Option('--partitions <list>', 'partition counts (1-4)').argParser(parseIntList).default([1]))
    .addOption(new Option('--voters <list>', 'KRaft quorum sizes (1, 3 or 5)').argParser(parseIntList).default([3]))
    .addOption(
      new Option('--mode <modes>', 'controller modes: zk, kraft or zk,kraft (default: the preset’s, else both)'),
    )
    .option('--faults <list>', 'the fault mix, one measurement per fault (see below)', 'leader-crash')
    .addOption(
      new Option('--faults-per-run <n>', 'faults injected per run (its budget)').argParser(parsePositive).default(1),
    )
    .option('--preset <name>', 'start from a Kafka version preset (see `kafka-mc list`)')
    .option('--rule <name|file>', 'election rule: a built-in name or a rule file', 'clean')
    .addOption(new Option('--runs <n>', 'seeded timed runs per point').argParser(parsePositive).default(200))
    .addOption(new Option('--seed <n>', 'seed of the runs (run i uses fork i)').argParser(parseSeed).default(1))
    .addOption(
      new Option('--fault-at <ms>', 'time of the first fault').argParser(parseMs).default(DEFAULT_SCHEDULE.atMs),
    )
    .addOption(
      new Option('--fault-gap <ms>', 'time between faults of one run')
        .argParser(parseMs)
        .default(DEFAULT_SCHEDULE.gapMs),
    )
    .addOption(
      new Option('--horizon <ms>', 'how long after the first fault a run is measured')
        .argParser(parseMs)
        .default(DEFAULT_SCHEDULE.horizonMs),
    )
    .option('--plot <file.svg>', 'also write the curves as an SVG figure; never overwrites')
    .option('--json', 'print JSON')
    .addHelpText('after', `\nFaults:\n${FAULTS_HELP}`)
    .action(async (opts: LatencyFlags) => done(await latency(ctx, opts)));
  return addTimingOptions(cmd);
}

/** `latency`'s flags as parsed. */
interface LatencyFlags {
  readonly brokers: number[];
  readonly partitions: number[];
  readonly voters: number[];
  readonly mode?: string;
  readonly faults: string;
  readonly faultsPerRun: number;
  readonly preset?: string;
  readonly rule: string;
  readonly runs: number;
  readonly seed: number;
  readonly faultAt: number;
  readonly faultGap: number;
  readonly horizon: number;
  readonly plot?: string;
  readonly json?: boolean;
}

/** `--mode`: `zk`, `kraft` or both; without it the preset's mode, else both. */
export function modesOf(value: string | undefined, base: ConfigInput): ('zk' | 'kraft')[] {
  if (value === undefined) return base.mode ? [base.mode] : ['zk', 'kraft'];
  const out: ('zk' | 'kraft')[] = [];
  for (const m of value.split(',').map((s) => s.trim())) {
    if (m !== 'zk' && m !== 'kraft')
      throw new UsageError(`--mode ${value}: "${m}" is not a controller mode; use zk, kraft or zk,kraft`);
    if (!out.includes(m)) out.push(m);
  }
  return out;
}

async function latency(ctx: CliContext, opts: LatencyFlags): Promise<number> {
  const base: ConfigInput = opts.preset !== undefined ? presetConfig(opts.preset) : {};
  const faults: FaultKind[] = faultsOf('--faults', opts.faults);
  const axes: LatencyAxes = {
    modes: modesOf(opts.mode, base),
    brokers: opts.brokers,
    partitions: opts.partitions,
    voters: opts.voters,
    faults,
  };
  const { rule } = await loadRule(opts.rule, ctx.io.cwd);
  const timing = timingOf(opts, opts.preset);
  checkSweep(base, axes, opts.faultsPerRun);
  if (opts.horizon <= 0) throw new UsageError('--horizon must be above 0 ms; runs measure from the first fault on');
  const plotFile = opts.plot !== undefined ? checkPlotFile(opts.plot, ctx.io.cwd) : undefined;
  const schedule = { count: opts.faultsPerRun, atMs: opts.faultAt, gapMs: opts.faultGap, horizonMs: opts.horizon };
  const points = sweepLatency(rule, base, axes, { seed: opts.seed, runs: opts.runs, timing, schedule });
  const heading = `Failover unavailability in ms (${opts.runs} seeded timed runs per row, seed ${opts.seed}, rule ${rule.name}${opts.preset !== undefined ? `, preset ${opts.preset}` : ''}; median / p95 / max over ${opts.horizon} ms after the first fault)`;
  const error = plotFile ? writePlot(plotFile, points, heading) : undefined;
  if (opts.json)
    ctx.io.stdout.write(
      `${JSON.stringify({ seed: opts.seed, runs: opts.runs, rule: rule.name, timing, schedule, points, plot: plotFile !== undefined && !error ? (opts.plot ?? null) : null, errors: error ? [error] : [] }, null, 2)}\n`,
    );
  else {
    const lines = [`${heading}:`, latencyTable(points)];
    if (plotFile && !error) lines.push('', `Plot written to ${opts.plot ?? ''}`);
    ctx.io.stdout.write(`${lines.join('\n')}\n`);
  }
  if (error) ctx.io.stderr.write(`error: ${error}\n`);
  return error ? 2 : 0;
}
