/**
 * The visited table: every distinct state the search has seen, in typed arrays only.
 *
 * Two parts, sized separately:
 * - a fingerprint set: open addressing with linear probing over one `Uint32Array` of (hi, lo) pairs,
 *   power-of-two capacity, grown by rehash at 75 % load; the all-zero pair marks an empty slot;
 * - a trace store: for the state with id `i` (ids are dense, in insertion order) the id of its parent
 *   and the index of the action that produced it, in chunked `Uint32Array`/`Uint16Array`s, so a
 *   counterexample is rebuilt by walking parents without ever storing a state object.
 *
 * Bytes per distinct state = 8 / load (fingerprint) + 5 or 6 (parent + action), measured by `bytesUsed()`.
 */
export class FingerprintSet {
  private slots: Uint32Array;
  private mask: number;
  private count = 0;
  private limit: number;

  constructor(expected = 1 << 16) {
    let cap = 1024;
    while (cap * 0.75 < expected) cap *= 2;
    this.slots = new Uint32Array(cap * 2);
    this.mask = cap - 1;
    this.limit = Math.floor(cap * 0.75);
  }

  get size(): number {
    return this.count;
  }

  get capacity(): number {
    return this.mask + 1;
  }

  /** Inserts (hi, lo); returns true if it was new. (0, 0) must never be passed. */
  add(hi: number, lo: number): boolean {
    if (this.count >= this.limit) this.grow();
    const slots = this.slots;
    const mask = this.mask;
    let i = (hi ^ Math.imul(lo, 0x9e3779b1)) & mask;
    for (;;) {
      const j = i << 1;
      const h = slots[j] as number;
      const l = slots[j + 1] as number;
      if (h === 0 && l === 0) {
        slots[j] = hi;
        slots[j + 1] = lo;
        this.count++;
        return true;
      }
      if (h === hi && l === lo) return false;
      i = (i + 1) & mask;
    }
  }

  /** True if (hi, lo) is present. */
  has(hi: number, lo: number): boolean {
    const slots = this.slots;
    const mask = this.mask;
    let i = (hi ^ Math.imul(lo, 0x9e3779b1)) & mask;
    for (;;) {
      const j = i << 1;
      const h = slots[j] as number;
      const l = slots[j + 1] as number;
      if (h === 0 && l === 0) return false;
      if (h === hi && l === lo) return true;
      i = (i + 1) & mask;
    }
  }

  /** Bytes held by the table. */
  bytesUsed(): number {
    return this.slots.byteLength;
  }

  private grow(): void {
    const old = this.slots;
    const cap = (this.mask + 1) * 2;
    this.slots = new Uint32Array(cap * 2);
    this.mask = cap - 1;
    this.limit = Math.floor(cap * 0.75);
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

/**
 * Parent id and action index per state id, in fixed-size chunks (no doubling waste). A chunk stores
 * action indices in 8 bits until an index above 255 arrives, then it is widened to 16 bits: 5 bytes
 * per record for models with at most 256 enabled actions per state, 6 otherwise.
 */
export class TraceStore {
  private parents: Uint32Array[] = [];
  private actions: (Uint8Array | Uint16Array)[] = [];
  private n = 0;

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
    return (this.parents[id >>> CHUNK_BITS] as Uint32Array)[id & (CHUNK - 1)] as number;
  }

  actionOf(id: number): number {
    return (this.actions[id >>> CHUNK_BITS] as Uint8Array | Uint16Array)[id & (CHUNK - 1)] as number;
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

  bytesUsed(): number {
    let n = this.parents.length * CHUNK * 4;
    for (const a of this.actions) n += a.byteLength;
    return n;
  }
}

/** Parent id of an initial state. */
export const NO_PARENT = 0xffffffff;
