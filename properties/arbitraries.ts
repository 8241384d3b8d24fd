import fc from 'fast-check';
import type { ConfigInput, FaultBudget, Mechanisms, ModelConfig, Truncation } from '../model/index.js';
import {
  DEFAULT_MECHANISMS,
  NO_FAULTS,
  builtinRuleNames,
  mechanismsOf,
  resolveConfig,
  validateConfig,
} from '../model/index.js';

/**
 * fast-check arbitraries for Kafka model configurations. Every generated config passes
 * `validateConfig`, and the bounds stay small enough that one config explores in seconds.
 */

/** What `configArbitrary` may vary; each field fixes a setting or bounds its range. */
export interface ConfigConstraints {
  /** Broker counts to draw from (default 2–3). */
  readonly brokers?: { readonly min: number; readonly max: number };
  /** Partition counts (default 1–1). */
  readonly partitions?: { readonly min: number; readonly max: number };
  /** Smallest replication factor (default 1; never above the broker count). */
  readonly minReplicationFactor?: number;
  /** Smallest min.insync.replicas (default 1; never above the replication factor). */
  readonly minInsyncReplicas?: number;
  /** Fix acks, or draw it (`any`, the default). */
  readonly acks?: 'all' | '1' | 'any';
  /** Fix `unclean.leader.election.enable`, or draw it (`any`, the default). */
  readonly uncleanLeaderElection?: boolean | 'any';
  /** Fix the truncation, or draw it (`any`, the default). */
  readonly truncation?: Truncation | 'any';
  /** All mechanisms on (`safe`, the default), or each drawn (`any`). */
  readonly mechanisms?: 'safe' | 'any';
  /** Largest budget per fault kind (default: crashes 2, network partitions 1, others 0). */
  readonly faults?: Partial<FaultBudget>;
  /** Largest `bounds.records` (default 2; at least 1 is drawn). */
  readonly maxRecords?: number;
}

const DEFAULT_FAULT_MAX: FaultBudget = { ...NO_FAULTS, crashes: 2, networkPartitions: 1 };

const upTo = (max: number): fc.Arbitrary<number> => fc.integer({ min: 0, max: Math.max(0, max) });

/** A ZooKeeper-mode config drawn within `c`, resolved from the defaults and validated. */
export function configArbitrary(c: ConfigConstraints = {}): fc.Arbitrary<ModelConfig> {
  const brokersArb = fc.integer({ min: c.brokers?.min ?? 2, max: c.brokers?.max ?? 3 });
  return brokersArb
    .chain((brokers) =>
      fc.record({
        brokers: fc.constant(brokers),
        partitions: fc.integer({ min: c.partitions?.min ?? 1, max: c.partitions?.max ?? 1 }),
        replicationFactor: fc.integer({ min: Math.min(c.minReplicationFactor ?? 1, brokers), max: brokers }),
      }),
    )
    .chain((shape) =>
      fc.record({
        shape: fc.constant(shape),
        minInsyncReplicas: fc.integer({
          min: Math.min(c.minInsyncReplicas ?? 1, shape.replicationFactor),
          max: shape.replicationFactor,
        }),
        acks: c.acks === undefined || c.acks === 'any' ? fc.constantFrom<'all' | '1'>('all', '1') : fc.constant(c.acks),
        unclean:
          c.uncleanLeaderElection === undefined || c.uncleanLeaderElection === 'any'
            ? fc.boolean()
            : fc.constant(c.uncleanLeaderElection),
        truncation:
          c.truncation === undefined || c.truncation === 'any'
            ? fc.constantFrom<Truncation>('leader-epoch', 'high-watermark', 'leader-epoch-offset')
            : fc.constant(c.truncation),
        mechanisms: c.mechanisms === 'any' ? mechanismsArbitrary() : fc.constant(DEFAULT_MECHANISMS),
        faults: faultsArbitrary({ ...DEFAULT_FAULT_MAX, ...c.faults }),
        records: fc.integer({ min: 1, max: Math.max(1, c.maxRecords ?? 2) }),
        leaderEpochs: fc.integer({ min: 2, max: 3 }),
      }),
    )
    .map((d) => {
      const input: ConfigInput = {
        brokers: d.shape.brokers,
        partitions: d.shape.partitions,
        replicationFactor: d.shape.replicationFactor,
        minInsyncReplicas: d.minInsyncReplicas,
        acks: d.acks,
        uncleanLeaderElection: d.unclean,
        truncation: d.truncation,
        mechanisms: d.mechanisms,
        faults: d.faults,
        bounds: { records: d.records, leaderEpochs: d.leaderEpochs, partitionEpochs: 4, controllerEpochs: 2 },
      };
      const cfg = resolveConfig(input);
      const v = validateConfig(cfg, builtinRuleNames());
      if (!v.ok) throw new Error(`configArbitrary drew an invalid config: ${v.errors.join('; ')}`);
      return v.value;
    });
}

/**
 * Configs Kafka promises not to lose acknowledged data under: clean elections, acks=all,
 * min.insync.replicas ≥ 2 (so replication factor ≥ 2), leader-epoch truncation (KIP-101/279), every
 * fencing mechanism on, and no unclean shutdowns (ZooKeeper mode has no defence against the "last
 * replica standing" of KIP-966).
 */
export function safeConfigArbitrary(
  c: Omit<ConfigConstraints, 'acks' | 'uncleanLeaderElection' | 'truncation' | 'mechanisms'> = {},
): fc.Arbitrary<ModelConfig> {
  return configArbitrary({
    ...c,
    minReplicationFactor: Math.max(2, c.minReplicationFactor ?? 2),
    minInsyncReplicas: Math.max(2, c.minInsyncReplicas ?? 2),
    acks: 'all',
    uncleanLeaderElection: false,
    truncation: 'leader-epoch',
    mechanisms: 'safe',
    faults: { ...c.faults, uncleanShutdowns: 0 },
  });
}

/**
 * Each safety mechanism of `mode` on or off (every mechanism `MECHANISM_MODES` lists for the mode, so
 * new ones are drawn too); the other mode's mechanisms stay on.
 */
export function mechanismsArbitrary(mode: 'zk' | 'kraft' = 'zk'): fc.Arbitrary<Mechanisms> {
  const keys = mechanismsOf(mode);
  const fields = Object.fromEntries(keys.map((k) => [k, fc.boolean()])) as {
    [K in keyof Mechanisms]?: fc.Arbitrary<boolean>;
  };
  return fc.record(fields).map((drawn) => ({ ...DEFAULT_MECHANISMS, ...drawn }));
}

/** A fault budget with each kind between 0 and its maximum. */
export function faultsArbitrary(max: FaultBudget): fc.Arbitrary<FaultBudget> {
  return fc.record({
    crashes: upTo(max.crashes),
    uncleanShutdowns: upTo(max.uncleanShutdowns),
    networkPartitions: upTo(max.networkPartitions),
    messageLosses: upTo(max.messageLosses),
    sessionExpiries: upTo(max.sessionExpiries),
    controlledShutdowns: upTo(max.controlledShutdowns),
    preferredElections: upTo(max.preferredElections),
    // drawn only when allowed, so configs drawn before this budget existed stay the same for a seed
    uncleanElections: max.uncleanElections > 0 ? upTo(max.uncleanElections) : fc.constant(0),
  });
}

/** A built-in election rule name (`clean`, `unclean`, …; `never` only when `includeBroken`). */
export function ruleNameArbitrary(includeBroken = false): fc.Arbitrary<string> {
  const names = builtinRuleNames().filter((n) => includeBroken || n !== 'never');
  return fc.constantFrom(...names);
}
