import type { ConfigInput } from '../../config.js';
import { endOffsetFor, epochCache } from '../../log.js';
import type { Draft } from 'immer';
import type { ClusterState, LeaderAndIsr, Replica } from '../../state.js';
import { ROLE_FOLLOWER, initialState } from '../../state.js';
import { maybeIncrementHw } from '../../transitions/common.js';
import { metadataSource } from '../../transitions/kraft/kraftController.js';
import {
  canProduce,
  expandCandidates,
  fetchTarget,
  makeLeader,
  shrinkCandidates,
} from '../../transitions/replication.js';
import type { ConformanceCase, NotExpressible } from '../ConformanceCase.js';
import { conformanceCase } from '../ConformanceCase.js';
import {
  contextFor,
  edit,
  ids,
  mask,
  modelConfig,
  modelFor,
  replicaIn,
  runPath,
  withPartition,
  type ReplicaSpec,
} from '../fixtures.js';

/**
 * `PartitionTest` (core, `kafka.cluster`): the leader's high watermark over the maximal ISR and min ISR
 * (`maybeIncrementHw`), which followers it may add to or drop from the ISR (`expandCandidates`,
 * `shrinkCandidates`), becoming leader or follower again in the same epoch (`makeLeader`, LeaderAndIsr
 * delivery, KRaft metadata), and the acks=all guard (`canProduce`). Kafka's `brokerId` is broker 0;
 * its followers `brokerId + 1`, `+ 2` are brokers 1 and 2. Kafka's tests seed the leader's log with 10
 * records of epoch 4 and make it leader in epoch 5; so do the cases unless they say otherwise. An ISR
 * update "in flight" (Kafka's `PendingExpandIsr` / `PendingShrinkIsr`) is the model's `pendingIsr`, and
 * the maximal ISR is `isr | pendingIsr`.
 */

const CLASS = 'PartitionTest';
const TEN = [4, 4, 4, 4, 4, 4, 4, 4, 4, 4];

const zk = (brokers: number, minIsr: number): ConfigInput => ({
  brokers,
  partitions: 1,
  replicationFactor: brokers,
  assignment: [Array.from({ length: brokers }, (_, b) => b)],
  minInsyncReplicas: minIsr,
  faults: { crashes: 0, networkPartitions: 0 },
});

/** KRaft mode with one controller voter: replicas [0, 1] on two brokers, min ISR 1, no pre-vote. */
const kraft = (faults?: ConfigInput['faults']): ConfigInput => ({
  mode: 'kraft',
  voters: 1,
  brokers: 2,
  partitions: 1,
  replicationFactor: 2,
  assignment: [[0, 1]],
  minInsyncReplicas: 1,
  preVote: false,
  ...(faults ? { faults } : {}),
});

/** A ZooKeeper-mode state with broker 0 leading partition 0 as `leader` describes, registered with ISR `isr`. */
function leading(input: ConfigInput, isr: readonly number[], leader: Omit<ReplicaSpec, 'role'>): ClusterState {
  return withPartition(
    initialState(modelConfig(input)),
    { leader: 0, leaderEpoch: leader.leaderEpoch, isr },
    {
      0: { role: 'leader', isr, ...leader },
    },
  );
}

/** Broker 0's high watermark after `maybeIncrementHw` on `s`. */
function hwAfter(input: ConfigInput, s: ClusterState): number | undefined {
  const ctx = contextFor(modelConfig(input));
  return edit(s, (d) => maybeIncrementHw(d, ctx, 0, 0)).brokers[0]?.replicas[0]?.hw;
}

/**
 * `testHighWatermarkIncreasesWithFencedOrShutdownFollower`'s leader: replicas [0, 1]; follower 1 caught up
 * to 10 (high watermark 10), then the leader wrote 10 more records in epoch 5 and the ISR shrank to [0].
 * Its high watermark after `maybeIncrementHw`.
 */
const hwAfterCaughtUpFollowerLeftIsr = (): number | undefined =>
  hwAfter(
    zk(2, 1),
    leading(zk(2, 1), [0], {
      log: [...TEN, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5],
      leaderEpoch: 5,
      epochStart: 10,
      hw: 10,
      followerLeo: { 1: 10 },
    }),
  );

/**
 * The set-up of Kafka's tests of a leader made leader again in the same epoch: two brokers, broker 0 a
 * follower of 1 in epoch 7 with an empty log, becomes leader in epoch 8 (ISR [0], partition epoch 1),
 * `meanwhile` happens, and it becomes leader in epoch 8 again with partition epoch 2. Broker 0's replica.
 */
function leaderAgainInEpoch8(meanwhile: (d: Draft<ClusterState>) => void): Replica | null | undefined {
  const input = zk(2, 1);
  const ctx = contextFor(modelConfig(input));
  const s0 = withPartition(
    initialState(modelConfig(input)),
    { leader: 0, leaderEpoch: 8, isr: [0] },
    {
      0: { role: 'follower', leader: 1, log: [], leaderEpoch: 7 },
    },
  );
  const s1 = edit(s0, (d) => {
    makeLeader(d, ctx, 0, 0, 8, mask(0), 1);
    meanwhile(d);
  });
  return edit(s1, (d) => makeLeader(d, ctx, 0, 0, 8, mask(0), 2)).brokers[0]?.replicas[0];
}

/**
 * The set-up of `testIsrExpansion` and `testIsrNotExpandedIfUpdateFails`: two brokers, leader 0 in epoch 5
 * with 10 records of epoch 4 and ISR [0] (high watermark 10), follower 1 in epoch 5 holding 3 of them.
 */
function expansionSetUp(input: ConfigInput): ClusterState {
  return withPartition(
    initialState(modelConfig(input)),
    { leader: 0, leaderEpoch: 5, isr: [0] },
    {
      0: { role: 'leader', log: TEN, leaderEpoch: 5, hw: 10, followerLeo: { 1: -1 } },
      1: { role: 'follower', leader: 0, log: [4, 4, 4], leaderEpoch: 5 },
    },
  );
}

/** Leader 0's committed and maximal ISR of partition 0, and the log end offset it has for follower 1. */
function isrs(s: ClusterState) {
  const r = s.brokers[0]?.replicas[0];
  return {
    isr: ids(r?.isr ?? 0),
    maximalIsr: ids((r?.isr ?? 0) | (r?.pendingIsr ?? 0)),
    followerLeo: r?.followerLeo[1],
  };
}

export const PARTITION_CASES: readonly ConformanceCase[] = [
  conformanceCase({
    id: 'partition-hw-frozen-under-min-isr',
    kafkaTest: `${CLASS}.testHighWatermarkAdvanceShouldNotAdvanceWhenUnderMinISR`,
    area: 'partition',
    description:
      'min.insync.replicas 3, replicas [0, 1, 2], ISR [0, 1], leader log end 10, high watermark 0. Follower 1 reaches 10: the high watermark stays 0 (ISR below min ISR, KAFKA-15583). Follower 2 reaches 10 and an expansion to [0, 1, 2] is in flight: still 0, although the maximal ISR has 3 members. Once the expansion commits, the high watermark moves to 10.',
    run: () => {
      const input = zk(3, 3);
      const base = { log: TEN, leaderEpoch: 5, hw: 0 } as const;
      const one = leading(input, [0, 1], { ...base, followerLeo: { 1: 10, 2: -1 } });
      const twoCaughtUp = leading(input, [0, 1], { ...base, followerLeo: { 1: 10, 2: 10 } });
      const pending = leading(input, [0, 1], { ...base, followerLeo: { 1: 10, 2: 10 }, pendingIsr: [0, 1, 2] });
      const committed = leading(input, [0, 1, 2], { ...base, followerLeo: { 1: 10, 2: 10 } });
      return {
        afterFollower1: hwAfter(input, one),
        expansionProposed: expandCandidates(twoCaughtUp, contextFor(modelConfig(input)), 0, 0),
        whileExpansionPending: hwAfter(input, pending),
        afterExpansion: hwAfter(input, committed),
      };
    },
    expected: { afterFollower1: 0, expansionProposed: [2], whileExpansionPending: 0, afterExpansion: 10 },
  }),
  conformanceCase({
    id: 'partition-isr-expansion',
    kafkaTest: `${CLASS}.testIsrExpansion`,
    area: 'partition',
    description:
      'Replicas [0, 1], ISR [0], leader log end 10 in epoch 5 (epoch start 10), follower 1 holding 3 records. Its fetch at offset 3 leaves the ISR [0] with nothing in flight; its fetch at 10 sends an AlterPartition for [0, 1] (`PendingExpandIsr`): the ISR is still [0] and the maximal ISR [0, 1]. Once the controller answers, the ISR is [0, 1].',
    run: () => {
      const input = zk(2, 1);
      const model = modelFor(input);
      const s = expansionSetUp(input);
      const at3 = runPath(model, s, [{ kind: 'fetch', follower: 1 }]);
      const at10 = runPath(model, at3, [{ kind: 'fetch', follower: 1 }]);
      const completed = runPath(model, at10, [{ kind: 'expand-isr', leader: 0, follower: 1 }]);
      return { at3: isrs(at3), at10: isrs(at10), completed: isrs(completed) };
    },
    expected: {
      at3: { isr: [0], maximalIsr: [0], followerLeo: 3 },
      at10: { isr: [0], maximalIsr: [0, 1], followerLeo: 10 },
      completed: { isr: [0, 1], maximalIsr: [0, 1], followerLeo: 10 },
    },
  }),
  conformanceCase({
    id: 'partition-isr-join-needs-current-epoch',
    kafkaTest: `${CLASS}.testFollowerDoesNotJoinISRUntilCaughtUpToOffsetWithinCurrentLeaderEpoch`,
    area: 'partition',
    description:
      'Replicas [0, 1, 2], ISR [0, 2]. Leader 0 wrote 5 records in epoch 8, follower 2 fetched to 1 (high watermark 1), then 0 became follower and leader again in epoch 10 at log end 5 and wrote 2 more records. Follower 1 fetching at 0 or at 1 (caught up to the high watermark, but not to the epoch start 5) is not added (KAFKA-7128); fetching at 5 proposes ISR [0, 1, 2].',
    run: () => {
      const input = zk(3, 1);
      const at = (leo: number) =>
        expandCandidates(
          leading(input, [0, 2], {
            log: [8, 8, 8, 8, 8, 10, 10],
            leaderEpoch: 10,
            epochStart: 5,
            hw: 1,
            followerLeo: { 1: leo, 2: 1 },
          }),
          contextFor(modelConfig(input)),
          0,
          0,
        );
      return { at0: at(0), at1: at(1), at5: at(5) };
    },
    expected: { at0: [], at1: [], at5: [1] },
  }),
  conformanceCase({
    id: 'partition-hw-fenced-or-shutdown-follower',
    kafkaTest: `${CLASS}.testHighWatermarkIncreasesWithFencedOrShutdownFollower`,
    area: 'partition',
    description:
      'Replicas [0, 1], ISR [0, 1]; follower 1 caught up to 10 (high watermark 10), then the leader wrote 10 more records in epoch 5 and the controller shrank the ISR to [0] because 1 is fenced or shutting down. The high watermark moves to the log end 20: an ineligible replica outside the ISR does not hold it back.',
    run: hwAfterCaughtUpFollowerLeftIsr,
    expected: 20,
  }),
  conformanceCase({
    id: 'partition-hw-waits-for-caught-up-follower',
    kafkaTest: `${CLASS}.testHighWatermarkIncreasesWithFencedOrShutdownFollower`,
    area: 'partition',
    description:
      'The same scenario with follower 1 still unfenced: it was caught up within replica.lag.time.max.ms and is eligible to rejoin, so Kafka’s leader keeps waiting for it and the high watermark stays 10.',
    run: hwAfterCaughtUpFollowerLeftIsr,
    expected: 10,
    disagrees: {
      model: 20,
      why: '`maybeIncrementHw` takes the minimum over the maximal ISR only. Kafka’s `Partition.maybeIncrementLeaderHW` also waits for a replica outside the ISR that is caught up (within replica.lag.time.max.ms of the log end) and ISR-eligible (`shouldWaitForReplicaToJoinIsr`, KIP-841), so a follower just dropped from the ISR holds the high watermark back until it rejoins or lags. The model has no lag clock and never waits for it: its high watermark (and acks=all completion) can run ahead of Kafka’s right after an ISR shrink.',
    },
  }),
  conformanceCase({
    id: 'partition-maybe-shrink-isr',
    kafkaTest: `${CLASS}.testMaybeShrinkIsr`,
    area: 'partition',
    description:
      'Replicas and ISR [0, 1, 2], leader log end 10 in epoch 5, high watermark 0; follower 1 fetched to 10, follower 2 never fetched. Once the lag time has passed the leader proposes ISR [0, 1] (dropping 2); while that is in flight the high watermark stays 0; once it commits the high watermark is 10.',
    run: () => {
      const input = zk(3, 1);
      const base = { log: TEN, leaderEpoch: 5, hw: 0, followerLeo: { 1: 10, 2: -1 } } as const;
      return {
        shrinkable: shrinkCandidates(leading(input, [0, 1, 2], base), contextFor(modelConfig(input)), 0, 0),
        whileShrinkPending: hwAfter(input, leading(input, [0, 1, 2], { ...base, pendingIsr: [0, 1] })),
        afterShrink: hwAfter(input, leading(input, [0, 1], base)),
      };
    },
    expected: { shrinkable: [2], whileShrinkPending: 0, afterShrink: 10 },
  }),
  conformanceCase({
    id: 'partition-retry-shrink-isr',
    kafkaTest: `${CLASS}.testRetryShrinkIsr`,
    area: 'partition',
    description:
      'Replicas and ISR [0, 1], leader log end 10, high watermark 0, follower 1 never fetched: the leader proposes ISR [0]; while the shrink is in flight (and retried after a failure) the high watermark stays 0; once it commits it is the log end 10.',
    run: () => {
      const input = zk(2, 1);
      const base = { log: TEN, leaderEpoch: 5, hw: 0, followerLeo: { 1: -1 } } as const;
      return {
        shrinkable: shrinkCandidates(leading(input, [0, 1], base), contextFor(modelConfig(input)), 0, 0),
        whileShrinkPending: hwAfter(input, leading(input, [0, 1], { ...base, pendingIsr: [0] })),
        afterShrink: hwAfter(input, leading(input, [0], base)),
      };
    },
    expected: { shrinkable: [1], whileShrinkPending: 0, afterShrink: 10 },
  }),
  conformanceCase({
    id: 'partition-no-shrink-when-caught-up-to-log-end',
    kafkaTest: `${CLASS}.testShouldNotShrinkIsrIfFollowerCaughtUpToLogEnd`,
    area: 'partition',
    description:
      'Replicas and ISR [0, 1]; follower 1 fetched to the log end 10 and nothing was written since: however long it waits, it is not dropped from the ISR.',
    run: () =>
      shrinkCandidates(
        leading(zk(2, 1), [0, 1], { log: TEN, leaderEpoch: 5, hw: 10, followerLeo: { 1: 10 } }),
        contextFor(modelConfig(zk(2, 1))),
        0,
        0,
      ),
    expected: [],
  }),
  conformanceCase({
    id: 'partition-isr-not-shrunk-if-update-fails',
    kafkaTest: `${CLASS}.testIsrNotShrunkIfUpdateFails`,
    area: 'partition',
    description:
      'Replicas and ISR [0, 1], follower 1 lagging; the shrink is rejected with INVALID_UPDATE_VERSION (the leader’s partition epoch is stale: here the controller’s state is one version ahead). The ISR stays [0, 1] and the high watermark 0.',
    run: () => {
      const input = zk(2, 1);
      const s = edit(leading(input, [0, 1], { log: TEN, leaderEpoch: 5, hw: 0, followerLeo: { 1: -1 } }), (d) => {
        const ps = d.zk.partitions[0];
        if (ps) ps.version = 1;
      });
      return {
        shrinkAccepted: shrinkCandidates(s, contextFor(modelConfig(input)), 0, 0),
        isr: ids(s.brokers[0]?.replicas[0]?.isr ?? 0),
        hw: s.brokers[0]?.replicas[0]?.hw,
      };
    },
    expected: { shrinkAccepted: [], isr: [0, 1], hw: 0 },
  }),
  conformanceCase({
    id: 'partition-isr-not-expanded-if-update-fails',
    kafkaTest: `${CLASS}.testIsrNotExpandedIfUpdateFails`,
    area: 'partition',
    description:
      'Replicas [0, 1], ISR [0], follower 1 catching up to 10 by a fetch; the controller’s partition epoch is one ahead of the leader’s, so the AlterPartition for [0, 1] fails with INVALID_UPDATE_VERSION. The ISR stays [0], the maximal ISR stays [0, 1] (the leader stays in `PendingExpandIsr` until new metadata arrives), and the request is not retried.',
    run: () => {
      const input = zk(2, 1);
      const model = modelFor(input);
      const stale = edit(expansionSetUp(input), (d) => {
        const ps = d.zk.partitions[0];
        if (ps) ps.version = 1;
      });
      const fetched = runPath(model, runPath(model, stale, [{ kind: 'fetch', follower: 1 }]), [
        { kind: 'fetch', follower: 1 },
      ]);
      return { ...isrs(fetched), retried: model.actions(fetched).some((a) => a.kind === 'expand-isr') };
    },
    expected: { isr: [0], maximalIsr: [0, 1], followerLeo: 10, retried: false },
  }),
  conformanceCase({
    id: 'partition-isr-expansion-ineligible-zk',
    kafkaTest: `${CLASS}.testIsrNotExpandedIfReplicaIsFencedOrShutdown (zk)`,
    area: 'partition',
    description:
      'ZooKeeper mode, replicas [0, 1], ISR [0], follower 1 holding the leader’s 10 records. Its fetch triggers an expansion (maximal ISR [0, 1]); before the answer the controller stops counting broker 1 live, rejects the proposal with INELIGIBLE_REPLICA, and the leader reverts to ISR and maximal ISR [0], nothing in flight. While broker 1 is not live (for the leader’s metadata cache, which the model reads as the controller’s view) its next fetch proposes nothing. Once it is live again, the next fetch triggers the expansion and the controller commits ISR [0, 1].',
    run: () => {
      const input = zk(2, 1);
      const model = modelFor(input);
      const liveness = (s: ClusterState, alive: boolean) =>
        edit(s, (d) => {
          const cc = d.brokers[d.zk.controller]?.controller;
          if (cc) cc.live = alive ? cc.live | mask(1) : cc.live & ~mask(1);
        });
      const caughtUp = edit(expansionSetUp(input), (d) => {
        replicaIn(d, 1).log = replicaIn(d, 0).log.map((e) => ({ ...e }));
      });
      const triggered = runPath(model, caughtUp, [{ kind: 'fetch', follower: 1 }]);
      const rejected = runPath(model, liveness(triggered, false), [{ kind: 'expand-isr', leader: 0, follower: 1 }]);
      const whileDead = model.actions(rejected).some((a) => a.kind === 'fetch');
      const again = runPath(model, liveness(rejected, true), [{ kind: 'fetch', follower: 1 }]);
      const committed = runPath(model, again, [{ kind: 'expand-isr', leader: 0, follower: 1 }]);
      return {
        triggered: isrs(triggered).maximalIsr,
        rejected: isrs(rejected),
        fetchProposesWhileNotLive: whileDead,
        again: isrs(again).maximalIsr,
        committed: isrs(committed),
      };
    },
    expected: {
      triggered: [0, 1],
      rejected: { isr: [0], maximalIsr: [0], followerLeo: 10 },
      fetchProposesWhileNotLive: false,
      again: [0, 1],
      committed: { isr: [0, 1], maximalIsr: [0, 1], followerLeo: 10 },
    },
  }),
  conformanceCase({
    id: 'partition-isr-not-expanded-if-fenced',
    kafkaTest: `${CLASS}.testIsrNotExpandedIfReplicaIsFencedOrShutdown`,
    area: 'partition',
    description:
      'KRaft, replicas [0, 1], leader 0: while broker 1 is fenced (model path: its session expires, the controller fences it and drops it from the ISR, the leader applies the metadata) a caught-up follower 1 is not added back; once it is unfenced the leader proposes ISR [0, 1], and after the change commits and the leader applies it, the ISR is [0, 1].',
    run: () => {
      const model = modelFor(kraft({ crashes: 0, networkPartitions: 0, sessionExpiries: 1 }));
      const ctx = contextFor(model.config);
      const fenced = runPath(model, initialState(model.config), [
        { kind: 'fence-broker', broker: 1 },
        { kind: 'fetch-metadata', broker: 0 },
      ]);
      const unfenced = runPath(model, fenced, [{ kind: 'unfence-broker', broker: 1 }]);
      const expanded = runPath(model, unfenced, [
        { kind: 'expand-isr', leader: 0, follower: 1 },
        { kind: 'fetch-metadata', broker: 0 },
      ]);
      return {
        isrWhileFenced: ids(fenced.brokers[0]?.replicas[0]?.isr ?? 0),
        whileFenced: expandCandidates(fenced, ctx, 0, 0),
        afterUnfence: expandCandidates(unfenced, ctx, 0, 0),
        isrAfterExpansion: ids(expanded.brokers[0]?.replicas[0]?.isr ?? 0),
      };
    },
    expected: { isrWhileFenced: [0], whileFenced: [], afterUnfence: [1], isrAfterExpansion: [0, 1] },
  }),
  conformanceCase({
    id: 'partition-under-min-isr',
    kafkaTest: `${CLASS}.testIsUnderMinIsr`,
    area: 'partition',
    description:
      'min.insync.replicas 2, replicas [0, 1]: with ISR [0, 1] the partition is not under min ISR; after the leader is told ISR [0] in epoch 1 it is. In the model “under min ISR” is the acks=all produce guard (NOT_ENOUGH_REPLICAS).',
    run: () => {
      const input: ConfigInput = { ...zk(2, 2), acks: 'all' };
      const ctx = contextFor(modelConfig(input));
      const full = leading(input, [0, 1], { log: [], leaderEpoch: 0 });
      const shrunk = leading(input, [0], { log: [], leaderEpoch: 1 });
      return { isr01: !canProduce(full, ctx, 0, 0), isr0: !canProduce(shrunk, ctx, 0, 0) };
    },
    expected: { isr01: false, isr0: true },
  }),
  conformanceCase({
    id: 'partition-make-leader-updates-epoch-cache',
    kafkaTest: `${CLASS}.testMakeLeaderUpdatesEpochCache`,
    area: 'partition',
    description:
      'A log of two records in epoch 0 and two in epoch 5 (log end 4) becomes leader in epoch 8: OffsetsForLeaderEpoch for epoch 8 answers (8, 4).',
    run: () => {
      const input = zk(2, 1);
      const ctx = contextFor(modelConfig(input));
      const s0 = withPartition(
        initialState(modelConfig(input)),
        { leader: 1, leaderEpoch: 7, isr: [0, 1] },
        {
          0: { role: 'follower', leader: 1, log: [0, 0, 5, 5], leaderEpoch: 7 },
        },
      );
      const r = edit(s0, (d) => makeLeader(d, ctx, 0, 0, 8, mask(0, 1), 0)).brokers[0]?.replicas[0];
      if (!r) return null;
      const a = endOffsetFor(epochCache(r.log, { epoch: r.leaderEpoch, start: r.epochStart }), r.log.length, 8);
      return [a.epoch, a.offset];
    },
    expected: [8, 4],
  }),
  conformanceCase({
    id: 'partition-same-epoch-keeps-follower-state',
    kafkaTest: `${CLASS}.testDoNotResetReplicaStateIfLeaderEpochIsNotBumped`,
    area: 'partition',
    description:
      'Broker 0 becomes leader in epoch 8 with ISR [0]; follower 1 fetches at 0; becoming leader again in epoch 8 with a newer partition epoch (2) keeps follower 1’s fetch state (log end 0, not unknown) and takes the new partition epoch.',
    run: () => {
      const r = leaderAgainInEpoch8((d) => {
        replicaIn(d, 0).followerLeo[1] = 0; // follower 1's fetch at offset 0
      });
      return { followerLeo: r?.followerLeo[1], leaderEpoch: r?.leaderEpoch, partitionEpoch: r?.zkVersion };
    },
    expected: { followerLeo: 0, leaderEpoch: 8, partitionEpoch: 2 },
  }),
  conformanceCase({
    id: 'partition-same-epoch-keeps-epoch-start',
    kafkaTest: `${CLASS}.testDoNotUpdateEpochStartOffsetIfLeaderEpochIsNotBumped`,
    area: 'partition',
    description:
      'Broker 0 becomes leader in epoch 8 at log end 0 (epoch start 0, latest cache entry (8, 0)), writes two records, and becomes leader again in epoch 8 with partition epoch 2: the epoch start stays 0 and the latest entry (8, 0).',
    run: () => {
      const r = leaderAgainInEpoch8((d) => {
        replicaIn(d, 0).log.push({ epoch: 8, id: 1 }, { epoch: 8, id: 2 });
      });
      const latest = r ? epochCache(r.log, { epoch: r.leaderEpoch, start: r.epochStart }).at(-1) : undefined;
      return { epochStart: r?.epochStart, latest };
    },
    expected: { epochStart: 0, latest: { epoch: 8, start: 0 } },
  }),
  conformanceCase({
    id: 'partition-older-partition-epoch-ignored',
    kafkaTest: `${CLASS}.testIgnoreLeaderPartitionStateChangeWithOlderPartitionEpoch`,
    area: 'partition',
    description:
      'KRaft: a leader in epoch 0 that has applied partition epoch 1 is shown the partition in the same leader epoch at partition epoch 0 by the committed metadata: it ignores that state (no metadata fetch changes its view).',
    run: () => {
      const cfg = modelConfig(kraft());
      const s = edit(initialState(cfg), (d) => {
        replicaIn(d, 0).zkVersion = 1;
      });
      return metadataSource(s, contextFor(cfg), 0) >= 0 ? 'applied' : 'ignored';
    },
    expected: 'ignored',
  }),
  conformanceCase({
    id: 'partition-make-follower-same-epoch-skipped',
    kafkaTest: `${CLASS}.testMakeFollowerWithNoLeaderIdChange`,
    area: 'partition',
    description:
      'ZooKeeper mode: broker 0 follows leader 1 in epoch 1. A LeaderAndIsr with the same leader in epoch 4 is applied (the become-follower steps run: it must reconcile its log again); a second one with the same leader and the same epoch 4 is skipped.',
    run: () => {
      // KIP-279's truncation phase: its pending flag shows that the become-follower steps ran.
      const input: ConfigInput = { ...zk(3, 1), truncation: 'leader-epoch' };
      const base = withPartition(
        initialState(modelConfig(input)),
        { leader: 1, leaderEpoch: 4, isr: [0, 1, 2] },
        {
          0: { role: 'follower', leader: 1, log: [], leaderEpoch: 1 },
          1: { role: 'leader', log: [], leaderEpoch: 4 },
        },
      );
      const msg = (controllerEpoch: number): LeaderAndIsr => ({
        from: 2,
        to: 0,
        controllerEpoch,
        partition: 0,
        leader: 1,
        leaderEpoch: 4,
        isr: mask(0, 1, 2),
        version: 0,
        brokerEpoch: 0,
        leaderLive: true,
      });
      const s = edit(base, (d) => {
        d.inFlight.push(msg(1));
      });
      const model = modelFor(input);
      const applied = runPath(model, s, [{ kind: 'deliver', message: { to: 0 } }]);
      const r1 = applied.brokers[0]?.replicas[0];
      const again = edit(applied, (d) => {
        replicaIn(d, 0).mustTruncate = false;
        d.inFlight.push(msg(1));
      });
      const r2 = runPath(model, again, [{ kind: 'deliver', message: { to: 0 } }]).brokers[0]?.replicas[0];
      return {
        first: {
          follower: r1?.role === ROLE_FOLLOWER,
          leaderEpoch: r1?.leaderEpoch,
          becomeFollowerSteps: r1?.mustTruncate,
        },
        second: { becomeFollowerSteps: r2?.mustTruncate },
      };
    },
    expected: {
      first: { follower: true, leaderEpoch: 4, becomeFollowerSteps: true },
      second: { becomeFollowerSteps: false },
    },
  }),
  conformanceCase({
    id: 'partition-fetch-from-non-leader',
    kafkaTest: `${CLASS}.testReplicaFetchToFollower`,
    area: 'partition',
    description:
      'Replicas [0, 1, 2], leader 2 in epoch 8; broker 0 is a follower. A fetch sent to broker 0 by follower 1 is refused whatever leader epoch it carries (the same, one newer, one older): NOT_LEADER_OR_FOLLOWER, UNKNOWN_LEADER_EPOCH, FENCED_LEADER_EPOCH. In the model, follower 1 believing 0 leads cannot fetch from it.',
    run: () => {
      const input = zk(3, 1);
      const ctx = contextFor(modelConfig(input));
      return [8, 9, 7].map((epoch) => {
        const s = withPartition(
          initialState(modelConfig(input)),
          { leader: 2, leaderEpoch: 8, isr: [0, 1, 2] },
          {
            0: { role: 'follower', leader: 2, log: [8], leaderEpoch: 8 },
            1: { role: 'follower', leader: 0, log: [], leaderEpoch: epoch },
            2: { role: 'leader', log: [8], leaderEpoch: 8 },
          },
        );
        return fetchTarget(s, ctx, 1, 0) === 0;
      });
    },
    expected: [false, false, false],
  }),
  conformanceCase({
    id: 'partition-follower-learns-hw-one-fetch-later',
    kafkaTest: 'ReplicaManagerTest.testFollowerFetchWithDefaultSelectorNoForcedHwPropagation',
    area: 'partition',
    description:
      'Replicas and ISR [0, 1], leader 0; an acks=all producer writes two records (high watermark 0). Follower 1, already holding both, fetches at offset 2: the leader answers with the high watermark it had (0), then records the fetch offset, which moves its high watermark to 2 and acknowledges the produce. The follower’s next fetch brings high watermark 2. (Model path: `fetch`, then another `fetch` if one is enabled.)',
    run: () => {
      const input: ConfigInput = { ...zk(2, 1), acks: 'all' };
      const model = modelFor(input);
      const s0 = edit(
        withPartition(
          initialState(model.config),
          { leader: 0, leaderEpoch: 1, isr: [0, 1] },
          {
            0: { role: 'leader', log: [1, 1], leaderEpoch: 1, epochStart: 0, hw: 0, followerLeo: { 1: 0 } },
            1: { role: 'follower', leader: 0, log: [1, 1], leaderEpoch: 1, hw: 0 },
          },
        ),
        (d) => {
          d.produced[0] = 2;
          d.pending.push(
            { partition: 0, broker: 0, offset: 0, id: 1, leaderEpoch: 1 },
            { partition: 0, broker: 0, offset: 1, id: 2, leaderEpoch: 1 },
          );
        },
      );
      const s1 = runPath(model, s0, [{ kind: 'fetch', follower: 1 }]);
      const again = model.actions(s1).some((a) => a.kind === 'fetch' && a.follower === 1);
      const s2 = again ? runPath(model, s1, [{ kind: 'fetch', follower: 1 }]) : s1;
      return {
        firstResponseHw: s1.brokers[1]?.replicas[0]?.hw,
        leaderHw: s1.brokers[0]?.replicas[0]?.hw,
        acked: s1.ghost.acked.map((a) => a.id),
        secondResponseHw: s2.brokers[1]?.replicas[0]?.hw,
      };
    },
    expected: { firstResponseHw: 0, leaderHw: 2, acked: [1, 2], secondResponseHw: 2 },
  }),
  conformanceCase({
    id: 'partition-restart-hw-from-checkpoint',
    kafkaTest: `${CLASS}.testUseCheckpointToInitializeHighWatermark`,
    area: 'partition',
    description:
      'Kafka seeds 6 records, has replication-offset-checkpoint say 4, and asserts the high watermark is 4 after makeLeader. Scaled to the model’s two records: leader b0 takes r1, b1 fetches it twice (b0’s high watermark reaches 1), b0 writes its high-watermark checkpoint (1), takes r2 (log end 2), crashes and restarts: its high watermark is the checkpointed 1, below its log end.',
    run: () => {
      const model = modelFor({
        brokers: 2,
        replicationFactor: 2,
        assignment: [[0, 1]],
        minInsyncReplicas: 1,
        bounds: { records: 2 },
        faults: { crashes: 1, networkPartitions: 0 },
      });
      const s = runPath(model, initialState(model.config), [
        { kind: 'produce', broker: 0 },
        { kind: 'fetch', follower: 1 },
        { kind: 'fetch', follower: 1 },
        { kind: 'checkpoint-hw', broker: 0 },
        { kind: 'produce', broker: 0 },
        { kind: 'crash', broker: 0 },
        { kind: 'restart', broker: 0 },
      ]);
      const r = s.brokers[0]?.replicas[0];
      return { hw: r?.hw, logEnd: r?.log.length };
    },
    expected: { hw: 1, logEnd: 2 },
  }),
];

const LAG =
  'depends on replica.lag.time.max.ms: the model has no clock, so a leader may drop any follower behind its log end at any moment (an over-approximation; Kafka’s “not yet” has no counterpart)';

export const PARTITION_NOT_EXPRESSIBLE: readonly NotExpressible[] = [
  { kafkaTest: `${CLASS}.testShouldNotShrinkIsrIfPreviousFetchIsCaughtUp`, area: 'partition', reason: LAG },
  {
    kafkaTest: `${CLASS}.testMaybeShrinkIsr (first half: a replica that has not fetched since the leader started is not dropped before the lag time)`,
    area: 'partition',
    reason: LAG,
  },
  {
    kafkaTest: `${CLASS}.testAlterIsrLeaderAndIsrRace`,
    area: 'partition',
    reason:
      'a shrink that is re-attempted while the previous AlterPartition’s response is outstanding: the model has at most one ISR change per leader and resolves it atomically (ZooKeeper mode) or by metadata (KRaft)',
  },
  {
    kafkaTest: `${CLASS}.testInvalidAlterPartitionRequestsAreNotRetried`,
    area: 'partition',
    reason:
      'error-code-specific retry policy of AlterPartitionManager (INVALID_REQUEST is not retried) is not modelled',
  },
  {
    kafkaTest: `${CLASS}.testFenceFollowerFetchWithStaleBrokerEpoch`,
    area: 'partition',
    reason:
      'a fetch carrying an older broker epoch than the leader has seen: the model’s fetch is a step of the live incarnation (KIP-903 epochs are checked at AlterPartition)',
  },

  {
    kafkaTest: `${CLASS}.testAtMinIsr`,
    area: 'partition',
    reason:
      'the AtMinIsr metric only; the model has no metrics (under-min-ISR behaviour is covered by testIsUnderMinIsr)',
  },
  {
    kafkaTest: `${CLASS}.testIgnoreFollowerPartitionStateChangeWithOlderPartitionEpoch`,
    area: 'partition',
    reason:
      'a follower skips a state with the same partition epoch; in the model a follower’s view is only leader and leader epoch (KRaft `changesView`), so an identical state is never a step at all',
  },
];
