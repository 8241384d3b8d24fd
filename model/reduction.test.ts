import { describe, expect, it } from 'vitest';
import { check, EncodeSink, type Property } from '../checker/index.js';
import { propertyCatalog, reachabilityGuards, safetyProperties } from '../properties/index.js';
import {
  builtinRule,
  encodeState,
  kafkaModel,
  NETWORK,
  NETWORK_BUDGET,
  resolveConfig,
  RuleError,
  type Action,
  type ClusterState,
  type ConfigInput,
  type ElectionRule,
  type KafkaModel,
  type ModelConfig,
} from './index.js';
import { projectConfig } from './projection.js';
import { presetConfig as pre } from './testing/engines.js';

/**
 * The Kafka model's reduction (`model/reduction.ts`) rests on a declaration: in ZooKeeper mode without
 * `--split-zookeeper`, and with a rule that does not read replica logs, every step uses the network only
 * as a guard. These tests check what the soundness argument needs, over the whole reachable state space
 * of a corpus of small configurations with splits, explored without the reduction:
 *
 *  - heal commutes with every step enabled beside it: the step stays enabled after the heal, reaches the
 *    same state up to the network, and writes no split (taken over every reachable state with a split,
 *    that is the persistence of {heal}, and with the budget check below the simulation that lets the
 *    engine skip `partition-network`);
 *  - the split budget is read by `partition-network` only: changing it changes no other step;
 *  - no safety property or guard that claims to ignore the network reads it.
 *
 * And then the outcome: with the reduction every property gets the same status as without it.
 */

/** Two brokers, RF 2, unless a config says otherwise. */
const BASE: ConfigInput = {
  brokers: 2,
  replicationFactor: 2,
  minInsyncReplicas: 1,
  bounds: { records: 1, leaderEpochs: 1, partitionEpochs: 2 },
  faults: { crashes: 1, networkPartitions: 1 },
};

const LE2: ConfigInput = { bounds: { records: 1, leaderEpochs: 2, partitionEpochs: 3 } };

const CORPUS: Readonly<Record<string, ConfigInput>> = {
  base: {},
  rec2: { bounds: { records: 2, leaderEpochs: 1, partitionEpochs: 2 } },
  crash2: { faults: { crashes: 2, networkPartitions: 1 } },
  acks1power: { acks: '1', faults: { crashes: 0, uncleanShutdowns: 1, networkPartitions: 1 } },
  minIsr2: { minInsyncReplicas: 2 },
  acks1: { acks: '1' },
  acks1le2: { ...LE2, acks: '1' },
  unclean: { uncleanLeaderElection: true },
  uncleanLe2: { ...LE2, uncleanLeaderElection: true },
  anyIsr: { electionRule: 'any-isr' },
  preferredRule: { electionRule: 'preferred' },
  uncleanRule: { electionRule: 'unclean', ...LE2 },
  power: { faults: { crashes: 0, uncleanShutdowns: 1, networkPartitions: 1 } },
  powerFlush: { faults: { crashes: 0, uncleanShutdowns: 1, networkPartitions: 1 }, backgroundFlush: true },
  session: { faults: { crashes: 0, sessionExpiries: 1, networkPartitions: 1 } },
  loss: { faults: { crashes: 0, messageLosses: 1, networkPartitions: 1 } },
  netOnly: { faults: { crashes: 0, networkPartitions: 1 } },
  net2: { faults: { crashes: 0, networkPartitions: 2 } },
  ctrlShutdown: { faults: { crashes: 0, controlledShutdowns: 1, networkPartitions: 1 } },
  preferred: { faults: { crashes: 1, preferredElections: 1, networkPartitions: 1 } },
  adminUnclean: { faults: { crashes: 1, uncleanElections: 1, networkPartitions: 1 } },
  fetch1: { fetchMaxRecords: 1, bounds: { records: 2, leaderEpochs: 1, partitionEpochs: 2 } },
  hwTrunc: { truncation: 'high-watermark', ...LE2 },
  rebalance: { autoLeaderRebalance: true },
  k010: { ...pre('kafka-0.10'), ...LE2 },
  k011: { ...pre('kafka-0.11'), ...LE2 },
  k23: { ...pre('kafka-2.3-zk') },
  k2x: { ...pre('kafka-2.x-zk') },
  k39: { ...pre('kafka-3.9-zk') },
  k010power: { ...pre('kafka-0.10'), faults: { crashes: 0, uncleanShutdowns: 1, networkPartitions: 1 } },
  k010session: { ...pre('kafka-0.10'), faults: { crashes: 0, sessionExpiries: 1, networkPartitions: 1 } },
  noFencing: { mechanisms: { controllerEpochFencing: false, leaderEpochFencing: false }, ...LE2 },
  noZkVersion: { mechanisms: { zkVersionCheck: false }, ...LE2 },
  le2: LE2,
};

/** Three brokers, RF 3: a split can cut a leader and a follower off the controller. */
const THREE: ConfigInput = { brokers: 3, replicationFactor: 3, networkSplits: 'one-node' };
const THREE_BROKERS: Readonly<Record<string, ConfigInput>> = {
  three: THREE,
  threeMinIsr2: { ...THREE, minInsyncReplicas: 2 },
  threeAnySplit: { ...THREE, networkSplits: 'any' },
  threeNetRecords2: {
    ...THREE,
    faults: { crashes: 0, networkPartitions: 1 },
    bounds: { records: 2, leaderEpochs: 1, partitionEpochs: 2 },
  },
};

function modelOf(over: ConfigInput): KafkaModel {
  const cfg: ModelConfig = resolveConfig({ ...BASE, ...over, faults: { ...BASE.faults, ...over.faults } });
  return kafkaModel(cfg, builtinRule(cfg.electionRule) as ElectionRule);
}

function key(s: ClusterState): string {
  const sink = new EncodeSink();
  encodeState(s, sink);
  return sink.buf.subarray(0, sink.len).join(',');
}

/** `s` with the network forgotten: no split, the split budget 0. */
const offNetwork = (s: ClusterState): ClusterState => ({
  ...s,
  split: 0,
  budget: { ...s.budget, networkPartitions: 0 },
});

const actionKey = (a: Action): string => JSON.stringify(a);

/** Every reachable state of `m`, explored without any reduction (at most `limit`). */
function reachable(m: KafkaModel, limit: number): ClusterState[] {
  const seen = new Set<string>();
  const out: ClusterState[] = [];
  for (const s of m.initStates()) {
    seen.add(key(s));
    out.push(s);
  }
  for (let i = 0; i < out.length; i++) {
    if (out.length > limit) throw new Error(`more than ${limit} states: make the config smaller`);
    const s = out[i] as ClusterState;
    for (const a of m.actions(s)) {
      const t = m.next(s, a);
      if (!t || !m.withinBoundary?.(t)) continue;
      const k = key(t);
      if (!seen.has(k)) {
        seen.add(k);
        out.push(t);
      }
    }
  }
  return out;
}

/** The successors of `s`'s actions other than `partition-network` and `heal`, up to the network, by action. */
function stepsOffNetwork(m: KafkaModel, s: ClusterState): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of m.actions(s)) {
    if (a.kind === 'partition-network' || a.kind === 'heal') continue;
    const t = m.next(s, a);
    out.set(actionKey(a), t ? `${key(offNetwork(t))}|${m.withinBoundary?.(t) ?? true}` : 'no-op');
  }
  return out;
}

/** Problems with the declaration found in `s` (empty when none). */
function declarationProblems(m: KafkaModel, s: ClusterState, props: readonly Property<ClusterState>[]): string[] {
  const problems: string[] = [];
  const here = stepsOffNetwork(m, s);
  if (s.split !== 0) {
    const heal = m.actions(s).find((a) => a.kind === 'heal');
    const healed = heal ? m.next(s, heal) : undefined;
    if (!healed) return [`no heal in a state with split ${s.split}`];
    const there = stepsOffNetwork(m, healed);
    for (const [a, t] of here) {
      if (!there.has(a)) problems.push(`${a} is disabled by the heal`);
      else if (there.get(a) !== t) problems.push(`${a} does something else after the heal`);
    }
    for (const a of m.actions(s)) {
      const t = a.kind === 'heal' ? undefined : m.next(s, a);
      if (t && t.split !== s.split) problems.push(`${actionKey(a)} changes the split`);
    }
  }
  const otherBudget = { ...s, budget: { ...s.budget, networkPartitions: s.budget.networkPartitions === 0 ? 1 : 0 } };
  const elsewhere = stepsOffNetwork(m, otherBudget);
  if ([...here].join(';') !== [...elsewhere].join(';')) problems.push('a step reads the split budget');
  const variants = [otherBudget, { ...s, split: s.split === 0 ? 1 : 0 }];
  for (const p of props)
    for (const v of variants)
      if (p.holds(v) !== p.holds(s) || p.explain?.(v) !== p.explain?.(s)) problems.push(`${p.id} reads the network`);
  return problems;
}

describe('the network declaration holds on every reachable state (ZooKeeper corpus)', () => {
  for (const [name, over] of Object.entries(CORPUS))
    it(name, () => {
      const m = modelOf(over);
      expect(m.reduction?.unavailable).toBeUndefined();
      const props = [...safetyProperties(m.config), ...reachabilityGuards(m.config)];
      const states = reachable(m, 150_000);
      const problems = new Set<string>();
      let split = 0;
      for (const s of states) {
        if (s.split !== 0) split++;
        for (const p of declarationProblems(m, s, props)) problems.add(p);
      }
      expect([...problems]).toEqual([]);
      expect(split).toBeGreaterThan(0);
    });
});

describe('the reduction keeps every verdict (ZooKeeper corpus)', () => {
  const seen = { violating: 0, passing: 0 };
  for (const [name, over] of Object.entries({ ...CORPUS, ...THREE_BROKERS }))
    it(name, () => {
      const m = modelOf(over);
      const props = [...safetyProperties(m.config), ...reachabilityGuards(m.config)];
      const full = check(m, props, { partialOrder: false, stopOnViolation: false });
      const reduced = check(m, props, { stopOnViolation: false });
      expect(reduced.stats.reduction?.used).toBe(true);
      expect(full.stats.reduction?.used).toBe(false);
      const statuses = (r: typeof full): string[] => r.outcomes.map((o) => `${o.id}:${o.status}`);
      expect(statuses(reduced)).toEqual(statuses(full));
      expect(reduced.kind).toBe(full.kind);
      expect(reduced.stats.distinct).toBeLessThan(full.stats.distinct);
      if (full.outcomes.some((o) => o.status === 'violated')) seen.violating++;
      else seen.passing++;
    });
  it('the corpus has at least 30 configs, violating and passing', () => {
    expect(Object.keys(CORPUS).length).toBeGreaterThanOrEqual(30);
    expect(seen.violating).toBeGreaterThanOrEqual(8);
    expect(seen.passing).toBeGreaterThanOrEqual(10);
  });
});

describe('the declaration holds in a projected cluster (per-partition checking)', () => {
  // partition 0 of two partitions on two brokers: its environment delivers requests about partition 1
  for (const [name, over] of Object.entries({
    twoPartitions: { partitions: 2 },
    twoPartitionsSession: { partitions: 2, faults: { crashes: 0, sessionExpiries: 1, networkPartitions: 1 } },
  } satisfies Record<string, ConfigInput>))
    it(name, () => {
      const full = resolveConfig({ ...BASE, ...over, faults: { ...BASE.faults, ...over.faults } });
      const cfg = projectConfig(full, 0);
      const m = kafkaModel(cfg, builtinRule(cfg.electionRule) as ElectionRule);
      expect(m.reduction?.unavailable).toBeUndefined();
      const kinds = new Set<string>();
      const problems = new Set<string>();
      const props = [...safetyProperties(cfg), ...reachabilityGuards(cfg)];
      for (const s of reachable(m, 150_000)) {
        for (const a of m.actions(s)) kinds.add(a.kind);
        for (const p of declarationProblems(m, s, props)) problems.add(p);
      }
      expect([...problems]).toEqual([]);
      expect(kinds.has('other-partition-request')).toBe(true);
    });
});

describe('the declaration holds with three brokers (a leader and its followers cut off the controller)', () => {
  // Before the ZooKeeper-mode model queued AlterPartition (`Partition.prepareIsrExpand`), a catching-up
  // fetch expanded the ISR in the same step only if the leader reached the controller: a split changed
  // what the fetch did, and this check found it ({"kind":"fetch",…} does something else after the heal).
  for (const [name, over] of Object.entries(THREE_BROKERS))
    it(name, () => {
      const m = modelOf(over);
      expect(m.reduction?.unavailable).toBeUndefined();
      const props = [...safetyProperties(m.config), ...reachabilityGuards(m.config)];
      const problems = new Set<string>();
      let pendingInSplit = 0;
      for (const s of reachable(m, 400_000)) {
        if (s.split !== 0 && s.brokers.some((b) => b.replicas.some((r) => r !== null && r.pendingIsr !== 0)))
          pendingInSplit++;
        for (const p of declarationProblems(m, s, props)) problems.add(p);
      }
      expect([...problems]).toEqual([]);
      // the states that used to break the declaration exist: a proposal waits while the split stands
      expect(pendingInSplit).toBeGreaterThan(0);
    });
});

describe('without asynchronous AlterPartition (Kafka ≤ 2.6) three brokers break the declaration, so the model does not make it', () => {
  it('the fetch depends on the split: the model says so, and the declaration check finds it', () => {
    const m = modelOf({ ...THREE, mechanisms: { asyncAlterPartition: false } });
    expect(m.reduction?.unavailable).toMatch(
      /^healing a split is not independent: fetch: without asynchronous AlterPartition/,
    );
    const problems = new Set<string>();
    for (const s of reachable(m, 150_000)) for (const p of declarationProblems(m, s, [])) problems.add(p);
    // a leader cut off the controller does not expand the ISR on a follower's catching-up fetch; healed, it does
    expect([...problems].sort()).toEqual(
      [0, 1, 2].map((f) => `{"kind":"fetch","partition":0,"follower":${f}} does something else after the heal`),
    );
  });
});

describe('when the Kafka model does not reduce', () => {
  const unavailable = (over: ConfigInput, rule?: ElectionRule): string | undefined => {
    const cfg = resolveConfig({ ...BASE, ...over });
    return kafkaModel(cfg, rule ?? (builtinRule(cfg.electionRule) as ElectionRule)).reduction?.unavailable;
  };
  it('KRaft mode: the quorum reads the network', () =>
    expect(unavailable({ mode: 'kraft' })).toMatch(/quorumLeaderFor/));
  it('--split-zookeeper: a split expires sessions', () =>
    expect(unavailable({ splitZooKeeper: true })).toMatch(/--split-zookeeper/));
  it('a rule that reads replica logs', () =>
    expect(unavailable({ electionRule: 'longest-log' })).toMatch(/"longest-log" may read view.replicaLogs/));
  it('a rule that does not declare readsReplicaLogs', () => {
    const own: ElectionRule = { name: 'mine', description: 'first live', eligibleLeaders: (v) => v.live.slice(0, 1) };
    expect(unavailable({}, own)).toMatch(/"mine" may read view.replicaLogs/);
  });
  it('no split in the budget', () =>
    expect(unavailable({ faults: { crashes: 1, networkPartitions: 0 } })).toMatch(/--max-partitions 0/));
  it('a liveness property, --no-por, or a property that reads the network', () => {
    const m = modelOf({});
    const live = propertyCatalog.find((p) => p.kind === 'eventually')?.build(m.config) as Property<ClusterState>;
    const plain: Property<ClusterState> = { kind: 'always', id: 'reads-all', title: 't', holds: () => true };
    const bounds = { maxStates: 50 };
    expect(check(m, [live], bounds).stats.reduction?.detail).toMatch(/liveness property/);
    expect(check(m, [], { ...bounds, partialOrder: false }).stats.reduction?.detail).toBe('turned off (--no-por)');
    expect(check(m, [plain], bounds).stats.reduction?.detail).toBe(
      `reads-all may read ${NETWORK}, ${NETWORK_BUDGET}, which the independent actions write (Property.ignores)`,
    );
  });
  it('a rule that declares it ignores replica logs but reads them stops the run with a RuleError', () => {
    const liar: ElectionRule = {
      name: 'liar',
      description: 'reads logs',
      readsReplicaLogs: false,
      eligibleLeaders: (v) => (v.replicaLogs.length > 0 ? v.live.slice(0, 1) : []),
    };
    const cfg = resolveConfig({});
    const m = kafkaModel(cfg, liar);
    const run = (): unknown => check(m, safetyProperties(cfg), { maxStates: 100_000 });
    expect(run).toThrow(RuleError);
    expect(run).toThrow(/declares readsReplicaLogs: false but reads view.replicaLogs/);
  });
});
