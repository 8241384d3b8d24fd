import type { Model } from './Model.js';
import type { Property } from './Property.js';
import type { CheckResult } from './result.js';
import { check, type CheckOptions } from './search.js';
import { Rng } from './rng.js';

/** Which shard of a swarm this run is: `index` in `[0, count)`. */
export interface SwarmShard {
  readonly index: number;
  readonly count: number;
}

/** Options of one swarm shard: a bounded depth-first search with its own action order and hash seed. */
export interface SwarmOptions extends Omit<CheckOptions, 'strategy' | 'actionOrder' | 'hashSeed'> {
  readonly swarm: SwarmShard;
  /** Base seed shared by all shards of one swarm (default 0); shard i derives its own from it. */
  readonly seed?: number;
  /** Depth bound of every shard (default 100). */
  readonly maxDepth?: number;
}

/** The per-shard parameters a swarm derives from (seed, index). */
export interface ShardParams {
  /** Seed of the fingerprint hash (shard 0 uses the base seed itself). */
  readonly hashSeed: number;
  /** Seed of the action-order permutations (shard 0 keeps the canonical order). */
  readonly orderSeed: number;
}

/** Derives shard `index`'s hash seed and order seed from the swarm's base `seed`. */
export function shardParams(seed: number, index: number): ShardParams {
  if (index === 0) return { hashSeed: seed | 0, orderSeed: 0 };
  const r = new Rng(seed).fork(index);
  return { hashSeed: r.nextU32() | 0, orderSeed: r.nextU32() | 0 };
}

/**
 * The action order of a shard: a permutation of `[0, n)` for each (n, depth), fixed by `orderSeed`
 * (identity when `orderSeed` is 0). Permutations are cached, so a state costs no allocation.
 */
export function shardActionOrder(orderSeed: number): ((n: number, depth: number) => readonly number[]) | undefined {
  if (orderSeed === 0) return undefined;
  const cache = new Map<number, readonly number[]>();
  return (n, depth) => {
    const key = n * 0x100000 + Math.min(depth, 0xfffff);
    let p = cache.get(key);
    if (p) return p;
    const rng = new Rng((orderSeed ^ Math.imul(n, 0x9e3779b1) ^ Math.imul(depth + 1, 0x85ebca77)) | 0);
    const a = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = rng.below(i + 1);
      const t = a[i] as number;
      a[i] = a[j] as number;
      a[j] = t;
    }
    p = a;
    cache.set(key, p);
    return p;
  };
}

/**
 * Swarm verification, one shard: a depth-bounded DFS whose action order and fingerprint hash seed
 * are derived from `(seed, swarm.index)`. Many shards explore the same space in different orders, so
 * together they reach deep states a single bounded search would miss within its budget, and a state
 * lost to a fingerprint collision in one shard is explored in another. Shards run independently (a
 * CI matrix, Kubernetes Indexed Jobs, GNU parallel) and their JSON results are combined by
 * `mergeResults`. Counterexample paths stay canonical (indices into `actions(s)`), so they replay.
 * A shard that hits its depth or state bound reports `incomplete`, never `ok`.
 */
export function swarmShard<S, A>(
  model: Model<S, A>,
  properties: readonly Property<S>[],
  options: SwarmOptions,
): CheckResult {
  const { swarm, seed = 0, ...rest } = options;
  if (!Number.isInteger(swarm.count) || swarm.count < 1)
    throw new RangeError(`swarm: shard count must be a positive integer, got ${swarm.count}`);
  if (!Number.isInteger(swarm.index) || swarm.index < 0 || swarm.index >= swarm.count)
    throw new RangeError(`swarm: shard index must be in [0, ${swarm.count}), got ${swarm.index}`);
  const p = shardParams(seed, swarm.index);
  const order = shardActionOrder(p.orderSeed);
  return check(model, properties, {
    ...rest,
    maxDepth: options.maxDepth ?? 100,
    strategy: 'dfs',
    hashSeed: p.hashSeed,
    ...(order ? { actionOrder: order } : {}),
  });
}
