import { epochCache, latestEpoch, truncationOffset } from '../../log.js';
import type { LeaderAndIsr } from '../../state.js';
import { initialState } from '../../state.js';
import { fetchTarget, truncateLog } from '../../transitions/replication.js';
import type { ConfigInput } from '../../config.js';
import type { ConformanceCase, NotExpressible } from '../ConformanceCase.js';
import { conformanceCase } from '../ConformanceCase.js';
import {
  contextFor,
  edit,
  mask,
  modelConfig,
  modelFor,
  records,
  replicaIn,
  runPath,
  withPartition,
} from '../fixtures.js';

/**
 * `AbstractFetcherThreadTest` (core): a follower's truncation by OffsetsForLeaderEpoch or by the
 * diverging epoch of a fetch response (KIP-101/279/595), fetch fencing by leader epoch (KIP-320), and
 * truncation to the high watermark before KIP-101. Truncation points come from the model's
 * `truncationOffset` over the leader's epoch cache; fencing from `fetchTarget`, the model's answer to
 * "may this follower fetch from that leader now"; whole fetches and become-follower truncation from
 * short ZooKeeper-mode paths. Kafka's mock fetcher fetches one batch at a time; the model fetches the
 * leader's whole log, so only end states are compared.
 */

const CLASS = 'AbstractFetcherThreadTest';

/** Two brokers, partition 0 on both; broker 0 leads unless a case says otherwise. */
const TWO: ConfigInput = {
  brokers: 2,
  partitions: 1,
  replicationFactor: 2,
  assignment: [[0, 1]],
  minInsyncReplicas: 1,
  faults: { crashes: 0, networkPartitions: 0 },
};

/**
 * A follower log reconciled with a leader's by the model: the truncation offset the follower computes
 * (KIP-279 rounds), then the leader's records past it appended as later fetches would.
 */
function reconcile(follower: readonly number[], followerHw: number, leader: readonly number[], leaderEpoch: number) {
  const lr = records(...leader);
  const cache = epochCache(lr, { epoch: leaderEpoch, start: lr.length });
  const to = truncationOffset(records(...follower), followerHw, cache, lr.length);
  const log = [...follower.slice(0, to), ...leader.slice(to)];
  return { truncatedTo: to, lastEpochAfterTruncation: latestEpoch(records(...follower.slice(0, to))), log };
}

/** Whether follower 1 may fetch from leader 0 now (the model lists a fetch only if it changes something). */
function mayFetch(
  leader: { log: number[]; epoch: number },
  follower: { log: number[]; epoch: number; mustTruncate?: boolean },
) {
  const cfg = modelConfig(TWO);
  const s = withPartition(
    initialState(cfg),
    { leader: 0, leaderEpoch: leader.epoch, isr: [0, 1] },
    {
      0: { role: 'leader', log: leader.log, hw: leader.log.length, leaderEpoch: leader.epoch },
      1: {
        role: 'follower',
        leader: 0,
        log: follower.log,
        leaderEpoch: follower.epoch,
        ...(follower.mustTruncate ? { mustTruncate: true } : {}),
      },
    },
  );
  return { s, may: fetchTarget(s, contextFor(cfg), 1, 0) === 0 };
}

export const FETCHER_TRUNCATION_CASES: readonly ConformanceCase[] = [
  conformanceCase({
    id: 'fetcher-truncation-multi-round',
    kafkaTest: `${CLASS}.testTruncation`,
    area: 'truncation',
    description:
      'Follower log with epochs [0, 2, 4], leader log [1, 3, 5] in epoch 5: the follower reconciles with the leader and ends with the leader’s log (log end 3). In the model the KIP-279 rounds agree on no epoch and cut to 0.',
    run: () => {
      const r = reconcile([0, 2, 4], 0, [1, 3, 5], 5);
      return { log: r.log, logEnd: r.log.length };
    },
    expected: { log: [1, 3, 5], logEnd: 3 },
  }),
  conformanceCase({
    id: 'fetcher-diverging-epochs',
    kafkaTest: `${CLASS}.testDivergingEpochs`,
    area: 'truncation',
    description:
      'Follower [0, 2, 4] (last fetched epoch 4), leader [0, 2, 5] in epoch 5: the follower truncates its epoch-4 record, so its last fetched epoch becomes 2, then catches up to the leader’s log, last fetched epoch 5.',
    run: () => {
      const r = reconcile([0, 2, 4], 0, [0, 2, 5], 5);
      return { afterTruncation: r.lastEpochAfterTruncation, log: r.log, final: latestEpoch(records(...r.log)) };
    },
    expected: { afterTruncation: 2, log: [0, 2, 5], final: 5 },
  }),
  conformanceCase({
    id: 'fetcher-truncate-on-fetch',
    kafkaTest: `${CLASS}.testTruncateOnFetchDoesNotProcessPartitionData`,
    area: 'truncation',
    description:
      'Follower [0, 0, 2, 4, 4, 4] with high watermark 1, leader [0, 0, 2, 5, 5] in epoch 5 with high watermark 4: the first fetch only truncates, to log end 3 with the high watermark still 1; after catching up the log end is 5 and the last fetched epoch 5. (The truncation point is the model’s `truncationOffset`, the high watermark after it the model’s `truncateLog`.)',
    run: () => {
      const r = reconcile([0, 0, 2, 4, 4, 4], 1, [0, 0, 2, 5, 5], 5);
      const cfg = modelConfig(TWO);
      const s = withPartition(
        initialState(cfg),
        { leader: 0, leaderEpoch: 5, isr: [0, 1] },
        { 1: { role: 'follower', leader: 0, log: [0, 0, 2, 4, 4, 4], hw: 1, leaderEpoch: 5 } },
      );
      const cut = edit(s, (d) => truncateLog(replicaIn(d, 1), r.truncatedTo)).brokers[1]?.replicas[0];
      return {
        logEndAfterTruncation: cut?.log.length,
        hwAfterTruncation: cut?.hw,
        logEnd: r.log.length,
        lastFetchedEpoch: latestEpoch(records(...r.log)),
      };
    },
    expected: { logEndAfterTruncation: 3, hwAfterTruncation: 1, logEnd: 5, lastFetchedEpoch: 5 },
  }),
  conformanceCase({
    id: 'fetcher-fenced-fetch',
    kafkaTest: `${CLASS}.testFencedFetch`,
    area: 'truncation',
    description:
      'A follower in leader epoch 0 caught up to the leader’s two records fetches again after the leader moved to epoch 1: the fetch is fenced (Kafka removes the partition from the fetcher and marks it failed). To make sure it is the epoch check that stops it, the leader also holds a record of epoch 1 the follower would otherwise fetch.',
    run: () => ({
      sameEpoch: mayFetch({ log: [0, 0, 0], epoch: 0 }, { log: [0, 0], epoch: 0 }).may,
      leaderBumped: mayFetch({ log: [0, 0, 1], epoch: 1 }, { log: [0, 0], epoch: 0 }).may,
    }),
    expected: { sameEpoch: true, leaderBumped: false },
  }),
  conformanceCase({
    id: 'fetcher-fenced-truncation',
    kafkaTest: `${CLASS}.testFencedTruncation`,
    area: 'truncation',
    description:
      'A follower in leader epoch 0 with an empty log that must truncate first, the leader in epoch 1 with two records: no progress (log end 0).',
    run: () => mayFetch({ log: [1, 1], epoch: 1 }, { log: [], epoch: 0, mustTruncate: true }).may,
    expected: false,
  }),
  conformanceCase({
    id: 'fetcher-unknown-leader-epoch-in-truncation',
    kafkaTest: `${CLASS}.testUnknownLeaderEpochInTruncation`,
    area: 'truncation',
    description:
      'The follower (epoch 1, must truncate, empty log) is ahead of the leader (epoch 0, one record): it makes no progress; once the leader is in epoch 1 it truncates and fetches, log end 1.',
    run: () => {
      const before = mayFetch({ log: [0], epoch: 0 }, { log: [], epoch: 1, mustTruncate: true }).may;
      const after = mayFetch({ log: [0], epoch: 1 }, { log: [], epoch: 1, mustTruncate: true });
      const s = after.may ? runPath(modelFor(TWO), after.s, [{ kind: 'fetch', follower: 1 }]) : after.s;
      return { before, after: after.may, logEnd: s.brokers[1]?.replicas[0]?.log.length };
    },
    expected: { before: false, after: true, logEnd: 1 },
  }),
  conformanceCase({
    id: 'fetcher-unknown-leader-epoch-while-fetching',
    kafkaTest: `${CLASS}.testUnknownLeaderEpochWhileFetching`,
    area: 'truncation',
    description:
      'A follower in epoch 1 has fetched one of the leader’s two records; the leader’s epoch “rewinds” to 0: the follower is stuck at log end 1; back in epoch 1 it fetches on to log end 2.',
    run: () => {
      const stuck = mayFetch({ log: [0, 0], epoch: 0 }, { log: [0], epoch: 1 }).may;
      const back = mayFetch({ log: [0, 0], epoch: 1 }, { log: [0], epoch: 1 });
      const s = back.may ? runPath(modelFor(TWO), back.s, [{ kind: 'fetch', follower: 1 }]) : back.s;
      return { stuck: !stuck, resumes: back.may, logEnd: s.brokers[1]?.replicas[0]?.log.length };
    },
    expected: { stuck: true, resumes: true, logEnd: 2 },
  }),
  conformanceCase({
    id: 'fetcher-out-of-range-high',
    kafkaTest: `${CLASS}.testFollowerFetchOutOfRangeHigh`,
    area: 'truncation',
    description:
      'A follower caught up to [0, 2, 4] in epoch 4; the leader’s log is then emptied (log end 0, high watermark 0) without the follower going through truncation. The next fetch is out of range and the follower truncates to the leader’s log end: log end 0, high watermark 0 (model path: one `fetch`).',
    run: () => {
      const cfg = modelConfig(TWO);
      const s = withPartition(
        initialState(cfg),
        { leader: 0, leaderEpoch: 4, isr: [0, 1] },
        {
          0: { role: 'leader', log: [], hw: 0, leaderEpoch: 4, epochStart: 0, followerLeo: { 1: 3 } },
          1: { role: 'follower', leader: 0, log: [0, 2, 4], hw: 0, leaderEpoch: 4 },
        },
      );
      const r = runPath(modelFor(TWO), s, [{ kind: 'fetch', follower: 1 }]).brokers[1]?.replicas[0];
      return { logEnd: r?.log.length, hw: r?.hw };
    },
    expected: { logEnd: 0, hw: 0 },
  }),
  conformanceCase({
    id: 'fetcher-truncate-to-hw-without-epochs',
    kafkaTest: `${CLASS}.testTruncateToHighWatermarkIfLeaderEpochRequestNotSupported`,
    area: 'truncation',
    description:
      'Before KIP-101 (no OffsetsForLeaderEpoch): a replica with log [0, 2, 4] and high watermark 2 becomes a follower and truncates to its high watermark, log end 2. Model path in ZooKeeper mode with `--truncation hw`: broker 1, leader in epoch 4, receives the LeaderAndIsr making broker 0 leader in epoch 5.',
    run: () => {
      const input: ConfigInput = { ...TWO, truncation: 'high-watermark' };
      const base = withPartition(
        initialState(modelConfig(input)),
        { leader: 0, leaderEpoch: 5, isr: [0, 1] },
        {
          0: { role: 'follower', leader: 1, log: [0, 2], hw: 2, leaderEpoch: 4 },
          1: { role: 'leader', log: [0, 2, 4], hw: 2, leaderEpoch: 4 },
        },
      );
      const toFollower: LeaderAndIsr = {
        from: 0,
        to: 1,
        controllerEpoch: 1,
        partition: 0,
        leader: 0,
        leaderEpoch: 5,
        isr: mask(0, 1),
        version: 0,
        brokerEpoch: 0,
        leaderLive: true,
      };
      const s = edit(base, (d) => void d.inFlight.push(toFollower));
      const r = runPath(modelFor(input), s, [{ kind: 'deliver', message: { to: 1 } }]).brokers[1]?.replicas[0];
      return { role: r?.role === 2 ? 'follower' : 'other', logEnd: r?.log.length };
    },
    expected: { role: 'follower', logEnd: 2 },
  }),
  conformanceCase({
    id: 'fetcher-truncating-fetch-keeps-hw',
    kafkaTest: 'ReplicaFetcherThreadTest.testTruncateOnFetchDoesNotUpdateHighWatermark',
    area: 'truncation',
    description:
      'A follower with log end 150 (epoch 4 up to offset 148, epoch 5 at 149) and high watermark 130 fetches from a leader that never had epoch 5 (its epoch 4 ends at 140, then epoch 6; high watermark 160). The response carries the diverging epoch (4, 140): the follower truncates to 140 and does not take the leader’s high watermark from that response (log end 140, high watermark 130). Model path: with the fetch-time divergence check (`diverging-epoch`, Kafka 2.7+, the default) the follower takes one `fetch`, answered with the diverging epoch only.',
    run: () => {
      const epochs = (e: number, n: number): number[] => Array<number>(n).fill(e);
      const s = withPartition(
        initialState(modelConfig(TWO)),
        { leader: 0, leaderEpoch: 6, isr: [0, 1] },
        {
          0: {
            role: 'leader',
            log: [...epochs(4, 140), ...epochs(6, 20)],
            hw: 160,
            leaderEpoch: 6,
            epochStart: 140,
            followerLeo: { 1: -1 },
          },
          1: { role: 'follower', leader: 0, log: [...epochs(4, 149), 5], hw: 130, leaderEpoch: 6 },
        },
      );
      const r = runPath(modelFor(TWO), s, [{ kind: 'fetch', follower: 1 }]).brokers[1]?.replicas[0];
      return { logEnd: r?.log.length, hw: r?.hw };
    },
    expected: { logEnd: 140, hw: 130 },
  }),
];

const FETCHER_BOOKKEEPING =
  'the fetcher thread’s own bookkeeping (partitions added and removed while a request is in flight, failed partitions) is not modelled: a fetch, with its truncation, is one atomic step';

export const FETCHER_TRUNCATION_NOT_EXPRESSIBLE: readonly NotExpressible[] = [
  {
    kafkaTest: `${CLASS}.testTruncateToHighWatermarkIfLeaderEpochInfoNotAvailable`,
    area: 'truncation',
    reason: 'a log without leader epochs (message format before v2): every record in the model carries its epoch',
  },
  {
    kafkaTest: `${CLASS}.testFollowerFetchOutOfRangeLow`,
    area: 'truncation',
    reason: 'needs a leader log start offset above the follower’s fetch offset; the model has no log start offset',
  },
  {
    kafkaTest: `${CLASS}.testFencedOffsetResetAfterOutOfRange`,
    area: 'truncation',
    reason: 'out-of-range below the log start offset and ListOffsets to the leader: no log start offset in the model',
  },
  {
    kafkaTest: `${CLASS}.testRetryAfterUnknownLeaderEpochInLatestOffsetFetch`,
    area: 'truncation',
    reason:
      'the ListOffsets request of out-of-range handling is not modelled (a too-long log is cut to the leader’s end in the fetch step)',
  },
  {
    kafkaTest: `${CLASS}.testTruncationSkippedIfNoEpochChange`,
    area: 'truncation',
    reason: `${FETCHER_BOOKKEEPING}; whether a follower truncates again is decided where it becomes follower (leader-epoch fencing of LeaderAndIsr, KRaft's metadata delta)`,
  },
  {
    kafkaTest: `${CLASS}.testLeaderEpochChangeDuringFencedFetchEpochsFromLeader`,
    area: 'truncation',
    reason: FETCHER_BOOKKEEPING,
  },
  {
    kafkaTest: `${CLASS}.testLeaderEpochChangeDuringSuccessfulFetchEpochsFromLeader`,
    area: 'truncation',
    reason: FETCHER_BOOKKEEPING,
  },
  {
    kafkaTest: `${CLASS}.testTruncationOnFetchSkippedIfPartitionRemoved`,
    area: 'truncation',
    reason: FETCHER_BOOKKEEPING,
  },
  {
    kafkaTest: `${CLASS}.testTruncateToHighWatermarkDuringRemovePartitions`,
    area: 'truncation',
    reason: FETCHER_BOOKKEEPING,
  },
  {
    kafkaTest: `${CLASS}.testTruncateToEpochEndOffsetsDuringRemovePartitions`,
    area: 'truncation',
    reason: FETCHER_BOOKKEEPING,
  },
];
