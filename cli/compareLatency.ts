import { Option, type Command } from 'commander';
import {
  FAULT_BUDGET,
  FAULT_KIND_NAMES,
  resolveTiming,
  sweepLatency,
  type Column,
  type FaultKind,
  type LatencyAxes,
  type LatencyReport,
} from '../lab/index.js';
import type { ConfigInput, FaultBudget } from '../model/index.js';
import { checkSweep, faultsOf, parseIntList } from './latencyFlags.js';
import { parsePositive } from './modelFlags.js';
import { UsageError } from './UsageError.js';

/**
 * `rules compare --sweep`'s timed part: failover unavailability in ms (the timed simulator) for every
 * rule over brokers × partitions × voters × fault mix, honouring `--preset`, `--voters` and the fault
 * budgets (`--max-crashes` is the number of crashes injected per run).
 */

/** The sweep's axis flags. */
export interface SweepFlags {
  readonly sweepBrokers: number[];
  readonly sweepPartitions: number[];
  readonly sweepVoters?: number[];
  readonly sweepFaults?: string;
  readonly sweepRuns: number;
}

export function addSweepOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--sweep-brokers <list>', 'with --sweep: cluster sizes (2-5)')
        .argParser(parseIntList)
        .default([3, 4, 5]),
    )
    .addOption(
      new Option('--sweep-partitions <list>', 'with --sweep: partition counts (1-4)')
        .argParser(parseIntList)
        .default([1, 2]),
    )
    .addOption(
      new Option('--sweep-voters <list>', 'with --sweep: KRaft quorum sizes (default: --voters, else 3)').argParser(
        parseIntList,
      ),
    )
    .option(
      '--sweep-faults <list>',
      `with --sweep: the timed fault mix (${FAULT_KIND_NAMES.join(', ')}; default: the kinds the budgets allow)`,
    )
    .addOption(
      new Option('--sweep-runs <n>', 'with --sweep: seeded timed runs per point').argParser(parsePositive).default(50),
    );
}

/** The fault kinds a budget allows, when `--sweep-faults` names none: crashes give leader and controller crashes. */
export function budgetFaults(faults: Partial<FaultBudget>): FaultKind[] {
  return FAULT_KIND_NAMES.filter((k) => k !== 'broker-crash' && (faults[FAULT_BUDGET[k]] ?? 0) > 0);
}

/** The planned timed sweep: its axes and how many faults of each kind one run injects. */
export interface LatencyPlan {
  readonly axes: LatencyAxes;
  readonly counts: { readonly [K in FaultKind]?: number };
}

/** Checks the sweep's axes against the budgets and the model's limits, before any search. */
export function planLatency(
  flags: SweepFlags & { readonly voters?: number; readonly mode?: 'zk' | 'kraft'; readonly preset?: string },
  input: ConfigInput,
  columns: readonly Column[],
): LatencyPlan {
  const budget = input.faults ?? {};
  const faults = flags.sweepFaults !== undefined ? faultsOf('--sweep-faults', flags.sweepFaults) : budgetFaults(budget);
  if (!faults.length)
    throw new UsageError(
      '--sweep: the fault budgets allow no fault to time; give --max-crashes 1 or more, or name --sweep-faults',
    );
  const counts: { [K in FaultKind]?: number } = {};
  for (const f of faults) {
    const n = budget[FAULT_BUDGET[f]] ?? 0;
    if (n < 1)
      throw new UsageError(
        `--sweep-faults ${f}: its budget (faults.${FAULT_BUDGET[f]}) is 0 in this comparison; raise it (e.g. --max-crashes 1) or drop ${f}`,
      );
    counts[f] = n;
  }
  const fixedMode = flags.mode !== undefined || flags.preset !== undefined;
  const modes: ('zk' | 'kraft')[] = fixedMode && input.mode ? [input.mode] : ['zk', 'kraft'];
  const axes: LatencyAxes = {
    modes: columns.some((c) => c.overlay?.elr) ? ['kraft'] : modes,
    brokers: flags.sweepBrokers,
    partitions: flags.sweepPartitions,
    voters: flags.sweepVoters ?? [flags.voters ?? 3],
    faults,
  };
  for (const col of columns)
    for (const f of faults) checkSweep({ ...input, ...col.overlay }, { ...axes, faults: [f] }, counts[f] ?? 1);
  return { axes, counts };
}

/** Runs the planned sweep for every column: one report per point, rule by rule. */
export function runLatency(
  plan: LatencyPlan,
  input: ConfigInput,
  columns: readonly Column[],
  opts: { seed: number; runs: number; preset?: string },
): LatencyReport[] {
  const timing = resolveTiming({}, opts.preset);
  const out: LatencyReport[] = [];
  for (const col of columns)
    for (const f of plan.axes.faults) {
      const points = sweepLatency(
        col.rule,
        { ...input, ...col.overlay },
        { ...plan.axes, faults: [f] },
        { seed: opts.seed, runs: opts.runs, timing, schedule: { count: plan.counts[f] ?? 1 } },
      );
      out.push(...points.map((p) => ({ ...p, rule: col.name })));
    }
  return out;
}
