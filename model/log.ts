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
    const fCache = epochCache(follower.slice(0, leo));
    const mine = endOffsetFor(fCache, leo, resp.epoch);
    // follower.endOffsetFor(E') returns the largest follower epoch <= E'
    let fEpoch = UNDEFINED;
    for (const e of fCache) if (e.epoch <= resp.epoch) fEpoch = e.epoch;
    if (fEpoch === UNDEFINED) return Math.min(resp.offset, leo);
    if (fEpoch !== resp.epoch) {
      const fEnd = endOffsetFor(fCache, leo, fEpoch).offset;
      leo = Math.min(fEnd, leo);
      requested = fEpoch;
      continue;
    }
    return Math.min(mine.offset, resp.offset, leo);
  }
  return Math.min(followerHw, leo);
}
