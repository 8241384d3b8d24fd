import { check, checkLiveness, type CheckResult, type Property } from '../checker/index.js';
import { KAFKA_LIVENESS_OPTIONS } from '../properties/index.js';
import {
  kafkaModel,
  resolveConfig,
  clean,
  catalogEntry,
  type ClusterState,
  type ConfigInput,
  type ElectionRule,
  type KafkaModel,
  type Mechanisms,
  type ModelConfig,
} from '../model/index.js';
import { defaultResolver, safetyFor } from './properties.js';

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
  /**
   * Property ids to run instead of the config's safety set: the property the guard exists for, when
   * another property fails on the mutant's config for a reason the guard does not address (ELR and an
   * unclean shutdown's lost tail), or a liveness property for a guard that protects progress (heartbeat
   * fencing). With any liveness property the run is `checkLiveness` under `KAFKA_LIVENESS_OPTIONS`.
   */
  readonly properties?: readonly string[];
  /**
   * What puts the guard back when it is not a mechanism switched off in `config` (a truncation mode, a
   * setting). The model with the guard back is the baseline: a property that fails there too does not
   * kill the mutant (it fails for another reason, e.g. a power loss whatever the switches).
   */
  readonly restore?: ConfigInput;
}

/** The mutant's config with its guard put back: its mechanisms switched on again, and `restore` applied. */
export function baselineConfig(m: Mutant): ConfigInput {
  const mechanisms: Record<string, boolean> = { ...m.config.mechanisms };
  for (const k of Object.keys(mechanisms)) if (mechanisms[k] === false) mechanisms[k] = true;
  return { ...m.config, ...m.restore, mechanisms: { ...mechanisms, ...m.restore?.mechanisms } };
}

/** KRaft mode with one voter (the quorum out of the way), one record, no network partition. */
const kraft1 = (input: ConfigInput): ConfigInput => ({
  mode: 'kraft',
  voters: 1,
  ...input,
  bounds: { records: 1, ...input.bounds },
  faults: { networkPartitions: 0, ...input.faults },
});

/** The fixed configuration of a catalog entry: where the guard the entry is about has something to protect. */
function fixOf(id: string): ConfigInput {
  const fix = catalogEntry(id)?.fixedBy;
  if (!fix) throw new Error(`mutant names catalog entry "${id}", which has no fix`);
  return fix.config;
}

/** b1 leads p0 with followers b2 and b0 (the controller, never replaced); one record, one power loss. */
const powerLossOfLeader = {
  assignment: [[1, 2, 0]],
  bounds: { records: 1, leaderEpochs: 3, controllerEpochs: 1 },
  faults: { networkPartitions: 0, crashes: 0, uncleanShutdowns: 1 },
} as const;
/**
 * Two brokers: b1 leads p0 with the controller b0 (never replaced) as its only follower, min ISR 2; one
 * record, one power loss. A power loss of the follower is also the controller's, after which no
 * AlterPartition is ever answered, so a follower's expansion proposed before the power loss cannot commit
 * afterwards: that ZooKeeper-mode hazard (a fetch of the lost incarnation counted, `PendingExpandIsr`
 * answered after the restart; KIP-903 closed it in KRaft mode only) needs a follower that is not the
 * controller, and it is not what these mutants are about.
 */
const powerLossBesideController = {
  brokers: 2,
  replicationFactor: 2,
  minInsyncReplicas: 2,
  assignment: [[1, 0]],
  bounds: { records: 1, leaderEpochs: 3, controllerEpochs: 1 },
  faults: { networkPartitions: 0, crashes: 0, uncleanShutdowns: 1 },
} as const;
/**
 * b1 leads p0 with followers b2 and b0, the controller, which is never replaced (so the crashes hit the
 * data plane, and the baseline run that proves a kill real stays small); one record.
 */
const crashesOfReplicas = (crashes: number): ConfigInput => ({
  assignment: [[1, 2, 0]],
  bounds: { records: 1, leaderEpochs: 2, controllerEpochs: 1 },
  faults: { networkPartitions: 0, crashes },
});
/** One ZooKeeper session expiry (its broker keeps running: a zombie controller or leader) and no other fault. */
const ONE_SESSION_EXPIRY = { networkPartitions: 0, crashes: 0, sessionExpiries: 1 } as const;
const off = (m: keyof Mechanisms): Partial<Mechanisms> => ({ [m]: false });

export const MUTANTS: readonly Mutant[] = [
  {
    id: 'no-isr-only-election',
    guard: 'offline elections choose only ISR members',
    config: { ...crashesOfReplicas(1), mechanisms: off('isrOnlyElection') },
  },
  {
    id: 'no-leader-epoch-truncation',
    guard: 'followers truncate by leader epoch (KIP-101), not to their high watermark',
    restore: { truncation: 'diverging-epoch' },
    config: { ...crashesOfReplicas(2), truncation: 'high-watermark' },
  },
  {
    id: 'no-epoch-in-truncation-answer',
    guard: 'truncation rounds agree on an epoch: the leader names the epoch whose end it reports (KIP-279)',
    // Two quick leader failures leave a follower with an epoch its new leader never had.
    restore: { truncation: 'leader-epoch' },
    config: { ...fixOf('kip-279-fast-failover'), truncation: 'leader-epoch-offset' },
  },
  {
    id: 'no-controller-epoch-fencing',
    guard: 'controller writes and LeaderAndIsr requests are fenced by controller epoch (KAFKA-6082)',
    config: {
      mechanisms: off('controllerEpochFencing'),
      bounds: { records: 0, leaderEpochs: 2 },
      faults: ONE_SESSION_EXPIRY,
    },
  },
  {
    id: 'no-min-isr-check',
    guard: 'acks=all requires min.insync.replicas in-sync replicas',
    restore: { minInsyncReplicas: 2 },
    // The leader (b1, not the controller) acknowledges alone and then loses power.
    config: { ...powerLossOfLeader, minInsyncReplicas: 1 },
  },
  {
    id: 'no-acks-all',
    guard: 'the producer waits for the whole ISR (acks=all)',
    restore: { acks: 'all' },
    config: { acks: '1', bounds: { records: 1, leaderEpochs: 2 }, faults: { networkPartitions: 0 } },
  },
  {
    id: 'no-leader-epoch-fencing',
    guard: 'brokers ignore LeaderAndIsr whose leader epoch is not newer',
    // A controller failover makes the new controller resend every partition's state with its current
    // leader epoch; a session expiry keeps the old leader running, so an ISR change can overtake it.
    config: {
      mechanisms: off('leaderEpochFencing'),
      bounds: { records: 1, leaderEpochs: 3 },
      faults: ONE_SESSION_EXPIRY,
    },
  },
  {
    id: 'no-zk-version-check',
    guard: 'partition-state writes are conditional on the znode version (AlterPartition partition epoch)',
    config: {
      mechanisms: off('zkVersionCheck'),
      bounds: { records: 1, leaderEpochs: 2, partitionEpochs: 2 },
      faults: { networkPartitions: 1, crashes: 0, sessionExpiries: 1 },
    },
  },
  {
    id: 'no-fetch-epoch-fencing',
    guard: 'fetches carry the follower’s leader epoch (KIP-320)',
    // A follower that missed two leader epochs fetches from its old leader once it leads again.
    config: { ...fixOf('kip-320-zombie-follower'), mechanisms: off('fetchEpochFencing') },
  },
  {
    id: 'no-strict-min-isr',
    guard: 'the high watermark stays put while the ISR is below min.insync.replicas (KAFKA-15583)',
    // The leader alone advances its high watermark, a consumer may read the record, and it loses power.
    config: { ...powerLossBesideController, mechanisms: off('strictMinIsr') },
  },
  {
    id: 'no-isr-join-epoch-rule',
    guard: 'a follower rejoins the ISR only after reaching the current leader epoch (KAFKA-7128)',
    // A new leader's high watermark lags; a partial fetch at it adds a follower that lacks committed records.
    config: { ...fixOf('kafka-7128-lagging-hw'), mechanisms: off('isrJoinRequiresCurrentEpoch') },
  },
  // KRaft mode (the controller quorum and broker lifecycle).
  {
    id: 'no-raft-epoch-fencing',
    guard: 'KRaft voters ignore a quorum leader of an older Raft epoch (KIP-595, FENCED_LEADER_EPOCH)',
    config: { mode: 'kraft', mechanisms: off('raftEpochFencing'), bounds: { records: 0 } },
  },
  {
    id: 'no-up-to-date-vote-check',
    guard: 'a KRaft voter votes only for a candidate whose metadata log is at least as up to date (KIP-595)',
    config: {
      mode: 'kraft',
      mechanisms: off('upToDateVoteCheck'),
      bounds: { records: 0 },
      faults: { sessionExpiries: 1, crashes: 2, networkPartitions: 0 },
    },
  },
  {
    id: 'no-elr',
    guard: 'Eligible Leader Replicas: a replica back from an unclean shutdown leaves ISR and ELR (KIP-966)',
    restore: { elr: true },
    config: kraft1({
      minInsyncReplicas: 1,
      elr: false,
      bounds: { leaderEpochs: 3, partitionEpochs: 4, metadataRecords: 5 },
      faults: { crashes: 0, uncleanShutdowns: 1 },
    }),
    // log-consistency fails on this config with ELR on too: the power loss itself removes records from
    // an ISR member that is down (KIP-966 takes it out of the ISR when it registers again).
    properties: ['no-data-loss'],
  },
  {
    id: 'no-heartbeat-fencing',
    guard: 'the KRaft controller fences a broker whose heartbeats stopped (BrokerHeartbeatManager, KIP-841)',
    config: kraft1({ mechanisms: off('heartbeatFencing'), faults: { crashes: 1 } }),
    properties: ['eventually-leader'],
  },
  {
    id: 'no-broker-epoch-check',
    guard: 'AlterPartition carries broker epochs and stale ones are rejected (KIP-903)',
    config: kraft1({
      elr: true,
      mechanisms: off('brokerEpochCheck'),
      bounds: { partitionEpochs: 4, metadataRecords: 5 },
      faults: { crashes: 1, uncleanShutdowns: 1 },
    }),
    properties: ['no-data-loss'],
  },
  {
    id: 'no-check-quorum',
    guard: 'a KRaft quorum leader cut off from the majority resigns (KAFKA-15489)',
    // A split that leaves a broker beside the cut-off leader.
    config: { ...fixOf('kraft-split-brain'), mechanisms: off('checkQuorum') },
  },
  {
    id: 'no-last-known-leader-check',
    guard: 'KRaft with ELR elects the last known leader only if it is registered and unfenced (KAFKA-19522, Kafka 4.1)',
    // The only replica crashes, is fenced and registers again: its new registration is fenced.
    config: { ...fixOf('kafka-19522-fenced-last-known-leader'), mechanisms: off('lastKnownLeaderCheck') },
  },
];

export interface MutantResult {
  readonly mutant: Mutant;
  /** Properties that fail with the guard back too, so they cannot kill the mutant (not run on it). */
  readonly failWithoutMutation: readonly string[];
  /** The mutant's model (its config, under the rule it ran with) and the properties it was checked for. */
  readonly model: KafkaModel;
  readonly properties: readonly Property<ClusterState>[];
  readonly result: CheckResult;
  /** The property that killed it, with the shortest trace length. */
  readonly killedBy: { readonly property: string; readonly steps: number } | undefined;
}

/** The named properties, built for `cfg`. */
function named(cfg: ModelConfig, ids: readonly string[]): Property<ClusterState>[] {
  return ids.map((id) => {
    const p = defaultResolver(id, cfg);
    if (!p) throw new Error(`mutant names unknown property "${id}"`);
    return p;
  });
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
    const limits = opts.maxStates !== undefined ? { maxStates: opts.maxStates } : {};
    const run = (m: KafkaModel, ps: readonly Property<ClusterState>[], all: boolean): CheckResult =>
      ps.some((p) => p.kind === 'eventually')
        ? checkLiveness(m, ps, { ...KAFKA_LIVENESS_OPTIONS, ...limits, ...(all ? { stopOnViolation: false } : {}) })
        : check(m, ps, { ...limits, ...(all ? { stopOnViolation: false } : {}) });
    const propsFor = (c: ModelConfig): Property<ClusterState>[] => [
      ...(opts.properties?.(mutant) ?? (mutant.properties ? named(c, mutant.properties) : safetyFor(c))),
    ];
    // The baseline: the same config with the guard back. What fails there is not the mutant's doing.
    const baseCfg = resolveConfig(baselineConfig(mutant));
    const base = run(kafkaModel(baseCfg, opts.rule ?? clean), propsFor(baseCfg), true);
    const failWithoutMutation = base.outcomes.filter((o) => o.status === 'violated').map((o) => o.id);
    const model = kafkaModel(cfg, opts.rule ?? clean);
    const props = propsFor(cfg).filter((p) => !failWithoutMutation.includes(p.id));
    const result = run(model, props, false);
    const killedBy =
      result.kind === 'violation' && result.violation.path
        ? { property: result.violation.id, steps: result.violation.path.length - 1 }
        : undefined;
    const r = { mutant, failWithoutMutation, model, properties: props, result, killedBy };
    opts.onResult?.(r);
    return r;
  });
}
