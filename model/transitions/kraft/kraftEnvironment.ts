import type { Action } from '../../actions.js';
import { ADMIN_ELECTIONS } from '../../actions.js';
import type { ClusterState, MetadataRecord } from '../../state.js';
import { META_ALTER_PARTITION, META_ELECTION } from '../../state.js';
import type { Ctx, D } from '../common.js';
import { append, hasRecordRoom, voterAt } from './kraftController.js';
import { controllerFor, isActiveController } from './raftQuorum.js';

/**
 * A projected KRaft cluster's environment (model/projection.ts): the other partitions of the full
 * cluster, seen from partition p. They share p's metadata log, so the records the controller writes
 * about them alone still take offsets, count against `bounds.metadataRecords`, and move the log end that
 * Raft votes compare (KIP-595). Records that change p too (a fencing, a registration) are p's own steps;
 * a record that changes only another partition projects to a record with no partition change, of one of
 * two kinds:
 *
 * - an AlterPartition result (`ReplicationControlManager.alterPartition`, written for the partition's
 *   leader L by the active controller L reaches: `controllerFor`). The record names L, but no step
 *   reads the broker of an AlterPartition record, so the projection drops it (`projectRecord`) and
 *   the environment writes one record per controller, not one per possible leader;
 * - an admin election (`ReplicationControlManager.electLeader`), spending the election budget the
 *   partitions share.
 *
 * The environment may write either whenever such a controller has room in its log — more often than the
 * other partitions could — so the projection has at least the full cluster's behaviours. One bound holds
 * all the same: every `PartitionChangeRecord` raises its partition's epoch by one over the registration
 * in the writing controller's own log, and `bounds.partitionEpochs` caps that epoch, so one log holds
 * at most `partitionEpochs` changes of each other partition, hence at most `others × partitionEpochs`
 * records about other partitions alone (`otherRecordRoom`).
 */
export function otherPartitionRecords(s: ClusterState, ctx: Ctx, out: Action[]): void {
  const env = ctx.cfg.environment;
  if (!env) return;
  for (let c = 0; c < ctx.cfg.voters; c++) {
    if (!isActiveController(s, ctx, c)) continue;
    if (!hasRecordRoom(s, ctx, c) || !otherRecordRoom(voterAt(s, c).log, ctx, env.others)) continue;
    let leaderReaches = false;
    for (let b = 0; b < ctx.cfg.brokers; b++)
      if ((env.hosts >> b) & 1 && s.brokers[b]?.alive && controllerFor(s, ctx, b) === c) leaderReaches = true;
    if (leaderReaches) out.push({ kind: 'other-partition-record', controller: c, election: null });
    for (const election of ADMIN_ELECTIONS)
      if ((election === 'preferred' ? s.budget.preferredElections : s.budget.uncleanElections) > 0)
        out.push({ kind: 'other-partition-record', controller: c, election });
  }
}

/** Whether `log` has fewer records about other partitions alone than they could have written (see above). */
function otherRecordRoom(log: readonly MetadataRecord[], ctx: Ctx, others: number): boolean {
  let n = 0;
  for (const r of log) if ((r.kind === META_ALTER_PARTITION || r.kind === META_ELECTION) && !r.partitions.length) n++;
  return n < others * ctx.cfg.bounds.partitionEpochs;
}

/** Applies `other-partition-record`: the record as p sees it, with no partition change. */
export function otherPartitionRecord(d: D, ctx: Ctx, a: Extract<Action, { kind: 'other-partition-record' }>): void {
  const s = d as unknown as ClusterState;
  const rec: MetadataRecord = {
    epoch: voterAt(s, a.controller).epoch,
    kind: a.election ? META_ELECTION : META_ALTER_PARTITION,
    broker: -1,
    brokerEpoch: 0,
    partitions: [],
  };
  if (a.election === 'preferred') d.budget.preferredElections--;
  if (a.election === 'unclean') d.budget.uncleanElections--;
  append(d, ctx, a.controller, rec);
}
