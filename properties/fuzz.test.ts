import { describe, expect, it } from 'vitest';
import { formatPath, replayPath } from '../checker/index.js';
import { formatAction } from '../model/index.js';
import { fuzz } from './fuzz.js';
import {
  eventuallyLeader,
  livenessProperties,
  noDataLoss,
  reachabilityGuards,
  safetyProperties,
  uncleanElection,
} from './index.js';
import { SMALL, modelFor } from './testSupport.js';

/** A report without its timings (the only nondeterministic part). */
function timeless(r: ReturnType<typeof fuzz>): unknown {
  const { durationMs: _d, statesPerSecond: _s, ...stats } = r.result.stats;
  return { ...r, result: { ...r.result, stats } };
}

describe('fuzz on a safe small config', () => {
  const m = modelFor(SMALL);
  const props = [...safetyProperties(m.config), ...reachabilityGuards(m.config), ...livenessProperties(m.config)];

  it('finds no violation, reaches every guard, and reports its coverage', () => {
    const r = fuzz(m, props, { seed: 1, runs: 100 });
    expect(r.result.kind).toBe('incomplete');
    if (r.result.kind === 'incomplete') expect(r.result.reasons).toEqual(['sampled']);
    expect(r.counterexample).toBeUndefined();
    const c = r.coverage;
    expect(c.runs).toBe(100);
    expect(c.warnings).toEqual([]);
    expect(c.families.filter((f) => f.fired > 0).map((f) => f.family)).toEqual([
      'controller',
      'election',
      'isr',
      'delivery',
      'produce',
      'fetch',
      'crash',
      'restart',
    ]);
    expect(c.guards.map((g) => `${g.id}:${g.runs}`)).toEqual([
      'failover-happens:19',
      'isr-shrinks:83',
      'isr-expands:35',
      'record-acked:54',
      'controller-failover:24',
      'zombie-leader-exists:19',
    ]);
    expect(c.liveness.map((l) => `${l.id}:${l.judged}/${l.triggered}`)).toEqual([
      'eventually-leader:100/67',
      'eventually-controller:100/67',
      'eventually-isr-restored:100/17',
      'eventually-acked:100/17',
    ]);
    expect(c.intents).toEqual({ CrashBroker: 67, Produce: 77, RestartBroker: 17, Tick: 257 });
    expect([c.steps, c.distinctStates]).toEqual([992, 577]);
    expect(c.depth).toEqual({ min: 0, max: 21, mean: 9.92, bucket: 3, histogram: [17, 0, 7, 40, 14, 19, 2, 1] });
    expect(r.result.stats.distinct).toBe(c.distinctStates);
    for (const o of r.result.outcomes) expect(o.status).toBe(o.kind === 'sometimes' ? 'found' : 'unknown');
    // Kafka's metrics: every state of every run (the initial one too), elections per run.
    expect(c.metrics.states).toBe(c.steps + c.runs);
    expect(c.metrics.gauges).toEqual({
      ActiveControllerCount: { statesAlerting: 27, fractionAlerting: 0.0247, runsAlerting: 24, max: 1 },
      OfflinePartitionsCount: { statesAlerting: 46, fractionAlerting: 0.0421, runsAlerting: 21, max: 1 },
      UnderReplicatedPartitions: { statesAlerting: 623, fractionAlerting: 0.5705, runsAlerting: 83, max: 1 },
      UnderMinIsrPartitionCount: { statesAlerting: 233, fractionAlerting: 0.2134, runsAlerting: 63, max: 1 },
      AtMinIsrPartitionCount: { statesAlerting: 390, fractionAlerting: 0.3571, runsAlerting: 83, max: 1 },
    });
    expect(c.metrics.meters).toEqual({
      LeaderElectionRateAndTimeMs: { total: 57, runsWithAny: 48, maxPerRun: 2, meanPerRun: 0.57 },
      UncleanLeaderElectionsPerSec: { total: 0, runsWithAny: 0, maxPerRun: 0, meanPerRun: 0 },
    });
  });

  it('is deterministic: the same seed gives the same report', () => {
    expect(timeless(fuzz(m, props, { seed: 7, runs: 30 }))).toEqual(timeless(fuzz(m, props, { seed: 7, runs: 30 })));
  });

  it('every guard example path replays to a state where the guard holds', () => {
    const r = fuzz(m, props, { seed: 3, runs: 60 });
    for (const o of r.result.outcomes.filter((x) => x.status === 'found')) {
      const rp = replayPath(m, o.path ?? []);
      expect(rp.ok).toBe(true);
      const last = rp.ok ? rp.value.states[rp.value.states.length - 1] : undefined;
      const g = props.find((p) => p.id === o.id);
      expect(last !== undefined && g?.holds(last)).toBe(true);
    }
  });
});

describe('fuzz counterexamples', () => {
  it('acks=1: shrinks to Produce, CrashBroker, Tick and a replayable action-index path', () => {
    const m = modelFor({ ...SMALL, acks: '1' });
    const r = fuzz(m, [...safetyProperties(m.config)], { seed: 1, runs: 200 });
    expect(r.result.kind).toBe('violation');
    if (r.result.kind !== 'violation') return;
    const v = r.result.violation;
    expect(v.id).toBe('no-data-loss');
    expect(formatPath(v.path ?? [])).toBe('0/0/4/0/0/0/0');
    expect(v.detail).toBe(
      'record r1 (p0, offset 0, acknowledged by b0 in leader epoch 0) is missing from the log of leader b1 (leader epoch 1)',
    );
    expect(r.counterexample?.commands).toEqual(['Produce(p0, 0)', 'CrashBroker(b0)', 'Tick(0)']);
    const rp = replayPath(m, v.path ?? []);
    expect(rp.ok).toBe(true);
    if (!rp.ok) return;
    expect(rp.value.actions.map((a, i) => formatAction(a, rp.value.states[i] as never))).toEqual([
      'producer writes record r1 to leader b0 of p0 at offset 0 (leader epoch 0)',
      'b0 crashes (process dies; its log survives)',
      'b1 wins the /controller znode (controller epoch 2)',
      'controller b1 (epoch 2) elects b1 leader of p0, leader epoch 1',
      'deliver LeaderAndIsr(p0: leader b0, leader epoch 0, ISR {0,1,2}, controller epoch 2) from b1 to b1 — ignored: its leader epoch is not newer',
      'deliver LeaderAndIsr(p0: leader b1, leader epoch 1, ISR {1,2}, controller epoch 2) from b1 to b1',
    ]);
    expect(noDataLoss.holds(rp.value.states[rp.value.states.length - 1] as never)).toBe(false);
  });

  it('the counterexample reruns alone from its fast-check replay path', () => {
    const m = modelFor({ ...SMALL, acks: '1' });
    const first = fuzz(m, safetyProperties(m.config), { seed: 1, runs: 200 });
    const ce = first.counterexample;
    expect(ce).toBeDefined();
    if (!ce) return;
    const again = fuzz(m, safetyProperties(m.config), { seed: ce.seed, replay: ce.replay });
    expect(again.result.kind).toBe('violation');
    if (again.result.kind === 'violation' && first.result.kind === 'violation')
      expect(again.result.violation.path).toEqual(first.result.violation.path);
    expect(again.counterexample?.commands).toEqual(ce.commands);
  });

  it('the `never` rule: eventually-leader fails where the run settles with no leader', () => {
    const m = modelFor(SMALL, 'never');
    const r = fuzz(m, [...safetyProperties(m.config), eventuallyLeader(m.config)], { seed: 1, runs: 100 });
    expect(r.result.kind).toBe('violation');
    if (r.result.kind !== 'violation') return;
    const v = r.result.violation;
    expect(v.id).toBe('eventually-leader');
    expect(formatPath(v.path ?? [])).toBe('0/1/0/0/0/0/0/0');
    expect(v.loopStart).toBe(7);
    expect(v.detail).toBe(
      'p0 has no leader although eligible replicas [b1, b2] are live; the behaviour stops at step 7 (no fair action is enabled there) and never reaches the goal',
    );
    expect(r.counterexample?.commands).toEqual(['CrashBroker(b0)', 'Tick(0)']);
  });

  it('unclean election: shrinks to an 11-state log-consistency counterexample', () => {
    const m = modelFor({
      uncleanLeaderElection: true,
      bounds: { records: 2, leaderEpochs: 3 },
      faults: { networkPartitions: 0, crashes: 2 },
    });
    const r = fuzz(m, safetyProperties(m.config), { seed: 1, runs: 1000 });
    expect(r.result.kind).toBe('violation');
    if (r.result.kind !== 'violation') return;
    expect(r.result.violation.id).toBe('log-consistency');
    expect(r.result.violation.path?.length).toBe(11);
    expect(replayPath(m, r.result.violation.path ?? []).ok).toBe(true);
    // The campaign's runs up to the failing one elected outside the ISR (UncleanLeaderElectionsPerSec).
    expect(r.coverage.metrics.meters.UncleanLeaderElectionsPerSec).toEqual({
      total: 1,
      runsWithAny: 1,
      maxPerRun: 1,
      meanPerRun: 0.25,
    });
  });
});

describe('fuzz interruption', () => {
  it('an aborted signal skips the remaining runs and says interrupted', () => {
    const m = modelFor(SMALL);
    const ac = new AbortController();
    ac.abort();
    const r = fuzz(m, safetyProperties(m.config), { seed: 1, runs: 50, signal: ac.signal });
    expect(r.result.kind).toBe('incomplete');
    if (r.result.kind === 'incomplete') expect(r.result.reasons).toEqual(['sampled', 'interrupted']);
    expect(r.coverage.runs).toBe(0);
  });
});

describe('fuzz coverage warnings', () => {
  it('names a guard no run reached and a liveness property that was never triggered', () => {
    const m = modelFor({ ...SMALL, faults: { networkPartitions: 0, crashes: 0, preferredElections: 1 } });
    const r = fuzz(m, [uncleanElection, ...livenessProperties(m.config)], { seed: 1, runs: 20 });
    // Without crashes nothing moves a leader: no controller, election or delivery step, and the preferred
    // election the budget allows never becomes possible.
    expect(r.coverage.warnings).toEqual([
      'action family "controller" was never enabled in 20 run(s)',
      'action family "election" was never enabled in 20 run(s)',
      'action family "delivery" was never enabled in 20 run(s)',
      'action family "admin" was never enabled in 20 run(s)',
      'guard "unclean-election" (An unclean leader election happens) was never reached',
      'liveness "eventually-leader" is vacuous in this fuzz campaign: its trigger never held where a run stopped',
      'liveness "eventually-controller" is vacuous in this fuzz campaign: its trigger never held where a run stopped',
      'liveness "eventually-isr-restored" is vacuous in this fuzz campaign: its trigger never held where a run stopped',
      'liveness "eventually-acked" is vacuous in this fuzz campaign: its trigger never held where a run stopped',
    ]);
    const o = r.result.outcomes.find((x) => x.id === 'eventually-leader');
    expect(o?.status).toBe('unknown');
    expect(o?.warnings).toEqual([
      'liveness "eventually-leader" is vacuous in this fuzz campaign: its trigger never held where a run stopped',
    ]);
  });
});
