import { describe, expect, it } from 'vitest';
import { explore } from './builder.js';
import { check } from './search.js';
import { twoPhaseModel, twoPhaseConsistent } from './testing/twoPhase.js';
import { dieHardSpec, twoPhaseSpec } from './testing/specs.js';

describe('explore(model): one way into every engine', () => {
  const { model, properties } = twoPhaseSpec(3);

  it('picks the engine from the parts asked for', () => {
    const e = explore(model, properties);
    expect(e.engine()).toBe('check');
    expect(e.dfs().engine()).toBe('check');
    expect(e.spill().engine()).toBe('check');
    expect(e.swarm(0, 4).engine()).toBe('swarm');
    expect(e.workers(2).engine()).toBe('parallel');
    expect(e.checkpoint('/tmp/x').engine()).toBe('parallel');
    expect(e.liveness().engine()).toBe('liveness');
  });

  it('is immutable: a call returns a new builder', () => {
    const e = explore(model, properties);
    e.workers(2);
    expect(e.engine()).toBe('check');
  });

  it('refuses combinations no engine runs, saying why', () => {
    const e = explore(model, properties);
    expect(() => e.dfs().workers(2).engine()).toThrow(/the parallel engine is breadth-first/);
    expect(() => e.liveness().workers(2).engine()).toThrow(/liveness keeps the whole state graph/);
    expect(() => e.swarm(0, 2).workers(2).engine()).toThrow(/a swarm shard is a bounded depth-first search/);
    expect(() => e.dfs().spill().engine()).toThrow(/spilling applies to breadth-first/);
    expect(() => e.workers(0)).toThrow(/workers must be a positive integer, got 0/);
  });

  it('runs check with the bounds given (the same numbers as calling check)', async () => {
    const r = await explore(model, properties).bounds({ maxStates: 50 }).run();
    const direct = check(model, properties, { maxStates: 50 });
    expect(r.stats.distinct).toBe(50);
    expect(r.kind).toBe('incomplete');
    expect(r.stats.generated).toBe(direct.stats.generated);
  });

  it('bitstate(): a bit array on BFS, DFS and swarm shards (288 states of TwoPhase(3), never ok); not on workers or liveness', async () => {
    for (const e of [
      explore(model, properties),
      explore(model, properties).dfs(),
      explore(model, properties).swarm(1, 2),
    ]) {
      const r = await e.bitstate(2 ** 16, 2).run();
      expect(r.kind === 'incomplete' && r.reasons).toEqual(['bitstate']);
      expect(r.stats.distinct).toBe(288);
      expect(r.stats.bitstate?.hashes).toBe(2);
    }
    expect(() =>
      explore(model, properties)
        .bitstate(2 ** 16)
        .workers(2)
        .engine(),
    ).toThrow(/bitstate runs on the single-threaded engines/);
    expect(() =>
      explore(model, properties)
        .bitstate(2 ** 16)
        .liveness()
        .engine(),
    ).toThrow(/keeps no graph/);
  });

  it('merges bounds over earlier ones', async () => {
    const r = await explore(model, properties).bounds({ maxStates: 10 }).bounds({ maxDepth: 100 }).run();
    expect(r.stats.distinct).toBe(10);
  });

  it('runs the parallel engine on the model itself, checking only the properties given', async () => {
    const { model: jugs, properties: notFour } = dieHardSpec();
    const r = await explore(jugs, notFour).workers(2).run();
    expect(r.kind).toBe('violation');
    expect(r.outcomes.map((o) => [o.id, o.status, o.path?.length])).toEqual([['big-not-4', 'violated', 7]]);
    const none = await explore(model, []).workers(1).run();
    expect(none.kind).toBe('ok');
    expect(none.outcomes).toEqual([]);
    expect(none.stats.distinct).toBe(288);
  });

  it('a model without origin cannot go to workers, and the error says what to add', async () => {
    await expect(explore(twoPhaseModel(3), [twoPhaseConsistent]).workers(2).run()).rejects.toThrow(
      /model "two-phase-commit\(3\)" has no `origin`; worker threads rebuild the model from a module and factory/,
    );
  });
});
