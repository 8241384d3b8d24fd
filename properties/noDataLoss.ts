import { always, type Property } from '../checker/index.js';
import type { AckedRecord, ClusterState } from '../model/index.js';

/**
 * `no-data-loss`: a record acknowledged to the producer under the configured acks is in the log of
 * every leader of a later (or the same) leader epoch, at the offset where it was acknowledged.
 *
 * A leader is where consumers and new followers take the log from; once a leader lacks an acknowledged
 * record, followers truncate to match it and the record is gone from the partition.
 */
export const noDataLoss: Property<ClusterState> = always(
  'no-data-loss',
  'Every acknowledged record is in every later leader’s log at its offset',
  (s) => findLoss(s) === undefined,
  (s) => {
    const f = findLoss(s);
    if (!f) return 'holds';
    const have = f.found === undefined ? 'is missing from' : `is replaced by r${f.found} in`;
    return `record r${f.rec.id} (p${f.rec.partition}, offset ${f.rec.offset}, acknowledged by b${f.rec.by} in leader epoch ${f.rec.leaderEpoch}) ${have} the log of leader b${f.leader} (leader epoch ${f.epoch})`;
  },
);

function findLoss(
  s: ClusterState,
): { rec: AckedRecord; leader: number; epoch: number; found: number | undefined } | undefined {
  for (const rec of s.ghost.acked)
    for (let b = 0; b < s.brokers.length; b++) {
      const br = s.brokers[b];
      const r = br?.alive ? br.replicas[rec.partition] : null;
      if (!r || r.role !== 1 || r.leaderEpoch < rec.leaderEpoch) continue;
      const e = r.log[rec.offset];
      if (!e || e.id !== rec.id) return { rec, leader: b, epoch: r.leaderEpoch, found: e?.id };
    }
  return undefined;
}
