import { describe, expect, it } from 'vitest';
import { DEFAULT_KRAFT_CONFIG, describeConfig, formatSet, resolveConfig, type ModelConfig } from './index.js';

describe('formatSet', () => {
  it('lists the members of a bitmask within its universe, by number or by name, in the order given', () => {
    expect(formatSet(0b101, 3)).toBe('{0,2}');
    expect(formatSet(0, 3)).toBe('{}');
    expect(formatSet(0b1001, 3)).toBe('{0}');
    expect(formatSet(0b110, 3, { name: (v) => `c${v}` })).toBe('{c1,c2}');
    expect(formatSet(0b1001, [3, 0, 1], { name: (n) => (n < 3 ? `b${n}` : 'c0'), separator: ', ' })).toBe('{c0, b0}');
  });
});

describe('describeConfig', () => {
  it('names every setting a run depends on, the faults and the bounds of the mode', () => {
    const c = resolveConfig({
      brokers: 3,
      partitions: 2,
      replicationFactor: 2,
      minInsyncReplicas: 1,
      acks: '1',
      uncleanLeaderElection: true,
      backgroundFlush: true,
      fetchMaxRecords: 1,
      mechanisms: { leaderEpochFencing: false },
      faults: { crashes: 2, networkPartitions: 1, sessionExpiries: 1 },
      bounds: { records: 1, inFlight: 4 },
    });
    expect(describeConfig(c, 'my-preset')).toBe(
      'my-preset: ZooKeeper mode, 3 brokers, 2 partitions (RF 2: p0 on {0,1}, p1 on {1,2}), min.insync.replicas 1, acks=1, unclean elections, rule clean, diverging-epoch truncation, background flush, fetches of ≤ 1 record; faults: 2 crashes, 1 network partition (any two sides), 1 session expiry; mechanisms off: leaderEpochFencing; bounds: 1 record, leader epoch ≤ 3, partition epoch ≤ 4, controller epoch ≤ 2, 4 requests in flight',
    );
    expect(describeConfig(DEFAULT_KRAFT_CONFIG)).toMatch(
      /^KRaft mode \(3 controller voters, pre-vote\), 3 brokers, 1 partition \(RF 3: p0 on \{0,1,2\}\), .*1 network partition \(one node cut off\).*; bounds: 1 record, leader epoch ≤ 2, partition epoch ≤ 3, Raft epoch ≤ 2, 3 metadata records$/,
    );
  });

  it('leaves out a bound a trace file’s config lacks', () => {
    const c = resolveConfig({});
    const { inFlight: _, ...bounds } = c.bounds;
    expect(describeConfig({ ...c, bounds } as unknown as ModelConfig)).toMatch(/controller epoch ≤ 2$/);
  });
});
