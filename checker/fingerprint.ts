/**
 * Integer sink a model writes a state's encoding into, and the 64-bit fingerprint over it.
 *
 * The fingerprint is two independent 32-bit lanes (a Murmur3-style lane and an xxHash32-style lane,
 * each seeded) so no BigInt or string is ever built in the hot path.
 */
export class EncodeSink {
  buf: Int32Array;
  len = 0;

  constructor(initialCapacity = 256) {
    this.buf = new Int32Array(initialCapacity);
  }

  /** Forgets the current contents; keeps the buffer. */
  reset(): void {
    this.len = 0;
  }

  /** Appends one 32-bit integer (values are truncated with `| 0`). */
  push(x: number): void {
    if (this.len === this.buf.length) this.grow();
    this.buf[this.len++] = x | 0;
  }

  /** Appends a boolean as 0/1. */
  bool(b: boolean): void {
    this.push(b ? 1 : 0);
  }

  /** Appends a length-prefixed list of integers. */
  list(xs: readonly number[]): void {
    this.push(xs.length);
    for (const x of xs) this.push(x);
  }

  /** Appends the contents of another sink. */
  append(other: EncodeSink): void {
    while (this.len + other.len > this.buf.length) this.grow();
    this.buf.set(other.buf.subarray(0, other.len), this.len);
    this.len += other.len;
  }

  /** Appends `buf[from..to)`. */
  appendRange(buf: Int32Array, from: number, to: number): void {
    const n = to - from;
    while (this.len + n > this.buf.length) this.grow();
    this.buf.set(buf.subarray(from, to), this.len);
    this.len += n;
  }

  /** A copy of the current contents. */
  snapshot(): Int32Array {
    return this.buf.slice(0, this.len);
  }

  private grow(): void {
    const next = new Int32Array(this.buf.length * 2);
    next.set(this.buf);
    this.buf = next;
  }
}

/** A 64-bit fingerprint as two unsigned 32-bit halves. */
export interface Fingerprint {
  hi: number;
  lo: number;
}

const P1 = 0xcc9e2d51;
const P2 = 0x1b873593;
const X1 = 0x9e3779b1;
const X2 = 0x85ebca77;
const X3 = 0xc2b2ae3d;

/**
 * Hashes `buf[0..len)` into `out` (reused to avoid allocation). `seed` selects an independent hash
 * function (swarm verification uses one seed per shard). Never returns the all-zero fingerprint,
 * which the visited table reserves for empty slots.
 */
export function fingerprintInto(buf: Int32Array, len: number, seed: number, out: Fingerprint): Fingerprint {
  let h1 = (seed ^ 0x5bd1e995) | 0;
  let h2 = (Math.imul(seed, X1) + X3) | 0;
  for (let i = 0; i < len; i++) {
    const x = buf[i] as number;
    // lane 1: murmur3 body
    let k = Math.imul(x, P1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, P2);
    h1 ^= k;
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
    // lane 2: xxhash32-style round
    h2 = (h2 + Math.imul(x ^ i, X2)) | 0;
    h2 = (h2 << 13) | (h2 >>> 19);
    h2 = Math.imul(h2, X1);
  }
  h1 ^= len;
  h1 ^= h1 >>> 16;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 13;
  h1 = Math.imul(h1, X3);
  h1 ^= h1 >>> 16;
  h2 ^= len * 4;
  h2 ^= h2 >>> 15;
  h2 = Math.imul(h2, X2);
  h2 ^= h2 >>> 13;
  h2 = Math.imul(h2, X3);
  h2 ^= h2 >>> 16;
  // mix lanes so that neither half alone decides the slot
  out.hi = (h1 ^ Math.imul(h2, 0x27d4eb2f)) >>> 0;
  out.lo = h2 >>> 0;
  if (out.hi === 0 && out.lo === 0) out.lo = 1;
  return out;
}

/** Fingerprint of one state of a model (allocates; for tests and replay, not the hot path). */
export function fingerprintOf<S>(encode: (s: S, sink: EncodeSink) => void, s: S, seed = 0): string {
  const sink = new EncodeSink();
  encode(s, sink);
  const fp = fingerprintInto(sink.buf, sink.len, seed, { hi: 0, lo: 0 });
  return fp.hi.toString(16).padStart(8, '0') + fp.lo.toString(16).padStart(8, '0');
}

/**
 * TLC's optimistic estimate of the probability that two distinct states shared a fingerprint during a
 * run: n·(g − n) / 2^64 for n distinct and g generated states.
 */
export function collisionProbability(distinct: number, generated: number): number {
  return (distinct * Math.max(0, generated - distinct)) / 2 ** 64;
}

/**
 * The home slot of fingerprint (hi, lo) in an open-addressing table of any capacity: the mixed key
 * scaled to the table (Lemire's range reduction), `scale` being `capacity / 2³²`. Shared by the
 * single-threaded `FingerprintSet` and the parallel engine's `SharedFingerprintTable` (whose
 * checkpoints store the table as laid out by this function).
 */
export function homeSlot(hi: number, lo: number, scale: number): number {
  return Math.floor(((hi ^ Math.imul(lo, 0x9e3779b1)) >>> 0) * scale);
}
