import type { EpochEntry } from '../../log.js';
import { UNDEFINED, endOffsetFor, epochCache, latestEpoch } from '../../log.js';
import type { ConformanceCase, NotExpressible } from '../ConformanceCase.js';
import { conformanceCase } from '../ConformanceCase.js';
import { records } from '../fixtures.js';

/**
 * `LeaderEpochFileCacheTest` (core, `kafka.server.epoch`) and `UnifiedLogTest`'s epoch-cache
 * truncation. The model has no cache of its own: `epochCache` derives the (epoch, start offset)
 * entries from the records' epochs, plus a leader's current epoch starting at its log end, and
 * `endOffsetFor` answers OffsetsForLeaderEpoch from them. So Kafka's `assign(epoch, offset)` calls
 * become a log whose record at that offset carries that epoch (or, for an epoch assigned at the log
 * end with no records yet, a leader's epoch start). The model's logs begin at offset 0 (no log start
 * offset), so a Kafka log beginning at offset `base` is the model's log shifted down by `base`, and
 * offsets are shifted back up in the outcomes.
 */

const CLASS = 'LeaderEpochFileCacheTest';

type Answer = readonly [epoch: number, offset: number];

/** A log of these epochs starting at offset `base`, and the leader's epoch started at its end, if any. */
interface ShiftedLog {
  readonly base: number;
  readonly epochs: readonly number[];
  readonly leaderEpoch?: number;
}

const leoOf = (l: ShiftedLog): number => l.base + l.epochs.length;

/** The cache the model derives for `l`, with offsets as Kafka numbers them. */
function cacheOf(l: ShiftedLog): EpochEntry[] {
  const log = records(...l.epochs);
  const own = l.leaderEpoch === undefined ? undefined : { epoch: l.leaderEpoch, start: log.length };
  return epochCache(log, own).map((e) => ({ epoch: e.epoch, start: e.start + l.base }));
}

/** `endOffsetFor(epoch)` on `l`'s cache with its log end offset. */
function answer(l: ShiftedLog, epoch: number): Answer {
  const r = endOffsetFor(cacheOf(l), leoOf(l), epoch);
  return [r.epoch, r.offset];
}

const entries = (l: ShiftedLog): [number, number][] => cacheOf(l).map((e) => [e.epoch, e.start]);

const U: Answer = [UNDEFINED, UNDEFINED];

function endOffsetCase(
  id: string,
  method: string,
  description: string,
  l: ShiftedLog,
  queries: readonly number[],
  expected: readonly Answer[],
) {
  return conformanceCase<readonly Answer[]>({
    id: `epoch-cache-${id}`,
    kafkaTest: `${CLASS}.${method}`,
    area: 'epoch-cache',
    description,
    run: () => queries.map((q) => answer(l, q)),
    expected,
  });
}

export const LEADER_EPOCH_CACHE_CASES: readonly ConformanceCase[] = [
  endOffsetCase(
    'latest-epoch-ends-at-log-end',
    'shouldAddEpochAndMessageOffsetToCache',
    'Epoch 2 starts at offset 10, the log ends at 11: asking for epoch 2 answers (2, 11), the log end.',
    { base: 10, epochs: [2] },
    [2],
    [[2, 11]],
  ),
  endOffsetCase(
    'latest-epoch-requested',
    'shouldReturnLogEndOffsetIfLatestEpochRequested',
    'Records of epoch 2 at offsets 11 to 13 (assigned at 11, again at 12), log end 14: epoch 2 answers (2, 14).',
    { base: 11, epochs: [2, 2, 2] },
    [2],
    [[2, 14]],
  ),
  endOffsetCase(
    'undefined-epoch-requested',
    'shouldReturnUndefinedOffsetIfUndefinedEpochRequested',
    'Epochs 2 at 11 and 3 at 12: a bootstrapping follower asking for the undefined epoch gets (undefined, undefined).',
    { base: 11, epochs: [2, 3] },
    [UNDEFINED],
    [U],
  ),
  endOffsetCase(
    'no-epoch-recorded',
    'shouldReturnUnsupportedIfNoEpochRecorded',
    'An empty cache answers epoch 0 with (undefined, undefined).',
    { base: 0, epochs: [] },
    [0],
    [U],
  ),
  endOffsetCase(
    'no-epoch-recorded-undefined-requested',
    'shouldReturnUnsupportedIfNoEpochRecordedAndUndefinedEpochRequested',
    'An empty cache (log end 73) answers the undefined epoch with (undefined, undefined).',
    { base: 73, epochs: [] },
    [UNDEFINED],
    [U],
  ),
  endOffsetCase(
    'requested-before-first-epoch',
    'shouldReturnFirstEpochIfRequestedEpochLessThanFirstEpoch',
    'Epochs 5, 6, 7 start at 11, 12, 13: asking for epoch 4, older than all of them, answers (4, 11) — the requested epoch ending where the first known epoch starts.',
    { base: 11, epochs: [5, 6, 7] },
    [4],
    [[4, 11]],
  ),
  endOffsetCase(
    'rewritten-epoch-start',
    'shouldTruncateIfMatchingEpochButEarlierStartingOffset',
    'Epochs 5, 6, 7 at 11, 12, 13, then epoch 7 assigned at 12: Kafka drops epoch 6. In the model that is the log whose offset 12 now holds an epoch-7 record (epochs 5 at 11, 7 at 12); epochs 5 and 6 both answer (5, 12).',
    { base: 11, epochs: [5, 7] },
    [5, 6],
    [
      [5, 12],
      [5, 12],
    ],
  ),
  endOffsetCase(
    'previous-epoch-ends-where-next-starts',
    'shouldGetFirstOffsetOfSubsequentEpochWhenOffsetRequestedForPreviousEpoch',
    'Epoch 1 at 11–12, 2 at 13–14, 3 at 15–16, log end 17: epoch 2 answers (2, 15), the start of epoch 3.',
    { base: 11, epochs: [1, 1, 2, 2, 3, 3] },
    [2],
    [[2, 15]],
  ),
  endOffsetCase(
    'next-available-epoch',
    'shouldReturnNextAvailableEpochIfThereIsNoExactEpochForTheOneRequested',
    'Epochs 0 at 10, 2 at 13, 4 at 17: epoch 1 answers (0, 13); epochs 2 and 3 answer (2, 17).',
    { base: 10, epochs: [0, 0, 0, 2, 2, 2, 2, 4] },
    [1, 2, 3],
    [
      [0, 13],
      [2, 17],
      [2, 17],
    ],
  ),
  endOffsetCase(
    'untracked-newer-epoch',
    'shouldReturnInvalidOffsetIfEpochIsRequestedWhichIsNotCurrentlyTracked',
    'A leader of epoch 2 starting at offset 100 (no records yet): epoch 3, newer than any known, answers (undefined, undefined).',
    { base: 100, epochs: [], leaderEpoch: 2 },
    [3],
    [U],
  ),
  endOffsetCase(
    'epochs-not-starting-at-zero',
    'shouldSupportEpochsThatDoNotStartFromZero',
    'Epoch 2 starts at offset 6, log end 7: epoch 2 answers (2, 7).',
    { base: 6, epochs: [2] },
    [2],
    [[2, 7]],
  ),
  endOffsetCase(
    'end-offset-of-empty-cache',
    'shouldFetchEndOffsetOfEmptyCache',
    'An empty cache answers epoch 7 with (undefined, undefined).',
    { base: 0, epochs: [] },
    [7],
    [U],
  ),
  conformanceCase({
    id: 'epoch-cache-entries-assigned-once',
    kafkaTest: `${CLASS}.shouldNotOverwriteLogEndOffsetForALeaderEpochOnceItHasBeenAssigned`,
    area: 'epoch-cache',
    description:
      'Epoch 2 assigned at 9 and again at 10: the cache keeps the single entry (2, 9) — in the model, records of epoch 2 at offsets 9 and 10 make one entry.',
    run: () => entries({ base: 9, epochs: [2, 2] }),
    expected: [[2, 9]],
  }),
  conformanceCase({
    id: 'epoch-cache-entry-start-not-overwritten',
    kafkaTest: `${CLASS}.shouldNotOverwriteOffsetForALeaderEpochOnceItHasBeenAssigned`,
    area: 'epoch-cache',
    description: 'Epoch 2 assigned at 6, then again at 10: its start stays 6 (records of epoch 2 at offsets 6 to 10).',
    run: () => entries({ base: 6, epochs: [2, 2, 2, 2, 2] }),
    expected: [[2, 6]],
  }),
  conformanceCase({
    id: 'epoch-cache-unchanged-epoch',
    kafkaTest: `${CLASS}.shouldNotUpdateEpochAndStartOffsetIfItDidNotChange`,
    area: 'epoch-cache',
    description: 'Epoch 2 assigned at 6 and at 7: one entry (2, 6).',
    run: () => entries({ base: 6, epochs: [2, 2] }),
    expected: [[2, 6]],
  }),
  conformanceCase({
    id: 'epoch-cache-newer-epoch-same-start',
    kafkaTest: `${CLASS}.shouldEnforceMonotonicallyIncreasingStartOffsets`,
    area: 'epoch-cache',
    description:
      'Epoch 2 assigned at 9, then epoch 3 at 9 with no record between: only (3, 9) remains. In the model: a log ending at 9 whose leader started epoch 2 and then epoch 3 there; only the current leader epoch is an entry.',
    run: () => entries({ base: 9, epochs: [], leaderEpoch: 3 }),
    expected: [[3, 9]],
  }),
  conformanceCase({
    id: 'epoch-cache-newer-epoch-earlier-start',
    kafkaTest: `${CLASS}.shouldEnforceOffsetsIncreaseMonotonically`,
    area: 'epoch-cache',
    description:
      'Epoch 2 at 6, then epoch 3 assigned at 5: the later assignment wins and (3, 5) is the first entry. In the model: the log truncated to offset 5 (dropping epoch 2) and a leader of epoch 3 starting there.',
    run: () => entries({ base: 5, epochs: [], leaderEpoch: 3 })[0],
    expected: [3, 5],
  }),
  conformanceCase({
    id: 'epoch-cache-leaders-change-many-times',
    kafkaTest: `${CLASS}.shouldIncreaseAndTrackEpochsAsLeadersChangeManyTimes`,
    area: 'epoch-cache',
    description:
      'Epochs 0 and 1 both assigned at offset 0 (a leader of epoch 1 with an empty log): epoch 1 answers (1, 0) and epoch 0 (0, 0); after 5 records of epoch 1, (1, 5) and (0, 0); after epoch 2 from 5 and 5 more records, (2, 10), (1, 5), (0, 0).',
    run: () => [
      answer({ base: 0, epochs: [], leaderEpoch: 1 }, 1),
      answer({ base: 0, epochs: [], leaderEpoch: 1 }, 0),
      answer({ base: 0, epochs: [1, 1, 1, 1, 1] }, 1),
      answer({ base: 0, epochs: [1, 1, 1, 1, 1] }, 0),
      answer({ base: 0, epochs: [1, 1, 1, 1, 1, 2, 2, 2, 2, 2] }, 2),
      answer({ base: 0, epochs: [1, 1, 1, 1, 1, 2, 2, 2, 2, 2] }, 1),
      answer({ base: 0, epochs: [1, 1, 1, 1, 1, 2, 2, 2, 2, 2] }, 0),
    ],
    expected: [
      [1, 0],
      [0, 0],
      [1, 5],
      [0, 0],
      [2, 10],
      [1, 5],
      [0, 0],
    ],
  }),
  conformanceCase({
    id: 'epoch-cache-follower-receives-many-messages',
    kafkaTest: `${CLASS}.shouldIncreaseAndTrackEpochsAsFollowerReceivesManyMessages`,
    area: 'epoch-cache',
    description:
      'A follower appends three records each of epochs 0, 1 and 2: the latest epoch answers the log end at each stage (0, 3), (1, 6), (2, 9); then epoch 0 answers (0, 3) and epoch 1 (1, 6).',
    run: () => {
      const all = { base: 0, epochs: [0, 0, 0, 1, 1, 1, 2, 2, 2] };
      return [
        latestEpoch(records(0, 0, 0)),
        answer({ base: 0, epochs: [0, 0, 0] }, 0),
        latestEpoch(records(0, 0, 0, 1, 1, 1)),
        answer({ base: 0, epochs: [0, 0, 0, 1, 1, 1] }, 1),
        latestEpoch(records(...all.epochs)),
        answer(all, 2),
        answer(all, 0),
        answer(all, 1),
      ];
    },
    expected: [0, [0, 3], 1, [1, 6], 2, [2, 9], [0, 3], [1, 6]],
  }),
  conformanceCase({
    id: 'epoch-cache-truncate-end-on-boundary',
    kafkaTest: `${CLASS}.shouldDropEntriesOnEpochBoundaryWhenRemovingLatestEntries`,
    area: 'epoch-cache',
    description: 'Epochs 2 at 6, 3 at 8, 4 at 11; truncating the log end to 8, an epoch boundary, leaves [(2, 6)].',
    run: () => entries({ base: 6, epochs: [2, 2, 3, 3, 3, 4].slice(0, 8 - 6) }),
    expected: [[2, 6]],
  }),
  conformanceCase({
    id: 'epoch-cache-truncate-end-between-boundaries',
    kafkaTest: `${CLASS}.shouldDropEntriesBetweenEpochBoundaryWhenRemovingNewest`,
    area: 'epoch-cache',
    description:
      'Epochs 2 at 6, 3 at 8, 4 at 11; truncating the log end to 9 leaves [(2, 6), (3, 8)] with latest epoch 3.',
    run: () => {
      const l = { base: 6, epochs: [2, 2, 3, 3, 3, 4].slice(0, 9 - 6) };
      return { latest: latestEpoch(records(...l.epochs)), entries: entries(l) };
    },
    expected: {
      latest: 3,
      entries: [
        [2, 6],
        [3, 8],
      ],
    },
  }),
  conformanceCase({
    id: 'epoch-cache-latest-epoch-of-empty-cache',
    kafkaTest: `${CLASS}.shouldFetchLatestEpochOfEmptyCache`,
    area: 'epoch-cache',
    description: 'An empty log has no latest epoch (Kafka: empty; the model: -1).',
    run: () => latestEpoch([]),
    expected: UNDEFINED,
  }),
  conformanceCase({
    id: 'epoch-cache-truncation-to-log-end-clears-leader-epoch',
    kafkaTest: 'UnifiedLogTest.testTruncateToEndOffsetClearsEpochCache',
    area: 'epoch-cache',
    description:
      'Two records of epoch 19 at offsets 27 and 28. Becoming leader of epoch 20 (and later 24) at the log end 29 makes (20, 29) the latest entry; becoming a follower again and truncating to the log end (or past it) leaves (19, 27) as the latest entry and the log end at 29.',
    run: () => {
      const asLeader = (e: number) => cacheOf({ base: 27, epochs: [19, 19], leaderEpoch: e }).at(-1);
      const asFollower = cacheOf({ base: 27, epochs: [19, 19] }).at(-1);
      return [asLeader(20), asFollower, asLeader(24), asFollower, leoOf({ base: 27, epochs: [19, 19] })];
    },
    expected: [
      { epoch: 20, start: 29 },
      { epoch: 19, start: 27 },
      { epoch: 24, start: 29 },
      { epoch: 19, start: 27 },
      29,
    ],
  }),
];

const START =
  'the model has no log start offset (logs begin at offset 0 and are never trimmed from the front), so truncating the cache from the start has no counterpart';
const QUERY =
  'a cache query used by log cleaning and tiered storage (previous/next epoch, epoch for an offset); the model has no such query';

export const LEADER_EPOCH_CACHE_NOT_EXPRESSIBLE: readonly NotExpressible[] = [
  ...[
    'shouldPreserveResetOffsetOnClearEarliestIfOneExists',
    'shouldUpdateSavedOffsetWhenOffsetToClearToIsBetweenEpochs',
    'shouldNotClearAnythingIfOffsetToEarly',
    'shouldNotClearAnythingIfOffsetToFirstOffset',
    'shouldRetainLatestEpochOnClearAllEarliest',
    'shouldUpdateOffsetBetweenEpochBoundariesOnClearEarliest',
    'shouldUpdateOffsetBetweenEpochBoundariesOnClearEarliest2',
    'shouldRetainLatestEpochOnClearAllEarliestAndUpdateItsOffset',
    'shouldNotResetEpochHistoryHeadIfUndefinedPassed',
    'shouldClearEarliestOnEmptyCache',
    'shouldWriteCheckpointOnTruncation',
  ].map((m): NotExpressible => ({ kafkaTest: `${CLASS}.${m}`, area: 'epoch-cache', reason: START })),
  ...[
    'testPreviousEpoch',
    'testFindPreviousEpoch',
    'testFindPreviousEntry',
    'testFindNextEpoch',
    'testGetEpochEntry',
    'shouldFetchEpochForGivenOffset',
  ].map((m): NotExpressible => ({ kafkaTest: `${CLASS}.${m}`, area: 'epoch-cache', reason: QUERY })),
  {
    kafkaTest: `${CLASS}.shouldEnforceMonotonicallyIncreasingEpochs`,
    area: 'epoch-cache',
    reason:
      'assigns an older epoch after a newer one; in the model a record’s epoch is its leader’s, and leader epochs only grow along a log, so no log has that shape',
  },
  {
    kafkaTest: `${CLASS}.shouldPersistEpochsBetweenInstances`,
    area: 'epoch-cache',
    reason:
      'the leader-epoch-checkpoint file: the model derives the cache from the (durable) log, so there is nothing to persist',
  },
  {
    kafkaTest: `${CLASS}.shouldClearAllEntries`,
    area: 'epoch-cache',
    reason: 'clearAndFlush belongs to truncateFullyAndStartAt (a new log start offset), not modelled',
  },
  {
    kafkaTest: `${CLASS}.shouldNotResetEpochHistoryTailIfUndefinedPassed`,
    area: 'epoch-cache',
    reason:
      'truncation to the undefined offset (-1) is a no-op guard with no counterpart (the model never truncates to -1)',
  },
  {
    kafkaTest: `${CLASS}.shouldClearLatestOnEmptyCache`,
    area: 'epoch-cache',
    reason: 'only checks that truncating an empty cache does not throw',
  },
];
