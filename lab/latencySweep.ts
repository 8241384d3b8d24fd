import { builtinRuleNames, validateConfig, type ConfigInput, type ElectionRule } from '../model/index.js';
import { alignColumns } from './compare.js';
import { svgFigure, type Chart } from './plot.js';
import { measureLatency, timedConfig, type FaultKind, type LatencyOptions, type LatencyReport } from './timed.js';

/** The axes of a latency sweep: every combination is one measured point. */
export interface LatencyAxes {
  readonly modes: readonly ('zk' | 'kraft')[];
  readonly brokers: readonly number[];
  readonly partitions: readonly number[];
  /** KRaft quorum sizes (ZooKeeper mode has none and ignores them). */
  readonly voters: readonly number[];
  readonly faults: readonly FaultKind[];
}

/** The config of one point: `base` (a preset, say) with the point's shape; RF min(3, brokers). */
export function pointInput(
  base: ConfigInput,
  p: { mode: 'zk' | 'kraft'; brokers: number; partitions: number; voters: number },
): ConfigInput {
  const { faults: _faults, bounds: _bounds, assignment: _assignment, ...rest } = base;
  return {
    ...rest,
    mode: p.mode,
    brokers: p.brokers,
    partitions: p.partitions,
    replicationFactor: Math.min(3, p.brokers),
    minInsyncReplicas: Math.min(base.minInsyncReplicas ?? 2, Math.min(3, p.brokers)),
    ...(p.mode === 'kraft' ? { voters: p.voters } : { elr: false, preVote: false }),
  };
}

/** The points of `axes`, in order: mode, brokers, partitions, voters (KRaft only), fault. */
export function sweepPoints(
  axes: LatencyAxes,
): { mode: 'zk' | 'kraft'; brokers: number; partitions: number; voters: number; fault: FaultKind }[] {
  const out: { mode: 'zk' | 'kraft'; brokers: number; partitions: number; voters: number; fault: FaultKind }[] = [];
  for (const mode of axes.modes)
    for (const brokers of axes.brokers)
      for (const partitions of axes.partitions)
        for (const voters of mode === 'kraft' ? axes.voters : [0])
          for (const fault of axes.faults) out.push({ mode, brokers, partitions, voters, fault });
  return out;
}

/**
 * Every problem of a sweep before any run: each point's config must be valid (brokers 2-5, partitions
 * 1-4, voters 1, 3 or 5 with brokers + voters ≤ 8, …).
 */
export function sweepProblems(base: ConfigInput, axes: LatencyAxes, count: number): string[] {
  const problems = new Set<string>();
  for (const p of sweepPoints(axes)) {
    const cfg = timedConfig(pointInput(base, p), { fault: p.fault, count });
    const checked = validateConfig(cfg, builtinRuleNames());
    if (!checked.ok) for (const e of checked.errors) problems.add(`${pointName(p)}: ${e}`);
  }
  return [...problems];
}

const pointName = (p: { mode: string; brokers: number; partitions: number; voters: number }): string =>
  `${p.mode === 'zk' ? 'ZooKeeper' : 'KRaft'} ${p.brokers} brokers, ${p.partitions} partition${p.partitions === 1 ? '' : 's'}${p.mode === 'kraft' ? `, ${p.voters} voters` : ''}`;

/** Measures every point of `axes` with `rule` (seeded: point results do not depend on the other points). */
export function sweepLatency(
  rule: ElectionRule,
  base: ConfigInput,
  axes: LatencyAxes,
  opts: LatencyOptions,
): LatencyReport[] {
  return sweepPoints(axes).map((p) => measureLatency(rule, pointInput(base, p), p.fault, opts));
}

/** A series name for a point: what distinguishes it besides the cluster size. */
export function seriesName(points: readonly LatencyReport[]): (r: LatencyReport) => string {
  const many = <T>(f: (r: LatencyReport) => T): boolean => new Set(points.map(f)).size > 1;
  const rules = many((r) => r.rule);
  const modes = many((r) => r.mode);
  const parts = many((r) => r.partitions);
  const voters = new Set(points.filter((r) => r.mode === 'kraft').map((r) => r.voters)).size > 1;
  const faults = many((r) => r.fault);
  return (r) =>
    [
      rules ? r.rule : '',
      modes || !faults ? (r.mode === 'zk' ? 'ZooKeeper' : 'KRaft') : '',
      faults ? r.fault : '',
      parts ? `${r.partitions}p` : '',
      voters && r.mode === 'kraft' ? `${r.voters} voters` : '',
    ]
      .filter(Boolean)
      .join(' ');
}

/**
 * The figure of a sweep: unavailability windows (median and p95 time with no leader, median time below
 * min ISR and with NOT_ENOUGH_REPLICAS, median time without a controller) and the offline fraction,
 * over the number of brokers, one series per mode / fault / partitions / voters.
 */
export function latencyFigure(points: readonly LatencyReport[], caption?: string): string {
  const name = seriesName(points);
  const names = [...new Set(points.map(name))];
  const chart = (title: string, yLabel: string, f: (r: LatencyReport) => number): Chart => ({
    title,
    xLabel: 'brokers',
    yLabel,
    series: names.map((n) => ({
      name: n,
      points: points
        .filter((r) => name(r) === n)
        .map((r) => [r.brokers, f(r)] as const)
        .sort((a, b) => a[0] - b[0]),
    })),
  });
  return svgFigure(
    [
      chart('Time with no leader (median)', 'ms', (r) => r.noLeaderMs.median),
      chart('Time with no leader (p95)', 'ms', (r) => r.noLeaderMs.p95),
      chart('Time below min ISR (median)', 'ms', (r) => r.belowMinIsrMs.median),
      chart('NOT_ENOUGH_REPLICAS (median)', 'ms', (r) => r.notEnoughReplicasMs.median),
      chart('NOT_ENOUGH_REPLICAS (p95)', 'ms', (r) => r.notEnoughReplicasMs.p95),
      chart('acks=all stalled (median)', 'ms', (r) => r.stalledMs.median),
      chart('Time without a controller (median)', 'ms', (r) => r.noControllerMs.median),
      chart('Offline fraction of partition-time', '%', (r) => Number((r.offlineFraction * 100).toFixed(2))),
    ],
    2,
    caption,
  );
}

const stats = (w: { median: number; p95: number; max: number }): string => `${w.median} / ${w.p95} / ${w.max}`;

/** The sweep as a Markdown table (median / p95 / max ms per window). */
export function latencyMarkdown(points: readonly LatencyReport[]): string {
  return [
    '| rule | mode | brokers | partitions | voters | fault | no leader ms | below min ISR ms | NOT_ENOUGH_REPLICAS ms | acks=all stalled ms | no controller ms | offline | unrecovered |',
    '| --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...points.map(
      (r) =>
        `| ${r.rule} | ${r.mode === 'zk' ? 'ZooKeeper' : 'KRaft'} | ${r.brokers} | ${r.partitions} | ${r.mode === 'kraft' ? r.voters : '–'} | ${r.fault} | ${stats(r.noLeaderMs)} | ${stats(r.belowMinIsrMs)} | ${stats(r.notEnoughReplicasMs)} | ${stats(r.stalledMs)} | ${stats(r.noControllerMs)} | ${(r.offlineFraction * 100).toFixed(2)}% | ${r.unrecovered}/${r.runs} |`,
    ),
  ].join('\n');
}

/** The sweep as a fixed-width terminal table (median / p95 / max ms per window). */
export function latencyTable(points: readonly LatencyReport[]): string {
  // the rule is a column only when the points have several
  const withRule = new Set(points.map((r) => r.rule)).size > 1;
  const head = ['mode', 'brokers', 'partitions', 'voters', 'fault', 'no leader', 'below min ISR'];
  const rows = [
    [
      ...(withRule ? ['rule'] : []),
      ...head,
      'NOT_ENOUGH_REPLICAS',
      'acks=all stalled',
      'no controller',
      'offline',
      'unrecovered',
    ],
    ...points.map((r) => [
      ...(withRule ? [r.rule] : []),
      r.mode === 'zk' ? 'ZooKeeper' : 'KRaft',
      String(r.brokers),
      String(r.partitions),
      r.mode === 'kraft' ? String(r.voters) : '–',
      r.fault,
      stats(r.noLeaderMs),
      stats(r.belowMinIsrMs),
      stats(r.notEnoughReplicasMs),
      stats(r.stalledMs),
      stats(r.noControllerMs),
      `${(r.offlineFraction * 100).toFixed(2)}%`,
      `${r.unrecovered}/${r.runs}`,
    ]),
  ];
  const left = new Set(withRule ? [0, 1, 5] : [0, 4]);
  return alignColumns(rows, (i) => (left.has(i) ? 'left' : 'right'));
}
