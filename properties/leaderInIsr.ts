import { always, type AlwaysProperty } from '../checker/index.js';
import type { ClusterState, ModelConfig } from '../model/index.js';
import { NO_LEADER, formatSet, has } from '../model/index.js';
import { actingLeaderReplica } from './clusterView.js';
import { defineProperty, type PropertyInfo } from './propertyInfo.js';

/** The catalog entry of `leader-in-isr`. */
export const leaderInIsrInfo: PropertyInfo = defineProperty({
  id: 'leader-in-isr',
  title: 'Every partition leader is an ISR member, and was one when elected unless unclean election is enabled',
  kind: 'always',
  doc: {
    invariant:
      'The leader named in ZooKeeper is in the ZooKeeper ISR, every acting leader has itself in its own ISR view, and unless unclean.leader.election.enable is set no election chose a leader outside the ISR — except the last known leader, which KRaft with ELR elects when ISR and ELR are empty (KIP-966; Kafka calls that election unclean and forces the ISR to the leader). Fails with a rule that ignores the ISR (e.g. `unclean` while the config disables unclean election) or with isrOnlyElection off.',
  },
  build: (cfg) => leaderInIsr(cfg),
});

/**
 * `leader-in-isr`: every partition leader is a member of the ISR — the one in ZooKeeper and the one it
 * holds itself — and, unless `unclean.leader.election.enable` is set, it was already in the ISR when it
 * was elected.
 *
 * Kafka's clean offline election chooses the first live ISR member
 * (`PartitionLeaderElectionAlgorithms.offlinePartitionLeaderElection`); an unclean election chooses a
 * replica outside the ISR and then rewrites the ISR to just that leader (`newIsr := [leader]`), so the
 * ISR alone cannot tell a clean leader from an unclean one. Conjuncts, for every partition:
 *
 * 1. the leader named in ZooKeeper (if any) is in the ZooKeeper ISR;
 * 2. every running broker acting as leader has itself in its own ISR view (`Partition.isr`);
 * 3. with unclean election disabled in `cfg`, no election chose a leader outside the ISR
 *    (`ghost.uncleanElection`): e.g. a rule that ignores the ISR, or `isrOnlyElection` switched off.
 *    KRaft with ELR electing the last known leader (`PartitionChangeBuilder.canElectLastKnownLeader`,
 *    KIP-966) does not count: Kafka returns it as an unclean `ElectionResult` (ISR forced to the
 *    leader, `LeaderRecoveryState.RECOVERING`) but elects it with unclean election disabled by design;
 *    whether its data survived is `no-data-loss`'s question, whether it may lead is `leader-active`'s.
 */
export function leaderInIsr(cfg: ModelConfig): AlwaysProperty<ClusterState> {
  const find = (s: ClusterState): string | undefined => {
    const n = s.brokers.length;
    for (const [p, ps] of s.zk.partitions.entries()) {
      if (ps.leader !== NO_LEADER && !has(ps.isr, ps.leader))
        return `ZooKeeper names b${ps.leader} leader of p${p}, but the ISR is ${formatSet(ps.isr, n)}`;
      for (let b = 0; b < n; b++) {
        const r = actingLeaderReplica(s, b, p);
        if (r && !has(r.isr, b))
          return `b${b} leads p${p} in leader epoch ${r.leaderEpoch} with an ISR view ${formatSet(r.isr, n)} that lacks itself`;
      }
    }
    if (!cfg.uncleanLeaderElection && s.ghost.uncleanElection)
      return 'an election chose a leader outside the ISR although unclean.leader.election.enable is false';
    return undefined;
  };
  return always(
    leaderInIsrInfo.id,
    leaderInIsrInfo.title,
    (s) => find(s) === undefined,
    (s) => find(s) ?? 'holds',
  );
}
