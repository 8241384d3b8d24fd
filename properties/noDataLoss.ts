import { always, type Property } from '../checker/index.js';
import type { AckedRecord, ClusterState } from '../model/index.js';
import { defineProperty, type PropertyInfo } from './propertyInfo.js';

/** The catalog entry of `no-data-loss`. */
export const noDataLossInfo: PropertyInfo = defineProperty({
  id: 'no-data-loss',
  title: 'Every acknowledged record is in every later leader’s log at its offset',
  kind: 'always',
  doc: {
    invariant:
      'A record acknowledged under the configured acks is in the log of every running leader of the same or a later leader epoch, at the offset where it was acknowledged. Fails with acks=1, with unclean leader election, with pre-KIP-101 high-watermark truncation (KAFKA-1211), and with unclean shutdowns in ZooKeeper mode (the "last replica standing" case of KIP-966).',
    protectedBy: [
      'acks=all with min.insync.replicas: a record is acknowledged only once the ISR has it (--acks 1 weakens it)',
      'clean elections choose only ISR members (--unclean-leader-election, --no-isr-only-election)',
      'truncation by leader epoch, KIP-101/KIP-279 (--truncation hw)',
      'fetch fencing by leader epoch, KIP-320 (--no-fetch-epoch-fencing)',
      'a follower rejoins the ISR only at the current leader epoch, KAFKA-7128 (--no-isr-join-requires-current-epoch)',
      'the high watermark waits for min.insync.replicas, KAFKA-15583 (--no-strict-min-isr)',
    ],
    seeItFail:
      'kafka-mc check --property no-data-loss --acks 1 --max-records 1 --max-leader-epochs 2 --max-partitions 0',
  },
  build: () => noDataLoss,
});

/**
 * `no-data-loss`: a record acknowledged to the producer under the configured acks is in the log of
 * every leader of a later (or the same) leader epoch, at the offset where it was acknowledged.
 *
 * A leader is where consumers and new followers take the log from; once a leader lacks an acknowledged
 * record, followers truncate to match it and the record is gone from the partition.
 */
export const noDataLoss: Property<ClusterState> = always(
  noDataLossInfo.id,
  noDataLossInfo.title,
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
