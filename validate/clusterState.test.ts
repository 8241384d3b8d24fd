import { describe, expect, it } from 'vitest';
import {
  applyRecord,
  effectiveMinIsr,
  emptyCluster,
  mergeChange,
  uncleanEnabled,
  type PartitionView,
} from './clusterState.js';
import { ordersPartition, partitionChange } from './testing/partitions.js';

const P: PartitionView = ordersPartition([1, 2, 3], { leaderEpoch: 4, partitionEpoch: 9 });
const change = partitionChange;

describe('rebuilding the cluster (PartitionRegistration.merge)', () => {
  it('an ISR-only change keeps the leader epoch and bumps the partition epoch', () => {
    expect(mergeChange(P, change({ isr: [1, 2] }))).toEqual({ ...P, isr: [1, 2], partitionEpoch: 10 });
  });
  it('a leader field bumps the leader epoch, even when it names the same leader (KAFKA-15021)', () => {
    expect(mergeChange(P, change({ leader: 2 })).leaderEpoch).toBe(5);
    expect(mergeChange(P, change({ leader: 1 })).leaderEpoch).toBe(5);
  });
  it('ELR, last known ELR and recovery state change only when set', () => {
    const m = mergeChange(P, change({ eligibleLeaderReplicas: [3], lastKnownElr: [1], leaderRecoveryState: 1 }));
    expect([m.elr, m.lastKnownElr, m.leaderRecoveryState]).toEqual([[3], [1], 1]);
    expect(mergeChange(m, change({})).elr).toEqual([3]);
  });
  it('tracks broker fencing and topic configs with cluster defaults', () => {
    const c = emptyCluster();
    applyRecord(c, {
      type: 'REGISTER_BROKER_RECORD',
      brokerId: 1,
      brokerEpoch: 7,
      fenced: true,
      inControlledShutdown: false,
    });
    applyRecord(c, {
      type: 'BROKER_REGISTRATION_CHANGE_RECORD',
      brokerId: 1,
      brokerEpoch: 7,
      fenced: -1,
      inControlledShutdown: 0,
    });
    expect(c.brokers.get(1)).toEqual({ id: 1, epoch: 7, fenced: false, inControlledShutdown: false });
    expect(() =>
      applyRecord(c, {
        type: 'BROKER_REGISTRATION_CHANGE_RECORD',
        brokerId: 1,
        brokerEpoch: 6,
        fenced: 1,
        inControlledShutdown: 0,
      }),
    ).toThrow('a registration change for broker 1 epoch 6, but its registration has epoch 7');
    applyRecord(c, {
      type: 'CONFIG_RECORD',
      resourceType: 4,
      resourceName: '',
      name: 'min.insync.replicas',
      value: '2',
    });
    applyRecord(c, {
      type: 'CONFIG_RECORD',
      resourceType: 4,
      resourceName: '',
      name: 'unclean.leader.election.enable',
      value: 'true',
    });
    expect(effectiveMinIsr(c, P)).toBe(2);
    applyRecord(c, {
      type: 'CONFIG_RECORD',
      resourceType: 2,
      resourceName: 'orders',
      name: 'min.insync.replicas',
      value: '5',
    });
    expect(effectiveMinIsr(c, P)).toBe(3); // capped at the replication factor
    applyRecord(c, {
      type: 'CONFIG_RECORD',
      resourceType: 2,
      resourceName: 'orders',
      name: 'unclean.leader.election.enable',
      value: 'false',
    });
    expect([uncleanEnabled(c, 'orders'), uncleanEnabled(c, 'other')]).toEqual([false, true]);
  });
});
