import { Rng } from '../checker/index.js';
import {
  VOTER_LEADER,
  has,
  kafkaModel,
  popcount,
  reachable,
  resolveConfig,
  type Action,
  type ClusterState,
  type ConfigInput,
  type ElectionRule,
  type FaultBudget,
  type KafkaModel,
  type ModelConfig,
} from '../model/index.js';
import { isServing, percentile } from './availability.js';
import { actionTiming } from './delays.js';
import { resolveTiming, type TimingConfig } from './timing.js';

/**
 * A timed simulation on top of the untimed model: a discrete-event simulation in which each enabled
 * step happens a delay after it became enabled (drawn by `actionTiming` from Kafka's timeouts and the
 * message latency), the earliest first, and faults happen when a schedule injects them. States carry
 * no clock: time lives in the simulator only, and the exhaustive checker is untouched.
 */

/** The faults a run can inject; each names its target (the leader of partition 0 where it has one). */
export type FaultKind =
  | 'leader-crash'
  | 'broker-crash'
  | 'controller-crash'
  | 'network'
  | 'session-expiry'
  | 'unclean-shutdown'
  | 'controlled-shutdown';

/** Every fault kind, with what it does (for help texts and error messages). */
export const FAULT_KINDS: { readonly [K in FaultKind]: string } = {
  'leader-crash': 'the leader of partition 0 crashes',
  'broker-crash': 'a broker chosen by the seed crashes',
  'controller-crash': 'the controller crashes (ZooKeeper: the controller broker; KRaft: the quorum leader voter)',
  network:
    'a network split cuts the leader of partition 0 off from every other node (ZooKeeper or the controller voters included)',
  'session-expiry':
    'the leader of partition 0 loses its session (ZooKeeper: its session expires; KRaft: it is fenced while it still heartbeats)',
  'unclean-shutdown': 'the leader of partition 0 loses power (unflushed records are lost)',
  'controlled-shutdown': 'the leader of partition 0 shuts down cleanly (a broker chosen by the seed where it cannot)',
};

export const FAULT_KIND_NAMES = Object.keys(FAULT_KINDS) as FaultKind[];

/** Which fault budget a kind of fault draws from. */
export const FAULT_BUDGET: { readonly [K in FaultKind]: keyof FaultBudget } = {
  'leader-crash': 'crashes',
  'broker-crash': 'crashes',
  'controller-crash': 'crashes',
  network: 'networkPartitions',
  'session-expiry': 'sessionExpiries',
  'unclean-shutdown': 'uncleanShutdowns',
  'controlled-shutdown': 'controlledShutdowns',
};

/** When faults happen in one run. */
export interface FaultSchedule {
  readonly fault: FaultKind;
  /** Faults injected per run (the fault budget of its kind). */
  readonly count: number;
  /** Time of the first fault (ms after the start, a stable cluster). */
  readonly atMs: number;
  /** Time between two faults of one run. */
  readonly gapMs: number;
  /** How long after the first fault the run is measured. */
  readonly horizonMs: number;
}

export const DEFAULT_SCHEDULE: Omit<FaultSchedule, 'fault'> = {
  count: 1,
  atMs: 1_000,
  gapMs: 30_000,
  horizonMs: 120_000,
};

/** What one run measured, in ms from the first fault to the end of its horizon. */
export interface TimedRun {
  /** Longest total time any one partition had no serving leader (offline). */
  readonly noLeaderMs: number;
  /** Longest total time any one partition's ISR (as ZooKeeper or the committed metadata holds it) was below min ISR. */
  readonly belowMinIsrMs: number;
  /** Longest total time any one partition's leader refused acks=all produces (NOT_ENOUGH_REPLICAS). */
  readonly notEnoughReplicasMs: number;
  /**
   * Longest total time any one partition's leader accepted acks=all produces it could not acknowledge:
   * fewer than min ISR members of its ISR are running and reachable from it (producers time out).
   */
  readonly stalledMs: number;
  /** Total time without an acting controller (ZooKeeper) or quorum leader (KRaft). */
  readonly noControllerMs: number;
  /** Fraction of partition-time offline over the horizon. */
  readonly offlineFraction: number;
  /** Some partition was still offline at the end of the horizon. */
  readonly unrecovered: boolean;
  /** Faults the schedule could not inject (no such fault was possible then). */
  readonly skipped: number;
  /** Simulation steps taken. */
  readonly steps: number;
}

/** Most steps one run may take (a guard: a run normally takes a few hundred). */
const MAX_STEPS = 50_000;

/** The fault-free model config of a run: `input` with generous bounds and exactly the schedule's faults. */
export function timedConfig(input: ConfigInput, schedule: Pick<FaultSchedule, 'fault' | 'count'>): ModelConfig {
  const faults = {
    crashes: 0,
    uncleanShutdowns: 0,
    networkPartitions: 0,
    messageLosses: 0,
    sessionExpiries: 0,
    controlledShutdowns: 0,
    preferredElections: 0,
    [FAULT_BUDGET[schedule.fault]]: schedule.count,
  };
  const cutsZk = schedule.fault === 'network' && (input.mode ?? 'zk') === 'zk';
  return resolveConfig({
    ...input,
    faults,
    // A split that isolates a broker cuts it off ZooKeeper too, as it cuts a KRaft broker off the voters.
    ...(cutsZk ? { splitZooKeeper: true } : {}),
    // Room for a run's elections, ISR changes and metadata records: a run that reached a bound would
    // stop failing over and measure the bound, not Kafka.
    bounds: {
      records: 4,
      leaderEpochs: 8,
      partitionEpochs: 12,
      controllerEpochs: 6,
      raftEpochs: 8,
      metadataRecords: 12,
      inFlight: 12,
    },
  });
}

/** The per-partition time accumulators of a run. */
interface Clock {
  now: number;
  readonly offline: number[];
  readonly belowMin: number[];
  readonly notEnough: number[];
  readonly stalled: number[];
  noController: number;
}

/** One timed run of `model` from its initial state, with `schedule`'s faults, drawing from `rng`. */
export function timedRun(model: KafkaModel, timing: TimingConfig, schedule: FaultSchedule, rng: Rng): TimedRun {
  const cfg = model.config;
  const P = cfg.partitions;
  const clock: Clock = {
    now: 0,
    offline: zeros(P),
    belowMin: zeros(P),
    notEnough: zeros(P),
    stalled: zeros(P),
    noController: 0,
  };
  const end = schedule.atMs + schedule.horizonMs;
  const pending = new Map<string, number>();
  const zk = { crashes: 0, noticeAt: 0 };
  let s = model.initStates()[0] as ClusterState;
  let injected = 0;
  let skipped = 0;
  let steps = 0;
  while (clock.now < end && steps < MAX_STEPS) {
    const acts = model.actions(s);
    const next = earliest(acts, s, pending, {
      cfg,
      timing,
      crashes: zk.crashes,
      zkNoticeInMs: Math.max(0, zk.noticeAt - clock.now),
      now: clock.now,
      rng,
    });
    const faultAt = injected < schedule.count ? schedule.atMs + injected * schedule.gapMs : Infinity;
    const t = Math.min(next?.due ?? Infinity, faultAt, end);
    advance(clock, s, cfg, t, schedule.atMs);
    if (t >= end) break;
    steps++;
    if (t === faultAt) {
      injected++;
      const a = pickFault(schedule.fault, acts, s, cfg, rng);
      if (!a) skipped++;
      else {
        if (cfg.mode === 'zk' && (a.kind === 'crash' || a.kind === 'unclean-shutdown')) {
          zk.crashes++;
          zk.noticeAt = t + timing.zookeeperSessionTimeoutMs;
        }
        s = model.next(s, a) ?? s;
      }
      continue;
    }
    if (!next) break;
    pending.delete(next.key);
    s = model.next(s, next.action) ?? s;
  }
  return summary(clock, s, schedule, skipped, steps, P);
}

const zeros = (n: number): number[] => Array<number>(n).fill(0);

/** The next timed step: every enabled non-fault action keeps the deadline drawn when it became enabled. */
function earliest(
  acts: readonly Action[],
  s: ClusterState,
  pending: Map<string, number>,
  tc: Parameters<typeof actionTiming>[2] & { readonly now: number; readonly rng: Rng },
): { action: Action; key: string; due: number } | undefined {
  const live = new Set<string>();
  let best: { action: Action; key: string; due: number } | undefined;
  for (const a of acts) {
    const timing = actionTiming(a, s, tc);
    if (timing.kind === 'fault') continue;
    const key = `${JSON.stringify(a)}|${timing.phase}`;
    live.add(key);
    let due = pending.get(key);
    if (due === undefined) {
      due = tc.now + timing.delay(tc.rng);
      pending.set(key, due);
    }
    if (!best || due < best.due) best = { action: a, key, due };
  }
  for (const k of [...pending.keys()]) if (!live.has(k)) pending.delete(k);
  return best && Number.isFinite(best.due) ? best : undefined;
}

/** Adds the time from `clock.now` to `t` spent in state `s` (only after the first fault) and moves to `t`. */
function advance(clock: Clock, s: ClusterState, cfg: ModelConfig, t: number, from: number): void {
  const dt = t - Math.max(clock.now, from);
  if (dt > 0) {
    const minIsr = Math.min(cfg.minInsyncReplicas, cfg.replicationFactor);
    for (let p = 0; p < cfg.partitions; p++) {
      const serving = isServing(s, p);
      if (!serving) clock.offline[p] = (clock.offline[p] as number) + dt;
      if (popcount(s.zk.partitions[p]?.isr ?? 0) < minIsr) clock.belowMin[p] = (clock.belowMin[p] as number) + dt;
      if (serving && cfg.acks === 'all') {
        const isr = leaderIsr(s, p);
        if (popcount(isr) < minIsr) clock.notEnough[p] = (clock.notEnough[p] as number) + dt;
        else if (popcount(isr & reachableLive(s, p)) < minIsr) clock.stalled[p] = (clock.stalled[p] as number) + dt;
      }
    }
    if (!hasController(s, cfg)) clock.noController += dt;
  }
  clock.now = Math.max(clock.now, t);
}

/** The ISR as partition p's serving leader holds it. */
function leaderIsr(s: ClusterState, p: number): number {
  const L = s.zk.partitions[p]?.leader ?? -1;
  return s.brokers[L]?.replicas[p]?.isr ?? 0;
}

/** The brokers that are running and reachable from partition p's leader (itself included), as a mask. */
function reachableLive(s: ClusterState, p: number): number {
  const L = s.zk.partitions[p]?.leader ?? -1;
  let mask = 0;
  s.brokers.forEach((br, b) => {
    if (br.alive && reachable(s, L, b)) mask |= 1 << b;
  });
  return mask;
}

/** Whether a controller acts: ZooKeeper's `/controller` holder believing it, or a live KRaft quorum leader. */
export function hasController(s: ClusterState, cfg: ModelConfig): boolean {
  if (cfg.mode === 'kraft') return (s.kraft?.voters ?? []).some((v) => v.alive && v.role === VOTER_LEADER);
  const c = s.zk.controller;
  const br = s.brokers[c];
  return c >= 0 && !!br && br.alive && br.controller !== null;
}

function summary(
  clock: Clock,
  s: ClusterState,
  schedule: FaultSchedule,
  skipped: number,
  steps: number,
  P: number,
): TimedRun {
  const total = clock.offline.reduce((x, y) => x + y, 0);
  let unrecovered = false;
  for (let p = 0; p < P; p++) if (!isServing(s, p)) unrecovered = true;
  return {
    noLeaderMs: Math.max(...clock.offline),
    belowMinIsrMs: Math.max(...clock.belowMin),
    notEnoughReplicasMs: Math.max(...clock.notEnough),
    stalledMs: Math.max(...clock.stalled),
    noControllerMs: clock.noController,
    offlineFraction: total / (P * schedule.horizonMs),
    unrecovered,
    skipped,
    steps,
  };
}

/** The leader of partition 0 (as ZooKeeper or the committed metadata holds it), or -1. */
const leaderOf0 = (s: ClusterState): number => s.zk.partitions[0]?.leader ?? -1;

/** The enabled action that injects `fault` now, or undefined when none is possible. */
export function pickFault(
  fault: FaultKind,
  acts: readonly Action[],
  s: ClusterState,
  cfg: ModelConfig,
  rng: Rng,
): Action | undefined {
  const L = leaderOf0(s);
  const of = <K extends Action['kind']>(kind: K): Extract<Action, { kind: K }>[] =>
    acts.filter((a): a is Extract<Action, { kind: K }> => a.kind === kind);
  const anyOf = <T>(xs: readonly T[]): T | undefined => (xs.length ? xs[rng.below(xs.length)] : undefined);
  switch (fault) {
    case 'leader-crash':
      return of('crash').find((a) => a.broker === L);
    case 'broker-crash':
      return anyOf(of('crash'));
    case 'controller-crash': {
      if (cfg.mode === 'zk') return of('crash').find((a) => a.broker === s.zk.controller);
      const v = (s.kraft?.voters ?? []).findIndex((x) => x.alive && x.role === VOTER_LEADER);
      return of('crash-voter').find((a) => a.voter === v);
    }
    case 'network':
      return of('partition-network').find((a) => isolates(a.side, L, cfg));
    case 'session-expiry':
      return cfg.mode === 'zk'
        ? of('expire-session').find((a) => a.broker === L)
        : anyOf(of('fence-broker').filter((a) => a.broker === L));
    case 'unclean-shutdown':
      return of('unclean-shutdown').find((a) => a.broker === L);
    case 'controlled-shutdown': {
      const all = of('controlled-shutdown');
      return all.find((a) => a.broker === L) ?? anyOf(all);
    }
  }
}

/** Whether a split with this side cuts node `n` off from every other node. */
function isolates(side: number, n: number, cfg: ModelConfig): boolean {
  const nodes = cfg.mode === 'kraft' ? cfg.brokers + cfg.voters : cfg.brokers + (cfg.splitZooKeeper ? 1 : 0);
  const all = (1 << nodes) - 1;
  const a = side & all;
  const b = all & ~a;
  return (popcount(a) === 1 && has(a, n)) || (popcount(b) === 1 && has(b, n));
}

/** The distribution of one window over a point's runs. */
export interface WindowStats {
  readonly median: number;
  readonly p95: number;
  readonly max: number;
}

/** What N seeded timed runs of one configuration and fault measured. */
export interface LatencyReport {
  readonly rule: string;
  readonly mode: 'zk' | 'kraft';
  readonly brokers: number;
  readonly partitions: number;
  /** KRaft quorum size (0 in ZooKeeper mode). */
  readonly voters: number;
  readonly fault: FaultKind;
  readonly runs: number;
  readonly noLeaderMs: WindowStats;
  readonly belowMinIsrMs: WindowStats;
  readonly notEnoughReplicasMs: WindowStats;
  readonly stalledMs: WindowStats;
  readonly noControllerMs: WindowStats;
  /** Mean fraction of partition-time offline over the horizon. */
  readonly offlineFraction: number;
  /** Runs that ended with a partition offline. */
  readonly unrecovered: number;
  /** Faults that could not be injected. */
  readonly skipped: number;
}

export function windowStats(xs: readonly number[]): WindowStats {
  if (!xs.length) return { median: 0, p95: 0, max: 0 };
  return { median: percentile(xs, 50), p95: percentile(xs, 95), max: Math.max(...xs) };
}

/** Options of `measureLatency`. */
export interface LatencyOptions {
  readonly seed: number;
  readonly runs: number;
  readonly timing?: Partial<TimingConfig>;
  readonly schedule?: Partial<Omit<FaultSchedule, 'fault'>>;
}

/**
 * `runs` timed runs (run i draws from `new Rng(seed).fork(i)`) of `rule` on `input` under `fault`; the
 * windows' median, 95th percentile and maximum, rounded to whole ms.
 */
export function measureLatency(
  rule: ElectionRule,
  input: ConfigInput,
  fault: FaultKind,
  opts: LatencyOptions,
): LatencyReport {
  const schedule: FaultSchedule = { ...DEFAULT_SCHEDULE, ...opts.schedule, fault };
  const cfg = timedConfig(input, schedule);
  const model = kafkaModel(cfg, rule);
  const timing = resolveTiming(opts.timing);
  const root = new Rng(opts.seed);
  const runs: TimedRun[] = [];
  for (let i = 0; i < opts.runs; i++) runs.push(timedRun(model, timing, schedule, root.fork(i)));
  const ms = (f: (r: TimedRun) => number): WindowStats => windowStats(runs.map((r) => Math.round(f(r))));
  return {
    rule: rule.name,
    mode: cfg.mode,
    brokers: cfg.brokers,
    partitions: cfg.partitions,
    voters: cfg.mode === 'kraft' ? cfg.voters : 0,
    fault,
    runs: opts.runs,
    noLeaderMs: ms((r) => r.noLeaderMs),
    belowMinIsrMs: ms((r) => r.belowMinIsrMs),
    notEnoughReplicasMs: ms((r) => r.notEnoughReplicasMs),
    stalledMs: ms((r) => r.stalledMs),
    noControllerMs: ms((r) => r.noControllerMs),
    offlineFraction: runs.reduce((x, r) => x + r.offlineFraction, 0) / Math.max(1, runs.length),
    unrecovered: runs.filter((r) => r.unrecovered).length,
    skipped: runs.reduce((x, r) => x + r.skipped, 0),
  };
}
