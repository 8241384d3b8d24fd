/**
 * The Kafka model's configuration, named after Kafka's own settings where one exists, with every
 * problem reported at once by `validateConfig`.
 */

/**
 * How a follower reconciles its log with its leader's:
 * - `high-watermark` (pre-KIP-101, Kafka ≤ 0.10): it truncates to its high watermark when it becomes a
 *   follower of a new leader (`ReplicaManager.makeFollowers`);
 * - `leader-epoch-offset` (KIP-101 alone, Kafka 0.11 to 1.1): one OffsetsForLeaderEpoch round whose
 *   answer is an offset only, before fetching;
 * - `leader-epoch` (KIP-279, Kafka 2.0 to 2.6): OffsetsForLeaderEpoch rounds whose answers name their
 *   epoch, until both sides agree, before fetching (`AbstractFetcherThread.truncateToEpochEndOffsets`);
 * - `diverging-epoch` (Kafka 2.7+, inter-broker protocol 2.7: KIP-595's mechanism applied to partitions):
 *   no truncation phase; every fetch carries the epoch of the follower's last record
 *   (`lastFetchedEpoch`), the leader checks it against its own epoch cache (`Partition.readRecords`) and,
 *   when the logs diverge, answers with the diverging epoch and its end offset instead of records; the
 *   follower truncates (`AbstractFetcherThread.truncateOnFetchResponse`) and fetches again.
 */
export type Truncation = 'high-watermark' | 'leader-epoch-offset' | 'leader-epoch' | 'diverging-epoch';

/** Every truncation mode, oldest first. */
export const TRUNCATIONS: readonly Truncation[] = [
  'high-watermark',
  'leader-epoch-offset',
  'leader-epoch',
  'diverging-epoch',
];

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
  /**
   * KRaft: Raft requests carry the sender's epoch and a voter ignores a leader of an older epoch
   * (KIP-595; `KafkaRaftClient.validateLeaderOnlyRequest` / `validateVoterOnlyRequest`: FENCED_LEADER_EPOCH).
   * Off: a voter keeps replicating from a deposed quorum leader.
   */
  readonly raftEpochFencing: boolean;
  /**
   * KRaft: a voter grants its vote only to a candidate whose metadata log is at least as up to date as
   * its own, comparing (last epoch, end offset) (KIP-595; `KafkaRaftClient.handleVoteRequest`).
   */
  readonly upToDateVoteCheck: boolean;
  /**
   * Broker epochs. ZooKeeper mode (KIP-380, Kafka 2.2+): control requests carry the addressee's broker
   * epoch and a restarted broker rejects a request meant for its previous incarnation
   * (`KafkaApis.isBrokerEpochStale`: STALE_BROKER_EPOCH); the controller tells a bounced broker by its
   * new epoch and handles it as a failure followed by a startup (`KafkaController.processBrokerChange`).
   * Off: a bounce between two broker-change events goes unnoticed and queued requests reach the new
   * process. KRaft mode: AlterPartition carries the leader's broker epoch and a broker epoch per ISR
   * member, and the controller rejects stale ones (KIP-903; `ClusterControlManager.checkBrokerEpoch`,
   * `ReplicationControlManager.ineligibleReplicasForIsr`: STALE_BROKER_EPOCH / INELIGIBLE_REPLICA).
   */
  readonly brokerEpochCheck: boolean;
  /**
   * ZooKeeper mode (KAFKA-7164, Kafka 2.1+): a LeaderAndIsr with a new leader epoch makes a follower
   * truncate and restart fetching even when its leader did not change (`Partition.makeFollower` returns
   * true on a new leader epoch). Off (Kafka ≤ 2.0): only a new leader does, so a follower keeps its log
   * and its fetch position across leader-epoch bumps of the same leader.
   */
  readonly truncateOnEveryLeaderEpoch: boolean;
  /**
   * ZooKeeper mode (KAFKA-3143, Kafka 2.3+): a new controller takes the replicas on dead brokers out of
   * the ISR at failover (`ReplicaStateMachine.startup` moves them to `OfflineReplica`). Off: only a
   * controller that processes a broker's failure removes it; replicas that died before the failover stay
   * in the ISR until their leader shrinks it.
   */
  readonly offlineReplicasOnFailover: boolean;
  /**
   * ZooKeeper mode (KIP-497, Kafka 2.7+): a leader's ISR expansion is an AlterPartition request answered
   * later. The catching-up fetch puts the leader in `PendingExpandIsr` (the follower already counts in its
   * maximal ISR) and `AlterPartitionManager` resends the request until a controller answers
   * (`Partition.prepareIsrExpand`, `submitAlterPartition`, `handleAlterPartitionError`), so the proposal
   * can outlive the follower's incarnation it was made for. Off (Kafka ≤ 2.6): the leader writes the
   * new ISR itself in the same step (`ZkAlterPartitionManager`, synchronous; the model routes that write
   * through the controller, with the same zkVersion condition), and nothing is ever pending.
   */
  readonly asyncAlterPartition: boolean;
  /**
   * KRaft: the active controller fences a broker whose heartbeat session expired
   * (`BrokerHeartbeatManager`, `ReplicationControlManager.maybeFenceOneStaleBroker`), which removes it
   * from every ISR and moves its leaderships (KIP-841). Off: a silent broker stays active.
   */
  readonly heartbeatFencing: boolean;
  /**
   * KRaft: check quorum (KAFKA-15489): a quorum leader that stops receiving fetches from a majority of
   * voters resigns after 1.5 × `controller.quorum.fetch.timeout.ms` (3 s), before any broker session
   * (`broker.session.timeout.ms`, 9 s) could expire, so it neither serves metadata nor acts as
   * controller while cut off. Off: a leader cut off from the majority keeps acting until it learns a
   * newer epoch (the split brain of KAFKA-15489).
   */
  readonly checkQuorum: boolean;
  /**
   * KRaft with ELR (KIP-966): the last known leader is elected (when ISR and ELR are both empty) only if
   * it is an acceptable leader — registered, unfenced, not shutting down
   * (`PartitionChangeBuilder.canElectLastKnownLeader` tests `isAcceptableLeader`; KAFKA-19522, fixed in
   * Kafka 4.1). Off (Kafka ≤ 4.0): `canElectLastKnownLeader` only logs that test and returns true, so a
   * fenced last known leader — e.g. one whose new registration after an unclean shutdown is still
   * fenced — is elected. Without ELR there is no last known leader and it changes nothing.
   */
  readonly lastKnownLeaderCheck: boolean;
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
  /**
   * Admin unclean elections (`kafka-leader-election.sh --election-type UNCLEAN`, KIP-460, Kafka 2.4+):
   * a leaderless partition may get a leader outside the ISR whatever unclean.leader.election.enable says.
   */
  readonly uncleanElections: number;
}

/** Bounds that keep the state space finite. */
export interface Bounds {
  /** Records produced per partition. */
  readonly records: number;
  /** Highest leader epoch a partition may reach. */
  readonly leaderEpochs: number;
  /** Highest partition epoch (ZooKeeper znode version of the partition state): bounds ISR flapping. */
  readonly partitionEpochs: number;
  /** Highest controller epoch (ZooKeeper mode). */
  readonly controllerEpochs: number;
  /** Highest Raft epoch of the KRaft controller quorum (the initial epoch is 1). */
  readonly raftEpochs: number;
  /**
   * Most controller records (registrations, fencing, partition changes) in one voter's metadata log;
   * the quorum's own LeaderChange records are not counted. A controller step beyond it is not taken.
   */
  readonly metadataRecords: number;
  /** Most controller requests in flight at once (a send beyond it is not taken). */
  readonly inFlight: number;
}

export interface ModelConfig {
  readonly mode: 'zk' | 'kraft';
  readonly brokers: number;
  /** KRaft: controller quorum size (`controller.quorum.voters`); voters are nodes separate from brokers. */
  readonly voters: number;
  /**
   * KRaft: Eligible Leader Replicas (KIP-966, `eligible.leader.replicas.version` / MV ≥ 4.0): ELR and
   * the last known leader are maintained, a replica with an unclean shutdown leaves ISR and ELR when it
   * re-registers, and the ISR may become empty.
   */
  readonly elr: boolean;
  /** KRaft: a candidate first asks for pre-votes and starts an election only if a majority would vote (KIP-996). */
  readonly preVote: boolean;
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
  /**
   * Logs reach the disk in the background, not only at a clean shutdown or restart: a `flush` step of a
   * running broker writes one partition's whole log (`LogManager.flushDirtyLogs` → `UnifiedLog.flush`,
   * and the OS page cache's writeback, which Kafka relies on: `log.flush.interval.*` are unbounded by
   * default). Replicas then lose different suffixes on power loss. Off (default): a power loss takes
   * every record written since the broker last started or shut down cleanly.
   */
  readonly backgroundFlush: boolean;
  /**
   * Most records one fetch response carries (the model's `replica.fetch.max.bytes`, counted in records);
   * 0 (default): a response carries the leader's whole log past the fetch offset. With a limit a
   * follower catches up over several fetches, and the leader judges ISR membership by the fetch offset
   * of a follower that is still behind its log end (the partial fetch of KAFKA-7128).
   */
  readonly fetchMaxRecords: number;
  readonly mechanisms: Mechanisms;
  readonly faults: FaultBudget;
  /**
   * Which network splits a `partition-network` fault may make: `any` division of the nodes into two
   * sides, or `one-node` (a single broker or voter cut off from all others). With 3 brokers in
   * ZooKeeper mode both are the same 3 splits; with 3 brokers and 3 voters `any` is 31 splits, `one-node` 6.
   */
  readonly networkSplits: 'any' | 'one-node';
  /**
   * ZooKeeper mode: a `partition-network` fault also puts ZooKeeper on one side (the side holding a
   * majority of the ensemble), so the brokers on the other side lose their sessions once
   * `zookeeper.session.timeout.ms` passes (an `expire-session` step without budget) and a controller
   * or leader there can fail over without a crash. Off (default, to keep the state space small): a split
   * cuts broker-to-broker links only and every broker keeps ZooKeeper (a partial partition).
   */
  readonly splitZooKeeper: boolean;
  /**
   * `auto.leader.rebalance.enable`: the controller moves leadership back to preferred replicas
   * (ZooKeeper mode: `KafkaController.checkAndTriggerAutoLeaderRebalance`, for a broker whose share of
   * partitions led by another exceeds `leaderImbalancePercentage`; KRaft:
   * `ReplicationControlManager.maybeBalancePartitionLeaders`, for every imbalanced partition). Kafka's
   * default is true; the model's is false, since each rebalance is one more controller step in every
   * state where leadership has moved.
   */
  readonly autoLeaderRebalance: boolean;
  /**
   * `leader.imbalance.per.broker.percentage` (default 10), ZooKeeper mode only: a broker's partitions
   * are rebalanced when more than this percentage of those it is preferred for are led by another.
   * KRaft's controller does not read it.
   */
  readonly leaderImbalancePercentage: number;
  readonly bounds: Bounds;
  /**
   * Set only on the one-partition cluster that `projectConfig` (model/projection.ts) cuts out of a
   * multi-partition cluster: what the other partitions' steps can do to the state this cluster shares
   * with them.
   */
  readonly environment?: PartitionEnvironment;
}

/**
 * The other partitions of a projected cluster, as far as the shared state sees them. ZooKeeper mode: a
 * LeaderAndIsr request about one of them raises the broker's `ReplicaManager.controllerEpoch`, which
 * fences requests about every partition (`other-partition-request`). KRaft mode: their records take
 * offsets in the shared metadata log (`other-partition-record`).
 */
export interface PartitionEnvironment {
  /** The partition's index in the full cluster. */
  readonly partition: number;
  /** Brokers that host a replica of another partition (bitmask). */
  readonly hosts: number;
  /** How many other partitions there are. */
  readonly others: number;
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
  raftEpochFencing: true,
  upToDateVoteCheck: true,
  brokerEpochCheck: true,
  truncateOnEveryLeaderEpoch: true,
  offlineReplicasOnFailover: true,
  asyncAlterPartition: true,
  heartbeatFencing: true,
  checkQuorum: true,
  lastKnownLeaderCheck: true,
};

/**
 * The controller modes each mechanism exists in: ZooKeeper mode's controller fencing has no KRaft
 * counterpart, the Raft and broker-registration checks none in ZooKeeper mode, and the partition data
 * plane (fetch, ISR, high watermark) is shared. Switching off a mechanism the mode lacks is a config
 * error, and arbitraries and mutants draw only the mode's own.
 */
export const MECHANISM_MODES: { readonly [K in keyof Mechanisms]: readonly ('zk' | 'kraft')[] } = {
  controllerEpochFencing: ['zk'],
  leaderEpochFencing: ['zk'],
  zkVersionCheck: ['zk', 'kraft'],
  isrOnlyElection: ['zk', 'kraft'],
  fetchEpochFencing: ['zk', 'kraft'],
  strictMinIsr: ['zk', 'kraft'],
  isrJoinRequiresCurrentEpoch: ['zk', 'kraft'],
  raftEpochFencing: ['kraft'],
  upToDateVoteCheck: ['kraft'],
  brokerEpochCheck: ['zk', 'kraft'],
  truncateOnEveryLeaderEpoch: ['zk'],
  offlineReplicasOnFailover: ['zk'],
  asyncAlterPartition: ['zk'],
  heartbeatFencing: ['kraft'],
  checkQuorum: ['kraft'],
  lastKnownLeaderCheck: ['kraft'],
};

/** The mechanisms that exist in `mode`, in declaration order. */
export function mechanismsOf(mode: 'zk' | 'kraft'): (keyof Mechanisms)[] {
  return (Object.keys(MECHANISM_MODES) as (keyof Mechanisms)[]).filter((k) => MECHANISM_MODES[k].includes(mode));
}

/** The bounds that exist in `mode` (controller epochs and in-flight requests are ZooKeeper mode's; Raft epochs and metadata records KRaft's). */
export const BOUND_MODES: { readonly [K in keyof Bounds]: readonly ('zk' | 'kraft')[] } = {
  records: ['zk', 'kraft'],
  leaderEpochs: ['zk', 'kraft'],
  partitionEpochs: ['zk', 'kraft'],
  controllerEpochs: ['zk'],
  raftEpochs: ['kraft'],
  metadataRecords: ['kraft'],
  inFlight: ['zk'],
};

/** A budget of no faults at all: what a budget that allows a few kinds of fault starts from. */
export const NO_FAULTS: FaultBudget = {
  crashes: 0,
  uncleanShutdowns: 0,
  networkPartitions: 0,
  messageLosses: 0,
  sessionExpiries: 0,
  controlledShutdowns: 0,
  preferredElections: 0,
  uncleanElections: 0,
};

/**
 * The embedded default: ZooKeeper mode, 3 brokers, one partition with RF 3, min ISR 2, acks=all,
 * clean elections, leader-epoch truncation, one process crash and one network partition.
 */
export const DEFAULT_CONFIG: ModelConfig = {
  mode: 'zk',
  brokers: 3,
  voters: 3,
  elr: false,
  preVote: false,
  partitions: 1,
  replicationFactor: 3,
  assignment: [[0, 1, 2]],
  minInsyncReplicas: 2,
  acks: 'all',
  uncleanLeaderElection: false,
  electionRule: 'clean',
  truncation: 'diverging-epoch',
  backgroundFlush: false,
  fetchMaxRecords: 0,
  mechanisms: DEFAULT_MECHANISMS,
  faults: { ...NO_FAULTS, crashes: 1, networkPartitions: 1 },
  networkSplits: 'any',
  splitZooKeeper: false,
  autoLeaderRebalance: false,
  leaderImbalancePercentage: 10,
  bounds: {
    records: 2,
    leaderEpochs: 3,
    partitionEpochs: 4,
    controllerEpochs: 2,
    raftEpochs: 3,
    metadataRecords: 4,
    inFlight: 12,
  },
};

/**
 * The KRaft default (`kafka-mc check --mode kraft`): 3 brokers and a separate quorum of 3 controller
 * voters, one partition with RF 3, min ISR 2, acks=all, clean elections, ELR off, pre-vote on, one
 * crash (a broker or a voter) and one network partition cutting off one node (broker or voter). Bounds
 * are smaller than ZooKeeper mode's (one record, leader epochs ≤ 2, Raft epochs ≤ 2) so that it checks
 * exhaustively in seconds.
 */
export const DEFAULT_KRAFT_CONFIG: ModelConfig = {
  ...DEFAULT_CONFIG,
  mode: 'kraft',
  voters: 3,
  preVote: true,
  networkSplits: 'one-node',
  bounds: {
    ...DEFAULT_CONFIG.bounds,
    records: 1,
    leaderEpochs: 2,
    partitionEpochs: 3,
    raftEpochs: 2,
    metadataRecords: 3,
  },
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

/**
 * Fills a partial config from the defaults (the assignment is recomputed when its shape changes). The
 * base defaults to `DEFAULT_KRAFT_CONFIG` when the input asks for KRaft mode, else `DEFAULT_CONFIG`.
 */
export function resolveConfig(
  input: ConfigInput = {},
  base: ModelConfig = input.mode === 'kraft' ? DEFAULT_KRAFT_CONFIG : DEFAULT_CONFIG,
): ModelConfig {
  const brokers = input.brokers ?? base.brokers;
  const partitions = input.partitions ?? base.partitions;
  const rf = input.replicationFactor ?? Math.min(base.replicationFactor, brokers);
  const shapeChanged = brokers !== base.brokers || partitions !== base.partitions || rf !== base.replicationFactor;
  const assignment = input.assignment ?? (shapeChanged ? defaultAssignment(brokers, partitions, rf) : base.assignment);
  return {
    mode: input.mode ?? base.mode,
    brokers,
    voters: input.voters ?? base.voters,
    elr: input.elr ?? base.elr,
    preVote: input.preVote ?? base.preVote,
    partitions,
    replicationFactor: rf,
    assignment: assignment.map((r) => [...r]),
    minInsyncReplicas: input.minInsyncReplicas ?? Math.min(base.minInsyncReplicas, rf),
    acks: input.acks ?? base.acks,
    uncleanLeaderElection: input.uncleanLeaderElection ?? base.uncleanLeaderElection,
    electionRule: input.electionRule ?? base.electionRule,
    truncation: input.truncation ?? base.truncation,
    backgroundFlush: input.backgroundFlush ?? base.backgroundFlush,
    fetchMaxRecords: input.fetchMaxRecords ?? base.fetchMaxRecords,
    mechanisms: { ...base.mechanisms, ...input.mechanisms },
    faults: { ...base.faults, ...input.faults },
    networkSplits: input.networkSplits ?? base.networkSplits,
    splitZooKeeper: input.splitZooKeeper ?? base.splitZooKeeper,
    autoLeaderRebalance: input.autoLeaderRebalance ?? base.autoLeaderRebalance,
    leaderImbalancePercentage: input.leaderImbalancePercentage ?? base.leaderImbalancePercentage,
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

/** The values each bound may take (`[min, max]`), as `validateConfig` checks them. */
export const BOUND_RANGE: { readonly [K in keyof Bounds]: readonly [number, number] } = {
  records: [0, 6],
  leaderEpochs: [0, 8],
  partitionEpochs: [0, 12],
  controllerEpochs: [1, 6],
  inFlight: [1, 12],
  raftEpochs: [1, 8],
  metadataRecords: [0, 12],
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
  if (!TRUNCATIONS.includes(c.truncation))
    errors.push(
      `truncation must be "high-watermark" (pre-KIP-101), "leader-epoch-offset" (KIP-101 without KIP-279), "leader-epoch" (KIP-279) or "diverging-epoch" (Kafka 2.7+) (got ${JSON.stringify(c.truncation)})`,
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
  for (const k of Object.keys(BOUND_RANGE) as (keyof Bounds)[])
    intIn(errors, `bounds.${k}`, c.bounds[k], BOUND_RANGE[k][0], BOUND_RANGE[k][1]);
  intIn(errors, 'fetchMaxRecords', c.fetchMaxRecords, 0, 6);
  if (c.networkSplits !== 'any' && c.networkSplits !== 'one-node')
    errors.push(`networkSplits must be "any" or "one-node" (got ${JSON.stringify(c.networkSplits)})`);
  if (typeof c.elr !== 'boolean') errors.push(`elr must be true or false (got ${JSON.stringify(c.elr)})`);
  if (typeof c.backgroundFlush !== 'boolean')
    errors.push(`backgroundFlush must be true or false (got ${JSON.stringify(c.backgroundFlush)})`);
  if (typeof c.preVote !== 'boolean') errors.push(`preVote must be true or false (got ${JSON.stringify(c.preVote)})`);
  if (typeof c.autoLeaderRebalance !== 'boolean')
    errors.push(`autoLeaderRebalance must be true or false (got ${JSON.stringify(c.autoLeaderRebalance)})`);
  intIn(errors, 'leaderImbalancePercentage', c.leaderImbalancePercentage, 0, 100);
  if (typeof c.splitZooKeeper !== 'boolean')
    errors.push(`splitZooKeeper must be true or false (got ${JSON.stringify(c.splitZooKeeper)})`);
  if (c.mode === 'kraft') {
    if (c.voters !== 1 && c.voters !== 3 && c.voters !== 5)
      errors.push(
        `voters (${JSON.stringify(c.voters)}) must be 1, 3 or 5: a KRaft controller quorum has an odd number of voters (controller.quorum.voters)`,
      );
    else if (Number.isInteger(c.brokers) && c.brokers + c.voters > 8)
      errors.push(
        `brokers + voters (${c.brokers} + ${c.voters}) must be at most 8 (each is a node of the network split); use fewer brokers or voters`,
      );
    if (c.splitZooKeeper === true)
      errors.push(
        'splitZooKeeper applies to ZooKeeper mode only (KRaft splits already cut brokers from controller voters); drop --split-zookeeper',
      );
    if (c.leaderImbalancePercentage !== DEFAULT_CONFIG.leaderImbalancePercentage)
      errors.push(
        'leaderImbalancePercentage (leader.imbalance.per.broker.percentage) applies to ZooKeeper mode only: the KRaft controller rebalances every partition not led by its preferred replica; drop --leader-imbalance-percentage',
      );
    if (c.faults.messageLosses > 0)
      errors.push(
        'faults.messageLosses applies to ZooKeeper mode only (KRaft requests are modelled as atomic request-response steps); set it to 0',
      );
    if (c.elr === false && c.mechanisms.lastKnownLeaderCheck === false)
      errors.push(
        'mechanisms.lastKnownLeaderCheck exists only with Eligible Leader Replicas (KIP-966): without ELR there is no last known leader to elect, so switching it off changes nothing; add --elr or leave the check on',
      );
  } else {
    if (c.elr === true)
      errors.push('elr (Eligible Leader Replicas, KIP-966) exists only in KRaft mode; use --mode kraft or drop --elr');
    if (c.preVote === true) errors.push('preVote (KIP-996) exists only in KRaft mode; use --mode kraft');
  }
  for (const [k, v] of Object.entries(c.mechanisms))
    if (typeof v !== 'boolean') errors.push(`mechanisms.${k} must be true or false (got ${JSON.stringify(v)})`);
  for (const k of Object.keys(c.mechanisms))
    if (!(k in DEFAULT_MECHANISMS))
      errors.push(`unknown mechanism "${k}"; known: ${Object.keys(DEFAULT_MECHANISMS).join(', ')}`);
  if (c.mode === 'zk' || c.mode === 'kraft')
    for (const [k, v] of Object.entries(c.mechanisms)) {
      const modes = MECHANISM_MODES[k as keyof Mechanisms] as readonly string[] | undefined;
      if (v === false && modes && !modes.includes(c.mode))
        errors.push(
          `mechanisms.${k} exists only in ${modes.includes('zk') ? 'ZooKeeper' : 'KRaft'} mode, so switching it off changes nothing in ${c.mode === 'zk' ? 'ZooKeeper' : 'KRaft'} mode; drop it or use --mode ${modes.includes('zk') ? 'zk' : 'kraft'}`,
        );
    }
  return errors.length ? { ok: false, errors } : { ok: true, value: c };
}
