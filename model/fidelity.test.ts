import { describe, expect, it } from 'vitest';
import { check, sometimes } from '../checker/index.js';
import type { Action, ClusterState, ConfigInput, KafkaModel } from './index.js';
import { catalogEntry, clean, kafkaModel, resolveConfig, VOTER_LEADER, VOTER_RESIGNED } from './index.js';
import { noDataLoss } from '../properties/index.js';

/**
 * Issue 17: each place where the model took a step Kafka would not take, or could not take one Kafka
 * does, with the Kafka class the fix follows. Every test here failed on the model before the fix.
 */

const modelOf = (input: ConfigInput): KafkaModel => kafkaModel(resolveConfig(input), clean);

/** Takes, from `s`, the first enabled action `pick` accepts; fails the test when there is none. */
function take(m: KafkaModel, s: ClusterState, pick: (a: Action) => boolean, what: string): ClusterState {
  const a = m.actions(s).find(pick);
  if (!a)
    throw new Error(
      `no enabled action: ${what}; enabled: ${m
        .actions(s)
        .map((x) => x.kind)
        .join(', ')}`,
    );
  return m.next(s, a) ?? s;
}

const isKind =
  <K extends Action['kind']>(kind: K, fields: Partial<Extract<Action, { kind: K }>> = {}) =>
  (a: Action): boolean =>
    a.kind === kind && Object.entries(fields).every(([k, v]) => (a as unknown as Record<string, unknown>)[k] === v);

/** b0 leads p0 (RF 3) with followers b1 and b2; one record produced and fetched by b1 twice. */
function afterTwoFetches(input: ConfigInput = {}): { m: KafkaModel; s: ClusterState } {
  const m = modelOf({ bounds: { records: 1 }, faults: { networkPartitions: 0, crashes: 1 }, ...input });
  let s = m.initStates()[0] as ClusterState;
  s = take(m, s, isKind('produce', { broker: 0 }), 'produce');
  s = take(m, s, isKind('fetch', { follower: 1 }), 'first fetch');
  s = take(m, s, isKind('fetch', { follower: 1 }), 'second fetch');
  return { m, s };
}

describe('1. a follower learns the high watermark one fetch later; a restart starts from the checkpoint', () => {
  it('Partition.readRecords answers with the high watermark from before the fetch moved it', () => {
    const { m, s } = afterTwoFetches({ replicationFactor: 2, brokers: 3, assignment: [[0, 1]] });
    expect(s.brokers[0]?.replicas[0]?.hw).toBe(1); // the second fetch moved the leader's high watermark
    expect(s.brokers[1]?.replicas[0]?.hw).toBe(0); // but answered with the old one
    const third = take(m, s, isKind('fetch', { follower: 1 }), 'third fetch');
    expect(third.brokers[1]?.replicas[0]?.hw).toBe(1);
  });

  it('a restarted broker starts from replication-offset-checkpoint, not from its in-memory high watermark', () => {
    const { m, s } = afterTwoFetches({ replicationFactor: 2, brokers: 3, assignment: [[0, 1]] });
    const learned = take(m, s, isKind('fetch', { follower: 1 }), 'third fetch');
    expect(learned.brokers[1]?.replicas[0]?.hw).toBe(1);
    // Without a checkpoint write the file still says 0.
    const restarted = take(m, take(m, learned, isKind('crash', { broker: 1 }), 'crash'), isKind('restart'), 'restart');
    expect(restarted.brokers[1]?.replicas[0]?.hw).toBe(0);
    // After `checkpoint-hw` (ReplicaManager.checkpointHighWatermarks) it says 1.
    const written = take(m, learned, isKind('checkpoint-hw', { broker: 1 }), 'checkpoint');
    const back = take(m, take(m, written, isKind('crash', { broker: 1 }), 'crash'), isKind('restart'), 'restart');
    expect(back.brokers[1]?.replicas[0]?.hw).toBe(1);
  });

  it('done when: two replicas with pre-KIP-101 truncation lose an acknowledged record; leader-epoch truncation holds on the same bounds', () => {
    const entry = catalogEntry('kip-101-two-brokers');
    const exposed = check(modelOf(entry?.config ?? {}), [noDataLoss]);
    expect(exposed.kind).toBe('violation');
    expect(exposed.kind === 'violation' ? (exposed.violation.path?.length ?? 0) - 1 : 0).toBe(11);
    for (const truncation of ['leader-epoch', 'diverging-epoch'] as const)
      expect(check(modelOf({ ...entry?.config, truncation }), [noDataLoss]).kind).toBe('ok');
  });
});

describe('2. KIP-380: a LeaderAndIsr addressed to a dead incarnation is rejected', () => {
  it('requests to a crashed broker stay queued; its restarted process applies them only without KIP-380', () => {
    for (const brokerEpochCheck of [true, false]) {
      const m = modelOf({
        bounds: { records: 0 },
        faults: { networkPartitions: 0, crashes: 1 },
        mechanisms: { brokerEpochCheck },
      });
      let s = m.initStates()[0] as ClusterState;
      // A request for b1's first incarnation (broker epoch 2) is queued when b1 crashes and comes back.
      const queued = {
        from: 0,
        to: 1,
        controllerEpoch: 1,
        partition: 0,
        leader: 1,
        leaderEpoch: 1,
        isr: 0b111,
        version: 1,
        brokerEpoch: brokerEpochCheck ? 2 : 0,
        leaderLive: true,
      };
      s = take(m, { ...s, inFlight: [queued] }, isKind('crash', { broker: 1 }), 'crash of b1');
      expect(s.inFlight).toEqual([queued]); // RequestSendThread keeps retrying it
      s = take(m, s, isKind('restart', { broker: 1 }), 'restart of b1');
      expect(s.brokers[1]?.epoch).toBeGreaterThan(2);
      const after = take(m, s, isKind('deliver'), 'deliver the queued request');
      // With KIP-380 (Kafka 2.2+, KafkaApis.isBrokerEpochStale) the new process rejects it.
      expect(after.brokers[1]?.replicas[0]?.role === 1).toBe(!brokerEpochCheck);
    }
  });
});

describe('4. makeFollower: only toward a live leader; before KAFKA-7164 only on a leader change', () => {
  it('a LeaderAndIsr naming a dead leader leaves the partition as it was (ReplicaManager.makeFollowers)', () => {
    const m = modelOf({ bounds: { records: 0 }, faults: { networkPartitions: 0, crashes: 1 } });
    let s = m.initStates()[0] as ClusterState;
    const dead = {
      from: 0,
      to: 1,
      controllerEpoch: 1,
      partition: 0,
      leader: 2,
      leaderEpoch: 1,
      isr: 0b111,
      version: 1,
      brokerEpoch: 2,
      leaderLive: false,
    };
    s = { ...s, inFlight: [dead] };
    const after = take(m, s, isKind('deliver'), 'deliver');
    expect(after.brokers[1]?.replicas[0]).toEqual(s.brokers[1]?.replicas[0]);
  });
  it('pre-KAFKA-7164 (Kafka ≤ 2.0) a new leader epoch of the same leader does not truncate', () => {
    for (const truncateOnEveryLeaderEpoch of [true, false]) {
      const m = modelOf({
        truncation: 'high-watermark',
        mechanisms: { truncateOnEveryLeaderEpoch },
        bounds: { records: 1 },
        faults: { networkPartitions: 0, crashes: 1 },
      });
      let s = m.initStates()[0] as ClusterState;
      s = take(m, s, isKind('produce'), 'produce');
      s = take(m, s, isKind('fetch', { follower: 1 }), 'fetch');
      expect(s.brokers[1]?.replicas[0]?.log.length).toBe(1);
      const bump = {
        from: 0,
        to: 1,
        controllerEpoch: 1,
        partition: 0,
        leader: 0,
        leaderEpoch: 1,
        isr: 0b011,
        version: 1,
        brokerEpoch: 2,
        leaderLive: true,
      };
      const after = take(m, { ...s, inFlight: [bump] }, isKind('deliver'), 'deliver');
      expect(after.brokers[1]?.replicas[0]?.leaderEpoch).toBe(1);
      // Truncation to the (lagging) high watermark 0 happens only with KAFKA-7164.
      expect(after.brokers[1]?.replicas[0]?.log.length).toBe(truncateOnEveryLeaderEpoch ? 0 : 1);
    }
  });
});

describe('5. a broker bounce is one controller event: the ISR removal is not skipped', () => {
  it('the controller takes a restarted follower back only after removing it from the ISR', () => {
    const m = modelOf({ bounds: { records: 0 }, faults: { networkPartitions: 0, crashes: 1 } });
    let s = m.initStates()[0] as ClusterState;
    s = take(m, s, isKind('crash', { broker: 2 }), 'crash');
    s = take(m, s, isKind('observe-brokers'), 'the controller sees b2 gone');
    s = take(m, s, isKind('restart', { broker: 2 }), 'restart');
    // b2 is registered again, but the controller still owes its removal from the ISR.
    expect(m.actions(s).some(isKind('observe-brokers'))).toBe(false);
    s = take(m, s, isKind('remove-from-isr', { broker: 2 }), 'remove b2 from the ISR');
    expect(s.zk.partitions[0]?.isr).toBe(0b011);
    expect(m.actions(s).some(isKind('observe-brokers'))).toBe(true);
  });
});

describe('6. check quorum keeps the order of the timeouts: a short window with two quorum leaders', () => {
  it('the followers elect before the cut-off leader resigns; the new controller fences no one until it has', () => {
    const m = modelOf({
      mode: 'kraft',
      bounds: { records: 0 },
      faults: { crashes: 0, networkPartitions: 1 },
      networkSplits: 'one-node',
    });
    let s = m.initStates()[0] as ClusterState;
    const c0Alone = 1 << 3; // brokers are nodes 0..2, voter c0 is node 3
    const all = (1 << 6) - 1;
    s = take(
      m,
      s,
      (a) => a.kind === 'partition-network' && (a.side === c0Alone || a.side === (all & ~c0Alone)),
      'split',
    );
    s = take(m, s, isKind('raft-timeout', { voter: 1 }), 'c1 stands');
    const roles = s.kraft?.voters.map((x) => x.role);
    expect(roles?.[0]).toBe(VOTER_LEADER); // c0 has not resigned yet: two leaders, epochs 1 and 2
    expect(roles?.[1]).toBe(VOTER_LEADER);
    expect(m.actions(s).some((a) => a.kind === 'fence-broker')).toBe(false);
    expect(m.actions(s).some(isKind('raft-resign', { leader: 0 }))).toBe(true);
    const resigned = take(m, s, isKind('raft-resign', { leader: 0 }), 'c0 resigns');
    expect(resigned.kraft?.voters[0]?.role).toBe(VOTER_RESIGNED);
  });
});

describe('8. a network split can cut a broker off ZooKeeper: failover without a crash', () => {
  it('with --split-zookeeper a partition fails over with no crash and no session-expiry budget; without it it cannot', () => {
    const failover = sometimes<ClusterState>('failover', 'a broker other than b0 leads p0', (s) => {
      const ps = s.zk.partitions[0];
      return !!ps && ps.leader > 0;
    });
    const input: ConfigInput = {
      bounds: { records: 0, leaderEpochs: 2 },
      faults: { crashes: 0, networkPartitions: 1, sessionExpiries: 0 },
      networkSplits: 'one-node',
    };
    const cut = check(modelOf({ ...input, splitZooKeeper: true }), [failover]);
    expect(cut.outcomes[0]?.status).toBe('found');
    const brokersOnly = check(modelOf(input), [failover]);
    expect(brokersOnly.outcomes[0]?.status).toBe('vacuous');
  });
});
