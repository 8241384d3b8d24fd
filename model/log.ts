/**
 * Leader-epoch arithmetic over a log (`LeaderEpochFileCache`, KIP-101 / KIP-279). The epoch cache is
 * derived from the records' epochs, plus, on a leader, its current epoch starting at `epochStart`
 * (`Partition.makeLeader` → `maybeAssignEpochStartOffset`).
 */
/** Anything stamped with the leader epoch it was written in (a data record or a metadata batch). */
export interface Epoched {
  readonly epoch: number;
}

export interface EpochEntry {
  readonly epoch: number;
  readonly start: number;
}

/** (epoch, start offset) pairs in increasing order. */
export function epochCache(log: readonly Epoched[], leaderEpoch?: { epoch: number; start: number }): EpochEntry[] {
  const out: EpochEntry[] = [];
  for (let i = 0; i < log.length; i++) {
    const e = (log[i] as Epoched).epoch;
    if (out.length === 0 || (out[out.length - 1] as EpochEntry).epoch !== e) out.push({ epoch: e, start: i });
  }
  if (leaderEpoch && (out.length === 0 || (out[out.length - 1] as EpochEntry).epoch < leaderEpoch.epoch))
    out.push({ epoch: leaderEpoch.epoch, start: leaderEpoch.start });
  return out;
}

/** -1: undefined epoch / offset. */
export const UNDEFINED = -1;

/**
 * `LeaderEpochFileCache.endOffsetFor`: for a requested epoch, the largest epoch ≤ it and the offset
 * where the next epoch starts (or the log end offset if it is the latest epoch).
 */
export function endOffsetFor(
  cache: readonly EpochEntry[],
  leo: number,
  requested: number,
): { epoch: number; offset: number } {
  if (requested === UNDEFINED || cache.length === 0) return { epoch: UNDEFINED, offset: UNDEFINED };
  const latest = (cache[cache.length - 1] as EpochEntry).epoch;
  if (requested === latest) return { epoch: requested, offset: leo };
  if (requested > latest) return { epoch: UNDEFINED, offset: UNDEFINED };
  let floor = -1;
  for (let i = 0; i < cache.length; i++) if ((cache[i] as EpochEntry).epoch <= requested) floor = i;
  // first entry with epoch > requested exists because requested < latest
  const nextIdx = floor + 1;
  const nextStart = (cache[nextIdx] as EpochEntry).start;
  if (floor === -1) return { epoch: requested, offset: nextStart };
  return { epoch: (cache[floor] as EpochEntry).epoch, offset: nextStart };
}

/** The epoch of the last record, or -1 for an empty log. */
export function latestEpoch(log: readonly Epoched[]): number {
  return log.length ? (log[log.length - 1] as Epoched).epoch : UNDEFINED;
}

/**
 * Kafka 0.11 to 1.1 (KIP-101 before KIP-279): one OffsetsForLeaderEpoch round. The leader answers the
 * follower's latest epoch with an offset only — its log end if that is the leader's own latest epoch,
 * else where the first later epoch starts, or undefined when the requested epoch precedes all of its
 * epochs (0.11's `LeaderEpochFileCache.endOffsetFor`) — and the follower truncates to it, or to its
 * high watermark when it is undefined. A follower holding an epoch the leader never had keeps records
 * of it that the leader's own older epoch overwrote (the fast-failover divergence of KIP-279).
 */
export function truncationOffsetV0(
  follower: readonly Epoched[],
  followerHw: number,
  leaderCache: readonly EpochEntry[],
  leaderLeo: number,
): number {
  const leo = follower.length;
  const requested = latestEpoch(follower);
  if (requested === UNDEFINED) return 0;
  const first = leaderCache[0];
  if (!first || requested < first.epoch) return Math.min(followerHw, leo);
  const resp = endOffsetFor(leaderCache, leaderLeo, requested);
  if (resp.offset === UNDEFINED) return Math.min(followerHw, leo);
  return Math.min(resp.offset, leo);
}

/**
 * Where a follower must truncate so its log is a prefix-compatible copy of the leader's
 * (`AbstractFetcherThread.getOffsetTruncationState`, KIP-279: repeated OffsetsForLeaderEpoch rounds
 * until both sides agree on an epoch). `followerHw` is the fallback when the leader knows no epoch.
 */
export function truncationOffset(
  follower: readonly Epoched[],
  followerHw: number,
  leaderCache: readonly EpochEntry[],
  leaderLeo: number,
): number {
  let leo = follower.length;
  let requested = latestEpoch(follower);
  if (requested === UNDEFINED) return 0;
  for (let round = 0; round < 64; round++) {
    const resp = endOffsetFor(leaderCache, leaderLeo, requested);
    if (resp.offset === UNDEFINED) return Math.min(followerHw, leo);
    // The follower's own (epoch, end offset) for the epoch the leader answered with
    // (`UnifiedLog.endOffsetForEpoch`): the largest epoch ≤ it, or, when the follower's log begins in a
    // later epoch, that epoch itself ending where the log's first epoch starts.
    const mine = endOffsetFor(epochCache(follower.slice(0, leo)), leo, resp.epoch);
    if (mine.offset === UNDEFINED) return Math.min(resp.offset, leo);
    if (mine.epoch !== resp.epoch) {
      // The follower does not know the leader's epoch: cut to the end of its own earlier epoch and ask again.
      leo = Math.min(mine.offset, leo);
      requested = latestEpoch(follower.slice(0, leo));
      if (requested === UNDEFINED) return 0;
      continue;
    }
    return Math.min(mine.offset, resp.offset, leo);
  }
  return Math.min(followerHw, leo);
}
