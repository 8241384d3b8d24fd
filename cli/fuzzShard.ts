import type { Property } from '../checker/index.js';
import type { ClusterState, KafkaModel } from '../model/index.js';
import { fuzz, type FuzzOptions, type FuzzReport } from '../properties/index.js';

/** Which share of a fuzz campaign a run does: shard `index` (0-based, as `check --swarm`) of `count`. */
export interface FuzzShard {
  readonly index: number;
  readonly count: number;
}

/** Whether run `k` (0-based, in the campaign's order) belongs to `shard`: k mod count = index. */
export function inShard(k: number, shard: FuzzShard): boolean {
  return k % shard.count === shard.index;
}

/** How many of a campaign's `runs` runs belong to `shard`. */
export function shardRuns(runs: number, shard: FuzzShard): number {
  return Math.max(0, Math.ceil((runs - shard.index) / shard.count));
}

/**
 * One shard of a fuzz campaign: of the campaign's `runs` runs (fast-check's runs 0 … runs-1 for
 * `seed`), only those with k mod count = index are executed (`FuzzOptions.runFilter`). fast-check draws
 * run k from the seed's random stream jumped k + 1 times, whatever happened in the runs before it, so an
 * executed run is the very run k of the unsharded campaign: the n shards together run exactly the
 * campaign's runs, and their coverage counts add up to the campaign's. A shard stops at its own first
 * failing run and shrinks it, as the campaign does.
 */
export function fuzzShard(
  model: KafkaModel,
  properties: readonly Property<ClusterState>[],
  options: FuzzOptions & { readonly shard: FuzzShard },
): FuzzReport {
  const { shard, ...rest } = options;
  if (!Number.isInteger(shard.count) || shard.count < 1 || !Number.isInteger(shard.index))
    throw new RangeError(`fuzz shard must be i/n with integers, got ${shard.index}/${shard.count}`);
  if (shard.index < 0 || shard.index >= shard.count)
    throw new RangeError(`fuzz shard index must be in [0, ${shard.count - 1}], got ${shard.index}`);
  return fuzz(model, properties, { ...rest, runFilter: (k) => inShard(k, shard) });
}
