import { always, type AlwaysProperty } from '../checker/index.js';
import type { ClusterState } from '../model/index.js';
import { ROLE_FOLLOWER } from '../model/index.js';
import { actingLeaderReplica, entryName, sameEntry } from './clusterView.js';

/**
 * `log-matching`: a follower that has finished truncating for its leader's epoch holds the leader's
 * records at every offset both logs have.
 *
 * After becoming follower a replica reconciles its log with the leader once — pre-KIP-101 by cutting it
 * at its own high watermark, with KIP-101/KIP-279 by asking the leader where its epoch ends
 * (`AbstractFetcherThread` truncation, `OffsetsForLeaderEpoch`) — and from then on only appends what
 * it fetches (`ReplicaFetcherThread.processPartitionData`). So any record that differs from the
 * leader's at the same offset at that point stays for good: the replicas have diverged, and a consumer
 * or a later leader sees different records at one offset depending on the replica (KIP-101's second
 * scenario). Stated over one state: for every running follower whose leader runs and leads in the
 * follower's own leader epoch, and which has no truncation pending, the two logs agree on every offset
 * below the shorter one. (A follower longer than its leader is cut to the leader's end on its next
 * fetch, so only the common offsets count.)
 */
export const logMatching: AlwaysProperty<ClusterState> = always(
  'log-matching',
  'A follower that finished truncating agrees with its leader’s log',
  (s) => findDivergence(s) === undefined,
  (s) => findDivergence(s) ?? 'holds',
);

function findDivergence(s: ClusterState): string | undefined {
  for (let p = 0; p < s.zk.partitions.length; p++)
    for (let f = 0; f < s.brokers.length; f++) {
      const fb = s.brokers[f];
      const fr = fb?.alive ? fb.replicas[p] : null;
      if (!fr || fr.role !== ROLE_FOLLOWER || fr.mustTruncate) continue;
      const lr = actingLeaderReplica(s, fr.leader, p);
      if (!lr || lr.leaderEpoch !== fr.leaderEpoch) continue;
      const upTo = Math.min(fr.log.length, lr.log.length);
      for (let i = 0; i < upTo; i++)
        if (!sameEntry(fr.log[i], lr.log[i]))
          return `p${p} offset ${i}: follower b${f} has ${entryName(fr.log[i])}, its leader b${fr.leader} (leader epoch ${lr.leaderEpoch}) has ${entryName(lr.log[i])}; the follower will not truncate again and fetches past it`;
    }
  return undefined;
}
