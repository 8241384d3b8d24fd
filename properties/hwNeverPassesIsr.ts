import { always, type AlwaysProperty } from '../checker/index.js';
import type { ClusterState } from '../model/index.js';
import { has } from '../model/index.js';
import { actingLeaderReplica, replicaAt } from './clusterView.js';

/**
 * `hw-never-passes-isr`: a leader's high watermark never exceeds the log end offset of any member of
 * the ISR it waits for, as it sees the ISR itself.
 *
 * `Partition.maybeIncrementLeaderHW` moves the high watermark to the smallest log end offset over the
 * (maximal) ISR, so every record below it is on every ISR member; acks=all completes on that basis.
 * Stated over one state (`WeakIsr` of hachikuji's `KafkaReplication.tla`): for every running broker
 * acting as leader of a partition, and every broker in that leader's own ISR view, the member's actual
 * log end offset (its log on disk, running or not) is at least the leader's high watermark; and the
 * leader's high watermark is within its own log.
 *
 * It fails when a member loses records the leader already counts as committed: pre-KIP-101 truncation
 * to a stale high watermark (KAFKA-1211), or an unclean shutdown of a follower (KIP-966).
 */
export const hwNeverPassesIsr: AlwaysProperty<ClusterState> = always(
  'hw-never-passes-isr',
  'A leader’s high watermark never exceeds the log end offset of an ISR member',
  (s) => findOvertake(s) === undefined,
  (s) => findOvertake(s) ?? 'holds',
);

function findOvertake(s: ClusterState): string | undefined {
  const n = s.brokers.length;
  for (let p = 0; p < s.zk.partitions.length; p++)
    for (let L = 0; L < n; L++) {
      const lr = actingLeaderReplica(s, L, p);
      if (!lr) continue;
      if (lr.hw > lr.log.length)
        return `leader b${L} of p${p} has high watermark ${lr.hw} beyond its own log end offset ${lr.log.length}`;
      for (let f = 0; f < n; f++) {
        if (f === L || !has(lr.isr, f)) continue;
        const fr = replicaAt(s, f, p);
        if (fr && fr.log.length < lr.hw)
          return `leader b${L} of p${p} (leader epoch ${lr.leaderEpoch}) has high watermark ${lr.hw}, but ISR member b${f} has only ${fr.log.length} record(s)`;
      }
    }
  return undefined;
}
