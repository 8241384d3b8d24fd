import { describe, expect, it } from 'vitest';
import type { EventuallyProperty, PropertyOutcome } from '../checker/index.js';
import { check, checkLiveness, replayPath } from '../checker/index.js';
import type { ClusterState, KafkaModel } from '../model/index.js';
import { actionFamily } from '../model/index.js';
import {
  KAFKA_FAIRNESS,
  KAFKA_LIVENESS_OPTIONS,
  eventuallyAcked,
  eventuallyAvailable,
  eventuallyController,
  eventuallyIsrRestored,
  eventuallyLeader,
  eventuallyOnline,
  livenessProperties,
} from './index.js';
import { SMALL, modelFor, pathOf, stateAfter } from './testSupport.js';

const UNDER_FAIRNESS =
  'holds only under fairness: without the fairness assumptions (weak: controller, election, delivery, fetch, isr) some behaviour would stay forever in states where the goal is false; every such cycle or stuttering state is unfair';

/** Whether no action of a fair family is enabled in `s` (a behaviour may stutter there forever). */
function mayStopIn(m: KafkaModel, s: ClusterState): boolean {
  return !m.actions(s).some((a) => KAFKA_FAIRNESS.weak.includes(actionFamily(a)));
}

/**
 * Independent check of a Kafka liveness counterexample: the path replays, it ends in a state where the
 * behaviour may stutter forever (the model's graph is acyclic, so the cycle is empty), and from some
 * trigger state on the goal never holds.
 */
function expectStuckBehaviour(m: KafkaModel, p: EventuallyProperty<ClusterState>, o: PropertyOutcome | undefined) {
  expect(o?.status).toBe('violated');
  const r = replayPath(m, o?.path ?? []);
  expect(r.ok).toBe(true);
  if (!r.ok) return;
  const states = r.value.states;
  expect(o?.loopStart).toBe(states.length - 1);
  const last = states[states.length - 1] as ClusterState;
  expect(mayStopIn(m, last)).toBe(true);
  const firstBad = states.findIndex((s, i) => p.trigger?.(s) && states.slice(i).every((t) => !p.holds(t)));
  expect(firstBad).toBeGreaterThanOrEqual(0);
}

describe('liveness on a safe small config', () => {
  it('eventually-leader, -controller, -isr-restored and -acked hold (under fairness)', () => {
    const m = modelFor(SMALL);
    const props = livenessProperties(m.config);
    expect(props.map((p) => p.id)).toEqual([
      'eventually-leader',
      'eventually-controller',
      'eventually-isr-restored',
      'eventually-acked',
    ]);
    const r = checkLiveness(m, props, KAFKA_LIVENESS_OPTIONS);
    expect(r.kind).toBe('ok');
    expect(r.stats.distinct).toBe(39_817);
    for (const o of r.outcomes) {
      expect(o.status).toBe('holds');
      expect(o.warnings).toEqual([UNDER_FAIRNESS]);
    }
  });

  it('the exhaustive engine agrees on terminal states', () => {
    const m = modelFor(SMALL);
    expect(check(m, livenessProperties(m.config)).kind).toBe('ok');
  });

  it('eventually-available fails with clean elections: the ISR shrinks to the leader, which crashes (offline partition)', () => {
    const m = modelFor(SMALL);
    const p = eventuallyAvailable(m.config);
    const o = checkLiveness(m, [p], KAFKA_LIVENESS_OPTIONS).outcomes[0];
    expect(pathOf(o)).toBe('0/0/0/0/2/0/0/0/0/0/0');
    expect(o?.detail).toBe(
      'p0 has no leader although eligible replicas [b1, b2] are live; the behaviour stutters forever at step 10: no fair action is enabled there and never reaches the goal',
    );
    expectStuckBehaviour(m, p, o);
  });
});

describe('liveness counterexamples', () => {
  it('the `never` rule is caught by eventually-leader: the leader crashes and no one is elected', () => {
    const m = modelFor(SMALL, 'never');
    const p = eventuallyLeader(m.config);
    const o = checkLiveness(m, [p], KAFKA_LIVENESS_OPTIONS).outcomes[0];
    expect(pathOf(o)).toBe('0/1/0/0/0/0/0/0');
    expect(o?.loopStart).toBe(7);
    expect(o?.detail).toBe(
      'p0 has no leader although eligible replicas [b1, b2] are live; the behaviour stutters forever at step 7: no fair action is enabled there and never reaches the goal',
    );
    expectStuckBehaviour(m, p, o);
  });

  it('with stutter "deadlock" the `never` rule is caught at a state without successors', () => {
    const m = modelFor(SMALL, 'never');
    const o = checkLiveness(m, [eventuallyLeader(m.config)], { stutter: 'deadlock' }).outcomes[0];
    expect(pathOf(o)).toBe('0/1/0/0/0/0/0/0/0/0/0');
    expect(o?.loopStart).toBe(10);
  });

  const OFFLINE = {
    brokers: 2,
    replicationFactor: 2,
    minInsyncReplicas: 1,
    bounds: { records: 1, leaderEpochs: 2 },
    faults: { networkPartitions: 0 },
  };

  it('unclean election off and every ISR member down: the offline partition is a liveness counterexample', () => {
    const m = modelFor(OFFLINE);
    const available = eventuallyAvailable(m.config);
    const r = checkLiveness(m, [eventuallyLeader(m.config), available], KAFKA_LIVENESS_OPTIONS);
    expect(r.stats.distinct).toBe(911);
    const [leader, avail] = r.outcomes;
    // No ISR member is live, so no replica is eligible: eventually-leader holds …
    expect(leader?.status).toBe('holds');
    // … but availability is lost: b1 is live, the ISR is {b0} and b0 need not restart.
    expect(pathOf(avail)).toBe('0/0/0/2/0/0/0/0');
    expect(avail?.detail).toBe(
      'p0 has no leader although eligible replicas [b1] are live; the behaviour stutters forever at step 7: no fair action is enabled there and never reaches the goal',
    );
    expectStuckBehaviour(m, available, avail);
    const s = stateAfter(m, pathOf(avail));
    expect(s.zk.partitions[0]).toMatchObject({ leader: -1, isr: 0b01 });
    expect(s.brokers[0]?.alive).toBe(false);
  });

  it('with unclean election enabled the same cluster stays available', () => {
    const m = modelFor({ ...OFFLINE, uncleanLeaderElection: true });
    expect(livenessProperties(m.config).map((p) => p.id)).toContain('eventually-available');
    const r = checkLiveness(m, livenessProperties(m.config), KAFKA_LIVENESS_OPTIONS);
    expect(r.kind).toBe('ok');
  });

  it('with stutter "deadlock" a crashed ISR member is forced to restart, so the partition comes back', () => {
    const m = modelFor(OFFLINE);
    expect(checkLiveness(m, [eventuallyAvailable(m.config)], { stutter: 'deadlock' }).kind).toBe('ok');
  });
});

describe('liveness warnings', () => {
  it('eventually-acked is vacuous with acks=1 (no request ever waits)', () => {
    const m = modelFor({ ...SMALL, acks: '1' });
    const o = checkLiveness(m, [eventuallyAcked(m.config)], KAFKA_LIVENESS_OPTIONS).outcomes[0];
    expect(o?.status).toBe('holds');
    expect(o?.warnings).toEqual(['vacuous: every reachable state where the trigger holds already satisfies the goal']);
  });

  it('a trigger the fault budget never reaches is reported as vacuous', () => {
    // faultsOver needs every budget spent; without a crash the leader never moves, so the preferred
    // election the budget allows is never enabled and the budget is never spent.
    const m = modelFor({ ...SMALL, faults: { crashes: 0, networkPartitions: 0, preferredElections: 1 } });
    const r = checkLiveness(m, [eventuallyController(m.config)], KAFKA_LIVENESS_OPTIONS);
    expect(r.outcomes[0]?.status).toBe('holds');
    expect(r.stats.distinct).toBe(142);
    const unused = (f: string): string =>
      `fairness names action family "${f}", which no explored action belongs to (families: produce, isr, fetch); it constrains nothing`;
    expect(r.outcomes[0]?.warnings).toEqual([
      unused('controller'),
      unused('election'),
      unused('delivery'),
      'vacuous: the trigger is never reached in the 142 reachable states, so the property holds trivially',
    ]);
  });
});

describe('ISR expansion is retried on every fetch (Partition.maybeExpandIsr)', () => {
  it('a follower that caught up while its leader could not reach the controller is re-added by its next fetch', () => {
    // The leader's first AlterPartition for b2 failed (the split kept it from ZooKeeper's view); b2 is
    // caught up, so its next fetch, which brings no data, retries the expansion. Before the fix such a
    // fetch was not enabled and BFS found this state as an 11-step counterexample. That is the leader of
    // Kafka ≤ 2.6, which writes its ISR change in the fetch's step; from 2.7 the fetch queues the
    // expansion (PendingExpandIsr) whatever the network, and the controller's answer is a step of its own.
    const m = modelFor({ bounds: { records: 1, leaderEpochs: 2 }, mechanisms: { asyncAlterPartition: false } });
    const p = eventuallyIsrRestored(m.config);
    const s = stateAfter(m, '0/1/2/1/0/0/0/2/2/4/1/1');
    expect(p.trigger?.(s)).toBe(true);
    expect(p.explain?.(s)).toBe('p0: [b2] not back in the ISR');
    expect(m.actions(s)).toContainEqual({ kind: 'fetch', partition: 0, follower: 2 });
    expect(mayStopIn(m, s)).toBe(false);
    const r = checkLiveness(m, [p], KAFKA_LIVENESS_OPTIONS);
    expect(r.kind).toBe('ok');
    expect(r.stats.distinct).toBe(153_277);
  });
});

describe('eventually-online: a leader again without waiting for a stopped broker', () => {
  it('fails with replication factor 1 after a crash, where eventually-available holds (no replica is live)', () => {
    const m = modelFor({
      brokers: 2,
      replicationFactor: 1,
      minInsyncReplicas: 1,
      faults: { crashes: 1, networkPartitions: 0 },
      bounds: { records: 1, leaderEpochs: 2 },
    });
    const r = checkLiveness(m, [eventuallyOnline(m.config), eventuallyAvailable(m.config)], KAFKA_LIVENESS_OPTIONS);
    const [online, available] = r.outcomes;
    expect(online?.status).toBe('violated');
    expect(online?.detail?.startsWith('p0 has no leader and none of its replicas is live;')).toBe(true);
    expect(pathOf(online)).toBe('0/1/0/0'); // b0 crashes; b1 takes over as controller and finds no replica to elect
    expect(available?.status).toBe('holds');
  });

  it('holds with replication factor 3 and min.insync.replicas=2 after one crash', () => {
    const m = modelFor({
      faults: { crashes: 1, networkPartitions: 0 },
      bounds: { records: 1, leaderEpochs: 2, partitionEpochs: 3 },
    });
    expect(checkLiveness(m, [eventuallyOnline(m.config)], KAFKA_LIVENESS_OPTIONS).outcomes[0]?.status).toBe('holds');
  });
});
