import type { FaultBudget, ModelConfig } from './config.js';

/**
 * The cluster as plain data: arrays indexed by broker or partition, ISRs as bitmasks over broker ids,
 * no Map or Set anywhere, so that encoding and iteration order are deterministic.
 */

/** A broker id, 0-based. */
export type BrokerId = number;
/** -1: no leader. */
export const NO_LEADER = -1;

/** One log entry: the record's id and the leader epoch it was written in (KIP-101 `partitionLeaderEpoch`). */
export interface LogEntry {
  readonly epoch: number;
  readonly id: number;
}

export const ROLE_NONE = 0;
export const ROLE_LEADER = 1;
export const ROLE_FOLLOWER = 2;
export type Role = typeof ROLE_NONE | typeof ROLE_LEADER | typeof ROLE_FOLLOWER;

/** A broker's replica of one partition, and its own view of the partition (`kafka.cluster.Partition`). */
export interface Replica {
  readonly log: readonly LogEntry[];
  /** High watermark: consumers read below it. */
  readonly hw: number;
  /**
   * The high watermark last written to the broker's `replication-offset-checkpoint` file
   * (`ReplicaManager.checkpointHighWatermarks`, every `replica.high.watermark.checkpoint.interval.ms` and
   * at a clean shutdown). A restarted broker starts from it, capped at its log end offset
   * (`UnifiedLog` is created with the checkpointed high watermark). It can be above the log end offset
   * after a truncation; the file is rewritten only by the next checkpoint.
   */
  readonly hwCheckpoint: number;
  /** Prefix of the log that survives an unclean shutdown. */
  readonly flushed: number;
  readonly role: Role;
  /** The leader this replica believes in (-1: none known). */
  readonly leader: number;
  /** Its current leader epoch (-1 after a restart, until a LeaderAndIsr arrives). */
  readonly leaderEpoch: number;
  /** ISR as the leader believes it (bitmask over brokers); meaningful on a leader. */
  readonly isr: number;
  /** Partition epoch (ZK znode version) this replica last learned. */
  readonly zkVersion: number;
  /** On a leader: log end offset when it became leader in `leaderEpoch` (KAFKA-7128). */
  readonly epochStart: number;
  /** On a leader: each broker's last fetch offset (Replica.logEndOffset), indexed by broker id. */
  readonly followerLeo: readonly number[];
  /**
   * On a leader: the broker epoch each follower's last fetch carried (`ReplicaState.brokerEpoch`,
   * KIP-903), -1 when unknown. Always -1 in ZooKeeper mode (its AlterPartition sends -1).
   */
  readonly followerEpoch: readonly number[];
  /**
   * On a leader: the ISR of its AlterPartition in flight (bitmask), 0 when none. While it is pending the
   * leader's maximal ISR is `isr | pendingIsr` (`PendingExpandIsr` / `PendingShrinkIsr`, KIP-497). Always
   * 0 in ZooKeeper mode, where the request, the ZooKeeper write and the response are one step.
   */
  readonly pendingIsr: number;
  /** On a follower with leader-epoch truncation: must reconcile its log with the leader before fetching. */
  readonly mustTruncate: boolean;
}

/** A partition's state as stored in ZooKeeper (`/brokers/topics/t/partitions/p/state`). */
export interface PartitionState {
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly isr: number;
  /** The znode's data version (partition epoch). */
  readonly version: number;
  /** Controller epoch of the writer. */
  readonly controllerEpoch: number;
  /** The preferred replica (first in the assignment); constant, kept here for properties. */
  readonly preferred: number;
}

/** What a broker that believes it is the controller holds in memory (`ControllerContext`). */
export interface ControllerContext {
  readonly epoch: number;
  /** Brokers it considers live (bitmask). */
  readonly live: number;
  /** Broker epochs (czxid) it last saw per broker, 0 = not registered (KIP-380). */
  readonly brokerEpochs: readonly number[];
  /**
   * Brokers whose failure this controller processed (`onBrokerFailure`) and whose replicas it still has
   * to take out of ISRs (`OfflineReplica`, `doRemoveReplicasFromIsr`), as a bitmask. A controller handles
   * one broker change as one event, so it takes such a broker back only once that work is done. At
   * failover it holds every dead broker with KAFKA-3143 (Kafka 2.3+), none before.
   */
  readonly offline: number;
}

export interface Broker {
  readonly alive: boolean;
  /**
   * ZooKeeper mode: the broker epoch of this process's registration (the czxid of its
   * `/brokers/ids/<id>` znode, KIP-380), kept when its session expires (the process still believes it)
   * and replaced when it registers again; 0 in KRaft mode (see `KRaftBroker.epoch`).
   */
  readonly epoch: number;
  /** Holds a ZooKeeper session (its `/brokers/ids/<id>` znode exists). */
  readonly session: boolean;
  /** Highest controller epoch seen in a LeaderAndIsr (`ReplicaManager.controllerEpoch`). */
  readonly controllerEpochSeen: number;
  /** Non-null while this broker believes it is the controller. */
  readonly controller: ControllerContext | null;
  /** One entry per partition; null where it is not a replica. */
  readonly replicas: readonly (Replica | null)[];
}

/** ZooKeeper: the linearizable store. */
export interface ZooKeeper {
  /** Broker holding the ephemeral `/controller` znode, or -1. */
  readonly controller: number;
  /** `/controller_epoch`. */
  readonly controllerEpoch: number;
  /** Broker epoch (czxid of `/brokers/ids/<id>`) per broker, 0 = not registered. */
  readonly brokerEpochs: readonly number[];
  /** Next czxid to hand out. */
  readonly nextCzxid: number;
  readonly partitions: readonly PartitionState[];
}

/** A LeaderAndIsr request from a controller to one broker for one partition. */
export interface LeaderAndIsr {
  readonly from: BrokerId;
  readonly to: BrokerId;
  readonly controllerEpoch: number;
  readonly partition: number;
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly isr: number;
  readonly version: number;
  /**
   * The broker epoch of the addressee as the sending controller knows it (KIP-380: the request's
   * `brokerEpoch`, checked by `KafkaApis.isBrokerEpochStale`); 0 when the controller sends none
   * (pre-KIP-380, `UNKNOWN_BROKER_EPOCH`).
   */
  readonly brokerEpoch: number;
  /**
   * Whether the leader was live for the sending controller when it sent the request: what the broker's
   * metadata cache says when it handles it (`ReplicaManager.makeFollowers` skips a partition whose new
   * leader is not an alive broker, leader -1 included).
   */
  readonly leaderLive: boolean;
}

/** An acks=all produce request waiting in the leader's purgatory (`DelayedProduce`). */
export interface PendingProduce {
  readonly partition: number;
  readonly broker: BrokerId;
  readonly offset: number;
  readonly id: number;
  readonly leaderEpoch: number;
}

/** A record acknowledged to the producer (ghost: read by properties, never by transitions). */
export interface AckedRecord {
  readonly partition: number;
  readonly id: number;
  readonly offset: number;
  readonly leaderEpoch: number;
  readonly by: BrokerId;
}

/** Remaining fault budget: the config's `faults`, each counted down as its faults happen. */
export type Budget = FaultBudget;

/** History variables for properties and reachability guards; no transition branches on them. */
export interface Ghost {
  readonly acked: readonly AckedRecord[];
  /** A controller whose epoch is older than ZooKeeper's changed partition state (split-brain controller). */
  readonly staleControllerWrite: boolean;
  /** Some election chose a leader outside the ISR. */
  readonly uncleanElection: boolean;
  /**
   * A leader advanced its high watermark past a record that a running member of its (maximal) ISR did
   * not hold at that offset: it counted a fetch position the member no longer had (`hw-never-passes-isr`).
   */
  readonly hwPassedIsr: boolean;
  /**
   * An acks=all record was acknowledged while fewer than min(min.insync.replicas, replication factor)
   * replicas held it at its offset (`min-isr-respected`).
   */
  readonly ackBelowMinIsr: boolean;
  /**
   * Per partition, the records a consumer could have read: the longest prefix that has been below a
   * leader's high watermark (the first version of each offset a leader exposed), for `log-consistency`.
   */
  readonly exposed: readonly (readonly LogEntry[])[];
  /** Per partition, the newest leader epoch in which a leader exposed records (-1: none yet). */
  readonly exposedBy: readonly number[];
  /** A leader exposed a record at an offset where a different record had been exposed (a consumer sees it change). */
  readonly exposedChanged: boolean;
}

// ---------------------------------------------------------------------------------------------
// KRaft mode (KIP-500/KIP-595/KIP-631): a Raft quorum of controller voters replicating a metadata log.

export const VOTER_UNATTACHED = 0;
export const VOTER_FOLLOWER = 1;
export const VOTER_CANDIDATE = 2;
export const VOTER_LEADER = 3;
export const VOTER_RESIGNED = 4;
/** A voter's Raft state (`QuorumState`: Unattached, Follower, Candidate, Leader, Resigned). */
export type VoterRole =
  | typeof VOTER_UNATTACHED
  | typeof VOTER_FOLLOWER
  | typeof VOTER_CANDIDATE
  | typeof VOTER_LEADER
  | typeof VOTER_RESIGNED;

/** KIP-966 "no last known leader". */
export const NO_LAST_KNOWN_LEADER = -1;

/** A partition as the KRaft controller registers it (`PartitionRegistration`; replicas are the assignment). */
export interface PartitionRegistration {
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly partitionEpoch: number;
  /** Bitmask; may be empty only with ELR. */
  readonly isr: number;
  /** Eligible Leader Replicas (KIP-966), bitmask, disjoint from the ISR. */
  readonly elr: number;
  /**
   * `lastKnownElr` in the form `PartitionChangeBuilder` keeps it when `useLastKnownLeaderInBalancedRecovery`
   * is on (the only mode Kafka implements): at most one broker, the leader when the ISR became empty.
   */
  readonly lastKnownLeader: number;
}

/** The resulting registration of one partition written by a metadata record (a `PartitionChangeRecord`). */
export interface PartitionChange extends PartitionRegistration {
  readonly partition: number;
}

export const META_LEADER_CHANGE = 0;
export const META_REGISTER = 1;
export const META_FENCE = 2;
export const META_UNFENCE = 3;
export const META_SHUTDOWN = 4;
export const META_ALTER_PARTITION = 5;
export const META_ELECTION = 6;
/**
 * What a metadata record batch does: the Raft `LeaderChange` control record, a broker's registration
 * (`RegisterBrokerRecord`, the broker starts fenced), fencing / unfencing / controlled shutdown
 * (`BrokerRegistrationChangeRecord`), an AlterPartition result, or an admin election.
 */
export type MetadataKind =
  | typeof META_LEADER_CHANGE
  | typeof META_REGISTER
  | typeof META_FENCE
  | typeof META_UNFENCE
  | typeof META_SHUTDOWN
  | typeof META_ALTER_PARTITION
  | typeof META_ELECTION;

/**
 * Controller records in a metadata log: every record but the quorum's own LeaderChange records (what
 * `bounds.metadataRecords` bounds).
 */
export function controllerRecordCount(log: readonly MetadataRecord[]): number {
  let n = 0;
  for (const r of log) if (r.kind !== META_LEADER_CHANGE) n++;
  return n;
}

/**
 * One entry of the `__cluster_metadata` log: an atomic batch the active controller appends for one
 * event (`QuorumController` writes each event's records with `scheduleAtomicAppend`). Partition changes
 * carry the resulting registration, so the image at any offset is the last change per partition.
 */
export interface MetadataRecord {
  /** Raft epoch of the leader that appended it (the batch's partition leader epoch). */
  readonly epoch: number;
  readonly kind: MetadataKind;
  /** The broker a registration, fencing, unfencing or shutdown is about; -1 otherwise. */
  readonly broker: number;
  /** `META_REGISTER`: the new broker epoch (the record's offset + 1, see `brokerEpochAt`). */
  readonly brokerEpoch: number;
  readonly partitions: readonly PartitionChange[];
}

/** One controller voter (`QuorumState` + `KafkaRaftClient` + `QuorumController`). */
export interface Voter {
  readonly alive: boolean;
  readonly role: VoterRole;
  /** Current Raft epoch (persisted in the `quorum-state` file). */
  readonly epoch: number;
  /** The candidate it voted for in `epoch`, or -1 (persisted). */
  readonly votedFor: number;
  /** The leader of `epoch` it knows, or -1. */
  readonly leader: number;
  /** The metadata log (fsynced: survives a crash). */
  readonly log: readonly MetadataRecord[];
  /** High watermark: records below it are committed. Not persisted. */
  readonly hw: number;
  /** Candidate: voters that granted their vote (bitmask over voters, itself included). */
  readonly votes: number;
  /** Leader: log end offset when it became leader (its LeaderChange record's offset). */
  readonly epochStart: number;
  /** Leader: each voter's end offset as last fetched (-1 unknown), indexed by voter. */
  readonly endOffsets: readonly number[];
}

/** A broker's KRaft-side process state. */
export interface KRaftBroker {
  /** Broker epoch of this process's registration, 0 before it registers (reset by a stop). */
  readonly epoch: number;
  /**
   * It has applied committed metadata that holds its own registration (`currentMetadataOffset` has
   * reached the RegisterBrokerRecord: the condition for unfencing). The offset itself is not kept: a
   * broker's view of each partition lives in its replicas, and a metadata fetch is a step only when it
   * changes that view or this flag, so brokers that differ only in how many irrelevant records they have
   * applied are one state.
   */
  readonly caughtUp: boolean;
}

/** The KRaft control plane. */
export interface KRaftState {
  readonly voters: readonly Voter[];
  readonly brokers: readonly KRaftBroker[];
  /**
   * Ghost: every metadata record ever committed, in log order (the longest committed prefix). Read by
   * `committed-metadata-durable`; transitions never branch on it.
   */
  readonly committed: readonly MetadataRecord[];
  /** Ghost: the Raft epoch of the leader that first committed each entry of `committed`. */
  readonly committedBy: readonly number[];
  /** Ghost: bitmask of Raft epochs that had a leader. */
  readonly leaderEpochs: number;
  /** Ghost: a leader committed a record at an offset where a different record had been committed. */
  readonly lostCommit: boolean;
  /** Ghost: a leader advanced its high watermark while its side of a network split held no majority of voters. */
  readonly minorityCommit: boolean;
}

export interface ClusterState {
  readonly brokers: readonly Broker[];
  /**
   * ZooKeeper mode: the ZooKeeper store. KRaft mode: the committed metadata image in the same shape
   * (partition registrations at the newest committed offset, `version` = partition epoch,
   * `controllerEpoch` = Raft epoch of the record that last changed the partition; registered broker
   * epochs; `controller` -1), maintained as records commit, so properties read partitions the same way
   * in both modes.
   */
  readonly zk: ZooKeeper;
  /** KRaft mode's controller quorum and broker lifecycle; null in ZooKeeper mode. */
  readonly kraft: KRaftState | null;
  /**
   * Network: 0 = connected; otherwise the bitmask of one side of the split over nodes: brokers are
   * nodes 0..brokers-1, then ZooKeeper (node `brokers`, ZooKeeper mode) or the KRaft voters (voter v
   * is node brokers + v).
   */
  readonly split: number;
  /** LeaderAndIsr requests in flight, kept sorted (canonical order). */
  readonly inFlight: readonly LeaderAndIsr[];
  /** Records produced so far per partition (the next record id is this + 1). */
  readonly produced: readonly number[];
  readonly pending: readonly PendingProduce[];
  readonly budget: Budget;
  readonly ghost: Ghost;
}

export const bit = (b: number): number => 1 << b;
export const has = (mask: number, b: number): boolean => (mask & (1 << b)) !== 0;
export function members(mask: number, n: number): number[] {
  const out: number[] = [];
  for (let b = 0; b < n; b++) if (mask & (1 << b)) out.push(b);
  return out;
}
export function popcount(mask: number): number {
  let c = 0;
  for (let m = mask; m; m &= m - 1) c++;
  return c;
}
export const maskOf = (bs: readonly number[]): number => bs.reduce((m, b) => m | (1 << b), 0);

/** KRaft ghost: whether some Raft epoch newer than `epoch` has had a leader (a leader of `epoch` is deposed). */
export const newerEpochLed = (k: KRaftState, epoch: number): boolean => k.leaderEpochs >> (epoch + 1) !== 0;

/** Whether nodes a and b can talk (same side of the split); brokers are nodes 0..brokers-1. */
export function reachable(s: ClusterState, a: number, b: number): boolean {
  return s.split === 0 || has(s.split, a) === has(s.split, b);
}

/**
 * ZooKeeper mode: the network node of the ZooKeeper ensemble (numbered after the brokers). With
 * `splitZooKeeper` a split puts it on one side: ZooKeeper is a quorum system, so only the side that holds
 * a majority of the ensemble keeps a working ZooKeeper, and brokers on the other side lose their
 * sessions. Such a split carries `SPLIT_CUTS_ZOOKEEPER`; a split without it cuts broker-to-broker links
 * only (ZooKeeper stays reachable from both sides).
 */
export const zkNode = (s: ClusterState): number => s.brokers.length;

/** Marks a ZooKeeper-mode split that puts ZooKeeper on one side (`ClusterState.split`). */
export const SPLIT_CUTS_ZOOKEEPER = 1 << 15;

/** ZooKeeper mode: whether broker b can reach ZooKeeper now (its session, if any, stays alive). */
export const reachesZk = (s: ClusterState, b: number): boolean =>
  (s.split & SPLIT_CUTS_ZOOKEEPER) === 0 || reachable(s, b, zkNode(s));

/** The network node of KRaft voter v (voters are numbered after the brokers). */
export const voterNode = (s: ClusterState, v: number): number => s.brokers.length + v;

/** The broker epoch a registration appended at metadata-log offset `offset` gets (Kafka: the offset). */
export const brokerEpochAt = (offset: number): number => offset + 1;

/**
 * A stable cluster: every broker up and registered, broker 0 the controller (epoch 1), each partition
 * led by its preferred replica in leader epoch 0 with the full ISR, empty logs.
 */
export function initialState(c: ModelConfig): ClusterState {
  const partitions: PartitionState[] = c.assignment.map((rs) => ({
    leader: rs[0] ?? NO_LEADER,
    leaderEpoch: 0,
    isr: maskOf(rs),
    version: 0,
    controllerEpoch: 1,
    preferred: rs[0] ?? NO_LEADER,
  }));
  const brokerEpochs = Array.from({ length: c.brokers }, (_, b) => initialBrokerEpoch(b));
  const brokers: Broker[] = [];
  for (let b = 0; b < c.brokers; b++) {
    brokers.push({
      alive: true,
      epoch: brokerEpochs[b] as number,
      session: true,
      controllerEpochSeen: 1,
      controller: b === 0 ? { epoch: 1, live: (1 << c.brokers) - 1, brokerEpochs, offline: 0 } : null,
      replicas: c.assignment.map((rs, p) => {
        if (!rs.includes(b)) return null;
        const ps = partitions[p] as PartitionState;
        return {
          log: [],
          hw: 0,
          hwCheckpoint: 0,
          flushed: 0,
          role: ps.leader === b ? ROLE_LEADER : ROLE_FOLLOWER,
          leader: ps.leader,
          leaderEpoch: 0,
          isr: ps.isr,
          zkVersion: 0,
          epochStart: 0,
          followerLeo: Array<number>(c.brokers).fill(0),
          followerEpoch: Array<number>(c.brokers).fill(-1),
          mustTruncate: false,
          pendingIsr: 0,
        };
      }),
    });
  }
  if (c.mode === 'kraft') return initialKRaftState(c, brokers, partitions);
  const zk = { controller: 0, controllerEpoch: 1, brokerEpochs, nextCzxid: c.brokers + 1, partitions };
  return freshCluster(c, brokers, zk, null);
}

/**
 * A cluster with these brokers and control plane that nothing has happened to yet, in either mode: no
 * network split, no request in flight, nothing produced, the config's whole fault budget, empty history.
 */
function freshCluster(
  c: ModelConfig,
  brokers: readonly Broker[],
  zk: ZooKeeper,
  kraft: KRaftState | null,
): ClusterState {
  return {
    brokers,
    zk,
    kraft,
    split: 0,
    inFlight: [],
    produced: Array<number>(c.partitions).fill(0),
    pending: [],
    budget: { ...c.faults },
    ghost: {
      acked: [],
      staleControllerWrite: false,
      uncleanElection: false,
      hwPassedIsr: false,
      ackBelowMinIsr: false,
      exposed: c.assignment.map(() => []),
      exposedBy: c.assignment.map(() => -1),
      exposedChanged: false,
    },
  };
}

/**
 * KRaft: the same brokers and partitions, registered and unfenced from a bootstrap snapshot (broker
 * epoch 1); voter 0 leads Raft epoch 1 and every voter holds its committed LeaderChange record.
 */
/** ZooKeeper mode: broker b's epoch (the czxid of its registration) when the cluster starts. */
export function initialBrokerEpoch(b: number): number {
  return b + 1;
}

function initialKRaftState(c: ModelConfig, zkBrokers: readonly Broker[], partitions: PartitionState[]): ClusterState {
  const brokers = zkBrokers.map((b) => ({ ...b, epoch: 0, controllerEpochSeen: 0, controller: null }));
  const leaderChange: MetadataRecord = {
    epoch: 1,
    kind: META_LEADER_CHANGE,
    broker: -1,
    brokerEpoch: 0,
    partitions: [],
  };
  const voters: Voter[] = [];
  for (let v = 0; v < c.voters; v++)
    voters.push({
      alive: true,
      role: v === 0 ? VOTER_LEADER : VOTER_FOLLOWER,
      epoch: 1,
      votedFor: -1,
      leader: 0,
      log: [leaderChange],
      hw: 1,
      votes: 0,
      epochStart: 0,
      endOffsets: v === 0 ? Array<number>(c.voters).fill(1) : [],
    });
  const image: ZooKeeper = {
    controller: NO_LEADER,
    controllerEpoch: 1,
    brokerEpochs: Array<number>(c.brokers).fill(1),
    nextCzxid: brokerEpochAt(1),
    partitions,
  };
  return freshCluster(c, brokers, image, {
    voters,
    brokers: Array.from({ length: c.brokers }, () => ({ epoch: 1, caughtUp: true })),
    committed: [leaderChange],
    committedBy: [1],
    leaderEpochs: 1 << 1,
    lostCommit: false,
    minorityCommit: false,
  });
}

/**
 * A deep, mutable copy of a state: the search loop's fast path. Transitions written against immer
 * drafts run unchanged on it (a draft and a mutable copy have the same shape), without proxies.
 */
export function cloneState(s: ClusterState): ClusterState {
  return {
    brokers: s.brokers.map((b) => ({
      alive: b.alive,
      epoch: b.epoch,
      session: b.session,
      controllerEpochSeen: b.controllerEpochSeen,
      controller: b.controller
        ? {
            epoch: b.controller.epoch,
            live: b.controller.live,
            brokerEpochs: b.controller.brokerEpochs.slice(),
            offline: b.controller.offline,
          }
        : null,
      replicas: b.replicas.map((r) =>
        r
          ? {
              log: r.log.slice(),
              hw: r.hw,
              hwCheckpoint: r.hwCheckpoint,
              flushed: r.flushed,
              role: r.role,
              leader: r.leader,
              leaderEpoch: r.leaderEpoch,
              isr: r.isr,
              zkVersion: r.zkVersion,
              epochStart: r.epochStart,
              followerLeo: r.followerLeo.slice(),
              followerEpoch: r.followerEpoch.slice(),
              mustTruncate: r.mustTruncate,
              pendingIsr: r.pendingIsr,
            }
          : null,
      ),
    })),
    zk: {
      controller: s.zk.controller,
      controllerEpoch: s.zk.controllerEpoch,
      brokerEpochs: s.zk.brokerEpochs.slice(),
      nextCzxid: s.zk.nextCzxid,
      partitions: s.zk.partitions.slice(),
    },
    kraft: s.kraft ? cloneKRaft(s.kraft) : null,
    split: s.split,
    inFlight: s.inFlight.slice(),
    produced: s.produced.slice(),
    pending: s.pending.slice(),
    budget: { ...s.budget },
    ghost: {
      acked: s.ghost.acked.slice(),
      staleControllerWrite: s.ghost.staleControllerWrite,
      uncleanElection: s.ghost.uncleanElection,
      hwPassedIsr: s.ghost.hwPassedIsr,
      ackBelowMinIsr: s.ghost.ackBelowMinIsr,
      exposed: s.ghost.exposed.slice(),
      exposedBy: s.ghost.exposedBy.slice(),
      exposedChanged: s.ghost.exposedChanged,
    },
  };
}

/** Records and partition changes are never mutated in place (transitions replace them), so they are shared. */
function cloneKRaft(k: KRaftState): KRaftState {
  return {
    voters: k.voters.map((v) => ({
      alive: v.alive,
      role: v.role,
      epoch: v.epoch,
      votedFor: v.votedFor,
      leader: v.leader,
      log: v.log.slice(),
      hw: v.hw,
      votes: v.votes,
      epochStart: v.epochStart,
      endOffsets: v.endOffsets.slice(),
    })),
    brokers: k.brokers.map((b) => ({ epoch: b.epoch, caughtUp: b.caughtUp })),
    committed: k.committed.slice(),
    committedBy: k.committedBy.slice(),
    leaderEpochs: k.leaderEpochs,
    lostCommit: k.lostCommit,
    minorityCommit: k.minorityCommit,
  };
}
