import { describe, expect, it } from 'vitest';
import { changeRules, partitionInvariants } from './checks.js';
import { applyRecord, emptyCluster, type ClusterView, type PartitionView } from './clusterState.js';
import { ordersPartition } from './testing/partitions.js';

/** Brokers 1, 2, 3 (`fenced` ones fenced), topic `orders` with min ISR `minIsr`, ELR per `elr`. */
function cluster(opts: { elr: boolean; minIsr: number; fenced?: readonly number[]; unclean?: boolean }): ClusterView {
  const c = emptyCluster();
  if (opts.elr)
    applyRecord(c, { type: 'FEATURE_LEVEL_RECORD', name: 'eligible.leader.replicas.version', featureLevel: 1 });
  for (const b of [1, 2, 3])
    applyRecord(c, {
      type: 'REGISTER_BROKER_RECORD',
      brokerId: b,
      brokerEpoch: 10 + b,
      fenced: (opts.fenced ?? []).includes(b),
      inControlledShutdown: false,
    });
  const config = (name: string, value: string): void =>
    void applyRecord(c, { type: 'CONFIG_RECORD', resourceType: 2, resourceName: 'orders', name, value });
  config('min.insync.replicas', String(opts.minIsr));
  config('unclean.leader.election.enable', String(opts.unclean ?? false));
  return c;
}

const P: PartitionView = ordersPartition([1, 2, 3]);
const ids = (fs: readonly { check: string }[]): string[] => fs.map((f) => f.check);

describe('partition invariants', () => {
  it('a healthy partition breaks none', () => {
    expect(partitionInvariants(cluster({ elr: true, minIsr: 2 }), P)).toEqual([]);
  });
  it('leader outside the ISR, fenced leader, fenced ISR member, ISR/ELR overlap, ELR at min ISR', () => {
    const c = cluster({ elr: true, minIsr: 2, fenced: [2] });
    expect(ids(partitionInvariants(c, { ...P, leader: 2, isr: [1, 3], elr: [3] }))).toEqual([
      'leader-in-isr',
      'isr-elr-disjoint',
      'leader-active',
      'elr-only-below-min-isr',
    ]);
    expect(partitionInvariants(c, P).map((f) => f.message)).toEqual([
      'ISR [1, 2, 3] of orders-0 holds fenced broker 2',
    ]);
  });
  it('without ELR the last ISR member may stay fenced (KIP-841), with ELR it may not', () => {
    const lone = { ...P, leader: -1, isr: [2] };
    expect(partitionInvariants(cluster({ elr: false, minIsr: 1, fenced: [2] }), lone)).toEqual([]);
    expect(ids(partitionInvariants(cluster({ elr: true, minIsr: 1, fenced: [2] }), lone))).toEqual([
      'isr-members-active',
    ]);
  });
});

describe('rules on a change', () => {
  const c = cluster({ elr: true, minIsr: 2 });
  it('an election from outside ISR, ELR and last known leader is unclean unless the topic allows it', () => {
    const before = { ...P, leader: -1, isr: [], elr: [2] };
    const after = { ...before, leader: 3, isr: [3], leaderEpoch: 1, partitionEpoch: 1 };
    expect(changeRules(c, before, after, new Set()).map((f) => f.message)).toEqual([
      'orders-0 elects 3, which is outside its ISR [], ELR [2] and last known ELR [], with unclean.leader.election.enable=false',
    ]);
    expect(changeRules(cluster({ elr: true, minIsr: 2, unclean: true }), before, after, new Set())).toEqual([]);
    expect(changeRules(c, before, { ...after, leader: 2, isr: [2], elr: [] }, new Set())).toEqual([]); // from the ELR
  });
  it('epochs must move forward', () => {
    expect(ids(changeRules(c, P, { ...P, leader: 2, isr: [2, 3] }, new Set()))).toEqual([
      'partition-epoch-increases',
      'leader-epoch-bumped',
    ]);
  });
  it('replicas leaving an ISR below min ISR join the ELR, unless they shut down uncleanly', () => {
    const after = { ...P, isr: [1], partitionEpoch: 1 };
    expect(changeRules(c, { ...P, isr: [1, 2] }, after, new Set()).map((f) => f.message)).toEqual([
      '[2] left the ISR of orders-0 (now [1], below min.insync.replicas=2) without joining its ELR []',
    ]);
    expect(changeRules(c, { ...P, isr: [1, 2] }, after, new Set([2]))).toEqual([]);
    expect(changeRules(c, { ...P, isr: [1, 2] }, { ...after, elr: [2] }, new Set())).toEqual([]);
  });
});
