import { sometimes, type SometimesProperty } from '../checker/index.js';
import type { ClusterState, ModelConfig } from '../model/index.js';
import { ROLE_LEADER, popcount } from '../model/index.js';
import { hasWorkingController, replicaBrokers } from './clusterView.js';
import { defineProperty, type PropertyInfo } from './propertyInfo.js';

/**
 * Reachability guards (`sometimes`): each names an event a meaningful run must contain. A complete
 * search that never reaches one fails as *vacuous*, so no safety result passes merely because nothing
 * interesting happened (Stateright's idiom). Each guard's catalog entry sits beside it; its `applies`
 * leaves it out of the default set when the config makes its event impossible.
 */

/** The whole fault budget. */
const faultBudget = (c: ModelConfig): number =>
  c.faults.crashes +
  c.faults.uncleanShutdowns +
  c.faults.networkPartitions +
  c.faults.messageLosses +
  c.faults.sessionExpiries +
  c.faults.controlledShutdowns +
  c.faults.preferredElections +
  c.faults.uncleanElections;
/** Faults that take a running leader away (or move leadership), so a failover can happen. */
const leaderLoss = (c: ModelConfig): number =>
  c.faults.crashes +
  c.faults.uncleanShutdowns +
  c.faults.sessionExpiries +
  c.faults.controlledShutdowns +
  c.faults.preferredElections;

/** The catalog entry of `failover-happens`. */
export const failoverHappensInfo: PropertyInfo = defineProperty({
  id: 'failover-happens',
  title: 'A partition fails over to another leader',
  kind: 'sometimes',
  doc: {
    invariant:
      'A broker other than a partition’s preferred replica becomes its leader in a later leader epoch and acts on it. Needs a fault that takes a leader away (crash, unclean shutdown, session expiry, controlled shutdown).',
    protectedBy: [
      'needs a fault budget: --max-crashes, --max-unclean-shutdowns, --max-session-expiries or --max-partitions',
    ],
  },
  build: () => failoverHappens,
  applies: (c) => leaderLoss(c) > 0 && c.bounds.leaderEpochs > 0 && c.replicationFactor > 1,
});

/**
 * `failover-happens`: a broker other than a partition's preferred replica (its leader in epoch 0)
 * becomes leader of it and acts on it.
 */
export const failoverHappens: SometimesProperty<ClusterState> = sometimes(
  failoverHappensInfo.id,
  failoverHappensInfo.title,
  (s) =>
    s.brokers.some(
      (b, id) =>
        b.alive &&
        b.replicas.some(
          (r, p) => r !== null && r.role === ROLE_LEADER && r.leaderEpoch > 0 && id !== s.zk.partitions[p]?.preferred,
        ),
    ),
);

/** The catalog entry of `isr-shrinks`. */
export const isrShrinksInfo: PropertyInfo = defineProperty({
  id: 'isr-shrinks',
  title: 'An ISR shrinks',
  kind: 'sometimes',
  doc: {
    invariant: 'Some partition’s ISR in ZooKeeper is smaller than its replica set.',
    protectedBy: ['needs a fault or lag: any fault budget, or a follower that stops fetching'],
  },
  build: () => isrShrinks,
  applies: (c) => c.replicationFactor > 1 && (c.bounds.records > 0 || leaderLoss(c) > 0),
});

/** `isr-shrinks`: some partition's ISR in ZooKeeper is smaller than its replica set. */
export const isrShrinks: SometimesProperty<ClusterState> = sometimes(isrShrinksInfo.id, isrShrinksInfo.title, (s) =>
  s.zk.partitions.some((ps, p) => popcount(ps.isr) < replicaBrokers(s, p).length),
);

/** The catalog entry of `isr-expands`. */
export const isrExpandsInfo: PropertyInfo = defineProperty({
  id: 'isr-expands',
  title: 'A replica rejoins the ISR',
  kind: 'sometimes',
  doc: {
    invariant:
      'A replica rejoins the ISR through AlterPartition, restoring the full ISR (seen as a ZooKeeper partition epoch ahead of the leader epoch with a full ISR).',
  },
  build: () => isrExpands,
  applies: (c) => c.replicationFactor > 1 && c.bounds.partitionEpochs >= 2 && c.bounds.records > 0,
});

/**
 * `isr-expands`: a replica rejoins a partition's ISR (`Partition.maybeExpandIsr` → AlterPartition).
 *
 * Without history the state shows it this way: in ZooKeeper every write by an election or by the
 * controller's ISR removal bumps the leader epoch and the partition epoch together, while an
 * AlterPartition from the leader bumps only the partition epoch. So `version > leaderEpoch` means some
 * AlterPartition was written; if the ISR is full now, the ISR grew back after the last shrink (an ISR
 * only grows through AlterPartition). Expansions that have not (yet) restored the full ISR are not seen
 * (a `ghost.isrExpanded` flag would see them).
 */
export const isrExpands: SometimesProperty<ClusterState> = sometimes(isrExpandsInfo.id, isrExpandsInfo.title, (s) =>
  s.zk.partitions.some((ps, p) => ps.version > ps.leaderEpoch && popcount(ps.isr) === replicaBrokers(s, p).length),
);

/** The catalog entry of `record-acked`. */
export const recordAckedInfo: PropertyInfo = defineProperty({
  id: 'record-acked',
  title: 'A record is acknowledged',
  kind: 'sometimes',
  doc: {
    invariant: 'A producer receives an acknowledgement.',
    protectedBy: ['needs --max-records ≥ 1 and an ISR of at least min.insync.replicas'],
  },
  build: () => recordAcked,
  applies: (c) => c.bounds.records > 0,
});

/** `record-acked`: a producer receives an acknowledgement. */
export const recordAcked: SometimesProperty<ClusterState> = sometimes(
  recordAckedInfo.id,
  recordAckedInfo.title,
  (s) => s.ghost.acked.length > 0,
);

/** The catalog entry of `controller-failover`. */
export const controllerFailoverInfo: PropertyInfo = defineProperty({
  id: 'controller-failover',
  title: 'A new controller takes over',
  kind: 'sometimes',
  doc: {
    invariant:
      'A controller of a newer controller epoch than the initial one is in charge (KRaft: a quorum leader of a Raft epoch after the first has committed its LeaderChange record).',
  },
  build: () => controllerFailover,
  applies: (c) =>
    c.mode === 'kraft'
      ? c.bounds.raftEpochs >= 2 && c.faults.crashes + c.faults.networkPartitions > 0
      : c.bounds.controllerEpochs >= 2 &&
        c.faults.crashes + c.faults.uncleanShutdowns + c.faults.sessionExpiries + c.faults.controlledShutdowns > 0,
});

/** `controller-failover`: a controller of a newer controller epoch than the first one is in charge. */
export const controllerFailover: SometimesProperty<ClusterState> = sometimes(
  controllerFailoverInfo.id,
  controllerFailoverInfo.title,
  (s) => s.zk.controllerEpoch > 1 && hasWorkingController(s),
);

/** The catalog entry of `unclean-election`. */
export const uncleanElectionInfo: PropertyInfo = defineProperty({
  id: 'unclean-election',
  title: 'An unclean leader election happens',
  kind: 'sometimes',
  doc: {
    invariant: 'An election chooses a leader outside the ISR. In the default set when unclean election is enabled.',
  },
  build: () => uncleanElection,
  applies: (c) => c.uncleanLeaderElection && leaderLoss(c) > 0 && c.replicationFactor > 1,
});

/** `unclean-election`: an election chooses a leader outside the ISR (`ghost.uncleanElection`). */
export const uncleanElection: SometimesProperty<ClusterState> = sometimes(
  uncleanElectionInfo.id,
  uncleanElectionInfo.title,
  (s) => s.ghost.uncleanElection,
);

/** The catalog entry of `zombie-leader-exists`. */
export const zombieLeaderExistsInfo: PropertyInfo = defineProperty({
  id: 'zombie-leader-exists',
  title: 'A deposed leader still believes it leads',
  kind: 'sometimes',
  doc: {
    invariant:
      'A running broker believes it leads a partition in a leader epoch older than ZooKeeper’s: it was deposed and has not learned it yet. Fencing is only exercised when this happens.',
  },
  build: () => zombieLeaderExists,
  // KRaft: a crashed leader is not running, and brokers hear of a new leader only by fetching metadata
  // from a controller they can reach, so a zombie needs a split or an expired session.
  applies: (c) =>
    c.replicationFactor > 1 &&
    (c.mode === 'kraft' ? c.faults.networkPartitions + c.faults.sessionExpiries > 0 : faultBudget(c) > 0),
});

/**
 * `zombie-leader-exists`: a running broker believes it leads a partition in a leader epoch older than
 * ZooKeeper's (it has not yet learned it was deposed). Fencing is only exercised when this happens.
 */
export const zombieLeaderExists: SometimesProperty<ClusterState> = sometimes(
  zombieLeaderExistsInfo.id,
  zombieLeaderExistsInfo.title,
  (s) =>
    s.brokers.some(
      (br) =>
        br.alive &&
        br.replicas.some(
          (r, p) => r !== null && r.role === ROLE_LEADER && r.leaderEpoch < (s.zk.partitions[p]?.leaderEpoch ?? 0),
        ),
    ),
);
