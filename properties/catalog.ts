import type { Property } from '../checker/index.js';
import type { ClusterState, ModelConfig } from '../model/index.js';
import { DEFAULT_CONFIG } from '../model/index.js';
import { singleLeader } from './singleLeader.js';
import { singleController, singleControllerFor } from './singleController.js';
import { noDataLoss } from './noDataLoss.js';
import { logConsistency } from './logConsistency.js';
import { epochMonotonic } from './epochMonotonic.js';
import { leaderInIsr } from './leaderInIsr.js';
import { minIsrRespected } from './minIsrRespected.js';
import { hwNeverPassesIsr } from './hwNeverPassesIsr.js';
import { logMatching } from './logMatching.js';
import { committedMetadataDurable } from './committedMetadataDurable.js';
import { majorityCommit } from './majorityCommit.js';
import { eventuallyAvailable, eventuallyLeader } from './eventuallyLeader.js';
import { eventuallyController } from './eventuallyController.js';
import { eventuallyIsrRestored } from './eventuallyIsrRestored.js';
import { eventuallyAcked } from './eventuallyAcked.js';
import {
  controllerFailover,
  failoverHappens,
  isrExpands,
  isrShrinks,
  recordAcked,
  uncleanElection,
  zombieLeaderExists,
} from './reachability.js';

/** What a property is for: an invariant, a liveness property under fairness, or a vacuity guard. */
export type PropertyGroup = 'safety' | 'liveness' | 'guard';

/** One entry of the property catalog (what `kafka-mc list` and `kafka-mc explain <id>` print). */
export interface PropertyInfo {
  /** Stable kebab-case id. */
  readonly id: string;
  /** One sentence; equal to the built property's `title`. */
  readonly title: string;
  readonly kind: Property<ClusterState>['kind'];
  readonly group: PropertyGroup;
  /** The property in Kafka terms: what it states, over which state, and what makes it fail. */
  readonly description: string;
  /** Builds the property for a config (properties that read the config take it here). */
  build(cfg: ModelConfig): Property<ClusterState>;
  /**
   * Whether the property belongs in the default set for `cfg`: a guard whose event the config makes
   * impossible, or a liveness property the config is expected to violate, is left out.
   */
  applies(cfg: ModelConfig): boolean;
}

const faultBudget = (c: ModelConfig): number =>
  c.faults.crashes +
  c.faults.uncleanShutdowns +
  c.faults.networkPartitions +
  c.faults.messageLosses +
  c.faults.sessionExpiries +
  c.faults.controlledShutdowns +
  c.faults.preferredElections;
/** Faults that take a running leader away (or move leadership), so a failover can happen. */
const leaderLoss = (c: ModelConfig): number =>
  c.faults.crashes +
  c.faults.uncleanShutdowns +
  c.faults.sessionExpiries +
  c.faults.controlledShutdowns +
  c.faults.preferredElections;
const always = (): boolean => true;

/**
 * Every property of kafka-mc, in a fixed order (safety, liveness, guards). The built property's id,
 * title and kind match the entry's.
 */
export const propertyCatalog: readonly PropertyInfo[] = [
  {
    id: 'single-leader',
    title: singleLeader.title,
    kind: 'always',
    group: 'safety',
    description:
      'For every partition and leader epoch, at most one running broker acts as leader. A deposed leader may still believe it leads in an OLDER epoch (fencing and the ISR protect the data then); two leaders in the SAME epoch mean ZooKeeper handed out one epoch twice, and nothing can tell them apart. Fails when the partition state is written without its zkVersion check (a zombie leader rolls the leader epoch back) and leader-epoch fencing is off.',
    build: () => singleLeader,
    applies: always,
  },
  {
    id: 'single-controller',
    title: singleController.title,
    kind: 'always',
    group: 'safety',
    description:
      'ZooKeeper mode: only the controller of the newest controller epoch changes partition state in ZooKeeper. A deposed controller (its session expired) may still believe it is in charge; controller-epoch fencing (KAFKA-6082: every write is a multi-op checking /controller_epoch) must make each of its writes fail. Fails with controllerEpochFencing off and a session expiry. KRaft mode: at most one voter becomes quorum leader in any Raft epoch, no leader of an older epoch commits metadata once a newer epoch has a leader (KIP-595: a vote is granted once per epoch, and a majority must fetch from the leader to commit), and no running broker still takes its metadata from a deposed quorum leader after a controller of a newer Raft epoch has committed its fencing (the split brain of KAFKA-15489: the new controller moves the leaderships of brokers that keep acting on the old leader’s metadata). A deposed leader serving the brokers beside it until its check-quorum timeout is real and allowed: it cannot commit. Fails with raftEpochFencing off (voters keep following a deposed leader) and with checkQuorum off (a leader cut off by a network split never resigns, and the brokers on its side are fenced by the new controller while they still follow it). See also committed-metadata-durable.',
    build: (cfg) => singleControllerFor(cfg),
    applies: always,
  },
  {
    id: 'no-data-loss',
    title: noDataLoss.title,
    kind: 'always',
    group: 'safety',
    description:
      'A record acknowledged under the configured acks is in the log of every running leader of the same or a later leader epoch, at the offset where it was acknowledged. Fails with acks=1, with unclean leader election, with pre-KIP-101 high-watermark truncation (KAFKA-1211), and with unclean shutdowns in ZooKeeper mode (the "last replica standing" case of KIP-966).',
    build: () => noDataLoss,
    applies: always,
  },
  {
    id: 'log-consistency',
    title: logConsistency.title,
    kind: 'always',
    group: 'safety',
    description:
      'Any two replicas (running or stopped) hold the same records below the smaller of their high watermarks, and every running member of the ISR (ZooKeeper, or the committed metadata in KRaft mode) that has taken its role since it started holds every entry any replica has below its high watermark (StrongIsr). Consumers read below the high watermark, so this is what keeps a consumed record from changing or vanishing; a member that is down or not yet told its role is not judged (the controller takes it out of the ISR first). Fails with unclean election and with pre-KIP-101 high-watermark truncation (a follower truncates a committed record while in the ISR); a power loss alone does not make it fail.',
    build: () => logConsistency,
    applies: always,
  },
  {
    id: 'epoch-monotonic',
    title: epochMonotonic.title,
    kind: 'always',
    group: 'safety',
    description:
      'Leader, partition, controller and broker epochs never go backwards: since every epoch is issued by ZooKeeper, no broker, in-flight LeaderAndIsr or controller cache holds an epoch newer than ZooKeeper’s, and the leader epochs along each log never decrease. Fails when the leader writes its ISR without the zkVersion check (pre-KIP-497): a zombie rolls ZooKeeper’s leader epoch back.',
    build: () => epochMonotonic,
    applies: always,
  },
  {
    id: 'leader-in-isr',
    title: leaderInIsr(DEFAULT_CONFIG).title,
    kind: 'always',
    group: 'safety',
    description:
      'The leader named in ZooKeeper is in the ZooKeeper ISR, every acting leader has itself in its own ISR view, and unless unclean.leader.election.enable is set no election chose a leader outside the ISR. Fails with a rule that ignores the ISR (e.g. `unclean` while the config disables unclean election) or with isrOnlyElection off.',
    build: (cfg) => leaderInIsr(cfg),
    applies: always,
  },
  {
    id: 'min-isr-respected',
    title: minIsrRespected(DEFAULT_CONFIG).title,
    kind: 'always',
    group: 'safety',
    description:
      'An acks=all acknowledgement means the record is on at least min(min.insync.replicas, replication factor) replicas at that moment (counted on their actual logs when the leader acknowledges it, Partition.checkEnoughReplicasReachOffset). Fails when the leader counts an ISR member’s fetch position that is no longer true: a follower that lost the record in a power loss before the ISR shrank (Kafka relies on replication, not fsync: one power loss with min.insync.replicas=RF, or a second replica lagging), or a restarted follower truncated to a stale high watermark that the controller did not notice (pre-KIP-101 truncation without KIP-380). Holds trivially with acks=1.',
    build: (cfg) => minIsrRespected(cfg),
    applies: always,
  },
  {
    id: 'hw-never-passes-isr',
    title: hwNeverPassesIsr.title,
    kind: 'always',
    group: 'safety',
    description:
      'A leader never advances its high watermark past a record that a running member of its (maximal) ISR does not hold at that offset (judged when the high watermark moves: WeakIsr), and a running leader’s high watermark is within its own log. Fails with pre-KIP-101 high-watermark truncation of a follower the leader still counts (KAFKA-1211), or a follower back from a power loss that the controller did not notice (without KIP-380); a power loss alone does not make it fail (the member is down, not counted as holding anything).',
    build: () => hwNeverPassesIsr,
    applies: always,
  },
  {
    id: 'log-matching',
    title: logMatching(DEFAULT_CONFIG).title,
    kind: 'always',
    group: 'safety',
    description:
      'Two clauses. (1) A running follower that has finished truncating for its leader’s epoch (with the fetch-time divergence check of Kafka 2.7+: one whose next fetch would not be answered with a diverging epoch) (and whose leader runs and leads in that epoch) holds the same record as the leader at every offset both logs have: the follower only appends from there on, so a different record at a common offset is permanent divergence. (2) Any two replicas, running or stopped, that hold the same record at some offset hold the same records below it (Raft’s Log Matching): a record copied onto a different prefix means a replica appended to a log it had not reconciled. Fails with pre-KIP-101 high-watermark truncation when two replicas lose power with different unflushed suffixes (KIP-101’s replica-divergence scenario; needs backgroundFlush) — leader-epoch truncation fixes it — and when a leader epoch is reused after a power loss (catalog: controller-leader-power-loss).',
    build: (cfg) => logMatching(cfg),
    applies: always,
  },
  {
    id: 'committed-metadata-durable',
    title: committedMetadataDurable.title,
    kind: 'always',
    group: 'safety',
    description:
      'KRaft mode: a metadata record, once committed (below a quorum leader’s high watermark), is in the log of every later quorum leader at its offset, and no leader ever commits a different record at that offset (Raft’s Leader Completeness, KIP-595). Brokers apply only committed metadata, so a lost committed record would leave brokers and controller disagreeing for good. Fails with upToDateVoteCheck off: a voter that missed a committed record wins an election and overwrites it. Holds trivially in ZooKeeper mode.',
    build: () => committedMetadataDurable,
    applies: (c) => c.mode === 'kraft',
  },
  {
    id: 'majority-commit',
    title: majorityCommit.title,
    kind: 'always',
    group: 'safety',
    description:
      'KRaft mode: the metadata log commits only on a side of a network split that holds a majority of the voters; a quorum leader cut off from the majority (on a minority side, or deposed) may append records but never advances its high watermark (LeaderState.maybeUpdateHighWatermark counts only voters that fetched). Holds trivially in ZooKeeper mode.',
    build: () => majorityCommit,
    applies: (c) => c.mode === 'kraft',
  },
  {
    id: 'eventually-leader',
    title: eventuallyLeader(DEFAULT_CONFIG).title,
    kind: 'eventually',
    group: 'liveness',
    description:
      'Once the fault budget is spent and the network is healed, every partition with a live eligible replica (an ISR member, or any replica with unclean election enabled) eventually has a leader that is live and acts in ZooKeeper’s leader epoch. Weak fairness on controller, election, delivery, fetch and ISR actions; crashes, restarts, heals and other faults are not fair. An election cut by a bound discharges the obligation. Fails with an election rule that does not elect (e.g. `never`).',
    build: (cfg) => eventuallyLeader(cfg),
    applies: always,
  },
  {
    id: 'eventually-controller',
    title: eventuallyController(DEFAULT_CONFIG).title,
    kind: 'eventually',
    group: 'liveness',
    description:
      'Once the fault budget is spent, while some broker is live, a controller is eventually in charge: /controller names a live broker acting in the current controller epoch (or the controller-epoch bound forbids another election). Same fairness as eventually-leader.',
    build: (cfg) => eventuallyController(cfg),
    applies: always,
  },
  {
    id: 'eventually-isr-restored',
    title: eventuallyIsrRestored(DEFAULT_CONFIG).title,
    kind: 'eventually',
    group: 'liveness',
    description:
      'Once the fault budget is spent, the network is healed and every broker runs with a session, every replica eventually rejoins its partition’s ISR in ZooKeeper (or the partition-epoch bound forbids the AlterPartition). Same fairness as eventually-leader.',
    build: (cfg) => eventuallyIsrRestored(cfg),
    applies: always,
  },
  {
    id: 'eventually-acked',
    title: eventuallyAcked(DEFAULT_CONFIG).title,
    kind: 'eventually',
    group: 'liveness',
    description:
      'Once the fault budget is spent, the network is healed and every broker is back, every acks=all produce request in a leader’s purgatory is eventually answered (acknowledged or failed) instead of hanging. The model has no request timeout, so this asks whether the protocol answers without one. Applies to acks=all.',
    build: (cfg) => eventuallyAcked(cfg),
    applies: (cfg) => cfg.acks === 'all',
  },
  {
    id: 'eventually-available',
    title: eventuallyAvailable(DEFAULT_CONFIG).title,
    kind: 'eventually',
    group: 'liveness',
    description:
      'Once the fault budget is spent and the network is healed, every partition with ANY live replica eventually has a leader: availability over consistency. Expected to fail with clean elections whenever the faults can take every ISR member down (an offline partition waits for an ISR member that nothing forces back), and to hold with unclean.leader.election.enable; in the default set only when unclean election is enabled.',
    build: (cfg) => eventuallyAvailable(cfg),
    applies: (cfg) => cfg.uncleanLeaderElection,
  },
  {
    id: 'failover-happens',
    title: failoverHappens.title,
    kind: 'sometimes',
    group: 'guard',
    description:
      'A broker other than a partition’s preferred replica becomes its leader in a later leader epoch and acts on it. Needs a fault that takes a leader away (crash, unclean shutdown, session expiry, controlled shutdown).',
    build: () => failoverHappens,
    applies: (c) => leaderLoss(c) > 0 && c.bounds.leaderEpochs > 0 && c.replicationFactor > 1,
  },
  {
    id: 'isr-shrinks',
    title: isrShrinks.title,
    kind: 'sometimes',
    group: 'guard',
    description: 'Some partition’s ISR in ZooKeeper is smaller than its replica set.',
    build: () => isrShrinks,
    applies: (c) => c.replicationFactor > 1 && (c.bounds.records > 0 || leaderLoss(c) > 0),
  },
  {
    id: 'isr-expands',
    title: isrExpands.title,
    kind: 'sometimes',
    group: 'guard',
    description:
      'A replica rejoins the ISR through AlterPartition, restoring the full ISR (seen as a ZooKeeper partition epoch ahead of the leader epoch with a full ISR).',
    build: () => isrExpands,
    applies: (c) => c.replicationFactor > 1 && c.bounds.partitionEpochs >= 2 && c.bounds.records > 0,
  },
  {
    id: 'record-acked',
    title: recordAcked.title,
    kind: 'sometimes',
    group: 'guard',
    description: 'A producer receives an acknowledgement.',
    build: () => recordAcked,
    applies: (c) => c.bounds.records > 0,
  },
  {
    id: 'controller-failover',
    title: controllerFailover.title,
    kind: 'sometimes',
    group: 'guard',
    description:
      'A controller of a newer controller epoch than the initial one is in charge (KRaft: a quorum leader of a Raft epoch after the first has committed its LeaderChange record).',
    build: () => controllerFailover,
    applies: (c) =>
      c.mode === 'kraft'
        ? c.bounds.raftEpochs >= 2 && c.faults.crashes + c.faults.networkPartitions > 0
        : c.bounds.controllerEpochs >= 2 &&
          c.faults.crashes + c.faults.uncleanShutdowns + c.faults.sessionExpiries + c.faults.controlledShutdowns > 0,
  },
  {
    id: 'unclean-election',
    title: uncleanElection.title,
    kind: 'sometimes',
    group: 'guard',
    description: 'An election chooses a leader outside the ISR. In the default set when unclean election is enabled.',
    build: () => uncleanElection,
    applies: (c) => c.uncleanLeaderElection && leaderLoss(c) > 0 && c.replicationFactor > 1,
  },
  {
    id: 'zombie-leader-exists',
    title: zombieLeaderExists.title,
    kind: 'sometimes',
    group: 'guard',
    description:
      'A running broker believes it leads a partition in a leader epoch older than ZooKeeper’s: it was deposed and has not learned it yet. Fencing is only exercised when this happens.',
    build: () => zombieLeaderExists,
    // KRaft: a crashed leader is not running, and brokers hear of a new leader only by fetching metadata
    // from a controller they can reach, so a zombie needs a split or an expired session.
    applies: (c) =>
      c.replicationFactor > 1 &&
      (c.mode === 'kraft' ? c.faults.networkPartitions + c.faults.sessionExpiries > 0 : faultBudget(c) > 0),
  },
];

/** Looks up a catalog entry by id. */
export function propertyInfo(id: string): PropertyInfo | undefined {
  return propertyCatalog.find((p) => p.id === id);
}

function select(cfg: ModelConfig, group: PropertyGroup, all: boolean): Property<ClusterState>[] {
  return propertyCatalog.filter((p) => p.group === group && (all || p.applies(cfg))).map((p) => p.build(cfg));
}

/** Every safety (`always`) property, built for `cfg`. */
export function safetyProperties(cfg: ModelConfig): Property<ClusterState>[] {
  return select(cfg, 'safety', false);
}

/**
 * The liveness (`eventually`) properties expected to hold for `cfg` (decide them with `checkLiveness`
 * and `KAFKA_LIVENESS_OPTIONS`). `eventually-available` is included only with unclean election enabled,
 * `eventually-acked` only with acks=all; pass `{ all: true }` for every one.
 */
export function livenessProperties(cfg: ModelConfig, opts: { readonly all?: boolean } = {}): Property<ClusterState>[] {
  return select(cfg, 'liveness', opts.all ?? false);
}

/**
 * The reachability guards (`sometimes`) whose event `cfg` makes possible (a guard the config rules out
 * would only fail as vacuous); pass `{ all: true }` for every one.
 */
export function reachabilityGuards(cfg: ModelConfig, opts: { readonly all?: boolean } = {}): Property<ClusterState>[] {
  return select(cfg, 'guard', opts.all ?? false);
}
