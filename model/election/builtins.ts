import type { ElectionRule, ElectionView, ReplicaLogInfo } from './ElectionRule.js';

/**
 * Kafka's own election for each reason (ZooKeeper mode's `PartitionLeaderElectionAlgorithms`):
 * - offline (`offlinePartitionLeaderElection`): the first live ISR member in assignment order; only when
 *   there is none and unclean.leader.election.enable is set, the first live replica;
 * - unclean (an admin's UNCLEAN election: the offline algorithm with unclean allowed, `view.uncleanEnabled`);
 * - controlled shutdown (`controlledShutdownPartitionLeaderElection`): the first live ISR member, the
 *   broker shutting down excluded from `live`; never outside the ISR;
 * - preferred (`preferredReplicaPartitionLeaderElection`): the preferred replica if live and in the ISR.
 *
 * It does not claim preferred elections (`reasons`), so they run Kafka's own algorithm in both modes:
 * in ZooKeeper mode the branch below, in KRaft `PartitionChangeBuilder.electPreferredLeader`.
 */
export const clean: ElectionRule = {
  name: 'clean',
  description: "Kafka's offline election: first live ISR member in assignment order (unclean fallback only if enabled)",
  eligibleLeaders(v) {
    if (v.reason === 'preferred') return preferredOnly(v);
    const fromIsr = v.assignment.find((r) => v.live.includes(r) && v.isr.includes(r));
    if (fromIsr !== undefined) return [fromIsr];
    if (v.uncleanEnabled && v.reason !== 'controlled-shutdown') {
      const any = v.assignment.find((r) => v.live.includes(r));
      if (any !== undefined) return [any];
    }
    return [];
  },
  reasons: ['offline', 'controlled-shutdown', 'unclean'],
  readsReplicaLogs: false,
};

/** The preferred (first assigned) replica if it is live and in the ISR. */
function preferredOnly(v: ElectionView): number[] {
  const head = v.assignment[0];
  return head !== undefined && v.live.includes(head) && v.isr.includes(head) ? [head] : [];
}

/** Always falls back to any live replica when no ISR member is live (unclean.leader.election.enable=true). */
export const unclean: ElectionRule = {
  name: 'unclean',
  description:
    'First live ISR member; if none, the first live replica even outside the ISR (may lose acknowledged data)',
  eligibleLeaders(v) {
    return clean.eligibleLeaders({ ...v, uncleanEnabled: true });
  },
  reasons: ['offline'],
  expectedViolations: ['no-data-loss'],
  readsReplicaLogs: false,
};

/**
 * Preferred-replica election (`preferredReplicaPartitionLeaderElection`): the first replica in the
 * assignment, only if it is live and in the ISR; otherwise no leader.
 */
export const preferred: ElectionRule = {
  name: 'preferred',
  description:
    'Only the preferred (first assigned) replica, if live and in the ISR; otherwise the partition stays offline',
  eligibleLeaders: preferredOnly,
  reasons: ['offline'],
  readsReplicaLogs: false,
};

/** Any live ISR member (the controller may pick any of them): a nondeterministic generalisation of `clean`. */
export const anyIsr: ElectionRule = {
  name: 'any-isr',
  description: 'Any live ISR member (explores every choice, not only the first in assignment order)',
  eligibleLeaders(v) {
    return v.assignment.filter((r) => v.live.includes(r) && v.isr.includes(r));
  },
  reasons: ['offline', 'controlled-shutdown'],
  readsReplicaLogs: false,
};

/** A broken rule for demonstrations: never elects anyone (caught by `eventually-leader`). */
export const never: ElectionRule = {
  name: 'never',
  description: 'Never elects a leader (a deliberately broken rule: liveness must catch it)',
  eligibleLeaders() {
    return [];
  },
  expectedViolations: ['eventually-leader'],
  readsReplicaLogs: false,
};

/**
 * Longest log among the replicas that answer the controller's log query (KIP-966's unclean recovery
 * asks the live replicas with `GetReplicaLogInfo`), ISR or not. A replica that does not answer (down,
 * or cut off from the controller) is not in `view.replicaLogs` and cannot be chosen.
 */
export const longestLog: ElectionRule = {
  name: 'longest-log',
  description: 'Live ISR member first; if none, the live replica with the longest log (KIP-966 unclean recovery idea)',
  eligibleLeaders(v) {
    const isr = clean.eligibleLeaders({ ...v, uncleanEnabled: false });
    if (isr.length) return isr;
    let best: ReplicaLogInfo | undefined;
    for (const r of v.replicaLogs) if (!best || r.logEndOffset > best.logEndOffset) best = r;
    return best ? [best.broker] : [];
  },
  reasons: ['offline'],
  expectedViolations: ['no-data-loss'],
  readsReplicaLogs: true,
};

export const BUILTIN_RULES: readonly ElectionRule[] = [clean, unclean, preferred, anyIsr, longestLog, never];
