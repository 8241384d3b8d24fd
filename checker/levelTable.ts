import { claimOrFind, fold, type SharedFingerprintTable } from './sharedTable.js';

/** What `SharedLevelTable.offer` found. */
export const OFFER_NEW = 0;
/** The state was there with a larger key: this offer's key replaced it (its discoverer now wins). */
export const OFFER_LOWERED = 1;
/** The state was there with a smaller key: another discovery wins. */
export const OFFER_KEPT = 2;

/**
 * The states discovered in the BFS level being built, each with the smallest order key any worker
 * discovered it with (parallel.ts explains the keys: the key says where the single-threaded search
 * would have met the state, so the smallest key wins as it would there). Several threads offer
 * concurrently, lock-free.
 *
 * Layout: fingerprints as in `SharedFingerprintTable` (two `Int32` words per slot, written once: a
 * slot is claimed by a compare-and-swap of its hi word, then its key and its lo word are stored), and
 * a `BigInt64Array` of keys beside it, lowered by compare-and-swap. A thread that finds the hi word
 * waits for the lo word, so it never reads a key that was not stored yet.
 */
export class SharedLevelTable {
  readonly capacity: number;
  private readonly words: Int32Array;
  private readonly keys: BigInt64Array;
  private readonly scale: number;

  constructor(
    readonly buffer: SharedArrayBuffer,
    readonly keyBuffer: SharedArrayBuffer,
  ) {
    this.words = new Int32Array(buffer);
    this.keys = new BigInt64Array(keyBuffer);
    this.capacity = this.words.length >>> 1;
    this.scale = this.capacity / 4294967296;
  }

  /** Slots needed to hold `n` states at load `maxLoad`. */
  static capacityFor(n: number, maxLoad: number): number {
    return Math.max(16, Math.ceil(n / maxLoad) + 1);
  }

  /** A new, empty table with `capacity` slots (16 bytes each). */
  static create(capacity: number): SharedLevelTable {
    const cap = Math.max(16, Math.ceil(capacity));
    return new SharedLevelTable(new SharedArrayBuffer(cap * 8), new SharedArrayBuffer(cap * 8));
  }

  /**
   * Offers the state with fingerprint (hi, lo) discovered with order `key` (a non-negative integer
   * below 2^53): `OFFER_NEW` if this call added it, `OFFER_LOWERED` if it was there with a larger key
   * (now `key`), `OFFER_KEPT` if it was there with a smaller key.
   */
  offer(hi: number, lo: number, key: number): number {
    const l = fold(lo);
    const r = claimOrFind(this.words, this.capacity, this.scale, fold(hi), l, 'level table');
    if (r >= 0) return this.lower(r, BigInt(key));
    Atomics.store(this.keys, ~r, BigInt(key)); // before the low word: a reader that sees the pair sees its key
    Atomics.store(this.words, (~r << 1) + 1, l);
    return OFFER_NEW;
  }

  private lower(i: number, key: bigint): number {
    let cur = Atomics.load(this.keys, i);
    while (key < cur) {
      const seen = Atomics.compareExchange(this.keys, i, cur, key);
      if (seen === cur) return OFFER_LOWERED;
      cur = seen;
    }
    return OFFER_KEPT;
  }

  /** The keys held in slots `[from, to)`, sorted ascending. */
  sortedKeys(from: number, to: number): Float64Array {
    let n = 0;
    for (let i = from; i < to; i++) if (this.words[i << 1] !== 0) n++;
    const out = new Float64Array(n);
    for (let i = from, k = 0; i < to; i++) if (this.words[i << 1] !== 0) out[k++] = Number(this.keys[i]);
    return out.sort();
  }

  /** Re-inserts slots `[from, to)` of `old` (with their keys) into this table, while nothing else writes. */
  rehashSlice(old: SharedLevelTable, from: number, to: number): void {
    for (let i = from; i < to; i++) {
      const h = old.words[i << 1] as number;
      if (h === 0) continue;
      this.offer(h >>> 0, (old.words[(i << 1) + 1] as number) >>> 0, Number(old.keys[i]));
    }
  }

  /** Inserts the fingerprints of slots `[from, to)` into `main` and empties those slots. */
  moveSliceInto(main: SharedFingerprintTable, from: number, to: number): void {
    for (let i = from; i < to; i++) {
      const j = i << 1;
      const h = this.words[j] as number;
      if (h === 0) continue;
      main.insert(h >>> 0, (this.words[j + 1] as number) >>> 0);
      this.words[j] = 0;
      this.words[j + 1] = 0;
    }
  }
}

/** How many entries of the ascending `a` are below `x`. */
export function lowerBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether the ascending `a` holds `x`. */
export function sortedHas(a: Float64Array, x: number): boolean {
  const i = lowerBound(a, x);
  return i < a.length && a[i] === x;
}
