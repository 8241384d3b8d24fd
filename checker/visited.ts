import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { homeSlot } from './fingerprint.js';

/**
 * What a visited store's `lookup` answers (see `checker/core.ts`): the state's id (≥ 0) when the store
 * keeps ids, `SEEN` when it does not, `NEW` when the fingerprint was just added (its id is the store's
 * size before), `FULL` when it is new but the state bound forbids adding it.
 */
export const SEEN = -3;
export const FULL = -2;
export const NEW = -1;

/**
 * The visited table: every distinct state the search has seen, in typed arrays only.
 *
 * Two parts, sized separately:
 * - a fingerprint set: open addressing with linear probing over one `Uint32Array` of (hi, lo) pairs,
 *   any capacity (the home slot is `homeSlot`), grown by 1.5× at 90 % load, so the load
 *   stays between 60 % and 90 % (8.9-13.3 bytes per state); the all-zero pair marks an empty slot;
 * - a trace store: for the state with id `i` (ids are dense, in insertion order) the id of its parent
 *   and the index of the action that produced it, in chunked `Uint32Array`/`Uint16Array`s, so a
 *   counterexample is rebuilt by walking parents without ever storing a state object. Past a threshold
 *   the full chunks go to a temporary file (append-only, read back only to rebuild a path), as TLC keeps
 *   its trace on disk.
 *
 * Memory per distinct state = 8 / load (fingerprint) + 5 or 6 (parent + action) while the trace is in
 * memory, 8 / load once it spills; `bytesUsed()` measures it.
 */
export class FingerprintSet {
  private slots: Uint32Array;
  private cap: number;
  /** `cap / 2³²`, for `homeSlot`. */
  private scale: number;
  private count = 0;
  private limit: number;

  /**
   * @param expected states to size for without growing
   * @param maxLoad grow when the table is this full (linear probing stays short up to ~0.9)
   * @param growth capacity factor per growth
   */
  constructor(
    expected = 1 << 16,
    private readonly maxLoad = 0.9,
    private readonly growth = 1.5,
  ) {
    if (!(maxLoad > 0 && maxLoad < 1)) throw new RangeError(`maxLoad must be in (0, 1), got ${maxLoad}`);
    if (!(growth > 1)) throw new RangeError(`growth must exceed 1, got ${growth}`);
    this.cap = Math.max(1024, Math.ceil(expected / maxLoad) + 1);
    this.scale = this.cap / 4294967296;
    this.slots = new Uint32Array(this.cap * 2);
    this.limit = Math.floor(this.cap * maxLoad);
  }

  get size(): number {
    return this.count;
  }

  get capacity(): number {
    return this.cap;
  }

  /** Inserts (hi, lo); returns true if it was new. (0, 0) must never be passed. */
  add(hi: number, lo: number): boolean {
    if (this.count >= this.limit) this.grow();
    const j = this.slotOf(hi, lo);
    const slots = this.slots;
    if (slots[j] === hi && slots[j + 1] === lo) return false;
    slots[j] = hi;
    slots[j + 1] = lo;
    this.count++;
    return true;
  }

  /** `NEW` (added), `SEEN`, or `FULL` when (hi, lo) is new and the set already holds `maxStates`. */
  lookup(hi: number, lo: number, maxStates: number): number {
    if (this.count < maxStates) return this.add(hi, lo) ? NEW : SEEN;
    return this.has(hi, lo) ? SEEN : FULL;
  }

  /** True if (hi, lo) is present. */
  has(hi: number, lo: number): boolean {
    const j = this.slotOf(hi, lo);
    return this.slots[j] === hi && this.slots[j + 1] === lo;
  }

  /** Index of the first word of the slot holding (hi, lo), or of the empty slot where it would go. */
  private slotOf(hi: number, lo: number): number {
    const slots = this.slots;
    const cap = this.cap;
    let i = homeSlot(hi, lo, this.scale);
    for (;;) {
      const j = i << 1;
      const h = slots[j] as number;
      const l = slots[j + 1] as number;
      if ((h === 0 && l === 0) || (h === hi && l === lo)) return j;
      if (++i === cap) i = 0;
    }
  }

  /** Bytes held by the table. */
  bytesUsed(): number {
    return this.slots.byteLength;
  }

  private grow(): void {
    const old = this.slots;
    this.cap = Math.ceil(this.cap * this.growth);
    this.scale = this.cap / 4294967296;
    this.slots = new Uint32Array(this.cap * 2);
    this.limit = Math.floor(this.cap * this.maxLoad);
    this.count = 0;
    for (let j = 0; j < old.length; j += 2) {
      const h = old[j] as number;
      const l = old[j + 1] as number;
      if (h !== 0 || l !== 0) this.add(h, l);
    }
  }
}

const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;

/** Where a spilled chunk's bytes are in the trace file: parents (4 B each), then actions (1 or 2 B each). */
interface Spilled {
  readonly offset: number;
  readonly actionBytes: 1 | 2;
}

/**
 * Parent id and action index per state id, in fixed-size chunks (no doubling waste). A chunk stores
 * action indices in 8 bits until an index above 255 arrives, then it is widened to 16 bits: 5 bytes
 * per record for models with at most 256 enabled actions per state, 6 otherwise.
 *
 * With `spillAfter` = k, once more than k chunks are full every full chunk is appended to a file in a
 * fresh temporary directory and dropped from memory; `parentOf`/`actionOf`/`pathTo` read it back. Call
 * `close()` when done: it removes the file.
 */
export class TraceStore {
  private parents: (Uint32Array | null)[] = [];
  private actions: (Uint8Array | Uint16Array | null)[] = [];
  private spilled: (Spilled | undefined)[] = [];
  private n = 0;
  private dir: string | undefined;
  private fd = -1;
  private fileEnd = 0;
  private diskBytes = 0;

  constructor(private readonly opts: { readonly spillAfter?: number; readonly dir?: string } = {}) {}

  get size(): number {
    return this.n;
  }

  /** Appends a record and returns its id. Use `NO_PARENT` for initial states (action = init index). */
  append(parent: number, action: number): number {
    if (action > 0xffff) throw new RangeError(`action index ${action} exceeds 65535; a state has too many actions`);
    const id = this.n++;
    const c = id >>> CHUNK_BITS;
    if (c === this.parents.length) {
      this.parents.push(new Uint32Array(CHUNK));
      this.actions.push(new Uint8Array(CHUNK));
      const spillAfter = this.opts.spillAfter;
      if (spillAfter !== undefined && c > spillAfter) this.spill(c - 1);
    }
    const o = id & (CHUNK - 1);
    (this.parents[c] as Uint32Array)[o] = parent;
    let acts = this.actions[c] as Uint8Array | Uint16Array;
    if (action > 0xff && acts instanceof Uint8Array) {
      acts = Uint16Array.from(acts);
      this.actions[c] = acts;
    }
    acts[o] = action;
    return id;
  }

  parentOf(id: number): number {
    const c = id >>> CHUNK_BITS;
    const p = this.parents[c];
    if (p) return p[id & (CHUNK - 1)] as number;
    const where = this.spilled[c] as Spilled;
    const b = this.read(where.offset + (id & (CHUNK - 1)) * 4, 4);
    return new Uint32Array(b.buffer)[0] as number;
  }

  actionOf(id: number): number {
    const c = id >>> CHUNK_BITS;
    const a = this.actions[c];
    if (a) return a[id & (CHUNK - 1)] as number;
    const where = this.spilled[c] as Spilled;
    const b = this.read(where.offset + CHUNK * 4 + (id & (CHUNK - 1)) * where.actionBytes, where.actionBytes);
    return where.actionBytes === 1 ? (b[0] as number) : (new Uint16Array(b.buffer)[0] as number);
  }

  /** The path to `id`: `[initIndex, action1, action2, …]`. */
  pathTo(id: number): number[] {
    const rev: number[] = [];
    let cur = id;
    for (;;) {
      rev.push(this.actionOf(cur));
      const p = this.parentOf(cur);
      if (p === NO_PARENT) break;
      cur = p;
    }
    return rev.reverse();
  }

  /** Bytes held in memory. */
  bytesUsed(): number {
    let n = 0;
    for (const p of this.parents) if (p) n += p.byteLength;
    for (const a of this.actions) if (a) n += a.byteLength;
    return n;
  }

  /** Bytes written to the trace file. */
  bytesOnDisk(): number {
    return this.diskBytes;
  }

  /** Removes the trace file, if any; the store must not be read afterwards. */
  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    if (this.dir !== undefined) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }

  private spill(c: number): void {
    const p = this.parents[c];
    const a = this.actions[c];
    if (!p || !a) return;
    if (this.fd < 0) {
      this.dir = mkdtempSync(join(this.opts.dir ?? tmpdir(), 'kafka-mc-trace-'));
      this.fd = openSync(join(this.dir, 'trace.bin'), 'w+');
    }
    const bytes = Buffer.concat([
      Buffer.from(p.buffer, p.byteOffset, p.byteLength),
      Buffer.from(a.buffer, a.byteOffset, a.byteLength),
    ]);
    writeSync(this.fd, bytes, 0, bytes.length, this.fileEnd);
    this.spilled[c] = { offset: this.fileEnd, actionBytes: a instanceof Uint8Array ? 1 : 2 };
    this.fileEnd += bytes.length;
    this.diskBytes += bytes.length;
    this.parents[c] = null;
    this.actions[c] = null;
  }

  private read(offset: number, length: number): Uint8Array {
    const b = new Uint8Array(length);
    readSync(this.fd, b, 0, length, offset);
    return b;
  }
}

/** Parent id of an initial state. */
export const NO_PARENT = 0xffffffff;
