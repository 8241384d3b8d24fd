import { it } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import fc from 'fast-check';
import { FingerprintSet, TraceStore, NO_PARENT } from './visited.js';
import { Queue } from './frontier.js';

describe('FingerprintSet', () => {
  it.prop([fc.array(fc.tuple(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 50 })), { maxLength: 3000 })], {
    seed: 1,
    numRuns: 50,
  })('behaves as a set of (hi, lo) pairs across rehashes', (pairs) => {
    const set = new FingerprintSet(1);
    const ref = new Set<string>();
    for (const [h, l] of pairs) {
      expect(set.add(h, l)).toBe(!ref.has(`${h},${l}`));
      ref.add(`${h},${l}`);
    }
    expect(set.size).toBe(ref.size);
    for (const [h, l] of pairs) expect(set.has(h, l)).toBe(true);
    expect(set.has(99, 99)).toBe(false);
  });
  it('grows by 1.5× at 90 % load, so the load stays between 60 % and 90 % (≤ 13.4 bytes per key)', () => {
    const set = new FingerprintSet(1);
    for (let i = 1; i <= 300_000; i++) {
      set.add(i, Math.imul(i, 2654435761) >>> 0);
      if (i > 1024 && i % 997 === 0) {
        expect(set.size / set.capacity).toBeLessThanOrEqual(0.9);
        expect(set.size / set.capacity).toBeGreaterThanOrEqual(0.59);
        expect(set.bytesUsed() / set.size).toBeLessThan(13.6);
      }
    }
    expect(set.size).toBe(300_000);
    for (let i = 1; i <= 300_000; i += 101) expect(set.has(i, Math.imul(i, 2654435761) >>> 0)).toBe(true);
  });
  it('rejects a load or growth that cannot work', () => {
    expect(() => new FingerprintSet(10, 1)).toThrow(/maxLoad must be in \(0, 1\)/);
    expect(() => new FingerprintSet(10, 0.9, 1)).toThrow(/growth must exceed 1/);
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

describe('TraceStore spilled to disk', () => {
  it('keeps the first chunks in memory, moves later full chunks to a file, reads them back, and removes the file', async () => {
    const { existsSync, readdirSync } = await import('node:fs');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'trace-spill-test-'));
    try {
      const t = new TraceStore({ spillAfter: 1, dir });
      let prev = t.append(NO_PARENT, 4);
      for (let i = 1; i < 5 * 65_536; i++) prev = t.append(prev, i === 200_000 ? 40_000 : i % 250);
      // chunks 0 and 4 (the one being filled) stay; 1-3 were written out, chunk 3 widened to 16 bits first
      expect(t.bytesUsed()).toBe(2 * 65_536 * 5);
      expect(t.bytesOnDisk()).toBe(3 * 65_536 * 5 + 65_536);
      expect(readdirSync(dir)).toHaveLength(1);
      expect(t.actionOf(200_000)).toBe(40_000);
      expect(t.actionOf(70_000)).toBe(70_000 % 250);
      expect(t.parentOf(150_000)).toBe(149_999);
      const path = t.pathTo(prev);
      expect(path).toHaveLength(5 * 65_536);
      expect(path[0]).toBe(4);
      expect(path[200_000]).toBe(40_000);
      expect(path[131_073]).toBe(131_073 % 250);
      t.close();
      expect(readdirSync(dir)).toHaveLength(0);
      expect(existsSync(dir)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
