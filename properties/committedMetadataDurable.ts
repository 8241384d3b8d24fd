import { always, type Property } from '../checker/index.js';
import type { ClusterState } from '../model/index.js';
import { VOTER_LEADER, formatRecord, sameRecord } from '../model/index.js';
import { defineProperty, type PropertyInfo } from './propertyInfo.js';

/** The catalog entry of `committed-metadata-durable`. */
export const committedMetadataDurableInfo: PropertyInfo = defineProperty({
  id: 'committed-metadata-durable',
  title: 'A committed metadata record is never lost',
  kind: 'always',
  doc: {
    invariant:
      'KRaft mode: a metadata record, once committed (below a quorum leader’s high watermark), is in the log of every later quorum leader at its offset, and no leader ever commits a different record at that offset (Raft’s Leader Completeness, KIP-595). Brokers apply only committed metadata, so a lost committed record would leave brokers and controller disagreeing for good. Fails with upToDateVoteCheck off: a voter that missed a committed record wins an election and overwrites it. Holds trivially in ZooKeeper mode.',
  },
  build: () => committedMetadataDurable,
  applies: (c) => c.mode === 'kraft',
});

/**
 * `committed-metadata-durable` (KRaft): a metadata record, once committed (below a quorum leader's high
 * watermark), is never lost: every quorum leader of the epoch that committed it or a later one holds
 * it at its offset, and no leader ever commits a different record at that offset.
 *
 * This is Raft's Leader Completeness (KIP-595): brokers apply only committed metadata, so a committed
 * record that a later leader lacks would make brokers and controller disagree on the cluster state for
 * good. It holds by the Raft epoch check and the up-to-date vote check; it holds in ZooKeeper mode
 * trivially (there is no metadata log).
 */
export const committedMetadataDurable: Property<ClusterState> = always(
  committedMetadataDurableInfo.id,
  committedMetadataDurableInfo.title,
  (s) => findLoss(s) === undefined,
  (s) => findLoss(s) ?? 'holds',
);

function findLoss(s: ClusterState): string | undefined {
  const k = s.kraft;
  if (!k) return undefined;
  if (k.lostCommit)
    return 'a quorum leader committed a metadata record at an offset where a different record had been committed';
  const n = s.brokers.length;
  for (const [v, x] of k.voters.entries()) {
    if (!x.alive || x.role !== VOTER_LEADER) continue;
    for (const [i, rec] of k.committed.entries()) {
      const by = k.committedBy[i] ?? 0;
      if (by > x.epoch) break;
      const have = x.log[i];
      if (!have || !sameRecord(have, rec))
        return `metadata record ${i} (${formatRecord(rec, n)}), committed in Raft epoch ${by}, is ${have ? `replaced by ${formatRecord(have, n)}` : 'missing'} in the log of quorum leader c${v} (Raft epoch ${x.epoch})`;
    }
  }
  return undefined;
}
