import type { ModelConfig } from './config.js';

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
}

export interface Broker {
  readonly alive: boolean;
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

/** Remaining fault budget. */
export interface Budget {
  readonly crashes: number;
  readonly uncleanShutdowns: number;
  readonly networkPartitions: number;
  readonly messageLosses: number;
  readonly sessionExpiries: number;
  readonly controlledShutdowns: number;
  readonly preferredElections: number;
}

/** History variables for properties and reachability guards; no transition branches on them. */
export interface Ghost {
  readonly acked: readonly AckedRecord[];
  /** A controller whose epoch is older than ZooKeeper's changed partition state (split-brain controller). */
  readonly staleControllerWrite: boolean;
  /** Some election chose a leader outside the ISR. */
  readonly uncleanElection: boolean;
}

export interface ClusterState {
  readonly brokers: readonly Broker[];
  readonly zk: ZooKeeper;
  /** Network: 0 = connected; otherwise the bitmask of one side of the split. */
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

/** Whether brokers a and b can talk (same side of the split). */
export function reachable(s: ClusterState, a: BrokerId, b: BrokerId): boolean {
  return s.split === 0 || has(s.split, a) === has(s.split, b);
}

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
  const brokerEpochs = Array.from({ length: c.brokers }, (_, b) => b + 1);
  const brokers: Broker[] = [];
  for (let b = 0; b < c.brokers; b++) {
    brokers.push({
      alive: true,
      session: true,
      controllerEpochSeen: 1,
      controller: b === 0 ? { epoch: 1, live: (1 << c.brokers) - 1, brokerEpochs } : null,
      replicas: c.assignment.map((rs, p) => {
        if (!rs.includes(b)) return null;
        const ps = partitions[p] as PartitionState;
        return {
          log: [],
          hw: 0,
          flushed: 0,
          role: ps.leader === b ? ROLE_LEADER : ROLE_FOLLOWER,
          leader: ps.leader,
          leaderEpoch: 0,
          isr: ps.isr,
          zkVersion: 0,
          epochStart: 0,
          followerLeo: Array<number>(c.brokers).fill(0),
          mustTruncate: false,
        };
      }),
    });
  }
  return {
    brokers,
    zk: { controller: 0, controllerEpoch: 1, brokerEpochs, nextCzxid: c.brokers + 1, partitions },
    split: 0,
    inFlight: [],
    produced: Array<number>(c.partitions).fill(0),
    pending: [],
    budget: { ...c.faults },
    ghost: { acked: [], staleControllerWrite: false, uncleanElection: false },
  };
}

/**
 * A deep, mutable copy of a state: the search loop's fast path. Transitions written against immer
 * drafts run unchanged on it (a draft and a mutable copy have the same shape), without proxies.
 */
export function cloneState(s: ClusterState): ClusterState {
  return {
    brokers: s.brokers.map((b) => ({
      alive: b.alive,
      session: b.session,
      controllerEpochSeen: b.controllerEpochSeen,
      controller: b.controller
        ? { epoch: b.controller.epoch, live: b.controller.live, brokerEpochs: b.controller.brokerEpochs.slice() }
        : null,
      replicas: b.replicas.map((r) =>
        r
          ? {
              log: r.log.slice(),
              hw: r.hw,
              flushed: r.flushed,
              role: r.role,
              leader: r.leader,
              leaderEpoch: r.leaderEpoch,
              isr: r.isr,
              zkVersion: r.zkVersion,
              epochStart: r.epochStart,
              followerLeo: r.followerLeo.slice(),
              mustTruncate: r.mustTruncate,
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
    split: s.split,
    inFlight: s.inFlight.slice(),
    produced: s.produced.slice(),
    pending: s.pending.slice(),
    budget: { ...s.budget },
    ghost: {
      acked: s.ghost.acked.slice(),
      staleControllerWrite: s.ghost.staleControllerWrite,
      uncleanElection: s.ghost.uncleanElection,
    },
  };
}
