import type { ConfigInput } from '../config.js';

/**
 * Known Kafka failure scenarios, each a reproducible model-checking run: the configuration (a preset of
 * switches plus small bounds) that exposes it, the property it violates, the length of the shortest
 * counterexample (BFS), and the configuration that fixes it on the same bounds.
 */
export interface CatalogEntry {
  /** Stable kebab-case id. */
  readonly id: string;
  readonly title: string;
  /** Kafka JIRAs and KIPs that describe the failure or its fix. */
  readonly references: readonly string[];
  /** What happens, in Kafka's words. */
  readonly description: string;
  /** The exposing configuration (over the embedded default). */
  readonly config: ConfigInput;
  /** Property id the failure violates. */
  readonly property: string;
  /** Steps in the shortest counterexample. */
  readonly expectedSteps: number;
  /** The configuration that fixes it, checked exhaustively on the same bounds. */
  readonly fixedBy?: { readonly description: string; readonly config: ConfigInput };
  /** Where the scenario comes from: a KAFKA- ticket or KIP, a Kafka unit test, a TLA+ spec, or kafka-mc itself. */
  readonly source: string;
  /** What the model abstracts in this scenario (so a reader knows what the trace does not show). */
  readonly abstracts: string;
  /**
   * The same scenario in a public TLA+ spec, as TLC reports it (`bench/results/tla-specs.md`): the spec and
   * configuration, TLC's verdict and trace length, and the spec's steps Kafka would not take.
   */
  readonly tla?: { readonly spec: string; readonly tlc: string; readonly kafkaWouldNot?: string };
}

/** KRaft mode, one voter (the quorum out of the way), one record, one unclean shutdown, room for the re-registration. */
const kraftLastReplica = {
  mode: 'kraft',
  voters: 1,
  minInsyncReplicas: 1,
  bounds: { records: 1, leaderEpochs: 3, partitionEpochs: 4, metadataRecords: 5 },
  faults: { networkPartitions: 0, crashes: 0, uncleanShutdowns: 1 },
} as const;
/**
 * KRaft with ELR, one voter, two brokers and p0 on b0 alone (RF 1, min ISR 1), no records, one crash:
 * the smallest cluster whose only replica becomes the last known leader.
 */
export const KRAFT_LAST_KNOWN_LEADER = {
  mode: 'kraft',
  elr: true,
  voters: 1,
  brokers: 2,
  replicationFactor: 1,
  minInsyncReplicas: 1,
  bounds: { records: 0 },
  faults: { networkPartitions: 0, crashes: 1 },
} as const;
/** KRaft mode, three voters, no partition data: two voter crashes and a session expiry. */
const kraftVotes = {
  mode: 'kraft',
  bounds: { records: 0 },
  faults: { sessionExpiries: 1, crashes: 2, networkPartitions: 0 },
} as const;

const twoCrashes = { bounds: { records: 1, leaderEpochs: 2 }, faults: { networkPartitions: 0, crashes: 2 } } as const;
/**
 * KIP-101's second scenario: two replicas (b1, b2) of p0, a controller (b0) that stays up and is never
 * replaced, acks=1 as Kafka 0.10's producer default, logs flushed in the background, two power losses.
 */
const twoPowerLosses = {
  brokers: 3,
  replicationFactor: 2,
  assignment: [[1, 2]],
  acks: '1',
  backgroundFlush: true,
  bounds: { records: 2, leaderEpochs: 3, controllerEpochs: 1 },
  faults: { networkPartitions: 0, crashes: 0, uncleanShutdowns: 2 },
} as const;
/**
 * b1 leads p0 with followers b2 and b0; b0 is also the controller and is never replaced (controller
 * epochs ≤ 1). One crash, one admin preferred election (which moves leadership back to b1), two records.
 */
const leaderComesBack = {
  assignment: [[1, 2, 0]],
  bounds: { records: 2, leaderEpochs: 2, controllerEpochs: 1 },
  faults: { networkPartitions: 0, crashes: 1, preferredElections: 1 },
} as const;
/** As `leaderComesBack` without the preferred election, and fetch responses of one record each. */
const partialFetches = {
  assignment: [[1, 2, 0]],
  fetchMaxRecords: 1,
  bounds: { records: 2, leaderEpochs: 2, controllerEpochs: 1 },
  faults: { networkPartitions: 0, crashes: 1 },
} as const;
/**
 * b1 leads p0 with followers b2 and b0 (the controller, never replaced); two crashes, two records, room
 * for three leader epochs and three partition-state writes.
 */
const fastFailover = {
  assignment: [[1, 2, 0]],
  bounds: { records: 2, leaderEpochs: 2, partitionEpochs: 3, controllerEpochs: 1 },
  faults: { networkPartitions: 0, crashes: 2 },
} as const;
/** KRaft mode, three voters, no partition data, one network split that may put brokers and voters on either side. */
const kraftSplit = {
  mode: 'kraft',
  networkSplits: 'any',
  bounds: { records: 0 },
  faults: { crashes: 0, networkPartitions: 1 },
} as const;
/** b1 leads p0 with followers b2 and b0 (the controller, never replaced); one record, one power loss. */
const pendingExpansionPowerLoss = {
  assignment: [[1, 2, 0]],
  bounds: { records: 1, controllerEpochs: 1 },
  faults: { crashes: 0, networkPartitions: 0, uncleanShutdowns: 1 },
} as const;
/** The default cluster (min.insync.replicas=2, acks=all) with one power loss and nothing else. */
const onePowerLoss = {
  bounds: { records: 1 },
  faults: { networkPartitions: 0, crashes: 0, uncleanShutdowns: 1 },
} as const;

/** KIP-101's first scenario with two brokers: b1 leads p0, b0 follows and is the controller. */
function twoBrokers(truncation: 'high-watermark' | 'diverging-epoch'): ConfigInput {
  return {
    brokers: 2,
    replicationFactor: 2,
    assignment: [[1, 0]],
    minInsyncReplicas: 1,
    truncation,
    bounds: { records: 1 },
    faults: { networkPartitions: 0, crashes: 2 },
  };
}
/** Vanlightly's KRaft 3.5 last-replica-standing configuration: 2 brokers, RF 2, min ISR 2, one power loss. */
function kraft35(version: 'v3.5' | 'kip-966'): ConfigInput {
  return {
    mode: 'kraft',
    voters: 1,
    brokers: 2,
    replicationFactor: 2,
    minInsyncReplicas: 2,
    elr: version === 'kip-966',
    mechanisms: { strictMinIsr: version === 'kip-966' },
    bounds: { records: 1 },
    faults: { crashes: 0, networkPartitions: 0, uncleanShutdowns: 1 },
  };
}

export const CATALOG: readonly CatalogEntry[] = [
  {
    id: 'kip-101-hw-truncation',
    title: 'Pre-KIP-101 high-watermark truncation loses an acknowledged record',
    references: ['KAFKA-1211', 'KIP-101'],
    source: 'KIP-101 scenario 1 (KAFKA-1211)',
    abstracts:
      'no clocks: a broker may fail at any point, and the follower learns the high watermark one fetch late; the controller is one of the brokers',
    tla: {
      spec: 'hachikuji/kafka-specification KafkaTruncateToHighWatermark, 3 replicas, StrongIsr',
      tlc: 'violated, 9-state trace',
      kafkaWouldNot:
        "the spec's controller shrinks the ISR and elects a leader without any broker failing, and a leader's high watermark rises without a fetch; Kafka needs the crashes kafka-mc takes",
    },
    description:
      'A follower learns the leader’s high watermark one fetch after the fetch that moved it (`Partition.readRecords` answers with the high watermark before `updateFollowerFetchState`), so after r1 is acknowledged both followers still have high watermark 0. The leader fails; the controller elects b1, and b2, becoming b1’s follower, truncates to its stale high watermark and loses r1 (pre-KIP-101 `ReplicaManager.makeFollowers`). b1 then fails and b2, still in the ISR, is elected: the acknowledged record is gone.',
    config: { ...twoCrashes, truncation: 'high-watermark' },
    property: 'no-data-loss',
    expectedSteps: 14,
    fixedBy: {
      description: 'leader-epoch truncation (KIP-101/KIP-279)',
      config: { ...twoCrashes, truncation: 'leader-epoch' },
    },
  },
  {
    id: 'kip-101-divergence',
    title: 'Pre-KIP-101 replicas diverge after both lose power',
    references: ['KIP-101 (replica divergence on restart after multiple hard failures)', 'KAFKA-1211'],
    source: 'KIP-101 scenario 2',
    abstracts:
      'a flush writes a partition’s whole log (`--background-flush`); a power loss takes every unflushed record',
    description:
      'Leader b1 writes r1 and flushes it; follower b2 fetches it (the high watermark covers it on both) but has not flushed it, and b1 writes its high-watermark checkpoint. Both lose power: b1 keeps r1 and restarts with high watermark 1 from its checkpoint, b2 keeps nothing. With both down the partition goes offline; b2 comes back first and, still the ISR’s last member, is elected (leader epoch 2) with an empty log and takes r2 at offset 0; b1 becomes its follower and truncates to its own high watermark, which still covers r1. The two replicas now hold different records at offset 0 for good, and b1 fetches on from offset 1. With leader-epoch truncation b1 learns where epoch 0 ends on b2 (offset 0) and truncates r1 away.',
    config: { ...twoPowerLosses, truncation: 'high-watermark' },
    property: 'log-matching',
    expectedSteps: 18,
    fixedBy: {
      description: 'leader-epoch truncation (KIP-101/KIP-279)',
      config: { ...twoPowerLosses, truncation: 'leader-epoch' },
    },
  },
  {
    id: 'unclean-election',
    title: 'unclean.leader.election.enable=true loses acknowledged data',
    references: ['KIP-106', 'PartitionLeaderElectionAlgorithms.offlinePartitionLeaderElection'],
    source: 'KIP-106 (unclean.leader.election.enable defaults to false)',
    abstracts: 'an election chooses among the replicas the controller believes live',
    description:
      'Every ISR member is down; the controller elects a live replica outside the ISR that never received an acknowledged record. Followers truncate to the new leader and the record is lost.',
    config: { ...twoCrashes, uncleanLeaderElection: true },
    property: 'no-data-loss',
    expectedSteps: 10,
    fixedBy: {
      description: 'unclean.leader.election.enable=false (the default since Kafka 0.11, KIP-106)',
      config: { ...twoCrashes, uncleanLeaderElection: false },
    },
  },
  {
    id: 'acks-1',
    title: 'acks=1 loses an acknowledged record on failover',
    references: ['KAFKA-20554 (documentation)', 'Partition.appendRecordsToLeader'],
    source: 'Kafka’s producer documentation (acks=1)',
    abstracts: 'one record per produce request',
    description:
      'With acks=1 the leader acknowledges a record as soon as it is in its own log; the leader fails before any follower fetched it and a follower becomes leader without it.',
    config: { acks: '1', bounds: { records: 1, leaderEpochs: 2 }, faults: { networkPartitions: 0 } },
    property: 'no-data-loss',
    expectedSteps: 6,
    fixedBy: {
      description: 'acks=all with min.insync.replicas=2',
      config: { acks: 'all', bounds: { records: 1, leaderEpochs: 2 }, faults: { networkPartitions: 0 } },
    },
  },
  {
    id: 'last-replica-standing',
    title: 'Last replica standing: an unclean shutdown of the only ISR member loses acknowledged data',
    references: ['KIP-966', 'KAFKA-15583'],
    source: 'KIP-966 (motivation: the last replica standing)',
    abstracts: 'a power loss takes every unflushed record; min.insync.replicas=1 lets the leader alone acknowledge',
    description:
      'The ISR has shrunk to the leader alone (min.insync.replicas=1 lets it acknowledge); the leader loses power and with it the unflushed tail of its log, restarts, and — still the only ISR member — leads again with a shorter log. ZooKeeper mode has no protection; KRaft fixes it with Eligible Leader Replicas and unclean-shutdown detection (KIP-966): see last-replica-standing-kraft.',
    config: {
      minInsyncReplicas: 1,
      bounds: { records: 1, leaderEpochs: 3 },
      faults: { networkPartitions: 0, crashes: 1, uncleanShutdowns: 1 },
    },
    property: 'no-data-loss',
    expectedSteps: 7,
  },
  {
    id: 'zombie-controller',
    title: 'Without controller-epoch fencing a zombie controller changes partition state',
    references: ['KAFKA-6082', 'KafkaZkClient.wrapRequestWithControllerEpochCheck'],
    source: 'KAFKA-6082',
    abstracts: 'ZooKeeper is one linearizable store; a session expiry is one step',
    description:
      'The controller loses its ZooKeeper session, another broker becomes controller, and the old one — reconnected and still believing it is in charge — writes a leader election to ZooKeeper. In the model that write is still conditional on the partition’s zkVersion (which the zombie re-reads), and brokers order LeaderAndIsr by leader epoch, so with those checks on the zombie neither makes two leaders of one epoch nor loses an acknowledged record (exhaustively: 1,362,008 states with a record, leader epochs ≤ 3 and the session expiry); its writes themselves are the violation. Kafka’s other controller writes (reassignment, topic deletion, ISR-change notifications) had no zkVersion to fall back on, which is why KAFKA-6082 made every write a multi-op on /controller_epoch. Switch the zkVersion check off too and the zombie rolls a partition’s leader epoch back (epoch-monotonic in 5 steps) and an acknowledged record is lost (no-data-loss in 9, one record, leader epochs ≤ 2) — the same as with only the zkVersion check off.',
    config: {
      mechanisms: { controllerEpochFencing: false },
      bounds: { records: 0, leaderEpochs: 2 },
      faults: { networkPartitions: 0, crashes: 0, sessionExpiries: 1 },
    },
    property: 'single-controller',
    expectedSteps: 5,
    fixedBy: {
      description: 'controller-epoch fencing (conditional ZooKeeper multi-op on /controller_epoch)',
      config: {
        bounds: { records: 0, leaderEpochs: 2 },
        faults: { networkPartitions: 0, crashes: 0, sessionExpiries: 1 },
      },
    },
  },
  {
    id: 'controller-leader-power-loss',
    title: 'ZooKeeper mode: a leader that is also the controller loses power and leads again in the same leader epoch',
    references: [
      'KafkaController.onControllerFailover',
      'PartitionStateMachine.initializePartitionState',
      'KIP-380',
      'KIP-966',
    ],
    source: 'found by kafka-mc',
    abstracts: 'the controller is one of the brokers, so it can be the leader that loses power',
    description:
      'Found by kafka-mc. b0 is controller and leader; r1 is acknowledged with ISR {0,2} (min.insync.replicas=2). b0 loses power, and with it the unflushed r1, and restarts before any other broker takes the /controller znode. It wins the controller election, and its failover finds the partition’s leader (itself) alive, so it elects no one (initializePartitionState: a live leader means OnlinePartition) and sends itself LeaderAndIsr with the old leader epoch 0. b0 leads epoch 0 again with an empty log: r1 is gone, and b2 cannot tell (same epoch). Had another controller seen the bounce, KIP-380 would have handled it as a failure and elected a new leader epoch. KRaft mode is safe on the same bounds: the controller quorum outlives the broker, a restarted broker may register again only once its previous incarnation is fenced (ClusterControlManager.registerBroker), and fencing moves its leaderships to a new leader epoch (KIP-841).',
    config: onePowerLoss,
    property: 'no-data-loss',
    expectedSteps: 8,
    fixedBy: {
      description: 'KRaft mode (one controller voter, same faults and record bound)',
      config: { ...onePowerLoss, mode: 'kraft', voters: 1 },
    },
  },
  {
    id: 'zk-stale-isr-expansion',
    title:
      'ZooKeeper mode: an ISR expansion proposed before a follower’s power loss commits after it, and the high watermark passes a record the follower lost',
    references: [
      'Partition.prepareIsrExpand',
      'Partition.addBrokerEpochToIsr',
      'KafkaController.processAlterPartition',
      'KIP-497',
      'KIP-903',
    ],
    source: 'found by kafka-mc',
    abstracts:
      'how long the AlterPartition waits (AlterPartitionManager resends it until a controller answers) is any number of steps: a leader cut off from the controller, or a slow controller',
    description:
      'Found by kafka-mc. b1 leads p0 alone (ISR {1}, min.insync.replicas=2) with r1 unacknowledged. b2 fetches r1 and, caught up, makes b1 propose ISR {1,2}: b1 is in PendingExpandIsr, b2 already in its maximal ISR. Before the controller answers, b2 loses power and with it the unflushed r1, restarts and registers again, and the controller, which never had b2 in the ISR, changes nothing for p0. Then the AlterPartition reaches it: the leader and partition epochs match and b2 is live, so it commits ISR {1,2}; b1 counts b2’s fetch position from before the power loss and moves its high watermark past r1, which only b1 holds, and acknowledges it. KIP-903 closed this in KRaft mode (AlterPartition carries each new member’s broker epoch from its fetch, and the controller rejects a stale one), but a ZooKeeper-mode leader sends broker epoch -1 for every member (Partition.addBrokerEpochToIsr) and the ZooKeeper controller checks none. Kafka ≤ 2.6, whose leader wrote the ISR in the fetch’s step, had no such window.',
    config: pendingExpansionPowerLoss,
    property: 'hw-never-passes-isr',
    expectedSteps: 11,
    fixedBy: {
      description:
        'KRaft mode with KIP-903 broker epochs in AlterPartition (one controller voter, same faults and record bound)',
      config: {
        mode: 'kraft',
        voters: 1,
        assignment: [[1, 2, 0]],
        bounds: { records: 1 },
        faults: pendingExpansionPowerLoss.faults,
      },
    },
  },
  {
    id: 'stale-leader-and-isr',
    title:
      'Without the leader-epoch check a delayed LeaderAndIsr rolls the leader’s ISR back, and it commits without an ISR member',
    references: ['ReplicaManager.becomeLeaderOrFollower (requestLeaderEpoch > currentLeaderEpoch)', 'KIP-497'],
    source: 'found by kafka-mc (mutant no-leader-epoch-fencing); ReplicaManager.becomeLeaderOrFollower',
    abstracts: 'the ZooKeeper-mode AlterPartition request, write and response are one step',
    description:
      'A zombie controller (b0, whose ZooKeeper session expired and came back) elects b1 in leader epoch 1 with ISR {1,2}, and, re-elected controller, sends the same partition state again. b0 fetches from b1 and joins the ISR through AlterPartition ({0,1,2} in ZooKeeper). The second LeaderAndIsr then reaches b1 with the same leader epoch: applied anyway, it rolls b1’s ISR view back to {1,2}, so b1 commits r1 once b2 has it, while b0 — in the ISR, electable by a clean election — does not hold it. Kafka ignores a LeaderAndIsr whose leader epoch is not newer (`ReplicaManager.becomeLeaderOrFollower`).',
    config: {
      mechanisms: { leaderEpochFencing: false },
      bounds: { records: 1, leaderEpochs: 3 },
      faults: { networkPartitions: 0, crashes: 0, sessionExpiries: 1 },
    },
    property: 'log-consistency',
    expectedSteps: 14,
    fixedBy: {
      description: 'brokers apply LeaderAndIsr only with a newer leader epoch',
      config: {
        bounds: { records: 1, leaderEpochs: 3 },
        faults: { networkPartitions: 0, crashes: 0, sessionExpiries: 1 },
      },
    },
  },
  {
    id: 'kip-279-fast-failover',
    title:
      'KIP-101 without KIP-279: after two quick leader failures a follower keeps a record of an epoch its leader never had',
    references: ['KIP-279', 'KAFKA-6361', 'AbstractFetcherThread.getOffsetTruncationState'],
    source: 'KIP-279 (KAFKA-6361)',
    abstracts: 'the OffsetsForLeaderEpoch round trips and the fetch that follows are one step',
    description:
      'b1 leads p0 in leader epoch 0 and writes r1, which b0 fetches. b1 crashes; b2 becomes leader in epoch 1 and writes r2 at offset 0, which nobody fetches, and crashes in turn. b0 is elected in epoch 2 with r1 at offset 0; b2 comes back and follows it. b2 asks where its latest epoch, 1, ends: b0 never had epoch 1, and Kafka 0.11 to 1.1 answer with the start of the next epoch b0 knows (offset 1) and no epoch, so b2 truncates to offset 1 and keeps r2. It rejoins the ISR and b0’s high watermark passes offset 0, where the two logs differ. KIP-279 (Kafka 2.0) puts the epoch in the answer (epoch 0 ends at offset 1); b2 holds no epoch 0, truncates to where its own first epoch starts, offset 0, and fetches r1.',
    config: { ...fastFailover, truncation: 'leader-epoch-offset' },
    property: 'log-consistency',
    expectedSteps: 17,
    fixedBy: {
      description: 'truncation rounds that agree on an epoch (KIP-279, kafka-2.x-zk)',
      config: { ...fastFailover, truncation: 'leader-epoch' },
    },
  },
  {
    id: 'kip-320-zombie-follower',
    title: 'Without fetch fencing a follower that missed leadership changes fetches from its re-elected leader',
    references: ['KAFKA-6880', 'KIP-320', 'Partition.checkCurrentLeaderEpoch (FENCED_LEADER_EPOCH)'],
    source: 'KAFKA-6880, KIP-320; TLA+ Kip320FirstTry',
    abstracts:
      'the fetch-time divergence check (Kafka 2.7) without the current leader epoch in the fetch: KIP-320’s first design',
    tla: {
      spec: 'hachikuji/kafka-specification Kip320FirstTry, 3 replicas, StrongIsr',
      tlc: 'violated, 13-state trace',
      kafkaWouldNot:
        'the spec elects three leaders in a row without a failure; kafka-mc reaches the zombie leader with a crash and an admin preferred election',
    },
    description:
      'b1 crashes; the controller elects b2 in leader epoch 1, but its LeaderAndIsr to b0 stays queued. b1 restarts, follows b2 and, by an admin preferred election, leads again in epoch 2, before b2 has heard of epoch 2: b2 still acts as leader of epoch 1 (a zombie). b0, still in epoch 0, fetches r1 from b1 and b1 commits it with b0 counted. Then b0 receives the queued LeaderAndIsr of epoch 1 and follows the zombie b2; without the leader epoch in the fetch (KIP-320) b2 answers, and the fetch out of range of b2’s empty log truncates b0’s r1 away. b0 stays in the ISR without a committed record (log-consistency), so a clean election of b0 would lose it. With KIP-320 b2 answers FENCED_LEADER_EPOCH (KAFKA-6880, Zombie replicas must be fenced).',
    config: { ...leaderComesBack, mechanisms: { fetchEpochFencing: false } },
    property: 'log-consistency',
    expectedSteps: 17,
    fixedBy: {
      description: 'fetches carry the follower’s leader epoch (KIP-320, kafka-2.x-zk)',
      config: leaderComesBack,
    },
  },
  {
    id: 'kafka-7128-lagging-hw',
    title: 'A follower rejoins the ISR at a new leader’s lagging high watermark and misses committed records',
    references: ['KAFKA-7128', 'Partition.isFollowerInSync', 'replica.fetch.max.bytes'],
    source: 'KAFKA-7128; TLA+ Kip101/Kip279 with 3 replicas',
    abstracts: 'a fetch response carries at most `--fetch-max-records` records (the model’s replica.fetch.max.bytes)',
    tla: {
      spec: 'hachikuji/kafka-specification Kip279 (and Kip101), 3 replicas, StrongIsr',
      tlc: 'violated, 12-state trace: a new leader with a lagging high watermark admits an empty replica into the ISR',
      kafkaWouldNot:
        'the spec changes leaders and shrinks the ISR without a failure and before the follower ever fetched',
    },
    description:
      'b1 leads p0 and writes r1 and r2; b0 fetches both, b1 drops lagging b2 from the ISR and its high watermark passes both records, so they are acknowledged with ISR {0,1}. b0 has not learned that high watermark yet when b1 crashes, and the controller elects b0 (leader epoch 1) with its high watermark still 0. b2 follows b0 and fetches from offset 0: that is at b0’s (lagging) high watermark, so b0 adds b2 to the ISR, but the response carries one record (fetchMaxRecords 1, the model’s replica.fetch.max.bytes). ISR member b2 lacks the committed r2; were b0 to fail now, b2 would be elected without it. KAFKA-7128’s fix: a follower joins the ISR only once its fetch offset reaches the start offset of the leader’s current epoch, which covers every committed record.',
    config: { ...partialFetches, mechanisms: { isrJoinRequiresCurrentEpoch: false } },
    property: 'log-consistency',
    expectedSteps: 13,
    fixedBy: {
      description: 'a follower rejoins the ISR only after reaching the leader epoch’s start offset (KAFKA-7128)',
      config: partialFetches,
    },
  },
  {
    id: 'kraft-split-brain',
    title:
      'KRaft without check quorum: a quorum leader cut off from the other voters keeps serving the brokers beside it',
    references: ['KAFKA-15489', 'KIP-595', 'controller.quorum.fetch.timeout.ms'],
    source: 'KAFKA-15489',
    abstracts:
      'timeouts keep their order, not their values: fetch timeout < check-quorum timeout < broker session timeout',
    description:
      'A network split puts the quorum leader c0 and broker b0 on one side, the other voters and brokers on the other. c1 times out, wins the votes of c1 and c2 in Raft epoch 2 and becomes the active controller; b0’s heartbeats no longer reach it, so once b0’s session expires c1 fences b0 (and moves its leaderships). Without check quorum c0 never resigns: it has not heard of epoch 2, still believes it leads, and b0 keeps taking metadata from it and sending it heartbeats and AlterPartition requests — two controllers rule the brokers, and b0 acts on epoch 1’s view after epoch 2 fenced it. With check quorum (KAFKA-15489, Kafka 3.7) c0 resigns after 1.5 × controller.quorum.fetch.timeout.ms, before any broker session (broker.session.timeout.ms) at c1 can expire: it may still serve b0 for that short window (it cannot commit anything), but never after c1 fences b0.',
    config: { ...kraftSplit, mechanisms: { checkQuorum: false } },
    property: 'single-controller',
    expectedSteps: 3,
    fixedBy: {
      description: 'check quorum: a cut-off quorum leader resigns (KAFKA-15489, kafka-3.x-kraft)',
      config: kraftSplit,
    },
  },
  {
    id: 'last-replica-standing-kraft',
    title:
      'KRaft without ELR: the last ISR member comes back from an unclean shutdown and leads without the acknowledged record',
    references: ['KIP-966', 'ReplicationControlManager.handleBrokerUncleanShutdown', 'KAFKA-15583'],
    source: 'KIP-966',
    abstracts:
      'a power loss takes every unflushed record; heartbeats are not steps (a session expires when they stop reaching the controller)',
    description:
      'KRaft before Eligible Leader Replicas: the ISR shrinks to the leader alone (min.insync.replicas=1), a follower fetches the record and it is acknowledged; the leader loses power and with it the unflushed record, is fenced, registers again, and — still the only ISR member (KIP-841 keeps the last member) — is unfenced and elected leader with an empty log. With ELR (KIP-966) a broker that registers after an unclean shutdown is removed from the ISR and ELR, so it cannot lead again on its own.',
    config: { ...kraftLastReplica, elr: false },
    property: 'no-data-loss',
    expectedSteps: 12,
    fixedBy: {
      description: 'Eligible Leader Replicas and unclean-shutdown detection (KIP-966, kafka-4.x-kraft-elr)',
      config: { ...kraftLastReplica, elr: true },
    },
  },
  {
    id: 'kraft-vote-without-log-check',
    title: 'A Raft vote granted to a candidate with a shorter metadata log loses a committed metadata record',
    references: ['KIP-595', 'KafkaRaftClient.handleVoteRequest'],
    source: 'KIP-595 (Raft’s election restriction)',
    abstracts: 'a vote request and its response are one step; followers that reach the leader fetch together',
    description:
      'One voter is down while the quorum leader commits a controller record (the fencing of a broker whose session expired) with the third voter; the leader crashes and the voter that missed the record comes back and stands for election. Without the up-to-date check on (last epoch, end offset) the voter holding the record votes for it; the new leader truncates that voter to its own log and the committed record is gone. Brokers that applied it now disagree with the controller for good.',
    config: { ...kraftVotes, mechanisms: { upToDateVoteCheck: false } },
    property: 'committed-metadata-durable',
    expectedSteps: 5,
    fixedBy: {
      description: 'votes only for a candidate whose log is at least as up to date (KIP-595)',
      config: kraftVotes,
    },
  },
  {
    id: 'kip-101-two-brokers',
    title: 'Pre-KIP-101 high-watermark truncation with two replicas: KIP-101’s own two-broker example loses a record',
    references: ['KAFKA-1211', 'KIP-101', 'ReplicaManager.makeFollowers', 'Partition.readRecords'],
    source: 'KIP-101 scenario 1 (two brokers); TLA+ KafkaTruncateToHighWatermark with 2 replicas',
    abstracts: 'the controller is one of the two brokers (b0, the follower); no clocks',
    tla: {
      spec: 'hachikuji/kafka-specification KafkaTruncateToHighWatermark, 2 replicas, StrongIsr',
      tlc: 'violated, 10-state trace',
      kafkaWouldNot:
        "the spec's controller shrinks the ISR and elects a leader without any broker failing, and a leader's high watermark rises without a fetch; Kafka needs the crashes kafka-mc takes",
    },
    description:
      'Two brokers, p0 led by b1 and followed by b0, which is also the controller; min.insync.replicas=1. b0 fetches r1 and fetches again, which moves b1’s high watermark and acknowledges r1, but the answer carries the high watermark from before (0). b0 crashes and restarts (still in the ISR: the controller was b0 itself), wins the controller election and sends itself the partition state: it becomes b1’s follower and truncates to its high watermark, 0 (pre-KIP-101 `ReplicaManager.makeFollowers`). b1 crashes before b0 fetches again; b0, in the ISR, is elected and leads without r1.',
    config: twoBrokers('high-watermark'),
    property: 'no-data-loss',
    expectedSteps: 11,
    fixedBy: {
      description: 'leader-epoch truncation (KIP-101; the fetch-time divergence check of Kafka 2.7+)',
      config: twoBrokers('diverging-epoch'),
    },
  },
  {
    id: 'kraft-3.5-last-replica-standing',
    title:
      'KRaft 3.5: the high watermark advances below min.insync.replicas, a consumer reads the record, and the last replica loses it',
    references: ['KIP-966', 'KAFKA-15583', 'Partition.maybeIncrementLeaderHW'],
    source: 'TLA+ Vanlightly/kafka-tlaplus kraft/v3.5 (last replica standing allowed)',
    abstracts: 'a power loss takes every unflushed record; heartbeats are not steps',
    tla: {
      spec: 'Vanlightly/kafka-tlaplus kraft/v3.5, 2 brokers, RF 2, min ISR 2, AvoidLastReplicaStanding = FALSE, LeaderCompletenessProperty',
      tlc: 'violated, 8-state trace',
      kafkaWouldNot:
        'the spec fences a broker arbitrarily and wipes the whole log on an unclean shutdown; kafka-mc shrinks the ISR through AlterPartition and loses only the unflushed tail',
    },
    description:
      'Two brokers, RF 2, min.insync.replicas=2, KRaft before KIP-966. Leader b0 takes r1; follower b1 lags and b0 shrinks the ISR to itself. Without KAFKA-15583 the high watermark still advances over r1: the produce fails (NOT_ENOUGH_REPLICAS_AFTER_APPEND) but consumers can read r1. b0 loses power before flushing, is fenced, registers again and, the last ISR member, leads with an empty log: the consumed record is gone. With KIP-966 the high watermark stays below min.insync.replicas and a broker back from an unclean shutdown leaves ISR and ELR.',
    config: kraft35('v3.5'),
    property: 'log-consistency',
    expectedSteps: 9,
    fixedBy: {
      description: 'KIP-966: strict min ISR (KAFKA-15583) and Eligible Leader Replicas (kafka-4.x-kraft-elr)',
      config: kraft35('kip-966'),
    },
  },
  {
    id: 'kafka-19522-fenced-last-known-leader',
    title: 'KRaft with ELR before Kafka 4.1: the last known leader is elected while its new registration is fenced',
    references: [
      'KAFKA-19522',
      'KIP-966',
      'PartitionChangeBuilder.canElectLastKnownLeader',
      'ReplicationControlManager.handleBrokerUncleanShutdown',
    ],
    source: 'KAFKA-19522',
    abstracts:
      'heartbeats are not steps (a session expires when they stop reaching the controller); a restarted broker registers without a clean-shutdown epoch, as after kill -9',
    description:
      'p0 has one replica, b0 (RF 1, min.insync.replicas=1), and Eligible Leader Replicas are on. b0 crashes; its session expires and the controller fences it: the ISR becomes empty, b0 joins the ELR and is remembered as the last known leader (KIP-966). b0 restarts and registers again. The new registration is fenced until the broker catches up with the metadata, and since b0 did not shut down cleanly the same batch runs handleBrokerUncleanShutdown, which takes b0 out of the ELR and re-elects. ISR and ELR are empty, so PartitionChangeBuilder turns to the last known leader: Kafka ≤ 4.0’s canElectLastKnownLeader tests isAcceptableLeader only to log the answer, and elects b0 while it is fenced. The committed metadata now names a fenced broker as leader (exported with `export-metadata`, `kafka-mc validate` flags that record as leader-active). Kafka 4.1 (KAFKA-19522) elects the last known leader only when it is acceptable: p0 stays leaderless until b0 is unfenced.',
    config: { ...KRAFT_LAST_KNOWN_LEADER, mechanisms: { lastKnownLeaderCheck: false } },
    property: 'leader-active',
    expectedSteps: 4,
    fixedBy: {
      description: 'the last known leader must be an acceptable leader (KAFKA-19522, Kafka 4.1)',
      config: KRAFT_LAST_KNOWN_LEADER,
    },
  },
];

/** Looks up an entry by id. */
export function catalogEntry(id: string): CatalogEntry | undefined {
  return CATALOG.find((e) => e.id === id);
}
