import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { check, replayPath } from '../checker/index.js';
import type { Action, ClusterState, KafkaModel, ModelConfig, PartitionState } from '../model/index.js';
import {
  DEFAULT_KRAFT_CONFIG,
  NO_LEADER,
  builtinRule,
  catalogEntry,
  kafkaModel,
  resolveConfig,
} from '../model/index.js';
import { noDataLoss } from './noDataLoss.js';
import { activeControllerCount } from './activeControllerCount.js';
import { gaugeChanges, metricMovesAlong, metricsOf, stepMeters } from './metrics.js';
import { MetricsTally, mergeMetricsDistributions } from './metricsTally.js';
import { modelFor } from './testSupport.js';

/** Takes, in order, the first enabled action matching each predicate; returns every state and action. */
function walk(m: KafkaModel, steps: readonly ((a: Action) => boolean)[]) {
  const states: ClusterState[] = [m.initStates()[0] as ClusterState];
  const actions: Action[] = [];
  for (const match of steps) {
    const s = states[states.length - 1] as ClusterState;
    const a = m.actions(s).find(match);
    if (!a) throw new Error(`no enabled action matches step ${actions.length + 1}`);
    const n = m.next(s, a);
    if (!n) throw new Error(`step ${actions.length + 1} is a no-op`);
    states.push(n);
    actions.push(a);
  }
  return { states, actions };
}

/** The states and actions of a committed regression trace, replayed on today's model. */
function regression(name: string) {
  const t = JSON.parse(readFileSync(new URL(`../traces/regressions/${name}.trace.json`, import.meta.url), 'utf8')) as {
    config: ModelConfig;
    rule: { name: string };
    path: number[];
  };
  const rule = builtinRule(t.rule.name);
  if (!rule) throw new Error(t.rule.name);
  const m = kafkaModel(resolveConfig(t.config), rule);
  const r = replayPath(m, t.path);
  if (!r.ok) throw new Error(r.error);
  const states = r.value.states;
  const actions = t.path.slice(1).map((i, k) => m.actions(states[k] as ClusterState)[i] as Action);
  return { m, states, actions };
}

const is =
  (kind: Action['kind'], fields: Record<string, number> = {}) =>
  (a: Action): boolean =>
    a.kind === kind && Object.entries(fields).every(([k, v]) => (a as unknown as Record<string, unknown>)[k] === v);

describe('metricsOf, ZooKeeper mode', () => {
  const m = modelFor({});
  const cfg = m.config;

  it('reports the stable cluster as Kafka would: one active controller, nothing under-replicated', () => {
    const x = metricsOf(m.initStates()[0] as ClusterState, cfg);
    expect(x.nodes.map((n) => [n.node, n.gauges.ActiveControllerCount])).toEqual([
      ['b0', 1],
      ['b1', 0],
      ['b2', 0],
    ]);
    expect(x.cluster).toEqual({
      ActiveControllerCount: 1,
      OfflinePartitionsCount: 0,
      UnderReplicatedPartitions: 0,
      UnderMinIsrPartitionCount: 0,
      AtMinIsrPartitionCount: 0,
    });
  });

  it('counts a shrinking ISR on the leader from its own view, once the LeaderAndIsr reaches it', () => {
    const { states, actions } = walk(m, [
      is('crash', { broker: 2 }),
      is('observe-brokers', { controller: 0 }),
      is('remove-from-isr', { broker: 2 }),
    ]);
    // ZooKeeper already says ISR {0,1}; the leader b0 has not heard yet, so its metrics have not moved.
    expect(metricsOf(states[3] as ClusterState, cfg).cluster.UnderReplicatedPartitions).toBe(0);
    expect(stepMeters(states[1] as ClusterState, actions[1] as Action, states[2] as ClusterState)).toEqual({
      LeaderElectionRateAndTimeMs: 1,
      UncleanLeaderElectionsPerSec: 0,
      by: 'b0',
    });
    const { states: after } = walk(m, [
      is('crash', { broker: 2 }),
      is('observe-brokers', { controller: 0 }),
      is('remove-from-isr', { broker: 2 }),
      (a) => a.kind === 'deliver' && a.message.to === 0,
    ]);
    const x = metricsOf(after[4] as ClusterState, cfg);
    expect(
      x.nodes.map((n) => [n.node, n.running, n.gauges.UnderReplicatedPartitions, n.gauges.AtMinIsrPartitionCount]),
    ).toEqual([
      ['b0', true, 1, 1],
      ['b1', true, 0, 0],
      ['b2', false, undefined, undefined],
    ]);
    expect(gaugeChanges(metricsOf(after[3] as ClusterState, cfg), x)).toEqual([
      { metric: 'UnderReplicatedPartitions', node: 'b0', from: 0, to: 1 },
      { metric: 'AtMinIsrPartitionCount', node: 'b0', from: 0, to: 1 },
    ]);
  });

  it('reports an offline partition on the new controller until it elects a leader', () => {
    const { states, actions } = walk(m, [
      is('crash', { broker: 0 }),
      is('elect-controller', { broker: 1 }),
      is('elect-leader', { controller: 1 }),
    ]);
    const at = (k: number) => metricsOf(states[k] as ClusterState, cfg);
    expect(at(1).cluster.ActiveControllerCount).toBe(0);
    expect(at(2).nodes.map((n) => n.gauges.OfflinePartitionsCount)).toEqual([undefined, 1, 0]);
    expect(at(3).cluster.OfflinePartitionsCount).toBe(0);
    // An election after a controller failover is a ControllerChange event, not a BrokerChange one.
    expect(metricMovesAlong(states, actions, cfg)).toEqual([
      ['b0 stops reporting (down)'],
      ['ActiveControllerCount 0→1 on b1', 'OfflinePartitionsCount 0→1 on b1'],
      ['OfflinePartitionsCount 1→0 on b1'],
    ]);
  });

  it('marks an unclean election on the controller that made it', () => {
    const { states, actions } = regression('unclean-election-data-loss');
    const meters = actions.map((a, i) => stepMeters(states[i] as ClusterState, a, states[i + 1] as ClusterState));
    expect(meters.map((x) => x.UncleanLeaderElectionsPerSec)).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 0, 0]);
    expect(meters[7]?.by).toBe('b1');
  });
});

describe('describeMetricMoves', () => {
  it('says once that a node stops reporting, and that it reports again after a restart', () => {
    const m = modelFor({});
    const { states, actions } = walk(m, [is('crash', { broker: 2 }), is('restart', { broker: 2 })]);
    expect(metricMovesAlong(states, actions, m.config)).toEqual([
      ['b2 stops reporting (down)'],
      ['b2 reports again (every gauge 0)'],
    ]);
  });
});

describe('metricsOf, KRaft mode', () => {
  it('reports ActiveControllerCount on both quorum leaders of a split brain (KAFKA-15489)', () => {
    const { m, states, actions } = regression('kraft-split-brain');
    const sums = states.map((s) => metricsOf(s, m.config).cluster.ActiveControllerCount);
    expect(sums).toEqual([1, 1, 2, 2]);
    const last = metricsOf(states[3] as ClusterState, m.config);
    expect(last.nodes.map((n) => [n.node, n.gauges])).toEqual([
      ['b0', { UnderReplicatedPartitions: 0, UnderMinIsrPartitionCount: 0, AtMinIsrPartitionCount: 0 }],
      ['b1', { UnderReplicatedPartitions: 0, UnderMinIsrPartitionCount: 0, AtMinIsrPartitionCount: 0 }],
      ['b2', { UnderReplicatedPartitions: 0, UnderMinIsrPartitionCount: 0, AtMinIsrPartitionCount: 0 }],
      ['c0', { ActiveControllerCount: 1, OfflinePartitionsCount: 0 }],
      ['c1', { ActiveControllerCount: 1, OfflinePartitionsCount: 0 }],
      ['c2', { ActiveControllerCount: 0, OfflinePartitionsCount: 0 }],
    ]);
    expect(stepMeters(states[2] as ClusterState, actions[2] as Action, states[3] as ClusterState)).toEqual({
      LeaderElectionRateAndTimeMs: null,
      UncleanLeaderElectionsPerSec: 0,
      by: null,
    });
    expect(activeControllerCount(m.config).explain?.(states[3] as ClusterState)).toBe(
      'ActiveControllerCount is 1 on c0 and c1 (sum 2) while a controller is in charge',
    );
  });
});

describe('metricsOf, KRaft mode, a fenced last replica (catalog last-replica-standing-kraft)', () => {
  it('counts the partition offline on the controller from its committed metadata, and the broker gauges from the leader', () => {
    const entry = catalogEntry('last-replica-standing-kraft');
    if (!entry) throw new Error('catalog entry missing');
    const m = modelFor(entry.config);
    const r = check(m, [noDataLoss], { stopOnViolation: true });
    const path = r.kind === 'violation' ? (r.violation.path ?? []) : [];
    expect(path.length - 1).toBe(entry.expectedSteps);
    const replayed = replayPath(m, path);
    if (!replayed.ok) throw new Error(replayed.error);
    const states = replayed.value.states;
    const actions = path.slice(1).map((i, k) => m.actions(states[k] as ClusterState)[i] as Action);
    const offline = states.map((s) => metricsOf(s, m.config).cluster.OfflinePartitionsCount);
    // Fenced with the ISR {b0} (step 7): no leader in the committed image until b0 is unfenced (step 11).
    expect(offline).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0]);
    const moves = metricMovesAlong(states, actions, m.config);
    expect(moves[6]).toEqual(['OfflinePartitionsCount 0→1 on c0']);
    expect(moves[11]).toEqual(['UnderReplicatedPartitions 0→1 on b0', 'AtMinIsrPartitionCount 0→1 on b0']);
  });
});

describe('stepMeters on hand-built partition changes', () => {
  const kraft = kafkaModel(
    resolveConfig({ mode: 'kraft', elr: true }),
    builtinRule('clean') as NonNullable<ReturnType<typeof builtinRule>>,
  );
  const init = kraft.initStates()[0] as ClusterState;
  const withP0 = (s: ClusterState, p0: Partial<PartitionState>): ClusterState => ({
    ...s,
    zk: { ...s.zk, partitions: [{ ...(s.zk.partitions[0] as PartitionState), ...p0 }] },
  });
  const step = { kind: 'raft-replicate', leader: 0 } as const;

  it('counts a committed election from the ELR (ISR empty) as unclean, as ControllerMetricsChanges does', () => {
    const before = withP0(init, { leader: NO_LEADER, leaderEpoch: 1, isr: 0, version: 2 });
    const after = withP0(init, { leader: 1, leaderEpoch: 2, isr: 0b010, version: 3 });
    expect(stepMeters(before, step, after)).toEqual({
      LeaderElectionRateAndTimeMs: null,
      UncleanLeaderElectionsPerSec: 1,
      by: null,
    });
  });

  it('does not count a leader from the previous ISR, a partition going offline, or an unchanged partition', () => {
    const before = withP0(init, { leader: 0, leaderEpoch: 1, isr: 0b011, version: 2 });
    const clean = withP0(init, { leader: 1, leaderEpoch: 2, isr: 0b010, version: 3 });
    const offline = withP0(init, { leader: NO_LEADER, leaderEpoch: 2, isr: 0b001, version: 3 });
    for (const after of [clean, offline, before])
      expect(stepMeters(before, step, after).UncleanLeaderElectionsPerSec).toBe(0);
  });
});

describe('active-controller-count', () => {
  it('holds on a small ZooKeeper config and fails on the KRaft default (a leader yet to resign by check quorum)', () => {
    const zk = modelFor({ bounds: { records: 0, leaderEpochs: 2 } });
    const rz = check(zk, [activeControllerCount(zk.config)]);
    expect([rz.kind, rz.stats.distinct]).toEqual(['ok', 3755]);
    const kraft = kafkaModel(
      resolveConfig({ ...DEFAULT_KRAFT_CONFIG, bounds: { ...DEFAULT_KRAFT_CONFIG.bounds, records: 0 } }),
      builtinRule('clean') as NonNullable<ReturnType<typeof builtinRule>>,
    );
    const rk = check(kraft, [activeControllerCount(kraft.config)], { stopOnViolation: true });
    expect(rk.kind).toBe('violation');
    // A split cuts c0 off; c1 wins Raft epoch 2 and commits its LeaderChange while c0 has yet to resign.
    expect(rk.outcomes[0]?.path).toEqual([0, 9, 0]);
  });
});

describe('MetricsTally', () => {
  it('counts gauges per state and elections per run, and merges shards by summing', () => {
    const m = modelFor({});
    const { states, actions } = walk(m, [
      is('crash', { broker: 0 }),
      is('elect-controller', { broker: 1 }),
      is('elect-leader', { controller: 1 }),
    ]);
    const t = new MetricsTally(m.config);
    t.startRun();
    t.state(states[0] as ClusterState);
    actions.forEach((a, i) => t.step(a, states[i + 1] as ClusterState));
    const d = t.result();
    expect(d.runs).toBe(1);
    expect(d.states).toBe(4);
    expect(d.gauges.OfflinePartitionsCount).toEqual({
      statesAlerting: 1,
      fractionAlerting: 0.25,
      runsAlerting: 1,
      max: 1,
    });
    expect(d.gauges.ActiveControllerCount).toEqual({
      statesAlerting: 1,
      fractionAlerting: 0.25,
      runsAlerting: 1,
      max: 1,
    });
    expect(d.meters.LeaderElectionRateAndTimeMs).toEqual({ total: 0, runsWithAny: 0, maxPerRun: 0, meanPerRun: 0 });
    const merged = mergeMetricsDistributions([d, d]);
    expect([merged.runs, merged.states, merged.gauges.OfflinePartitionsCount.statesAlerting]).toEqual([2, 8, 2]);
    expect(merged.gauges.OfflinePartitionsCount.fractionAlerting).toBe(0.25);
  });
});
