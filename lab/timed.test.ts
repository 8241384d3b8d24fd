import { describe, expect, it } from 'vitest';
import { Rng } from '../checker/index.js';
import { clean, initialState, kafkaModel, resolveConfig, type Action, type ClusterState } from '../model/index.js';
import { actionTiming, type TimingContext } from './delays.js';
import { latencyFigure, latencyMarkdown, sweepLatency, sweepProblems } from './latencySweep.js';
import { COLORS, MARKERS, svgFigure, ticks, wrap } from './plot.js';
import { measureLatency, pickFault, timedConfig, timedRun, DEFAULT_SCHEDULE, FAULT_KIND_NAMES } from './timed.js';
import { DEFAULT_TIMING, messageLatency, resolveTiming, timingProblems } from './timing.js';

const ctxOf = (mode: 'zk' | 'kraft', timing = DEFAULT_TIMING): TimingContext => ({
  cfg: resolveConfig({ mode }),
  timing,
  crashes: 0,
  zkNoticeInMs: 0,
});

/** The delay `actionTiming` draws for `a` in `s` (throws when it is a fault). */
function delay(a: Action, s: ClusterState, tc: TimingContext, seed = 1): number {
  const t = actionTiming(a, s, tc);
  if (t.kind === 'fault') throw new Error(`${a.kind} is a fault`);
  return t.delay(new Rng(seed));
}

/** A state after `acts` (each must be enabled). */
function after(mode: 'zk' | 'kraft', ...acts: Action[]): ClusterState {
  const m = kafkaModel(timedConfig({ mode }, { fault: 'leader-crash', count: 1 }), clean);
  let s = m.initStates()[0] as ClusterState;
  for (const a of acts) s = m.next(s, a) ?? s;
  return s;
}

describe('timing config', () => {
  it("defaults are Kafka's (ZkConfigs, KRaftConfigs, ReplicationConfigs, QuorumConfig)", () => {
    expect(DEFAULT_TIMING).toMatchObject({
      zookeeperSessionTimeoutMs: 18_000,
      brokerSessionTimeoutMs: 9_000,
      brokerHeartbeatIntervalMs: 2_000,
      replicaLagTimeMaxMs: 30_000,
      controllerQuorumElectionTimeoutMs: 1_000,
      controllerQuorumFetchTimeoutMs: 2_000,
      highWatermarkCheckpointIntervalMs: 5_000,
    });
  });

  it('overrides replace only the settings given', () => {
    const t = resolveTiming({ zookeeperSessionTimeoutMs: 6_000 });
    expect(t.zookeeperSessionTimeoutMs).toBe(6_000);
    expect(t.brokerSessionTimeoutMs).toBe(9_000);
  });

  it('presets before Kafka 2.5 (KIP-537) get their 6 s ZooKeeper session and 10 s replica lag', () => {
    expect(resolveTiming({}, 'kafka-0.10')).toMatchObject({
      zookeeperSessionTimeoutMs: 6_000,
      replicaLagTimeMaxMs: 10_000,
    });
    expect(resolveTiming({ zookeeperSessionTimeoutMs: 9_000 }, 'kafka-0.11').zookeeperSessionTimeoutMs).toBe(9_000);
    expect(resolveTiming({}, 'kafka-3.9-zk')).toEqual(DEFAULT_TIMING);
  });

  it('every problem is named with its fix', () => {
    expect(timingProblems(DEFAULT_TIMING)).toEqual([]);
    expect(
      timingProblems(
        resolveTiming({ messageLatencyP99Ms: 0.5, brokerHeartbeatIntervalMs: 9_000, replicaLagTimeMaxMs: -1 }),
      ),
    ).toEqual(['replica.lag.time.max.ms must be a non-negative number of milliseconds (got -1)']);
    expect(timingProblems(resolveTiming({ messageLatencyP99Ms: 0.5, brokerHeartbeatIntervalMs: 9_000 }))).toEqual([
      'latency p99 (0.5 ms) is below the median (1 ms); give a p99 at least the median',
      'broker.heartbeat.interval.ms (9000) must be below broker.session.timeout.ms (9000), as Kafka requires',
    ]);
  });

  it('message latency is log-normal with the configured median and p99', () => {
    const rng = new Rng(7);
    const xs = Array.from({ length: 20_000 }, () => messageLatency(DEFAULT_TIMING, rng)).sort((a, b) => a - b);
    expect(xs[10_000]).toBeGreaterThan(0.95);
    expect(xs[10_000]).toBeLessThan(1.05);
    expect(xs[19_800]).toBeGreaterThan(9);
    expect(xs[19_800]).toBeLessThan(11);
  });
});

describe('delay model', () => {
  it('faults wait for the schedule; a ZooKeeper expiry is a fault while the broker reaches ZooKeeper', () => {
    const s = after('zk');
    for (const a of [
      { kind: 'crash', broker: 1 },
      { kind: 'partition-network', side: 1 },
      { kind: 'expire-session', broker: 1 },
    ] as Action[])
      expect(actionTiming(a, s, ctxOf('zk')).kind).toBe('fault');
  });

  it('ZooKeeper: the controller observes a crash once the session expires (zookeeper.session.timeout.ms)', () => {
    const s = after('zk', { kind: 'crash', broker: 1 });
    const a: Action = { kind: 'observe-brokers', controller: 0 };
    expect(delay(a, s, { ...ctxOf('zk'), zkNoticeInMs: 18_000 })).toBe(18_000);
    expect(delay(a, s, { ...ctxOf('zk'), zkNoticeInMs: 0 })).toBeLessThan(100);
  });

  it('KRaft: a crashed broker is fenced a session after its last heartbeat, from the config', () => {
    const s = after('kraft', { kind: 'crash', broker: 1 });
    const a: Action = { kind: 'fence-broker', controller: 0, broker: 1, choice: 0 };
    for (let seed = 1; seed <= 20; seed++) {
      const d = delay(a, s, ctxOf('kraft'), seed);
      expect(d).toBeGreaterThan(7_000);
      expect(d).toBeLessThanOrEqual(9_000);
    }
    const fast = resolveTiming({ brokerSessionTimeoutMs: 3_000, brokerHeartbeatIntervalMs: 500 });
    const d = delay(a, s, ctxOf('kraft', fast));
    expect(d).toBeGreaterThan(2_500);
    expect(d).toBeLessThanOrEqual(3_000);
    // fencing a broker that still heartbeats is the session-expiry fault
    expect(actionTiming({ ...a, broker: 2 }, s, ctxOf('kraft')).kind).toBe('fault');
  });

  it('KRaft: a follower stands a fetch timeout after its leader dies, never while it is healthy', () => {
    const healthy = after('kraft');
    expect(delay({ kind: 'raft-timeout', voter: 1 }, healthy, ctxOf('kraft'))).toBe(Infinity);
    const orphan = after('kraft', { kind: 'crash-voter', voter: 0 });
    expect(delay({ kind: 'raft-timeout', voter: 1 }, orphan, ctxOf('kraft'))).toBe(2_000);
  });

  it('a leader shrinks a lagging follower after replica.lag.time.max.ms (checked every half of it)', () => {
    const s = after('zk');
    const d = delay({ kind: 'shrink-isr', partition: 0, leader: 0, follower: 1 }, s, ctxOf('zk'));
    expect(d).toBeGreaterThanOrEqual(30_000);
    expect(d).toBeLessThan(45_100);
  });
});

describe('timed simulation', () => {
  it('ZooKeeper: a leader crash leaves the partition without a leader for zookeeper.session.timeout.ms and a few messages (pinned, seed 1)', () => {
    const r = measureLatency(clean, { mode: 'zk' }, 'leader-crash', { seed: 1, runs: 20 });
    expect(r.noLeaderMs).toEqual({ median: 18_006, p95: 18_013, max: 18_013 });
    expect(r.noLeaderMs.median).toBeGreaterThanOrEqual(18_000);
    expect(r.noControllerMs).toEqual({ median: 18_000, p95: 18_000, max: 18_000 });
    expect(r.belowMinIsrMs.max).toBe(0);
    expect(r.unrecovered).toBe(0);
    expect(r.offlineFraction).toBeCloseTo(0.15, 3);
  });

  it('KRaft: a leader crash lasts until the broker session expires (pinned, seed 1)', () => {
    const r = measureLatency(clean, { mode: 'kraft' }, 'leader-crash', { seed: 1, runs: 20 });
    expect(r.noLeaderMs).toEqual({ median: 8_186, p95: 8_856, max: 8_980 });
    expect(r.noLeaderMs.median).toBeGreaterThan(9_000 - 2_000);
  });

  it('the windows follow the configured timeouts', () => {
    const timing = { zookeeperSessionTimeoutMs: 6_000 };
    const zk = measureLatency(clean, { mode: 'zk' }, 'leader-crash', { seed: 1, runs: 10, timing });
    expect(zk.noLeaderMs.median).toBeGreaterThanOrEqual(6_000);
    expect(zk.noLeaderMs.max).toBeLessThan(6_100);
  });

  it('a split isolating the leader stalls acks=all until its session expires; the same seed gives the same runs', () => {
    const a = measureLatency(clean, { mode: 'zk' }, 'network', { seed: 3, runs: 10 });
    expect(a.stalledMs.median).toBeGreaterThanOrEqual(18_000);
    expect(a.noLeaderMs.max).toBeLessThan(100);
    expect(measureLatency(clean, { mode: 'zk' }, 'network', { seed: 3, runs: 10 })).toEqual(a);
    const cfg = timedConfig({ mode: 'zk' }, { fault: 'network', count: 1 });
    const run = timedRun(kafkaModel(cfg, clean), DEFAULT_TIMING, { ...DEFAULT_SCHEDULE, fault: 'network' }, new Rng(4));
    expect(run.skipped).toBe(0);
  });

  it('a KRaft quorum leader crash leaves no controller for controller.quorum.fetch.timeout.ms', () => {
    const r = measureLatency(clean, { mode: 'kraft' }, 'controller-crash', { seed: 1, runs: 5 });
    expect(r.noControllerMs).toEqual({ median: 2_000, p95: 2_000, max: 2_000 });
    expect(r.noLeaderMs.max).toBe(0);
  });

  it('every fault kind is injected in both modes (none skipped), and every run recovers', () => {
    for (const mode of ['zk', 'kraft'] as const)
      for (const fault of FAULT_KIND_NAMES) {
        const r = measureLatency(clean, { mode }, fault, { seed: 2, runs: 3 });
        expect([mode, fault, r.skipped, r.unrecovered]).toEqual([mode, fault, 0, 0]);
      }
  });

  it('the network fault picks the split that cuts off exactly the leader', () => {
    const cfg = timedConfig({ mode: 'kraft' }, { fault: 'network', count: 1 });
    const m = kafkaModel(cfg, clean);
    const s = initialState(cfg);
    const a = pickFault('network', m.actions(s), s, cfg, new Rng(1));
    // brokers 0-2, voters 3-5: the split's side holding node 0 is {0} alone
    expect(a).toEqual({ kind: 'partition-network', side: 1 });
  });

  it('every sweep point is validated before any run, each problem named', () => {
    const axes = {
      modes: ['kraft'] as const,
      brokers: [5],
      partitions: [1],
      voters: [5],
      faults: ['leader-crash'] as const,
    };
    expect(sweepProblems({}, { ...axes, modes: ['kraft'], faults: ['leader-crash'] }, 1)).toEqual([
      'KRaft 5 brokers, 1 partition, 5 voters: brokers + voters (5 + 5) must be at most 8 (each is a node of the network split); use fewer brokers or voters',
    ]);
  });
});

describe('SVG figure', () => {
  const points = sweepLatency(
    clean,
    {},
    { modes: ['zk', 'kraft'], brokers: [3, 4], partitions: [1], voters: [3], faults: ['leader-crash', 'network'] },
    { seed: 1, runs: 3 },
  );

  it('has a legend entry and a drawn path with a marker per point for every series, each series styled apart', () => {
    const svg = latencyFigure(points, 'caption');
    const names = ['ZooKeeper leader-crash', 'ZooKeeper network', 'KRaft leader-crash', 'KRaft network'];
    const legend = [...svg.matchAll(/<g class="legend-entry">.*?<text[^>]*>([^<]*)<\/text><\/g>/g)].map((m) => m[1]);
    expect(legend).toEqual(names);
    const series = [...svg.matchAll(/<g class="series" data-series="([^"]*)"><title>[^<]*<\/title><path d="([^"]*)"/g)];
    // 8 panels × 4 series, each a path through both cluster sizes
    expect(series).toHaveLength(32);
    for (const m of series) {
      expect(names).toContain(m[1]);
      expect(m[2]).toMatch(/^M[\d.]+,[\d.]+L[\d.]+,[\d.]+$/);
    }
    expect(svg).toContain('Offline fraction of partition-time');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(new Set(COLORS.slice(0, 4)).size).toBe(4);
    expect(new Set(MARKERS.slice(0, 4)).size).toBe(4);
  });

  it('escapes names, wraps the caption and draws a lone x value mid-panel', () => {
    const svg = svgFigure([
      { title: 'a<b', xLabel: 'x', yLabel: 'y', series: [{ name: 'R&D "x"', points: [[3, 5]] }] },
    ]);
    expect(svg).toContain('R&amp;D &quot;x&quot;');
    expect(svg).toContain('a&lt;b');
    expect(wrap('aa bb cc dd', 5)).toEqual(['aa bb', 'cc dd']);
    expect(ticks(18_013)).toEqual([0, 5_000, 10_000, 15_000, 20_000]);
    expect(ticks(0)).toEqual([0, 1]);
  });

  it('the Markdown table has one row per point with median / p95 / max', () => {
    const md = latencyMarkdown(points).split('\n');
    expect(md).toHaveLength(2 + points.length);
    expect(md[2]).toMatch(/^\| clean \| ZooKeeper \| 3 \| 1 \| – \| leader-crash \| 180\d\d \/ 180\d\d \/ 180\d\d \|/);
  });
});
