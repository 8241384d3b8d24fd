import type { Model } from './Model.js';
import type { IncompleteReason } from './result.js';
import { EncodeSink, fingerprintInto, type Fingerprint } from './fingerprint.js';
import { FULL, NEW, NO_PARENT } from './visited.js';
export { FULL, NEW, SEEN } from './visited.js';
import { isEncodedFrontier, queueCodec, type EncodedFrontier, type Frontier, type QueueCodec } from './frontier.js';
import type { SearchCounters } from './RunControl.js';
import type { Reduction } from './Model.js';

/**
 * The exploration loop: the one place in the checker where states are taken from a frontier, their
 * actions applied, successors fingerprinted and looked up, new ones recorded (parent and action) and
 * queued, and the run stopped by a bound. Every exhaustive engine is this loop with different parts:
 * `check()` (breadth- or depth-first, in memory or spilled, swarm shards), the graph explorer behind
 * liveness (`exploreGraph`) and each worker thread of the parallel engine (`parallelWorker.ts`, which
 * runs it in chunks over one BFS level at a time):
 *
 *   frontier   Queue | Stack | DiskQueue | a worker's current level, holding states as their encodings
 *              when the model can decode
 *   store      which fingerprints were seen: a set (`setStore`), a map to state ids (`indexStore`), or the
 *              workers' shared tables
 *   trace      parent and action of every state (`TraceStore`, `SharedTraceStore`), for shortest paths
 *   visit      called once per new state, in discovery order; returning false stops the run
 *   edges      an observer of every successor (the graph builder records them; `check` has none)
 *   leaf       called for an expanded state with no successor (deadlock, liveness at a dead end)
 *   candidate  told the index of each initial state or action about to be looked up (the parallel
 *              engine derives its order keys from it)
 *
 * The samplers (`simulate`, fuzzing) walk single paths and keep no visited set.
 */

/** The visited set: `lookup` returns the state's id, `SEEN` (seen, id not kept), `NEW` (added) or `FULL`. */
export interface VisitedStore {
  readonly size: number;
  lookup(hi: number, lo: number, maxStates: number): number;
  bytesUsed(): number;
}

/** Where the loop records each new state's parent and action; `append` returns the state's id. */
export interface TraceSink {
  append(parent: number, action: number): number;
}

/** The loop's periodic stop check (`RunControl`): why the run must stop now, if it must. */
export interface Ticker {
  tick(counters: () => SearchCounters): IncompleteReason | undefined;
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
  readonly trace: TraceSink;
  readonly control: Ticker;
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
  /** Index of the initial state or action whose state is about to be looked up (within the boundary). */
  readonly candidate?: ((k: number) => void) | undefined;
  /** An expanded state in which bounds (mask bits, see `Model.actionsCut`) disabled actions. */
  readonly cut?: ((mask: number, id: number) => void) | undefined;
  /**
   * Partial-order reduction (`checker/reduction.ts`): the model's persistent sets, with the cycle
   * proviso applied here. Only for safety runs whose plan allows it (`planReduction`).
   */
  readonly reduce?: Reduction<S, A> | undefined;
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
  /** Expanded states that followed only a persistent subset of their actions (`CoreParts.reduce`). */
  readonly reducedStates: number;
  /** Expanded states whose persistent subset the cycle proviso discarded. */
  readonly provisoExpansions: number;
  /** Enabled actions not followed (`Reduction.skip`). */
  readonly skippedActions: number;
}

/** Runs the exploration loop over `parts` until the frontier is empty or a bound or `visit` stops it. */
export function explore<S, A>(model: Model<S, A>, parts: CoreParts<S, A>): CoreRun {
  const x = new Exploration(model, parts);
  x.seed();
  x.run();
  if (parts.frontier.size > 0 && !x.stopped && x.reasons.size === 0) x.reasons.add('interrupted');
  return x;
}

/**
 * The loop as an object, for engines that run it in slices: `seed` queues initial states, `run(budget)`
 * expands at most `budget` states and returns whether it may go on (not stopped by `visit`, a full store
 * or the ticker). The counters accumulate until the caller resets them.
 */
export class Exploration<S, A> implements CoreRun {
  generated = 0;
  deepest = 0;
  readonly reasons = new Set<IncompleteReason>();
  stopped = false;
  full = false;
  /** Expanded states that followed only a persistent subset of their actions (`parts.reduce`). */
  reducedStates = 0;
  /** Expanded states whose persistent subset the cycle proviso discarded. */
  provisoExpansions = 0;
  /** Enabled actions not followed (`Reduction.skip`). */
  skippedActions = 0;
  /** The ticker stopped the run (a time limit, an abort). */
  private ticked = false;
  private readonly sink = new EncodeSink();
  private readonly fp: Fingerprint = { hi: 0, lo: 0 };
  private readonly codec: QueueCodec<S>;
  private readonly canon: ((s: S) => S) | undefined;
  private readonly within: ((s: S) => boolean) | undefined;
  /** Where `actionsCut` puts its mask, when the model has it and the engine listens. */
  private readonly cutBox: { mask: number } | undefined;
  /** The frontier, when it copies encodings into its own arena (the model decodes). */
  private readonly arena: EncodedFrontier | undefined;

  constructor(
    private readonly model: Model<S, A>,
    private readonly parts: CoreParts<S, A>,
  ) {
    this.codec = queueCodec(model, this.sink);
    this.canon = parts.canonicalize ? model.canonicalize?.bind(model) : undefined;
    this.within = model.withinBoundary?.bind(model);
    this.cutBox = model.actionsCut && parts.cut ? { mask: 0 } : undefined;
    this.arena = this.codec.encoded && isEncodedFrontier(parts.frontier) ? parts.frontier : undefined;
  }

  /** Queues `s` (just looked up, so its encoding is in the sink) with its id and depth. */
  private enqueue(s: S, id: number, depth: number): void {
    if (this.arena) {
      const e = this.codec.encoding(s);
      this.arena.pushEncoded(e.buf, e.len, id, depth);
    } else this.parts.frontier.push({ s: this.codec.queued(s), id, depth });
  }

  /** True once `visit`, `leaf`, the state bound or the ticker stopped the run. */
  get halted(): boolean {
    return this.stopped || this.full || this.ticked;
  }

  /** Fingerprints `s` and looks it up in the store (`FULL` marks the run full). */
  private lookup(s: S): number {
    const { sink, fp } = this;
    sink.reset();
    this.model.encode(this.canon ? this.canon(s) : s, sink);
    fingerprintInto(sink.buf, sink.len, this.parts.hashSeed, fp);
    const r = this.parts.store.lookup(fp.hi, fp.lo, this.parts.maxStates);
    if (r === FULL) {
      this.reasons.add('max-states');
      this.full = true;
    }
    return r;
  }

  /** Looks up, records, visits and queues the initial states with the given indices (default all). */
  seed(roots?: Iterable<number>): void {
    const { trace, visit, candidate } = this.parts;
    const inits = this.model.initStates();
    for (const i of roots ?? inits.keys()) {
      if (i >= inits.length || this.halted) break;
      const s = inits[i] as S;
      this.generated++;
      if (this.within && !this.within(s)) {
        this.reasons.add('state-constraint');
        continue;
      }
      candidate?.(i);
      if (this.lookup(s) !== NEW) continue;
      const id = trace.append(NO_PARENT, i);
      if (!visit(s, id)) this.stopped = true;
      this.enqueue(s, id, 0);
    }
  }

  /** Expands up to `budget` states; false when the run stopped (the frontier may still hold states). */
  run(budget = Infinity): boolean {
    const { frontier, store, control, maxDepth } = this.parts;
    const counters = (): SearchCounters => ({
      generated: this.generated,
      distinct: store.size,
      depth: this.deepest,
      queued: frontier.size,
    });
    for (let n = 0; n < budget && !this.halted; n++) {
      const e = frontier.pop();
      if (e === undefined) break;
      if (e.depth > this.deepest) this.deepest = e.depth;
      if (e.depth >= maxDepth) {
        this.parts.edges?.beginRow(e.id);
        this.reasons.add('max-depth');
        continue;
      }
      this.expand(e);
      if (this.halted) break;
      const why = control.tick(counters);
      if (why) {
        this.reasons.add(why);
        this.ticked = true;
      }
    }
    return !this.halted;
  }

  /** Applies the actions of `e`'s state (a persistent subset when reducing), records and queues the new successors. */
  private expand(e: CoreEntry<S>): void {
    const { model, parts, codec } = this;
    parts.edges?.beginRow(e.id);
    const es = codec.unqueued(e.s);
    const cutBox = this.cutBox;
    const acts = cutBox ? (model.actionsCut as NonNullable<Model<S, A>['actionsCut']>)(es, cutBox) : model.actions(es);
    if (cutBox && cutBox.mask !== 0) (parts.cut as NonNullable<CoreParts<S, A>['cut']>)(cutBox.mask, e.id);
    if (acts.length > 0x10000)
      throw new RangeError(
        `model "${model.name}" enables ${acts.length} actions in one state; at most 65536 are supported`,
      );
    const order = parts.actionOrder?.(acts.length, e.depth);
    const ample = this.persistentSubset(es, acts);
    let successors: number;
    if (ample === undefined) successors = this.follow(e, es, acts, order, undefined);
    else {
      const inT = new Uint8Array(acts.length);
      for (const i of ample) inT[i] = 1;
      const proviso: Proviso = { seen: false, allFull: true, unsafe: false };
      successors = this.follow(e, es, acts, order, inT, proviso);
      if (!this.halted && (proviso.unsafe || (proviso.seen && !proviso.allFull))) {
        // the cycle proviso (or a subset that does not behave as declared): expand the rest too
        this.provisoExpansions++;
        inT.forEach((x, i) => (inT[i] = x ^ 1));
        successors += this.follow(e, es, acts, order, inT);
      } else this.reducedStates++;
    }
    parts.edges?.endRow(e.id, !this.halted);
    if (!this.halted && successors === 0 && parts.leaf && !parts.leaf(es, e.id)) this.stopped = true;
  }

  /** The model's persistent subset of `acts` when reducing and it is a proper one, else undefined. */
  private persistentSubset(es: S, acts: readonly A[]): readonly number[] | undefined {
    const r = this.parts.reduce;
    if (!r) return undefined;
    const t = r.persistent(es, acts);
    if (r.fullyExpands(es) && t !== undefined)
      throw new Error(
        `model "${this.model.name}": Reduction.fullyExpands is true for a state whose persistent set is [${t.join(', ')}]; it must be true only where persistent returns undefined`,
      );
    if (t === undefined || t.length === 0 || t.length >= acts.length) return undefined;
    return t;
  }

  /**
   * Follows the actions of `es` (in `order`, or the model's) that `pick` marks (all when undefined):
   * computes each successor, looks it up, records and queues it when new. With `proviso` it notes
   * whether a successor was seen before, whether all are states the model expands fully, and whether an
   * action did nothing or left the state constraint. Returns the number of successors.
   */
  private follow(
    e: CoreEntry<S>,
    es: S,
    acts: readonly A[],
    order: readonly number[] | undefined,
    pick: Uint8Array | undefined,
    proviso?: Proviso,
  ): number {
    const { model, within, parts } = this;
    const { edges, trace, visit, candidate } = parts;
    const red = parts.reduce;
    let successors = 0;
    for (let k = 0; k < acts.length; k++) {
      const ai = order ? (order[k] as number) : k;
      if (pick && pick[ai] !== 1) continue;
      const a = acts[ai] as A;
      if (red?.skip && red.skip(a)) {
        this.skippedActions++;
        if (proviso) proviso.unsafe = true;
        continue;
      }
      const n = model.next(es, a);
      if (n === undefined) {
        if (proviso) proviso.unsafe = true;
        continue;
      }
      successors++;
      this.generated++;
      edges?.successor(ai, a);
      if (within && !within(n)) {
        this.reasons.add('state-constraint');
        edges?.pruned(ai);
        if (proviso) proviso.unsafe = true;
        continue;
      }
      if (proviso && red && !red.fullyExpands(n)) proviso.allFull = false;
      candidate?.(ai);
      let to = this.lookup(n);
      if (to === FULL) break;
      if (to === NEW) {
        to = trace.append(e.id, ai);
        const go = visit(n, to);
        this.enqueue(n, to, e.depth + 1);
        if (!go) {
          this.stopped = true;
          break;
        }
      } else if (proviso) proviso.seen = true;
      edges?.edge(ai, e.id, to);
    }
    return successors;
  }
}

/**
 * What following a persistent subset showed: a successor seen before (`seen`), whether every successor
 * is a state the model expands fully (`allFull`), and an action that did nothing or left the state
 * constraint (`unsafe`: the subset is then not the one the model declared, so the state is expanded fully).
 */
interface Proviso {
  seen: boolean;
  allFull: boolean;
  unsafe: boolean;
}
