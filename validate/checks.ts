import type { ClusterView, PartitionView } from './clusterState.js';
import { effectiveMinIsr, elrEnabled, list, uncleanEnabled } from './clusterState.js';

/**
 * The model's safety properties restated on a real cluster's history: invariants of one partition's
 * registration (checked at the end of each record batch, since the active controller writes an event's
 * records atomically and a batch may pass through states that its last record repairs) and rules on
 * each change of a partition (checked at the record). Kafka's words; no model state involved.
 */

/** One broken rule, about one partition. */
export interface Finding {
  /** Stable id of the rule. */
  readonly check: string;
  readonly partition: string;
  readonly message: string;
}

export const CHECKS: Readonly<Record<string, string>> = {
  'leader-in-isr': 'the leader is a member of the ISR',
  'isr-elr-disjoint': 'no replica is in both the ISR and the ELR (KIP-966)',
  'leader-active': 'the leader is a registered, unfenced broker',
  'isr-members-active': 'ISR members are registered and unfenced (KIP-841; without ELR the last member may stay)',
  'elr-only-below-min-isr': 'the ELR is empty while the ISR has min.insync.replicas members (KIP-966, KAFKA-16540)',
  'clean-election':
    'a new leader comes from the ISR, or the ELR / last known leader (KIP-966), unless unclean.leader.election.enable',
  'leader-epoch-bumped': 'every leader change bumps the leader epoch',
  'partition-epoch-increases': 'every change of a partition increases its partition epoch',
  'elr-on-shrink-below-min-isr': 'replicas leaving an ISR below min.insync.replicas join the ELR (KIP-966)',
};

/** Invariants of partition `p` in cluster `c`. */
export function partitionInvariants(c: ClusterView, p: PartitionView): Finding[] {
  const out: Finding[] = [];
  const f = (check: string, message: string): void => void out.push({ check, partition: p.name, message });
  if (p.leader >= 0 && !p.isr.includes(p.leader))
    f('leader-in-isr', `leader ${p.leader} of ${p.name} is not in its ISR ${list(p.isr)}`);
  const both = p.isr.filter((r) => p.elr.includes(r));
  if (both.length)
    f('isr-elr-disjoint', `${p.name} has ${list(both)} in both ISR ${list(p.isr)} and ELR ${list(p.elr)}`);
  if (p.leader >= 0) {
    const b = c.brokers.get(p.leader);
    if (!b) f('leader-active', `leader ${p.leader} of ${p.name} is not a registered broker`);
    else if (b.fenced) f('leader-active', `leader ${p.leader} of ${p.name} is fenced (broker epoch ${b.epoch})`);
  }
  const elr = elrEnabled(c);
  for (const r of p.isr) {
    const b = c.brokers.get(r);
    const lastMember = !elr && p.isr.length === 1;
    if (!b) f('isr-members-active', `ISR ${list(p.isr)} of ${p.name} holds broker ${r}, which is not registered`);
    else if (b.fenced && !lastMember)
      f('isr-members-active', `ISR ${list(p.isr)} of ${p.name} holds fenced broker ${r}`);
  }
  const minIsr = effectiveMinIsr(c, p);
  if (p.elr.length && p.isr.length >= minIsr)
    f(
      'elr-only-below-min-isr',
      `${p.name} keeps ELR ${list(p.elr)} while its ISR ${list(p.isr)} has min.insync.replicas=${minIsr} members`,
    );
  return out;
}

/**
 * Rules on one change of a partition from `before` to `after` (cluster `c` as the batch leaves it);
 * `uncleanShutdown` holds the brokers that registered again in the same batch.
 */
export function changeRules(
  c: ClusterView,
  before: PartitionView,
  after: PartitionView,
  uncleanShutdown: ReadonlySet<number>,
): Finding[] {
  const out: Finding[] = [];
  const f = (check: string, message: string): void => void out.push({ check, partition: after.name, message });
  if (after.partitionEpoch <= before.partitionEpoch)
    f(
      'partition-epoch-increases',
      `partition epoch of ${after.name} goes from ${before.partitionEpoch} to ${after.partitionEpoch}`,
    );
  if (after.leader !== before.leader && after.leaderEpoch <= before.leaderEpoch)
    f(
      'leader-epoch-bumped',
      `leader of ${after.name} changes from ${before.leader} to ${after.leader} but the leader epoch goes from ${before.leaderEpoch} to ${after.leaderEpoch}`,
    );
  const elr = elrEnabled(c);
  if (after.leader >= 0 && after.leader !== before.leader && !uncleanEnabled(c, after.topic)) {
    const l = after.leader;
    const fromElr = elr && (before.elr.includes(l) || before.lastKnownElr.includes(l));
    if (!before.isr.includes(l) && !fromElr)
      f(
        'clean-election',
        `${after.name} elects ${l}, which is outside its ISR ${list(before.isr)}${elr ? `, ELR ${list(before.elr)} and last known ELR ${list(before.lastKnownElr)}` : ''}, with unclean.leader.election.enable=false`,
      );
  }
  if (elr && after.isr.length < effectiveMinIsr(c, after)) {
    const lost = before.isr.filter(
      (r) => !after.isr.includes(r) && !after.elr.includes(r) && !uncleanShutdown.has(r) && r !== after.leader,
    );
    const uncleanElection =
      after.isr.length === 1 &&
      after.leader >= 0 &&
      !before.isr.includes(after.leader) &&
      !before.elr.includes(after.leader);
    if (lost.length && !uncleanElection)
      f(
        'elr-on-shrink-below-min-isr',
        `${list(lost)} left the ISR of ${after.name} (now ${list(after.isr)}, below min.insync.replicas=${effectiveMinIsr(c, after)}) without joining its ELR ${list(after.elr)}`,
      );
  }
  return out;
}
