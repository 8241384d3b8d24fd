import type { Action, ClusterState, ModelConfig } from '../model/index.js';
import { GAUGES, METERS, metricsOf, stepMeters, type GaugeName, type MeterName } from './metrics.js';

/**
 * When a gauge's cluster value is what an operator alerts on (Kafka's monitoring guide): any
 * ActiveControllerCount other than 1 (no controller, or a split brain), any other gauge above 0.
 */
export const GAUGE_ALERTS: Readonly<Record<GaugeName, string>> = {
  ActiveControllerCount: '≠ 1',
  OfflinePartitionsCount: '> 0',
  UnderReplicatedPartitions: '> 0',
  UnderMinIsrPartitionCount: '> 0',
  AtMinIsrPartitionCount: '> 0',
};

const alerting = (g: GaugeName, v: number): boolean => (g === 'ActiveControllerCount' ? v !== 1 : v > 0);

/** One gauge over the states of many runs (its cluster value, see `metricsOf`). */
export interface GaugeDistribution {
  /** States in which the cluster value was alerting (`GAUGE_ALERTS`). */
  readonly statesAlerting: number;
  /** `statesAlerting` / states (0 when there were none), rounded to 4 decimals. */
  readonly fractionAlerting: number;
  /** Runs that had a state with the cluster value alerting. */
  readonly runsAlerting: number;
  /** The largest cluster value seen. */
  readonly max: number;
}

/** One rate over many runs: how many steps of a run were such an election. */
export interface MeterDistribution {
  readonly total: number;
  /** Runs with at least one. */
  readonly runsWithAny: number;
  readonly maxPerRun: number;
  /** `total` / runs, rounded to 2 decimals. */
  readonly meanPerRun: number;
}

/**
 * Kafka's metrics over the paths of a campaign (fuzz runs, an availability walk): per gauge, how often
 * and how high it rose; per rate, elections per run. A rate Kafka does not have in the mode (ZooKeeper's
 * `LeaderElectionRateAndTimeMs` in KRaft mode) is null.
 */
export interface MetricsDistribution {
  readonly runs: number;
  /** States counted (every state of every run, the initial one included). */
  readonly states: number;
  readonly gauges: Readonly<Record<GaugeName, GaugeDistribution>>;
  readonly meters: Readonly<Record<MeterName, MeterDistribution | null>>;
}

const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

function gaugeOf(statesAlerting: number, states: number, runsAlerting: number, max: number): GaugeDistribution {
  return { statesAlerting, fractionAlerting: states ? round(statesAlerting / states, 4) : 0, runsAlerting, max };
}

function meterOf(total: number, runsWithAny: number, maxPerRun: number, runs: number): MeterDistribution {
  return { total, runsWithAny, maxPerRun, meanPerRun: runs ? round(total / runs, 2) : 0 };
}

/**
 * Accumulates `MetricsDistribution` along runs: `startRun`, then `state(s)` for the first state and
 * `step(a, s)` for every step. Mutable while it counts; `result()` is a plain value. Deterministic.
 */
export class MetricsTally {
  private runs = 0;
  private states = 0;
  private readonly above = new Map<GaugeName, number>();
  private readonly runsAbove = new Map<GaugeName, number>();
  private readonly max = new Map<GaugeName, number>();
  private readonly total = new Map<MeterName, number>();
  private readonly runsWith = new Map<MeterName, number>();
  private readonly maxPerRun = new Map<MeterName, number>();
  private readonly runGauges = new Set<GaugeName>();
  private readonly runMeters = new Map<MeterName, number>();
  private prev: ClusterState | undefined;
  private started = false;

  constructor(private readonly cfg: ModelConfig) {}

  startRun(): void {
    this.endRun();
    this.started = true;
    this.prev = undefined;
  }

  /** Closes the current run (also done by the next `startRun` and by `result`). */
  endRun(): void {
    if (!this.started) return;
    this.started = false;
    this.runs++;
    for (const g of this.runGauges) this.runsAbove.set(g, (this.runsAbove.get(g) ?? 0) + 1);
    for (const [m, n] of this.runMeters) {
      if (n > 0) this.runsWith.set(m, (this.runsWith.get(m) ?? 0) + 1);
      this.maxPerRun.set(m, Math.max(this.maxPerRun.get(m) ?? 0, n));
    }
    this.runGauges.clear();
    this.runMeters.clear();
  }

  /** A state of the current run; after the first, the action that led to it is given with `step`. */
  state(s: ClusterState): void {
    if (!this.started) this.startRun();
    this.states++;
    const m = metricsOf(s, this.cfg).cluster;
    for (const g of GAUGES) {
      const v = m[g];
      if (alerting(g, v)) {
        this.above.set(g, (this.above.get(g) ?? 0) + 1);
        this.runGauges.add(g);
      }
      this.max.set(g, Math.max(this.max.get(g) ?? 0, v));
    }
    this.prev = s;
  }

  /** Step `a` of the current run, ending in `s`. */
  step(a: Action, s: ClusterState): void {
    if (this.prev) {
      const m = stepMeters(this.prev, a, s);
      this.count('LeaderElectionRateAndTimeMs', m.LeaderElectionRateAndTimeMs ?? 0);
      this.count('UncleanLeaderElectionsPerSec', m.UncleanLeaderElectionsPerSec);
    }
    this.state(s);
  }

  private count(m: MeterName, n: number): void {
    this.total.set(m, (this.total.get(m) ?? 0) + n);
    this.runMeters.set(m, (this.runMeters.get(m) ?? 0) + n);
  }

  result(): MetricsDistribution {
    this.endRun();
    const gauges = {} as Record<GaugeName, GaugeDistribution>;
    for (const g of GAUGES)
      gauges[g] = gaugeOf(this.above.get(g) ?? 0, this.states, this.runsAbove.get(g) ?? 0, this.max.get(g) ?? 0);
    const meters = {} as Record<MeterName, MeterDistribution | null>;
    for (const m of METERS)
      meters[m] =
        m === 'LeaderElectionRateAndTimeMs' && this.cfg.mode === 'kraft'
          ? null
          : meterOf(this.total.get(m) ?? 0, this.runsWith.get(m) ?? 0, this.maxPerRun.get(m) ?? 0, this.runs);
    return { runs: this.runs, states: this.states, gauges, meters };
  }
}

/** The distribution over the runs of several campaigns (shards): counts summed, maxima taken. */
export function mergeMetricsDistributions(parts: readonly MetricsDistribution[]): MetricsDistribution {
  const runs = parts.reduce((n, p) => n + p.runs, 0);
  const states = parts.reduce((n, p) => n + p.states, 0);
  const gauges = {} as Record<GaugeName, GaugeDistribution>;
  for (const g of GAUGES) {
    const xs = parts.map((p) => p.gauges[g]);
    gauges[g] = gaugeOf(
      xs.reduce((n, x) => n + x.statesAlerting, 0),
      states,
      xs.reduce((n, x) => n + x.runsAlerting, 0),
      Math.max(0, ...xs.map((x) => x.max)),
    );
  }
  const meters = {} as Record<MeterName, MeterDistribution | null>;
  for (const m of METERS) {
    const xs = parts.map((p) => p.meters[m]).filter((x): x is MeterDistribution => x !== null);
    meters[m] =
      xs.length === 0
        ? null
        : meterOf(
            xs.reduce((n, x) => n + x.total, 0),
            xs.reduce((n, x) => n + x.runsWithAny, 0),
            Math.max(0, ...xs.map((x) => x.maxPerRun)),
            runs,
          );
  }
  return { runs, states, gauges, meters };
}

/** The distribution as text lines (for `fuzz` and `rules compare`). */
export function metricsDistributionLines(d: MetricsDistribution): string[] {
  const pct = (x: number): string => `${round(x * 100, 2)}%`;
  const out = [`Kafka's metrics over ${d.runs} run(s), ${d.states} state(s) (cluster values):`];
  for (const g of GAUGES) {
    const x = d.gauges[g];
    out.push(
      `  ${g}: ${GAUGE_ALERTS[g]} in ${pct(x.fractionAlerting)} of states (${x.runsAlerting} run(s)), max ${x.max}`,
    );
  }
  for (const m of METERS) {
    const x = d.meters[m];
    out.push(
      x
        ? `  ${m}: ${x.total} (mean ${x.meanPerRun} per run, max ${x.maxPerRun}, in ${x.runsWithAny} run(s))`
        : `  ${m}: not a metric of Kafka's KRaft controller`,
    );
  }
  return out;
}

/** One cell of `metricsDistributionLines`' rows, as a short text: `4.93% (max 1)` or `1.14/run`. */
function gaugeCell(x: GaugeDistribution): string {
  return `${round(x.fractionAlerting * 100, 2)}% (max ${x.max})`;
}

/**
 * Several distributions side by side (one column per rule, say), as a header row and one row per
 * metric: per gauge the share of states in which it alerts and its max; per rate the mean per run and
 * the total.
 */
export function metricsComparisonRows(
  columns: readonly { readonly name: string; readonly d: MetricsDistribution }[],
): string[][] {
  const rows: string[][] = [['metric (cluster value)', ...columns.map((c) => c.name)]];
  for (const g of GAUGES) rows.push([`${g} ${GAUGE_ALERTS[g]}`, ...columns.map((c) => gaugeCell(c.d.gauges[g]))]);
  for (const m of METERS)
    rows.push([
      `${m} per run`,
      ...columns.map((c) => {
        const x = c.d.meters[m];
        return x ? `${x.meanPerRun} (total ${x.total})` : 'n/a (KRaft)';
      }),
    ]);
  return rows;
}

/** `metricsComparisonRows` as aligned text lines. */
export function metricsComparisonLines(
  columns: readonly { readonly name: string; readonly d: MetricsDistribution }[],
): string[] {
  const rows = metricsComparisonRows(columns);
  const widths = (rows[0] as string[]).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) =>
    r
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}
