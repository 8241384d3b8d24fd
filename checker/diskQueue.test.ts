import { it } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import fc from 'fast-check';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskQueue } from './diskQueue.js';

describe('DiskQueue', () => {
  it.prop([fc.array(fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constant(-1)), { maxLength: 400 })], {
    seed: 7,
    numRuns: 60,
  })('is a FIFO queue under any interleaving of pushes and pops, spilling to disk', (ops) => {
    const q = new DiskQueue<{ v: number; tag: string }>({ segmentSize: 3, memorySegments: 1 });
    const ref: { v: number; tag: string }[] = [];
    try {
      for (const [i, op] of ops.entries()) {
        if (op < 0) expect(q.pop()).toEqual(ref.shift());
        else
          for (let k = 0; k < op % 7; k++) {
            q.push({ v: i * 10 + k, tag: `s${k}` });
            ref.push({ v: i * 10 + k, tag: `s${k}` });
          }
        expect(q.size).toBe(ref.length);
      }
      const seen: { v: number; tag: string }[] = [];
      q.forEachSegment((items) => seen.push(...items));
      expect(seen).toEqual(ref);
      while (ref.length) expect(q.pop()).toEqual(ref.shift());
      expect(q.pop()).toBeUndefined();
    } finally {
      q.close();
    }
  });
  it('keeps only a few segments in memory and deletes its file on close', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafka-mc-dq-'));
    try {
      const q = new DiskQueue<number[]>({ dir, segmentSize: 1000, memorySegments: 2 });
      for (let i = 0; i < 20_000; i++) q.push([i, i * 2]);
      expect(q.spilledSegments).toBe(18); // 20 full segments: the first 2 stay in memory, 18 go to disk
      expect(q.spilledBytes).toBeGreaterThan(18 * 1000 * 2);
      expect(readdirSync(dir).length).toBe(1);
      for (let i = 0; i < 20_000; i++) expect(q.pop()).toEqual([i, i * 2]);
      expect(q.size).toBe(0);
      q.close();
      expect(readdirSync(dir).length).toBe(0);
      expect(existsSync(dir)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
