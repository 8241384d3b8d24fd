import { Rng } from '../checker/index.js';
import {
  kafkaModel,
  resolveConfig,
  type ClusterState,
  type ConfigInput,
  type ElectionRule,
  type KafkaModel,
} from '../model/index.js';
import { MetricsTally, noDataLoss, type MetricsDistribution } from '../properties/index.js';

/** Availability and failover latency of a rule under a seeded random fault mix. */
export interface AvailabilityReport {
  readonly rule: string;
  readonly runs: number;
  readonly steps: number;
  /** Fraction of (partition, step) pairs with no broker serving the partition in ZooKeeper's leader epoch. */
  readonly offlineFraction: number;
  /** Steps from a serving leader's failure to the next serving leader, one sample per failover. */
  readonly recoverySteps: readonly number[];
  /** Controller requests delivered during those failovers, one sample per failover. */
  readonly recoveryMessages: readonly number[];
  /** Failovers that did not recover before the walk ended. */
  readonly unrecovered: number;
  /** Walks in which an acknowledged record was lost, per 10,000 walks. */
  readonly dataLossPer10k: number;
  /** Kafka's metrics over the walks: how often each gauge alerts, elections per walk (`properties/metrics.ts`). */
  readonly metrics: MetricsDistribution;
}

/** Whether partition p has a live broker acting as leader in ZooKeeper's current leader epoch. */
export function isServing(s: ClusterState, p: number): boolean {
  const ps = s.zk.partitions[p];
  if (!ps || ps.leader < 0) return false;
  const br = s.brokers[ps.leader];
  const r = br?.replicas[p];
  return !!br && br.alive && !!r && r.role === 1 && r.leaderEpoch === ps.leaderEpoch;
}

/**
 * Steps that carry control-plane messages to brokers: a LeaderAndIsr delivery (ZooKeeper mode), or a
 * broker fetching committed metadata and a Raft replication round (KRaft mode).
 */
const CONTROL_MESSAGES: ReadonlySet<string> = new Set(['deliver', 'fetch-metadata', 'raft-replicate']);

/**
 * Random walks (run i uses `new Rng(seed).fork(i)`) choosing uniformly among enabled actions. A failover
 * starts when a partition that was served stops being served and ends when it is served again.
 */
export function measureAvailability(
  rule: ElectionRule,
  input: ConfigInput,
  opts: { seed: number; runs?: number; depth?: number; model?: KafkaModel } = { seed: 1 },
): AvailabilityReport {
  const cfg = resolveConfig(input);
  const model = opts.model ?? kafkaModel(cfg, rule);
  const runs = opts.runs ?? 1000;
  const depth = opts.depth ?? 60;
  const root = new Rng(opts.seed);
  let offline = 0;
  let total = 0;
  let lossRuns = 0;
  let unrecovered = 0;
  const recoverySteps: number[] = [];
  const recoveryMessages: number[] = [];
  const metrics = new MetricsTally(cfg);
  for (let run = 0; run < runs; run++) {
    const rng = root.fork(run);
    let s = model.initStates()[0] as ClusterState;
    metrics.startRun();
    metrics.state(s);
    const downSince: (number | undefined)[] = Array(cfg.partitions).fill(undefined);
    const msgs: number[] = Array(cfg.partitions).fill(0);
    let lost = false;
    for (let step = 0; step < depth; step++) {
      const acts = model.actions(s);
      if (acts.length === 0) break;
      const a = acts[rng.below(acts.length)];
      const n = a ? model.next(s, a) : undefined;
      if (n === undefined || a === undefined) continue;
      metrics.step(a, n);
      s = n;
      for (let p = 0; p < cfg.partitions; p++) {
        total++;
        const serving = isServing(s, p);
        if (!serving) offline++;
        const since = downSince[p];
        if (since === undefined && !serving) {
          downSince[p] = step;
          msgs[p] = 0;
        } else if (since !== undefined) {
          if (CONTROL_MESSAGES.has(a.kind)) msgs[p] = (msgs[p] ?? 0) + 1;
          if (serving) {
            recoverySteps.push(step - since);
            recoveryMessages.push(msgs[p] ?? 0);
            downSince[p] = undefined;
          }
        }
      }
      if (!lost && !noDataLoss.holds(s)) lost = true;
    }
    unrecovered += downSince.filter((x) => x !== undefined).length;
    if (lost) lossRuns++;
  }
  return {
    rule: rule.name,
    runs,
    steps: total,
    offlineFraction: total ? offline / total : 0,
    recoverySteps,
    recoveryMessages,
    unrecovered,
    dataLossPer10k: (lossRuns * 10_000) / runs,
    metrics: metrics.result(),
  };
}

/** The p-th percentile (0-100) of a sample, nearest-rank; NaN for an empty sample. */
/** `percentile` for tables: `–` when there is nothing to measure (no walk recovered from a failure). */
export function formatPercentile(xs: readonly number[], p: number): string {
  return xs.length ? String(percentile(xs, p)) : '–';
}

export function percentile(xs: readonly number[], p: number): number {
  if (!xs.length) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}
