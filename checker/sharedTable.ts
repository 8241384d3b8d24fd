import { appendFileSync, closeSync, openSync, readSync } from 'node:fs';
import { homeSlot } from './fingerprint.js';

/**
 * Shared-memory structures of the parallel engine: a lock-free fingerprint set and per-worker trace
 * stores, both on `SharedArrayBuffer`s so every worker thread (and the coordinating main thread) sees
 * the same memory.
 */

/** A fingerprint half as the shared tables store it: 0 marks an empty word, so 0 becomes 1. */
export function fold(x: number): number {
  return x === 0 ? 1 : x | 0;
}

/**
 * Finds the folded pair (h, l) in a shared table of `cap` two-word slots, or claims an empty slot for it
 * (lock-free: the high word is claimed by compare-and-swap, the low word published after). Returns the
 * slot's index when the pair is there, or `~index` when this call claimed the slot: the caller then
 * stores `l` at word `2·index + 1`, after anything readers of the slot must see first. The probe starts
 * at the folded pair's home slot, so that a rehash (which sees only folded pairs) agrees. Throws when
 * every slot is taken (`what` names the table).
 */
export function claimOrFind(words: Int32Array, cap: number, scale: number, h: number, l: number, what: string): number {
  let i = homeSlot(h, l, scale);
  for (let probes = 0; probes < cap; probes++) {
    const j = i << 1;
    let cur = words[j] as number; // a racy read is fine: a non-zero value is final
    if (cur === 0) {
      cur = Atomics.compareExchange(words, j, 0, h);
      if (cur === 0) return ~i;
    }
    if (cur === h) {
      let cl = words[j + 1] as number;
      while (cl === 0) cl = Atomics.load(words, j + 1); // the claimer is about to store it
      if (cl === l) return i;
    }
    i = i + 1 === cap ? 0 : i + 1;
  }
  throw new Error(`${what} full (${cap} slots); this is a bug in the engine's growth policy`);
}

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
    const l = fold(lo);
    const r = claimOrFind(this.words, this.capacity, this.scale, fold(hi), l, 'fingerprint table');
    if (r >= 0) return false;
    Atomics.store(this.words, (~r << 1) + 1, l);
    return true;
  }

  /**
   * True if (hi, lo) is present. Plain reads: only for a table nobody writes to meanwhile (the parallel
   * engine's fingerprint table while a level runs; it is written at barriers, which order the threads).
   */
  has(hi: number, lo: number): boolean {
    const h = fold(hi);
    const l = fold(lo);
    const words = this.words;
    const cap = this.capacity;
    let i = homeSlot(h, l, this.scale); // of the folded key, so that a rehash (which sees only folded keys) agrees
    for (let probes = 0; probes < cap; probes++) {
      const j = i << 1;
      const cur = words[j] as number;
      if (cur === 0) return false;
      if (cur === h && words[j + 1] === l) return true;
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
/** Bytes of a chunk whose action indices fit in 8 bits (parents `Uint32Array`, actions `Uint8Array`). */
export const NARROW_CHUNK_BYTES = TRACE_CHUNK * 5;
/** Bytes of a chunk with 16-bit action indices. */
export const WIDE_CHUNK_BYTES = TRACE_CHUNK * 6;

/** Parent id of an initial state (same value as `NO_PARENT` in visited.ts). */
export const NO_PARENT_ID = 0xffffffff;

type Actions = Uint8Array | Uint16Array;

/** The action view of a chunk buffer; its width follows from the buffer's length. */
function actionsOf(b: SharedArrayBuffer): Actions {
  return b.byteLength === WIDE_CHUNK_BYTES
    ? new Uint16Array(b, TRACE_CHUNK * 4, TRACE_CHUNK)
    : new Uint8Array(b, TRACE_CHUNK * 4, TRACE_CHUNK);
}

/** Where a spilled chunk's bytes are. */
export interface SpilledChunk {
  readonly file: string;
  readonly offset: number;
  readonly length: number;
}

/**
 * One worker's trace records (parent global id, action index) in `SharedArrayBuffer` chunks of
 * `TRACE_CHUNK` records: a `Uint32Array` of parents followed by the action indices, 8-bit until an
 * index above 255 shows up in the chunk (then the chunk is copied into a 16-bit one: 5 or 6 bytes per
 * record). Each new or replaced chunk is announced through `onChunk(index, buffer)` so the coordinator
 * can rebuild paths by reading the chunks directly, with no round trip to the worker. With `spill`,
 * every full chunk is appended to `spill.file` and dropped from memory (`spill.onSpill` announces it),
 * so only the chunk being filled stays in memory.
 *
 * Global ids: the record with local id `l` of worker `w` among `W` workers has global id `l·W + w`.
 */
export class SharedTraceStore {
  private readonly parents: (Uint32Array | undefined)[] = [];
  private readonly actions: (Actions | undefined)[] = [];
  private readonly wide: boolean[] = [];
  private n: number;
  private fileEnd = 0;

  constructor(
    private readonly worker: number,
    private readonly workers: number,
    private readonly onChunk: (index: number, buffer: SharedArrayBuffer) => void,
    existing: readonly SharedArrayBuffer[] = [],
    size = 0,
    private readonly spill?: {
      readonly file: string;
      readonly onSpill: (index: number, where: SpilledChunk) => void;
    },
  ) {
    for (const b of existing) this.adopt(this.parents.length, b);
    this.n = size;
  }

  get size(): number {
    return this.n;
  }

  /** Appends a record; returns its global id. */
  append(parent: number, action: number): number {
    if (action > 0xffff) throw new RangeError(`action index ${action} exceeds 65535; a state has too many actions`);
    const local = this.n++;
    const gid = local * this.workers + this.worker;
    if (gid >= NO_PARENT_ID) throw new RangeError('more than 2^32 - 1 states: global state ids would overflow');
    const c = local >>> 16;
    if (c === this.parents.length) {
      if (this.spill && c > 0) this.spillChunk(c - 1);
      const b = new SharedArrayBuffer(NARROW_CHUNK_BYTES);
      this.adopt(c, b);
      this.onChunk(c, b);
    }
    if (action > 0xff && !this.wide[c]) this.widen(c);
    const o = local & (TRACE_CHUNK - 1);
    (this.parents[c] as Uint32Array)[o] = parent;
    (this.actions[c] as Actions)[o] = action;
    return gid;
  }

  /** Bytes of trace records held in memory. */
  bytesUsed(): number {
    let n = 0;
    for (const p of this.parents) if (p) n += p.buffer.byteLength;
    return n;
  }

  private adopt(c: number, b: SharedArrayBuffer): void {
    this.parents[c] = new Uint32Array(b, 0, TRACE_CHUNK);
    this.actions[c] = actionsOf(b);
    this.wide[c] = b.byteLength === WIDE_CHUNK_BYTES;
  }

  private widen(c: number): void {
    const old = this.actions[c] as Actions;
    const b = new SharedArrayBuffer(WIDE_CHUNK_BYTES);
    new Uint32Array(b, 0, TRACE_CHUNK).set(this.parents[c] as Uint32Array);
    new Uint16Array(b, TRACE_CHUNK * 4, TRACE_CHUNK).set(old);
    this.adopt(c, b);
    this.onChunk(c, b);
  }

  private spillChunk(c: number): void {
    const spill = this.spill;
    const p = this.parents[c];
    if (!spill || !p) return;
    const bytes = new Uint8Array(p.buffer);
    appendFileSync(spill.file, bytes);
    spill.onSpill(c, { file: spill.file, offset: this.fileEnd, length: bytes.length });
    this.fileEnd += bytes.length;
    this.parents[c] = undefined;
    this.actions[c] = undefined;
  }
}

/** Reads the trace chunks of all workers (coordinator side) to rebuild paths. */
export class TraceReader {
  private readonly chunks: (SharedArrayBuffer | SpilledChunk)[][];
  private readonly views = new Map<SharedArrayBuffer, { parents: Uint32Array; actions: Actions }>();
  private readonly fds = new Map<string, number>();

  constructor(private readonly workers: number) {
    this.chunks = Array.from({ length: workers }, () => []);
  }

  /** Registers (or replaces) chunk `index` of worker `w`. */
  setChunk(w: number, index: number, b: SharedArrayBuffer): void {
    (this.chunks[w] as (SharedArrayBuffer | SpilledChunk)[])[index] = b;
  }

  /** Records that chunk `index` of worker `w` now lives in a file. */
  setSpilled(w: number, index: number, where: SpilledChunk): void {
    const list = this.chunks[w] as (SharedArrayBuffer | SpilledChunk)[];
    const old = list[index];
    if (old instanceof SharedArrayBuffer) this.views.delete(old);
    list[index] = where;
  }

  /** Number of chunks of worker `w`. */
  chunkCount(w: number): number {
    return this.chunks[w]?.length ?? 0;
  }

  /** The bytes of chunk `index` of worker `w` (a copy when it was spilled). */
  chunkBytes(w: number, index: number): Uint8Array {
    const c = this.chunks[w]?.[index];
    if (c === undefined) throw new Error(`trace chunk ${index} of worker ${w} is missing`);
    if (c instanceof SharedArrayBuffer) return new Uint8Array(c);
    const buf = Buffer.allocUnsafe(c.length);
    this.readAt(c.file, buf, c.offset);
    return buf;
  }

  /** Bytes of trace records held in memory. */
  bytesUsed(): number {
    let n = 0;
    for (const list of this.chunks) for (const c of list) if (c instanceof SharedArrayBuffer) n += c.byteLength;
    return n;
  }

  /** The path to global id `gid`: `[initIndex, action1, …]`. */
  pathTo(gid: number): number[] {
    const rev: number[] = [];
    let cur = gid;
    const small = Buffer.alloc(4);
    for (;;) {
      const w = cur % this.workers;
      const local = (cur - w) / this.workers;
      const c = local >>> 16;
      const o = local & (TRACE_CHUNK - 1);
      const chunk = this.chunks[w]?.[c];
      if (chunk === undefined) throw new Error(`trace record ${cur} is missing (worker ${w}, chunk ${c})`);
      let parent: number;
      if (chunk instanceof SharedArrayBuffer) {
        let v = this.views.get(chunk);
        if (!v) {
          v = { parents: new Uint32Array(chunk, 0, TRACE_CHUNK), actions: actionsOf(chunk) };
          this.views.set(chunk, v);
        }
        rev.push(v.actions[o] as number);
        parent = v.parents[o] as number;
      } else {
        const wide = chunk.length === WIDE_CHUNK_BYTES;
        this.readAt(chunk.file, small.subarray(0, wide ? 2 : 1), chunk.offset + TRACE_CHUNK * 4 + o * (wide ? 2 : 1));
        rev.push(wide ? small.readUInt16LE(0) : small.readUInt8(0));
        this.readAt(chunk.file, small, chunk.offset + o * 4);
        parent = small.readUInt32LE(0);
      }
      if (parent === NO_PARENT_ID) break;
      cur = parent;
    }
    return rev.reverse();
  }

  /** Closes the files of spilled chunks. */
  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }

  private readAt(file: string, buf: Uint8Array, position: number): void {
    let fd = this.fds.get(file);
    if (fd === undefined) {
      fd = openSync(file, 'r');
      this.fds.set(file, fd);
    }
    let done = 0;
    while (done < buf.length) {
      const n = readSync(fd, buf, done, buf.length - done, position + done);
      if (n === 0) throw new Error(`trace file ${file} is truncated`);
      done += n;
    }
  }
}
