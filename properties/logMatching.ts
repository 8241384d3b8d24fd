import { always, type AlwaysProperty } from '../checker/index.js';
import type { ClusterState, ModelConfig } from '../model/index.js';
import { ROLE_FOLLOWER, divergingTruncation } from '../model/index.js';
import { actingLeaderReplica, entryName, replicaAt, replicaBrokers, sameEntry } from './clusterView.js';
import { defineProperty, type PropertyInfo } from './propertyInfo.js';

/** The catalog entry of `log-matching`. */
export const logMatchingInfo: PropertyInfo = defineProperty({
  id: 'log-matching',
  title: 'Replicas never build on different histories: a reconciled follower agrees with its leader',
  kind: 'always',
  doc: {
    invariant:
      'Two clauses. (1) A running follower that has finished truncating for its leader’s epoch (with the fetch-time divergence check of Kafka 2.7+: one whose next fetch would not be answered with a diverging epoch) (and whose leader runs and leads in that epoch) holds the same record as the leader at every offset both logs have: the follower only appends from there on, so a different record at a common offset is permanent divergence. (2) Any two replicas, running or stopped, that hold the same record at some offset hold the same records below it (Raft’s Log Matching): a record copied onto a different prefix means a replica appended to a log it had not reconciled. Fails with pre-KIP-101 high-watermark truncation when two replicas lose power with different unflushed suffixes (KIP-101’s replica-divergence scenario; needs backgroundFlush) — leader-epoch truncation fixes it — and when a leader epoch is reused after a power loss (catalog: controller-leader-power-loss).',
    protectedBy: [
      'truncation by leader epoch, KIP-101/KIP-279 (--truncation hw)',
      'fetch fencing by leader epoch, KIP-320 (--no-fetch-epoch-fencing)',
      'a new leader epoch for every leader change, including a bounced leader (KIP-380)',
    ],
    seeItFail: 'kafka-mc catalog run kip-101-divergence',
  },
  build: (cfg) => logMatching(cfg),
});

/**
 * `log-matching`: replicas never build on different histories. Two clauses, over one state, for every
 * partition:
 *
 * 1. *Follower and leader*: a running follower that has finished truncating for its leader's epoch
 *    (and whose leader runs and leads in that epoch) holds the leader's record at every offset both
 *    logs have. After becoming follower a replica reconciles its log with the leader once — pre-KIP-101
 *    by cutting it at its own high watermark, with KIP-101/KIP-279 by asking the leader where its epoch
 *    ends (`AbstractFetcherThread` truncation, `OffsetsForLeaderEpoch`) — and from then on only appends
 *    what it fetches, so a record that differs from the leader's at that point stays for good
 *    (KIP-101's second scenario). A follower longer than its leader is cut to the leader's end on its
 *    next fetch, so only the common offsets count.
 * 2. *Any two replicas* (running or stopped: logs survive on disk): if both hold the same record at
 *    some offset, they hold the same records at every offset below it — Raft's Log Matching. A record
 *    is written once, by one leader, on top of that leader's log, and a replica copies it by fetching
 *    from the offset where its own log ends; so a replica that holds it on top of a different prefix
 *    appended to a log it had not reconciled (a fetch from a leader of another epoch without KIP-320's
 *    epoch check, or a leader epoch reused after a power loss).
 */
export function logMatching(cfg: ModelConfig): AlwaysProperty<ClusterState> {
  const checksOnFetch = cfg.truncation === 'diverging-epoch';
  return always(
    logMatchingInfo.id,
    logMatchingInfo.title,
    (s) => findDivergence(s, checksOnFetch) === undefined,
    (s) => findDivergence(s, checksOnFetch) ?? 'holds',
  );
}

/**
 * With the fetch-time divergence check (`diverging-epoch`, Kafka 2.7+) a follower reconciles on every
 * fetch, so one whose next fetch would be answered with a diverging epoch has not reconciled yet.
 */
function findDivergence(s: ClusterState, checksOnFetch: boolean): string | undefined {
  for (let p = 0; p < s.zk.partitions.length; p++) {
    for (let f = 0; f < s.brokers.length; f++) {
      const fb = s.brokers[f];
      const fr = fb?.alive ? fb.replicas[p] : null;
      if (!fr || fr.role !== ROLE_FOLLOWER || fr.mustTruncate) continue;
      const lr = actingLeaderReplica(s, fr.leader, p);
      if (!lr || lr.leaderEpoch !== fr.leaderEpoch) continue;
      if (checksOnFetch && divergingTruncation(fr, lr) >= 0) continue;
      const upTo = Math.min(fr.log.length, lr.log.length);
      for (let i = 0; i < upTo; i++)
        if (!sameEntry(fr.log[i], lr.log[i]))
          return `p${p} offset ${i}: follower b${f} has ${entryName(fr.log[i])}, its leader b${fr.leader} (leader epoch ${lr.leaderEpoch}) has ${entryName(lr.log[i])}; the follower will not truncate again and fetches past it`;
    }
    const bs = replicaBrokers(s, p);
    for (const a of bs)
      for (const b of bs) {
        if (b <= a) continue;
        const la = replicaAt(s, a, p)?.log ?? [];
        const lb = replicaAt(s, b, p)?.log ?? [];
        // the highest offset where both hold the same record, then any difference below it
        for (let j = Math.min(la.length, lb.length) - 1; j > 0; j--) {
          if (!sameEntry(la[j], lb[j])) continue;
          for (let i = 0; i < j; i++)
            if (!sameEntry(la[i], lb[i]))
              return `p${p}: b${a} and b${b} both hold ${entryName(la[j])} at offset ${j}, but at offset ${i} b${a} has ${entryName(la[i])} and b${b} has ${entryName(lb[i])}`;
          break;
        }
      }
  }
  return undefined;
}
