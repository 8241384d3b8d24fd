import { always, type AlwaysProperty } from '../checker/index.js';
import type { ClusterState, ModelConfig } from '../model/index.js';
import { defineProperty, type PropertyInfo } from './propertyInfo.js';

/** The catalog entry of `min-isr-respected`. */
export const minIsrRespectedInfo: PropertyInfo = defineProperty({
  id: 'min-isr-respected',
  title: 'An acks=all acknowledgement means the record is on at least min.insync.replicas replicas',
  kind: 'always',
  doc: {
    invariant:
      'An acks=all acknowledgement means the record is on at least min(min.insync.replicas, replication factor) replicas at that moment (counted on their actual logs when the leader acknowledges it, Partition.checkEnoughReplicasReachOffset). Fails when the leader counts an ISR member’s fetch position that is no longer true: a follower that lost the record in a power loss before the ISR shrank (Kafka relies on replication, not fsync: one power loss with min.insync.replicas=RF, or a second replica lagging), or a restarted follower truncated to a stale high watermark that the controller did not notice (pre-KIP-101 truncation without KIP-380). Holds trivially with acks=1.',
  },
  build: (cfg) => minIsrRespected(cfg),
});

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
    minIsrRespectedInfo.id,
    minIsrRespectedInfo.title,
    (s) => !s.ghost.ackBelowMinIsr,
    (s) =>
      s.ghost.ackBelowMinIsr
        ? `an acks=all record was acknowledged while fewer than ${minIsr} replica(s) (min.insync.replicas) held it: the leader counted an ISR member's stale fetch position`
        : 'holds',
  );
}
