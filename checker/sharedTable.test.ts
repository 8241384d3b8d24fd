import { describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  const build = (spillDir?: string): { reader: TraceReader; last: number; stores: SharedTraceStore[] } => {
    const reader = new TraceReader(2);
    const stores = [0, 1].map(
      (w) =>
        new SharedTraceStore(
          w,
          2,
          (i, b) => reader.setChunk(w, i, b),
          [],
          0,
          spillDir
            ? { file: join(spillDir, `trace-${w}.bin`), onSpill: (i, where) => reader.setSpilled(w, i, where) }
            : undefined,
        ),
    );
    let g = (stores[0] as SharedTraceStore).append(NO_PARENT_ID, 3);
    // each store gets 100,000 records; actions above 255 appear only in its second chunk
    for (let i = 0; i < 200_000; i++) g = (stores[i % 2] as SharedTraceStore).append(g, action(i));
    return { reader, last: g, stores };
  };
  const action = (i: number): number => (i >= 140_000 && i < 150_000 ? 300 + (i % 1000) : i % 11);

  it('rebuild paths across workers, narrow and widened chunks', () => {
    const { reader, last } = build();
    const path = reader.pathTo(last);
    expect(path.length).toBe(200_001);
    expect(path[0]).toBe(3);
    for (const i of [0, 1, 139_999, 140_000, 145_123, 149_999, 150_000, 199_999]) expect(path[i + 1]).toBe(action(i));
    expect(last % 2).toBe(1);
    // 2 chunks per worker: the first narrow (5 bytes per record), the second widened (6 bytes)
    expect(reader.bytesUsed()).toBe(2 * (5 + 6) * 65_536);
  });
  it('with spill, full chunks live in a file and paths are read back from it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafka-mc-trace-'));
    try {
      const { reader, last, stores } = build(dir);
      expect(reader.bytesUsed()).toBe(2 * 6 * 65_536); // only the chunk being filled stays in memory
      expect(stores.map((s) => s.bytesUsed())).toEqual([6 * 65_536, 6 * 65_536]);
      const path = reader.pathTo(last);
      expect(path.length).toBe(200_001);
      for (const i of [0, 139_999, 140_000, 149_999, 199_999]) expect(path[i + 1]).toBe(action(i));
      expect(reader.chunkBytes(0, 0).byteLength).toBe(5 * 65_536);
      expect(reader.chunkBytes(0, 1).byteLength).toBe(6 * 65_536);
      reader.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
