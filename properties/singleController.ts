import { always, type Property } from '../checker/index.js';
import type { ClusterState } from '../model/index.js';

/**
 * `single-controller`: only the controller of the newest controller epoch changes partition state.
 * A deposed controller (a zombie whose ZooKeeper session expired) may still believe it is in charge;
 * controller-epoch fencing (KAFKA-6082) must make every write it attempts fail.
 */
export const singleController: Property<ClusterState> = always(
  'single-controller',
  'Only the controller of the newest controller epoch changes partition state',
  (s) => !s.ghost.staleControllerWrite,
  () =>
    'a controller with an older controller epoch wrote partition state to ZooKeeper after a newer controller was elected',
);
