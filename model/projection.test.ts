import { EVERY_FAULT_ONCE } from './testing/engines.js';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EncodeSink } from '../checker/index.js';
import type { Property } from '../checker/index.js';
import { builtinRule, kafkaModel, resolveConfig } from './index.js';
import type { Budget, ClusterState, ConfigInput, KafkaModel, ModelConfig } from './index.js';
import { liftAction, projectConfig, projectState, projectionObstacle } from './projection.js';
import { safetyProperties } from '../properties/index.js';
import { presetNamed } from './presets.js';

/**
 * The two facts per-partition checking rests on (see `projection.ts`), tested on seeded random walks of
 * multi-partition ZooKeeper-mode clusters: every step of the full cluster is a step (or a stutter) of each
 * one-partition cluster, and every safety property of a state is the conjunction of the property over
 * its projections.
 */

const CONFIGS: readonly [string, ConfigInput][] = [
  ['default, 2 partitions', { partitions: 2 }],
  ['3 partitions, records 1', { partitions: 3, bounds: { records: 1 } }],
  ['4 brokers, 2 partitions, RF 2', { brokers: 4, partitions: 2, replicationFactor: 2, minInsyncReplicas: 1 }],
  [
    'every ZooKeeper fault',
    {
      partitions: 2,
      faults: EVERY_FAULT_ONCE,
      backgroundFlush: true,
    },
  ],
  ['acks=1, unclean elections', { partitions: 2, acks: '1', uncleanLeaderElection: true, minInsyncReplicas: 1 }],
  ['split ZooKeeper', { partitions: 2, splitZooKeeper: true, faults: { crashes: 1, sessionExpiries: 1 } }],
  ['fetch limit 1', { partitions: 2, fetchMaxRecords: 1 }],
  [
    'kafka-0.10 (no fencing), session expiry',
    { ...preset('kafka-0.10'), partitions: 2, faults: { crashes: 1, sessionExpiries: 1 } },
  ],
  [
    'kafka-2.3-zk, message loss',
    { ...preset('kafka-2.3-zk'), partitions: 2, faults: { crashes: 1, messageLosses: 1 } },
  ],
  ['3 partitions, 2 crashes', { partitions: 3, bounds: { records: 1 }, faults: { crashes: 2, networkPartitions: 0 } }],
  ['KRaft default, 2 partitions', { mode: 'kraft', partitions: 2 }],
  [
    'KRaft with ELR, unclean shutdown, session expiry',
    { mode: 'kraft', elr: true, partitions: 2, faults: { uncleanShutdowns: 1, sessionExpiries: 1 } },
  ],
  [
    'KRaft admin elections, unclean enabled',
    {
      mode: 'kraft',
      partitions: 2,
      uncleanLeaderElection: true,
      minInsyncReplicas: 1,
      faults: { preferredElections: 1, uncleanElections: 1, controlledShutdowns: 1 },
    },
  ],
  [
    'KRaft without the up-to-date vote check, voter crash',
    {
      mode: 'kraft',
      partitions: 2,
      bounds: { records: 0 },
      mechanisms: { upToDateVoteCheck: false, checkQuorum: false },
    },
  ],
  ['KRaft 3 partitions, 2 crashes', { mode: 'kraft', partitions: 3, faults: { crashes: 2, networkPartitions: 0 } }],
];

function preset(name: string): ConfigInput {
  const p = presetNamed(name);
  if (!p) throw new Error(`no preset ${name}`);
  return p.config;
}

function modelOf(cfg: ModelConfig): KafkaModel {
  const rule = builtinRule(cfg.electionRule) ?? builtinRule('clean');
  if (!rule) throw new Error('no clean rule');
  return kafkaModel(cfg, rule);
}

const sink = new EncodeSink();
function key(m: KafkaModel, s: ClusterState): string {
  sink.reset();
  m.encode(s, sink);
  return Array.from(sink.buf.subarray(0, sink.len)).join(',');
}

const flagged = (s: ClusterState): boolean =>
  s.ghost.uncleanElection ||
  s.ghost.staleControllerWrite ||
  s.ghost.hwPassedIsr ||
  s.ghost.ackBelowMinIsr ||
  s.ghost.exposedChanged;

/** Walks `choices` through the full cluster, checking both facts at every step; returns the steps taken. */
function walk(full: KafkaModel, parts: readonly KafkaModel[], choices: readonly number[]): number {
  const props = safetyProperties(full.config).filter((p) => p.kind === 'always');
  const partProps = parts.map((m) => safetyProperties(m.config));
  let s = full.initStates()[0] as ClusterState;
  let steps = 0;
  for (const c of choices) {
    checkLocality(full.config, s, props, partProps);
    if (flagged(s)) break;
    const acts = full.actions(s);
    const a = acts[c % Math.max(1, acts.length)];
    if (!a) break;
    const next = full.next(s, a) ?? s;
    parts.forEach((m, p) => checkSimulation(full.config, m, s, next, p, a.kind));
    s = next;
    steps++;
  }
  return steps;
}

const ENV: readonly string[] = ['other-partition-request', 'other-partition-on-wire', 'other-partition-record'];

/** `s` with the history flags of `like` (a flag another partition's step raised is not p's doing). */
const flagsOf = (s: ClusterState, like: ClusterState): ClusterState => ({
  ...s,
  ghost: {
    ...s.ghost,
    uncleanElection: like.ghost.uncleanElection,
    staleControllerWrite: like.ghost.staleControllerWrite,
    hwPassedIsr: like.ghost.hwPassedIsr,
    ackBelowMinIsr: like.ghost.ackBelowMinIsr,
    exposedChanged: like.ghost.exposedChanged,
  },
});

/**
 * The full step s → next seen from partition p is zero or one step of p's cluster followed by steps of
 * its environment (`ENV`), up to a smaller fault budget (another partition's lost request or admin
 * election spent it) and, on the step that raises a history flag, up to the flags.
 */
function checkSimulation(
  cfg: ModelConfig,
  m: KafkaModel,
  s: ClusterState,
  next: ClusterState,
  p: number,
  kind: string,
): void {
  const from = projectState(cfg, s, p);
  const target = projectState(cfg, next, p);
  for (const [k, v] of Object.entries(target.budget)) expect(v).toBeLessThanOrEqual(from.budget[k as keyof Budget]);
  const norm = (x: ClusterState): string => key(m, flagsOf({ ...x, budget: target.budget }, target));
  const want = norm(target);
  let layer: ClusterState[] = [from];
  for (const a of m.actions(from)) {
    const n = m.next(from, a);
    if (n) layer.push(n);
  }
  for (let depth = 0; depth < 4 && layer.length; depth++) {
    if (layer.some((x) => norm(x) === want)) return;
    layer = layer.flatMap((x) =>
      m
        .actions(x)
        .filter((a) => ENV.includes(a.kind))
        .flatMap((a) => m.next(x, a) ?? []),
    );
  }
  throw new Error(
    `step ${kind} of the full cluster is no step of partition ${p}'s cluster\n${m.formatState?.(from) ?? ''}\n--- to ---\n${m.formatState?.(target) ?? ''}`,
  );
}

function checkLocality(
  cfg: ModelConfig,
  s: ClusterState,
  props: readonly Property<ClusterState>[],
  partProps: readonly (readonly Property<ClusterState>[])[],
): void {
  for (const prop of props) {
    const parts = partProps.map((ps, p) => {
      const q = ps.find((x) => x.id === prop.id);
      if (!q) throw new Error(`${prop.id} is not checked on partition ${p}'s cluster`);
      return q.holds(projectState(cfg, s, p));
    });
    expect({ id: prop.id, holds: prop.holds(s) }).toEqual({ id: prop.id, holds: parts.every(Boolean) });
  }
}

describe('partition projection (ZooKeeper and KRaft mode)', () => {
  for (const [name, input] of CONFIGS)
    it(`${name}: steps project to steps, properties to their conjunction (seeded walks)`, () => {
      const cfg = resolveConfig(input);
      expect(projectionObstacle(cfg)).toBeUndefined();
      const full = modelOf(cfg);
      const parts = cfg.assignment.map((_, p) => modelOf(projectConfig(cfg, p)));
      let total = 0;
      fc.assert(
        fc.property(fc.array(fc.nat(), { minLength: 10, maxLength: 80 }), (choices) => {
          total += walk(full, parts, choices);
        }),
        { seed: 20, numRuns: 300 },
      );
      expect(total).toBeGreaterThan(300 * 5);
    });

  it('a step of one partition lifted back names that partition', () => {
    expect(liftAction({ kind: 'fetch', partition: 0, follower: 2 }, 1)).toEqual({
      kind: 'fetch',
      partition: 1,
      follower: 2,
    });
    expect(liftAction({ kind: 'crash', broker: 1 }, 1)).toEqual({ kind: 'crash', broker: 1 });
  });

  it('refuses KRaft mode and automatic rebalancing, naming why', () => {
    expect(projectionObstacle(resolveConfig({ mode: 'kraft', partitions: 2 }))).toBeUndefined();
    expect(
      projectionObstacle(resolveConfig({ mode: 'kraft', partitions: 2, mechanisms: { raftEpochFencing: false } })),
    ).toMatch(/Raft epoch fencing/);
    expect(projectionObstacle(resolveConfig({ partitions: 2, autoLeaderRebalance: true }))).toMatch(/rebalanc/);
    expect(projectionObstacle(resolveConfig({}))).toMatch(/one partition/);
  });
});
