import type { ElectionRule } from './ElectionRule.js';

/**
 * Kafka's offline election (`PartitionLeaderElectionAlgorithms.offlinePartitionLeaderElection`):
 * the first live ISR member in assignment order; only when there is none and
 * unclean.leader.election.enable is set, the first live replica.
 */
export const clean: ElectionRule = {
  name: 'clean',
  description: "Kafka's offline election: first live ISR member in assignment order (unclean fallback only if enabled)",
  eligibleLeaders(v) {
    const fromIsr = v.assignment.find((r) => v.live.includes(r) && v.isr.includes(r));
    if (fromIsr !== undefined) return [fromIsr];
    if (v.uncleanEnabled) {
      const any = v.assignment.find((r) => v.live.includes(r));
      if (any !== undefined) return [any];
    }
    return [];
  },
};

/** Always falls back to any live replica when no ISR member is live (unclean.leader.election.enable=true). */
export const unclean: ElectionRule = {
  name: 'unclean',
  description:
    'First live ISR member; if none, the first live replica even outside the ISR (may lose acknowledged data)',
  eligibleLeaders(v) {
    return clean.eligibleLeaders({ ...v, uncleanEnabled: true });
  },
  expectedViolations: ['no-data-loss'],
};

/**
 * Preferred-replica election (`preferredReplicaPartitionLeaderElection`): the first replica in the
 * assignment, only if it is live and in the ISR; otherwise no leader.
 */
export const preferred: ElectionRule = {
  name: 'preferred',
  description:
    'Only the preferred (first assigned) replica, if live and in the ISR; otherwise the partition stays offline',
  eligibleLeaders(v) {
    const head = v.assignment[0];
    return head !== undefined && v.live.includes(head) && v.isr.includes(head) ? [head] : [];
  },
};

/** Any live ISR member (the controller may pick any of them): a nondeterministic generalisation of `clean`. */
export const anyIsr: ElectionRule = {
  name: 'any-isr',
  description: 'Any live ISR member (explores every choice, not only the first in assignment order)',
  eligibleLeaders(v) {
    return v.assignment.filter((r) => v.live.includes(r) && v.isr.includes(r));
  },
};

/** A broken rule for demonstrations: never elects anyone (caught by `eventually-leader`). */
export const never: ElectionRule = {
  name: 'never',
  description: 'Never elects a leader (a deliberately broken rule: liveness must catch it)',
  eligibleLeaders() {
    return [];
  },
  expectedViolations: ['eventually-leader'],
};

/** Longest log among live replicas (what KIP-966's unclean recovery aims at), ISR or not. */
export const longestLog: ElectionRule = {
  name: 'longest-log',
  description: 'Live ISR member first; if none, the live replica with the longest log (KIP-966 unclean recovery idea)',
  eligibleLeaders(v) {
    const isr = clean.eligibleLeaders({ ...v, uncleanEnabled: false });
    if (isr.length) return isr;
    let best = -1;
    for (const r of v.assignment)
      if (v.live.includes(r) && (best === -1 || (v.logEndOffsets[r] ?? 0) > (v.logEndOffsets[best] ?? 0))) best = r;
    return best === -1 ? [] : [best];
  },
  expectedViolations: ['no-data-loss'],
};

export const BUILTIN_RULES: readonly ElectionRule[] = [clean, unclean, preferred, anyIsr, longestLog, never];
