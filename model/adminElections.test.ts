import { describe, expect, it } from 'vitest';
import { check, replayPath } from '../checker/index.js';
import type { Action, ClusterState, ConfigInput, KafkaModel } from './index.js';
import { clean, kafkaModel, resolveConfig, validateConfig } from './index.js';
import { noDataLoss } from '../properties/index.js';
import { edit } from './conformance/fixtures.js';
import { contextFor } from './conformance/fixtures.js';
import { rebalanceElections } from './transitions/zkElections.js';

/**
 * Issue 22 part 3: the controller broker's controlled shutdown, `kafka-leader-election.sh` PREFERRED
 * and UNCLEAN, and `auto.leader.rebalance.enable`, in ZooKeeper mode (`KafkaController`) and KRaft
 * (`ReplicationControlManager`).
 */

const modelOf = (input: ConfigInput): KafkaModel => kafkaModel(resolveConfig(input), clean);

type Pick = readonly [Action['kind'], Readonly<Record<string, unknown>>?];

/** Walks from the initial state taking, at each step, the first enabled action matching `steps[i]`. */
function walk(m: KafkaModel, steps: readonly Pick[]): { path: number[]; s: ClusterState; text: string[] } {
  let s = m.initStates()[0] as ClusterState;
  const path = [0];
  const text: string[] = [];
  for (const [kind, fields = {}] of steps) {
    const acts = m.actions(s);
    const i = acts.findIndex(
      (a) =>
        a.kind === kind && Object.entries(fields).every(([k, v]) => (a as unknown as Record<string, unknown>)[k] === v),
    );
    if (i < 0) throw new Error(`${kind} ${JSON.stringify(fields)} not enabled: ${acts.map((a) => a.kind).join(', ')}`);
    const a = acts[i] as Action;
    text.push(m.formatAction?.(a, s) ?? a.kind);
    path.push(i);
    s = m.next(s, a) ?? s;
  }
  return { path, s, text };
}

/** Replays `path` and returns its last state (the path must replay). */
function replayed(m: KafkaModel, path: readonly number[]): ClusterState {
  const r = replayPath(m, path);
  if (!r.ok) throw new Error(`path does not replay at step ${r.step}: ${r.error}`);
  return r.value.states.at(-1) as ClusterState;
}

describe('ZooKeeper mode: the controller broker shuts down cleanly (KafkaController.doControlledShutdown on itself)', () => {
  const m = modelOf({ faults: { controlledShutdowns: 1 } });
  // The default cluster: b0 is both the controller and the leader of p0.
  const { path, s, text } = walk(m, [
    ['controlled-shutdown', { broker: 0 }],
    ['elect-controller', { broker: 1 }],
    ['deliver'],
  ]);

  it('moves leadership to b1 before b0 stops; the /controller znode goes and b1 takes over (exact path)', () => {
    expect(path).toEqual([0, 2, 0, 0]);
    expect(text).toEqual([
      'b0 shuts down in a controlled way (leadership moved, log flushed); it is the controller, so it resigns and /controller is free',
      'b1 wins the /controller znode (controller epoch 2)',
      'deliver LeaderAndIsr(p0: leader b1, leader epoch 1, ISR {1,2}, controller epoch 1) from b0 to b1',
    ]);
    const end = replayed(m, path);
    expect(end.zk.partitions[0]).toEqual({
      leader: 1,
      leaderEpoch: 1,
      isr: 0b110,
      version: 1,
      controllerEpoch: 1,
      preferred: 0,
    });
    expect(end.zk.controller).toBe(1);
    expect(end.brokers[0]?.alive).toBe(false);
    expect(end.brokers[1]?.replicas[0]?.role).toBe(s.brokers[1]?.replicas[0]?.role);
    expect(end.brokers[1]?.replicas[0]?.leaderEpoch).toBe(1);
    expect(end.budget.controlledShutdowns).toBe(0);
  });

  it('is listed for the controller in the initial state (it was not before the fix)', () => {
    const s0 = m.initStates()[0] as ClusterState;
    expect(s0.zk.controller).toBe(0);
    expect(m.actions(s0).filter((a) => a.kind === 'controlled-shutdown')).toEqual([
      { kind: 'controlled-shutdown', broker: 0 },
      { kind: 'controlled-shutdown', broker: 1 },
      { kind: 'controlled-shutdown', broker: 2 },
    ]);
  });
});

describe('kafka-leader-election.sh --election-type PREFERRED restores the preferred leader', () => {
  it('ZooKeeper mode: after b0 comes back and rejoins the ISR, the admin election makes it leader again', () => {
    const m = modelOf({ faults: { controlledShutdowns: 1, preferredElections: 1, networkPartitions: 0 } });
    const { path, s } = walk(m, [
      ['controlled-shutdown', { broker: 0 }],
      ['elect-controller', { broker: 1 }],
      ['deliver', {}],
      ['deliver', {}],
      ['restart', { broker: 0 }],
      ['observe-brokers', { controller: 1 }],
      ['deliver', {}],
      ['fetch', { follower: 0 }], // caught up: the leader queues an AlterPartition (PendingExpandIsr)
      ['expand-isr', { follower: 0 }], // the controller takes b0 back into the ISR
    ]);
    expect(s.zk.partitions[0]?.leader).toBe(1);
    expect(s.zk.partitions[0]?.isr).toBe(0b111);
    const elections = m.actions(s).filter((a) => a.kind === 'leader-election');
    expect(elections).toEqual([
      { kind: 'leader-election', controller: 1, partition: 0, election: 'preferred', leader: 0 },
    ]);
    const after = m.next(s, elections[0] as Action) as ClusterState;
    expect(after.zk.partitions[0]).toMatchObject({ leader: 0, leaderEpoch: 2, isr: 0b111 });
    expect(after.budget.preferredElections).toBe(0);
    const full = [...path, m.actions(s).findIndex((a) => a.kind === 'leader-election')];
    expect(full).toEqual([0, 2, 0, 0, 0, 5, 0, 0, 2, 3, 0]);
    expect(replayed(m, full).zk.partitions[0]?.leader).toBe(0);
    // the preferred replica leads now: ELECTION_NOT_NEEDED, and the budget is spent anyway
    expect(m.actions(after).some((a) => a.kind === 'leader-election')).toBe(false);
  });

  it('is not listed while the preferred replica is out of the ISR (PREFERRED_LEADER_NOT_AVAILABLE)', () => {
    const m = modelOf({ faults: { controlledShutdowns: 1, preferredElections: 1, networkPartitions: 0 } });
    const { s } = walk(m, [
      ['controlled-shutdown', { broker: 0 }],
      ['elect-controller', { broker: 1 }],
      ['restart', { broker: 0 }],
      ['observe-brokers', { controller: 1 }],
    ]);
    expect(s.zk.partitions[0]?.isr).toBe(0b110);
    expect(m.actions(s).some((a) => a.kind === 'leader-election')).toBe(false);
  });
});

describe('kafka-leader-election.sh --election-type UNCLEAN elects outside the ISR', () => {
  // Two brokers, min ISR 1: b1 crashes and leaves the ISR, b0 alone acknowledges a record, b0 crashes
  // and b1 comes back: only an unclean election gives p0 a leader.
  const input: ConfigInput = {
    brokers: 2,
    replicationFactor: 2,
    minInsyncReplicas: 1,
    bounds: { records: 1, leaderEpochs: 2, controllerEpochs: 2 },
    faults: { crashes: 2, networkPartitions: 0 },
  };

  it('no-data-loss finds its violation only with an admin unclean election in the budget', () => {
    const found = check(modelOf({ ...input, faults: { ...input.faults, uncleanElections: 1 } }), [noDataLoss]);
    expect(found.kind).toBe('violation');
    const m = modelOf({ ...input, faults: { ...input.faults, uncleanElections: 1 } });
    const path = found.kind === 'violation' ? (found.violation.path ?? []) : [];
    const r = replayPath(m, path);
    if (!r.ok) throw new Error(r.error);
    const unclean = r.value.actions.filter((a) => a.kind === 'leader-election');
    expect(unclean).toHaveLength(1);
    expect(unclean[0]).toMatchObject({ election: 'unclean' });
    expect(check(modelOf(input), [noDataLoss]).kind).toBe('ok');
  });

  it('ZooKeeper mode: the admin election names the live replica outside the ISR; unclean.leader.election.enable stays off', () => {
    const m = modelOf({ ...input, faults: { ...input.faults, uncleanElections: 1 } });
    const { s } = walk(m, [
      ['crash', { broker: 1 }],
      ['observe-brokers', { controller: 0 }],
      ['remove-from-isr', { broker: 1 }],
      ['crash', { broker: 0 }],
      ['restart', { broker: 1 }],
      ['elect-controller', { broker: 1 }],
    ]);
    expect(m.config.uncleanLeaderElection).toBe(false);
    expect(s.zk.partitions[0]).toMatchObject({ leader: 0, isr: 0b01 });
    // the clean offline election finds nobody: the partition goes offline
    expect(m.actions(s).filter((a) => a.kind === 'elect-leader')).toEqual([
      { kind: 'elect-leader', controller: 1, partition: 0, leader: -1 },
    ]);
    const admin = m.actions(s).filter((a) => a.kind === 'leader-election');
    expect(admin).toEqual([{ kind: 'leader-election', controller: 1, partition: 0, election: 'unclean', leader: 1 }]);
    const after = m.next(s, admin[0] as Action) as ClusterState;
    expect(after.zk.partitions[0]).toMatchObject({ leader: 1, isr: 0b10, leaderEpoch: 2 });
    expect(after.ghost.uncleanElection).toBe(true);
  });
});

describe('auto.leader.rebalance.enable (KafkaController.checkAndTriggerAutoLeaderRebalance)', () => {
  // Two partitions both preferring b0; b0 bounced and b1 leads both with b0 back in the ISR.
  const input: ConfigInput = {
    brokers: 2,
    partitions: 2,
    replicationFactor: 2,
    minInsyncReplicas: 1,
    assignment: [
      [0, 1],
      [0, 1],
    ],
    autoLeaderRebalance: true,
    bounds: { records: 0 },
    faults: { crashes: 1, networkPartitions: 0 },
  };
  const bothOnB1 = (m: KafkaModel): ClusterState =>
    edit(m.initStates()[0] as ClusterState, (d) => {
      for (const ps of d.zk.partitions) ps.leader = 1;
    });

  it('triggers only when the share of b0’s partitions led elsewhere exceeds leader.imbalance.per.broker.percentage', () => {
    const half = modelOf({ ...input, leaderImbalancePercentage: 50 });
    const ctx = contextFor(half.config);
    const both = bothOnB1(half);
    // 2 of 2 led elsewhere: 100% > 50%
    expect(rebalanceElections(both, ctx, 0)).toEqual([
      { partition: 0, leader: 0 },
      { partition: 1, leader: 0 },
    ]);
    expect(half.actions(both)).toContainEqual({ kind: 'auto-rebalance', controller: 0 });
    // 1 of 2 led elsewhere: 50% is not above 50%
    const one = edit(both, (d) => {
      (d.zk.partitions[0] as { leader: number }).leader = 0;
    });
    expect(rebalanceElections(one, ctx, 0)).toEqual([]);
    expect(half.actions(one).some((a) => a.kind === 'auto-rebalance')).toBe(false);
    // at 49% the same state is above the threshold, and only the partition led elsewhere moves
    const lower = modelOf({ ...input, leaderImbalancePercentage: 49 });
    expect(rebalanceElections(one, contextFor(lower.config), 0)).toEqual([{ partition: 1, leader: 0 }]);
    const moved = lower.next(one, { kind: 'auto-rebalance', controller: 0 }) as ClusterState;
    expect(moved.zk.partitions.map((p) => [p.leader, p.leaderEpoch])).toEqual([
      [0, 0],
      [0, 1],
    ]);
  });

  it('is never listed with auto.leader.rebalance.enable off (the model’s default)', () => {
    const off = modelOf({ ...input, autoLeaderRebalance: false });
    expect(resolveConfig({}).autoLeaderRebalance).toBe(false);
    expect(off.actions(bothOnB1(off)).some((a) => a.kind === 'auto-rebalance')).toBe(false);
  });
});

describe('KRaft (ReplicationControlManager.electLeader, maybeBalancePartitionLeaders)', () => {
  const kraft = (faults: ConfigInput['faults'], more: ConfigInput = {}): KafkaModel =>
    modelOf({
      mode: 'kraft',
      voters: 1,
      preVote: false,
      minInsyncReplicas: 1,
      bounds: { records: 0, metadataRecords: 8, leaderEpochs: 4, partitionEpochs: 6 },
      ...more,
      faults: { crashes: 0, networkPartitions: 0, ...faults },
    });
  // b0's session expires (b1 takes p0), b0 is unfenced, everyone applies the metadata and b0 rejoins the ISR.
  const rejoin: readonly Pick[] = [
    ['fence-broker', { broker: 0 }],
    ['unfence-broker', { broker: 0 }],
    ['fetch-metadata', { broker: 0 }],
    ['fetch-metadata', { broker: 1 }],
    ['fetch-metadata', { broker: 2 }],
    ['fetch', { follower: 0 }],
    ['fetch-metadata', { broker: 1 }],
  ];

  it('PREFERRED: the admin election and the auto rebalance each write ElectLeaders moving p0 back to b0', () => {
    const m = kraft({ sessionExpiries: 1, preferredElections: 1 }, { autoLeaderRebalance: true });
    const { path, s } = walk(m, rejoin);
    expect(path).toEqual([0, 0, 0, 0, 0, 0, 0, 2]);
    const acts = m.actions(s).filter((a) => a.kind === 'leader-election' || a.kind === 'auto-rebalance');
    expect(acts).toEqual([
      { kind: 'leader-election', controller: 0, partition: 0, election: 'preferred', leader: 0 },
      { kind: 'auto-rebalance', controller: 0 },
    ]);
    for (const a of acts) {
      const next = m.next(s, a) as ClusterState;
      expect(m.formatAction?.(a, s)).toContain('ElectLeaders; p0: leader b0 (leader epoch 2), ISR {0,1,2}');
      expect(next.kraft?.voters[0]?.log.at(-1)?.partitions).toEqual([
        { partition: 0, leader: 0, leaderEpoch: 2, partitionEpoch: 3, isr: 0b111, elr: 0, lastKnownLeader: -1 },
      ]);
    }
    // without auto.leader.rebalance.enable there is no rebalance step
    const off = kraft({ sessionExpiries: 1, preferredElections: 1 });
    expect(off.actions(walk(off, rejoin).s).some((a) => a.kind === 'auto-rebalance')).toBe(false);
  });

  it('UNCLEAN: with the ISR down to a fenced b0, the admin election picks b1 outside the ISR', () => {
    const m = kraft({ sessionExpiries: 3, uncleanElections: 1 });
    const { s } = walk(m, [
      ['fence-broker', { broker: 1 }],
      ['fence-broker', { broker: 2 }],
      ['unfence-broker', { broker: 1 }],
      ['unfence-broker', { broker: 2 }],
      ['fence-broker', { broker: 0 }],
    ]);
    const last = s.kraft?.voters[0]?.log.at(-1)?.partitions[0];
    expect(last).toMatchObject({ leader: -1, isr: 0b001 });
    const admin = m.actions(s).filter((a) => a.kind === 'leader-election');
    expect(admin).toEqual([{ kind: 'leader-election', controller: 0, partition: 0, election: 'unclean', leader: 1 }]);
    const after = m.next(s, admin[0] as Action) as ClusterState;
    expect(after.kraft?.voters[0]?.log.at(-1)?.partitions[0]).toMatchObject({ leader: 1, isr: 0b010 });
    expect(after.ghost.uncleanElection).toBe(true);
    expect(after.budget.uncleanElections).toBe(0);
  });

  it('leader.imbalance.per.broker.percentage is refused in KRaft mode (the KRaft controller does not read it)', () => {
    const errors = validateConfig(resolveConfig({ mode: 'kraft', leaderImbalancePercentage: 20 }));
    expect(errors.ok ? [] : errors.errors).toEqual([
      'leaderImbalancePercentage (leader.imbalance.per.broker.percentage) applies to ZooKeeper mode only: the KRaft controller rebalances every partition not led by its preferred replica; drop --leader-imbalance-percentage',
    ]);
  });
});
