/**
 * Output contracts a script relies on: `--json` on every verb that prints a result, a JSON error object
 * (exit 2) for every usage error under `--json`, seeds outside 0..2^32-1 refused, `--max-states N`
 * exactly N states in every engine, and `--workers N` reporting the single-threaded counterexample.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ACKS1, SMALL, runCli, tempDirs } from './testSupport.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const built = existsSync(join(ROOT, 'dist/cli/main.js'));
const dirs = tempDirs('contracts');
afterAll(() => dirs.cleanup());

const TRACE = 'kafka-mc-traces/no-data-loss.trace.json';

/** A working directory with the acks=1 counterexample and two swarm shards' results. */
async function workspace(): Promise<string> {
  const cwd = dirs.make();
  expect((await runCli(['check', ...ACKS1, '--quiet'], cwd)).code).toBe(1);
  for (const i of [0, 1]) {
    const r = await runCli(['check', ...SMALL, '--swarm', `${i}/2`, '--json'], cwd);
    writeFileSync(join(cwd, `s${i}.json`), r.stdout);
  }
  mkdirSync(join(cwd, 'pinned'));
  return cwd;
}

describe('--json on every verb that prints a result', () => {
  const verbs: [string, string[]][] = [
    ['check', ['check', ...SMALL]],
    ['fuzz', ['fuzz', ...SMALL, '--seed', '1', '--runs', '20']],
    ['replay', ['replay', TRACE]],
    ['view', ['view', TRACE, '--out', 'page.html']],
    ['pin', ['pin', TRACE, '--dir', 'pinned']],
    ['rules', ['rules']],
    [
      'rules compare',
      ['rules', 'compare', '--rules', 'clean,unclean', '--max-states', '2000', '--fuzz-runs', '0', '--runs', '10'],
    ],
    ['list', ['list']],
    ['explain', ['explain', 'no-data-loss']],
    ['catalog', ['catalog']],
    ['catalog run', ['catalog', 'run', 'acks-1']],
    ['mutate', ['mutate', '--only', 'no-isr-only-election']],
    ['merge', ['merge', 's0.json', 's1.json']],
    ['validate', ['validate', join(ROOT, 'cli/fixtures/validate/elr-isr-overlap.txt')]],
    [
      'export-metadata',
      ['export-metadata', join(ROOT, 'traces/regressions/kraft-split-brain.trace.json'), '--out', 'split.txt'],
    ],
    ['latency', ['latency', '--runs', '2']],
  ];
  it.each(verbs)('%s --json prints one JSON document and nothing else on stdout', async (_verb, argv) => {
    const cwd = await workspace();
    const r = await runCli([...argv, '--json'], cwd);
    expect([0, 1, 3]).toContain(r.code);
    expect(() => JSON.parse(r.stdout) as unknown, r.stdout.slice(0, 200)).not.toThrow();
  });
});

describe('usage errors under --json: a JSON error object on stdout, exit 2', () => {
  const errors: [string, string[], RegExp][] = [
    ['an unknown flag', ['check', '--bogus'], /^unknown option '--bogus'/],
    ['a bad flag value', ['check', '--max-states', 'many'], /argument 'many' is invalid/],
    [
      'an unknown property',
      ['check', '--property', 'no-data-los'],
      /unknown property "no-data-los"; did you mean "no-data-loss"\?/,
    ],
    ['an impossible config', ['check', '--min-isr', '5'], /config|min/],
    ['an unknown list', ['list', 'presetz'], /unknown list "presetz"; did you mean "presets"\?/],
    ['a missing trace file', ['replay', 'nope.trace.json'], /nope\.trace\.json/],
    [
      'rules compare with a rule named twice',
      ['rules', 'compare', '--rules', 'clean,clean'],
      /names the rule "clean" twice/,
    ],
    ['merge of a missing file', ['merge', 'nope.json'], /cannot read nope\.json/],
    ['latency with an unknown fault', ['latency', '--faults', 'leader-crahs'], /unknown fault "leader-crahs"/],
  ];
  it.each(errors)('%s', async (_name, argv, error) => {
    const r = await runCli([...argv, '--json'], dirs.make());
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout) as {
      command: string;
      verdict: string;
      exitCode: number;
      error: string;
      problems: string[];
    };
    expect(doc).toMatchObject({ command: argv[0], verdict: 'usage-error', exitCode: 2 });
    expect(doc.error).toMatch(error);
    expect(Array.isArray(doc.problems)).toBe(true);
  });
});

describe('seeds: 0 to 4294967295, anything else refused (never reduced)', () => {
  it.each([
    [['check', ...SMALL, '--seed', '4294967296']],
    [['check', ...SMALL, '--seed', '99999999999999999999']],
    [['fuzz', ...SMALL, '--seed', '4294967296']],
    [['fuzz', ...SMALL, '--seed', '1.5']],
    [['rules', 'compare', '--rules', 'clean', '--seed', '4294967296']],
    [['latency', '--seed', '4294967296']],
  ])('%j', async (argv) => {
    const r = await runCli(argv, dirs.make());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--seed <n>' argument '.*' is invalid\. expected an integer from 0 to 4294967295/);
  });

  it('the largest seed is taken as given', async () => {
    const r = await runCli(['fuzz', ...SMALL, '--seed', '4294967295', '--runs', '5', '--json'], dirs.make());
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { fuzz: { seed: number } }).fuzz.seed).toBe(4294967295);
  });
});

describe('--max-states N stops at exactly N distinct states in every engine', () => {
  const engines: [string, string[]][] = [
    ['breadth-first', []],
    ['depth-first', ['--dfs']],
    ['swarm shard', ['--swarm', '1/3']],
    ['liveness', ['--property', 'eventually-leader']],
    ['bitstate, breadth-first', ['--bitstate', '1MiB']],
    ['bitstate, depth-first', ['--bitstate', '1MiB', '--dfs']],
    ...(built ? ([['parallel, 2 workers', ['--workers', '2']]] as [string, string[]][]) : []),
  ];
  it.each(engines)('%s', async (_name, flags) => {
    for (const n of ['1', '100']) {
      const r = await runCli(['check', '--max-states', n, '--json', ...flags], dirs.make());
      expect(r.code).toBe(3);
      const doc = JSON.parse(r.stdout) as { stats: { distinct: number }; reasons: string[] };
      expect(doc.stats.distinct).toBe(Number(n));
      expect(doc.reasons).toContain('max-states');
    }
  });
});

describe.runIf(built)('--workers N reports the counterexample of the single-threaded search', () => {
  it.each([
    ['ZooKeeper mode, acks=1', ACKS1],
    ['KRaft mode (symmetry reduction), acks=1', ['--mode', 'kraft', ...ACKS1]],
  ])('%s: every outcome and path, run after run', async (_name, config) => {
    const paths = async (extra: readonly string[]): Promise<string[]> => {
      const r = await runCli(['check', ...config, '--json', ...extra], dirs.make());
      expect(r.code).toBe(1);
      const doc = JSON.parse(r.stdout) as { outcomes: { id: string; status: string; path?: number[] }[] };
      return doc.outcomes.map((o) => `${o.id} ${o.status} ${o.path?.join('/') ?? ''}`);
    };
    const single = await paths([]);
    expect(single.some((p) => /^no-data-loss violated \d/.test(p))).toBe(true);
    for (const workers of ['2', '3', '2']) expect(await paths(['--workers', workers])).toEqual(single);
  });
});
