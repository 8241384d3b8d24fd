import { RunControl } from './RunControl.js';
import type { Model } from './Model.js';
import type { IncompleteReason } from './result.js';
import type { ProgressListener } from './reporter.js';
import { EncodeSink, fingerprintInto, type Fingerprint } from './fingerprint.js';
import { NO_PARENT, TraceStore } from './visited.js';
import { Queue } from './frontier.js';

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

/** Bounds and callbacks of `exploreGraph`. */
export interface ExploreOptions {
  /** States at this depth are visited but not expanded. */
  readonly maxDepth?: number;
  /** Never hold more than this many distinct states. */
  readonly maxStates?: number;
  readonly timeLimitMs?: number;
  readonly hashSeed?: number;
  readonly expectedStates?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: ProgressListener;
  readonly progressIntervalMs?: number;
}

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
  const start = control.start;
  const index = new StateIndex(options.expectedStates);
  const tree = new TraceStore();
  const rows = new Grow32(1024);
  const targets = new Grow32(4096);
  const actions = new Grow16(4096);
  const fams = new Grow16(4096);
  const flags = new Grow8(1024);
  const initIndex: number[] = [];
  const familyIds = new Map<string, number>();
  const families: string[] = [];
  const frontier = new Queue<{ readonly s: S; readonly id: number; readonly depth: number }>();
  const sink = new EncodeSink();
  const fp: Fingerprint = { hi: 0, lo: 0 };
  const seed = options.hashSeed ?? 0;
  const maxDepth = options.maxDepth ?? Infinity;
  const maxStates = options.maxStates ?? Infinity;
  const within = model.withinBoundary?.bind(model);
  const familyOf = model.actionFamily?.bind(model);
  const reasons = new Set<IncompleteReason>();
  let generated = 0;
  let deepest = 0;
  let stopped = false;
  let full = false;

  /** Id of `s`, or -1 when it is new and was added, or -2 when it is new and the state bound is hit. */
  const lookup = (s: S): number => {
    sink.reset();
    model.encode(s, sink);
    fingerprintInto(sink.buf, sink.len, seed, fp);
    const found = index.get(fp.hi, fp.lo);
    if (found >= 0) return found;
    if (index.size >= maxStates) return -2;
    index.insert(fp.hi, fp.lo, index.size);
    flags.push(0);
    return -1;
  };

  const inits = model.initStates();
  for (let i = 0; i < inits.length && !stopped; i++) {
    const s = inits[i] as S;
    generated++;
    if (within && !within(s)) {
      reasons.add('state-constraint');
      continue;
    }
    const r = lookup(s);
    if (r === -2) {
      reasons.add('max-states');
      full = true;
      break;
    }
    if (r >= 0) continue;
    const id = tree.append(NO_PARENT, i);
    initIndex.push(i);
    frontier.push({ s, id, depth: 0 });
    if (!visit(s, id)) stopped = true;
  }

  while (!stopped && !full) {
    const e = frontier.pop();
    if (e === undefined) break;
    // BFS pops states in id order, so rows are appended in id order.
    const rowBegin = targets.len;
    rows.push(rowBegin);
    if (e.depth > deepest) deepest = e.depth;
    if (e.depth >= maxDepth) {
      reasons.add('max-depth');
      continue;
    }
    const acts = model.actions(e.s);
    if (acts.length > 0x10000)
      throw new RangeError(
        `model "${model.name}" enables ${acts.length} actions in one state; at most 65536 are supported`,
      );
    let selfLoop = false;
    for (let k = 0; k < acts.length; k++) {
      const a = acts[k] as A;
      const n = model.next(e.s, a);
      if (n === undefined) continue;
      generated++;
      const name = familyOf?.(a);
      let fam = NO_FAMILY;
      if (name !== undefined) {
        const known = familyIds.get(name);
        if (known === undefined) {
          fam = families.length;
          if (fam >= NO_FAMILY) throw new RangeError(`model "${model.name}" has more than 65534 action families`);
          familyIds.set(name, fam);
          families.push(name);
        } else fam = known;
      }
      if (within && !within(n)) {
        reasons.add('state-constraint');
        targets.push(PRUNED);
        actions.push(k);
        fams.push(fam);
        continue;
      }
      let to = lookup(n);
      if (to === -2) {
        reasons.add('max-states');
        full = true;
        break;
      }
      if (to === -1) {
        to = tree.append(e.id, k);
        frontier.push({ s: n, id: to, depth: e.depth + 1 });
        if (!visit(n, to)) {
          stopped = true;
          break;
        }
      }
      if (to === e.id) {
        selfLoop = true;
        continue;
      }
      targets.push(to);
      actions.push(k);
      fams.push(fam);
    }
    if (full || stopped) {
      // Partially expanded: forget its edges, so it is never mistaken for a state with few successors.
      targets.len = actions.len = fams.len = rowBegin;
      if (stopped) break;
    } else flags.buf[e.id] = EXPANDED | (selfLoop ? SELF_LOOP : 0);
    const why = control.tick(() => ({ generated, distinct: index.size, depth: deepest, queued: frontier.size }));
    if (why) {
      reasons.add(why);
      break;
    }
  }
  if (frontier.size > 0 && !stopped && reasons.size === 0) reasons.add('interrupted');

  const size = index.size;
  while (rows.len <= size) rows.push(targets.len);
  const graph: StateGraph = {
    size,
    edgeCount: targets.len,
    rowStart: rows.view(),
    target: targets.view(),
    action: actions.view(),
    family: fams.view(),
    flags: flags.view(),
    initIndex,
    families,
    tree,
    bytesUsed:
      index.bytesUsed() +
      tree.bytesUsed() +
      rows.buf.byteLength +
      targets.buf.byteLength +
      actions.buf.byteLength +
      fams.buf.byteLength +
      flags.buf.byteLength,
  };
  return {
    graph,
    generated,
    maxDepth: deepest,
    queued: frontier.size,
    reasons: [...reasons],
    stopped,
    durationMs: Date.now() - start,
  };
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
