import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EncodedQueue, EncodedStack, isEncodedFrontier, memoryFrontier, Queue, Stack } from './frontier.js';
import type { Model } from './Model.js';

/** An entry whose encoding is `len` copies of `id`, so a mixed-up entry shows. */
function entry(id: number, len: number): { s: Int32Array; id: number; depth: number } {
  return { s: new Int32Array(len).fill(id), id, depth: id % 7 };
}

function drain(f: EncodedQueue | EncodedStack): { id: number; depth: number; s: number[] }[] {
  const out: { id: number; depth: number; s: number[] }[] = [];
  for (let e = f.pop(); e !== undefined; e = f.pop()) out.push({ id: e.id, depth: e.depth, s: [...e.s] });
  return out;
}

describe('EncodedQueue', () => {
  it('gives entries back first in, first out, across chunk boundaries and with entries larger than a chunk', () => {
    const q = new EncodedQueue();
    // 1 Mi ints per chunk: 300 entries of 10,000 ints fill three chunks; one entry of 2 Mi ints gets its own.
    const lens = [...Array.from({ length: 300 }, () => 10_000), 2_100_000, 5, 0, 7];
    lens.forEach((len, id) => q.push(entry(id, len)));
    expect(q.size).toBe(lens.length);
    const out = drain(q);
    expect(out.map((e) => e.id)).toEqual(lens.map((_, id) => id));
    out.forEach((e, id) => {
      expect(e.depth).toBe(id % 7);
      expect(e.s.length).toBe(lens[id]);
      expect(e.s.every((x) => x === id)).toBe(true);
    });
    expect(q.size).toBe(0);
    expect(q.pop()).toBeUndefined();
  });

  it('copies from a sink with pushEncoded, taking only its first len ints', () => {
    const q = new EncodedQueue();
    q.pushEncoded(Int32Array.of(4, 5, 6, 99, 99), 3, 11, 2);
    expect(drain(q)).toEqual([{ id: 11, depth: 2, s: [4, 5, 6] }]);
  });

  it('refuses an entry that is not encoded', () => {
    expect(() => new EncodedQueue().push({ s: { a: 1 }, id: 0, depth: 0 })).toThrow(/encoded states only/);
  });
});

describe('EncodedStack', () => {
  it('gives entries back last in, first out, across chunk boundaries', () => {
    const st = new EncodedStack();
    const lens = [...Array.from({ length: 250 }, () => 9_000), 1_500_000, 3];
    lens.forEach((len, id) => st.push(entry(id, len)));
    const out = drain(st);
    expect(out.map((e) => e.id)).toEqual(lens.map((_, id) => id).reverse());
    out.forEach((e) => expect(e.s.length === lens[e.id] && e.s.every((x) => x === e.id)).toBe(true));
  });
});

describe('the encoded frontiers behave as Queue and Stack', () => {
  it('on any interleaving of pushes and pops (fast-check, seed pinned)', () => {
    const op = fc.oneof(
      fc.constant<'pop'>('pop'),
      fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 200_000, max: 600_000 })),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const pairs = [
          [new EncodedQueue(), new Queue<{ s: Int32Array; id: number; depth: number }>()],
          [new EncodedStack(), new Stack<{ s: Int32Array; id: number; depth: number }>()],
        ] as const;
        for (const [enc, ref] of pairs) {
          let id = 0;
          for (const o of ops) {
            if (o === 'pop') {
              const a = enc.pop();
              const b = ref.pop();
              expect(a?.id).toBe(b?.id);
              expect(a?.depth).toBe(b?.depth);
              expect(a?.s.length).toBe(b?.s.length);
              if (a) expect(a.s[0] === a.id && a.s[a.s.length - 1] === a.id).toBe(a.s.length > 0);
            } else {
              const e = entry(id++, o);
              enc.push(e);
              ref.push(e);
            }
            expect(enc.size).toBe(ref.size);
          }
        }
      }),
      { seed: 20261205, numRuns: 40 },
    );
  });
});

describe('memoryFrontier', () => {
  const base = { name: 't', initStates: () => [0], actions: () => [], next: () => undefined, encode: () => {} };
  it('keeps encodings in an arena only when the model decodes', () => {
    const decoding: Model<unknown, unknown> = { ...base, decode: (x) => x };
    expect(memoryFrontier(decoding, 'bfs')).toBeInstanceOf(EncodedQueue);
    expect(memoryFrontier(decoding, 'dfs')).toBeInstanceOf(EncodedStack);
    expect(memoryFrontier(base, 'bfs')).toBeInstanceOf(Queue);
    expect(memoryFrontier(base, 'dfs')).toBeInstanceOf(Stack);
    expect(isEncodedFrontier(memoryFrontier(base, 'bfs'))).toBe(false);
  });
});
