import { describe, expect, it } from 'vitest';
import { check, type CheckOptions, type CheckResult, type Property } from '../checker/index.js';
import {
  DEFAULT_CONFIG,
  catalogEntry,
  clean,
  kafkaModel,
  resolveConfig,
  type ClusterState,
  type ConfigInput,
} from './index.js';
import {
  GUARDS,
  SAFETY,
  committedMetadataDurable,
  majorityCommit,
  noDataLoss,
  reachabilityGuards,
  safetyProperties,
} from '../properties/index.js';

/**
 * `check --bitstate` on the Kafka model: with room to spare the bit array stores exactly the states the
 * fingerprint table does; a small one stores fewer and says how likely it was to lose them; violations
 * are found with the exhaustive search's counterexample.
 */

/** KRaft, 3 voters, 3 brokers, 1 record, 1 crash, no network partition: 20,666 states (model/kraftModel.test.ts). */
const KRAFT_SMALL: ConfigInput = { mode: 'kraft', faults: { networkPartitions: 0 } };
const KRAFT_PROPS = [...SAFETY, committedMetadataDurable, majorityCommit, ...GUARDS];

function run(input: ConfigInput, props: readonly Property<ClusterState>[], options: CheckOptions): CheckResult {
  return check(kafkaModel(resolveConfig(input), clean), props, options);
}

describe('bitstate search of the Kafka model', () => {
  it('ZooKeeper default, 512 MiB (2^32 bits): every one of the 365,059 states is stored, and the run is not a pass', () => {
    const props = [...safetyProperties(DEFAULT_CONFIG), ...reachabilityGuards(DEFAULT_CONFIG)];
    const r = check(kafkaModel(DEFAULT_CONFIG, clean), props, { bitstate: { bits: 2 ** 32 } });
    expect(r.kind).toBe('incomplete');
    expect(r.kind === 'incomplete' && r.reasons).toEqual(['bitstate']);
    expect(r.stats.distinct).toBe(365_059); // the exhaustive count (model/defaultConfig.test.ts)
    expect(r.stats.bitstate?.coverage).toBeGreaterThan(1 - 1e-8);
    expect(r.stats.bitstate?.coverage).toBeLessThan(1);
    expect(r.outcomes.filter((o) => o.kind === 'always').every((o) => o.status === 'unknown')).toBe(true);
    expect(r.outcomes.filter((o) => o.kind === 'sometimes').every((o) => o.status === 'found')).toBe(true);
  }, 300_000); // about 5 s alone; more beside the other test files on a 2-core CI machine

  it('small KRaft config, 2 MiB: BFS and DFS store all 20,666 states', () => {
    for (const strategy of ['bfs', 'dfs'] as const) {
      const r = run(KRAFT_SMALL, KRAFT_PROPS, { strategy, bitstate: { bits: 2 ** 24 } });
      expect(r.kind).toBe('incomplete');
      expect(r.stats.distinct).toBe(20_666);
    }
  });

  it('small KRaft config, 8 KiB: fewer states stored, and an estimated coverage below 1 (pinned)', () => {
    const r = run(KRAFT_SMALL, KRAFT_PROPS, { bitstate: { bits: 2 ** 16 } });
    expect(r.kind).toBe('incomplete');
    const b = r.stats.bitstate;
    expect(b).toBeDefined();
    if (!b) return;
    expect([b.states, b.bitsSet, b.hashes]).toEqual([18_863, 39_702, 3]); // of 20,666
    expect(r.stats.distinct).toBe(18_863);
    expect(b.falsePositive).toBeCloseTo(0.1934, 4); // (1 − e^(−3·18,863/65,536))^3
    expect(b.measuredFalsePositive).toBeCloseTo(0.2223, 4); // (39,702/65,536)^3, the larger
    expect(b.coverage).toBeCloseTo(0.7777, 4);
  });

  it('catalog acks-1: BFS with a 64 KiB array finds the exhaustive search’s 6-step counterexample', () => {
    const entry = catalogEntry('acks-1');
    expect(entry?.expectedSteps).toBe(6);
    if (!entry) return;
    const exact = run(entry.config, [noDataLoss], {});
    const bits = run(entry.config, [noDataLoss], { bitstate: { bits: 2 ** 19 } });
    expect(exact.kind).toBe('violation');
    expect(bits.kind).toBe('violation');
    if (exact.kind !== 'violation' || bits.kind !== 'violation') return;
    expect(bits.violation.path).toEqual(exact.violation.path);
    expect(bits.violation.path?.length).toBe(7);
    expect(bits.violation.detail).toBe(exact.violation.detail);
    expect(bits.incomplete).toEqual(['bitstate']);
    // depth-first finds one too (not the shortest)
    expect(run(entry.config, [noDataLoss], { strategy: 'dfs', bitstate: { bits: 2 ** 19 } }).kind).toBe('violation');
  });
});
