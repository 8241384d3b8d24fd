import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from './search.js';
import { replayPath, formatPath, parsePath } from './Path.js';
import { twoPhaseModel, twoPhaseConsistent, twoPhaseAllCommit } from './testing/twoPhase.js';
import { dieHardModel, notFour } from './testing/dieHard.js';
import { always, sometimes } from './Property.js';

describe('exhaustive search: two-phase commit state counts (as TLC and Stateright report)', () => {
  for (const strategy of ['bfs', 'dfs'] as const) {
    it(`3 RMs: 288 distinct states (${strategy})`, () => {
      const r = check(twoPhaseModel(3), [twoPhaseConsistent, twoPhaseAllCommit], { strategy });
      expect(r.kind).toBe('ok');
      expect(r.stats.distinct).toBe(288);
    });
    it(`5 RMs: 8,832 distinct states (${strategy})`, () => {
      const r = check(twoPhaseModel(5), [twoPhaseConsistent, twoPhaseAllCommit], { strategy });
      expect(r.kind).toBe('ok');
      expect(r.stats.distinct).toBe(8832);
    });
  }
  it('reports generated ≥ distinct, depth and a tiny collision probability', () => {
    const r = check(twoPhaseModel(3), [twoPhaseConsistent], {});
    expect(r.stats.generated).toBeGreaterThan(r.stats.distinct);
    expect(r.stats.maxDepth).toBe(10); // TLC prints 11: it counts the initial state as depth 1
    expect(r.stats.collisionProbability).toBeLessThan(1e-12);
  });
});

describe('Die Hard jugs', () => {
  it('BFS finds the 6-step shortest solution, exactly', () => {
    const r = check(dieHardModel, [notFour], { strategy: 'bfs' });
    expect(r.kind).toBe('violation');
    if (r.kind !== 'violation') return;
    expect(r.violation.id).toBe('big-not-4');
    const path = r.violation.path ?? [];
    expect(path.length - 1).toBe(6);
    const replay = replayPath(dieHardModel, path);
    expect(replay.ok).toBe(true);
    if (!replay.ok) return;
    expect(replay.value.actions).toEqual([
      'FillBig',
      'BigToSmall',
      'EmptySmall',
      'BigToSmall',
      'FillBig',
      'BigToSmall',
    ]);
    expect(replay.value.states.at(-1)).toEqual({ small: 3, big: 4 });
    expect(formatPath(path)).toBe('0/1/5/2/5/1/5');
  });
  it('DFS also finds a solution (not necessarily the shortest)', () => {
    const r = check(dieHardModel, [notFour], { strategy: 'dfs' });
    expect(r.kind).toBe('violation');
  });
});

describe('vacuity and bounds', () => {
  it('an unreachable sometimes property fails as vacuous', () => {
    const r = check(dieHardModel, [sometimes('big-6', 'The big jug holds 6 gallons', (s) => s.big === 6)], {});
    expect(r.kind).toBe('violation');
    if (r.kind !== 'violation') return;
    expect(r.violation.status).toBe('vacuous');
    expect(r.stats.distinct).toBe(16);
  });
  it('a reachable sometimes property is found with a path', () => {
    const r = check(dieHardModel, [sometimes('big-4', 'The big jug holds 4 gallons', (s) => s.big === 4)], {});
    expect(r.kind).toBe('ok');
    expect(r.outcomes[0]?.status).toBe('found');
    expect((r.outcomes[0]?.path ?? []).length).toBe(7);
  });
  it('max depth hit → incomplete, never ok', () => {
    const r = check(twoPhaseModel(3), [twoPhaseConsistent], { maxDepth: 3 });
    expect(r.kind).toBe('incomplete');
    if (r.kind === 'incomplete') expect(r.reasons).toContain('max-depth');
    expect(r.outcomes[0]?.status).toBe('unknown');
  });
  it('max states hit → incomplete', () => {
    const r = check(twoPhaseModel(5), [twoPhaseConsistent], { maxStates: 100 });
    expect(r.kind).toBe('incomplete');
    if (r.kind === 'incomplete') expect(r.reasons).toEqual(['max-states']);
  });
  it('state constraint prunes → incomplete', () => {
    const m = { ...twoPhaseModel(3), withinBoundary: (s: { tm: number }) => s.tm !== 2 };
    const r = check(m, [twoPhaseConsistent], {});
    expect(r.kind).toBe('incomplete');
    if (r.kind === 'incomplete') expect(r.reasons).toEqual(['state-constraint']);
  });
  it('time limit and abort signal → incomplete', () => {
    const ac = new AbortController();
    ac.abort();
    const r = check(twoPhaseModel(6), [twoPhaseConsistent], { signal: ac.signal });
    expect(r.kind).toBe('incomplete');
    if (r.kind === 'incomplete') expect(r.reasons).toEqual(['interrupted']);
  });
  it('a vacuous guard under a bound is unknown, not vacuous', () => {
    const r = check(dieHardModel, [sometimes('big-6', 'never', (s) => s.big === 6)], { maxDepth: 2 });
    expect(r.kind).toBe('incomplete');
    expect(r.outcomes[0]?.status).toBe('unknown');
  });
  it('continues past a violation when asked and records one per property', () => {
    const r = check(dieHardModel, [notFour, always('small-not-1', 'small never 1', (s) => s.small !== 1)], {
      stopOnViolation: false,
    });
    expect(r.kind).toBe('violation');
    expect(r.outcomes.map((o) => o.status)).toEqual(['violated', 'violated']);
    expect(r.stats.distinct).toBe(16);
  });
  it('deadlock detection reports a state without successors', () => {
    const m = twoPhaseModel(2);
    const r = check(m, [], { deadlock: true });
    expect(r.kind).toBe('violation');
    if (r.kind === 'violation') expect(r.violation.id).toBe('deadlock-free');
  });
});

describe('paths', () => {
  it('encode/decode round-trip', () => {
    const p = parsePath('0/3/1/4');
    expect(p).toEqual({ ok: true, value: [0, 3, 1, 4] });
    if (p.ok) expect(formatPath(p.value)).toBe('0/3/1/4');
    expect(parsePath('0/x')).toEqual({ ok: false, error: 'path component 2 ("x") is not a non-negative integer' });
    expect(parsePath('').ok).toBe(false);
  });
  it('replay rejects an out-of-range action with a clear message', () => {
    const r = replayPath(dieHardModel, [0, 9]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/action index 9 is out of range: the state has 6 enabled action/);
  });
  it('replay detects a nondeterministic model and explains the cause', () => {
    let calls = 0;
    const flaky = {
      ...dieHardModel,
      next: (s: { small: number; big: number }) => ({ small: s.small, big: calls++ % 5 }),
    };
    const r = replayPath(flaky, [0, 0, 0]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/nondeterministic .*Math\.random/);
  });
  it('replay detects a model that mutates its input', () => {
    const mutating = {
      ...dieHardModel,
      next: (s: { small: number; big: number }) => {
        (s as { big: number }).big++;
        return { ...s };
      },
    };
    const r = replayPath(mutating, [0, 0]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/mutated its input state/);
  });
  it('every counterexample path found by search replays to a violating state', () => {
    const r = check(twoPhaseModel(3), [always('no-commit', 'nobody commits', (s) => !s.rm.includes(2))], {});
    expect(r.kind).toBe('violation');
    if (r.kind !== 'violation') return;
    const replay = replayPath(twoPhaseModel(3), r.violation.path ?? []);
    expect(replay.ok && replay.value.states.at(-1)?.rm.includes(2)).toBe(true);
  });
});

describe('frontier spill (check({ frontierSpill }))', () => {
  it('queues most of the BFS frontier in a file, visits the same states, finds the same path, and removes the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafka-mc-spill-test-'));
    try {
      let sawFile = false;
      // a guard whose predicate looks at the spill directory while the search runs
      const watch = sometimes('spill-file-exists', 'the frontier file exists', () => {
        sawFile ||= readdirSync(dir).some((d) => d.startsWith('kafka-mc-frontier-'));
        return false;
      });
      const plain = check(twoPhaseModel(5), [twoPhaseConsistent, twoPhaseAllCommit], {});
      const spilled = check(twoPhaseModel(5), [twoPhaseConsistent, twoPhaseAllCommit, watch], {
        frontierSpill: { dir, segmentSize: 64, memorySegments: 1 },
      });
      expect(spilled.stats.distinct).toBe(8832);
      expect(spilled.stats.generated).toBe(plain.stats.generated);
      expect(spilled.stats.maxDepth).toBe(plain.stats.maxDepth);
      expect(sawFile).toBe(true);
      expect(readdirSync(dir)).toEqual([]);
      // shortest counterexamples are unchanged
      const a = check(dieHardModel, [notFour], {});
      const b = check(dieHardModel, [notFour], { frontierSpill: { dir, segmentSize: 2, memorySegments: 0 } });
      expect(b.kind === 'violation' && b.violation.path).toEqual(a.kind === 'violation' && a.violation.path);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is for breadth-first search: with dfs it is an error naming the fix', () => {
    expect(() => check(dieHardModel, [notFour], { strategy: 'dfs', frontierSpill: {} })).toThrow(
      /frontierSpill applies to breadth-first search/,
    );
  });
});
