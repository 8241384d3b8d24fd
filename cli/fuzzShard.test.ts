import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FuzzCoverage } from '../properties/index.js';
import { ACKS1, SMALL, runCli, tempDirs, type CliRun } from './testSupport.js';

const temp = tempDirs('fuzzshard');
const tempDir = (): string => temp.make();
afterAll(() => temp.cleanup());

const run = (argv: readonly string[], cwd: string): Promise<CliRun> => runCli(argv, cwd);

interface FuzzDoc {
  verdict: string;
  reasons: string[];
  outcomes: { id: string; status: string; path?: number[] }[];
  violation: { id: string; path: number[] } | null;
  trace: { file: string } | null;
  fuzz: {
    seed: number;
    runs: number;
    assigned: number;
    shard?: { index: number; count: number };
    coverage: FuzzCoverage;
  };
}

/** Runs `fuzz … --json` and saves its output as `file` in `cwd`. */
async function fuzzJson(argv: readonly string[], cwd: string, file: string): Promise<{ code: number; doc: FuzzDoc }> {
  const r = await run(['fuzz', ...argv, '--json', '--out-dir', `traces-${file}`], cwd);
  writeFileSync(join(cwd, file), r.stdout);
  return { code: r.code, doc: JSON.parse(r.stdout) as FuzzDoc };
}

/** The additive part of a coverage record (what shards' coverage must sum to). */
function additive(cs: readonly FuzzCoverage[]): Record<string, unknown> {
  const sum = (f: (c: FuzzCoverage) => number): number => cs.reduce((a, c) => a + f(c), 0);
  const by = <T>(items: (c: FuzzCoverage) => readonly T[], key: (t: T) => string, val: (t: T) => number) => {
    const m: Record<string, number> = {};
    for (const c of cs) for (const t of items(c)) m[key(t)] = (m[key(t)] ?? 0) + val(t);
    return m;
  };
  const intents: Record<string, number> = {};
  for (const c of cs) for (const [k, v] of Object.entries(c.intents)) intents[k] = (intents[k] ?? 0) + (v ?? 0);
  return {
    runs: sum((c) => c.runs),
    steps: sum((c) => c.steps),
    fired: by(
      (c) => c.families,
      (f) => f.family,
      (f) => f.fired,
    ),
    enabled: by(
      (c) => c.families,
      (f) => f.family,
      (f) => f.enabled,
    ),
    guards: by(
      (c) => c.guards,
      (g) => g.id,
      (g) => g.runs,
    ),
    intents,
    minDepth: Math.min(...cs.filter((c) => c.runs > 0).map((c) => c.depth.min)),
    maxDepth: Math.max(...cs.map((c) => c.depth.max)),
  };
}

const CLEAN = [...SMALL, '--seed', '11', '--runs', '60', '--depth', '20'];

describe('fuzz --shard i/n', () => {
  it('the shards of a campaign together run exactly its runs: their coverage adds up to the unsharded run', async () => {
    const cwd = tempDir();
    const whole = await fuzzJson(CLEAN, cwd, 'whole.json');
    expect(whole.code).toBe(0);
    expect(whole.doc.fuzz.coverage.runs).toBe(60);
    const shards: FuzzDoc[] = [];
    for (const i of [1, 2, 3]) {
      const s = await fuzzJson([...CLEAN, '--shard', `${i - 1}/3`], cwd, `shard${i}.json`);
      expect(s.code).toBe(0);
      expect(s.doc.fuzz.shard).toEqual({ index: i - 1, count: 3 });
      expect(s.doc.fuzz.assigned).toBe(20);
      expect(s.doc.fuzz.coverage.runs).toBe(20);
      // a shard that did all its runs is a clean sample (skipping the other shards' runs is not an interruption)
      expect(s.doc.verdict).toBe('incomplete');
      expect(s.doc.reasons).toEqual(['sampled']);
      shards.push(s.doc);
    }
    const cov = shards.map((s) => s.fuzz.coverage);
    expect(additive(cov)).toEqual(additive([whole.doc.fuzz.coverage]));
    // states may repeat across shards: the union lies between the largest shard and the sum
    const distinct = cov.map((c) => c.distinctStates);
    expect(whole.doc.fuzz.coverage.distinctStates).toBeGreaterThanOrEqual(Math.max(...distinct));
    expect(whole.doc.fuzz.coverage.distinctStates).toBeLessThanOrEqual(distinct.reduce((a, b) => a + b, 0));
    // a different split of the same campaign covers the same runs too
    const halves = [];
    for (const i of [1, 2])
      halves.push((await fuzzJson([...CLEAN, '--shard', `${i - 1}/2`], cwd, `half${i}.json`)).doc);
    expect(additive(halves.map((h) => h.fuzz.coverage))).toEqual(additive([whole.doc.fuzz.coverage]));

    const m = await run(['merge', 'shard1.json', 'shard2.json', 'shard3.json', '--json'], cwd);
    expect(m.code).toBe(0);
    const merged = JSON.parse(m.stdout) as {
      kind: string;
      fuzz: {
        campaign: { seed: number; runs: number; shards: number };
        missingShards: number[];
        coverage: FuzzCoverage;
      };
    };
    expect(merged.kind).toBe('incomplete');
    expect(merged.fuzz.campaign).toMatchObject({ seed: 11, runs: 60, shards: 3 });
    expect(merged.fuzz.missingShards).toEqual([]);
    expect(merged.fuzz.coverage.runs).toBe(60);
    expect(merged.fuzz.coverage.steps).toBe(whole.doc.fuzz.coverage.steps);
    expect(merged.fuzz.coverage.intents).toEqual(whole.doc.fuzz.coverage.intents);
    expect(merged.fuzz.coverage.distinctStates).toBe(Math.max(...distinct));
    // Kafka's metrics: the shards' distributions merge into exactly the whole campaign's.
    expect(whole.doc.fuzz.coverage.metrics.runs).toBe(60);
    expect(merged.fuzz.coverage.metrics).toEqual(whole.doc.fuzz.coverage.metrics);
    const text = await run(['merge', 'shard1.json', 'shard2.json', 'shard3.json'], cwd);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/fuzz: 60 runs of the 60-run campaign of seed 11/);
    expect(text.stdout).toMatch(/Kafka's metrics over 60 run\(s\)/);
  });

  it('run k (0-based) belongs to shard k mod n and is the unsharded campaign’s run k', async () => {
    const cwd = tempDir();
    const flags = (runs: number): string[] => [...SMALL, '--seed', '5', '--runs', String(runs), '--depth', '20'];
    const whole1 = (await fuzzJson(flags(1), cwd, 'w1.json')).doc.fuzz.coverage;
    const whole2 = (await fuzzJson(flags(2), cwd, 'w2.json')).doc.fuzz.coverage;
    // run 0 is shard 0's; shards 1 and 2 of a 1-run campaign run nothing
    const first = (await fuzzJson([...flags(1), '--shard', '0/3'], cwd, 'f.json')).doc.fuzz;
    expect(first.coverage).toEqual(whole1);
    for (const i of [2, 3]) {
      const empty = (await fuzzJson([...flags(1), '--shard', `${i - 1}/3`], cwd, `e${i}.json`)).doc.fuzz;
      expect(empty.assigned).toBe(0);
      expect(empty.coverage.runs).toBe(0);
    }
    // run 1 is shard 1's of 2: what the 2-run campaign did beyond the 1-run one
    const second = (await fuzzJson([...flags(2), '--shard', '1/2'], cwd, 's.json')).doc.fuzz.coverage;
    expect(second.runs).toBe(1);
    expect(second.steps).toBeGreaterThan(0);
    expect(second.steps).toBe(whole2.steps - whole1.steps);
    expect(second.depth.max).toBe(whole2.steps - whole1.steps);
  });

  it('--shard 0/1 is the unsharded campaign', async () => {
    const cwd = tempDir();
    const whole = await fuzzJson(ACKS1.concat(['--seed', '3', '--runs', '40', '--depth', '20']), cwd, 'a.json');
    const one = await fuzzJson(
      ACKS1.concat(['--seed', '3', '--runs', '40', '--depth', '20', '--shard', '0/1']),
      cwd,
      'b.json',
    );
    expect(one.code).toBe(whole.code);
    expect(one.doc.verdict).toBe(whole.doc.verdict);
    expect(one.doc.outcomes).toEqual(whole.doc.outcomes);
    expect(one.doc.fuzz.coverage).toEqual(whole.doc.fuzz.coverage);
  });

  it('a violation one shard finds is the merged verdict, with the shortest counterexample and where it came from', async () => {
    const cwd = tempDir();
    const flags = [...ACKS1, '--seed', '7', '--runs', '300', '--depth', '30'];
    const docs: FuzzDoc[] = [];
    for (const i of [1, 2, 3]) {
      const s = await fuzzJson([...flags, '--shard', `${i - 1}/3`], cwd, `s${i}.json`);
      expect([0, 1]).toContain(s.code);
      docs.push(s.doc);
    }
    const violating = docs.filter((d) => d.verdict === 'violation');
    expect(violating.length).toBeGreaterThan(0);
    const shortest = Math.min(...violating.map((d) => d.violation?.path.length ?? Infinity));
    const m = await run(['merge', 's1.json', 's2.json', 's3.json', '--json'], cwd);
    expect(m.code).toBe(1);
    const merged = JSON.parse(m.stdout) as {
      kind: string;
      violation: { id: string; path: number[] };
      violationFrom: { file: string; trace: string | null };
    };
    expect(merged.kind).toBe('violation');
    expect(merged.violation.id).toBe('no-data-loss');
    expect(merged.violation.path.length).toBe(shortest);
    const from = docs[Number(/s(\d)\.json/.exec(merged.violationFrom.file)?.[1]) - 1];
    expect(from?.violation?.path).toEqual(merged.violation.path);
    expect(merged.violationFrom.trace).toBe(from?.trace?.file);
    // the merged counterexample replays
    const replay = await run(['replay', merged.violationFrom.trace ?? '', '--quiet'], cwd);
    expect(replay.code).toBe(0);
  });

  it('bad --shard values are usage errors', async () => {
    const cwd = tempDir();
    for (const bad of ['3/3', '4/3', '1/0', 'x', '1/', '1.5/3']) {
      const r = await run(['fuzz', ...SMALL, '--seed', '1', '--runs', '5', '--shard', bad], cwd);
      expect(r.code, bad).toBe(2);
      expect(r.stderr, bad).toContain(`argument '${bad}' is invalid. expected i/n with 0 <= i < n`);
    }
    const noSeed = await run(['fuzz', ...SMALL, '--runs', '5', '--shard', '0/2'], cwd);
    expect(noSeed.code).toBe(2);
    expect(noSeed.stderr).toMatch(/--shard 0\/2 needs --seed/);
  });

  it('merge refuses shards of different campaigns and duplicate shards, and says which shards are missing', async () => {
    const cwd = tempDir();
    const base = [...SMALL, '--runs', '9', '--depth', '10'];
    await fuzzJson([...base, '--seed', '1', '--shard', '0/3'], cwd, 'a1.json');
    await fuzzJson([...base, '--seed', '1', '--shard', '1/3'], cwd, 'a2.json');
    await fuzzJson([...base, '--seed', '2', '--shard', '2/3'], cwd, 'b3.json');
    await fuzzJson([...base, '--seed', '1'], cwd, 'whole.json');

    const mixed = await run(['merge', 'a1.json', 'b3.json'], cwd);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('a1.json and b3.json are shards of different fuzz campaigns');
    expect(mixed.stderr).toContain('seed 1 vs 2');

    const twice = await run(['merge', 'a1.json', 'a1.json'], cwd);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('shard 0/3 is given twice');

    const withWhole = await run(['merge', 'a1.json', 'whole.json'], cwd);
    expect(withWhole.code).toBe(2);
    expect(withWhole.stderr).toContain('whole.json is a whole fuzz campaign');

    const missing = await run(['merge', 'a1.json', 'a2.json'], cwd);
    expect(missing.code).toBe(3);
    expect(missing.stdout).toContain('MISSING shards 2 of 3');
  });
});
