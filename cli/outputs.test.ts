/**
 * Nothing lost: every output location is checked before a search starts (exit 2, the path and the
 * fix), a write that still fails after a search comes after the verdict and the counterexample, `merge`
 * refuses results of different runs naming the first difference, and `pin` refuses a trace that does
 * not meet the expectation it is pinned with.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureStream } from './Io.js';
import { main } from './program.js';
import { ACKS1, SMALL, runCli, tempDirs, type CliRun } from './testSupport.js';

const dirs = tempDirs('outputs');
afterAll(() => dirs.cleanup());

/** A working directory holding a file `afile` and the acks=1 counterexample's trace. */
async function workspace(): Promise<{ cwd: string; trace: string }> {
  const cwd = dirs.make();
  writeFileSync(join(cwd, 'afile'), 'not a directory');
  const r = await runCli(['check', ...ACKS1, '--quiet'], cwd);
  expect(r.code).toBe(1);
  return { cwd, trace: 'kafka-mc-traces/no-data-loss.trace.json' };
}

function expectRefused(r: CliRun, message: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/^error: /);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at .+:\d+:\d+/);
  expect(r.stdout).not.toMatch(/VIOLATION|OK:|INCOMPLETE/); // refused before any search
}

describe('output locations are checked before the search', () => {
  const cases: [string, (trace: string) => string[], RegExp][] = [
    [
      'check --out-dir on a file',
      () => ['check', ...ACKS1, '--out-dir', 'afile'],
      /--out-dir afile: .*afile is a file, not a directory; name a directory/,
    ],
    [
      'fuzz --out-dir in a missing folder',
      () => ['fuzz', ...ACKS1, '--seed', '1', '--out-dir', 'no/such/dir'],
      /--out-dir no\/such\/dir: the folder .*no\/such does not exist; create it first \(mkdir -p .*no\/such\) or name another path/,
    ],
    [
      'check --checkpoint on a file',
      () => ['check', ...SMALL, '--checkpoint', 'afile'],
      /--checkpoint afile: .*afile is a file, not a directory/,
    ],
    [
      'check --checkpoint in a missing folder',
      () => ['check', ...SMALL, '--checkpoint', 'no/ck'],
      /--checkpoint no\/ck: the folder .*no does not exist; create it first/,
    ],
    [
      'check --spill-dir on a file',
      () => ['check', ...SMALL, '--spill-dir', 'afile'],
      /--spill-dir afile: no such directory/,
    ],
    [
      'view --out on a directory',
      (t) => ['view', t, '--out', 'kafka-mc-traces'],
      /--out kafka-mc-traces: .*kafka-mc-traces is a directory; name a file in it/,
    ],
    [
      'view --out in a missing folder',
      (t) => ['view', t, '--out', 'no/page.html'],
      /--out no\/page\.html: the folder .*no does not exist/,
    ],
    ['pin --dir on a file', (t) => ['pin', t, '--dir', 'afile'], /--dir afile: .*afile is a file, not a directory/],
    [
      'pin --dir in a missing folder',
      (t) => ['pin', t, '--dir', 'no/such'],
      /--dir no\/such: the folder .*no does not exist/,
    ],
    [
      'rules compare --report on a directory',
      () => ['rules', 'compare', '--rules', 'clean', '--report', 'kafka-mc-traces'],
      /--report kafka-mc-traces: .*is a directory; name a file in it/,
    ],
    [
      'rules compare --report in a missing folder',
      () => ['rules', 'compare', '--rules', 'clean', '--report', 'no/r.md'],
      /--report no\/r\.md: the folder .*no does not exist/,
    ],
    [
      'rules compare --out-dir on a file',
      () => ['rules', 'compare', '--rules', 'clean', '--out-dir', 'afile'],
      /--out-dir afile: .*is a file, not a directory/,
    ],
    [
      'mutate --out-dir on a file',
      () => ['mutate', '--only', 'no-isr-only-election', '--out-dir', 'afile'],
      /--out-dir afile: .*is a file, not a directory/,
    ],
    [
      'catalog run --out-dir on a file',
      () => ['catalog', 'run', 'acks-1', '--out-dir', 'afile'],
      /--out-dir afile: .*is a file, not a directory/,
    ],
  ];
  for (const [name, argv, message] of cases)
    it(name, async () => {
      const { cwd, trace } = await workspace();
      expectRefused(await runCli(argv(trace), cwd), message);
    });

  it.runIf(process.platform === 'linux')('a directory that cannot be written to (even by root: /proc)', async () => {
    const { cwd, trace } = await workspace();
    expectRefused(
      await runCli(['check', ...ACKS1, '--out-dir', '/proc/self'], cwd),
      /--out-dir \/proc\/self: \/proc\/self cannot be written to \(E[A-Z]+\); name a directory you can write to/,
    );
    expectRefused(
      await runCli(['view', trace, '--out', '/proc/self/page.html'], cwd),
      /--out \/proc\/self\/page\.html: the file cannot be created in \/proc\/self \(E[A-Z]+\); name a folder you can write to/,
    );
  });

  it('an existing report or page is never overwritten (view --force replaces a page)', async () => {
    const { cwd, trace } = await workspace();
    writeFileSync(join(cwd, 'r.md'), 'mine');
    expectRefused(
      await runCli(['rules', 'compare', '--rules', 'clean', '--report', 'r.md'], cwd),
      /--report r\.md: .*r\.md already exists; choose another --report/,
    );
    expect(readFileSync(join(cwd, 'r.md'), 'utf8')).toBe('mine');
    expect((await runCli(['view', trace, '--out', 'p.html'], cwd)).code).toBe(0);
    expectRefused(
      await runCli(['view', trace, '--out', 'p.html'], cwd),
      /already exists; choose another --out or pass --force to replace it/,
    );
    expect((await runCli(['view', trace, '--out', 'p.html', '--force'], cwd)).code).toBe(0);
  });
});

describe('a write that fails after the search', () => {
  /**
   * Runs check in this process; once the header is printed (the output locations were checked, the
   * search starts), the trace folder is replaced by a file, so that saving the trace fails.
   */
  async function checkWithVanishingOutDir(extra: readonly string[]): Promise<CliRun & { outDir: string }> {
    const cwd = dirs.make();
    const outDir = join(cwd, 'traces');
    mkdirSync(outDir);
    const stdout = captureStream();
    const stderr = captureStream();
    const sabotage = (s: string): void => {
      if (/engine: /.test(s) && !existsSync(join(outDir, 'x'))) {
        rmSync(outDir, { recursive: true });
        writeFileSync(outDir, 'gone');
      }
    };
    const hooked = { ...stdout, write: (s: string) => (sabotage(s), stdout.write(s)) };
    const hookedErr = { ...stderr, write: (s: string) => (sabotage(s), stderr.write(s)) };
    const code = await main(['check', ...ACKS1, '--out-dir', 'traces', ...extra], {
      stdout: hooked,
      stderr: hookedErr,
      cwd,
      env: {},
    });
    return { code, stdout: stdout.text(), stderr: stderr.text(), cwd, outDir };
  }

  it('prints the verdict and the counterexample anyway, then the error naming the path; exit 1', async () => {
    const r = await checkWithVanishingOutDir([]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/no-data-loss violated after 6 steps/);
    expect(r.stdout).toMatch(/^6 {2}deliver LeaderAndIsr/m); // the trace's last step
    expect(r.stdout).toMatch(/✗ no-data-loss fails at step 6: record r1/);
    expect(r.stdout).toMatch(/^VIOLATION: no-data-loss violated after 6 steps/m);
    expect(r.stdout).not.toContain('Trace saved to');
    expect(r.stderr).toMatch(
      new RegExp(
        `error: the trace above was not saved: cannot write trace ${r.outDir}/no-data-loss\\.trace\\.json: E[A-Z]+`,
      ),
    );
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  });

  it('--json: the object has the verdict, the violation and traceError', async () => {
    const r = await checkWithVanishingOutDir(['--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as {
      verdict: string;
      violation: { path: number[] };
      trace: null;
      traceError: string;
    };
    expect(doc.verdict).toBe('violation');
    expect(doc.violation.path).toHaveLength(7);
    expect(doc.trace).toBeNull();
    expect(doc.traceError).toContain(`${r.outDir}/no-data-loss.trace.json`);
  });
});

/**
 * A directory whose absolute path is `length` characters long (Linux allows 4095): the output-location
 * probe (a 22-character name) fits in it, a longer file name does not, so the write fails after the search.
 */
function deepDir(length: number): string {
  let dir = dirs.make();
  while (dir.length < length - 1) dir = join(dir, 'd'.repeat(Math.min(200, length - dir.length - 1)));
  mkdirSync(dir, { recursive: true });
  expect(dir).toHaveLength(length);
  return dir;
}

describe.runIf(process.platform === 'linux')(
  'a write that fails after the search, in the other commands: exit 2',
  () => {
    it('rules compare prints the matrix, then the error naming the trace path', async () => {
      const outDir = deepDir(4070); // + "/unclean/<property>.trace.json" is past PATH_MAX
      const r = await runCli(
        [
          'rules',
          'compare',
          '--rules',
          'clean,unclean',
          '--max-states',
          '5000',
          '--fuzz-runs',
          '0',
          '--runs',
          '10',
          '--out-dir',
          outDir,
        ],
        dirs.make(),
      );
      expect(r.code).toBe(2);
      expect(r.stdout).toMatch(/^[a-z-]+ +\S.* +VIOLATED \(\d+ steps\)$/m); // the unclean rule's column
      expect(r.stdout).toMatch(/^Availability/m);
      expect(r.stderr.split(outDir).join('OUT')).toMatch(
        /^error: cannot write trace OUT\/unclean\/[a-z-]+\.trace\.json: ENAMETOOLONG/m,
      );
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    });

    it('catalog run prints the counterexample, then the error naming the trace path', async () => {
      const outDir = deepDir(4072); // + "/no-data-loss.trace.json" is past PATH_MAX
      const r = await runCli(['catalog', 'run', 'acks-1', '--out-dir', outDir], dirs.make());
      expect(r.code).toBe(2);
      expect(r.stdout).toMatch(/✗ no-data-loss fails at step/);
      expect(r.stdout).toContain('Trace not saved (see below)');
      expect(r.stderr).toContain(
        `error: the trace was not saved: cannot write trace ${outDir}/no-data-loss.trace.json: ENAMETOOLONG`,
      );
    });
  },
);

describe('merge refuses results of different runs, naming the first difference', () => {
  /** `kafka-mc <argv> --json` saved as `name` in `cwd`. */
  async function shard(cwd: string, name: string, argv: readonly string[]): Promise<void> {
    const r = await runCli([...argv, '--json'], cwd);
    expect([0, 1, 3]).toContain(r.code);
    writeFileSync(join(cwd, name), r.stdout);
  }
  const swarm = (i: number, extra: readonly string[] = []): string[] => [
    'check',
    ...SMALL,
    '--swarm',
    `${i}/2`,
    ...extra,
  ];

  it.each([
    ['another config', ['--max-crashes', '2'], /differ in config\.faults\.crashes: 1 in a\.json, 2 in b\.json/],
    ['another rule', ['--rule', 'unclean'], /differ in (config\.electionRule|rule)/],
    [
      'other properties',
      ['--property', 'single-leader'],
      /differ in the properties: \[.*\] in a\.json, \["single-leader"\] in b\.json/,
    ],
  ])('swarm shards of %s', async (_name, extra, message) => {
    const cwd = dirs.make();
    await shard(cwd, 'a.json', swarm(0));
    await shard(cwd, 'b.json', swarm(1, extra));
    const r = await runCli(['merge', 'a.json', 'b.json'], cwd);
    expectRefused(r, /a\.json and b\.json are not shards of one run; they differ in /);
    expect(r.stderr).toMatch(message);
  });

  it('a swarm shard and a fuzz campaign', async () => {
    const cwd = dirs.make();
    await shard(cwd, 'a.json', swarm(0));
    await shard(cwd, 'b.json', ['fuzz', ...SMALL, '--seed', '1', '--runs', '20']);
    expectRefused(
      await runCli(['merge', 'a.json', 'b.json'], cwd),
      /differ in the kind of run: a swarm shard \(check --swarm\) in a\.json, a fuzz campaign in b\.json/,
    );
  });

  it('results of another kafka-mc version', async () => {
    const cwd = dirs.make();
    await shard(cwd, 'a.json', swarm(0));
    await shard(cwd, 'b.json', swarm(1));
    const b = JSON.parse(readFileSync(join(cwd, 'b.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(cwd, 'b.json'), JSON.stringify({ ...b, version: '0.0.1' }));
    expectRefused(
      await runCli(['merge', 'a.json', 'b.json'], cwd),
      /differ in the kafka-mc version: "[\d.]+" in a\.json, "0\.0\.1" in b\.json/,
    );
  });

  it('shards of one run still merge', async () => {
    const cwd = dirs.make();
    await shard(cwd, 'a.json', swarm(0));
    await shard(cwd, 'b.json', swarm(1));
    expect((await runCli(['merge', 'a.json', 'b.json'], cwd)).code).toBe(0);
  });
});

describe('pin', () => {
  it('--expect fixed refuses a trace that still reproduces; --expect reproduces pins it', async () => {
    const { cwd, trace } = await workspace();
    mkdirSync(join(cwd, 'regressions'));
    const fixed = await runCli(['pin', trace, '--expect', 'fixed', '--dir', 'regressions'], cwd);
    expectRefused(
      fixed,
      /does not meet the expectation "fixed" on this kafka-mc: no-data-loss still fails after 6 steps/,
    );
    expect(fixed.stderr).toMatch(/fix the model or the rule first, or pin it with --expect reproduces/);
    expect(readdirSync(join(cwd, 'regressions'))).toEqual([]);
    const ok = await runCli(
      ['pin', trace, '--expect', 'reproduces', '--dir', 'regressions', '--name', 'acks1', '--json'],
      cwd,
    );
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ trace, pinned: 'regressions/acks1.trace.json', expectation: 'reproduces' });
  });
});
