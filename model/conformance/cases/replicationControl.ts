import type { ConfigInput } from '../../config.js';
import type { ClusterState } from '../../state.js';
import { initialState } from '../../state.js';
import type { Ctx } from '../../transitions/common.js';
import { kraftControlPlane } from '../../transitions/kraft/kraftController.js';
import { adminElectionOutcomes } from '../../transitions/kraft/kraftElections.js';
import { metadataImage } from '../../transitions/kraft/metadataImage.js';
import type { KafkaModel } from '../../kafkaModel.js';
import type { ConformanceCase, NotExpressible } from '../ConformanceCase.js';
import { conformanceCase } from '../ConformanceCase.js';
import { contextFor, edit, ids, mask, modelConfig, modelFor, replicaIn, runPath, type Step } from '../fixtures.js';

/**
 * `ReplicationControlManagerTest` and `QuorumControllerTest` (metadata module): the KRaft controller's
 * reactions to broker fencing, unfencing, controlled shutdown and unclean shutdown (ISR, ELR, leader,
 * last known leader), and its validation of AlterPartition (KIP-841 eligibility, KIP-903 broker
 * epochs). These run as short KRaft-mode paths with one controller voter: Kafka's test helper fences a
 * broker by letting its session time out while it is still running, which is the model's
 * `fence-broker` with a session-expiry fault; Kafka's "unclean shutdown" is a broker registering again
 * after a crash (the model treats every new incarnation as unclean, as `ClusterControlManager` does when
 * the incarnation id changes). Partition state is read from the controller's metadata image. Kafka's
 * broker ids are the model's.
 */

const RCM = 'ReplicationControlManagerTest';

function kraft(input: ConfigInput): { model: KafkaModel; ctx: Ctx; s: ClusterState } {
  const full: ConfigInput = {
    mode: 'kraft',
    voters: 1,
    preVote: false,
    minInsyncReplicas: 1,
    ...input,
    faults: { crashes: 0, networkPartitions: 0, sessionExpiries: 5, controlledShutdowns: 0, ...input.faults },
    bounds: { records: 0, leaderEpochs: 8, partitionEpochs: 30, metadataRecords: 30, raftEpochs: 8 },
  };
  const model = modelFor(full);
  return { model, ctx: contextFor(model.config), s: initialState(model.config) };
}

/** Partition p as the controller (voter 0) has it in its metadata image. */
function registration(k: { model: KafkaModel }, s: ClusterState, p = 0) {
  const r = metadataImage(k.model.config, s.kraft?.voters[0]?.log ?? []).partitions[p];
  if (!r) throw new Error(`no partition ${p}`);
  return {
    leader: r.leader,
    leaderEpoch: r.leaderEpoch,
    partitionEpoch: r.partitionEpoch,
    isr: ids(r.isr),
    elr: ids(r.elr),
    lastKnownLeader: r.lastKnownLeader,
  };
}

const fence = (...bs: number[]): Step[] => bs.map((broker) => ({ kind: 'fence-broker', broker }));
const unfence = (...bs: number[]): Step[] => bs.map((broker) => ({ kind: 'unfence-broker', broker }));
/** A broker's process dies and comes back as a new incarnation that registers (and so is treated as an unclean shutdown). */
const reincarnate = (b: number): Step[] => [
  { kind: 'crash', broker: b },
  { kind: 'restart', broker: b },
  { kind: 'register-broker', broker: b },
];

/** Whether leader L's AlterPartition proposing `isr` for partition 0 would be accepted now. */
const accepts = (k: { ctx: Ctx }, s: ClusterState, L: number, isr: number[]): boolean =>
  kraftControlPlane.acceptsAlterPartition(s, k.ctx, L, 0, mask(...isr));

/** Leader L's AlterPartition for `isr` applied (it must be accepted), then L applying the committed change. */
function alter(k: { ctx: Ctx; model: KafkaModel }, s: ClusterState, L: number, isr: number[]): ClusterState {
  if (!accepts(k, s, L, isr)) throw new Error(`AlterPartition to [${isr.join(', ')}] rejected`);
  const t = edit(s, (d) => kraftControlPlane.alterPartition(d, k.ctx, L, 0, mask(...isr)));
  return runPath(k.model, t, [{ kind: 'fetch-metadata', broker: L }]);
}

/** `brokers` brokers and one partition per replica list (the replication factor is the first list's length). */
const placement = (brokers: number, ...assignment: readonly number[][]): ConfigInput => ({
  brokers,
  partitions: assignment.length,
  replicationFactor: assignment[0]?.length ?? 0,
  assignment,
});

const FOUR = placement(4, [0, 1, 2, 3]);
/** Kafka's five brokers with partitions [1, 2, 3], [2, 3, 4], [0, 2, 1]. */
const FIVE = placement(5, [1, 2, 3], [2, 3, 4], [0, 2, 1]);

export const REPLICATION_CONTROL_CASES: readonly ConformanceCase[] = [
  conformanceCase({
    id: 'rcm-elr-broker-fence',
    kafkaTest: `${RCM}.testEligibleLeaderReplicas_BrokerFence`,
    area: 'replication-control',
    description:
      'ELR on, replicas [0, 1, 2, 3], leader 0, min ISR 3. Fencing 2 and 3 leaves ELR [3] (2 left while the ISR was still at min ISR); fencing 1 too gives ELR [1, 3]; unfencing them all changes nothing (the partition has a leader). No last known leader throughout.',
    run: () => {
      const k = kraft({ ...FOUR, minInsyncReplicas: 3, elr: true });
      const a = runPath(k.model, k.s, fence(2, 3));
      const b = runPath(k.model, a, fence(1));
      const c = runPath(k.model, b, unfence(1, 2, 3));
      const pick = (s: ClusterState) => {
        const r = registration(k, s);
        return { elr: r.elr, lastKnownLeader: r.lastKnownLeader };
      };
      return [pick(a), pick(b), pick(c)];
    },
    expected: [
      { elr: [3], lastKnownLeader: -1 },
      { elr: [1, 3], lastKnownLeader: -1 },
      { elr: [1, 3], lastKnownLeader: -1 },
    ],
  }),
  conformanceCase({
    id: 'rcm-elr-clean-election',
    kafkaTest: `${RCM}.testEligibleLeaderReplicas_CleanElection`,
    area: 'replication-control',
    description:
      'ELR on, replicas [0, 1, 2, 3], leader 0, min ISR 3. Fencing 1, 2, 3 gives ELR [2, 3]. Then 2 is unfenced and 0 fenced: the ISR would be empty, so the ELR member 2 is elected cleanly, ISR [2], ELR [0, 3].',
    run: () => {
      const k = kraft({ ...FOUR, minInsyncReplicas: 3, elr: true });
      const a = runPath(k.model, k.s, fence(1, 2, 3));
      const b = runPath(k.model, a, [...unfence(2), ...fence(0)]);
      const r = registration(k, b);
      return [registration(k, a).elr, { leader: r.leader, isr: r.isr, elr: r.elr, lastKnownLeader: r.lastKnownLeader }];
    },
    expected: [[2, 3], { leader: 2, isr: [2], elr: [0, 3], lastKnownLeader: -1 }],
  }),
  conformanceCase({
    id: 'rcm-elr-unclean-shutdown',
    kafkaTest: `${RCM}.testEligibleLeaderReplicas_UncleanShutdown`,
    area: 'replication-control',
    description:
      'ELR on, replicas [0, 1, 2, 3], min ISR 3; fencing 1, 2, 3 gives ELR [2, 3]. An unclean shutdown of ELR member 3 removes it: ELR [2]. An unclean shutdown of the last ISR member 0 records it as the last known leader: ELR [2], last known leader 0. (Model path: 3 crashes, restarts and registers again; 0, still registered and unfenced, crashes and is fenced when its session times out before its new incarnation registers, as the model lets a broker re-register only once its old session is gone.)',
    run: () => {
      const k = kraft({ ...FOUR, minInsyncReplicas: 3, elr: true, faults: { crashes: 2 } });
      const a = runPath(k.model, k.s, fence(1, 2, 3));
      const b = runPath(k.model, a, reincarnate(3));
      const c = runPath(k.model, b, [
        { kind: 'crash', broker: 0 },
        { kind: 'fence-broker', broker: 0 },
        { kind: 'restart', broker: 0 },
        { kind: 'register-broker', broker: 0 },
      ]);
      const pick = (s: ClusterState) => {
        const r = registration(k, s);
        return { elr: r.elr, lastKnownLeader: r.lastKnownLeader };
      };
      return [pick(a), pick(b), pick(c)];
    },
    expected: [
      { elr: [2, 3], lastKnownLeader: -1 },
      { elr: [2], lastKnownLeader: -1 },
      { elr: [2], lastKnownLeader: 0 },
    ],
  }),
  conformanceCase({
    id: 'rcm-quorum-controller-unclean-shutdown-broker',
    kafkaTest: 'QuorumControllerTest.testUncleanShutdownBroker',
    area: 'replication-control',
    description:
      'ELR on, three brokers, one partition on all three, min ISR 2. When every broker is fenced the ISR is empty, there is no leader, the ELR has two members and the last known leader is one of them. The ELR member that is the last known leader re-registers (unclean shutdown): the ELR is just the other one. It re-registers again: the last known leader is kept. The other ELR member is unfenced: it is elected, ISR [it], empty ELR, no last known leader.',
    run: () => {
      const k = kraft({ ...placement(3, [0, 1, 2]), minInsyncReplicas: 2, elr: true, faults: { crashes: 2 } });
      const fenced = runPath(k.model, k.s, fence(0, 1, 2));
      const r = registration(k, fenced);
      const lkl = r.lastKnownLeader;
      const other = r.elr.find((b) => b !== lkl) ?? -1;
      const once = runPath(k.model, fenced, reincarnate(lkl));
      const twice = runPath(k.model, once, reincarnate(lkl));
      const elected = runPath(k.model, twice, unfence(other));
      const e = registration(k, elected);
      return {
        whenFenced: { isr: r.isr, leader: r.leader, elrSize: r.elr.length, lastKnownInElr: r.elr.includes(lkl) },
        afterUncleanShutdown: { elrIsTheOther: isOnly(registration(k, once).elr, other) },
        afterSecond: { lastKnownLeaderKept: registration(k, twice).lastKnownLeader === lkl },
        afterUnfence: {
          leaderIsTheOther: e.leader === other,
          isrIsTheOther: isOnly(e.isr, other),
          elr: e.elr,
          lastKnownLeader: e.lastKnownLeader,
        },
      };
    },
    expected: {
      whenFenced: { isr: [], leader: -1, elrSize: 2, lastKnownInElr: true },
      afterUncleanShutdown: { elrIsTheOther: true },
      afterSecond: { lastKnownLeaderKept: true },
      afterUnfence: { leaderIsTheOther: true, isrIsTheOther: true, elr: [], lastKnownLeader: -1 },
    },
  }),
  conformanceCase({
    id: 'rcm-fence-multiple-brokers',
    kafkaTest: `${RCM}.testFenceMultipleBrokers`,
    area: 'replication-control',
    description:
      'Five brokers, partitions [1, 2, 3], [2, 3, 4], [0, 2, 1]. Fencing 2 and 3: partition 0 has ISR [1] and leader 1; partition 1 ISR [4] and leader 4; partition 2 ISR [0, 1] and a leader other than 2.',
    run: () => {
      const k = kraft(FIVE);
      const s = runPath(k.model, k.s, fence(2, 3));
      const [p0, p1, p2] = [0, 1, 2].map((p) => registration(k, s, p));
      return [
        { isr: p0?.isr, leader: p0?.leader },
        { isr: p1?.isr, leader: p1?.leader },
        { isr: p2?.isr, leaderIsNot2: p2?.leader !== 2 },
      ];
    },
    expected: [
      { isr: [1], leader: 1 },
      { isr: [4], leader: 4 },
      { isr: [0, 1], leaderIsNot2: true },
    ],
  }),
  conformanceCase({
    id: 'rcm-fence-leaves-last-isr-member',
    kafkaTest: `${RCM}.testElectUncleanLeaders_WithoutElr`,
    area: 'replication-control',
    description:
      'Without ELR, five brokers, partitions [1, 2, 3], [2, 3, 4], [0, 2, 1]; fencing 2 and 3, then 1 as well: partition 0 has no leader and keeps its last ISR member, ISR [1]; partition 1 leader 4, ISR [4]; partition 2 leader 0, ISR [0]. (The admin unclean election that follows in Kafka’s test is not expressible.)',
    run: () => {
      const k = kraft(FIVE);
      const s = runPath(k.model, k.s, fence(2, 3, 1));
      return [0, 1, 2].map((p) => {
        const r = registration(k, s, p);
        return { leader: r.leader, isr: r.isr };
      });
    },
    expected: [
      { leader: -1, isr: [1] },
      { leader: 4, isr: [4] },
      { leader: 0, isr: [0] },
    ],
  }),
  conformanceCase({
    id: 'rcm-preferred-election-not-unclean',
    kafkaTest: `${RCM}.testPreferredElectionDoesNotTriggerUncleanElection`,
    area: 'replication-control',
    description:
      'Brokers 1–4, partition [1, 2, 3]; fencing 2 and 3, then 1, then unfencing 2 leaves no leader and ISR [1]. With unclean.leader.election.enable switched on afterwards, a preferred election elects nobody (the preferred replica 1 is fenced, and a preferred election never falls back to an unclean choice).',
    run: () => {
      const k = kraft({ ...placement(5, [1, 2, 3]), faults: { preferredElections: 1 } });
      const s = runPath(k.model, k.s, [...fence(2, 3, 1), ...unfence(2)]);
      const r = registration(k, s);
      const unclean = contextFor(modelConfig({ ...k.model.config, uncleanLeaderElection: true }));
      return {
        leader: r.leader,
        isr: r.isr,
        preferredElection: adminElectionOutcomes(s, unclean, 0, 0, 'preferred').length === 0 ? 'none' : 'elects',
      };
    },
    expected: { leader: -1, isr: [1], preferredElection: 'none' },
  }),
  conformanceCase({
    id: 'rcm-remove-leaderships-on-fence',
    kafkaTest: `${RCM}.testRemoveLeaderships`,
    area: 'replication-control',
    description:
      'Four brokers, partitions [0, 1, 2], [1, 2, 3], [2, 3, 0], [0, 2, 1]: broker 0 leads partitions 0 and 3; once it is fenced it leads none.',
    run: () => {
      const k = kraft(placement(4, [0, 1, 2], [1, 2, 3], [2, 3, 0], [0, 2, 1]));
      const led = (s: ClusterState) => [0, 1, 2, 3].filter((p) => registration(k, s, p).leader === 0);
      return { before: led(k.s), after: led(runPath(k.model, k.s, fence(0))) };
    },
    expected: { before: [0, 3], after: [] },
  }),
  conformanceCase({
    id: 'rcm-heartbeat-controlled-shutdown',
    kafkaTest: `${RCM}.testProcessBrokerHeartbeatInControlledShutdown`,
    area: 'replication-control',
    description:
      'Brokers 0–2, partition [0, 1, 2] led by 0. Broker 0’s heartbeat asks to shut down: it is marked in controlled shutdown (3.3-IV3 and later), and the partition moves to leader 1 with ISR [1, 2].',
    run: () => {
      const k = kraft({ ...placement(3, [0, 1, 2]), faults: { controlledShutdowns: 1 } });
      const s = runPath(k.model, k.s, [{ kind: 'controlled-shutdown', broker: 0 }]);
      const r = registration(k, s);
      const reg = metadataImage(k.model.config, s.kraft?.voters[0]?.log ?? []).brokers[0];
      return { inControlledShutdown: reg?.inControlledShutdown, leader: r.leader, isr: r.isr };
    },
    expected: { inControlledShutdown: true, leader: 1, isr: [1, 2] },
  }),
  conformanceCase({
    id: 'rcm-shrink-and-expand-isr',
    kafkaTest: `${RCM}.testShrinkAndExpandIsr`,
    area: 'replication-control',
    description:
      'Brokers 0–2, partition [0, 1, 2] led by 0: its AlterPartition shrinking the ISR to [0, 1] succeeds, and then one expanding it back to [0, 1, 2] succeeds.',
    run: () => {
      const k = kraft(placement(3, [0, 1, 2]));
      const shrunk = alter(k, k.s, 0, [0, 1]);
      const expanded = alter(k, shrunk, 0, [0, 1, 2]);
      return [registration(k, shrunk).isr, registration(k, expanded).isr];
    },
    expected: [
      [0, 1],
      [0, 1, 2],
    ],
  }),
  conformanceCase({
    id: 'rcm-elr-shrink-and-expand-isr',
    kafkaTest: `${RCM}.testEligibleLeaderReplicas_ShrinkAndExpandIsr`,
    area: 'replication-control',
    description:
      'ELR on, brokers 0–2, partition [0, 1, 2] led by 0, min ISR 2: shrinking the ISR to [0] puts 1 and 2 in the ELR; expanding it to [0, 1] reaches min ISR and empties the ELR; the last known ELR stays empty.',
    run: () => {
      const k = kraft({ ...placement(3, [0, 1, 2]), minInsyncReplicas: 2, elr: true });
      const shrunk = alter(k, k.s, 0, [0]);
      const expanded = alter(k, shrunk, 0, [0, 1]);
      const pick = (s: ClusterState) => {
        const r = registration(k, s);
        return { elr: r.elr, lastKnownLeader: r.lastKnownLeader };
      };
      return [pick(shrunk), pick(expanded)];
    },
    expected: [
      { elr: [1, 2], lastKnownLeader: -1 },
      { elr: [], lastKnownLeader: -1 },
    ],
  }),
  conformanceCase({
    id: 'rcm-alter-partition-rejects-fenced',
    kafkaTest: `${RCM}.testAlterPartitionShouldRejectFencedBrokers`,
    area: 'replication-control',
    description:
      'Brokers 0–4, partition [1, 2, 3, 4] led by 1. Fencing 3 gives ISR [1, 2, 4], leader 1, leader epoch 0, partition epoch 1. The leader’s AlterPartition adding 3 back is rejected (INELIGIBLE_REPLICA); once 3 is unfenced the same request succeeds: ISR [1, 2, 3, 4], leader epoch 0, partition epoch 2.',
    run: () => {
      const k = kraft(placement(5, [1, 2, 3, 4]));
      const fenced = runPath(k.model, k.s, [...fence(3), { kind: 'fetch-metadata', broker: 1 }]);
      const whileFenced = accepts(k, fenced, 1, [1, 2, 3, 4]);
      const unfenced = runPath(k.model, fenced, unfence(3));
      const after = alter(k, unfenced, 1, [1, 2, 3, 4]);
      const pick = (s: ClusterState) => {
        const r = registration(k, s);
        return { isr: r.isr, leader: r.leader, leaderEpoch: r.leaderEpoch, partitionEpoch: r.partitionEpoch };
      };
      return { afterFence: pick(fenced), whileFenced, afterUnfence: pick(after) };
    },
    expected: {
      afterFence: { isr: [1, 2, 4], leader: 1, leaderEpoch: 0, partitionEpoch: 1 },
      whileFenced: false,
      afterUnfence: { isr: [1, 2, 3, 4], leader: 1, leaderEpoch: 0, partitionEpoch: 2 },
    },
  }),
  conformanceCase({
    id: 'rcm-alter-partition-rejects-stale-broker-epoch',
    kafkaTest: `${RCM}.testAlterPartitionShouldRejectBrokersWithStaleEpoch`,
    area: 'replication-control',
    description:
      'Brokers 0–4, partition [1, 2, 3, 4] led by 1, 4 out of the ISR. Broker 4 comes back as a new incarnation (new broker epoch) and is unfenced. The leader’s AlterPartition adding 4 with the broker epoch of 4’s old incarnation (what its last fetch carried) is rejected (INELIGIBLE_REPLICA, AlterPartition v3+). Model path: 4 crashes and is fenced (ISR [1, 2, 3]), restarts, registers, catches up and is unfenced; the leader applies the metadata. (For contrast, the model accepts the request carrying 4’s new epoch.)',
    run: () => {
      const k = kraft({ ...placement(5, [1, 2, 3, 4]), faults: { crashes: 1 } });
      const s = runPath(k.model, k.s, [
        { kind: 'crash', broker: 4 },
        ...fence(4),
        { kind: 'restart', broker: 4 },
        { kind: 'register-broker', broker: 4 },
        { kind: 'fetch-metadata', broker: 4 },
        ...unfence(4),
        { kind: 'fetch-metadata', broker: 1 },
      ]);
      const withFetchEpoch = (epoch: number) =>
        edit(s, (d) => {
          replicaIn(d, 1).followerEpoch[4] = epoch;
        });
      const oldEpoch = k.s.kraft?.brokers[4]?.epoch ?? -1;
      const newEpoch = s.kraft?.brokers[4]?.epoch ?? -1;
      return {
        isrBefore: registration(k, s).isr,
        staleEpoch: accepts(k, withFetchEpoch(oldEpoch), 1, [1, 2, 3, 4]),
        currentEpoch: accepts(k, withFetchEpoch(newEpoch), 1, [1, 2, 3, 4]),
      };
    },
    expected: { isrBefore: [1, 2, 3], staleEpoch: false, currentEpoch: true },
  }),
  conformanceCase({
    id: 'rcm-alter-partition-rejects-shutting-down',
    kafkaTest: `${RCM}.testAlterPartitionShouldRejectShuttingDownBrokers`,
    area: 'replication-control',
    description:
      'Brokers 0–4, partition [1, 2, 3, 4] led by 1; broker 3 is in controlled shutdown. The leader’s AlterPartition with ISR [1, 2, 3, 4] is rejected (INELIGIBLE_REPLICA). In the model the controlled shutdown also takes 3 out of the ISR in the same step (as Kafka’s heartbeat-driven shutdown does), so the request is one adding 3 back.',
    run: () => {
      const k = kraft({ ...placement(5, [1, 2, 3, 4]), faults: { controlledShutdowns: 1 } });
      const s = runPath(k.model, k.s, [
        { kind: 'controlled-shutdown', broker: 3 },
        { kind: 'fetch-metadata', broker: 1 },
      ]);
      return accepts(k, s, 1, [1, 2, 3, 4]);
    },
    expected: false,
  }),
];

const isOnly = (xs: readonly number[], x: number): boolean => xs.length === 1 && xs[0] === x;

export const REPLICATION_CONTROL_NOT_EXPRESSIBLE: readonly NotExpressible[] = [
  {
    kafkaTest: `${RCM}.testElectUncleanLeaders_WithoutElr (the ElectLeaders UNCLEAN request)`,
    area: 'replication-control',
    reason: 'admin-triggered unclean elections are not a model step (only preferred elections are)',
  },
  {
    kafkaTest: `${RCM}.testMaybeTriggerUncleanLeaderElectionForLeaderlessPartitions`,
    area: 'replication-control',
    reason:
      'the periodic unclean election after a topic config change: unclean.leader.election.enable is fixed for a model run, and elections happen on fencing, unfencing and registration only',
  },
  {
    kafkaTest: `${RCM}.testEligibleLeaderReplicas_DeleteTopic`,
    area: 'replication-control',
    reason: 'topic deletion is not modelled',
  },
  {
    kafkaTest: `${RCM}.testEligibleLeaderReplicas_EffectiveMinIsr`,
    area: 'replication-control',
    reason:
      'topic configs are not records in the model; min ISR is the config’s, capped by the replication factor (`effectiveMinIsr`)',
  },
  {
    kafkaTest: `${RCM}.testReassignPartitions`,
    area: 'replication-control',
    reason: 'partition reassignment is not modelled',
  },
  {
    kafkaTest: `${RCM}.testProcessExpiredBrokerHeartbeat`,
    area: 'replication-control',
    reason:
      'heartbeat timestamps and metadata offsets: heartbeats are not steps in the model (a session is alive while the broker runs and reaches the controller)',
  },
  {
    kafkaTest: `${RCM}.testHandleDirectoriesOffline`,
    area: 'replication-control',
    reason: 'log directories (JBOD, KIP-858) are not modelled',
  },
];
