/**
 * Bounds that cut a pass (issue 22): a model with `actionsCut` reports, per bound, the expanded states
 * in which the bound disabled an otherwise enabled action, with a shortest path to one of them; every
 * exhaustive engine reports the same counts, and a model without `actionsCut` reports none.
 */
import { describe, expect, it } from 'vitest';
import { explore } from './builder.js';
import { CutTally } from './findings.js';
import { boundedCounterSpec, twoPhaseSpec } from './testing/specs.js';

describe('bound cuts', () => {
  const { model, properties } = boundedCounterSpec(4);
  const expected = [{ bound: 'limit', states: 1, path: [0, 0, 0, 0, 0] }];

  it('check (BFS) reports the one state the bound cut, with its shortest path', async () => {
    const r = await explore(model, properties).run();
    expect(r.kind).toBe('ok');
    expect(r.stats.distinct).toBe(5);
    expect(r.stats.cuts).toEqual(expected);
  });

  it('every engine counts the same cuts', async () => {
    const runs = await Promise.all([
      explore(model, properties).dfs().run(),
      explore(model, properties).liveness().run(),
      explore(model, properties).workers(2).run(),
      explore(model, properties).spill().run(),
    ]);
    for (const r of runs) expect(r.stats.cuts).toEqual(expected);
  });

  it('a state never expanded (depth bound) is not counted as cut', async () => {
    const r = await explore(model, properties).bounds({ maxDepth: 4 }).run();
    expect(r.kind).toBe('incomplete');
    expect(r.stats.cuts).toBeUndefined();
  });

  it('a model without actionsCut reports no cuts', async () => {
    const { model: tp, properties: tps } = twoPhaseSpec(3);
    expect((await explore(tp, tps).run()).stats.cuts).toBeUndefined();
  });

  it('the tally keeps the smallest key per bound and merges counts', () => {
    const a = new CutTally();
    a.note(0b101, 7, 30);
    a.note(0b001, 3, 10);
    const b = new CutTally();
    b.note(0b100, 9, 5);
    a.merge(b);
    expect(a.counts).toEqual([2, 0, 2]);
    expect(a.report(['x', 'y', 'z'], (id) => [id])).toEqual([
      { bound: 'x', states: 2, path: [3] },
      { bound: 'z', states: 2, path: [9] },
    ]);
  });
});
