/**
 * Signals and process trees, on the real executable: `node bin/kafka-mc.js` (a launcher and the child
 * it re-executes with a bigger heap), the installed bin and `npx kafka-mc` (npm, its `sh -c` wrapper,
 * the launcher, the child). Every test waits for what kafka-mc prints (never a fixed sleep), kills one
 * process of the tree, and checks that every process of the tree is gone afterwards.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { allGone, killQuietly, processTree, spawnTree, type Spawned } from './processTree.js';
import { runCli, tempDirs } from './testSupport.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const BIN = join(ROOT, 'bin/kafka-mc.js');
const built = existsSync(join(ROOT, 'dist/cli/main.js'));
const dirs = tempDirs('signals');
/** Every tree a test started: whatever a failed test left behind is killed at the end. */
const started: Spawned[] = [];
afterAll(() => {
  for (const run of started) for (const p of processTree(run.child.pid as number)) killQuietly(p, 'SIGKILL');
  dirs.cleanup();
});

function start(command: string, args: readonly string[], cwd: string): Spawned {
  const run = spawnTree(command, args, { cwd, env: ENV });
  started.push(run);
  return run;
}

/** A search that runs for minutes (the time limit only guards against a test that goes wrong). */
const LONG = ['check', '--max-partitions', '2', '--time-limit', '120s'];
/** Printed once the search is about to start: signals are caught from then on. */
const READY = /^engine: /m;
const ENV: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
delete ENV['KAFKA_MC_NO_RESPAWN'];
delete ENV['npm_lifecycle_event'];

const describeLinux = describe.runIf(built && process.platform === 'linux');

/** `node bin/kafka-mc.js argv`; resolves once it is ready, with its tree: [launcher, child]. */
async function startLauncher(argv: readonly string[] = LONG): Promise<{ run: Spawned; tree: number[] }> {
  const run = start(process.execPath, [BIN, ...argv], dirs.make());
  await run.waitFor(READY);
  const tree = processTree(run.child.pid as number);
  expect(tree).toHaveLength(2);
  return { run, tree };
}

/** What a stopped search prints: the partial results and the summary naming the signal. */
function expectPartialResults(run: Spawned, by: string): void {
  expect(run.stdout()).toContain(`Interrupted by ${by}: partial results.`);
  expect(run.stdout()).toMatch(
    new RegExp(`^INCOMPLETE: stopped by ${by} before covering the state space; .* distinct states?`, 'm'),
  );
  expect(run.stderr()).toMatch(/stopping the search/);
  expect(run.stderr()).not.toMatch(/quitting at once|internal error|\n\s+at /);
}

describeLinux('stop signals through node bin/kafka-mc.js (launcher and child)', () => {
  it.each([
    ['SIGINT', 'the launcher', 0, 'Ctrl-C'],
    ['SIGTERM', 'the launcher', 0, 'SIGTERM'],
    ['SIGHUP', 'the launcher', 0, 'SIGHUP'],
    ['SIGTERM', 'the child', 1, 'SIGTERM'],
  ] as const)('%s to %s stops the search, prints what it has, ends by the signal', async (sig, _who, at, by) => {
    const { run, tree } = await startLauncher();
    process.kill(tree[at] as number, sig);
    const end = await run.ended;
    expect(end.signal).toBe(sig);
    expectPartialResults(run, by);
    await allGone(tree);
  });

  it("a terminal's Ctrl-C (SIGINT to the whole process group) stops the search once", async () => {
    const { run, tree } = await startLauncher();
    process.kill(-(run.child.pid as number), 'SIGINT');
    const end = await run.ended;
    expect(end.signal).toBe('SIGINT');
    expectPartialResults(run, 'Ctrl-C');
    expect(run.stderr().match(/stopping the search/g)).toHaveLength(1);
    await allGone(tree);
  });

  it('a second Ctrl-C quits at once', async () => {
    const { run, tree } = await startLauncher();
    process.kill(-(run.child.pid as number), 'SIGINT');
    await run.waitFor(/stopping the search/);
    process.kill(-(run.child.pid as number), 'SIGINT');
    const end = await run.ended;
    expect(end.signal).toBe('SIGINT');
    expect(run.stderr()).toMatch(/Ctrl-C again: quitting at once/);
    await allGone(tree);
  });

  it('kill -9 of the launcher: the child notices, prints what it has and exits', async () => {
    const { run, tree } = await startLauncher();
    process.kill(tree[0] as number, 'SIGKILL');
    const end = await run.ended; // stdout closes only when the child is gone too
    expect(end.signal).toBe('SIGKILL');
    expectPartialResults(run, 'SIGHUP');
    await allGone(tree);
  });

  it('kill -9 of the child: the launcher ends by the same signal', async () => {
    const { run, tree } = await startLauncher();
    process.kill(tree[1] as number, 'SIGKILL');
    const end = await run.ended;
    expect(end.signal).toBe('SIGKILL');
    await allGone(tree);
  });

  it('--json: SIGTERM prints the JSON object of the partial run with exitCode 143', async () => {
    const { run, tree } = await startLauncher([...LONG, '--json']);
    process.kill(tree[0] as number, 'SIGTERM');
    const end = await run.ended;
    expect(end.signal).toBe('SIGTERM');
    const doc = JSON.parse(run.stdout()) as { verdict: string; exitCode: number; reasons: string[] };
    expect(doc).toMatchObject({ verdict: 'incomplete', exitCode: 143, reasons: ['interrupted'] });
    await allGone(tree);
  });

  it('the parallel engine (--workers 2) stops the same way', async () => {
    const { run, tree } = await startLauncher([...LONG, '--workers', '2']);
    process.kill(tree[0] as number, 'SIGINT');
    const end = await run.ended;
    expect(end.signal).toBe('SIGINT');
    expectPartialResults(run, 'Ctrl-C');
    await allGone(tree);
  });

  it('in a command that is not a search (mutate), a signal ends kafka-mc at once, by that signal', async () => {
    const run = start(process.execPath, [BIN, 'mutate'], dirs.make());
    await run.waitFor(/^ {2}\S+ +(killed by|SURVIVED)/m, 120_000); // the first mutant is done
    const tree = processTree(run.child.pid as number);
    const sent = Date.now();
    process.kill(tree[0] as number, 'SIGTERM');
    const end = await run.ended;
    expect(end.signal).toBe('SIGTERM');
    expect(Date.now() - sent).toBeLessThan(10_000);
    expect(run.stdout()).not.toMatch(/Every mutant was killed|mutant\(s\) survived/);
    await allGone(tree);
  });

  it('fuzz stops the same way', async () => {
    const { run, tree } = await startLauncher(['fuzz', '--runs', '100000000', '--seed', '1', '--time-limit', '120s']);
    process.kill(tree[0] as number, 'SIGTERM');
    const end = await run.ended;
    expect(end.signal).toBe('SIGTERM');
    expect(run.stdout()).toMatch(/^INCOMPLETE: stopped by SIGTERM/m);
    await allGone(tree);
  });
});

/** A project with kafka-mc installed (as a link): node_modules/.bin/kafka-mc. */
function project(): string {
  const dir = dirs.make();
  mkdirSync(join(dir, 'node_modules/.bin'), { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'signal-test', private: true, dependencies: { 'kafka-mc': `file:${ROOT}` } }),
  );
  symlinkSync(ROOT, join(dir, 'node_modules/kafka-mc'));
  symlinkSync('../kafka-mc/bin/kafka-mc.js', join(dir, 'node_modules/.bin/kafka-mc'));
  return dir;
}

describeLinux('the installed bin and npx', () => {
  it("the installed bin: a terminal's Ctrl-C stops the search, which ends by SIGINT", async () => {
    const cwd = project();
    const run = start(join(cwd, 'node_modules/.bin/kafka-mc'), LONG, cwd);
    await run.waitFor(READY);
    const tree = processTree(run.child.pid as number);
    process.kill(-(run.child.pid as number), 'SIGINT');
    const end = await run.ended;
    expect(end.signal).toBe('SIGINT');
    expectPartialResults(run, 'Ctrl-C');
    await allGone(tree);
  });

  /** `npx kafka-mc …` in a project that has it installed; its tree: npm, sh, launcher, child. */
  async function startNpx(): Promise<{ run: Spawned; tree: number[] }> {
    const cwd = project();
    const run = start('npx', ['--offline', 'kafka-mc', ...LONG], cwd);
    await run.waitFor(READY, 90_000);
    const tree = processTree(run.child.pid as number);
    expect(tree.length).toBeGreaterThanOrEqual(4);
    return { run, tree };
  }

  it("npx: a terminal's Ctrl-C stops the search; npx ends by SIGINT as well (exit status 130)", async () => {
    const { run, tree } = await startNpx();
    process.kill(-(run.child.pid as number), 'SIGINT');
    const end = await run.ended;
    expect(end.code === 130 || end.signal === 'SIGINT').toBe(true);
    expectPartialResults(run, 'Ctrl-C');
    await allGone(tree);
  });

  it('npx: SIGTERM to npm leaves nothing running (npm passes it to its shell only)', async () => {
    const { run, tree } = await startNpx();
    process.kill(tree[0] as number, 'SIGTERM');
    const end = await run.ended;
    expect(end.code === 143 || end.signal === 'SIGTERM').toBe(true);
    expect(run.stdout()).toMatch(/^INCOMPLETE: stopped by SIGHUP/m);
    await allGone(tree);
  });

  it.each([
    [0, 'npm'],
    [1, "npm's shell"],
  ])('npx: kill -9 of process %i (%s) leaves nothing running', async (at) => {
    const { run, tree } = await startNpx();
    process.kill(tree[at] as number, 'SIGKILL');
    await run.ended;
    await allGone(tree);
  });
});

describe('--workers above the core count', () => {
  it('warns and says what it will do', async () => {
    const r = await runCli(
      [
        'check',
        '--brokers',
        '2',
        '--replication-factor',
        '2',
        '--min-isr',
        '1',
        '--max-records',
        '1',
        '--max-leader-epochs',
        '2',
        '--max-partitions',
        '0',
        '--workers',
        '64',
        '--quiet',
      ],
      mkdtempSync(join(tmpdir(), 'kafka-mc-workers-')),
    );
    expect(r.stderr).toMatch(
      /^warning: --workers 64 is more than the \d+ cores? of this machine; running 64 worker threads anyway: .* no faster than with --workers \d+/m,
    );
    expect(r.code).toBe(0);
  });
});
