import { always, type Property } from '../checker/index.js';
import type { ClusterState, MetadataRecord } from '../model/index.js';
import { META_FENCE, META_REGISTER, META_SHUTDOWN, META_UNFENCE, NO_LEADER } from '../model/index.js';
import { defineProperty, type PropertyInfo } from './propertyInfo.js';

/** The catalog entry of `leader-active`. */
export const leaderActiveInfo: PropertyInfo = defineProperty({
  id: 'leader-active',
  title: 'No fenced or unregistered broker leads a partition in committed metadata',
  kind: 'always',
  doc: {
    invariant:
      'KRaft mode: in the committed metadata image every partition leader is a registered, unfenced broker (ClusterControlManager.isActive; the model’s controlled shutdown ends fenced). The controller elects only acceptable leaders (PartitionChangeBuilder’s isAcceptableLeader) and moves a broker’s leaderships in the batch that fences it (handleBrokerFenced, KIP-841), so a fenced leader in committed metadata means an election skipped that check. The same rule as `kafka-mc validate`’s leader-active check on a real metadata log. Fails with ELR and --no-last-known-leader-check (Kafka ≤ 4.0 elects a fenced last known leader, KAFKA-19522) and with --no-heartbeat-fencing (a broker registers again, fenced, while its old incarnation still leads). Holds trivially in ZooKeeper mode.',
    protectedBy: [
      'KRaft with ELR: the last known leader is elected only if acceptable, KAFKA-19522 (--no-last-known-leader-check)',
      'KRaft: a silent broker is fenced before it can register again (--no-heartbeat-fencing)',
    ],
    seeItFail: 'kafka-mc catalog run kafka-19522-fenced-last-known-leader',
  },
  build: () => leaderActive,
  applies: (c) => c.mode === 'kraft',
});

/**
 * `leader-active` (KRaft): no partition of the committed metadata image (`s.zk`, see
 * `projectCommitted`) is led by a broker that is fenced there. Brokers register at bootstrap, so in the
 * model "unregistered" cannot happen; a registration made again after a restart starts fenced
 * (`ClusterControlManager.registerBroker`) until an unfencing record.
 */
export const leaderActive: Property<ClusterState> = always(
  leaderActiveInfo.id,
  leaderActiveInfo.title,
  (s) => findFencedLeader(s) === undefined,
  (s) => findFencedLeader(s) ?? 'holds',
);

function findFencedLeader(s: ClusterState): string | undefined {
  const committed = s.kraft?.committed;
  if (!committed) return undefined;
  for (const [p, ps] of s.zk.partitions.entries()) {
    if (ps.leader === NO_LEADER) continue;
    const why = whyFenced(committed, ps.leader);
    if (why)
      return `b${ps.leader} leads p${p} (leader epoch ${ps.leaderEpoch}) in committed metadata while it is fenced: ${why}`;
  }
  return undefined;
}

/**
 * Why broker b is fenced after the committed records (its latest registration, fencing, unfencing or
 * controlled-shutdown record decides), or undefined when it is active.
 */
function whyFenced(committed: readonly MetadataRecord[], b: number): string | undefined {
  for (let i = committed.length - 1; i >= 0; i--) {
    const r = committed[i] as MetadataRecord;
    if (r.broker !== b) continue;
    switch (r.kind) {
      case META_UNFENCE:
        return undefined;
      case META_FENCE:
        return `metadata record ${i} fenced it`;
      case META_SHUTDOWN:
        return `metadata record ${i} took it through a controlled shutdown`;
      case META_REGISTER:
        return `it registered again at metadata record ${i} (broker epoch ${r.brokerEpoch}) and is not unfenced yet`;
    }
  }
  return undefined;
}
