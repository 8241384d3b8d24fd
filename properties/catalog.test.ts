import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, DEFAULT_KRAFT_CONFIG, resolveConfig } from '../model/index.js';
import {
  GUARDS,
  SAFETY,
  livenessProperties,
  propertyCatalog,
  propertyInfo,
  reachabilityGuards,
  safetyProperties,
} from './index.js';

describe('propertyCatalog', () => {
  it('lists every property once, with a kebab-case id, and the built property matches its entry', () => {
    const ids = propertyCatalog.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([
      'single-leader',
      'single-controller',
      'no-data-loss',
      'log-consistency',
      'epoch-monotonic',
      'leader-in-isr',
      'min-isr-respected',
      'hw-never-passes-isr',
      'log-matching',
      'committed-metadata-durable',
      'majority-commit',
      'leader-active',
      'active-controller-count',
      'eventually-leader',
      'eventually-controller',
      'eventually-isr-restored',
      'eventually-acked',
      'eventually-available',
      'eventually-online',
      'eventually-writable',
      'failover-happens',
      'isr-shrinks',
      'isr-expands',
      'record-acked',
      'controller-failover',
      'unclean-election',
      'zombie-leader-exists',
    ]);
    for (const info of propertyCatalog) {
      expect(info.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      const p = info.build(DEFAULT_CONFIG);
      expect([p.id, p.title, p.kind]).toEqual([info.id, info.title, info.kind]);
      expect(info.group).toBe({ always: 'safety', eventually: 'liveness', sometimes: 'guard' }[info.kind]);
      expect(info.doc.invariant.length).toBeGreaterThan(30);
      expect(info.description).toBe(info.doc.invariant);
      expect(propertyInfo(info.id)).toBe(info);
    }
    expect(propertyInfo('no-such-property')).toBeUndefined();
  });

  it('selects the default sets for a config', () => {
    const ids = (ps: readonly { id: string }[]): string[] => ps.map((p) => p.id);
    // The KRaft-only properties (metadata log) hold trivially in ZooKeeper mode and are left out there.
    const kraftOnly = ['committed-metadata-durable', 'majority-commit', 'leader-active'];
    // Opt-in: violated on the KRaft default by the check-quorum window (see its doc).
    const optIn = ['active-controller-count'];
    expect(ids(safetyProperties(DEFAULT_CONFIG))).toEqual(
      propertyCatalog
        .filter((p) => p.group === 'safety' && !kraftOnly.includes(p.id) && !optIn.includes(p.id))
        .map((p) => p.id),
    );
    expect(ids(safetyProperties(DEFAULT_KRAFT_CONFIG))).toEqual(
      propertyCatalog.filter((p) => p.group === 'safety' && !optIn.includes(p.id)).map((p) => p.id),
    );
    expect(ids(reachabilityGuards(resolveConfig({ mode: 'kraft', faults: { networkPartitions: 0 } })))).toEqual([
      'failover-happens',
      'isr-shrinks',
      'isr-expands',
      'record-acked',
      'controller-failover',
    ]);
    expect(ids(livenessProperties(DEFAULT_CONFIG))).toEqual([
      'eventually-leader',
      'eventually-controller',
      'eventually-isr-restored',
      'eventually-acked',
    ]);
    expect(ids(reachabilityGuards(DEFAULT_CONFIG))).toEqual([
      'failover-happens',
      'isr-shrinks',
      'isr-expands',
      'record-acked',
      'controller-failover',
      'zombie-leader-exists',
    ]);
    const unclean = resolveConfig({ uncleanLeaderElection: true, acks: '1' });
    expect(ids(livenessProperties(unclean))).toEqual([
      'eventually-leader',
      'eventually-controller',
      'eventually-isr-restored',
      'eventually-available',
    ]);
    expect(ids(reachabilityGuards(unclean))).toContain('unclean-election');
    const noFaults = resolveConfig({
      faults: { crashes: 0, networkPartitions: 0 },
    });
    expect(ids(reachabilityGuards(noFaults))).toEqual(['isr-shrinks', 'isr-expands', 'record-acked']);
    expect(ids(reachabilityGuards(noFaults, { all: true }))).toHaveLength(7);
    expect(ids(livenessProperties(noFaults, { all: true }))).toHaveLength(7);
  });

  it('keeps the legacy SAFETY and GUARDS lists', () => {
    expect(SAFETY.map((p) => p.id)).toEqual(['single-leader', 'no-data-loss', 'single-controller']);
    expect(GUARDS.map((p) => p.id)).toEqual(['failover-happens', 'isr-shrinks', 'record-acked']);
  });
});
