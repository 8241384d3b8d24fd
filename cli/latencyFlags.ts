import { InvalidArgumentError, Option, type Command } from 'commander';
import {
  FAULT_KINDS,
  FAULT_KIND_NAMES,
  TIMING_NAMES,
  latencyFigure,
  resolveTiming,
  sweepProblems,
  timingProblems,
  type FaultKind,
  type LatencyAxes,
  type LatencyReport,
  type TimingConfig,
} from '../lab/index.js';
import type { ConfigInput } from '../model/index.js';
import { writeFileSync } from 'node:fs';
import { checkOutputFile, writeFailure } from './outputPaths.js';
import { unknownName } from './suggest.js';
import { UsageError } from './UsageError.js';

/**
 * Flags of the timed simulator shared by `kafka-mc latency` and `rules compare --sweep`: Kafka's
 * timeouts (one flag per setting, named after it), the sweep's axes as comma-separated lists, the
 * fault mix, and the SVG plot.
 */

/** Parses a comma-separated list of positive integers, e.g. `3,4,5`. */
export function parseIntList(value: string): number[] {
  const items = value.split(',').map((s) => s.trim());
  if (!items.length || items.some((s) => !/^\d+$/.test(s) || Number(s) < 1))
    throw new InvalidArgumentError('expected a comma-separated list of positive integers, e.g. 3,4,5.');
  return [...new Set(items.map(Number))];
}

/** Parses a non-negative number of milliseconds (fractions allowed). */
export function parseMs(value: string): number {
  const v = value.trim();
  if (!/^\d+(\.\d+)?$/.test(v)) throw new InvalidArgumentError('expected a non-negative number of milliseconds.');
  return Number(v);
}

/** The flag of a timing setting: Kafka's name with dots as dashes (`--zookeeper-session-timeout-ms`). */
const TIMING_FLAGS: { readonly [K in keyof TimingConfig]: string } = {
  zookeeperSessionTimeoutMs: '--zookeeper-session-timeout-ms',
  brokerSessionTimeoutMs: '--broker-session-timeout-ms',
  brokerHeartbeatIntervalMs: '--broker-heartbeat-interval-ms',
  replicaLagTimeMaxMs: '--replica-lag-time-max-ms',
  controllerQuorumElectionTimeoutMs: '--controller-quorum-election-timeout-ms',
  controllerQuorumFetchTimeoutMs: '--controller-quorum-fetch-timeout-ms',
  highWatermarkCheckpointIntervalMs: '--replica-high-watermark-checkpoint-interval-ms',
  messageLatencyMedianMs: '--latency-median-ms',
  messageLatencyP99Ms: '--latency-p99-ms',
  produceIntervalMs: '--produce-interval-ms',
  restartAfterMs: '--restart-after-ms',
  healAfterMs: '--heal-after-ms',
};

const TIMING_KEYS = Object.keys(TIMING_FLAGS) as (keyof TimingConfig)[];

/** Adds one option per timing setting (default: Kafka's), in the `Timing:` help group. */
export function addTimingOptions(cmd: Command): Command {
  const defaults = resolveTiming();
  for (const k of TIMING_KEYS)
    cmd.addOption(
      new Option(`${TIMING_FLAGS[k]} <ms>`, `${TIMING_NAMES[k]} (default ${defaults[k]})`)
        .argParser(parseMs)
        .helpGroup('Timing:'),
    );
  return cmd;
}

/** The timing settings given on the command line over the preset's, checked; a usage error lists every problem. */
export function timingOf(opts: object, preset?: string): TimingConfig {
  const given: Partial<Record<keyof TimingConfig, number>> = {};
  for (const k of TIMING_KEYS) {
    // commander names the value after the flag (`--latency-p99-ms` → latencyP99Ms)
    const v = (opts as Record<string, unknown>)[new Option(`${TIMING_FLAGS[k]} <ms>`).attributeName()];
    if (typeof v === 'number') given[k] = v;
  }
  const timing = resolveTiming(given, preset);
  const problems = timingProblems(timing);
  if (problems.length) throw new UsageError('the timing settings have problems', problems);
  return timing;
}

/** Parses the fault mix (`--faults leader-crash,network`); an unknown name names the nearest known one. */
export function faultsOf(flag: string, value: string): FaultKind[] {
  const out: FaultKind[] = [];
  for (const raw of value.split(',')) {
    const n = raw.trim();
    if (!n) continue;
    if (!(FAULT_KIND_NAMES as readonly string[]).includes(n))
      throw new UsageError(`${flag}: ${unknownName('fault', n, FAULT_KIND_NAMES)}`);
    if (!out.includes(n as FaultKind)) out.push(n as FaultKind);
  }
  if (!out.length) throw new UsageError(`${flag}: name at least one fault (${FAULT_KIND_NAMES.join(', ')})`);
  return out;
}

/** The fault kinds, one per line, for help texts. */
export const FAULTS_HELP = FAULT_KIND_NAMES.map((k) => `  ${k.padEnd(20)} ${FAULT_KINDS[k]}`).join('\n');

/** Refuses a sweep with an impossible point (every problem listed) before anything runs. */
export function checkSweep(base: ConfigInput, axes: LatencyAxes, count: number): void {
  const problems = sweepProblems(base, axes, count);
  if (problems.length) throw new UsageError('the sweep has configurations the model cannot run', problems);
}

/** Checks `--plot FILE` (an .svg file that does not exist yet); its absolute path. */
export function checkPlotFile(given: string, cwd: string): string {
  if (!given.endsWith('.svg')) throw new UsageError(`--plot ${given}: name an .svg file (e.g. latency.svg)`);
  return checkOutputFile('--plot', given, cwd);
}

/** Writes the sweep's figure to `file` (never over an existing file); the error, if it could not. */
export function writePlot(file: string, points: readonly LatencyReport[], caption: string): string | undefined {
  try {
    writeFileSync(file, latencyFigure(points, caption), { flag: 'wx' });
    return undefined;
  } catch (e) {
    return writeFailure('the plot', file, e);
  }
}
