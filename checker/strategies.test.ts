/**
 * Same numbers everywhere (issue 19): every way of exploring a state space — `check` breadth-first, depth-
 * first and breadth-first with its frontier spilled to disk, the parallel engine on 1 and 2 workers, two
 * swarm shards (a depth-first search with its own action order and hash seed; one shard with no depth
 * bound covers the whole space), `checkLiveness` with no liveness property and the bare `exploreGraph`
 * under it — must agree, whether called directly or through the `explore(model)` builder (the DFS, the
 * 2-worker, one swarm and the liveness rows use it; the 2-worker row hands the engine the model itself), on toy models and on small Kafka configurations:
 * - a full run (every finding recorded) visits the same distinct states, generates the same successors
 *   and gives the same verdict and per-property statuses; the breadth-first strategies also give the
 *   same depth and the very same (shortest) counterexamples and examples;
 * - a run stopping at the first violation gives the same verdict and, breadth-first, the same path (and
 *   the sequential ones stop at the same state; see `stopsWhereCheckStops` for the parallel engine);
 * - `maxStates: 100` visits exactly 100 distinct states (or all, when there are fewer).
 *
 * Run times on a 2-core machine: two-phase commit with 7 RMs (296,448 states) takes 1–4 s per strategy
 * (so it runs with all of them), the KRaft config 0.3–2.5 s, the rest well under a second each; the
 * parallel engine adds about 0.3 s of worker start-up per run. The file takes 40–50 s in all.
 */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { check } from './search.js';
import { checkParallel, type ModelBundle, type ModelSpec } from './parallel.js';
import { swarmShard } from './swarm.js';
import { explore } from './builder.js';
import { exploreGraph } from './StateGraph.js';
import { replayPath } from './Path.js';
import type { CheckResult, IncompleteReason, PropertyOutcome } from './result.js';
import {
  boundedCounterSpec,
  dieHardSpec,
  lockSpec,
  smallGraphSpec,
  twoPhaseNoCommitSpec,
  twoPhaseSpec,
} from './testing/specs.js';
import { kafkaBundle, type RunSpec } from '../cli/kafkaBundle.js';
import { resolveConfig, type ConfigInput } from '../model/index.js';

// The parallel engine's workers load compiled factories (`npm test` builds dist/ first).
const dist = (path: string): string => fileURLToPath(new URL(`../dist/${path}`, import.meta.url));
const SPECS = dist('checker/testing/specs.js');
const KAFKA = dist('cli/kafkaBundle.js');

/** The bounds of a run: all findings (`stopOnViolation: false`) or the first one, and a state budget. */
interface Limits {
  readonly stopOnViolation: boolean;
  readonly maxStates?: number;
  readonly partialOrder?: false;
}

/** What is compared between strategies (`kind` and `outcomes` are absent for the bare graph exploration). */
interface Summary {
  readonly distinct: number;
  readonly generated: number;
  readonly maxDepth: number;
  readonly reasons: readonly IncompleteReason[];
  readonly kind?: CheckResult['kind'];
  readonly outcomes?: readonly PropertyOutcome[];
  /** The bounds that cut the run: bound, states cut, path to the first (see `Stats.cuts`). */
  readonly cuts?: readonly (readonly [string, number, string])[];
}

function summary(r: CheckResult): Summary {
  if (r.kind === 'error') throw new Error(`the run failed: ${r.message}`);
  const reasons = r.kind === 'incomplete' ? r.reasons : r.kind === 'violation' ? (r.incomplete ?? []) : [];
  const { distinct, generated, maxDepth } = r.stats;
  const cuts = (r.stats.cuts ?? []).map((c) => [c.bound, c.states, c.path.join('/')] as const);
  return { distinct, generated, maxDepth, reasons, kind: r.kind, outcomes: r.outcomes, cuts };
}

interface Strategy {
  readonly name: string;
  /** Breadth-first: findings come with shortest paths, in the order of `check`'s BFS. */
  readonly bfs: boolean;
  /**
   * Stopping at the first violation, it stops where `check`'s BFS does (same distinct and generated
   * counts). The parallel engine does not: it finishes the BFS level in which the violation shows up, so
   * as to report the one `check` finds first, and counts the whole level.
   */
  readonly stopsWhereCheckStops?: boolean;
  /** `segment`: frontier segment size of the spilling strategy (see `spilled`). */
  run<S, A>(bundle: ModelBundle<S, A>, spec: ModelSpec, limits: Limits, segment: number): Promise<Summary>;
}

/**
 * Every strategy explores the same, unreduced graph: the liveness engine never reduces, so partial-order
 * reduction (which the Kafka bundle's properties allow) is off here; `model/reduction.test.ts` and
 * `checker/reduction.test.ts` compare it with the unreduced search.
 */
const options = (l: Limits): Limits => ({
  ...(l.maxStates === undefined ? { stopOnViolation: l.stopOnViolation } : l),
  partialOrder: false,
});

/**
 * `check` breadth-first with tiny frontier segments (one state each on the small models) and none kept
 * in memory beyond the head and tail: the queue goes through the spill file (made under `dir`, default
 * the OS temp dir; the "spills" test shows it is written).
 */
const spilled = (dir?: string): Strategy => ({
  name: 'check, BFS, frontier spilled to disk',
  bfs: true,
  stopsWhereCheckStops: true,
  run: async (b, _, l, segmentSize) =>
    summary(
      check(b.model, b.properties, {
        ...options(l),
        frontierSpill: { segmentSize, memorySegments: 0, ...(dir === undefined ? {} : { dir }) },
      }),
    ),
});

const STRATEGIES: readonly Strategy[] = [
  {
    name: 'check, BFS',
    bfs: true,
    stopsWhereCheckStops: true,
    run: async (b, _, l) => summary(check(b.model, b.properties, options(l))),
  },
  {
    name: 'explore().dfs()',
    bfs: false,
    run: async (b, _, l) => summary(await explore(b.model, b.properties).dfs().bounds(options(l)).run()),
  },
  spilled(),
  {
    name: 'checkParallel, 1 worker',
    bfs: true,
    run: async (_, spec, l) => summary(await checkParallel(spec, { ...options(l), workers: 1 })),
  },
  {
    // the model itself, rebuilt in the workers from its `origin`
    name: 'explore().workers(2)',
    bfs: true,
    run: async (b, _, l) => summary(await explore(b.model, b.properties).workers(2).bounds(options(l)).run()),
  },
  {
    // A shard other than 0: a permuted action order and another hash seed; no depth bound (default 100).
    name: 'swarmShard 3 of 4, no depth bound',
    bfs: false,
    run: async (b, _, l) =>
      summary(swarmShard(b.model, b.properties, { ...options(l), swarm: { index: 3, count: 4 }, maxDepth: Infinity })),
  },
  {
    name: 'explore().swarm(1, 2), no depth bound',
    bfs: false,
    run: async (b, _, l) =>
      summary(
        await explore(b.model, b.properties)
          .swarm(1, 2)
          .bounds({ ...options(l), maxDepth: Infinity })
          .run(),
      ),
  },
  {
    name: 'explore().liveness()',
    bfs: true,
    stopsWhereCheckStops: true,
    run: async (b, _, l) => summary(await explore(b.model, b.properties).liveness().bounds(options(l)).run()),
  },
  {
    // The graph exploration under checkLiveness, with no property at all: counts only.
    name: 'exploreGraph',
    bfs: true,
    run: async (b, _, l) => {
      const e = exploreGraph(b.model, l.maxStates === undefined ? {} : { maxStates: l.maxStates }, () => true);
      return { distinct: e.graph.size, generated: e.generated, maxDepth: e.maxDepth, reasons: e.reasons };
    },
  },
];

interface Subject {
  readonly name: string;
  /** Distinct reachable states, as pinned elsewhere in the repository. */
  readonly states: number;
  /** The verdict of a full run. */
  readonly verdict: 'ok' | 'violation';
  /** Steps of the shortest counterexample (violating subjects). */
  readonly shortest?: number;
  /** Frontier segment size of the spilling strategy (default 1: every state is written to disk). */
  readonly segment?: number;
  run(strategy: Strategy, limits: Limits): Promise<Summary>;
  /** Whether `path` replays to a state violating the property `id`. */
  violates(path: readonly number[], id: string): boolean;
}

type Expected = Pick<Subject, 'states' | 'verdict' | 'shortest' | 'segment'>;

function subject<S, A>(name: string, bundle: ModelBundle<S, A>, spec: ModelSpec, expected: Expected): Subject {
  return {
    name,
    ...expected,
    run: (strategy, limits) => strategy.run(bundle, spec, limits, expected.segment ?? 1),
    violates(path, id) {
      const p = bundle.properties.find((x) => x.id === id);
      const replay = replayPath(bundle.model, path);
      const last = replay.ok ? replay.value.states.at(-1) : undefined;
      return p?.kind === 'always' && last !== undefined && !p.holds(last);
    },
  };
}

function toy<S, A>(
  name: string,
  factory: (arg: never) => ModelBundle<S, A>,
  arg: unknown,
  expected: Expected,
): Subject {
  const bundle = (factory as (arg: unknown) => ModelBundle<S, A>)(arg);
  return subject(name, bundle, { module: SPECS, export: factory.name, arg }, expected);
}

function kafka(name: string, input: ConfigInput, expected: Expected): Subject {
  // The CLI's own bundle (rule `clean`, the default properties: safety and reachability guards), built
  // here for the in-process engines and in the workers for the parallel one.
  const run: RunSpec = { config: resolveConfig(input), rule: 'clean', properties: [], cwd: process.cwd() };
  return subject(name, kafkaBundle(run), { module: KAFKA, export: 'kafkaBundle', arg: run }, expected);
}

const SUBJECTS: readonly Subject[] = [
  toy('two-phase commit, 3 RMs', twoPhaseSpec, 3, { states: 288, verdict: 'ok' }),
  toy('two-phase commit, 5 RMs', twoPhaseSpec, 5, { states: 8_832, verdict: 'ok' }),
  // 1–4 s per strategy (the parallel engine on 2 workers is the slowest), so kept for every strategy;
  // spilling it one state per segment would take 15 s.
  toy('two-phase commit, 7 RMs', twoPhaseSpec, 7, { states: 296_448, verdict: 'ok', segment: 256 }),
  toy('two-phase commit, 4 RMs, "nobody commits"', twoPhaseNoCommitSpec, 4, {
    states: 1_568,
    verdict: 'violation',
    shortest: 10,
  }),
  toy('Die Hard', dieHardSpec, undefined, { states: 16, verdict: 'violation', shortest: 6 }),
  toy('lock', lockSpec, undefined, { states: 4, verdict: 'ok' }),
  toy('explicit graph', smallGraphSpec, undefined, { states: 6, verdict: 'ok' }),
  toy('bounded counter (one state cut)', boundedCounterSpec, 5, { states: 6, verdict: 'ok' }),
  // model/kafkaModel.test.ts pins 2,733 states for this config.
  kafka(
    'Kafka ZooKeeper mode, 2 brokers, RF 2, min ISR 1',
    { brokers: 2, replicationFactor: 2, minInsyncReplicas: 1, bounds: { records: 1, leaderEpochs: 2 } },
    { states: 2_733, verdict: 'ok' },
  ),
  // model/kraftModel.test.ts pins 11,695 states for this config (one voter: no voter symmetry, which
  // checkLiveness would not apply).
  kafka(
    'Kafka KRaft mode, 1 voter',
    { mode: 'kraft', voters: 1, faults: { networkPartitions: 0 } },
    {
      states: 11_695,
      verdict: 'ok',
    },
  ),
  // The CLI tests' ACKS1 config: acks=1 loses an acknowledged record in 6 steps; 37,978 states in all.
  kafka(
    'Kafka ZooKeeper mode, acks=1',
    { acks: '1', bounds: { records: 1, leaderEpochs: 2 }, faults: { networkPartitions: 0 } },
    { states: 37_978, verdict: 'violation', shortest: 6 },
  ),
];

/** Runs are memoised: the breadth-first `check` is the reference the other strategies are compared with. */
const memo = new Map<string, Promise<Summary>>();
function result(s: Subject, strategy: Strategy, limits: Limits): Promise<Summary> {
  const key = `${s.name}|${strategy.name}|${JSON.stringify(limits)}`;
  let r = memo.get(key);
  if (!r) memo.set(key, (r = s.run(strategy, limits)));
  return r;
}
const REFERENCE = STRATEGIES[0] as Strategy;

const statuses = (r: Summary): [string, string][] | undefined => r.outcomes?.map((o) => [o.id, o.status]);
const findings = (r: Summary): [string, string, string | undefined][] | undefined =>
  r.outcomes?.map((o) => [o.id, o.status, o.path?.join('/')]);

for (const s of SUBJECTS)
  describe(s.name, () => {
    for (const strategy of STRATEGIES)
      describe(strategy.name, () => {
        it(`full run: ${s.states.toLocaleString('en')} distinct states, verdict ${s.verdict}`, async () => {
          const full = { stopOnViolation: false };
          const r = await result(s, strategy, full);
          const ref = await result(s, REFERENCE, full);
          expect(r.distinct).toBe(s.states);
          expect(r.distinct).toBe(ref.distinct);
          expect(r.generated).toBe(ref.generated);
          expect(r.reasons).toEqual([]);
          if (strategy.bfs) expect(r.maxDepth).toBe(ref.maxDepth);
          if (r.kind === undefined) return; // the bare graph exploration decides no property
          // the same states cut by each bound; breadth-first, the same first one
          expect(r.cuts?.map(([b, n]) => [b, n])).toEqual(ref.cuts?.map(([b, n]) => [b, n]));
          if (strategy.bfs) expect(r.cuts).toEqual(ref.cuts);
          expect(r.kind).toBe(s.verdict);
          expect(statuses(r)).toEqual(statuses(ref));
          if (strategy.bfs) expect(findings(r)).toEqual(findings(ref));
        });

        if (s.verdict === 'violation' && strategy.name !== 'exploreGraph')
          it(`stopping at the first violation: ${strategy.bfs ? `the same ${s.shortest}-step path` : 'a real counterexample'}`, async () => {
            const first = { stopOnViolation: true };
            const r = await result(s, strategy, first);
            const ref = await result(s, REFERENCE, first);
            expect(r.kind).toBe('violation');
            const violated = r.outcomes?.filter((o) => o.status === 'violated') ?? [];
            const expected = ref.outcomes?.filter((o) => o.status === 'violated') ?? [];
            expect(violated.map((o) => o.id)).toEqual(expected.map((o) => o.id));
            const path = violated[0]?.path ?? [];
            expect(s.violates(path, violated[0]?.id ?? '')).toBe(true);
            if (strategy.bfs) {
              expect(path.length - 1).toBe(s.shortest);
              expect(path).toEqual(expected[0]?.path);
              expect(findings(r)).toEqual(findings(ref));
              if (strategy.stopsWhereCheckStops) {
                expect(r.distinct).toBe(ref.distinct);
                expect(r.generated).toBe(ref.generated);
              } else expect(r.distinct).toBeGreaterThanOrEqual(ref.distinct);
            } else expect(path.length - 1).toBeGreaterThanOrEqual(s.shortest ?? 0);
          });

        it('maxStates 100: exactly 100 distinct states, or all of them when there are fewer', async () => {
          const r = await result(s, strategy, { stopOnViolation: false, maxStates: 100 });
          expect(r.distinct).toBe(Math.min(100, s.states));
          if (s.states > 100) expect(r.reasons).toContain('max-states');
          else expect(r.reasons).toEqual([]);
        });
      });

    it('the spilling strategy really writes its frontier to disk', async () => {
      // With a spill directory that does not exist, the first segment written fails.
      const missing = dist('no-such-directory');
      expect(existsSync(missing)).toBe(false);
      await expect(s.run(spilled(missing), { stopOnViolation: false })).rejects.toThrow(/ENOENT/);
    });
  });
