import type {
  ChangeOutcome,
  ChangeRequest,
  ElectionRule,
  PartitionPolicy,
  PartitionRegistration,
} from '../model/index.js';
import {
  NO_LAST_KNOWN_LEADER,
  NO_LEADER,
  electionViewOf,
  leadersAllowedBy,
  partitionChangeOutcomes,
  ruleDecides,
} from '../model/index.js';
import type { ClusterView, PartitionView } from './clusterState.js';
import {
  effectiveMinIsr,
  elrEnabled,
  isActive,
  leaderRecoverySupported,
  list,
  uncleanEnabled,
} from './clusterState.js';
import type { PartitionChange } from './kafkaRecords.js';
import { RECOVERING } from './kafkaRecords.js';

/**
 * Conformance: is a `PartitionChangeRecord` one the model's KRaft controller could have written from the
 * rebuilt state? The record's effect is compared with every outcome of the model's own
 * `PartitionChangeBuilder` (`partitionChangeOutcomes`) for the requests the controller may have been
 * serving: an AlterPartition from the leader, a re-election after the batch's broker changes (fencing,
 * controlled shutdown, unfencing, re-registration after an unclean shutdown), a preferred election.
 * The model works on bitmasks over dense broker indices; `Dense` maps Kafka's broker ids onto them.
 */

/** Kafka broker ids ↔ the model's dense indices (at most 31 brokers). */
export class Dense {
  readonly ids: readonly number[];
  constructor(ids: Iterable<number>) {
    this.ids = [...new Set(ids)].filter((x) => x >= 0).sort((a, b) => a - b);
  }
  index(id: number): number {
    return id < 0 ? NO_LEADER : this.ids.indexOf(id);
  }
  mask(ids: readonly number[]): number {
    return ids.reduce((m, id) => m | (1 << this.index(id)), 0);
  }
  idsOf(mask: number): number[] {
    return this.ids.filter((_, i) => (mask & (1 << i)) !== 0);
  }
  id(index: number): number {
    return index < 0 ? index : (this.ids[index] ?? index);
  }
}

/** What the record's batch did to brokers and configs (the controller event it belongs to). */
export interface BatchContext {
  /** The cluster as the whole batch leaves it (brokers fenced/unfenced/registered by the event). */
  readonly after: ClusterView;
  /** Brokers (re-)registered in the batch: KIP-966 takes them out of ISR and ELR as unclean shutdowns. */
  readonly registered: ReadonlySet<number>;
  /** Brokers fenced, put in controlled shutdown or registered in the batch. */
  readonly removed: ReadonlySet<number>;
  /** Whether the batch registers, fences, unfences or shuts down a broker (a re-election may follow). */
  readonly brokersChanged: boolean;
  /** In Kafka's words, what the batch's broker records do ("fences broker 2"), for reports. */
  readonly event: string;
  /** Topics whose min.insync.replicas the batch changes ("" = the cluster default). */
  readonly minIsrChanged: ReadonlySet<string>;
}

export type Conformance =
  | { readonly ok: true; readonly as: string }
  | { readonly ok: false; readonly expected: readonly string[]; readonly found: string; readonly why: string };

interface Candidate {
  readonly as: string;
  readonly req: ChangeRequest;
}

/** A partition's state in Kafka's words. */
export function describePartition(p: Pick<PartitionView, 'leader' | 'isr' | 'elr' | 'lastKnownElr'>): string {
  return `leader ${p.leader}, ISR ${list(p.isr)}, ELR ${list(p.elr)}, last known ELR ${list(p.lastKnownElr)}`;
}

function describeOutcome(d: Dense, o: ChangeOutcome): string {
  const c = o.change;
  if (!c) return 'no record (nothing changes)';
  return `${describePartition({
    leader: d.id(c.leader),
    isr: d.idsOf(c.isr),
    elr: d.idsOf(c.elr),
    lastKnownElr: c.lastKnownLeader === NO_LAST_KNOWN_LEADER ? [] : [d.id(c.lastKnownLeader)],
  })}${o.unclean ? ' (unclean election: LeaderRecoveryState RECOVERING)' : ''}`;
}

function registration(d: Dense, p: PartitionView): PartitionRegistration {
  return {
    leader: d.index(p.leader),
    leaderEpoch: p.leaderEpoch,
    partitionEpoch: p.partitionEpoch,
    isr: d.mask(p.isr),
    elr: d.mask(p.elr),
    lastKnownLeader: p.lastKnownElr.length ? d.index(p.lastKnownElr[0] as number) : NO_LAST_KNOWN_LEADER,
  };
}

function candidates(
  d: Dense,
  before: PartitionView,
  found: PartitionView,
  rec: PartitionChange,
  b: BatchContext,
): Candidate[] {
  const cur = registration(d, before);
  let acceptable = 0;
  for (const id of d.ids) if (isActive(b.after, id)) acceptable |= 1 << d.index(id);
  const removed = d.mask([...b.removed]);
  const unclean = elrEnabled(b.after) ? d.mask([...b.registered]) : 0;
  const base = { partition: 0, acceptable, election: 'online' as const, uncleanShutdown: 0, controllerNode: -1 };
  const out: Candidate[] = [];
  const seen = new Set<string>();
  const add = (as: string, req: ChangeRequest): void => {
    const k = JSON.stringify(req);
    if (!seen.has(k)) out.push({ as, req });
    seen.add(k);
  };
  // a broker event removes the brokers it fences from the ISR; without one, only leaderless partitions are re-elected
  const targets = b.brokersChanged ? [cur.isr & ~removed, cur.isr & acceptable, cur.isr] : [cur.isr];
  for (const targetIsr of targets)
    for (const uncleanShutdown of unclean ? [unclean, 0] : [0])
      add(`the controller re-electing after the batch ${b.event}`, { ...base, targetIsr, uncleanShutdown });
  const proposed = d.mask(found.isr);
  if (before.leader >= 0 && (rec.leader === -2 || rec.leader === before.leader) && (proposed & ~acceptable) === 0)
    add(`AlterPartition from leader ${before.leader} proposing ISR ${list(found.isr)}`, {
      ...base,
      targetIsr: proposed,
    });
  add('a preferred leader election', { ...base, targetIsr: cur.isr, election: 'preferred' });
  return out;
}

function sameEffect(d: Dense, o: ChangeOutcome, found: PartitionView): boolean {
  const c = o.change;
  if (!c) return false;
  const lkl = found.lastKnownElr.length === 1 ? d.index(found.lastKnownElr[0] as number) : NO_LAST_KNOWN_LEADER;
  return (
    c.leader === d.index(found.leader) &&
    c.isr === d.mask(found.isr) &&
    c.elr === d.mask(found.elr) &&
    c.lastKnownLeader === lkl &&
    found.lastKnownElr.length <= 1
  );
}

/** Records the model does not produce but Kafka legitimately writes, with what they are. */
function outsideModel(
  before: PartitionView,
  found: PartitionView,
  rec: PartitionChange,
  b: BatchContext,
): string | undefined {
  const same = before.leader === found.leader && `${before.isr}` === `${found.isr}`;
  if (rec.replicas && `${rec.replicas}` !== `${before.replicas}`)
    return 'a reassignment (replica list change: not modelled, not checked)';
  if (same && `${before.elr}` === `${found.elr}` && `${before.lastKnownElr}` === `${found.lastKnownElr}`)
    return before.leaderRecoveryState === RECOVERING && found.leaderRecoveryState !== RECOVERING
      ? 'the leader finishing its recovery (AlterPartition with LeaderRecoveryState RECOVERED, KIP-704)'
      : 'a change the election model does not read (directories or recovery state)';
  if (same && !found.elr.length && (b.minIsrChanged.has(before.topic) || b.minIsrChanged.has('')))
    return 'clearing the ELR after min.insync.replicas changed (KAFKA-16540)';
  return undefined;
}

/** Whether the record could have come from the model's controller, and if not, what it would have written. */
export function conformChange(
  d: Dense,
  rule: ElectionRule,
  before: PartitionView,
  found: PartitionView,
  rec: PartitionChange,
  b: BatchContext,
): Conformance {
  const skip = outsideModel(before, found, rec, b);
  if (skip) return { ok: true, as: skip };
  const assignment = before.replicas.map((r) => d.index(r));
  const policy: PartitionPolicy = {
    elr: elrEnabled(b.after),
    assignment,
    minIsr: effectiveMinIsr(b.after, before),
    uncleanEnabled: uncleanEnabled(b.after, before.topic),
    ruleDecidesPreferred: ruleDecides(rule, 'preferred'),
    // Kafka 4.1's builder: a fenced last known leader is not electable (KAFKA-19522), so a log that
    // elects one does not conform.
    lastKnownLeaderCheck: true,
    // A metadata log holds no replica's log answers (KIP-966 GetReplicaLogInfo): the rule gets none.
    allowed: (f) => leadersAllowedBy(rule, electionViewOf(assignment, f, [])),
  };
  const cur = registration(d, before);
  const expected: string[] = [];
  let recoveryMismatch: string | undefined;
  for (const c of candidates(d, before, found, rec, b)) {
    for (const o of partitionChangeOutcomes(policy, cur, c.req)) {
      const text = `on ${c.as}: ${describeOutcome(d, o)}`;
      if (!expected.includes(text)) expected.push(text);
      if (!sameEffect(d, o, found)) continue;
      const problem = recoveryProblem(b.after, before, found, rec, o);
      if (!problem) return { ok: true, as: c.as };
      recoveryMismatch ??= problem;
    }
  }
  return {
    ok: false,
    expected,
    found:
      describePartition(found) + (rec.leaderRecoveryState === RECOVERING ? ' (LeaderRecoveryState RECOVERING)' : ''),
    why: recoveryMismatch ?? notAllowed(b.after, before, found),
  };
}

/** Why no request fits, in Kafka's words where a known pattern applies. */
function notAllowed(c: ClusterView, before: PartitionView, found: PartitionView): string {
  const l = found.leader;
  if (l >= 0 && l !== before.leader && before.lastKnownElr.includes(l) && !isActive(c, l))
    return `it elects the last known leader ${l}, which is not an acceptable leader (fenced or unregistered): canElectLastKnownLeader must check isAcceptableLeader (KAFKA-19522)`;
  return 'no request the controller could have served produces this change';
}

/**
 * KIP-704: an unclean election marks the leader RECOVERING (`PartitionChangeBuilder.tryElection`, from
 * metadata.version 3.2-IV0) and a clean one does not; the unclean-election metric follows this mark
 * (KAFKA-19212), and an ELR election is a clean one (KAFKA-18940).
 */
function recoveryProblem(
  c: ClusterView,
  before: PartitionView,
  found: PartitionView,
  rec: PartitionChange,
  o: ChangeOutcome,
): string | undefined {
  const marked = rec.leaderRecoveryState === RECOVERING;
  const leader = found.leader;
  if (o.unclean && !marked && before.leaderRecoveryState !== RECOVERING && leaderRecoverySupported(c))
    return `the election of ${leader} is unclean (${leader} is outside ISR ${list(before.isr)} and ELR ${list(before.elr)}), but the record leaves LeaderRecoveryState RECOVERED: it reports an unclean election as clean (KAFKA-19212)`;
  if (!o.unclean && marked)
    return `the election of ${leader} is clean (${before.elr.includes(leader) ? `${leader} is in the ELR ${list(before.elr)}` : `${leader} is in the ISR ${list(before.isr)}`}), but the record sets LeaderRecoveryState RECOVERING: it reports a clean election as unclean (KAFKA-18940)`;
  return undefined;
}
