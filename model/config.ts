/**
 * The Kafka model's configuration, named after Kafka's own settings where one exists, with every
 * problem reported at once by `validateConfig`.
 */

/** Truncation when a replica becomes a follower: pre-KIP-101 to its high watermark, or by leader epoch. */
export type Truncation = 'high-watermark' | 'leader-epoch';

/**
 * Safety mechanisms, each switchable so a user can see what it protects. All `true` is Kafka 2.x+.
 */
export interface Mechanisms {
  /**
   * ZK writes by the controller are conditional on the `/controller_epoch` znode version, and brokers
   * reject LeaderAndIsr with a controller epoch older than one they have seen
   * (KAFKA-6082, `KafkaZkClient.wrapRequestWithControllerEpochCheck`; `ReplicaManager.becomeLeaderOrFollower`).
   */
  readonly controllerEpochFencing: boolean;
  /**
   * Brokers apply a LeaderAndIsr for a partition only if its leader epoch is newer than theirs
   * (`ReplicaManager.becomeLeaderOrFollower`: `requestLeaderEpoch > currentLeaderEpoch`).
   */
  readonly leaderEpochFencing: boolean;
  /**
   * Partition-state writes are conditional on the znode version (zkVersion / partition epoch):
   * `KafkaZkClient.updateLeaderAndIsr`, and AlterPartition's partition-epoch check (KIP-497).
   */
  readonly zkVersionCheck: boolean;
  /** Offline elections choose only ISR members (off = any live replica may be chosen). */
  readonly isrOnlyElection: boolean;
  /**
   * Followers fetch with their current leader epoch and the leader rejects a mismatch (KIP-320,
   * `Partition.checkCurrentLeaderEpoch`).
   */
  readonly fetchEpochFencing: boolean;
  /**
   * The high watermark does not advance while the ISR is smaller than min.insync.replicas
   * (KAFKA-15583, part of KIP-966; `Partition.maybeIncrementLeaderHW`).
   */
  readonly strictMinIsr: boolean;
  /**
   * A follower may rejoin the ISR only once it has reached the leader's epoch start offset
   * (KAFKA-7128; `Partition.isFollowerInSync`).
   */
  readonly isrJoinRequiresCurrentEpoch: boolean;
}

/** How many faults of each kind a behaviour may contain (faults are adversarial, not fair). */
export interface FaultBudget {
  /** Process crashes: the broker stops; its log (page cache) survives. */
  readonly crashes: number;
  /** Unclean shutdowns (power loss): the broker stops and loses every record not yet flushed. */
  readonly uncleanShutdowns: number;
  /** Network partitions between brokers (each heals with `heal`). */
  readonly networkPartitions: number;
  /** Controller requests lost in flight. */
  readonly messageLosses: number;
  /** ZooKeeper session expiries of live brokers (zombies). */
  readonly sessionExpiries: number;
  /** Controlled shutdowns (`controlled.shutdown.enable`). */
  readonly controlledShutdowns: number;
  /** Admin preferred-leader elections (`kafka-leader-election.sh --election-type PREFERRED`). */
  readonly preferredElections: number;
}

/** Bounds that keep the state space finite. */
export interface Bounds {
  /** Records produced per partition. */
  readonly records: number;
  /** Highest leader epoch a partition may reach. */
  readonly leaderEpochs: number;
  /** Highest partition epoch (ZooKeeper znode version of the partition state): bounds ISR flapping. */
  readonly partitionEpochs: number;
  /** Highest controller epoch. */
  readonly controllerEpochs: number;
  /** Most controller requests in flight at once (a send beyond it is not taken). */
  readonly inFlight: number;
}

export interface ModelConfig {
  readonly mode: 'zk' | 'kraft';
  readonly brokers: number;
  readonly partitions: number;
  readonly replicationFactor: number;
  /** Replica list per partition (order matters: the first is the preferred replica). */
  readonly assignment: readonly (readonly number[])[];
  /** `min.insync.replicas`. */
  readonly minInsyncReplicas: number;
  /** Producer `acks`. */
  readonly acks: 'all' | '1';
  /** `unclean.leader.election.enable`. */
  readonly uncleanLeaderElection: boolean;
  /** Election rule by name (built-in or registered). */
  readonly electionRule: string;
  readonly truncation: Truncation;
  readonly mechanisms: Mechanisms;
  readonly faults: FaultBudget;
  readonly bounds: Bounds;
}

/** A partial config as a user writes it (every field optional, nested objects too). */
export type ConfigInput = {
  readonly [K in keyof ModelConfig]?: ModelConfig[K] extends readonly unknown[]
    ? ModelConfig[K]
    : ModelConfig[K] extends object
      ? Partial<ModelConfig[K]>
      : ModelConfig[K];
};

export const DEFAULT_MECHANISMS: Mechanisms = {
  controllerEpochFencing: true,
  leaderEpochFencing: true,
  zkVersionCheck: true,
  isrOnlyElection: true,
  fetchEpochFencing: true,
  strictMinIsr: true,
  isrJoinRequiresCurrentEpoch: true,
};

/**
 * The embedded default: ZooKeeper mode, 3 brokers, one partition with RF 3, min ISR 2, acks=all,
 * clean elections, leader-epoch truncation, one process crash and one network partition.
 */
export const DEFAULT_CONFIG: ModelConfig = {
  mode: 'zk',
  brokers: 3,
  partitions: 1,
  replicationFactor: 3,
  assignment: [[0, 1, 2]],
  minInsyncReplicas: 2,
  acks: 'all',
  uncleanLeaderElection: false,
  electionRule: 'clean',
  truncation: 'leader-epoch',
  mechanisms: DEFAULT_MECHANISMS,
  faults: {
    crashes: 1,
    uncleanShutdowns: 0,
    networkPartitions: 1,
    messageLosses: 0,
    sessionExpiries: 0,
    controlledShutdowns: 0,
    preferredElections: 0,
  },
  bounds: { records: 2, leaderEpochs: 3, partitionEpochs: 4, controllerEpochs: 2, inFlight: 12 },
};

/** Round-robin assignment as Kafka's `AdminUtils.assignReplicasToBrokers` does without racks (start 0, no shift). */
export function defaultAssignment(brokers: number, partitions: number, rf: number): number[][] {
  const out: number[][] = [];
  for (let p = 0; p < partitions; p++) {
    const rs: number[] = [];
    for (let r = 0; r < rf; r++) rs.push((p + r) % brokers);
    out.push(rs);
  }
  return out;
}

/** Fills a partial config from the defaults (the assignment is recomputed when its shape changes). */
export function resolveConfig(input: ConfigInput = {}, base: ModelConfig = DEFAULT_CONFIG): ModelConfig {
  const brokers = input.brokers ?? base.brokers;
  const partitions = input.partitions ?? base.partitions;
  const rf = input.replicationFactor ?? Math.min(base.replicationFactor, brokers);
  const shapeChanged = brokers !== base.brokers || partitions !== base.partitions || rf !== base.replicationFactor;
  const assignment = input.assignment ?? (shapeChanged ? defaultAssignment(brokers, partitions, rf) : base.assignment);
  return {
    mode: input.mode ?? base.mode,
    brokers,
    partitions,
    replicationFactor: rf,
    assignment: assignment.map((r) => [...r]),
    minInsyncReplicas: input.minInsyncReplicas ?? Math.min(base.minInsyncReplicas, rf),
    acks: input.acks ?? base.acks,
    uncleanLeaderElection: input.uncleanLeaderElection ?? base.uncleanLeaderElection,
    electionRule: input.electionRule ?? base.electionRule,
    truncation: input.truncation ?? base.truncation,
    mechanisms: { ...base.mechanisms, ...input.mechanisms },
    faults: { ...base.faults, ...input.faults },
    bounds: { ...base.bounds, ...input.bounds },
  };
}

/** Result of validation: the config, or every problem found. */
export type ConfigResult =
  { readonly ok: true; readonly value: ModelConfig } | { readonly ok: false; readonly errors: readonly string[] };

const intIn = (errors: string[], name: string, v: unknown, min: number, max: number): void => {
  if (typeof v !== 'number' || !Number.isInteger(v))
    errors.push(`${name} must be an integer (got ${JSON.stringify(v)})`);
  else if (v < min || v > max) errors.push(`${name} (${v}) must be between ${min} and ${max}`);
};

/**
 * Checks a resolved config and returns every problem, each naming the setting and the fix,
 * e.g. "min.insync.replicas (4) exceeds replication factor (3)".
 */
export function validateConfig(c: ModelConfig, knownRules: readonly string[] = []): ConfigResult {
  const errors: string[] = [];
  if (c.mode !== 'zk' && c.mode !== 'kraft')
    errors.push(`mode must be "zk" or "kraft" (got ${JSON.stringify(c.mode)})`);
  intIn(errors, 'brokers', c.brokers, 2, 5);
  intIn(errors, 'partitions', c.partitions, 1, 4);
  intIn(errors, 'replication factor', c.replicationFactor, 1, 5);
  if (Number.isInteger(c.replicationFactor) && Number.isInteger(c.brokers) && c.replicationFactor > c.brokers)
    errors.push(
      `replication factor (${c.replicationFactor}) exceeds the number of brokers (${c.brokers}); lower --replication-factor or add brokers`,
    );
  intIn(errors, 'min.insync.replicas', c.minInsyncReplicas, 1, 5);
  if (Number.isInteger(c.minInsyncReplicas) && c.minInsyncReplicas > c.replicationFactor)
    errors.push(
      `min.insync.replicas (${c.minInsyncReplicas}) exceeds replication factor (${c.replicationFactor}); every acks=all produce would fail with NotEnoughReplicas`,
    );
  if (c.acks !== 'all' && c.acks !== '1') errors.push(`acks must be "all" or "1" (got ${JSON.stringify(c.acks)})`);
  if (c.truncation !== 'high-watermark' && c.truncation !== 'leader-epoch')
    errors.push(
      `truncation must be "high-watermark" (pre-KIP-101) or "leader-epoch" (got ${JSON.stringify(c.truncation)})`,
    );
  if (knownRules.length && !knownRules.includes(c.electionRule))
    errors.push(`unknown election rule "${c.electionRule}"; known rules: ${knownRules.join(', ')}`);
  if (!Array.isArray(c.assignment) || c.assignment.length !== c.partitions)
    errors.push(
      `assignment must list ${c.partitions} partition(s) (got ${Array.isArray(c.assignment) ? c.assignment.length : 'none'})`,
    );
  else
    c.assignment.forEach((rs, p) => {
      if (!Array.isArray(rs) || rs.length !== c.replicationFactor)
        errors.push(
          `assignment of partition ${p} must have ${c.replicationFactor} replicas (got ${JSON.stringify(rs)})`,
        );
      else {
        if (new Set(rs).size !== rs.length)
          errors.push(`assignment of partition ${p} repeats a broker: ${JSON.stringify(rs)}`);
        for (const b of rs)
          if (!Number.isInteger(b) || b < 0 || b >= c.brokers)
            errors.push(
              `assignment of partition ${p} names broker ${JSON.stringify(b)}, but brokers are 0..${c.brokers - 1}`,
            );
      }
    });
  for (const [k, v] of Object.entries(c.faults)) intIn(errors, `faults.${k}`, v, 0, 5);
  intIn(errors, 'bounds.records', c.bounds.records, 0, 6);
  intIn(errors, 'bounds.leaderEpochs', c.bounds.leaderEpochs, 0, 8);
  intIn(errors, 'bounds.partitionEpochs', c.bounds.partitionEpochs, 0, 12);
  intIn(errors, 'bounds.controllerEpochs', c.bounds.controllerEpochs, 1, 6);
  intIn(errors, 'bounds.inFlight', c.bounds.inFlight, 1, 12);
  for (const [k, v] of Object.entries(c.mechanisms))
    if (typeof v !== 'boolean') errors.push(`mechanisms.${k} must be true or false (got ${JSON.stringify(v)})`);
  for (const k of Object.keys(c.mechanisms))
    if (!(k in DEFAULT_MECHANISMS))
      errors.push(`unknown mechanism "${k}"; known: ${Object.keys(DEFAULT_MECHANISMS).join(', ')}`);
  if (c.mode === 'kraft') errors.push('mode "kraft" is not implemented yet in this build; use --mode zk');
  return errors.length ? { ok: false, errors } : { ok: true, value: c };
}
