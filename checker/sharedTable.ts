/**
 * Shared-memory structures of the parallel engine: a lock-free fingerprint set and per-worker trace
 * stores, both on `SharedArrayBuffer`s so every worker thread (and the coordinating main thread) sees
 * the same memory.
 */

/**
 * A fingerprint set several threads insert into concurrently, without locks.
 *
 * Layout: one `Int32Array` over a `SharedArrayBuffer`, two words per slot (hi, lo), open addressing
 * with linear probing, any capacity (the home slot is `⌊mix · capacity / 2³²⌋`, so growth need not
 * double). A word value of 0 means "not written yet"; keys are folded so that neither word is ever 0
 * (a 0 word becomes 1, which merges a 2⁻³² sliver of the 64-bit fingerprint space — negligible next to
 * the fingerprint collision probability itself).
 *
 * Insertion protocol (why it is correct):
 * 1. A slot is claimed by `compareExchange(hi-word, 0 → hi)`. Exactly one thread wins a slot, and a
 *    claimed hi word never changes again (slots are write-once; nothing is ever deleted).
 * 2. The winner then stores the lo word. A thread that finds a slot whose hi word equals its own hi
 *    waits (spins on an atomic load) until the lo word is non-zero, then compares it.
 * 3. All threads probe the same sequence of slots for a key, and each slot's final content is fixed
 *    once claimed, so two threads inserting the same key stop at the same slot: one claims it and
 *    reports "new", the other finds the key there and reports "seen". A key is therefore counted
 *    exactly once, whatever the interleaving.
 * The table never grows while threads insert: the parallel engine pauses every worker (a safe point
 * between chunks of work) and rehashes into a larger table (`rehashSlice`, which workers run on
 * disjoint slices of the old table, with the same lock-free insert).
 */
export class SharedFingerprintTable {
  readonly buffer: SharedArrayBuffer;
  readonly capacity: number;
  private readonly words: Int32Array;
  private readonly scale: number;

  /** Wraps an existing buffer (from `create` or another thread). */
  constructor(buffer: SharedArrayBuffer) {
    this.buffer = buffer;
    this.words = new Int32Array(buffer);
    this.capacity = this.words.length >>> 1;
    this.scale = this.capacity / 4294967296;
  }

  /** A new, empty table with `capacity` slots (8 bytes each). */
  static create(capacity: number): SharedFingerprintTable {
    const cap = Math.max(16, Math.ceil(capacity));
    return new SharedFingerprintTable(new SharedArrayBuffer(cap * 8));
  }

  /** Slots needed to hold `n` keys at load `maxLoad`. */
  static capacityFor(n: number, maxLoad: number): number {
    return Math.max(16, Math.ceil(n / maxLoad) + 1);
  }

  /**
   * Inserts the fingerprint (hi, lo) (unsigned 32-bit halves); returns true if this call added it,
   * false if it was already present. Safe to call from many threads at once on the same buffer.
   * Throws if the table is completely full (the engine grows it long before that).
   */
  insert(hi: number, lo: number): boolean {
    const h = hi === 0 ? 1 : hi | 0;
    const l = lo === 0 ? 1 : lo | 0;
    const words = this.words;
    const cap = this.capacity;
    let i = Math.floor(((hi ^ Math.imul(lo, 0x9e3779b1)) >>> 0) * this.scale);
    for (let probes = 0; probes < cap; probes++) {
      const j = i << 1;
      let cur = words[j] as number; // a racy read is fine: a non-zero value is final
      if (cur === 0) {
        cur = Atomics.compareExchange(words, j, 0, h);
        if (cur === 0) {
          Atomics.store(words, j + 1, l);
          return true;
        }
      }
      if (cur === h) {
        let cl = words[j + 1] as number;
        while (cl === 0) cl = Atomics.load(words, j + 1); // the claimer is about to store it
        if (cl === l) return false;
      }
      i = i + 1 === cap ? 0 : i + 1;
    }
    throw new Error(`fingerprint table full (${cap} slots); this is a bug in the engine's growth policy`);
  }

  /** True if (hi, lo) is present (only meaningful when no insert is racing on the same key). */
  has(hi: number, lo: number): boolean {
    const h = hi === 0 ? 1 : hi | 0;
    const l = lo === 0 ? 1 : lo | 0;
    const words = this.words;
    const cap = this.capacity;
    let i = Math.floor(((hi ^ Math.imul(lo, 0x9e3779b1)) >>> 0) * this.scale);
    for (let probes = 0; probes < cap; probes++) {
      const j = i << 1;
      const cur = Atomics.load(words, j);
      if (cur === 0) return false;
      if (cur === h && Atomics.load(words, j + 1) === l) return true;
      i = i + 1 === cap ? 0 : i + 1;
    }
    return false;
  }

  /**
   * Re-inserts the keys stored in slots `[from, to)` of `old` into this table; returns how many.
   * Workers call it on disjoint slices while nothing else writes to either table.
   */
  rehashSlice(old: SharedFingerprintTable, from: number, to: number): number {
    const w = old.words;
    let n = 0;
    for (let i = from; i < to; i++) {
      const h = w[i << 1] as number;
      if (h === 0) continue;
      this.insert(h >>> 0, (w[(i << 1) + 1] as number) >>> 0);
      n++;
    }
    return n;
  }

  /** Number of occupied slots (a scan; for tests and checkpoints, not the hot path). */
  countOccupied(): number {
    let n = 0;
    for (let j = 0; j < this.words.length; j += 2) if (this.words[j] !== 0) n++;
    return n;
  }
}

/** Records per trace chunk. */
export const TRACE_CHUNK = 1 << 16;
const CHUNK_BYTES = TRACE_CHUNK * 6;

/** Parent id of an initial state (same value as `NO_PARENT` in visited.ts). */
export const NO_PARENT_ID = 0xffffffff;

/**
 * One worker's trace records (parent global id, action index) in `SharedArrayBuffer` chunks of
 * `TRACE_CHUNK` records: a `Uint32Array` of parents followed by a `Uint16Array` of actions. Each new
 * chunk is announced through `onChunk` so the coordinator can rebuild paths by reading the chunks
 * directly, with no round trip to the worker.
 *
 * Global ids: the record with local id `l` of worker `w` among `W` workers has global id `l·W + w`.
 */
export class SharedTraceStore {
  private readonly parents: Uint32Array[] = [];
  private readonly actions: Uint16Array[] = [];
  private n: number;

  constructor(
    private readonly worker: number,
    private readonly workers: number,
    private readonly onChunk: (buffer: SharedArrayBuffer) => void,
    existing: readonly SharedArrayBuffer[] = [],
    size = 0,
  ) {
    for (const b of existing) this.adopt(b);
    this.n = size;
  }

  get size(): number {
    return this.n;
  }

  /** The chunk buffers, in order. */
  get buffers(): SharedArrayBuffer[] {
    return this.parents.map((p) => p.buffer as SharedArrayBuffer);
  }

  /** Appends a record; returns its global id. */
  append(parent: number, action: number): number {
    if (action > 0xffff) throw new RangeError(`action index ${action} exceeds 65535; a state has too many actions`);
    const local = this.n++;
    const gid = local * this.workers + this.worker;
    if (gid >= NO_PARENT_ID) throw new RangeError('more than 2^32 - 1 states: global state ids would overflow');
    const c = local >>> 16;
    if (c === this.parents.length) {
      const b = new SharedArrayBuffer(CHUNK_BYTES);
      this.adopt(b);
      this.onChunk(b);
    }
    const o = local & (TRACE_CHUNK - 1);
    (this.parents[c] as Uint32Array)[o] = parent;
    (this.actions[c] as Uint16Array)[o] = action;
    return gid;
  }

  bytesUsed(): number {
    return this.parents.length * CHUNK_BYTES;
  }

  private adopt(b: SharedArrayBuffer): void {
    this.parents.push(new Uint32Array(b, 0, TRACE_CHUNK));
    this.actions.push(new Uint16Array(b, TRACE_CHUNK * 4, TRACE_CHUNK));
  }
}

/** Reads the trace chunks of all workers (coordinator side) to rebuild paths. */
export class TraceReader {
  private readonly parents: Uint32Array[][];
  private readonly actions: Uint16Array[][];

  constructor(private readonly workers: number) {
    this.parents = Array.from({ length: workers }, () => []);
    this.actions = Array.from({ length: workers }, () => []);
  }

  /** Registers worker `w`'s next chunk. */
  addChunk(w: number, b: SharedArrayBuffer): void {
    (this.parents[w] as Uint32Array[]).push(new Uint32Array(b, 0, TRACE_CHUNK));
    (this.actions[w] as Uint16Array[]).push(new Uint16Array(b, TRACE_CHUNK * 4, TRACE_CHUNK));
  }

  /** Chunk buffers of worker `w`. */
  chunks(w: number): SharedArrayBuffer[] {
    return (this.parents[w] ?? []).map((p) => p.buffer as SharedArrayBuffer);
  }

  bytesUsed(): number {
    let n = 0;
    for (const p of this.parents) n += p.length * CHUNK_BYTES;
    return n;
  }

  /** The path to global id `gid`: `[initIndex, action1, …]`. */
  pathTo(gid: number): number[] {
    const rev: number[] = [];
    let cur = gid;
    for (;;) {
      const w = cur % this.workers;
      const local = (cur - w) / this.workers;
      const c = local >>> 16;
      const o = local & (TRACE_CHUNK - 1);
      const ps = this.parents[w]?.[c];
      const as = this.actions[w]?.[c];
      if (!ps || !as) throw new Error(`trace record ${cur} is missing (worker ${w}, chunk ${c})`);
      rev.push(as[o] as number);
      const p = ps[o] as number;
      if (p === NO_PARENT_ID) break;
      cur = p;
    }
    return rev.reverse();
  }
}
