import fc from 'fast-check';
import { it } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { endOffsetFor, epochCache, truncationOffset, truncationOffsetV0 } from './log.js';

const log = (...epochs: number[]) => epochs.map((epoch, i) => ({ epoch, id: i + 1 }));

describe('leader epoch cache (KIP-101/279)', () => {
  it('derives (epoch, start) runs and appends a leader epoch without records', () => {
    expect(epochCache(log(0, 0, 2, 2, 3))).toEqual([
      { epoch: 0, start: 0 },
      { epoch: 2, start: 2 },
      { epoch: 3, start: 4 },
    ]);
    expect(epochCache(log(0, 0), { epoch: 4, start: 2 })).toEqual([
      { epoch: 0, start: 0 },
      { epoch: 4, start: 2 },
    ]);
  });
  it('endOffsetFor follows LeaderEpochFileCache', () => {
    const c = epochCache(log(0, 0, 2, 2, 3));
    expect(endOffsetFor(c, 5, 3)).toEqual({ epoch: 3, offset: 5 });
    expect(endOffsetFor(c, 5, 1)).toEqual({ epoch: 0, offset: 2 });
    expect(endOffsetFor(c, 5, 2)).toEqual({ epoch: 2, offset: 4 });
    expect(endOffsetFor(c, 5, 7)).toEqual({ epoch: -1, offset: -1 });
  });
  it('truncates a diverged suffix (KIP-101 scenario 2) and keeps a common prefix', () => {
    // follower wrote offset 1 in epoch 1 as a zombie; leader wrote offset 1 in epoch 2
    expect(truncationOffset(log(0, 1), 0, epochCache(log(0, 2)), 2)).toBe(1);
    // follower strictly behind: nothing to truncate
    expect(truncationOffset(log(0), 0, epochCache(log(0, 0, 1)), 3)).toBe(1);
    // KIP-279 multi-round: follower has epochs 1 and 2 the leader never saw
    expect(truncationOffset(log(0, 1, 2), 0, epochCache(log(0, 3, 3)), 3)).toBe(1);
    // leader has no entries: truncate to 0
    expect(truncationOffset(log(0, 0), 0, epochCache(log(), { epoch: 3, start: 0 }), 0)).toBe(0);
    // follower's log begins in an epoch the leader never had, after the leader's own epoch: the
    // follower's cache answers for the leader's epoch 0 with (0, start of its first epoch) =
    // (0, 0), so it truncates everything (`LeaderEpochFileCache.endOffsetFor`, floor entry missing)
    expect(truncationOffset(log(1), 0, epochCache(log(0), { epoch: 2, start: 1 }), 1)).toBe(0);
    expect(truncationOffset(log(1, 1), 0, epochCache(log(0, 0, 2)), 3)).toBe(0);
  });
  it('Kafka 0.11 to 1.1 (no KIP-279) truncate once, to the offset the leader answers', () => {
    // KIP-279's fast failover: the follower's epoch 1 is unknown to the leader, whose next epoch starts
    // at offset 1, so the follower keeps its record at offset 0; KIP-279 cuts it.
    expect(truncationOffsetV0(log(1), 0, epochCache(log(0), { epoch: 2, start: 1 }), 1)).toBe(1);
    expect(truncationOffset(log(1), 0, epochCache(log(0), { epoch: 2, start: 1 }), 1)).toBe(0);
    // the common case is the same: a diverged suffix of a known epoch
    expect(truncationOffsetV0(log(0, 1), 0, epochCache(log(0, 2)), 2)).toBe(1);
    // an epoch older than every epoch the leader has: undefined, so the follower's high watermark
    expect(truncationOffsetV0(log(0, 0), 1, epochCache(log(), { epoch: 3, start: 0 }), 0)).toBe(1);
  });
});

/**
 * Logs as leader elections make them: the leader of epoch e takes a prefix of some earlier log and
 * appends records of epoch e. So two logs agree on every offset where both hold a record of the same
 * epoch, and differ from their first differing offset on (Raft's Log Matching).
 */
const histories = fc
  .array(fc.record({ base: fc.nat(), cut: fc.nat(), appended: fc.integer({ min: 0, max: 3 }) }), {
    minLength: 1,
    maxLength: 7,
  })
  .map((steps) => {
    const logs: { epoch: number; id: number }[][] = [];
    let id = 0;
    steps.forEach((st, e) => {
      const base = logs.length ? (logs[st.base % logs.length] ?? []) : [];
      const next = base.slice(0, st.cut % (base.length + 1));
      for (let i = 0; i < st.appended; i++) next.push({ epoch: e, id: ++id });
      logs.push(next);
    });
    return logs;
  });

describe('truncation by leader epoch against the logs it reconciles (fast-check)', () => {
  it.prop([histories, fc.nat(), fc.nat()], { seed: 7, numRuns: 2000 })(
    'cuts a follower exactly where its log stops matching the new leader’s',
    (logs, f, l) => {
      const follower = logs[f % logs.length] ?? [];
      const leader = logs[l % logs.length] ?? [];
      // The leader leads a newer epoch than any record in either log (it was just elected).
      const cache = epochCache(leader, { epoch: logs.length, start: leader.length });
      let common = 0;
      while (common < Math.min(follower.length, leader.length) && follower[common]?.id === leader[common]?.id) common++;
      expect(truncationOffset(follower, 0, cache, leader.length)).toBe(common);
    },
  );
});
