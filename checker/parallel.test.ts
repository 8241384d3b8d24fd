import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { checkParallel, type ModelSpec } from './parallel.js';
import { check } from './search.js';
import { replayPath } from './Path.js';
import { dieHardModel } from './testing/dieHard.js';
import { twoPhaseModel, twoPhaseAllCommit, twoPhaseConsistent } from './testing/twoPhase.js';
import { always } from './Property.js';

// Workers load the compiled factories (`npm test` builds dist/ first).
const specs = fileURLToPath(new URL('../dist/checker/testing/specs.js', import.meta.url));
const spec = (name: string, arg?: unknown): ModelSpec => ({ module: specs, export: name, arg });

describe('parallel BFS: exactly the distinct-state counts of check() (and TLC)', () => {
  for (const [n, count, workers] of [
    [3, 288, 2],
    [5, 8_832, 1],
    [5, 8_832, 2],
    [5, 8_832, 3],
    [7, 296_448, 2],
  ] as const) {
    it(`two-phase commit, ${n} RMs, ${workers} worker(s): ${count} states`, async () => {
      const r = await checkParallel(spec('twoPhaseSpec', n), { workers });
      expect(r.kind).toBe('ok');
      expect(r.stats.distinct).toBe(count);
      const single = check(twoPhaseModel(n), [twoPhaseConsistent, twoPhaseAllCommit]);
      expect(r.stats.generated).toBe(single.stats.generated);
      expect(r.stats.maxDepth).toBe(single.stats.maxDepth);
      expect(r.outcomes.map((o) => [o.id, o.status])).toEqual([
        ['consistent', 'holds'],
        ['all-commit', 'found'],
      ]);
      // the example of the guard is a shortest one, as with single-threaded BFS
      expect(r.outcomes[1]?.path?.length).toBe(single.outcomes[1]?.path?.length);
    });
  }
  it('grows the shared table from a tiny start without losing or duplicating states', async () => {
    const r = await checkParallel(spec('twoPhaseSpec', 6), {
      workers: 2,
      expectedStates: 100,
      maxLoad: 0.5,
      growth: 1.25,
    });
    expect(r.kind).toBe('ok');
    expect(r.stats.distinct).toBe(check(twoPhaseModel(6), []).stats.distinct);
  });
});

describe('parallel BFS with levels spilled to disk', () => {
  it('gives the same counts and removes its files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafka-mc-spill-test-'));
    try {
      const r = await checkParallel(spec('twoPhaseSpec', 5), {
        workers: 2,
        spill: { dir, segmentSize: 64, memorySegments: 1 },
      });
      expect(r.kind).toBe('ok');
      expect(r.stats.distinct).toBe(8_832);
      expect(r.stats.generated).toBe(check(twoPhaseModel(5), []).stats.generated);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('reads counterexamples back from spilled trace chunks', async () => {
    const r = await checkParallel(spec('twoPhaseNoCommitSpec', 7), {
      workers: 2,
      stopOnViolation: false,
      spill: { segmentSize: 4096, memorySegments: 1 },
    });
    expect(r.kind).toBe('violation');
    expect(r.stats.distinct).toBe(296_448);
    if (r.kind !== 'violation') return;
    const replay = replayPath(twoPhaseModel(7), r.violation.path ?? []);
    expect(replay.ok && replay.value.states.at(-1)?.rm.includes(2)).toBe(true);
  });
  it('still finds the 6-step Die Hard solution', async () => {
    const r = await checkParallel(spec('dieHardSpec'), { workers: 2, spill: { segmentSize: 2, memorySegments: 0 } });
    expect(r.kind).toBe('violation');
    if (r.kind === 'violation') expect((r.violation.path ?? []).length - 1).toBe(6);
  });
});

describe('parallel BFS: shortest counterexamples', () => {
  it('Die Hard: a 6-step solution that replays to 4 gallons', async () => {
    const r = await checkParallel(spec('dieHardSpec'), { workers: 2 });
    expect(r.kind).toBe('violation');
    if (r.kind !== 'violation') return;
    expect(r.violation.id).toBe('big-not-4');
    const path = r.violation.path ?? [];
    expect(path.length - 1).toBe(6);
    const replay = replayPath(dieHardModel, path);
    expect(replay.ok && replay.value.states.at(-1)?.big).toBe(4);
  });
  it('two-phase commit "nobody commits": same length as check(), and it replays', async () => {
    const r = await checkParallel(spec('twoPhaseNoCommitSpec', 4), { workers: 2 });
    const single = check(twoPhaseModel(4), [always('no-commit', 'x', (s) => !s.rm.includes(2))]);
    expect(r.kind).toBe('violation');
    if (r.kind !== 'violation' || single.kind !== 'violation') return;
    expect(r.violation.path?.length).toBe(single.violation.path?.length);
    const replay = replayPath(twoPhaseModel(4), r.violation.path ?? []);
    expect(replay.ok && replay.value.states.at(-1)?.rm.includes(2)).toBe(true);
  });
  it('with stopOnViolation: false explores everything and reports the counts of check()', async () => {
    const r = await checkParallel(spec('twoPhaseNoCommitSpec', 5), { workers: 2, stopOnViolation: false });
    expect(r.kind).toBe('violation');
    expect(r.stats.distinct).toBe(8_832);
  });
  it('deadlock detection reports a state without successors', async () => {
    const r = await checkParallel(spec('twoPhaseSpec', 2), { workers: 2, deadlock: true });
    expect(r.kind).toBe('violation');
    if (r.kind === 'violation') expect(r.violation.id).toBe('deadlock-free');
  });
});

describe('parallel BFS: bounds are incomplete, never ok', () => {
  it('max depth', async () => {
    const r = await checkParallel(spec('twoPhaseSpec', 3), { workers: 2, maxDepth: 3 });
    const single = check(twoPhaseModel(3), [twoPhaseConsistent, twoPhaseAllCommit], { maxDepth: 3 });
    expect(r.kind).toBe('incomplete');
    if (r.kind === 'incomplete') expect(r.reasons).toContain('max-depth');
    expect(r.stats.distinct).toBe(single.stats.distinct);
    expect(r.outcomes.map((o) => o.status)).toEqual(['unknown', 'unknown']);
  });
  it('max states', async () => {
    const r = await checkParallel(spec('twoPhaseSpec', 5), { workers: 2, maxStates: 100 });
    expect(r.kind).toBe('incomplete');
    if (r.kind === 'incomplete') expect(r.reasons).toEqual(['max-states']);
  });
  it('a state constraint', async () => {
    const r = await checkParallel(spec('twoPhaseConstrainedSpec', 4), { workers: 2 });
    const single = check({ ...twoPhaseModel(4), withinBoundary: (s) => s.tm !== 2 }, [twoPhaseConsistent]);
    expect(r.kind).toBe('incomplete');
    if (r.kind === 'incomplete') expect(r.reasons).toEqual(['state-constraint']);
    expect(r.stats.distinct).toBe(single.stats.distinct);
    expect(r.stats.generated).toBe(single.stats.generated);
  });
  it('an aborted signal', async () => {
    const ac = new AbortController();
    ac.abort();
    const r = await checkParallel(spec('slowTwoPhaseSpec', { n: 5, spinMicros: 200 }), {
      workers: 2,
      signal: ac.signal,
    });
    expect(r.kind).toBe('incomplete');
    if (r.kind === 'incomplete') expect(r.reasons).toEqual(['interrupted']);
    expect(r.stats.distinct).toBeLessThan(8_832);
  });
});

describe('parallel BFS: errors are results, never hangs', () => {
  it('a throwing model', async () => {
    const r = await checkParallel(spec('throwingSpec', { n: 4, prepared: 2 }), { workers: 2 });
    expect(r.kind).toBe('error');
    if (r.kind === 'error') expect(r.message).toMatch(/boom: the model threw on purpose/);
  });
  it('states that do not survive structured cloning', async () => {
    const r = await checkParallel(spec('classStateSpec'), { workers: 2 });
    expect(r.kind).toBe('error');
    if (r.kind === 'error') expect(r.message).toMatch(/states must be plain data/);
  });
  it('a spec with a path relative to the working directory, and one naming a missing module', async () => {
    const rel = relative(process.cwd(), specs);
    const r = await checkParallel({ module: `./${rel}`, export: 'twoPhaseSpec', arg: 3 }, { workers: 1 });
    expect(r.stats.distinct).toBe(288);
    const bad = await checkParallel({ module: './no/such/module.js', export: 'x' }, { workers: 1 });
    expect(bad.kind).toBe('error');
    if (bad.kind === 'error') expect(bad.message).toMatch(/Cannot find module/);
  });
  it('a spec naming a missing export', async () => {
    const r = await checkParallel(spec('noSuchFactory'), { workers: 2 });
    expect(r.kind).toBe('error');
    if (r.kind === 'error') expect(r.message).toMatch(/no exported function "noSuchFactory"/);
  });
  it('a worker thread that exits', async () => {
    const r = await checkParallel(spec('exitingSpec'), { workers: 2 });
    expect(r.kind).toBe('error');
    if (r.kind === 'error') expect(r.message).toMatch(/exited unexpectedly \(exit code 3\)/);
  });
  it('a model stuck in an infinite loop, with a time limit', async () => {
    const r = await checkParallel(spec('stuckSpec'), { workers: 2, timeLimitMs: 600, stopGraceMs: 300 });
    expect(r.kind).toBe('error');
    if (r.kind === 'error') expect(r.message).toMatch(/did not stop within 300 ms/);
  });
});
