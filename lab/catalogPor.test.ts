import { describe, expect, it } from 'vitest';
import { CATALOG, resolveConfig, type CatalogEntry } from '../model/index.js';
import { exposeCatalogEntry } from './runCatalog.js';

/**
 * The catalog's exposing configs have no network split in their fault budget, so partial-order
 * reduction has nothing to reduce there (the report says so) and lab.test.ts's catalog runs are the
 * unreduced breadth-first search. These tests give every ZooKeeper entry one split, where the
 * reduction does cut the state space, and check that each bug is still found at the catalog's shortest
 * length, from the reduced state count pinned here. Where the unreduced search takes under a second it
 * runs too and must give the same length; for the larger entries the unreduced counts (1.3 M for
 * kip-101-hw-truncation, 0.9 M, 0.7 M, 2.4 M and 0.4 M for kip-101-divergence, stale-leader-and-isr,
 * kip-279-fast-failover and kip-320-zombie-follower) were measured once, with the same lengths.
 */
const WITH_SPLIT: Readonly<Record<string, { readonly reduced: number; readonly unreduced?: number }>> = {
  'kip-101-hw-truncation': { reduced: 387_620 },
  'kip-101-divergence': { reduced: 209_188 },
  'unclean-election': { reduced: 44_272, unreduced: 116_418 },
  'acks-1': { reduced: 906, unreduced: 2_183 },
  'last-replica-standing': { reduced: 4_810, unreduced: 10_201 },
  'zombie-controller': { reduced: 82, unreduced: 207 },
  'controller-leader-power-loss': { reduced: 2_593, unreduced: 6_922 },
  'zk-stale-isr-expansion': { reduced: 3_685, unreduced: 13_998 },
  'stale-leader-and-isr': { reduced: 201_303 },
  'kip-279-fast-failover': { reduced: 616_827 },
  'kip-320-zombie-follower': { reduced: 94_986 },
  'kafka-7128-lagging-hw': { reduced: 27_159, unreduced: 98_061 },
  'kip-101-two-brokers': { reduced: 4_012, unreduced: 8_673 },
};

const withSplit = (entry: CatalogEntry, partialOrder: boolean) =>
  exposeCatalogEntry(entry, { faults: { networkPartitions: 1 }, options: { partialOrder } });

describe('known-bug catalog under partial-order reduction (each ZooKeeper entry given one network split)', () => {
  it('covers every ZooKeeper entry of the catalog', () => {
    const zk = CATALOG.filter((e) => resolveConfig(e.config).mode === 'zk').map((e) => e.id);
    expect(Object.keys(WITH_SPLIT).sort()).toEqual(zk.sort());
  });

  for (const entry of CATALOG) {
    const pinned = WITH_SPLIT[entry.id];
    if (!pinned) continue;
    it(`${entry.id}: ${entry.property} still violated in ${entry.expectedSteps} steps, from ${pinned.reduced} states`, () => {
      const reduced = withSplit(entry, true);
      expect(reduced.stats.reduction?.used).toBe(true);
      expect(reduced.kind).toBe('violation');
      if (reduced.kind !== 'violation') return;
      expect((reduced.violation.path?.length ?? 0) - 1).toBe(entry.expectedSteps);
      expect(reduced.stats.distinct).toBe(pinned.reduced);
      if (pinned.unreduced === undefined) return;
      // The unreduced breadth-first search gives the shortest counterexample; the reduced one is no shorter.
      const full = withSplit(entry, false);
      expect(full.kind).toBe('violation');
      if (full.kind !== 'violation') return;
      expect((full.violation.path?.length ?? 0) - 1).toBe(entry.expectedSteps);
      expect(full.stats.distinct).toBe(pinned.unreduced);
    });
  }
});
