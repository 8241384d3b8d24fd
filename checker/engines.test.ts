/**
 * What every engine must agree on: `maxStates: N` visits exactly N distinct states (or all of them, if
 * there are fewer), and the parallel engine reports the very counterexamples and examples of the
 * single-threaded breadth-first search, whatever the number of workers and the timing.
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { checkParallel, type ModelSpec, type ParallelOptions } from './parallel.js';
import { check } from './search.js';
import { checkLiveness } from './liveness.js';
import { swarmShard } from './swarm.js';
import { always, eventually } from './Property.js';
import type { CheckResult } from './result.js';
import { twoPhaseAllCommit, twoPhaseConsistent, twoPhaseModel, type TwoPhaseState } from './testing/twoPhase.js';

// Workers load the compiled factories (`npm test` builds dist/ first).
const specs = fileURLToPath(new URL('../dist/checker/testing/specs.js', import.meta.url));
const spec = (name: string, arg?: unknown): ModelSpec => ({ module: specs, export: name, arg });

/** Every outcome with its status and path: what must be equal between engines. */
const outcomes = (r: CheckResult): [string, string, string | undefined][] =>
  r.outcomes.map((o) => [o.id, o.status, o.path?.join('/')]);

describe('--max-states N: exactly N distinct states in every engine', () => {
  const model = twoPhaseModel(3); // 288 states
  const props = [twoPhaseConsistent, twoPhaseAllCommit];
  const decided = eventually('decided', 'every RM decides', (s: TwoPhaseState) => s.rm.every((x) => x >= 2));
  const engines: [string, (n: number) => CheckResult | Promise<CheckResult>][] = [
    ['check (BFS)', (n) => check(model, props, { maxStates: n })],
    ['check (DFS)', (n) => check(model, props, { maxStates: n, strategy: 'dfs' })],
    ['swarm shard', (n) => swarmShard(model, props, { maxStates: n, swarm: { index: 1, count: 4 }, maxDepth: 100 })],
    ['checkLiveness', (n) => checkLiveness(model, [...props, decided], { maxStates: n })],
    ...[1, 2, 3].map((workers): [string, (n: number) => Promise<CheckResult>] => [
      `checkParallel, ${workers} worker(s)`,
      (n) => checkParallel(spec('twoPhaseSpec', 3), { workers, maxStates: n }),
    ]),
  ];
  for (const [name, run] of engines)
    it(name, async () => {
      for (const n of [1, 2, 7, 100, 287]) {
        const r = await run(n);
        expect(r.stats.distinct, `maxStates ${n}`).toBe(n);
        expect(r.kind, `maxStates ${n}`).toBe('incomplete');
        if (r.kind === 'incomplete') expect(r.reasons).toContain('max-states');
      }
      for (const n of [288, 289, 10_000]) {
        const r = await run(n);
        expect(r.stats.distinct, `maxStates ${n}`).toBe(288);
        expect(r.kind, `maxStates ${n}: all 288 states fit`).not.toBe('incomplete');
      }
    });
});

describe('the parallel engine reports the single-threaded BFS counterexample (ties broken as it breaks them)', () => {
  const cases: [string, ModelSpec, () => CheckResult, ParallelOptions][] = [
    [
      'a violation with many shortest counterexamples (two-phase commit, 4 RMs: who prepares first)',
      spec('twoPhaseNoCommitSpec', 4),
      () => check(twoPhaseModel(4), [always('no-commit', 'No resource manager commits', (s) => !s.rm.includes(2))]),
      {},
    ],
    [
      'examples of a guard and deadlocks (two-phase commit, 4 RMs, every finding recorded)',
      spec('twoPhaseSpec', 4),
      () =>
        check(twoPhaseModel(4), [twoPhaseConsistent, twoPhaseAllCommit], { deadlock: true, stopOnViolation: false }),
      { deadlock: true, stopOnViolation: false },
    ],
    [
      'the first deadlock, stopping there (two-phase commit, 5 RMs)',
      spec('twoPhaseSpec', 5),
      () => check(twoPhaseModel(5), [twoPhaseConsistent, twoPhaseAllCommit], { deadlock: true }),
      { deadlock: true },
    ],
  ];
  for (const [name, s, single, options] of cases)
    it(name, async () => {
      const expected = single();
      expect(expected.kind).toBe('violation');
      for (const workers of [1, 2, 3, 4])
        for (let again = 0; again < 2; again++) {
          const r = await checkParallel(s, { ...options, workers, expectedStates: 16 });
          expect(outcomes(r), `${workers} worker(s), run ${again + 1}`).toEqual(outcomes(expected));
        }
    });
});
