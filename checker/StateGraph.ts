import { CutTally } from './findings.js';
import type { SearchBounds } from './options.js';
import { RunControl } from './RunControl.js';
import type { Model } from './Model.js';
import type { BoundCut, IncompleteReason } from './result.js';
import { FULL, NEW, NO_PARENT, TraceStore } from './visited.js';
import { memoryFrontier } from './frontier.js';
import { explore as runCore, type CoreEntry, type EdgeObserver } from './core.js';

/** Edge target of a successor that lies outside the state constraint (`withinBoundary`): enabled, never followed. */
export const PRUNED = 0xffffffff;
/** Family id of an action when the model has no `actionFamily` (such an action is never fair). */
export const NO_FAMILY = 0xffff;
/** State flag: every successor of the state is recorded (it was not cut by a depth, state or time bound). */
export const EXPANDED = 1;
/** State flag: some action leads from the state back to itself (a stuttering step; it is not stored as an edge). */
export const SELF_LOOP = 2;

/**
 * The explored state graph, in typed arrays only (no state objects are kept).
 *
 * State ids are dense, `0 … size-1`, in BFS discovery order, so a smaller id is never deeper; the initial
 * states come first (`initIndex[id]` is the state's index in `initStates()`). Edges are in CSR form: the
 * edges of state `v` are `rowStart[v] … rowStart[v+1]-1`, in the model's canonical action order, and edge
 * `e` goes to `target[e]` (or `PRUNED`) by action index `action[e]` of family `family[e]` (an index into
 * `families`, or `NO_FAMILY`). Actions that are no-ops (`next` returns `undefined`) are not edges;
 * self-loops are not edges either (they are stuttering steps) but set the state's `SELF_LOOP` flag.
 * A state without the `EXPANDED` flag was cut by a bound: its edges are unknown (its row is empty).
 */
export interface StateGraph {
  readonly size: number;
  readonly edgeCount: number;
  /** Length `size + 1`. */
  readonly rowStart: Uint32Array;
  readonly target: Uint32Array;
  readonly action: Uint16Array;
  readonly family: Uint16Array;
  /** Per state: `EXPANDED` | `SELF_LOOP`. */
  readonly flags: Uint8Array;
  /** `initIndex[id]` for the initial states, which are the ids `0 … initIndex.length-1`. */
  readonly initIndex: readonly number[];
  /** Family names by id. */
  readonly families: readonly string[];
  /** BFS tree: parent and action of every state, for shortest paths from the initial states. */
  readonly tree: TraceStore;
  /** Bytes held by the graph, the tree and the fingerprint index. */
  readonly bytesUsed: number;
}

/** Bounds and callbacks of `exploreGraph` (the shared bounds; properties are the visitor's business). */
export type ExploreOptions = Omit<SearchBounds, 'stopOnViolation' | 'deadlock'>;

/** What `exploreGraph` built and why it may be partial. */
export interface Exploration {
  readonly graph: StateGraph;
  /** Successor states computed, including duplicates, self-loops and pruned ones. */
  readonly generated: number;
  /** Deepest BFS level expanded or cut. */
  readonly maxDepth: number;
  /** States discovered but never expanded because the run stopped. */
  readonly queued: number;
  /** Bounds hit; empty when the graph is the whole reachable graph (unless `stopped`). */
  readonly reasons: readonly IncompleteReason[];
  /** The visitor asked to stop. */
  readonly stopped: boolean;
  readonly durationMs: number;
  /** The model bounds that cut the exploration (see `Stats.cuts`). */
  readonly cuts?: readonly BoundCut[] | undefined;
}

/**
 * Breadth-first exploration of `model` that keeps the whole reachable graph (see `StateGraph`).
 *
 * `visit(s, id)` is called exactly once per distinct state, in id order, as soon as the state is
 * discovered; returning `false` stops the exploration (`stopped`). States are identified by the
 * fingerprint of their encoding (`hashSeed`); `canonicalize` (symmetry) is deliberately NOT applied,
 * because a cycle must close on the very same state for its path to replay. A state whose expansion
 * is interrupted by `maxStates` keeps no edges and is not `EXPANDED`.
 */
export function exploreGraph<S, A>(
  model: Model<S, A>,
  options: ExploreOptions,
  visit: (s: S, id: number) => boolean,
): Exploration {
  const control = new RunControl(options);
  const index = new StateIndex(options.expectedStates);
  const tree = new TraceStore();
  const frontier = memoryFrontier<CoreEntry<S>>(model as Model<unknown, unknown>, 'bfs');
  const builder = new GraphBuilder<A>(model.name, model.actionFamily?.bind(model));
  const initIndex: number[] = [];
  const cuts = new CutTally();
  const run = runCore(model, {
    frontier,
    store: index,
    trace: tree,
    control,
    canonicalize: false, // a cycle must close on the very same state for its path to replay
    hashSeed: options.hashSeed ?? 0,
    maxDepth: options.maxDepth ?? Infinity,
    maxStates: options.maxStates ?? Infinity,
    edges: builder,
    cut: (mask, id) => cuts.note(mask, id),
    visit: (s, id) => {
      builder.flags.push(0);
      if (tree.parentOf(id) === NO_PARENT) initIndex.push(tree.actionOf(id));
      return visit(s, id);
    },
  });
  const graph = builder.finish(index.size, initIndex, tree, index.bytesUsed() + tree.bytesUsed());
  return {
    graph,
    generated: run.generated,
    maxDepth: run.deepest,
    queued: frontier.size,
    reasons: [...run.reasons],
    stopped: run.stopped,
    durationMs: control.elapsed(),
    cuts: cuts.report(model.boundNames, (id) => tree.pathTo(id)),
  };
}

/**
 * The edge observer that builds a `StateGraph` in CSR form while the core explores breadth-first
 * (states are expanded in id order, so rows are appended in id order).
 */
class GraphBuilder<A> implements EdgeObserver<A> {
  private readonly rows = new Grow32(1024);
  private readonly targets = new Grow32(4096);
  private readonly actions = new Grow16(4096);
  private readonly fams = new Grow16(4096);
  readonly flags = new Grow8(1024);
  private readonly familyIds = new Map<string, number>();
  private readonly families: string[] = [];
  private rowBegin = 0;
  private fam = NO_FAMILY;
  private selfLoop = false;

  constructor(
    private readonly modelName: string,
    private readonly familyOf: ((a: A) => string) | undefined,
  ) {}

  beginRow(): void {
    this.rowBegin = this.targets.len;
    this.rows.push(this.rowBegin);
    this.selfLoop = false;
  }

  successor(_k: number, a: A): void {
    const name = this.familyOf?.(a);
    this.fam = NO_FAMILY;
    if (name === undefined) return;
    const known = this.familyIds.get(name);
    if (known !== undefined) {
      this.fam = known;
      return;
    }
    this.fam = this.families.length;
    if (this.fam >= NO_FAMILY) throw new RangeError(`model "${this.modelName}" has more than 65534 action families`);
    this.familyIds.set(name, this.fam);
    this.families.push(name);
  }

  pruned(k: number): void {
    this.push(PRUNED, k);
  }

  edge(k: number, from: number, to: number): void {
    if (to === from)
      this.selfLoop = true; // a stuttering step: a flag, not an edge
    else this.push(to, k);
  }

  endRow(id: number, complete: boolean): void {
    // Partially expanded: forget its edges, so it is never mistaken for a state with few successors.
    if (!complete) this.targets.len = this.actions.len = this.fams.len = this.rowBegin;
    else this.flags.buf[id] = EXPANDED | (this.selfLoop ? SELF_LOOP : 0);
  }

  private push(to: number, k: number): void {
    this.targets.push(to);
    this.actions.push(k);
    this.fams.push(this.fam);
  }

  finish(size: number, initIndex: readonly number[], tree: TraceStore, storeBytes: number): StateGraph {
    while (this.rows.len <= size) this.rows.push(this.targets.len);
    return {
      size,
      edgeCount: this.targets.len,
      rowStart: this.rows.view(),
      target: this.targets.view(),
      action: this.actions.view(),
      family: this.fams.view(),
      flags: this.flags.view(),
      initIndex,
      families: this.families,
      tree,
      bytesUsed:
        storeBytes +
        this.rows.buf.byteLength +
        this.targets.buf.byteLength +
        this.actions.buf.byteLength +
        this.fams.buf.byteLength +
        this.flags.buf.byteLength,
    };
  }
}

/** Fingerprint → state id: open addressing over (hi, lo, id) triples, linear probing, 75 % load. */
class StateIndex {
  private slots: Uint32Array;
  private mask: number;
  private count = 0;
  private limit: number;

  constructor(expected = 1 << 16) {
    let cap = 1024;
    while (cap * 0.75 < expected) cap *= 2;
    this.slots = new Uint32Array(cap * 3);
    this.mask = cap - 1;
    this.limit = Math.floor(cap * 0.75);
  }

  get size(): number {
    return this.count;
  }

  /** The id of (hi, lo); `NEW` after adding it with the next id; `FULL` when it is new and `maxStates` are held. */
  lookup(hi: number, lo: number, maxStates: number): number {
    const found = this.get(hi, lo);
    if (found >= 0) return found;
    if (this.count >= maxStates) return FULL;
    this.insert(hi, lo, this.count);
    return NEW;
  }

  /** The id stored for (hi, lo), or -1. */
  get(hi: number, lo: number): number {
    const slots = this.slots;
    let i = (hi ^ Math.imul(lo, 0x9e3779b1)) & this.mask;
    for (;;) {
      const j = i * 3;
      const h = slots[j] as number;
      const l = slots[j + 1] as number;
      if (h === 0 && l === 0) return -1;
      if (h === hi && l === lo) return slots[j + 2] as number;
      i = (i + 1) & this.mask;
    }
  }

  /** Adds (hi, lo) → id; (hi, lo) must be absent and never (0, 0). */
  insert(hi: number, lo: number, id: number): void {
    if (this.count >= this.limit) this.grow();
    this.place(hi, lo, id);
    this.count++;
  }

  bytesUsed(): number {
    return this.slots.byteLength;
  }

  private place(hi: number, lo: number, id: number): void {
    const slots = this.slots;
    let i = (hi ^ Math.imul(lo, 0x9e3779b1)) & this.mask;
    for (;;) {
      const j = i * 3;
      if (slots[j] === 0 && slots[j + 1] === 0) {
        slots[j] = hi;
        slots[j + 1] = lo;
        slots[j + 2] = id;
        return;
      }
      i = (i + 1) & this.mask;
    }
  }

  private grow(): void {
    const old = this.slots;
    const cap = (this.mask + 1) * 2;
    this.slots = new Uint32Array(cap * 3);
    this.mask = cap - 1;
    this.limit = Math.floor(cap * 0.75);
    for (let j = 0; j < old.length; j += 3) {
      const h = old[j] as number;
      const l = old[j + 1] as number;
      if (h !== 0 || l !== 0) this.place(h, l, old[j + 2] as number);
    }
  }
}

/** Append-only typed vectors (doubling). */
class Grow32 {
  buf: Uint32Array;
  len = 0;
  constructor(cap: number) {
    this.buf = new Uint32Array(cap);
  }
  push(x: number): void {
    if (this.len === this.buf.length) {
      const n = new Uint32Array(this.buf.length * 2);
      n.set(this.buf);
      this.buf = n;
    }
    this.buf[this.len++] = x;
  }
  view(): Uint32Array {
    return this.buf.subarray(0, this.len);
  }
}

class Grow16 {
  buf: Uint16Array;
  len = 0;
  constructor(cap: number) {
    this.buf = new Uint16Array(cap);
  }
  push(x: number): void {
    if (this.len === this.buf.length) {
      const n = new Uint16Array(this.buf.length * 2);
      n.set(this.buf);
      this.buf = n;
    }
    this.buf[this.len++] = x;
  }
  view(): Uint16Array {
    return this.buf.subarray(0, this.len);
  }
}

/** A growable byte array (per-state flags). */
export class Grow8 {
  buf: Uint8Array;
  len = 0;
  constructor(cap: number) {
    this.buf = new Uint8Array(cap);
  }
  push(x: number): void {
    if (this.len === this.buf.length) {
      const n = new Uint8Array(this.buf.length * 2);
      n.set(this.buf);
      this.buf = n;
    }
    this.buf[this.len++] = x;
  }
  view(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}
