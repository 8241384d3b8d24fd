import { describe, expect, it } from 'vitest';
import { shardActionOrder, shardParams, swarmShard } from './swarm.js';
import { mergeResults, parseCheckResult } from './merge.js';
import { check } from './search.js';
import { replayPath, formatPath } from './Path.js';
import { sometimes } from './Property.js';
import type { CheckResult } from './result.js';
import { dieHardModel, notFour } from './testing/dieHard.js';
import { twoPhaseModel, twoPhaseConsistent, twoPhaseAllCommit } from './testing/twoPhase.js';

describe('swarm shards', () => {
  it('derive distinct hash and order seeds; shard 0 is the plain search', () => {
    expect(shardParams(7, 0)).toEqual({ hashSeed: 7, orderSeed: 0 });
    const seeds = new Set(Array.from({ length: 50 }, (_, i) => shardParams(7, i).hashSeed));
    expect(seeds.size).toBe(50);
    expect(shardParams(7, 3)).toEqual(shardParams(7, 3));
    expect(shardActionOrder(0)).toBeUndefined();
  });
  it('action orders are cached permutations, deterministic per (seed, n, depth)', () => {
    const a = shardActionOrder(12345);
    const b = shardActionOrder(12345);
    if (!a || !b) throw new Error('expected an order');
    for (const [n, d] of [
      [1, 0],
      [7, 3],
      [40, 12],
    ] as const) {
      const p = a(n, d);
      expect([...p].sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, i) => i));
      expect(b(n, d)).toEqual(p);
      expect(a(n, d)).toBe(p);
    }
    expect(a(40, 1)).not.toEqual(a(40, 2));
  });
  it('every shard, whatever its order and hash seed, sees all 8,832 states of two-phase commit (5 RMs)', () => {
    for (let i = 0; i < 4; i++) {
      const r = swarmShard(twoPhaseModel(5), [twoPhaseConsistent, twoPhaseAllCommit], {
        swarm: { index: i, count: 4 },
      });
      expect(r.kind).toBe('ok');
      expect(r.stats.distinct).toBe(8_832);
    }
  });
  it('rejects a bad shard', () => {
    expect(() => swarmShard(dieHardModel, [notFour], { swarm: { index: 4, count: 4 } })).toThrow(/\[0, 4\)/);
  });
  it('depth-bounded shards find different counterexamples; the merge keeps the shortest, which replays', () => {
    const shards = Array.from({ length: 12 }, (_, index) =>
      swarmShard(dieHardModel, [notFour], { swarm: { index, count: 12 }, seed: 42, maxDepth: 9 }),
    );
    const found = shards.filter((r) => r.kind === 'violation');
    expect(found.length).toBeGreaterThan(1);
    const paths = new Set(found.map((r) => (r.kind === 'violation' ? formatPath(r.violation.path ?? []) : '')));
    expect(paths.size).toBeGreaterThan(1);
    const merged = mergeResults(shards.map((r) => JSON.parse(JSON.stringify(r)) as CheckResult));
    expect(merged.kind).toBe('violation');
    if (merged.kind !== 'violation') return;
    const shortest = Math.min(
      ...found.map((r) => (r.kind === 'violation' ? (r.violation.path?.length ?? Infinity) : Infinity)),
    );
    expect(merged.violation.path?.length).toBe(shortest);
    const replay = replayPath(dieHardModel, merged.violation.path ?? []);
    expect(replay.ok && replay.value.states.at(-1)?.big).toBe(4);
  });
});

describe('mergeResults', () => {
  const twoPhase = twoPhaseModel(3);
  it('a complete shard makes the merge complete', () => {
    const bounded = check(twoPhase, [twoPhaseConsistent, twoPhaseAllCommit], { maxDepth: 2 });
    const full = check(twoPhase, [twoPhaseConsistent, twoPhaseAllCommit]);
    expect(bounded.kind).toBe('incomplete');
    const m = mergeResults([bounded, full]);
    expect(m.kind).toBe('ok');
    expect(m.outcomes.map((o) => o.status)).toEqual(['holds', 'found']);
    expect(m.stats.distinct).toBe(288);
    expect(m.stats.generated).toBe(bounded.stats.generated + full.stats.generated);
  });
  it('only bounded shards: incomplete with the union of reasons; a found example survives', () => {
    const a = check(twoPhase, [twoPhaseConsistent, twoPhaseAllCommit], { maxDepth: 3 });
    const b = check(twoPhase, [twoPhaseConsistent, twoPhaseAllCommit], { maxStates: 50, strategy: 'dfs' });
    const m = mergeResults([a, b]);
    expect(m.kind).toBe('incomplete');
    if (m.kind === 'incomplete') expect([...m.reasons].sort()).toEqual(['max-depth', 'max-states']);
    expect(m.outcomes[0]?.status).toBe('unknown');
  });
  it('a shard stopped at its first counterexample leaves the other properties undecided', () => {
    const smallFull = sometimes('small-full', 'small jug full', (s: { small: number }) => s.small === 3);
    const never = sometimes('never', 'never', () => false);
    const stopped = check(dieHardModel, [notFour, never]);
    expect(stopped.kind).toBe('violation');
    const m = mergeResults([stopped, check(dieHardModel, [notFour, never, smallFull], { maxDepth: 2 })]);
    expect(m.kind).toBe('violation');
    if (m.kind === 'violation') expect(m.incomplete).toEqual(['max-depth']);
    expect(m.outcomes.map((o) => o.status)).toEqual(['violated', 'unknown', 'found']);
  });
  it('a vacuous guard needs a complete shard', () => {
    const never = sometimes('never', 'never', () => false);
    const bounded = check(dieHardModel, [never], { maxDepth: 2 });
    expect(mergeResults([bounded]).outcomes[0]?.status).toBe('unknown');
    const m = mergeResults([bounded, check(dieHardModel, [never])]);
    expect(m.kind).toBe('violation');
    expect(m.outcomes[0]?.status).toBe('vacuous');
  });
  it('an errored shard makes the merge an error that names it, keeping found counterexamples', () => {
    const v = check(dieHardModel, [notFour]);
    const err: CheckResult = { kind: 'error', stats: v.stats, outcomes: [], message: 'out of memory' };
    const m = mergeResults([v, err]);
    expect(m.kind).toBe('error');
    if (m.kind === 'error') expect(m.message).toBe('shard 1: out of memory');
    expect(m.outcomes[0]?.status).toBe('violated');
  });
  it('refuses nothing to merge', () => {
    expect(() => mergeResults([])).toThrow(/no results/);
  });
});

describe('parseCheckResult', () => {
  it('round-trips a result written as JSON', () => {
    const r = check(dieHardModel, [notFour]);
    expect(parseCheckResult(JSON.stringify(r))).toEqual({ ok: true, value: JSON.parse(JSON.stringify(r)) });
  });
  it('names what is wrong', () => {
    expect(parseCheckResult('{')).toMatchObject({ ok: false });
    expect(parseCheckResult('{"kind":"nope"}')).toMatchObject({ ok: false, error: expect.stringMatching(/"kind"/) });
    expect(parseCheckResult('{"kind":"ok","stats":{}}')).toMatchObject({
      ok: false,
      error: '"stats.generated" must be a number',
    });
    const r = JSON.parse(JSON.stringify(check(dieHardModel, [notFour]))) as { outcomes: { path: unknown }[] };
    (r.outcomes[0] as { path: unknown }).path = [0, -1];
    expect(parseCheckResult(JSON.stringify(r))).toMatchObject({ ok: false, error: expect.stringMatching(/path/) });
  });
});
