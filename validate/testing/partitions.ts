import type { PartitionView } from '../clusterState.js';
import type { PartitionChange } from '../kafkaRecords.js';

/**
 * Partition `orders-0` of the unit tests, led by its first replica with every replica in the ISR, no
 * ELR and epochs 0, with `over` applied.
 */
export function ordersPartition(replicas: readonly number[], over: Partial<PartitionView> = {}): PartitionView {
  return {
    topicId: 't',
    name: 'orders-0',
    topic: 'orders',
    partitionId: 0,
    replicas: [...replicas],
    isr: [...replicas],
    elr: [],
    lastKnownElr: [],
    leader: replicas[0] ?? -1,
    leaderEpoch: 0,
    partitionEpoch: 0,
    leaderRecoveryState: 0,
    ...over,
  };
}

/**
 * A `PartitionChangeRecord` for partition 0 of topic `t` that changes nothing (every field at Kafka's
 * "no change" default), with `over` applied.
 */
export function partitionChange(over: Partial<PartitionChange>): PartitionChange {
  return {
    type: 'PARTITION_CHANGE_RECORD',
    partitionId: 0,
    topicId: 't',
    isr: null,
    leader: -2,
    replicas: null,
    leaderRecoveryState: -1,
    eligibleLeaderReplicas: null,
    lastKnownElr: null,
    ...over,
  };
}
