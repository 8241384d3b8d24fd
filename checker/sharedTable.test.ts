import { describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { SharedFingerprintTable, SharedTraceStore, TraceReader, NO_PARENT_ID } from './sharedTable.js';

const key = (i: number): [number, number] => [
  Math.imul(i, 0x9e3779b1) >>> 0,
  Math.imul(i ^ 0x5bd1e995, 0x85ebca77) >>> 0,
];

describe('SharedFingerprintTable', () => {
  it('is a set of 64-bit pairs (single thread), including pairs with a zero half', () => {
    const t = SharedFingerprintTable.create(SharedFingerprintTable.capacityFor(5000, 0.9));
    for (let i = 0; i < 5000; i++) expect(t.insert(...key(i))).toBe(true);
    for (let i = 0; i < 5000; i++) expect(t.insert(...key(i))).toBe(false);
    expect(t.insert(0, 7)).toBe(true);
    expect(t.insert(7, 0)).toBe(true);
    expect(t.has(0, 7)).toBe(true);
    expect(t.has(8, 8)).toBe(false);
    expect(t.countOccupied()).toBe(5002);
  });
  it('rehashes slices into a bigger table', () => {
    const a = SharedFingerprintTable.create(1000);
    for (let i = 0; i < 800; i++) a.insert(...key(i));
    const b = SharedFingerprintTable.create(1500);
    expect(b.rehashSlice(a, 0, 400) + b.rehashSlice(a, 400, 1000)).toBe(800);
    for (let i = 0; i < 800; i++) expect(b.has(...key(i))).toBe(true);
  });
  it('throws instead of looping when completely full', () => {
    const t = SharedFingerprintTable.create(16);
    for (let i = 0; i < 16; i++) t.insert(...key(i));
    expect(() => t.insert(...key(99))).toThrow(/table full/);
  });
  it('counts each key exactly once when threads insert the same keys concurrently', async () => {
    const n = 200_000;
    const t = SharedFingerprintTable.create(SharedFingerprintTable.capacityFor(n, 0.9));
    const url = new URL('../dist/checker/sharedTable.js', import.meta.url).href;
    const code = `
      const { workerData, parentPort } = require('node:worker_threads');
      import(${JSON.stringify(url)}).then(({ SharedFingerprintTable }) => {
        const t = new SharedFingerprintTable(workerData.buf);
        let fresh = 0;
        const { n, reverse } = workerData;
        for (let k = 0; k < n; k++) {
          const i = reverse ? n - 1 - k : k;
          if (t.insert(Math.imul(i, 0x9e3779b1) >>> 0, Math.imul(i ^ 0x5bd1e995, 0x85ebca77) >>> 0)) fresh++;
        }
        parentPort.postMessage(fresh);
      });`;
    const run = (reverse: boolean): Promise<number> =>
      new Promise((resolve, reject) => {
        const w = new Worker(code, { eval: true, workerData: { buf: t.buffer, n, reverse } });
        w.once('message', (m: number) => {
          resolve(m);
          void w.terminate();
        });
        w.once('error', reject);
      });
    const counts = await Promise.all([run(false), run(true), run(false)]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(n);
    expect(t.countOccupied()).toBe(n);
  });
});

describe('SharedTraceStore and TraceReader', () => {
  it('rebuild paths across workers and chunks from global ids', () => {
    const reader = new TraceReader(2);
    const s0 = new SharedTraceStore(0, 2, (b) => reader.addChunk(0, b));
    const s1 = new SharedTraceStore(1, 2, (b) => reader.addChunk(1, b));
    let g = s0.append(NO_PARENT_ID, 3);
    for (let i = 0; i < 70_000; i++) g = (i % 2 ? s0 : s1).append(g, i % 11);
    const path = reader.pathTo(g);
    expect(path.length).toBe(70_001);
    expect(path[0]).toBe(3);
    expect(path[70_000]).toBe(69_999 % 11);
    expect(g % 2).toBe(0);
  });
});
