import { verdict, type CheckResult, type IncompleteReason, type Property } from '../checker/index.js';
import type { ClusterState, KafkaModel } from '../model/index.js';
import { fuzz, type FuzzOptions, type FuzzReport } from '../properties/index.js';

/** Which share of a fuzz campaign a run does: shard `index` (1-based) of `count`. */
export interface FuzzShard {
  readonly index: number;
  readonly count: number;
}

/** Whether run `k` (0-based, in the campaign's order) belongs to `shard`: k mod count = index - 1. */
export function inShard(k: number, shard: FuzzShard): boolean {
  return k % shard.count === shard.index - 1;
}

/** How many of a campaign's `runs` runs belong to `shard`. */
export function shardRuns(runs: number, shard: FuzzShard): number {
  return Math.max(0, Math.ceil((runs - (shard.index - 1)) / shard.count));
}

/**
 * One shard of a fuzz campaign: of the campaign's `runs` runs (fast-check's runs 0 … runs-1 for
 * `seed`), only those with k mod count = index - 1 are executed; the others are skipped before they
 * run. fast-check draws run k from the seed's random stream jumped k + 1 times, whatever happened in
 * the runs before it, so an executed run is the very run k of the unsharded campaign: the n shards
 * together run exactly the campaign's runs, and their coverage counts add up to the campaign's. A
 * shard stops at its own first failing run and shrinks it, as the campaign does.
 *
 * `fuzz` has no run filter of its own; its per-run abort check is the hook: it reads
 * `signal.aborted` exactly once at the start of each generated run and skips the run when it is true.
 * The gate below answers "skip" for the runs of other shards, then the skipped runs' "interrupted"
 * mark is taken off the verdict (unless the real `signal` fired).
 */
export function fuzzShard(
  model: KafkaModel,
  properties: readonly Property<ClusterState>[],
  options: FuzzOptions & { readonly shard: FuzzShard },
): FuzzReport {
  const { shard, signal, ...rest } = options;
  if (!Number.isInteger(shard.count) || shard.count < 1 || !Number.isInteger(shard.index))
    throw new RangeError(`fuzz shard must be i/n with integers, got ${shard.index}/${shard.count}`);
  if (shard.index < 1 || shard.index > shard.count)
    throw new RangeError(`fuzz shard index must be in [1, ${shard.count}], got ${shard.index}`);
  let run = 0;
  let stopped = false;
  const gate: Pick<AbortSignal, 'aborted'> = {
    get aborted(): boolean {
      if (signal?.aborted) {
        stopped = true;
        return true;
      }
      return !inShard(run++, shard);
    },
  };
  const report = fuzz(model, properties, { ...rest, signal: gate as AbortSignal });
  return stopped ? report : { ...report, result: withoutSkipMark(report.result) };
}

/** The result without the "interrupted" reason that skipping other shards' runs leaves. */
function withoutSkipMark(r: CheckResult): CheckResult {
  if (r.kind === 'error' || r.kind === 'ok') return r;
  const reasons: readonly IncompleteReason[] = r.kind === 'incomplete' ? r.reasons : (r.incomplete ?? []);
  return verdict(
    r.stats,
    r.outcomes,
    reasons.filter((x) => x !== 'interrupted'),
  );
}
