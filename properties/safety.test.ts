import { describe, expect, it } from 'vitest';
import { check } from '../checker/index.js';
import type { ClusterState, ConfigInput, Replica } from '../model/index.js';
import {
  epochMonotonic,
  hwNeverPassesIsr,
  leaderInIsr,
  logConsistency,
  logMatching as logMatchingOf,
  minIsrRespected,
  noDataLoss,
  reachabilityGuards,
  safetyProperties,
  singleController,
  singleLeader,
} from './index.js';
import { SMALL, firstCounterexample, modelFor, pathOf, stateAfter } from './testSupport.js';
import { catalogEntry } from '../model/index.js';

describe('safety properties on a safe small config', () => {
  it('every safety property holds and every applicable guard is reached (39,817 states)', () => {
    const m = modelFor(SMALL);
    const props = [...safetyProperties(m.config), ...reachabilityGuards(m.config)];
    const r = check(m, props, { stopOnViolation: false });
    expect(r.kind).toBe('ok');
    expect(r.stats.distinct).toBe(39_817); // 24,544 before issue 17's fidelity fixes
    expect(r.outcomes.map((o) => `${o.id}:${o.status}${o.path ? `@${o.path.length - 1}` : ''}`)).toEqual([
      'single-leader:holds',
      'single-controller:holds',
      'no-data-loss:holds',
      'log-consistency:holds',
      'epoch-monotonic:holds',
      'leader-in-isr:holds',
      'min-isr-respected:holds',
      'hw-never-passes-isr:holds',
      'log-matching:holds',
      'failover-happens:found@5',
      'isr-shrinks:found@2',
      'isr-expands:found@4',
      'record-acked:found@4',
      'controller-failover:found@2',
      'zombie-leader-exists:found@3',
    ]);
  });
});

describe('each safety property can fail', () => {
  it('single-leader: without the zkVersion check a zombie rolls the leader epoch back, and without leader-epoch fencing two brokers lead epoch 1', () => {
    // BFS finds this 11-step counterexample after 188,837 states (~20 s); the test replays it.
    const m = modelFor({
      mechanisms: { zkVersionCheck: false, leaderEpochFencing: false },
      bounds: { records: 1, leaderEpochs: 2 },
      faults: { networkPartitions: 0, crashes: 0, sessionExpiries: 1 },
    });
    const s = stateAfter(m, '0/0/4/0/0/0/0/0/0/0/0/1');
    expect(singleLeader.holds(s)).toBe(false);
    expect(singleLeader.explain?.(s)).toBe('brokers b1 and b2 both lead p0 in leader epoch 1');
    expect(epochMonotonic.holds(s)).toBe(true);
  });

  it('single-controller: a zombie controller writes once controller-epoch fencing is off', () => {
    const m = modelFor({
      mechanisms: { controllerEpochFencing: false },
      bounds: { records: 0, leaderEpochs: 2 },
      faults: { networkPartitions: 0, crashes: 0, sessionExpiries: 1 },
    });
    const { outcome } = firstCounterexample(m, () => singleController);
    expect(pathOf(outcome)).toBe('0/0/0/3/1/1');
    expect(outcome?.detail).toBe(
      'a controller with an older controller epoch wrote partition state to ZooKeeper after a newer controller was elected',
    );
  });

  it('no-data-loss: acks=1 loses a record acknowledged before it was replicated', () => {
    const m = modelFor({ ...SMALL, acks: '1' });
    const { outcome } = firstCounterexample(m, () => noDataLoss);
    expect(pathOf(outcome)).toBe('0/0/4/0/0/0/0');
    expect(outcome?.detail).toBe(
      'record r1 (p0, offset 0, acknowledged by b0 in leader epoch 0) is missing from the log of leader b1 (leader epoch 1)',
    );
  });

  it('no-data-loss: unclean leader election elects a replica without the acknowledged record (11 states)', () => {
    const m = modelFor({
      uncleanLeaderElection: true,
      bounds: { records: 2, leaderEpochs: 3 },
      faults: { networkPartitions: 0, crashes: 2 },
    });
    const { outcome } = firstCounterexample(m, () => noDataLoss);
    expect(pathOf(outcome)).toBe('0/0/1/3/3/4/4/0/0/0/0');
  });

  it('no-data-loss: pre-KIP-101 truncation to the high watermark (KAFKA-1211, 15 states)', () => {
    const m = modelFor({
      truncation: 'high-watermark',
      bounds: { records: 1, leaderEpochs: 2 },
      faults: { networkPartitions: 0, crashes: 2 },
    });
    const { outcome } = firstCounterexample(m, () => noDataLoss);
    expect(pathOf(outcome)).toBe('0/0/2/2/1/1/3/1/0/1/1/2/0/0/0');
    expect(outcome?.detail).toBe(
      'record r1 (p0, offset 0, acknowledged by b0 in leader epoch 0) is missing from the log of leader b2 (leader epoch 2)',
    );
  });

  it('log-consistency: the controller and leader loses power and leads again in the same epoch; a consumed record is lost', () => {
    // ZooKeeper mode's leader-epoch reuse (catalog: controller-leader-power-loss), seen by consumers.
    const m = modelFor({ ...SMALL, faults: { networkPartitions: 0, crashes: 0, uncleanShutdowns: 1 } });
    const { outcome } = firstCounterexample(m, () => logConsistency);
    expect(pathOf(outcome)).toBe('0/0/0/2/2/3/2/0/0');
    expect(outcome?.detail).toBe(
      "p0 offset 0: consumers could read r1@e0 (below a leader's high watermark up to leader epoch 0), but leader b0 of leader epoch 0 has nothing: a consumed record is lost",
    );
  });

  it('log-consistency: an unclean election puts a replica without the committed prefix in the ISR', () => {
    const m = modelFor({
      uncleanLeaderElection: true,
      bounds: { records: 1, leaderEpochs: 2 },
      faults: { networkPartitions: 0, crashes: 2 },
    });
    const { outcome } = firstCounterexample(m, () => logConsistency);
    expect(pathOf(outcome)).toBe('0/0/0/2/2/3/4/0/0');
    expect(outcome?.detail).toBe('p0 offset 0: ISR member b1 has nothing, but b0 has r1@e0 below its high watermark 1');
  });

  it('epoch-monotonic: without the zkVersion check the leader’s AlterPartition rolls ZooKeeper’s leader epoch back', () => {
    const m = modelFor({
      mechanisms: { zkVersionCheck: false },
      bounds: { records: 1, leaderEpochs: 3 },
      faults: { networkPartitions: 1, crashes: 1 },
    });
    const { outcome } = firstCounterexample(m, () => epochMonotonic);
    expect(pathOf(outcome)).toBe('0/0/5/0/0/2');
    expect(outcome?.detail).toBe(
      'a LeaderAndIsr from b0 to b0 for p0 carries leader epoch 1, partition epoch 1, controller epoch 1, ahead of ZooKeeper (0, 2, 1)',
    );
  });

  it('leader-in-isr: with isrOnlyElection off the clean rule elects outside the ISR', () => {
    const m = modelFor({
      mechanisms: { isrOnlyElection: false },
      bounds: { records: 1, leaderEpochs: 3 },
      faults: { networkPartitions: 0, crashes: 2 },
    });
    const { outcome } = firstCounterexample(m, leaderInIsr);
    expect(pathOf(outcome)).toBe('0/0/0/0/2/0/0');
    expect(outcome?.detail).toBe(
      'an election chose a leader outside the ISR although unclean.leader.election.enable is false',
    );
  });

  it('leader-in-isr: the unclean rule with unclean election disabled in the config', () => {
    const m = modelFor(
      { bounds: { records: 1, leaderEpochs: 3 }, faults: { networkPartitions: 0, crashes: 2 } },
      'unclean',
    );
    expect(pathOf(firstCounterexample(m, leaderInIsr).outcome)).toBe('0/0/0/0/2/0/0');
    // The same behaviour is allowed when the config enables unclean election.
    const allowed = modelFor(
      {
        uncleanLeaderElection: true,
        bounds: { records: 1, leaderEpochs: 3 },
        faults: { networkPartitions: 0, crashes: 2 },
      },
      'unclean',
    );
    expect(leaderInIsr(allowed.config).holds(stateAfter(allowed, '0/0/0/0/2/0/0'))).toBe(true);
  });

  it('hw-never-passes-isr: pre-KIP-101 truncation of a restarted follower the controller did not notice (KAFKA-1211 without KIP-380)', () => {
    // Kafka before 2.7 (pre-KIP-101 truncation never met KIP-497): the leader writes its ISR change itself.
    const config = {
      bounds: { records: 1, leaderEpochs: 2 },
      faults: { networkPartitions: 0, crashes: 2 },
      mechanisms: { asyncAlterPartition: false },
    } as const;
    const m = modelFor({
      ...config,
      truncation: 'high-watermark',
      mechanisms: { ...config.mechanisms, brokerEpochCheck: false },
    });
    const { outcome } = firstCounterexample(m, () => hwNeverPassesIsr);
    expect(pathOf(outcome)).toBe('0/0/2/4/2/0/0/4/5/4/0/1');
    expect(outcome?.detail).toBe(
      'a leader advanced its high watermark past a record that a running member of its ISR did not hold (it counted a fetch position the member no longer had)',
    );
    // With KIP-380 the controller notices the restart and takes the follower out of the ISR first.
    const noticed = modelFor({ ...config, truncation: 'high-watermark' });
    expect(check(noticed, [hwNeverPassesIsr]).kind).toBe('ok');
  });

  it('log-matching: pre-KIP-101 replicas diverge after both lose power (KIP-101 scenario 2)', () => {
    const config = catalogEntry('kip-101-divergence')?.config ?? {};
    const { outcome } = firstCounterexample(modelFor(config), (cfg) => logMatchingOf(cfg));
    expect(outcome?.path?.length).toBe(19);
    expect(outcome?.detail).toBe(
      'p0 offset 0: follower b1 has r1@e0, its leader b2 (leader epoch 2) has r2@e2; the follower will not truncate again and fetches past it',
    );
    // the same behaviours with leader-epoch truncation: b1 truncates r1 away
    const fixed = modelFor({ ...config, truncation: 'leader-epoch' });
    const r = check(fixed, [logMatchingOf(fixed.config)]);
    expect([r.kind, r.stats.distinct]).toEqual(['ok', 318_123]); // 172,837 before issue 17, 254,417 before PendingExpandIsr
  });

  it('log-matching: a reconciled follower is compared at common offsets; any two replicas holding one record agree below it', () => {
    const m = modelFor(SMALL);
    const logMatching = logMatchingOf(m.config);
    const s = stateAfter(m, '0/0'); // b0 leads p0 in epoch 0 with r1; b1 and b2 follow, nothing fetched yet
    /** `st` with broker b changed by `broker` and each of its replicas by `replica`. */
    const edit = (
      st: ClusterState,
      b: number,
      replica: (r: Replica) => Replica,
      broker: (br: ClusterState['brokers'][number]) => object = (br) => br,
    ): ClusterState => ({
      ...st,
      brokers: st.brokers.map((br, i) =>
        i === b ? { ...br, ...broker(br), replicas: br.replicas.map((r) => (r ? replica(r) : r)) } : br,
      ),
    });
    const withB1Log = (log: readonly { epoch: number; id: number }[]): ClusterState =>
      edit(s, 1, (r) => ({ ...r, log }));
    expect(s.brokers[0]?.replicas[0]?.log).toEqual([{ epoch: 0, id: 1 }]);
    expect(logMatching.holds(s)).toBe(true);
    // longer than the leader (its next fetch cuts it to the leader's end): not divergence
    expect(
      logMatching.holds(
        withB1Log([
          { epoch: 0, id: 1 },
          { epoch: 0, id: 7 },
        ]),
      ),
    ).toBe(true);
    const diverged = withB1Log([{ epoch: 0, id: 7 }]);
    expect(logMatching.holds(diverged)).toBe(false);
    expect(logMatching.explain?.(diverged)).toBe(
      'p0 offset 0: follower b1 has r7@e0, its leader b0 (leader epoch 0) has r1@e0; the follower will not truncate again and fetches past it',
    );
    // a follower with a truncation pending has not reconciled yet
    const pending = edit(diverged, 1, (r) => ({ ...r, mustTruncate: true }));
    expect(logMatching.holds(pending)).toBe(true);
    // clause 2: the same record on top of different prefixes, whatever the roles (b2 is stopped here)
    const top = { epoch: 1, id: 9 };
    const built = edit(
      edit(
        pending,
        2,
        (r) => ({ ...r, log: [{ epoch: 0, id: 1 }, top] }),
        () => ({ alive: false }),
      ),
      1,
      (r) => ({ ...r, log: [{ epoch: 0, id: 7 }, top] }),
    );
    expect(logMatching.holds(built)).toBe(false);
    expect(logMatching.explain?.(built)).toBe(
      'p0: b1 and b2 both hold r9@e1 at offset 1, but at offset 0 b1 has r7@e0 and b2 has r1@e0',
    );
  });

  it('min-isr-respected: an acks=all acknowledgement while fewer than min.insync.replicas replicas hold the record', () => {
    // A follower that fetched r1 loses power before flushing it; the leader still counts its fetch
    // position, shrinks the lagging third replica away and acknowledges r1 held by itself alone.
    const powerLoss = { bounds: { records: 1 }, faults: { crashes: 0, networkPartitions: 0, uncleanShutdowns: 1 } };
    const m = modelFor(powerLoss);
    const { outcome } = firstCounterexample(m, (cfg) => minIsrRespected(cfg));
    expect(pathOf(outcome)).toBe('0/0/2/2/3/1');
    expect(outcome?.detail).toBe(
      "an acks=all record was acknowledged while fewer than 2 replica(s) (min.insync.replicas) held it: the leader counted an ISR member's stale fetch position",
    );
    // Without broker epochs (KIP-380) a restarted follower that truncated to its stale high watermark is
    // still counted: the same hazard without any power loss. With leader-epoch truncation it holds.
    const crashes = { bounds: { records: 1, leaderEpochs: 2 }, faults: { crashes: 2, networkPartitions: 0 } };
    const before27 = { asyncAlterPartition: false, brokerEpochCheck: false };
    const stale = modelFor({ ...crashes, truncation: 'high-watermark', mechanisms: before27 });
    expect(pathOf(firstCounterexample(stale, (cfg) => minIsrRespected(cfg)).outcome)).toBe('0/1/2/0/0/2/4/4/5/4/0/1');
    const fixed = modelFor({ ...crashes, truncation: 'leader-epoch', mechanisms: before27 });
    expect(check(fixed, [minIsrRespected(fixed.config)]).kind).toBe('ok');
    // With acks=1 min.insync.replicas does not apply.
    const acks1 = modelFor({ ...powerLoss, acks: '1' });
    expect(check(acks1, [minIsrRespected(acks1.config)]).kind).toBe('ok');
  });

  it('log-consistency and hw-never-passes-isr: a power loss alone is no hazard before KIP-497, and is one after it; so is a follower truncated to a stale high watermark', () => {
    // One power loss of any broker but the controller (b0, which leads no partition here).
    const config: ConfigInput = {
      assignment: [[1, 2, 0]],
      bounds: { records: 1, controllerEpochs: 1 },
      faults: { crashes: 0, networkPartitions: 0, uncleanShutdowns: 1 },
    };
    // Kafka ≤ 2.6: the leader writes the expanded ISR in the fetch's step.
    const sync = modelFor({ ...config, mechanisms: { asyncAlterPartition: false } });
    const r = check(sync, [logConsistency, hwNeverPassesIsr]);
    expect([r.kind, r.stats.distinct]).toEqual(['ok', 5_773]);
    // Kafka ≥ 2.7 (ZooKeeper mode): the expansion a fetch proposes waits in PendingExpandIsr; the follower
    // loses the fetched record in a power loss, restarts and registers again, and then the controller
    // commits the ISR the leader proposed from the lost incarnation's fetch, and the high watermark moves
    // past the record b2 no longer has. KIP-903 closed this in KRaft mode only: a ZooKeeper-mode leader
    // sends broker epoch -1 for every ISR member (`Partition.addBrokerEpochToIsr`).
    const pending = firstCounterexample(modelFor(config), () => hwNeverPassesIsr).outcome;
    expect(pathOf(pending)).toBe('0/0/1/1/1/2/4/0/2/0/0/1');
    expect(pending?.detail).toBe(
      'a leader advanced its high watermark past a record that a running member of its ISR did not hold (it counted a fetch position the member no longer had)',
    );
    const crashes = { bounds: { records: 1, leaderEpochs: 2 }, faults: { crashes: 2, networkPartitions: 0 } };
    const hw = modelFor({ ...crashes, truncation: 'high-watermark' });
    const lc = firstCounterexample(hw, () => logConsistency).outcome;
    expect(pathOf(lc)).toBe('0/0/2/2/1/1/4/0/0/1');
    expect(lc?.detail).toBe('p0 offset 0: ISR member b2 has nothing, but b0 has r1@e0 below its high watermark 1');
  });
});
