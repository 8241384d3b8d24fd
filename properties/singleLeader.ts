import { always, type Property } from '../checker/index.js';
import type { ClusterState } from '../model/index.js';
import { defineProperty, type PropertyInfo } from './propertyInfo.js';

/** The catalog entry of `single-leader`. */
export const singleLeaderInfo: PropertyInfo = defineProperty({
  id: 'single-leader',
  title: 'At most one broker leads a partition in any one leader epoch',
  kind: 'always',
  doc: {
    invariant:
      'For every partition and leader epoch, at most one running broker acts as leader. A deposed leader may still believe it leads in an OLDER epoch (fencing and the ISR protect the data then); two leaders in the SAME epoch mean ZooKeeper handed out one epoch twice, and nothing can tell them apart. Fails when the partition state is written without its zkVersion check (a zombie leader rolls the leader epoch back) and leader-epoch fencing is off.',
    protectedBy: [
      'leader epochs bumped on every election and written conditionally to ZooKeeper (--no-zk-version-check)',
      'controller-epoch fencing of zombie controllers, KAFKA-6082 (--no-controller-epoch-fencing)',
      'brokers apply LeaderAndIsr only with a newer leader epoch (--no-leader-epoch-fencing)',
    ],
  },
  build: () => singleLeader,
});

/**
 * `single-leader`: for every partition and leader epoch, at most one live broker acts as leader.
 *
 * Kafka allows a deposed leader (a zombie whose session expired, or one that has not yet received the
 * LeaderAndIsr that demotes it) to believe it still leads in an OLDER epoch — leader-epoch fencing and
 * the ISR protect the data then. Two brokers leading in the SAME epoch means the controller elected
 * twice for one epoch, and fencing cannot tell them apart.
 */
export const singleLeader: Property<ClusterState> = always(
  singleLeaderInfo.id,
  singleLeaderInfo.title,
  (s) => findTwoLeaders(s) === undefined,
  (s) => {
    const f = findTwoLeaders(s);
    return f ? `brokers b${f.a} and b${f.b} both lead p${f.p} in leader epoch ${f.epoch}` : 'holds';
  },
);

function findTwoLeaders(s: ClusterState): { p: number; a: number; b: number; epoch: number } | undefined {
  const n = s.brokers.length;
  for (let p = 0; p < s.zk.partitions.length; p++)
    for (let a = 0; a < n; a++) {
      const ra = s.brokers[a]?.alive ? s.brokers[a]?.replicas[p] : null;
      if (!ra || ra.role !== 1) continue;
      for (let b = a + 1; b < n; b++) {
        const rb = s.brokers[b]?.alive ? s.brokers[b]?.replicas[p] : null;
        if (rb && rb.role === 1 && rb.leaderEpoch === ra.leaderEpoch) return { p, a, b, epoch: ra.leaderEpoch };
      }
    }
  return undefined;
}
