import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FingerprintSet, TraceStore, NO_PARENT } from './visited.js';
import { Queue } from './frontier.js';

describe('FingerprintSet', () => {
  it('behaves as a set of (hi, lo) pairs across rehashes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 50 })), { maxLength: 3000 }),
        (pairs) => {
          const set = new FingerprintSet(1);
          const ref = new Set<string>();
          for (const [h, l] of pairs) {
            expect(set.add(h, l)).toBe(!ref.has(`${h},${l}`));
            ref.add(`${h},${l}`);
          }
          expect(set.size).toBe(ref.size);
          for (const [h, l] of pairs) expect(set.has(h, l)).toBe(true);
          expect(set.has(99, 99)).toBe(false);
        },
      ),
      { seed: 1, numRuns: 50 },
    );
  });
  it('grows and keeps load ≤ 75 %', () => {
    const set = new FingerprintSet(1);
    for (let i = 1; i <= 100_000; i++) set.add(i, Math.imul(i, 2654435761) >>> 0);
    expect(set.size).toBe(100_000);
    expect(set.size / set.capacity).toBeLessThanOrEqual(0.75);
  });
});

describe('TraceStore', () => {
  it('rebuilds paths through parents across chunks', () => {
    const t = new TraceStore();
    let prev = t.append(NO_PARENT, 2);
    for (let i = 0; i < 70_000; i++) prev = t.append(prev, i % 7);
    const path = t.pathTo(prev);
    expect(path.length).toBe(70_001);
    expect(path[0]).toBe(2);
    expect(path[70_000]).toBe(69_999 % 7);
  });
});

describe('TraceStore action width', () => {
  it('stores 8-bit actions in 5 bytes per record and widens a chunk for larger indices', () => {
    const t = new TraceStore();
    let prev = t.append(NO_PARENT, 0);
    for (let i = 1; i < 70_000; i++) prev = t.append(prev, i % 200);
    expect(t.bytesUsed()).toBe(2 * 65_536 * 5);
    const wideId = t.append(prev, 40_000);
    expect(t.bytesUsed()).toBe(65_536 * 5 + 65_536 * 6);
    expect(t.actionOf(wideId)).toBe(40_000);
    expect(t.actionOf(69_999)).toBe(69_999 % 200);
    expect(t.actionOf(65_537)).toBe(65_537 % 200);
    expect(t.pathTo(wideId).slice(-3)).toEqual([69_998 % 200, 69_999 % 200, 40_000]);
  });
});

describe('Queue', () => {
  it('is FIFO across segments', () => {
    const q = new Queue<number>();
    for (let i = 0; i < 10_000; i++) q.push(i);
    for (let i = 0; i < 5_000; i++) expect(q.pop()).toBe(i);
    for (let i = 10_000; i < 12_000; i++) q.push(i);
    for (let i = 5_000; i < 12_000; i++) expect(q.pop()).toBe(i);
    expect(q.pop()).toBeUndefined();
    expect(q.size).toBe(0);
  });
});
