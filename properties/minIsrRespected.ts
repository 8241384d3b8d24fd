import { always, type AlwaysProperty } from '../checker/index.js';
import type { ClusterState, ModelConfig } from '../model/index.js';

/**
 * `min-isr-respected`: an acks=all acknowledgement means the record is on at least
 * min(`min.insync.replicas`, replication factor) replicas.
 *
 * That is the promise operators set `min.insync.replicas` for: `Partition.appendRecordsToLeader` refuses
 * the append while the ISR is smaller (NOT_ENOUGH_REPLICAS), and `Partition.checkEnoughReplicasReachOffset`
 * completes the request only once the high watermark passes the record and the maximal ISR is still big
 * enough (else NOT_ENOUGH_REPLICAS_AFTER_APPEND). The leader counts the ISR members' fetch positions, so
 * the promise fails only when one of those positions is no longer true when the record is acknowledged.
 *
 * Stated on the model's ghost: the transition that acknowledges a record counts the replicas (running or
 * stopped: a log survives on disk) that hold it at its offset, and flags an acknowledgement with fewer.
 * The hazard is real durability below what the operator configured. It fails when an ISR member loses
 * unflushed records in a power loss and the leader acknowledges on its stale fetch position before the
 * ISR shrinks (`--max-unclean-shutdowns 1 --min-isr 3`, Kafka's reliance on replication rather than
 * fsync), or with pre-KIP-101 truncation of a follower the leader still counts. With acks=1 it holds
 * trivially (the setting does not apply).
 */
export function minIsrRespected(cfg: ModelConfig): AlwaysProperty<ClusterState> {
  const minIsr = Math.min(cfg.minInsyncReplicas, cfg.replicationFactor);
  return always(
    'min-isr-respected',
    'An acks=all acknowledgement means the record is on at least min.insync.replicas replicas',
    (s) => !s.ghost.ackBelowMinIsr,
    (s) =>
      s.ghost.ackBelowMinIsr
        ? `an acks=all record was acknowledged while fewer than ${minIsr} replica(s) (min.insync.replicas) held it: the leader counted an ISR member's stale fetch position`
        : 'holds',
  );
}
