import type { Model } from './Model.js';
import type { IncompleteReason } from './result.js';
import { EncodeSink, fingerprintInto, type Fingerprint } from './fingerprint.js';
import { FULL, NEW, NO_PARENT, type TraceStore } from './visited.js';
export { FULL, NEW, SEEN } from './visited.js';
import { queueCodec, type Frontier } from './frontier.js';
import type { RunControl } from './RunControl.js';

/**
 * The exploration loop: the one place in the checker where states are taken from a frontier, their
 * actions applied, successors fingerprinted and looked up, new ones recorded (parent and action) and
 * queued, and the run stopped by a bound. `check()` (breadth- or depth-first, in memory or spilled, swarm
 * shards) and the graph explorer behind liveness (`exploreGraph`) are this loop with different parts:
 *
 *   frontier  Queue | Stack | DiskQueue, holding states as their encodings when the model can decode
 *   store     which fingerprints were seen: a set (`setStore`) or a map to state ids (`indexStore`)
 *   trace     parent and action of every state (`TraceStore`), for shortest paths
 *   visit     called once per new state, in discovery order; returning false stops the run
 *   edges     an observer of every successor (the graph builder records them; `check` has none)
 *   leaf      called for an expanded state with no successor (deadlock, liveness at a dead end)
 *
 * The parallel engine (`parallelWorker.ts`) runs its own level-synchronous loop over a shared table;
 * the samplers (`simulate`, fuzzing) walk single paths and keep no visited set.
 */

/** The visited set: `lookup` returns the state's id, `SEEN` (seen, id not kept), `NEW` (added) or `FULL`. */
export interface VisitedStore {
  readonly size: number;
  lookup(hi: number, lo: number, maxStates: number): number;
  bytesUsed(): number;
}

/** Observer of every successor computed while expanding a state (in the model's action order). */
export interface EdgeObserver<A> {
  /** A state is about to be expanded (or cut by the depth bound): its row of edges starts. */
  beginRow(id: number): void;
  /** Action `k` of the state leads somewhere (`next` was not `undefined`); called before the lookup. */
  successor(k: number, a: A): void;
  /** ...outside the state constraint (`withinBoundary`): enabled, never followed. */
  pruned(k: number): void;
  /** ...to the state with id `to` (possibly the state itself, a self-loop). */
  edge(k: number, from: number, to: number): void;
  /** The state's row is finished: `complete` unless the run stopped while expanding it. */
  endRow(id: number, complete: boolean): void;
}

export interface CoreParts<S, A> {
  readonly frontier: Frontier<CoreEntry<S>>;
  readonly store: VisitedStore;
  readonly trace: TraceStore;
  readonly control: RunControl;
  /** Fingerprint the canonical representative (symmetry reduction); never for liveness graphs. */
  readonly canonicalize: boolean;
  readonly hashSeed: number;
  readonly maxDepth: number;
  readonly maxStates: number;
  readonly actionOrder?: ((n: number, depth: number) => readonly number[]) | undefined;
  readonly visit: (s: S, id: number) => boolean;
  readonly edges?: EdgeObserver<A> | undefined;
  /** A fully expanded state without successors; returning false stops the run (like `visit`). */
  readonly leaf?: ((s: S, id: number) => boolean) | undefined;
}

export interface CoreEntry<S> {
  /** The state, or its encoding when the model has `decode` (see `Model.decode`). */
  readonly s: S | Int32Array;
  readonly id: number;
  readonly depth: number;
}

/** What the loop did. */
export interface CoreRun {
  readonly generated: number;
  readonly deepest: number;
  readonly reasons: Set<IncompleteReason>;
  /** `visit` asked to stop. */
  readonly stopped: boolean;
  /** The state bound was reached by a new state. */
  readonly full: boolean;
}

/** Runs the exploration loop over `parts` until the frontier is empty or a bound or `visit` stops it. */
export function explore<S, A>(model: Model<S, A>, parts: CoreParts<S, A>): CoreRun {
  const { frontier, store, trace, control, visit, edges, leaf, maxDepth, maxStates, actionOrder } = parts;
  const sink = new EncodeSink();
  const fp: Fingerprint = { hi: 0, lo: 0 };
  const seed = parts.hashSeed;
  const canonicalize = parts.canonicalize ? model.canonicalize?.bind(model) : undefined;
  const within = model.withinBoundary?.bind(model);
  const { queued, unqueued } = queueCodec(model, sink);
  const reasons = new Set<IncompleteReason>();
  let generated = 0;
  let deepest = 0;
  let stopped = false;
  let full = false;

  const lookup = (s: S): number => {
    sink.reset();
    model.encode(canonicalize ? canonicalize(s) : s, sink);
    fingerprintInto(sink.buf, sink.len, seed, fp);
    const r = store.lookup(fp.hi, fp.lo, maxStates);
    if (r === FULL) {
      reasons.add('max-states');
      full = true;
    }
    return r;
  };

  const inits = model.initStates();
  for (let i = 0; i < inits.length && !stopped && !full; i++) {
    const s = inits[i] as S;
    generated++;
    if (within && !within(s)) {
      reasons.add('state-constraint');
      continue;
    }
    if (lookup(s) !== NEW) continue;
    const id = trace.append(NO_PARENT, i);
    if (!visit(s, id)) stopped = true;
    frontier.push({ s: queued(s), id, depth: 0 });
  }

  while (!stopped && !full) {
    const e = frontier.pop();
    if (e === undefined) break;
    edges?.beginRow(e.id);
    if (e.depth > deepest) deepest = e.depth;
    if (e.depth >= maxDepth) {
      reasons.add('max-depth');
      continue;
    }
    const es = unqueued(e.s);
    const acts = model.actions(es);
    if (acts.length > 0x10000)
      throw new RangeError(
        `model "${model.name}" enables ${acts.length} actions in one state; at most 65536 are supported`,
      );
    const order = actionOrder?.(acts.length, e.depth);
    let successors = 0;
    for (let k = 0; k < acts.length; k++) {
      const ai = order ? (order[k] as number) : k;
      const a = acts[ai] as A;
      const n = model.next(es, a);
      if (n === undefined) continue;
      successors++;
      generated++;
      edges?.successor(ai, a);
      if (within && !within(n)) {
        reasons.add('state-constraint');
        edges?.pruned(ai);
        continue;
      }
      let to = lookup(n);
      if (to === FULL) break;
      if (to === NEW) {
        to = trace.append(e.id, ai);
        const go = visit(n, to);
        frontier.push({ s: queued(n), id: to, depth: e.depth + 1 });
        if (!go) {
          stopped = true;
          break;
        }
      }
      edges?.edge(ai, e.id, to);
    }
    edges?.endRow(e.id, !full && !stopped);
    if (full || stopped) break;
    if (successors === 0 && leaf && !leaf(es, e.id)) {
      stopped = true;
      break;
    }
    const why = control.tick(() => ({ generated, distinct: store.size, depth: deepest, queued: frontier.size }));
    if (why) {
      reasons.add(why);
      break;
    }
  }
  if (frontier.size > 0 && !stopped && reasons.size === 0) reasons.add('interrupted');
  return { generated, deepest, reasons, stopped, full };
}
