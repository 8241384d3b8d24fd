import type { ReductionStats } from './reduction.js';
import type { Property } from './Property.js';
import type { BoundCut, PropertyOutcome, Stats } from './result.js';
import { undecidedOutcome } from './result.js';
import { collisionProbability } from './fingerprint.js';
import type { BitstateStats } from './bitstate.js';

/** Id, title and kind of a property: what a result reports about it. */
export interface PropertyHeader {
  readonly id: string;
  readonly title: string;
  readonly kind: PropertyOutcome['kind'];
}

/** The implicit property `deadlock: true` adds: every reachable state has a successor (TLC's default). */
export const DEADLOCK_FREE: PropertyHeader & { readonly kind: 'always' } = {
  id: 'deadlock-free',
  title: 'Every reachable state has a successor',
  kind: 'always',
};

/** A property that held or failed in a state: `violated` for `always`/`eventually`, `found` for `sometimes`. */
export type FindingStatus = 'violated' | 'found';

/**
 * Receives each finding: the property, what happened, the id of the state and the state; `atEnd` is true
 * when the state was an expanded state without successors (deadlock, liveness), false when it was just
 * discovered (safety, reachability).
 */
export type NoteFinding<S> = (p: CheckedProperty<S>, status: FindingStatus, id: number, s: S, atEnd: boolean) => void;

/** A property as a finding names it: its header and, for the properties that have one, `explain`. */
export type CheckedProperty<S> = PropertyHeader & { readonly explain?: ((s: S) => string | undefined) | undefined };

/**
 * How every exhaustive engine checks properties (once, here): an `always` property on each discovered
 * state, a `sometimes` guard likewise, and at a dead end (an expanded state without successors) deadlock
 * and `eventually` properties. Properties `decided` says are settled are skipped. Which finding wins is
 * the engine's business (`check` keeps the first; the parallel engine the one with the smallest order key).
 */
export class PropertyChecks<S> {
  private readonly safety: readonly Property<S>[];
  private readonly guards: readonly Property<S>[];
  private readonly liveness: readonly Property<S>[];

  constructor(
    properties: readonly Property<S>[],
    private readonly deadlock: boolean,
    private readonly note: NoteFinding<S>,
    private readonly decided: (id: string) => boolean,
  ) {
    this.safety = properties.filter((p) => p.kind === 'always');
    this.guards = properties.filter((p) => p.kind === 'sometimes');
    this.liveness = properties.filter((p) => p.kind === 'eventually');
  }

  /** A state just discovered, with id `id`. */
  discovered(s: S, id: number): void {
    for (const p of this.safety) if (!this.decided(p.id) && !p.holds(s)) this.note(p, 'violated', id, s, false);
    for (const p of this.guards) if (!this.decided(p.id) && p.holds(s)) this.note(p, 'found', id, s, false);
  }

  /** An expanded state without successors: a deadlock (when asked for) and the end of every path through it. */
  deadEnd(s: S, id: number): void {
    if (this.deadlock && !this.decided(DEADLOCK_FREE.id)) this.note(DEADLOCK_FREE, 'violated', id, s, true);
    for (const p of this.liveness) if (!this.decided(p.id) && !p.holds(s)) this.note(p, 'violated', id, s, true);
  }
}

/**
 * The outcomes of a finished search, in the order a result lists them: `deadlock-free` first when it
 * was found, then every property, with what was found for it or `undecidedOutcome`.
 */
export function outcomesOf(
  properties: readonly PropertyHeader[],
  found: (id: string) => PropertyOutcome | undefined,
  complete: boolean,
  deadlock: boolean,
): PropertyOutcome[] {
  const out: PropertyOutcome[] = [];
  const dl = deadlock ? found(DEADLOCK_FREE.id) : undefined;
  if (dl) out.push(dl);
  for (const p of properties) out.push(found(p.id) ?? undecidedOutcome(p, complete));
  return out;
}

/** The stats of an exhaustive search from its counters; `bytes` is what its store and trace hold. */
export function searchStats(c: {
  readonly generated: number;
  readonly distinct: number;
  readonly deepest: number;
  readonly queued: number;
  readonly durationMs: number;
  readonly bytes: number;
  readonly cuts?: readonly BoundCut[] | undefined;
  readonly bitstate?: BitstateStats | undefined;
  readonly reduction?: ReductionStats | undefined;
}): Stats {
  const { generated, distinct, durationMs } = c;
  return {
    generated,
    distinct,
    maxDepth: c.deepest,
    queued: c.queued,
    durationMs,
    statesPerSecond: Math.round((distinct * 1000) / Math.max(1, durationMs)),
    collisionProbability: collisionProbability(distinct, generated),
    bytesPerState: distinct ? c.bytes / distinct : 0,
    ...(c.cuts ? { cuts: c.cuts } : {}),
    ...(c.bitstate ? { bitstate: c.bitstate } : {}),
    ...(c.reduction ? { reduction: c.reduction } : {}),
  };
}

/**
 * Counts, per bound, the expanded states a bound cut (see `Model.actionsCut`), keeping the first state's
 * id of each (breadth-first: on a shortest path) or, for the parallel engine, the one with the smallest
 * order key.
 */
export class CutTally {
  readonly counts: number[] = [];
  readonly ids: number[] = [];
  readonly keys: number[] = [];

  /** A state with id `id` (order key `key`, for engines that have one) was cut by the bounds in `mask`. */
  note(mask: number, id: number, key = 0): void {
    for (let b = 0; mask !== 0; b++, mask >>>= 1) if (mask & 1) this.add(b, 1, id, key);
  }

  /** `n` more states cut by bound `b`, one of them `id` with order key `key`. */
  private add(b: number, n: number, id: number, key: number): void {
    while (this.counts.length <= b) {
      this.counts.push(0);
      this.ids.push(0);
      this.keys.push(0);
    }
    const had = this.counts[b] as number;
    this.counts[b] = had + n;
    if (had === 0 || key < (this.keys[b] as number)) {
      this.ids[b] = id;
      this.keys[b] = key;
    }
  }

  /** Adds another tally's counts (the parallel engine's workers and phases); the smallest key wins. */
  merge(o: {
    readonly counts: readonly number[];
    readonly ids: readonly number[];
    readonly keys: readonly number[];
  }): void {
    o.counts.forEach((n, b) => {
      if (n) this.add(b, n, o.ids[b] as number, o.keys[b] as number);
    });
  }

  /** Forgets everything. */
  clear(): void {
    this.counts.length = 0;
    this.ids.length = 0;
    this.keys.length = 0;
  }

  /** The cuts as `Stats.cuts` names them, in bit order; undefined when nothing was cut. */
  report(names: readonly string[] | undefined, pathTo: (id: number) => readonly number[]): BoundCut[] | undefined {
    const out: BoundCut[] = [];
    this.counts.forEach((states, b) => {
      if (states) out.push({ bound: names?.[b] ?? `bound ${b}`, states, path: pathTo(this.ids[b] as number) });
    });
    return out.length ? out : undefined;
  }
}
