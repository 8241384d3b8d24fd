import type { PartitionView } from '../clusterState.js';

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
