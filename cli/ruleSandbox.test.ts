/**
 * Election-rule files are untrusted code: a looping, throwing, nondeterministic or badly typed rule
 * ends the run with a message naming the rule, the election in Kafka's words and what it did —
 * in every engine — never an internal error or a hang.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { RuleError, type ElectionRule, type ElectionView } from '../model/index.js';
import { describeElection, sandboxRule } from './ruleSandbox.js';
import { runCli, tempDirs, type CliRun } from './testSupport.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const built = existsSync(join(ROOT, 'dist/cli/main.js'));
const dirs = tempDirs('sandbox');
afterAll(() => dirs.cleanup());

const VIEW: ElectionView = {
  reason: 'offline',
  partition: 0,
  assignment: [0, 1, 2],
  isr: [1, 2],
  live: [1, 2],
  currentLeader: 0,
  uncleanEnabled: false,
  replicaLogs: [
    { broker: 1, logEndOffset: 2, lastEpoch: 1 },
    { broker: 2, logEndOffset: 1, lastEpoch: 1 },
  ],
};
const ELECTION =
  'the offline election of partition 0 (replicas [0, 1, 2], ISR [1, 2], live [1, 2], current leader broker 0, unclean.leader.election.enable=false, log end offsets of the replicas that answered b1:2 b2:1)';

const rule = (eligibleLeaders: ElectionRule['eligibleLeaders']): ElectionRule => ({
  name: 'mine',
  description: 'a test rule',
  eligibleLeaders,
});
const FILE = '/rules/mine.ts';
const sandboxed = (r: ElectionRule, budgetMs?: number): ElectionRule => sandboxRule(r, FILE, '/rules', budgetMs);

/** The RuleError a call throws (fails the test if it does not throw one). */
function errorOf(r: ElectionRule, view: ElectionView = VIEW): string {
  try {
    r.eligibleLeaders(view);
  } catch (e) {
    expect(e).toBeInstanceOf(RuleError);
    return (e as Error).message;
  }
  throw new Error('the rule was accepted');
}

describe('sandboxRule', () => {
  it('describes the election in Kafka words', () => {
    expect(describeElection(VIEW)).toBe(ELECTION);
  });

  it('a rule that never returns is stopped by its time budget, naming the rule and the election', () => {
    const started = Date.now();
    const message = errorOf(
      sandboxed(
        rule(() => {
          for (;;);
        }),
        200,
      ),
    );
    expect(Date.now() - started).toBeLessThan(5000);
    expect(message).toBe(
      `election rule "mine" (mine.ts) did not return within 0.2 s when asked about ${ELECTION}; a rule must answer at once (an endless loop?)`,
    );
  });

  it('a throwing rule: its message', () => {
    expect(
      errorOf(
        sandboxed(
          rule(() => {
            throw new Error('no idea');
          }),
        ),
      ),
    ).toBe(`election rule "mine" (mine.ts) threw when asked about ${ELECTION}: no idea`);
  });

  it.each([
    ['undefined', undefined, 'a list of broker ids was expected'],
    ['a non-array', { leader: 1 }, 'a list of broker ids was expected'],
    ['strings', ['1', '2'], "'1' is not a broker id (an integer)"],
    ['duplicates', [1, 1], 'broker 1 is listed twice'],
    ['a non-replica', [7], 'broker 7 is not a replica of partition 0 (replicas [0, 1, 2])'],
    [
      'a replica that is not live',
      [0],
      'broker 0 is not live (live replicas [1, 2]); a rule must return a subset of view.live',
    ],
  ])('a rule returning %s: the rule, the election and what it returned', (_name, answer, problem) => {
    const message = errorOf(sandboxed(rule(() => answer as readonly number[])));
    expect(message).toMatch(/^election rule "mine" \(mine\.ts\) returned .* when asked about the offline election/);
    expect(message).toContain(ELECTION);
    expect(message.endsWith(`: ${problem}`)).toBe(true);
  });

  it('Math.random: nondeterministic, with both answers', () => {
    let flip = false;
    const message = errorOf(sandboxed(rule(() => ((flip = !flip) ? [1] : [2]))));
    expect(message).toBe(
      `election rule "mine" (mine.ts) is nondeterministic: asked twice about ${ELECTION}, it answered [ 1 ] and then [ 2 ]; a rule must be a pure function of its view (no Math.random, no Date.now, no state kept between calls), or the checker's verdicts and traces mean nothing`,
    );
  });

  it('state kept between calls: nondeterministic', () => {
    let calls = 0;
    expect(errorOf(sandboxed(rule((v) => (++calls > 1 ? [] : v.live.slice(0, 1)))))).toMatch(/is nondeterministic/);
  });

  it('a rule that reads a clock: caught when a remembered answer is asked for again', () => {
    let now = 0;
    const r = sandboxed(rule((v) => (now % 2 ? v.live.slice(0, 1) : v.live.slice(1))));
    expect(r.eligibleLeaders(VIEW)).toEqual([2]);
    now = 1; // time passes
    expect(() => {
      for (let i = 0; i < 1000; i++) r.eligibleLeaders(VIEW);
    }).toThrow(/is nondeterministic: asked twice about .* it answered \[ 2 \] and then \[ 1 \]/);
  });

  it('a well-behaved rule: its answers, asked twice per distinct election, on a frozen copy of the view', () => {
    let calls = 0;
    let frozen = false;
    const r = sandboxed(
      rule((v) => {
        calls++;
        frozen = Object.isFrozen(v) && Object.isFrozen(v.live);
        return v.live.filter((b) => v.isr.includes(b)).slice(0, 1);
      }),
    );
    for (let i = 0; i < 100; i++) expect(r.eligibleLeaders(VIEW)).toEqual([1]);
    expect(r.eligibleLeaders({ ...VIEW, isr: [2] })).toEqual([2]);
    expect(calls).toBe(4);
    expect(frozen).toBe(true);
  });
});

/** Rule files for the CLI: each misbehaves in its own way. */
const RULES: Record<string, string> = {
  'loop.ts': "export default { name: 'loop', description: 'never returns', eligibleLeaders() { for (;;) {} } };",
  // Alternates its answer on every call (state kept between calls), so the sandbox's second question
  // always disagrees once the ISR has two members. Math.random would agree half the time, and then the
  // rule's out-of-order pick could make the run end with a violation (exit 1) before the sandbox notices.
  'flip.ts':
    "let n = 0; export default { name: 'flip', description: 'alternates', eligibleLeaders(v: { isr: number[] }) { n += 1; return n % 2 === 0 ? v.isr.slice(0, 1) : v.isr.slice(-1); } };",
  'strings.ts':
    "export default { name: 'strings', description: 'ids as strings', eligibleLeaders(v: { live: number[] }) { return v.live.map(String) as unknown as number[]; } };",
  'throws.ts':
    "export default { name: 'throws', description: 'throws', eligibleLeaders() {\n  throw new Error('not today');\n} };",
};

function workspace(): string {
  const cwd = dirs.make();
  for (const [name, text] of Object.entries(RULES)) writeFileSync(join(cwd, name), `${text}\n`);
  return cwd;
}

/** No partitions, one record: the first election comes a few steps in. */
const CFG = ['--max-partitions', '0', '--max-records', '1'];

function expectRuleError(r: CliRun, message: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).toMatch(/\nin state:\n {2}ZooKeeper: controller/);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at .+:\d+:\d+|worker \d/);
}

describe.runIf(built)('misbehaving rule files in every engine (exit 2, the rule, the election, the state)', () => {
  const engines: [string, string[]][] = [
    ['breadth-first', []],
    ['depth-first', ['--dfs']],
    ['parallel (--workers 2)', ['--workers', '2']],
    ['swarm shard', ['--swarm', '0/2']],
    ['liveness', ['--property', 'eventually-leader']],
  ];
  for (const [engine, flags] of engines)
    it(`${engine}: an endless loop is stopped after 1 s, far within --time-limit`, async () => {
      const started = Date.now();
      const r = await runCli(['check', ...CFG, '--rule', './loop.ts', '--time-limit', '10m', ...flags], workspace());
      expectRuleError(
        r,
        /^error: election rule "loop" \(loop\.ts\) did not return within 1 s when asked about the offline election of partition 0 /,
      );
      expect(Date.now() - started).toBeLessThan(60_000);
    });

  it('fuzz: an endless loop', async () => {
    const r = await runCli(['fuzz', ...CFG, '--rule', './loop.ts', '--seed', '1'], workspace());
    expectRuleError(r, /^error: election rule "loop" \(loop\.ts\) did not return within 1 s/);
  });

  it.each([
    ['flip.ts', [], /^error: election rule "flip" \(flip\.ts\) is nondeterministic: asked twice about/],
    ['flip.ts', ['--workers', '2'], /^error: election rule "flip" \(flip\.ts\) is nondeterministic/],
    [
      'strings.ts',
      [],
      /^error: election rule "strings" \(strings\.ts\) returned \[ '1', '2' \] when asked about .*: '1' is not a broker id/,
    ],
    [
      'throws.ts',
      [],
      /^error: election rule "throws" \(throws\.ts\) threw when asked about .*: not today \(at throws\.ts:2:\d+\)/,
    ],
  ])('%s %j', async (file, flags, message) => {
    expectRuleError(await runCli(['check', ...CFG, '--rule', `./${file}`, ...flags], workspace()), message);
  });

  it('rules compare and mutate name the rule too', async () => {
    const cwd = workspace();
    for (const argv of [
      ['rules', 'compare', '--rules', 'clean,./strings.ts', '--max-states', '5000', '--runs', '10'],
      ['mutate', '--rule', './strings.ts', '--only', 'no-isr-only-election'],
    ]) {
      const r = await runCli(argv, cwd);
      expect(r.code).toBe(2);
      // each command meets its first election in its own config, so which brokers it names differs
      expect(r.stderr).toMatch(
        /^error: election rule "strings" \(strings\.ts\) returned \[ '\d', '\d' \] when asked about the offline election of partition 0 .*: '\d' is not a broker id/m,
      );
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    }
  });

  it('replay of a trace whose rule became nondeterministic says so once, naming the rule', async () => {
    const cwd = workspace();
    const file = join(cwd, 'flip.ts');
    writeFileSync(
      file,
      "export default { name: 'flip', description: 'clean for now', eligibleLeaders(v: { live: number[]; isr: number[] }) { return v.live.filter((b) => v.isr.includes(b)).slice(0, 1); } };\n",
    );
    const recorded = await runCli(
      ['check', '--acks', '1', ...CFG, '--max-leader-epochs', '2', '--rule', './flip.ts', '--quiet'],
      cwd,
    );
    expect(recorded.code).toBe(1);
    writeFileSync(
      file,
      "let n = 0;\nexport default { name: 'flip', description: 'now keeps state', eligibleLeaders(v: { live: number[] }) { n++; return n % 2 ? v.live.slice(0, 1) : v.live.slice(-1); } };\n",
    );
    // a process of its own: this one has the first version of the file in its module cache
    const r = spawnSync(
      process.execPath,
      [join(ROOT, 'bin/kafka-mc.js'), 'replay', 'kafka-mc-traces/no-data-loss.trace.json', '--brief'],
      {
        cwd,
        encoding: 'utf8',
        env: { ...process.env, KAFKA_MC_NO_RESPAWN: '1', NO_COLOR: '1' },
      },
    );
    expect(r.status).toBe(2);
    expect(r.stdout.match(/nondeterministic/g)).toHaveLength(1);
    expect(r.stdout).toMatch(
      /^ERROR: election rule "flip" \(flip\.ts\) is nondeterministic: asked twice about the offline election/m,
    );
    expect(r.stdout).toMatch(/note: the rule file .*flip\.ts changed since the trace was recorded/);
  });
});
