import { always, type AlwaysProperty } from '../checker/index.js';
import type { ClusterState } from '../model/index.js';
import { ROLE_LEADER, ROLE_NONE, has } from '../model/index.js';
import { entryName, replicaBrokers, replicaAt, sameEntry } from './clusterView.js';
import { defineProperty, type PropertyInfo } from './propertyInfo.js';

/** The catalog entry of `log-consistency`. */
export const logConsistencyInfo: PropertyInfo = defineProperty({
  id: 'log-consistency',
  title: 'Replicas agree on the committed prefix and every ISR member holds it',
  kind: 'always',
  doc: {
    invariant:
      'Any two replicas (running or stopped) hold the same records below the smaller of their high watermarks, and every running member of the ISR (ZooKeeper, or the committed metadata in KRaft mode) that has taken its role since it started holds every entry any replica has below its high watermark (StrongIsr). Consumers read below the high watermark, so this is what keeps a consumed record from changing or vanishing; a member that is down or not yet told its role is not judged (the controller takes it out of the ISR first). Fails with unclean election and with pre-KIP-101 high-watermark truncation (a follower truncates a committed record while in the ISR); a power loss alone does not make it fail.',
  },
  build: () => logConsistency,
});

/**
 * `log-consistency`: replicas agree on the committed prefix, and every ISR member holds it.
 *
 * The high watermark of a replica marks the prefix of its log that it considers committed; consumers
 * read only below it (`UnifiedLog.highWatermark`, KIP-101). Stated over one state, for every partition:
 *
 * 1. *Agreement*: any two replicas — on running or stopped brokers, since a stopped broker's log and
 *    its high-watermark checkpoint survive on disk — hold the same record, written in the same leader
 *    epoch, at every offset below the smaller of their two high watermarks.
 * 2. *Committed data is on the ISR* (`StrongIsr` of hachikuji's `KafkaReplication.tla`): every member
 *    of the ISR in ZooKeeper (the committed metadata in KRaft mode) that is running and has taken its
 *    role from the controller since it started holds, at the same offsets, every entry that any replica
 *    has below its high watermark. The ISR is where the next clean election picks a leader, so this is
 *    what keeps a record a consumer has seen from changing or vanishing after a failover. A member that
 *    is down, or restarted and not yet told its role, is not judged: Kafka's controller takes it out of
 *    the ISR (or, with ELR, out of ISR and ELR) before it serves again; the hazard is an ISR member that
 *    serves with a hole — a restarted broker the controller did not notice (no KIP-380), a follower that
 *    truncated to a stale high watermark (pre-KIP-101), or one a new controller put back (no KAFKA-3143).
 *
 * 3. *What consumers read stays* (on the model's ghost of exposed records: the prefix that has been
 *    below a leader's high watermark, `ghost.exposed`): no leader ever exposes a different record at an
 *    exposed offset, and every running leader of the newest exposing leader epoch or a later one holds
 *    the whole exposed prefix. This catches a consumed record that vanishes even when its last holder
 *    loses it in the same step (a leader that advanced its high watermark below min.insync.replicas
 *    and then lost power: KAFKA-15583, the last replica standing of KIP-966).
 */
export const logConsistency: AlwaysProperty<ClusterState> = always(
  logConsistencyInfo.id,
  logConsistencyInfo.title,
  (s) => findInconsistency(s) === undefined,
  (s) => findInconsistency(s) ?? 'holds',
);

function findInconsistency(s: ClusterState): string | undefined {
  if (s.ghost.exposedChanged)
    return 'a leader exposed a record at an offset where consumers had read a different one: a consumed record changed';
  for (let p = 0; p < s.zk.partitions.length; p++) {
    const ex = s.ghost.exposed[p] ?? [];
    const by = s.ghost.exposedBy[p] ?? -1;
    for (let L = 0; L < s.brokers.length; L++) {
      const lb = s.brokers[L];
      const lr = lb?.alive ? lb.replicas[p] : null;
      if (!lr || lr.role !== ROLE_LEADER || lr.leaderEpoch < by) continue;
      for (let i = 0; i < ex.length; i++)
        if (!sameEntry(lr.log[i], ex[i]))
          return `p${p} offset ${i}: consumers could read ${entryName(ex[i])} (below a leader's high watermark up to leader epoch ${by}), but leader b${L} of leader epoch ${lr.leaderEpoch} has ${entryName(lr.log[i])}: a consumed record is lost`;
    }
  }
  for (let p = 0; p < s.zk.partitions.length; p++) {
    const bs = replicaBrokers(s, p);
    for (const a of bs) {
      const ra = replicaAt(s, a, p);
      if (!ra) continue;
      for (const b of bs) {
        if (b <= a) continue;
        const rb = replicaAt(s, b, p);
        if (!rb) continue;
        const upTo = Math.min(ra.hw, rb.hw);
        for (let i = 0; i < upTo; i++)
          if (!sameEntry(ra.log[i], rb.log[i]))
            return `p${p} offset ${i}: b${a} has ${entryName(ra.log[i])} and b${b} has ${entryName(rb.log[i])}, both below their high watermarks (${ra.hw} and ${rb.hw})`;
      }
    }
    const isr = s.zk.partitions[p]?.isr ?? 0;
    for (const m of bs) {
      if (!has(isr, m) || !s.brokers[m]?.alive) continue;
      const rm = replicaAt(s, m, p);
      if (!rm || rm.role === ROLE_NONE) continue;
      for (const b of bs) {
        const rb = replicaAt(s, b, p);
        if (!rb || b === m) continue;
        for (let i = 0; i < rb.hw; i++)
          if (!sameEntry(rm.log[i], rb.log[i]))
            return `p${p} offset ${i}: ISR member b${m} has ${entryName(rm.log[i])}, but b${b} has ${entryName(rb.log[i])} below its high watermark ${rb.hw}`;
      }
    }
  }
  return undefined;
}
