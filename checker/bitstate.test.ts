import { describe, expect, it } from 'vitest';
import { BitStateSet, bitstateEstimate, bitstateProblem } from './bitstate.js';
import { check } from './search.js';
import { FULL, NEW, SEEN } from './visited.js';
import { twoPhaseAllCommit, twoPhaseConsistent, twoPhaseModel, type TwoPhaseState } from './testing/twoPhase.js';
import { always } from './Property.js';
import { fingerprintInto } from './fingerprint.js';

describe('BitStateSet', () => {
  it('a state is new once, then seen; the state bound answers FULL for a new state only', () => {
    const b = new BitStateSet(2 ** 16);
    expect(b.lookup(0x12345678, 0x9abcdef0, Infinity)).toBe(NEW);
    expect(b.lookup(0x12345678, 0x9abcdef0, Infinity)).toBe(SEEN);
    expect(b.lookup(1, 2, 1)).toBe(FULL);
    expect(b.lookup(0x12345678, 0x9abcdef0, 1)).toBe(SEEN);
    expect(b.size).toBe(1);
    const s = b.stats();
    expect(s.bitsSet).toBe(3);
    expect(s.states).toBe(1);
    expect(s.hashFactor).toBe(2 ** 16);
    expect(b.bytesUsed()).toBe(8192);
  });

  it('sets k bits per state: k = 1 on 8,192 bits stores at most 8,192 states, and fills the array', () => {
    const b = new BitStateSet(2 ** 13, 1);
    const fp = { hi: 0, lo: 0 };
    let stored = 0;
    for (let i = 1; i <= 100_000; i++) {
      fingerprintInto(Int32Array.of(i), 1, 0, fp);
      if (b.lookup(fp.hi, fp.lo, Infinity) === NEW) stored++;
    }
    const s = b.stats();
    expect(stored).toBe(s.states);
    expect(s.bitsSet).toBe(s.states); // one new bit per stored state
    expect(s.states).toBe(8192); // 100,000 well-spread fingerprints set every bit
    expect(s.coverage).toBe(0);
  });

  it('estimates (1 − e^(−kn/m))^k and (set/m)^k, and the coverage from the larger', () => {
    const e = bitstateEstimate(1000, 2 ** 16, 3, 2900);
    expect(e.falsePositive).toBeCloseTo((1 - Math.exp(-3000 / 65536)) ** 3, 15);
    expect(e.falsePositive).toBeCloseTo(8.958e-5, 8);
    expect(e.measuredFalsePositive).toBeCloseTo((2900 / 65536) ** 3, 15);
    expect(e.coverage).toBe(1 - e.falsePositive);
    expect(e.hashFactor).toBeCloseTo(65.536, 10);
    expect(bitstateEstimate(0, 2 ** 16, 3, 0)).toEqual({
      hashFactor: Infinity,
      falsePositive: 0,
      measuredFalsePositive: 0,
      coverage: 1,
    });
  });

  it('refuses sizes outside 1 KiB-4 GiB, partial bytes and bits per state outside 1-32', () => {
    expect(bitstateProblem(2 ** 12, 3)).toMatch(/between 2\^13 bits \(1 KiB\) and 2\^35 bits \(4 GiB/);
    expect(bitstateProblem(2 ** 36, 3)).toMatch(/largest typed array node allows/);
    expect(bitstateProblem(2 ** 13 + 4, 3)).toMatch(/whole number of bytes/);
    expect(bitstateProblem(2 ** 13, 0)).toMatch(/from 1 to 32, got 0/);
    expect(bitstateProblem(2 ** 13, 33)).toMatch(/from 1 to 32, got 33/);
    expect(bitstateProblem(2 ** 35, 32)).toBeUndefined();
    expect(() => new BitStateSet(100)).toThrow(/bitstate: the bit array must be a whole number of bytes/);
  });
});

describe('check() with a bit array', () => {
  const props = [twoPhaseConsistent, twoPhaseAllCommit];

  it('a large array stores every state of TwoPhase(5) (8,832, as TLC), yet the run is never ok', () => {
    for (const strategy of ['bfs', 'dfs'] as const) {
      const r = check(twoPhaseModel(5), props, { strategy, bitstate: { bits: 2 ** 20 } });
      expect(r.kind).toBe('incomplete');
      if (r.kind !== 'incomplete') continue;
      expect(r.reasons).toEqual(['bitstate']);
      expect(r.stats.distinct).toBe(8832);
      expect(r.stats.bitstate?.states).toBe(8832);
      // the invariant is undecided (never "holds"); the reachability example is still found
      expect(r.outcomes.map((o) => o.status)).toEqual(['unknown', 'found']);
    }
  });

  it('a 1 KiB array stores fewer states of TwoPhase(7) and says so (pinned)', () => {
    const r = check(twoPhaseModel(7), props, { bitstate: { bits: 2 ** 13 } });
    expect(r.kind).toBe('incomplete');
    const b = r.stats.bitstate;
    expect(b).toBeDefined();
    if (!b) return;
    expect(b.states).toBe(r.stats.distinct);
    expect([b.states, b.bitsSet]).toEqual([5001, 8175]); // of 296,448 reachable (TLC)
    expect(b.coverage).toBeCloseTo(1 - (8175 / 8192) ** 3, 12); // the array is full: 0.6 %
  });

  it('other bounds are reported beside it', () => {
    const r = check(twoPhaseModel(5), props, { bitstate: { bits: 2 ** 20 }, maxDepth: 3 });
    expect(r.kind === 'incomplete' && r.reasons).toEqual(['bitstate', 'max-depth']);
  });

  it('a violation found with a bit array is the one the exhaustive BFS finds', () => {
    const notAllCommitted = always<TwoPhaseState>('not-all-committed', 'some RM has not committed', (s) =>
      s.rm.some((x) => x !== 2),
    );
    const exact = check(twoPhaseModel(5), [notAllCommitted], {});
    const bits = check(twoPhaseModel(5), [notAllCommitted], { bitstate: { bits: 2 ** 16 } });
    expect(exact.kind).toBe('violation');
    expect(bits.kind).toBe('violation');
    if (exact.kind !== 'violation' || bits.kind !== 'violation') return;
    expect(bits.violation.path).toEqual(exact.violation.path);
    expect(bits.incomplete).toEqual(['bitstate']);
  });
});
