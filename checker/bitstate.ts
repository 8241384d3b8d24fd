import { FULL, NEW, SEEN } from './visited.js';

/**
 * Bitstate hashing (Holzmann's supertrace, Spin's `-DBITSTATE`): the visited set is one bit array of m
 * bits and a state sets k of them, chosen from its 64-bit fingerprint by double hashing. A state whose
 * k bits are all set already counts as visited, even when other states set those bits: such a false
 * positive drops the state and everything reachable only through it, so a run is never exhaustive. What
 * it buys is memory: m bits for any number of states (the default fingerprint table needs 9-13 bytes per
 * state), so a configuration beyond exhaustive reach is still searched, most of it in practice.
 *
 * Violations found are real: every stored state has a trace (parent and action), and a counterexample is
 * replayed from the initial state like any other.
 */

/** The smallest bit array (1 KiB). */
export const BITSTATE_MIN_BITS = 2 ** 13;
/** The largest bit array: 4 GiB, node's largest typed array (`buffer.constants.MAX_LENGTH`, 2³² bytes). */
export const BITSTATE_MAX_BITS = 2 ** 35;
/** At most this many bits per state (Spin allows up to 32 with `-k`). */
export const BITSTATE_MAX_HASHES = 32;
/** Bits per state by default (Spin's default since version 6). */
export const BITSTATE_DEFAULT_HASHES = 3;

/** Options of a bitstate search: the array's size in bits (a multiple of 8) and the bits per state. */
export interface BitstateOptions {
  readonly bits: number;
  /** k, bits set per state (default 3). */
  readonly hashes?: number;
}

/** What a bitstate run stored, and how likely it was to miss states (see `bitstateEstimate`). */
export interface BitstateStats {
  /** m: the array's size in bits. */
  readonly bits: number;
  /** k: bits per state. */
  readonly hashes: number;
  /** Bits set at the end of the run. */
  readonly bitsSet: number;
  /** n: states stored (judged new). */
  readonly states: number;
  /** Holzmann's hash factor m / n: above about 100, few states are lost (Infinity before any state). */
  readonly hashFactor: number;
  /**
   * The standard estimate of the probability that a new state is wrongly judged visited once n states
   * are stored: (1 − e^(−kn/m))^k. It grows during the run, so earlier states were safer.
   */
  readonly falsePositive: number;
  /**
   * The same probability from the array itself: (bits set / m)^k. Above the standard estimate once the
   * array fills, because the states that were stored are those whose bits were not all set (each set up
   * to k new bits), while the formula assumes n states placed at random.
   */
  readonly measuredFalsePositive: number;
  /**
   * 1 − the larger of the two probabilities: the estimated chance that a state first met at the end of
   * the run was stored. Per state, and pessimistic for the earlier, emptier array; a skipped state also
   * hides what only it leads to.
   */
  readonly coverage: number;
}

/** The estimates of `BitstateStats` for n states stored in m bits with k bits each, `set` of them set. */
export function bitstateEstimate(
  n: number,
  m: number,
  k: number,
  set: number,
): Pick<BitstateStats, 'hashFactor' | 'falsePositive' | 'measuredFalsePositive' | 'coverage'> {
  const falsePositive = (1 - Math.exp((-k * n) / m)) ** k;
  const measuredFalsePositive = (set / m) ** k;
  return {
    hashFactor: n > 0 ? m / n : Infinity,
    falsePositive,
    measuredFalsePositive,
    coverage: 1 - Math.max(falsePositive, measuredFalsePositive),
  };
}

/** Why a bitstate array cannot be made, or undefined when (bits, hashes) is valid. */
export function bitstateProblem(bits: number, hashes: number): string | undefined {
  if (!Number.isInteger(bits) || bits % 8 !== 0)
    return `the bit array must be a whole number of bytes, got ${bits} bits`;
  if (bits < BITSTATE_MIN_BITS || bits > BITSTATE_MAX_BITS)
    return `the bit array must have between 2^13 bits (1 KiB) and 2^35 bits (4 GiB, the largest typed array node allows), got ${bitsAndBytes(bits)}`;
  if (!Number.isInteger(hashes) || hashes < 1 || hashes > BITSTATE_MAX_HASHES)
    return `bits per state must be an integer from 1 to ${BITSTATE_MAX_HASHES}, got ${hashes}`;
  return undefined;
}

/** 2⁻⁵³: scales a 53-bit hash into [0, 1). */
const TWO_M53 = 2 ** -53;

/**
 * The bitstate visited store (`VisitedStore` of `checker/core.ts`). Bit j of state (hi, lo), j < k, is
 * chosen by double hashing over both 32-bit halves: a_j = lo + j·(hi | 1) and b_j = hi + j·(lo' | 1)
 * (mod 2³², lo' a mix of lo), joined into a 53-bit value and scaled to [0, m) — so any m works, up to
 * 2³⁵, and the k bits of a state are distinct positions of the hash stream.
 */
export class BitStateSet {
  private readonly words: Uint8Array;
  private readonly at: Float64Array;
  private count = 0;
  private set = 0;
  readonly hashes: number;

  constructor(
    readonly bits: number,
    hashes = BITSTATE_DEFAULT_HASHES,
  ) {
    const problem = bitstateProblem(bits, hashes);
    if (problem !== undefined) throw new RangeError(`bitstate: ${problem}`);
    this.hashes = hashes;
    try {
      this.words = new Uint8Array(bits / 8);
    } catch (e) {
      throw new RangeError(
        `bitstate: could not allocate the ${formatBytes(bits / 8)} bit array (${e instanceof Error ? e.message : String(e)}); choose a smaller size`,
      );
    }
    this.at = new Float64Array(hashes);
  }

  /** States stored (judged new). */
  get size(): number {
    return this.count;
  }

  /** `NEW` (its bits are now set), `SEEN` (all k bits were set), or `FULL` (new, but `maxStates` are stored). */
  lookup(hi: number, lo: number, maxStates: number): number {
    const { words, at, hashes: k, bits: m } = this;
    const step1 = (hi | 1) >>> 0;
    const step2 = (Math.imul(lo, 0x9e3779b1) | 1) >>> 0;
    let all = true;
    for (let j = 0; j < k; j++) {
      const a = (lo + Math.imul(j, step1)) >>> 0;
      const b = (hi + Math.imul(j, step2)) >>> 0;
      const i = Math.min(m - 1, Math.floor((a * 2097152 + (b >>> 11)) * TWO_M53 * m));
      at[j] = i;
      if (all && ((words[Math.floor(i / 8)] as number) & (1 << (i % 8))) === 0) all = false;
    }
    if (all) return SEEN;
    if (this.count >= maxStates) return FULL;
    for (let j = 0; j < k; j++) {
      const i = at[j] as number;
      const w = Math.floor(i / 8);
      const bit = 1 << (i % 8);
      const old = words[w] as number;
      if ((old & bit) === 0) {
        words[w] = old | bit;
        this.set++;
      }
    }
    this.count++;
    return NEW;
  }

  /** Bytes held by the array. */
  bytesUsed(): number {
    return this.words.byteLength;
  }

  /** The run's figures and estimate. */
  stats(): BitstateStats {
    return {
      bits: this.bits,
      hashes: this.hashes,
      bitsSet: this.set,
      states: this.count,
      ...bitstateEstimate(this.count, this.bits, this.hashes, this.set),
    };
  }
}

/** "2^40 bits (128 GiB)", "8000 bits (1000 bytes)". */
function bitsAndBytes(bits: number): string {
  const log = Math.log2(bits);
  return `${Number.isInteger(log) ? `2^${log}` : bits} bits (${formatBytes(bits / 8)})`;
}

/** "512 MiB", "4 KiB", "1000 bytes": a byte count in the largest binary unit that divides it. */
export function formatBytes(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', 2 ** 30],
    ['MiB', 2 ** 20],
    ['KiB', 2 ** 10],
  ] as const)
    if (bytes >= size && bytes % size === 0) return `${bytes / size} ${unit}`;
  return `${bytes} bytes`;
}
