import { check, type CheckResult, type Property } from '../checker/index.js';
import {
  kafkaModel,
  resolveConfig,
  clean,
  type ClusterState,
  type ConfigInput,
  type ElectionRule,
  type Mechanisms,
} from '../model/index.js';
import { safetyFor } from './properties.js';

/**
 * A mutant weakens exactly one guard of the model. Each comes with the smallest fault budget that gives
 * the guard something to protect against; a mutant that no property kills on it means the properties
 * (or those bounds) are too weak to trust a pass — or that another mechanism already covers the guard.
 */
export interface Mutant {
  readonly id: string;
  /** The guard that is dropped, in Kafka's words. */
  readonly guard: string;
  readonly config: ConfigInput;
}

const crashes2 = { bounds: { records: 1, leaderEpochs: 2 }, faults: { networkPartitions: 0, crashes: 2 } } as const;
const off = (m: keyof Mechanisms): Partial<Mechanisms> => ({ [m]: false });

export const MUTANTS: readonly Mutant[] = [
  {
    id: 'no-isr-only-election',
    guard: 'offline elections choose only ISR members',
    config: { ...crashes2, mechanisms: off('isrOnlyElection') },
  },
  {
    id: 'no-leader-epoch-truncation',
    guard: 'followers truncate by leader epoch (KIP-101), not to their high watermark',
    config: { ...crashes2, truncation: 'high-watermark' },
  },
  {
    id: 'no-controller-epoch-fencing',
    guard: 'controller writes and LeaderAndIsr requests are fenced by controller epoch (KAFKA-6082)',
    config: {
      mechanisms: off('controllerEpochFencing'),
      bounds: { records: 0, leaderEpochs: 2 },
      faults: { networkPartitions: 0, crashes: 0, sessionExpiries: 1 },
    },
  },
  {
    id: 'no-min-isr-check',
    guard: 'acks=all requires min.insync.replicas in-sync replicas',
    config: {
      minInsyncReplicas: 1,
      bounds: { records: 1, leaderEpochs: 3 },
      faults: { networkPartitions: 0, crashes: 1, uncleanShutdowns: 1 },
    },
  },
  {
    id: 'no-acks-all',
    guard: 'the producer waits for the whole ISR (acks=all)',
    config: { acks: '1', bounds: { records: 1, leaderEpochs: 2 }, faults: { networkPartitions: 0 } },
  },
  {
    id: 'no-leader-epoch-fencing',
    guard: 'brokers ignore LeaderAndIsr whose leader epoch is not newer',
    config: {
      mechanisms: off('leaderEpochFencing'),
      bounds: { records: 1, leaderEpochs: 3 },
      faults: { networkPartitions: 0, crashes: 1, messageLosses: 0 },
    },
  },
  {
    id: 'no-zk-version-check',
    guard: 'partition-state writes are conditional on the znode version (AlterPartition partition epoch)',
    config: {
      mechanisms: off('zkVersionCheck'),
      bounds: { records: 1, leaderEpochs: 2 },
      faults: { networkPartitions: 1, crashes: 0, sessionExpiries: 1 },
    },
  },
  {
    id: 'no-fetch-epoch-fencing',
    guard: 'fetches carry the follower’s leader epoch (KIP-320)',
    config: {
      mechanisms: off('fetchEpochFencing'),
      bounds: { records: 2, leaderEpochs: 3 },
      faults: { networkPartitions: 1, crashes: 1 },
    },
  },
  {
    id: 'no-strict-min-isr',
    guard: 'the high watermark stays put while the ISR is below min.insync.replicas (KAFKA-15583)',
    config: {
      mechanisms: off('strictMinIsr'),
      bounds: { records: 2, leaderEpochs: 3 },
      faults: { networkPartitions: 0, crashes: 1, uncleanShutdowns: 1 },
    },
  },
  {
    id: 'no-isr-join-epoch-rule',
    guard: 'a follower rejoins the ISR only after reaching the current leader epoch (KAFKA-7128)',
    config: { mechanisms: off('isrJoinRequiresCurrentEpoch'), ...crashes2 },
  },
];

export interface MutantResult {
  readonly mutant: Mutant;
  readonly result: CheckResult;
  /** The property that killed it, with the shortest trace length. */
  readonly killedBy: { readonly property: string; readonly steps: number } | undefined;
}

/** Runs the safety properties on each mutant (BFS, first counterexample), optionally under another rule. */
export function runMutants(
  mutants: readonly Mutant[] = MUTANTS,
  opts: {
    rule?: ElectionRule;
    maxStates?: number;
    properties?: (m: Mutant) => readonly Property<ClusterState>[];
    onResult?: (r: MutantResult) => void;
  } = {},
): MutantResult[] {
  return mutants.map((mutant) => {
    const cfg = resolveConfig(mutant.config);
    const props = opts.properties?.(mutant) ?? safetyFor(cfg);
    const result = check(
      kafkaModel(cfg, opts.rule ?? clean),
      props,
      opts.maxStates !== undefined ? { maxStates: opts.maxStates } : {},
    );
    const killedBy =
      result.kind === 'violation' && result.violation.path
        ? { property: result.violation.id, steps: result.violation.path.length - 1 }
        : undefined;
    const r = { mutant, result, killedBy };
    opts.onResult?.(r);
    return r;
  });
}
