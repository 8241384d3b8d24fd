import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArrayLevel, SpillingLevel, loadLevel, saveLevel, type LevelCursor, type LevelStore } from './levelStore.js';

const drain = (l: LevelStore<{ k: number }>): [number, number, number][] => {
  const out: [number, number, number][] = [];
  const c: LevelCursor<{ k: number }> = { s: { k: -1 }, id: -1, key: -1 };
  while (l.shift(c)) out.push([c.s.k, c.id, c.key]);
  return out;
};

describe('level stores', () => {
  for (const make of [
    () => new ArrayLevel<{ k: number }>(),
    () => new SpillingLevel<{ k: number }>({ segmentSize: 5, memorySegments: 1 }),
  ]) {
    it(`${make().constructor.name}: FIFO, take, and save/load through a file`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'kafka-mc-level-'));
      const a = make();
      const b = make();
      try {
        for (let i = 0; i < 100; i++) a.push({ k: i }, 1000 + i, 2000 + i);
        const given = a.take(10);
        expect(given.states.length).toBe(10);
        expect(given.ids.map((id, i) => id - (given.states[i]?.k ?? 0))).toEqual(Array(10).fill(1000));
        expect(given.keys.map((key, i) => key - (given.states[i]?.k ?? 0))).toEqual(Array(10).fill(2000));
        expect(a.size).toBe(90);
        const c: LevelCursor<{ k: number }> = { s: { k: -1 }, id: -1, key: -1 };
        expect(a.shift(c)).toBe(true);
        saveLevel(a, join(dir, 'level.bin'));
        loadLevel(join(dir, 'level.bin'), b);
        const rest = drain(a);
        expect(rest.length).toBe(89);
        expect(drain(b)).toEqual(rest);
        expect(rest.map(([k, id]) => id - k)).toEqual(Array(89).fill(1000));
        expect(rest.map(([k, , key]) => key - k)).toEqual(Array(89).fill(2000));
        expect(new Set([...rest.map(([k]) => k), ...given.states.map((s) => s.k), c.s.k]).size).toBe(100);
      } finally {
        a.close();
        b.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
