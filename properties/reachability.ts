import { sometimes, type SometimesProperty } from '../checker/index.js';
import type { ClusterState } from '../model/index.js';
import { ROLE_LEADER, popcount } from '../model/index.js';
import { hasWorkingController, replicaBrokers } from './clusterView.js';

/**
 * Reachability guards (`sometimes`): each names an event a meaningful run must contain. A complete
 * search that never reaches one fails as *vacuous*, so no safety result passes merely because nothing
 * interesting happened (Stateright's idiom).
 */

/**
 * `failover-happens`: a broker other than a partition's preferred replica (its leader in epoch 0)
 * becomes leader of it and acts on it.
 */
export const failoverHappens: SometimesProperty<ClusterState> = sometimes(
  'failover-happens',
  'A partition fails over to another leader',
  (s) =>
    s.brokers.some(
      (b, id) =>
        b.alive &&
        b.replicas.some(
          (r, p) => r !== null && r.role === ROLE_LEADER && r.leaderEpoch > 0 && id !== s.zk.partitions[p]?.preferred,
        ),
    ),
);

/** `isr-shrinks`: some partition's ISR in ZooKeeper is smaller than its replica set. */
export const isrShrinks: SometimesProperty<ClusterState> = sometimes('isr-shrinks', 'An ISR shrinks', (s) =>
  s.zk.partitions.some((ps, p) => popcount(ps.isr) < replicaBrokers(s, p).length),
);

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
export const isrExpands: SometimesProperty<ClusterState> = sometimes('isr-expands', 'A replica rejoins the ISR', (s) =>
  s.zk.partitions.some((ps, p) => ps.version > ps.leaderEpoch && popcount(ps.isr) === replicaBrokers(s, p).length),
);

/** `record-acked`: a producer receives an acknowledgement. */
export const recordAcked: SometimesProperty<ClusterState> = sometimes(
  'record-acked',
  'A record is acknowledged',
  (s) => s.ghost.acked.length > 0,
);

/** `controller-failover`: a controller of a newer controller epoch than the first one is in charge. */
export const controllerFailover: SometimesProperty<ClusterState> = sometimes(
  'controller-failover',
  'A new controller takes over',
  (s) => s.zk.controllerEpoch > 1 && hasWorkingController(s),
);

/** `unclean-election`: an election chooses a leader outside the ISR (`ghost.uncleanElection`). */
export const uncleanElection: SometimesProperty<ClusterState> = sometimes(
  'unclean-election',
  'An unclean leader election happens',
  (s) => s.ghost.uncleanElection,
);

/**
 * `zombie-leader-exists`: a running broker believes it leads a partition in a leader epoch older than
 * ZooKeeper's (it has not yet learned it was deposed). Fencing is only exercised when this happens.
 */
export const zombieLeaderExists: SometimesProperty<ClusterState> = sometimes(
  'zombie-leader-exists',
  'A deposed leader still believes it leads',
  (s) =>
    s.brokers.some(
      (br) =>
        br.alive &&
        br.replicas.some(
          (r, p) => r !== null && r.role === ROLE_LEADER && r.leaderEpoch < (s.zk.partitions[p]?.leaderEpoch ?? 0),
        ),
    ),
);
