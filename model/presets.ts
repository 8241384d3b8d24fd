import type { ConfigInput } from './config.js';

/**
 * A named configuration that reproduces one Kafka generation's leader-election and replication rules.
 * Presets only set what differs from the embedded default (`DEFAULT_CONFIG`: the newest ZooKeeper-mode
 * behaviour); cluster shape, fault budgets and bounds stay as the user sets them.
 */
export interface Preset {
  /** Kebab-case id used with `--preset`. */
  readonly name: string;
  /** One line. */
  readonly description: string;
  /** The KIPs and fixes this preset includes (and, marked "without", notable ones it lacks). */
  readonly includes: readonly string[];
  /** The partial config the preset applies on top of the defaults. */
  readonly config: ConfigInput;
}

const ZK_PRE_KIP_101: ConfigInput = {
  mode: 'zk',
  truncation: 'high-watermark',
  mechanisms: {
    controllerEpochFencing: false,
    fetchEpochFencing: false,
    strictMinIsr: false,
    isrJoinRequiresCurrentEpoch: false,
    brokerEpochCheck: false,
    truncateOnEveryLeaderEpoch: false,
    offlineReplicasOnFailover: false,
    asyncAlterPartition: false,
  },
};
/** What the ZooKeeper-mode presets from Kafka 2.7 on share (the last ZooKeeper release is 3.9). */
const ZK_2_7: ConfigInput['mechanisms'] = {
  controllerEpochFencing: true,
  leaderEpochFencing: true,
  zkVersionCheck: true,
  isrOnlyElection: true,
  fetchEpochFencing: true,
  isrJoinRequiresCurrentEpoch: true,
  brokerEpochCheck: true,
  truncateOnEveryLeaderEpoch: true,
  offlineReplicasOnFailover: true,
  asyncAlterPartition: true,
};

/**
 * A ZooKeeper-mode preset from Kafka 2.3 on: clean elections and `ZK_2_7`'s mechanisms, with the given
 * truncation and with or without strict min ISR (KAFKA-15583).
 */
function zkFrom2_3(truncation: 'leader-epoch' | 'diverging-epoch', strictMinIsr: boolean): ConfigInput {
  // Before 2.7 (the leader-epoch truncation presets) the leader wrote its ISR changes to ZooKeeper itself.
  const asyncAlterPartition = truncation === 'diverging-epoch';
  return {
    mode: 'zk',
    truncation,
    uncleanLeaderElection: false,
    mechanisms: { ...ZK_2_7, strictMinIsr, asyncAlterPartition },
  };
}

/** The fixes the ZooKeeper-mode presets have from kafka-2.3-zk on, as those presets list them. */
const FIXES_FROM_2_3: readonly string[] = [
  'KIP-320: followers fetch with their leader epoch and the leader rejects a mismatch',
  'KAFKA-6082: controller ZooKeeper writes conditional on the controller epoch znode version',
  'KAFKA-7128: a follower rejoins the ISR only after reaching the current leader epoch',
  'KAFKA-7164: a follower truncates on every new leader epoch',
  'KIP-380: broker epochs on control requests; bounced brokers detected',
  'KAFKA-3143: a new controller takes replicas of dead brokers out of the ISR',
];
/** The same fixes as the presets before kafka-2.3-zk list them: missing. */
const WITHOUT_2_3_FIXES: readonly string[] = [
  'without KIP-320: fetches carry no leader epoch',
  'without KAFKA-6082: controller ZooKeeper writes are not conditional on the controller epoch',
  'without KAFKA-7128: a follower may rejoin the ISR before reaching the current leader epoch',
  'without KAFKA-7164: a follower truncates only when its leader changes',
  'without KIP-380: control requests carry no broker epoch; a quick bounce goes unnoticed',
  'without KAFKA-3143: a new controller leaves replicas of dead brokers in the ISR',
];

/**
 * Admin elections by type (Kafka 2.4+). The fault budgets say how many a behaviour may contain
 * (`--max-preferred-elections`, `--max-unclean-elections`); presets do not set budgets, so a user
 * checking an older version leaves the UNCLEAN budget at 0.
 */
const KIP_460 = 'KIP-460: kafka-leader-election.sh --election-type PREFERRED|UNCLEAN';
const WITHOUT_KIP_460 =
  'without KIP-460: admins run preferred elections only (kafka-preferred-replica-election.sh); leave --max-unclean-elections at 0';

/** The built-in presets, oldest first. */
export const PRESETS: readonly Preset[] = [
  {
    name: 'kafka-0.10',
    description:
      'Kafka 0.10 (ZooKeeper): followers truncate to their high watermark; unclean leader election on by default',
    includes: [
      'without KIP-101: truncation to the high watermark on becoming follower',
      'without KIP-106: unclean.leader.election.enable defaults to true',
      ...WITHOUT_2_3_FIXES,
      WITHOUT_KIP_460,
    ],
    config: { ...ZK_PRE_KIP_101, uncleanLeaderElection: true },
  },
  {
    name: 'kafka-0.11',
    description: 'Kafka 0.11 to 1.1 (ZooKeeper): leader-epoch truncation (KIP-101), clean elections by default',
    includes: [
      'KIP-101: truncation by leader epoch, one OffsetsForLeaderEpoch round answered with an offset only',
      'without KIP-279: the answer carries no epoch, so a follower holding an epoch the leader never had can keep it',
      'KIP-106: unclean.leader.election.enable defaults to false',
      ...WITHOUT_2_3_FIXES,
      WITHOUT_KIP_460,
    ],
    config: { ...ZK_PRE_KIP_101, truncation: 'leader-epoch-offset', uncleanLeaderElection: false },
  },
  {
    name: 'kafka-2.3-zk',
    description:
      'Kafka 2.3 to 2.6 (ZooKeeper): KIP-279 truncation before fetching, fetch fencing, broker epochs, ISR changes written by the leader',
    includes: [
      'KIP-101/KIP-279: truncation by leader epoch in OffsetsForLeaderEpoch rounds before fetching',
      ...FIXES_FROM_2_3,
      'without the fetch-time divergence check (2.7)',
      `${KIP_460} from 2.4 (2.3: ${WITHOUT_KIP_460.replace('without KIP-460: ', '')})`,
      'without KAFKA-15583: the high watermark may advance while the ISR is below min.insync.replicas',
    ],
    config: zkFrom2_3('leader-epoch', false),
  },
  {
    name: 'kafka-2.x-zk',
    description: 'Kafka 2.7 to 2.8 (ZooKeeper): fetch fencing by leader epoch, AlterIsr, fenced controller writes',
    includes: [
      'KIP-101/KIP-279: truncation by leader epoch; from 2.7 checked on every fetch (lastFetchedEpoch, diverging epoch)',
      ...FIXES_FROM_2_3,
      'KIP-497: AlterIsr, conditional on the partition epoch (zkVersion)',
      KIP_460,
      'without KAFKA-15583: the high watermark may advance while the ISR is below min.insync.replicas',
    ],
    config: zkFrom2_3('diverging-epoch', false),
  },
  {
    name: 'kafka-3.x-zk',
    description: 'Kafka 3.x before KAFKA-15583 (ZooKeeper): as kafka-2.x-zk, with AlterPartition (KIP-497, KIP-903)',
    includes: [
      'everything in kafka-2.x-zk',
      'KIP-903: broker epoch in AlterPartition (the model keeps one broker-epoch mechanism)',
      'without KAFKA-15583: the high watermark may advance while the ISR is below min.insync.replicas',
    ],
    config: zkFrom2_3('diverging-epoch', false),
  },
  {
    name: 'kafka-3.9-zk',
    description: 'The last ZooKeeper-mode Kafka: kafka-3.x-zk plus strict min ISR (KAFKA-15583); the default',
    includes: [
      'everything in kafka-3.x-zk',
      'KAFKA-15583 (part of KIP-966): the high watermark does not advance while the ISR is below min.insync.replicas',
    ],
    config: zkFrom2_3('diverging-epoch', true),
  },
  {
    name: 'kafka-3.x-kraft',
    description:
      'Kafka 3.7-3.9 in KRaft mode: a Raft controller quorum replaces ZooKeeper (KIP-500, KIP-595, KIP-631), no ELR, no pre-vote',
    includes: [
      'KIP-500/KIP-595/KIP-631: KRaft controller quorum and metadata log',
      'KIP-841: fenced and shutting-down brokers leave the ISR; the last ISR member stays',
      'KIP-903: broker epochs in AlterPartition (3.5)',
      'KAFKA-15489: check quorum, a cut-off quorum leader resigns (3.7)',
      `${KIP_460}, handled by ReplicationControlManager.electLeaders; the auto rebalance balances every partition not led by its preferred replica (no imbalance percentage)`,
      'the data plane of kafka-3.9-zk (KIP-101/279/320, fetch-time divergence check, KAFKA-7128, KAFKA-15583)',
    ],
    config: { mode: 'kraft', truncation: 'diverging-epoch', uncleanLeaderElection: false, elr: false, preVote: false },
  },
  {
    name: 'kafka-4.x-kraft-elr',
    description: 'Kafka 4.x in KRaft mode with Eligible Leader Replicas (KIP-966) and Raft pre-vote (KIP-996)',
    includes: [
      'everything in kafka-3.x-kraft',
      'KIP-966: Eligible Leader Replicas (ELR), election from the ELR, unclean shutdown leaves ISR and ELR',
      'KIP-996: pre-vote (a candidate stands only if a majority would vote for it)',
      'KAFKA-19522 (4.1, where ELR is on by default for new clusters): the last known leader is elected only if it is registered and unfenced; Kafka 4.0 (ELR off unless eligible.leader.replicas.version=1) elects it regardless: add --no-last-known-leader-check',
    ],
    config: { mode: 'kraft', truncation: 'diverging-epoch', uncleanLeaderElection: false, elr: true, preVote: true },
  },
];

/** Looks up a preset by name. */
export function presetNamed(name: string): Preset | undefined {
  return PRESETS.find((p) => p.name === name);
}

/** Names of the built-in presets. */
export function presetNames(): string[] {
  return PRESETS.map((p) => p.name);
}
