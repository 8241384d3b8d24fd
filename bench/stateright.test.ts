import { describe, expect, it } from 'vitest';
import {
  comparisonText,
  medianRun,
  pairedRatio,
  pairedText,
  pairedVerdict,
  parseStateright,
  perCpuRatio,
  searchRatio,
  staterightArgs,
  staterightComparisons,
  staterightHeader,
  staterightVerdict,
  type RunTimes,
} from './stateright.js';

/** What the patched example printed for 7 RMs, BFS, one thread, on this machine. */
const BFS_7 = `Checking two phase commit with 7 resource managers (check-bfs, 1 threads, no symmetry).
Done. states=2744706, unique=296448, depth=23, sec=1.584, unique_per_sec=187133, properties_ok=true
`;

describe('Stateright output', () => {
  it('parses the counts, depth and search time of the Done line', () => {
    expect(parseStateright(BFS_7)).toEqual({
      generated: 2_744_706,
      distinct: 296_448,
      depth: 23,
      searchMs: 1584,
      propertiesOk: true,
    });
  });

  it('reports a property that did not hold', () => {
    const out = BFS_7.replace('properties_ok=true', 'properties_ok=false');
    expect(parseStateright(out)?.propertiesOk).toBe(false);
  });

  it('finds nothing in the output of another binary or a crash', () => {
    expect(parseStateright('')).toBeUndefined();
    expect(parseStateright("thread 'main' panicked at examples/2pc.rs:1:1")).toBeUndefined();
    // the unpatched example's `check` subcommand reports through the WriteReporter instead
    expect(parseStateright('Done. states=2744706, unique=296448, depth=23, sec=2')).toBeUndefined();
    expect(parseStateright('296448 distinct states found')).toBeUndefined();
  });

  it('asks for one thread and the given search order', () => {
    expect(staterightArgs('bfs', 9)).toEqual(['check-bfs', '9', '1']);
    expect(staterightArgs('dfs', 7, 2)).toEqual(['check-dfs', '7', '2']);
  });
});

describe('without STATERIGHT_BIN', () => {
  it('says in one line that the rows are skipped and how to add them', () => {
    for (const unset of [undefined, '']) {
      const line = staterightHeader(unset);
      expect(line).toMatch(/^- Stateright: skipped \(set STATERIGHT_BIN .*bench\/README\.md/);
      expect(line).not.toContain('\n');
    }
    expect(staterightHeader('/tmp/2pc')).toContain('STATERIGHT_BIN=/tmp/2pc');
  });

  it('compares nothing and prints no verdict', () => {
    const ours: RunTimes = { distinct: 296_448, cpuMs: 2270, searchMs: 1590 };
    const rows: Record<string, RunTimes> = { 'kafka-mc check()': ours, 'kafka-mc check() DFS': ours };
    const comparisons = staterightComparisons(7, (tool) => rows[tool]);
    expect(comparisons).toEqual([]);
    expect(staterightVerdict(comparisons)).toBe('');
  });
});

describe('ratios against Stateright', () => {
  const check: RunTimes = { distinct: 1000, cpuMs: 2000, searchMs: 1500 };
  const parallel: RunTimes = { distinct: 1000, cpuMs: 2500, searchMs: 2000 };
  const dfs: RunTimes = { distinct: 1000, cpuMs: 800, searchMs: 600 };
  const srBfs: RunTimes = { distinct: 1000, cpuMs: 1600, searchMs: 1500 };
  const srDfs: RunTimes = { distinct: 1000, cpuMs: 1000, searchMs: 900 };
  const rows: Record<string, RunTimes> = {
    'kafka-mc check()': check,
    'kafka-mc parallel': parallel,
    'kafka-mc check() DFS': dfs,
    'Stateright BFS': srBfs,
    'Stateright DFS': srDfs,
  };
  const find = (tool: string, _n: number, workers: number): RunTimes | undefined =>
    workers === 1 ? rows[tool] : undefined;

  it('divides states per CPU-second (start-up counted) and per search second', () => {
    expect(perCpuRatio(check, srBfs)).toBeCloseTo(0.8, 10);
    expect(searchRatio(check, srBfs)).toBeCloseTo(1, 10);
    expect(perCpuRatio(dfs, srDfs)).toBeCloseTo(1.25, 10);
    expect(searchRatio({ distinct: 1, cpuMs: 1, searchMs: undefined }, srBfs)).toBeNaN();
  });

  it('pairs check() and parallel(1) with BFS and check() DFS with DFS, judging the goal on check()', () => {
    const c = staterightComparisons(8, find);
    expect(c.map((x) => [x.n, x.label, x.forGoal])).toEqual([
      [8, 'check() BFS / Stateright BFS', true],
      [8, 'parallel(1) / Stateright BFS', false],
      [8, 'check() DFS / Stateright DFS', true],
    ]);
    expect(c.map(comparisonText)).toEqual([
      'check() BFS / Stateright BFS: 0.80× per CPU-second (search time only 1.00×)',
      'parallel(1) / Stateright BFS: 0.64× per CPU-second (search time only 0.75×)',
      'check() DFS / Stateright DFS: 1.25× per CPU-second (search time only 1.50×)',
    ]);
    expect(staterightVerdict(c)).toBe(
      "- Stateright: the goal (kafka-mc ≥ 1.0× Stateright's distinct states per CPU-second, start-up counted) is not met at 8 RMs check() BFS / Stateright BFS (0.80×)",
    );
  });

  it('says the goal is met when every judged comparison reaches 1.0×, whatever parallel(1) does', () => {
    const fast: Record<string, RunTimes> = {
      ...rows,
      'kafka-mc check()': { distinct: 1000, cpuMs: 1600, searchMs: 1200 },
    };
    const c = staterightComparisons(9, (tool) => fast[tool]);
    expect(staterightVerdict(c)).toBe(
      "- Stateright: the goal (kafka-mc ≥ 1.0× Stateright's distinct states per CPU-second, start-up counted) is met in every comparison of this run",
    );
  });
});

describe('repeated, alternating runs', () => {
  const run = (cpuMs: number): RunTimes => ({ distinct: 1000, cpuMs, searchMs: cpuMs / 2 });

  it('shows the run of median CPU time', () => {
    expect(medianRun([run(30), run(10), run(20)]).cpuMs).toBe(20);
    expect(medianRun([run(40), run(10), run(30), run(20)]).cpuMs).toBe(30);
    expect(medianRun([run(7)]).cpuMs).toBe(7);
    expect(() => medianRun([])).toThrow(RangeError);
  });

  it('takes the ratio pair by pair, so a slow pair does not mix with a fast one', () => {
    // Pair 2 ran while the machine was twice as slow: both sides doubled, its ratio is unchanged.
    const ours = [run(100), run(200), run(110)];
    const theirs = [run(150), run(300), run(121)];
    const p = pairedRatio(ours, theirs);
    expect(p.pairs).toBe(3);
    expect(p.median).toBeCloseTo(1.5, 10);
    expect(p.min).toBeCloseTo(1.1, 10);
    expect(p.max).toBeCloseTo(1.5, 10);
    expect(pairedText('check() BFS / Stateright BFS', p)).toBe(
      'check() BFS / Stateright BFS: median 1.50× per CPU-second over 3 alternating pairs (1.10×–1.50×)',
    );
    expect(() => pairedRatio([], [])).toThrow(RangeError);
  });
});

describe('the goal on paired medians', () => {
  const p = (median: number) => ({ pairs: 3, median, min: median - 0.1, max: median + 0.1 });
  it('names each comparison short of the goal', () => {
    expect(
      pairedVerdict([
        { n: 7, label: 'check() BFS / Stateright BFS', ratio: p(0.9) },
        { n: 8, label: 'check() BFS / Stateright BFS', ratio: p(1.59) },
      ]),
    ).toBe(
      "- Stateright: the goal (kafka-mc ≥ 1.0× Stateright's distinct states per CPU-second, start-up counted), judged on paired medians, is not met at 7 RMs check() BFS / Stateright BFS (0.90×)",
    );
    expect(pairedVerdict([{ n: 9, label: 'x', ratio: p(2.27) }])).toContain('is met in every comparison');
    expect(pairedVerdict([])).toBe('');
  });
});
