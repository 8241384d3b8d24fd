import { always, type Property } from '../checker/index.js';
import type { ClusterState } from '../model/index.js';

/**
 * `single-controller`: only the controller of the newest controller epoch changes partition state.
 * A deposed controller (a zombie whose ZooKeeper session expired) may still believe it is in charge;
 * controller-epoch fencing (KAFKA-6082) must make every write it attempts fail.
 *
 * KRaft mode (same ghost flag, set by the Raft quorum): at most one voter becomes quorum leader in any
 * Raft epoch, and a leader of an older epoch never commits metadata once a newer epoch has a leader
 * (KIP-595, `QuorumState` / `LeaderState.maybeUpdateHighWatermark`).
 */
export const singleController: Property<ClusterState> = always(
  'single-controller',
  'Only the controller of the newest controller epoch changes partition state',
  (s) => !s.ghost.staleControllerWrite,
  (s) =>
    s.kraft
      ? 'two voters led the controller quorum in one Raft epoch, or a deposed quorum leader committed metadata after a newer epoch had a leader'
      : 'a controller with an older controller epoch wrote partition state to ZooKeeper after a newer controller was elected',
);
