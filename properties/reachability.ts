import { sometimes, type Property } from '../checker/index.js';
import type { ClusterState } from '../model/index.js';

/**
 * `failover-happens`: a broker other than a partition's preferred replica (its leader in epoch 0)
 * becomes leader of it and acts on it.
 */
export const failoverHappens: Property<ClusterState> = sometimes(
  'failover-happens',
  'A partition fails over to another leader',
  (s) =>
    s.brokers.some(
      (b, id) =>
        b.alive &&
        b.replicas.some(
          (r, p) => r !== null && r.role === 1 && r.leaderEpoch > 0 && id !== s.zk.partitions[p]?.preferred,
        ),
    ),
);

/** `isr-shrinks`: some partition's ISR in ZooKeeper is smaller than its replica set. */
export const isrShrinks: Property<ClusterState> = sometimes('isr-shrinks', 'An ISR shrinks', (s) =>
  s.zk.partitions.some((ps, p) => {
    let n = 0;
    for (let m = ps.isr; m; m &= m - 1) n++;
    return n < s.brokers.filter((b) => b.replicas[p]).length;
  }),
);

/** `record-acked`: a producer receives an acknowledgement. */
export const recordAcked: Property<ClusterState> = sometimes(
  'record-acked',
  'A record is acknowledged',
  (s) => s.ghost.acked.length > 0,
);
