import { always, type AlwaysProperty } from '../checker/index.js';
import type { AckedRecord, ClusterState, ModelConfig } from '../model/index.js';

/**
 * An acknowledged record as the property reads it: the model's ghost record, plus the size of the
 * acknowledging leader's ISR at acknowledgement time when the model records it (`isrSize`).
 */
export type AckedRecordWithIsr = AckedRecord & { readonly isrSize?: number };

/**
 * `min-isr-respected`: no acks=all acknowledgement while the acknowledging leader's ISR is below
 * `min.insync.replicas`.
 *
 * `Partition.checkEnoughReplicasReachOffset` completes an acks=all request only once the high watermark
 * passes it, and then fails it with NOT_ENOUGH_REPLICAS_AFTER_APPEND if the ISR has fewer than
 * min(`min.insync.replicas`, replication factor) members; `Partition.appendRecordsToLeader` refuses the
 * append up front for the same reason (NOT_ENOUGH_REPLICAS). With acks=1 the setting does not apply and
 * the property holds trivially.
 *
 * Stated over one state: every record in `ghost.acked` acknowledged under acks=all carries the ISR size
 * the acknowledging leader had at that moment (`isrSize`), and it is at least the effective minimum.
 * The ISR size at acknowledgement time is history — a later ISR shrink must not count — so the model
 * has to record it in the ghost; records without `isrSize` cannot be judged and are skipped.
 */
export function minIsrRespected(cfg: ModelConfig): AlwaysProperty<ClusterState> {
  const minIsr = Math.min(cfg.minInsyncReplicas, cfg.replicationFactor);
  const find = (s: ClusterState): AckedRecordWithIsr | undefined => {
    if (cfg.acks !== 'all') return undefined;
    return s.ghost.acked.find((a: AckedRecordWithIsr) => a.isrSize !== undefined && a.isrSize < minIsr);
  };
  return always(
    'min-isr-respected',
    'No acks=all acknowledgement while the leader’s ISR is below min.insync.replicas',
    (s) => find(s) === undefined,
    (s) => {
      const a = find(s);
      return a
        ? `record r${a.id} (p${a.partition}, offset ${a.offset}) was acknowledged by b${a.by} in leader epoch ${a.leaderEpoch} with an ISR of ${a.isrSize ?? '?'} member(s), below min.insync.replicas ${minIsr}`
        : 'holds';
    },
  );
}
