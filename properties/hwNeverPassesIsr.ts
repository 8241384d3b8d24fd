import { always, type AlwaysProperty } from '../checker/index.js';
import type { ClusterState } from '../model/index.js';
import { actingLeaderReplica } from './clusterView.js';
import { defineProperty, type PropertyInfo } from './propertyInfo.js';

/** The catalog entry of `hw-never-passes-isr`. */
export const hwNeverPassesIsrInfo: PropertyInfo = defineProperty({
  id: 'hw-never-passes-isr',
  title: 'A leader never advances its high watermark past a record a running ISR member lacks',
  kind: 'always',
  doc: {
    invariant:
      'A leader never advances its high watermark past a record that a running member of its (maximal) ISR does not hold at that offset (judged when the high watermark moves: WeakIsr), and a running leader’s high watermark is within its own log. Fails with pre-KIP-101 high-watermark truncation of a follower the leader still counts (KAFKA-1211), or a follower back from a power loss that the controller did not notice (without KIP-380); a power loss alone does not make it fail (the member is down, not counted as holding anything).',
  },
  build: () => hwNeverPassesIsr,
});

/**
 * `hw-never-passes-isr`: a leader never advances its high watermark past a record that a running member
 * of its ISR does not hold.
 *
 * `Partition.maybeIncrementLeaderHW` moves the high watermark to the smallest fetch position over the
 * (maximal) ISR, trusting that each member still holds what it fetched; acks=all completes and consumers
 * read on that basis (`WeakIsr` of hachikuji's `KafkaReplication.tla`). The hazard is a committed record
 * that an in-sync replica does not have at the moment it is committed, so its election would lose it.
 *
 * Stated on the model's ghost: when a leader's high watermark advances, every running member of its
 * maximal ISR that is also in the controller's ISR (so an election may choose it) and has taken its role
 * since it started must hold the leader's records below the new high
 * watermark (same record, same leader epoch, at every offset); a member that is down, or restarted and
 * not yet told its role, is not judged (the controller takes it out of the ISR before it replicates; a
 * record acknowledged meanwhile on fewer replicas is `min-isr-respected`'s business). Also, over one state, a running leader's high watermark is within its own
 * log. It fails with pre-KIP-101 high-watermark truncation of a follower the leader still counts
 * (KAFKA-1211), or when a follower comes back from a power loss unnoticed by the controller (without
 * KIP-380's broker epochs) while the leader still counts its old fetch position.
 */
export const hwNeverPassesIsr: AlwaysProperty<ClusterState> = always(
  hwNeverPassesIsrInfo.id,
  hwNeverPassesIsrInfo.title,
  (s) => findOvertake(s) === undefined,
  (s) => findOvertake(s) ?? 'holds',
);

function findOvertake(s: ClusterState): string | undefined {
  if (s.ghost.hwPassedIsr)
    return 'a leader advanced its high watermark past a record that a running member of its ISR did not hold (it counted a fetch position the member no longer had)';
  const n = s.brokers.length;
  for (let p = 0; p < s.zk.partitions.length; p++)
    for (let L = 0; L < n; L++) {
      const lr = actingLeaderReplica(s, L, p);
      if (lr && lr.hw > lr.log.length)
        return `leader b${L} of p${p} has high watermark ${lr.hw} beyond its own log end offset ${lr.log.length}`;
    }
  return undefined;
}
