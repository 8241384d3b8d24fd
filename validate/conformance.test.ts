import { describe, expect, it } from 'vitest';
import { clean } from '../model/index.js';
import {
  applyRecord,
  copyCluster,
  emptyCluster,
  mergeChange,
  type ClusterView,
  type PartitionView,
} from './clusterState.js';
import { Dense, conformChange, type BatchContext } from './conformance.js';
import type { PartitionChange } from './kafkaRecords.js';
import { ordersPartition, partitionChange } from './testing/partitions.js';

/** Brokers 10, 20, 30 (Kafka ids far from the model's dense 0, 1, 2), ELR off, min ISR 2. */
function base(fenced: readonly number[] = []): ClusterView {
  const c = emptyCluster();
  for (const b of [10, 20, 30])
    applyRecord(c, {
      type: 'REGISTER_BROKER_RECORD',
      brokerId: b,
      brokerEpoch: b,
      fenced: fenced.includes(b),
      inControlledShutdown: false,
    });
  applyRecord(c, {
    type: 'CONFIG_RECORD',
    resourceType: 2,
    resourceName: 'orders',
    name: 'min.insync.replicas',
    value: '2',
  });
  return c;
}
const P: PartitionView = ordersPartition([20, 10, 30], { leaderEpoch: 3, partitionEpoch: 7 });
const rec = partitionChange;
const dense = new Dense([30, 10, 20]);
function fenceBatch(c: ClusterView, b: number): BatchContext {
  const after = copyCluster(c);
  applyRecord(after, {
    type: 'BROKER_REGISTRATION_CHANGE_RECORD',
    brokerId: b,
    brokerEpoch: b,
    fenced: 1,
    inControlledShutdown: 0,
  });
  return {
    after,
    registered: new Set(),
    removed: new Set([b]),
    brokersChanged: true,
    event: `fences broker ${b}`,
    minIsrChanged: new Set(),
  };
}
const check = (b: BatchContext, r: PartitionChange) => conformChange(dense, clean, P, mergeChange(P, r), r, b);

describe('conformance against the model’s PartitionChangeBuilder', () => {
  it('maps Kafka broker ids onto dense indices and back', () => {
    expect([dense.ids, dense.index(20), dense.mask([10, 30]), dense.idsOf(6)]).toEqual([[10, 20, 30], 1, 5, [20, 30]]);
  });

  it('fencing the leader: the first ISR member in assignment order takes over, as Kafka elects', () => {
    const b = fenceBatch(base(), 20);
    expect(check(b, rec({ leader: 10, isr: [10, 30] }))).toEqual({
      ok: true,
      as: 'the controller re-electing after the batch fences broker 20',
    });
    const other = check(b, rec({ leader: 30, isr: [10, 30] }));
    expect(other.ok).toBe(false);
    if (!other.ok)
      expect(other.expected).toContain(
        'on the controller re-electing after the batch fences broker 20: leader 10, ISR [10, 30], ELR [], last known ELR []',
      );
  });

  it('an AlterPartition shrink from the leader conforms; one adding a fenced broker does not', () => {
    const none: BatchContext = {
      after: base([30]),
      registered: new Set(),
      removed: new Set(),
      brokersChanged: false,
      event: 'changes no broker',
      minIsrChanged: new Set(),
    };
    const shrunk = { ...P, isr: [20, 10] };
    expect(
      conformChange(dense, clean, P, mergeChange(P, rec({ isr: [20, 10] })), rec({ isr: [20, 10] }), none),
    ).toEqual({
      ok: true,
      as: 'AlterPartition from leader 20 proposing ISR [20, 10]',
    });
    const grow = rec({ isr: [20, 10, 30] });
    expect(conformChange(dense, clean, shrunk, mergeChange(shrunk, grow), grow, none).ok).toBe(false);
  });

  it('a reassignment is outside the model and accepted as such', () => {
    expect(check(fenceBatch(base(), 30), rec({ replicas: [20, 10], isr: [20, 10] }))).toEqual({
      ok: true,
      as: 'a reassignment (replica list change: not modelled, not checked)',
    });
  });
});
