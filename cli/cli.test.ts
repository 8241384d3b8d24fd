import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { captureStream } from './Io.js';
import { main } from './program.js';
import { ACKS1, SMALL, expectNoStack, runCli, type CliRun } from './testSupport.js';
import { spawnTree } from './processTree.js';
import { expectGolden } from '../checker/testing/golden.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const FIXTURES = join(ROOT, 'cli/fixtures');
const GOLDEN = join(ROOT, 'cli/golden');

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'kafka-mc-cli-'));
}

const run = (argv: readonly string[], cwd = tempDir()): Promise<CliRun> => runCli(argv, cwd);

/** Durations, rates and the version vary between runs; golden files hold placeholders. */
function normalise(text: string): string {
  return text
    .replace(/in (\d+(\.\d+)? s|\d+ min \d+ s) \([\d,]+ states\/s\)/g, 'in <time>')
    .replace(/kafka-mc \d+\.\d+\.\d+\S*/g, 'kafka-mc <version>');
}

function golden(name: string, actual: string): void {
  expectGolden(join(GOLDEN, name), normalise(actual));
}

describe('help', () => {
  it('kafka-mc --help lists the commands and exit codes (golden)', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    golden('help.txt', r.stdout);
  });

  it('kafka-mc check --help lists every flag by group (golden)', async () => {
    const r = await run(['check', '--help']);
    expect(r.code).toBe(0);
    golden('check-help.txt', r.stdout);
  });

  it('no arguments prints the help and exits 2', async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('Usage: kafka-mc');
  });
});

describe('check', () => {
  it('a passing check prints the outcomes and a one-line summary, exit 0 (golden)', async () => {
    const r = await run(['check', ...SMALL]);
    expect(r.code).toBe(0);
    golden('check-pass.txt', r.stdout);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(
      /^OK within bounds: 9 properties hold, 6 guards reached; 911 distinct states/,
    );
  });

  it('KRaft mode: a passing check of a 1-voter quorum lists the metadata-log properties (golden)', async () => {
    const r = await run(['check', '--mode', 'kraft', '--voters', '1', '--max-partitions', '0']);
    expect(r.code).toBe(0);
    golden('check-kraft-pass.txt', r.stdout);
    expect(r.stdout).toContain('committed-metadata-durable');
    expect(r.stdout).toContain('leader-active');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(
      /^OK within bounds: 12 properties hold, 5 guards reached; 11,695 distinct states/,
    );
  });

  it('--grow-bounds raises the bound that cut a pass until the violation it hid shows (golden)', async () => {
    // acks=1 with no record to lose passes, cut by the record bound; one record more loses it in 6 steps
    const args = [
      'check',
      '--property',
      'no-data-loss',
      '--acks',
      '1',
      '--max-records',
      '0',
      '--max-leader-epochs',
      '2',
    ];
    const r = await run([...args, '--max-partitions', '0', '--grow-bounds']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      '--grow-bounds: round 1 passed within bounds cut by --max-records 0; raising --max-records by one',
    );
    const rounds = r.stdout.slice(r.stdout.indexOf('Bounds grown'));
    golden('check-grow-bounds.txt', rounds);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(
      /^VIOLATION: no-data-loss violated after 6 steps; 906 distinct/,
    );
    const json = await run([...args, '--max-partitions', '0', '--grow-bounds', 'max-records', '--json']);
    const grow = (JSON.parse(json.stdout) as { growBounds: { rounds: { verdict: string; distinct: number }[] } })
      .growBounds;
    expect(grow.rounds.map((x) => [x.verdict, x.distinct])).toEqual([
      ['ok within bounds', 751],
      ['violation', 906],
    ]);
  });

  it('--grow-bounds shows the KRaft power loss that the partition-epoch bound hid (issue 22)', async () => {
    // One voter, min ISR 1, one power loss: with partition epochs <= 3 no-data-loss holds within bounds
    // (the bound cuts); at 4 the last ISR member loses its unflushed record and is re-elected.
    const args = ['check', '--mode', 'kraft', '--voters', '1', '--min-isr', '1', '--max-records', '1'];
    const bounds = ['--max-leader-epochs', '3', '--max-partition-epochs', '3', '--max-metadata-records', '5'];
    const faults = ['--max-partitions', '0', '--max-crashes', '0', '--max-unclean-shutdowns', '1'];
    const json = await run([
      ...args,
      ...bounds,
      ...faults,
      '--property',
      'no-data-loss',
      '--grow-bounds',
      'max-partition-epochs',
      '--json',
    ]);
    expect(json.code).toBe(1);
    const out = JSON.parse(json.stdout) as {
      growBounds: { rounds: { verdict: string; distinct: number }[] };
    };
    expect(out.growBounds.rounds.map((x) => [x.verdict, x.distinct])).toEqual([
      ['ok within bounds', 22376],
      ['violation', 10321],
    ]);
  });

  it('--grow-bounds names the bounds that may grow, and refuses checkpoints', async () => {
    const bad = await run(['check', ...SMALL, '--grow-bounds', 'max-in-flight']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      '"max-in-flight" is not a bound that can grow; choose from max-records, max-leader-epochs',
    );
    const ckpt = await run(['check', ...SMALL, '--grow-bounds', '--checkpoint', 'ckpt']);
    expect(ckpt.code).toBe(2);
    expect(ckpt.stderr).toContain(
      '--grow-bounds re-runs the check with other bounds, which --checkpoint cannot follow',
    );
  });

  it('a violating check prints the trace, saves it and the replay command, exit 1 (golden)', async () => {
    const r = await run(['check', ...ACKS1]);
    expect(r.code).toBe(1);
    golden('check-violation.txt', r.stdout);
    expect(r.stdout).toContain('no-data-loss violated after 6 steps');
    expect(r.stdout).toContain('Replay it with: npx kafka-mc replay kafka-mc-traces/no-data-loss.trace.json');
    expect(existsSync(join(r.cwd, 'kafka-mc-traces/no-data-loss.trace.json'))).toBe(true);

    const replay = await run(['replay', 'kafka-mc-traces/no-data-loss.trace.json'], r.cwd);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain('REPRODUCES: no-data-loss still fails after 6 steps');
  });

  it('--save-examples saves each reached guard as a replayable example trace, never overwriting one', async () => {
    const cwd = tempDir();
    const first = await run(['check', ...SMALL, '--save-examples'], cwd);
    expect(first.code).toBe(0);
    const files = readdirSync(join(cwd, 'kafka-mc-traces')).sort();
    expect(files.length).toBeGreaterThan(0);
    expect(files.every((f) => f.endsWith('.example.trace.json'))).toBe(true);
    expect(files).toContain('isr-shrinks.example.trace.json');
    expect(first.stdout).toContain('Examples of reached guards (kafka-mc replay FILE, kafka-mc view FILE):');
    expect(first.stdout).toMatch(/ {2}isr-shrinks +kafka-mc-traces\/isr-shrinks\.example\.trace\.json \(\d+ steps?\)/);
    const before = readFileSync(join(cwd, 'kafka-mc-traces/isr-shrinks.example.trace.json'), 'utf8');
    const second = JSON.parse((await run(['check', ...SMALL, '--save-examples', '--json'], cwd)).stdout) as {
      examples: { id: string; file: string; steps: number }[];
    };
    expect(second.examples.map((e) => e.file).sort()).toEqual(
      files.map((f) => `kafka-mc-traces/${f.replace('.example', '-2.example')}`),
    );
    expect(readFileSync(join(cwd, 'kafka-mc-traces/isr-shrinks.example.trace.json'), 'utf8')).toBe(before);
    const replay = await run(['replay', 'kafka-mc-traces/isr-shrinks.example.trace.json'], cwd);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain('REPRODUCES: isr-shrinks still is reached');
    const plain = await run(['check', ...SMALL], tempDir());
    expect(existsSync(join(plain.cwd, 'kafka-mc-traces'))).toBe(false);
  });

  it('--seed seeds the fingerprint hash of the exhaustive engines; the verdict and counts do not change', async () => {
    for (const workers of ['1', '2']) {
      const plain = JSON.parse((await run(['check', ...SMALL, '--workers', workers, '--json'])).stdout) as {
        engine: { hashSeed?: number };
        stats: { distinct: number };
      };
      const seeded = JSON.parse(
        (await run(['check', ...SMALL, '--workers', workers, '--seed', '5', '--json'])).stdout,
      ) as {
        engine: { hashSeed?: number };
        stats: { distinct: number };
        verdict: string;
      };
      expect(plain.engine.hashSeed).toBeUndefined();
      expect(seeded.engine.hashSeed).toBe(5);
      expect(seeded.verdict).toBe('ok');
      expect(seeded.stats.distinct).toBe(plain.stats.distinct);
    }
  });

  it('--spill-dir: the frontier may go to files under an existing directory, gone afterwards; same verdict and counts', async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'spill'));
    const plain = JSON.parse((await run(['check', ...SMALL, '--json'], cwd)).stdout) as { stats: { distinct: number } };
    for (const workers of ['1', '2']) {
      const r = await run(['check', ...SMALL, '--workers', workers, '--spill-dir', 'spill'], cwd);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`frontier spilled to ${join(cwd, 'spill')}`);
      expect(r.stdout).toContain(`${plain.stats.distinct.toLocaleString('en-US')} distinct states`);
      expect(readdirSync(join(cwd, 'spill'))).toEqual([]);
    }
    const missing = await run(['check', ...SMALL, '--spill-dir', 'nowhere'], cwd);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--spill-dir nowhere: no such directory');
    const dfs = await run(['check', ...SMALL, '--dfs', '--spill-dir', 'spill'], cwd);
    expect(dfs.code).toBe(2);
    expect(dfs.stderr).toContain('--spill-dir applies to the breadth-first check');
  });

  it('never overwrites a trace: a second violation goes to <property>-2.trace.json', async () => {
    const cwd = tempDir();
    await run(['check', ...ACKS1, '--quiet'], cwd);
    const r = await run(['check', ...ACKS1, '--quiet'], cwd);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('trace: kafka-mc-traces/no-data-loss-2.trace.json');
    expect(readdirSync(join(cwd, 'kafka-mc-traces')).sort()).toEqual([
      'no-data-loss-2.trace.json',
      'no-data-loss.trace.json',
    ]);
  });

  it('a guard never reached is a violation (vacuous pass), exit 1', async () => {
    // One controller epoch: no controller failover, so no leader failover either.
    const r = await run(['check', ...SMALL, '--max-controller-epochs', '1']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/VIOLATION: guard failover-happens was never reached/);
  });

  it('a bound hit makes the run incomplete, exit 3', async () => {
    const r = await run(['check', ...SMALL, '--max-states', '100']);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/INCOMPLETE: stopped by the state bound \(--max-states\)/);
  });

  it('an aborted signal (Ctrl-C) stops the run with partial stats, exit 130 (128 + SIGINT)', async () => {
    const stdout = captureStream();
    const stderr = captureStream();
    const code = await main(['check', ...SMALL], {
      stdout,
      stderr,
      cwd: tempDir(),
      env: {},
      signal: AbortSignal.abort(),
    });
    // A stop signal decides the exit code, even when the tiny run finished before it noticed the abort.
    expect(code).toBe(130);
    expect(stdout.text()).toMatch(/^(INCOMPLETE: stopped by Ctrl-C|OK within bounds: )/m);
  });

  it('--json prints one object with a stable shape', async () => {
    const r = await run(['check', ...ACKS1, '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual([
      'command',
      'version',
      'verdict',
      'exitCode',
      'summary',
      'config',
      'rule',
      'engine',
      'stats',
      'exhaustive',
      'bitstate',
      'withinBounds',
      'cuts',
      'outcomes',
      'reasons',
      'violation',
      'trace',
    ]);
    expect(out['verdict']).toBe('violation');
    expect(out['exitCode']).toBe(1);
    expect(out['trace']).toEqual({
      file: 'kafka-mc-traces/no-data-loss.trace.json',
      replay: 'npx kafka-mc replay kafka-mc-traces/no-data-loss.trace.json',
    });
    expect((out['stats'] as { distinct: number }).distinct).toBe(906);
  });

  it('--dfs and --property select the engine and the properties', async () => {
    const r = await run(['check', ...SMALL, '--dfs', '--property', 'single-leader', '--property', 'record-acked']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('engine: exhaustive depth-first; 2 properties: single-leader, record-acked');
  });

  it('--quiet prints only the summary line', async () => {
    const r = await run(['check', ...SMALL, '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('configuration', () => {
  it('precedence: preset < config file < flags (--print-config)', async () => {
    const cwd = tempDir();
    writeFileSync(
      join(cwd, 'cluster.yaml'),
      'preset: kafka-0.11\nbrokers: 4\nminInsyncReplicas: 1\nfaults:\n  crashes: 2\nmechanisms:\n  fetchEpochFencing: true\n',
    );
    const r = await run(['check', '--config', 'cluster.yaml', '--min-isr', '2', '--print-config', '--json'], cwd);
    expect(r.code).toBe(0);
    const c = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(c['brokers']).toBe(4); // file over default
    expect(c['minInsyncReplicas']).toBe(2); // flag over file
    expect(c['truncation']).toBe('leader-epoch-offset'); // preset
    expect(c['uncleanLeaderElection']).toBe(false);
    expect(c['faults']).toMatchObject({ crashes: 2, networkPartitions: 1 });
    expect(c['mechanisms']).toMatchObject({ fetchEpochFencing: true, strictMinIsr: false }); // file over preset
    expect(c['rule']).toBe('clean');
  });

  it('--print-config prints YAML that --config reads back', async () => {
    const cwd = tempDir();
    const printed = await run(['check', '--preset', 'kafka-0.10', '--max-crashes', '2', '--print-config'], cwd);
    expect(printed.code).toBe(0);
    writeFileSync(join(cwd, 'c.yaml'), printed.stdout);
    const again = await run(['check', '--config', 'c.yaml', '--print-config'], cwd);
    expect(again.stdout.split('\n').slice(1)).toEqual(
      printed.stdout
        .replace('# from preset kafka-0.10\n', `# from config file ${join(cwd, 'c.yaml')}\n`)
        .split('\n')
        .slice(1),
    );
  });

  it('--truncation hw maps to high-watermark and mechanism switches turn off and on', async () => {
    const r = await run([
      'check',
      '--truncation',
      'hw',
      '--no-fetch-epoch-fencing',
      '--preset',
      'kafka-0.10',
      '--strict-min-isr',
      '--print-config',
      '--json',
    ]);
    const c = JSON.parse(r.stdout) as { truncation: string; mechanisms: Record<string, boolean> };
    expect(c.truncation).toBe('high-watermark');
    expect(c.mechanisms['fetchEpochFencing']).toBe(false);
    expect(c.mechanisms['strictMinIsr']).toBe(true);
  });
});

describe('bad input: a clear message, the nearest name, exit 2, no stack trace', () => {
  const cases: readonly (readonly [string, readonly string[], RegExp])[] = [
    ['unknown flag', ['check', '--brokrs', '3'], /unknown option '--brokrs'\n\(Did you mean --brokers\?\)/],
    ['unknown command', ['chek'], /unknown command 'chek'\n\(Did you mean check\?\)/],
    [
      'unknown property',
      ['check', '--property', 'no-dataloss'],
      /unknown property "no-dataloss"; did you mean "no-data-loss"\?/,
    ],
    ['unknown rule', ['check', '--rule', 'clen'], /unknown election rule "clen"; did you mean "clean"\?/],
    ['unknown preset', ['check', '--preset', 'kafka-0.1'], /unknown preset "kafka-0.1"; did you mean "kafka-0.10"\?/],
    ['unknown property to explain', ['explain', 'single-leadr'], /did you mean "single-leader"\?/],
    [
      'bad number',
      ['check', '--brokers', 'three'],
      /'--brokers <n>' argument 'three' is invalid. expected a non-negative integer/,
    ],
    ['bad duration', ['check', '--time-limit', '5x'], /expected a duration such as 30s, 5m/],
    ['bad choice', ['check', '--acks', '2'], /Allowed choices are all, 1/],
    [
      'even quorum',
      ['check', '--mode', 'kraft', '--voters', '2'],
      /voters \(2\) must be 1, 3 or 5: a KRaft controller quorum has an odd number of voters \(controller.quorum.voters\) \[--voters\]/,
    ],
    [
      'ELR in ZooKeeper mode',
      ['check', '--elr'],
      /elr \(Eligible Leader Replicas, KIP-966\) exists only in KRaft mode; use --mode kraft or drop --elr/,
    ],
    [
      'a KRaft mechanism in ZooKeeper mode',
      ['check', '--no-raft-epoch-fencing'],
      /mechanisms.raftEpochFencing exists only in KRaft mode, so switching it off changes nothing in ZooKeeper mode; drop it or use --mode kraft \[--no-raft-epoch-fencing\]/,
    ],
    ['missing rule file', ['check', '--rule', './nope.ts'], /rule file \.\/nope\.ts not found/],
    ['missing config file', ['check', '--config', 'nope.yaml'], /config file nope\.yaml not found/],
    ['missing trace', ['replay', 'nope.trace.json'], /nope\.trace\.json does not exist/],
  ];
  for (const [name, argv, message] of cases)
    it(name, async () => {
      const r = await run(argv);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expectNoStack(r);
    });

  it('an impossible config lists every problem with the flag that fixes it', async () => {
    const r = await run([
      'check',
      '--brokers',
      '2',
      '--replication-factor',
      '3',
      '--min-isr',
      '4',
      '--max-crashes',
      '9',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      [
        'error: the configuration has 3 problems',
        '  - replication factor (3) exceeds the number of brokers (2); lower --replication-factor or add brokers [--replication-factor]',
        '  - min.insync.replicas (4) exceeds replication factor (3); every acks=all produce would fail with NotEnoughReplicas [--min-isr]',
        '  - faults.crashes (9) must be between 0 and 5 [--max-crashes]',
        '',
      ].join('\n'),
    );
  });

  it('a config file with unknown keys names each with the nearest known one', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'c.yaml'), 'brokerz: 3\nfaults:\n  crashs: 1\n');
    const r = await run(['check', '--config', 'c.yaml'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown setting "brokerz"; did you mean "brokers"?');
    expect(r.stderr).toContain('unknown faults setting "crashs"; did you mean "crashes"?');
  });

  it('a rule file that does not compile: file:line and the source line', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'broken.ts'), "const x: number = 1;\nexport default { name: 'b', description: ; };\n");
    const r = await run(['check', '--rule', './broken.ts'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/rule file \.\/broken\.ts does not compile\n {2}- broken\.ts:2:\d+: Unexpected ";"/);
    expectNoStack(r);
  });

  it('a rule file that throws while loading: the message and file:line', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'throws.ts'), "const ok = 1;\nthrow new Error('no rule today');\nexport default ok;\n");
    const r = await run(['check', '--rule', './throws.ts'], cwd);
    expect(r.code).toBe(2);
    // The column needs Node's source maps, which vitest replaces: checked exactly by the spawned tests.
    expect(r.stderr).toMatch(/rule file \.\/throws\.ts threw while loading: no rule today \(at throws\.ts:2:\d+\)/);
    expectNoStack(r);
  });

  it('a file that exports no rule says what is wrong', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'empty.ts'), "export default { name: 'Not Kebab' };\n");
    const r = await run(['check', '--rule', './empty.ts'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"name" must be a kebab-case string');
    expect(r.stderr).toContain('"eligibleLeaders(view)" must be a function');
  });

  it('a rule that returns a non-replica: the rule, the broker and the state', async () => {
    const r = await run(['check', ...SMALL, '--rule', join(FIXTURES, 'outsideRule.ts')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /election rule "outside" \(.*outsideRule\.ts\) returned \[ 7 \] when asked about the offline election of partition 0 .*: broker 7 is not a replica of partition 0 \(replicas \[0, 1\]\)/,
    );
    expect(r.stderr).toMatch(/in state:\n\s+ZooKeeper: controller/);
    expectNoStack(r);
  });

  it('view never overwrites a page without --force', async () => {
    const first = await run(['check', ...ACKS1, '--quiet']);
    const trace = 'kafka-mc-traces/no-data-loss.trace.json';
    expect((await run(['view', trace], first.cwd)).code).toBe(0);
    const again = await run(['view', trace], first.cwd);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists; choose another --out or pass --force');
    expect((await run(['view', trace, '--force'], first.cwd)).code).toBe(0);
  });
});

describe('user rule files', () => {
  it('checks a TypeScript rule file end to end', async () => {
    const r = await run(['check', ...SMALL, '--rule', join(FIXTURES, 'lastIsrRule.ts')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('rule last-isr');
    expect(r.stdout).toMatch(/^OK within bounds: \d+ properties hold, \d+ guards reached/m);
  });

  it("loads a rule that imports its types from 'kafka-mc/rule', given by a config file", async () => {
    const cwd = tempDir();
    writeFileSync(
      join(cwd, 'myRule.ts'),
      [
        "import type { ElectionRule } from 'kafka-mc/rule';",
        'export const rule = {',
        "  name: 'any-live',",
        "  description: 'any live replica, even outside the ISR',",
        '  eligibleLeaders: (v) => v.live,',
        '} satisfies ElectionRule;',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(cwd, 'c.yaml'),
      'rule: ./myRule.ts\nacks: all\nbounds: { records: 1, leaderEpochs: 2 }\nfaults: { networkPartitions: 0 }\n',
    );
    const r = await run(['check', '--config', 'c.yaml', '--property', 'no-data-loss', '--quiet'], cwd);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/VIOLATION: no-data-loss violated/);
    const trace = JSON.parse(readFileSync(join(cwd, 'kafka-mc-traces/no-data-loss.trace.json'), 'utf8')) as {
      rule: { name: string; path: string; sha256: string };
    };
    expect(trace.rule.name).toBe('any-live');
    expect(trace.rule.path).toBe(join(cwd, 'myRule.ts'));
    const replay = await run(['replay', 'kafka-mc-traces/no-data-loss.trace.json', '--quiet'], cwd);
    expect(replay.code).toBe(0);
  });
});

describe('fuzz', () => {
  it('finds the acks=1 loss with a pinned seed and saves a replayable trace', async () => {
    const r = await run(['fuzz', ...ACKS1, '--seed', '7', '--runs', '300', '--depth', '30', '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /VIOLATION: no-data-loss violated after \d+ steps; 300 random runs|VIOLATION: no-data-loss/,
    );
    const replay = await run(['replay', 'kafka-mc-traces/no-data-loss.trace.json', '--quiet'], r.cwd);
    expect(replay.code).toBe(0);
  });

  it('swarm shards write --json results that merge into one verdict with the shortest counterexample', async () => {
    const cwd = tempDir();
    for (const i of [0, 1]) {
      const r = await run(
        ['check', ...ACKS1, '--swarm', `${i}/2`, '--max-depth', '12', '--json', '--out-dir', `t${i}`],
        cwd,
      );
      expect(r.code).toBe(1);
      writeFileSync(join(cwd, `shard${i}.json`), r.stdout);
    }
    const m = await run(['merge', 'shard0.json', 'shard1.json', '--json'], cwd);
    expect(m.code).toBe(1);
    const merged = JSON.parse(m.stdout) as { kind: string; violation: { id: string; path: number[] } };
    expect(merged.kind).toBe('violation');
    expect(merged.violation.id).toBe('no-data-loss');
    const bad = await run(['merge', 'missing.json'], cwd);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/cannot read missing\.json/);
    const shard = await run(['check', '--swarm', '3/2'], cwd);
    expect(shard.code).toBe(2);
    expect(shard.stderr).toMatch(/expected i\/n with 0 <= i < n/);
  });

  it('a clean sample exits 0 and says it is sampling', async () => {
    const r = await run(['fuzz', ...SMALL, '--seed', '1', '--runs', '50', '--depth', '20', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^OK \(sampled\): no violation in 50 fast-check runs of up to 20 fault intents, seed 1;/);
  });
});

describe('list, rules, explain', () => {
  it('list shows presets, properties and rules with descriptions', async () => {
    const r = await run(['list']);
    expect(r.code).toBe(0);
    for (const s of [
      'Presets (--preset):',
      'kafka-0.10',
      'Properties (--property',
      '* no-data-loss',
      'Election rules',
      'longest-log',
    ])
      expect(r.stdout).toContain(s);
  });

  it('rules lists the built-in rules', async () => {
    const r = await run(['rules']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/clean +Kafka's offline election/);
  });

  it('explain prints the invariant and what protects it', async () => {
    const r = await run(['explain', 'no-data-loss']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no-data-loss: Every acknowledged record');
    expect(r.stdout).toContain('Protected by:');
    expect(r.stdout).toContain('--truncation hw');
  });

  it("explain <trace> gives each step's Kafka metrics as an operator would have seen them (golden)", async () => {
    const cwd = tempDir();
    copyFileSync(
      join(ROOT, 'traces/regressions/unclean-election-data-loss.trace.json'),
      join(cwd, 'unclean.trace.json'),
    );
    const r = await run(['explain', 'unclean.trace.json'], cwd);
    expect(r.code).toBe(0);
    golden('explain-trace.txt', r.stdout);
    const j = JSON.parse((await run(['explain', 'unclean.trace.json', '--json'], cwd)).stdout) as {
      steps: { step: number; metrics: string[] }[];
      lastStepSilent: boolean;
    };
    expect(j.steps[7]).toMatchObject({
      step: 8,
      metrics: ['OfflinePartitionsCount 1→0 on b1', 'UncleanLeaderElectionsPerSec +1 on b1'],
    });
    expect(j.lastStepSilent).toBe(false);
    const missing = await run(['explain', 'missing.trace.json'], cwd);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('missing.trace.json');
  });
});

describe('rules compare', () => {
  it('runs the safety and liveness matrix on a preset in KRaft mode, then availability, exit 0', async () => {
    const r = await run([
      'rules',
      'compare',
      '--rules',
      'clean,unclean',
      '--preset',
      'kafka-4.x-kraft-elr',
      '--voters',
      '1',
      '--max-crashes',
      '1',
      '--liveness',
      '--runs',
      '200',
    ]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(
      'Safety and liveness (exhaustive, KRaft mode, preset kafka-4.x-kraft-elr, 3 brokers, 1 crash, 1 record):',
    );
    expect(lines).toContain('committed-metadata-durable  holds  holds');
    expect(lines).toContain('eventually-leader           holds  holds');
    expect(lines).toContain('eventually-acked            holds  holds');
    expect(r.stdout).toMatch(/Availability \(200 seeded random walks of 60 steps, seed 1\)/);
    expect(lines.some((l) => /^LeaderElectionRateAndTimeMs per run +n\/a \(KRaft\) +n\/a \(KRaft\)$/.test(l))).toBe(
      true,
    );
  });

  it("--json gives Kafka's metrics over the availability walks per rule", async () => {
    const args = ['rules', 'compare', '--rules', 'clean,unclean', '--max-states', '2000', '--fuzz-runs', '5'];
    const r = await run([...args, '--runs', '300', '--json', '--out-dir', join(tempDir(), 'traces')]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      availability: { rule: string; metrics: { runs: number; meters: Record<string, { total: number } | null> } }[];
    };
    expect(doc.availability.map((a) => [a.rule, a.metrics.runs])).toEqual([
      ['clean', 300],
      ['unclean', 300],
    ]);
    // Only the unclean rule elects outside the ISR; the clean one never marks the meter.
    expect(doc.availability[0]?.metrics.meters['UncleanLeaderElectionsPerSec']?.total).toBe(0);
    expect(doc.availability[1]?.metrics.meters['UncleanLeaderElectionsPerSec']?.total).toBe(8);
  });

  it('saves the trace of every violation in a folder per rule and lists them; each replays', async () => {
    const dir = tempDir();
    const r = await run(['rules', 'compare', '--rules', 'clean,unclean', '--max-crashes', '1', '--runs', '50'], dir);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines).toContain('leader-in-isr        holds  VIOLATED (6 steps)');
    expect(lines).toContain('Counterexamples (kafka-mc replay FILE, kafka-mc view FILE):');
    expect(lines).toContain('  unclean × leader-in-isr  kafka-mc-traces/unclean/leader-in-isr.trace.json');
    expect(readdirSync(join(dir, 'kafka-mc-traces'))).toEqual(['unclean']);
    expect(readdirSync(join(dir, 'kafka-mc-traces/unclean'))).toEqual(['leader-in-isr.trace.json']);
    const replay = await run(['replay', 'kafka-mc-traces/unclean/leader-in-isr.trace.json'], dir);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain('REPRODUCES: leader-in-isr still fails after 6 steps');
  });

  it('--report writes the matrix with links to the traces, availability and histograms; never overwrites', async () => {
    const dir = tempDir();
    const args = ['rules', 'compare', '--rules', 'clean,unclean', '--max-crashes', '1', '--runs', '50'];
    const noFolder = await run([...args, '--report', 'out/report.md'], dir);
    expect(noFolder.code).toBe(2);
    expect(noFolder.stderr).toContain('--report out/report.md: the folder');
    mkdirSync(join(dir, 'out'));
    const ok = await run([...args, '--report', 'out/report.md'], dir);
    expect(ok.code).toBe(0);
    const text = readFileSync(join(dir, 'out/report.md'), 'utf8');
    expect(text).toContain(
      '| leader-in-isr | holds | [VIOLATED (6 steps)](../kafka-mc-traces/unclean/leader-in-isr.trace.json) |',
    );
    expect(text).toContain('## Availability (50 seeded random walks of 60 steps, seed 1)');
    expect(text).toContain("## Kafka's metrics over the same walks");
    expect(text).toMatch(
      /^\| LeaderElectionRateAndTimeMs per run \| [\d.]+ \(total \d+\) \| [\d.]+ \(total \d+\) \|$/m,
    );
    const html = await run([...args, '--report', 'out/report.html'], dir);
    expect(html.code).toBe(0);
    const page = readFileSync(join(dir, 'out/report.html'), 'utf8');
    expect(page).toContain('<td class="violated"');
    expect(page).toContain('href="../kafka-mc-traces/unclean/leader-in-isr-2.trace.json"');
    expect(page).toContain('unclean: failover steps');
    const again = await run([...args, '--report', 'out/report.md'], dir);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/--report out\/report\.md: .*out\/report\.md already exists; choose another --report/);
    expect(readFileSync(join(dir, 'out/report.md'), 'utf8')).toBe(text);
    const bad = await run([...args, '--report', 'report.txt'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--report report.txt: name an .html or .md file');
  });

  it('the elr column needs KRaft mode: a usage error in ZooKeeper mode', async () => {
    const r = await run(['rules', 'compare', '--rules', 'clean,elr', '--mode', 'zk']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the elr column (Eligible Leader Replicas, KIP-966) exists only in KRaft mode');
    expectNoStack(r);
    const twice = await run(['rules', 'compare', '--rules', 'clean,unclean,clean']);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('--rules names the rule "clean" twice');
  });

  it('an unknown preset or an impossible config is a usage error naming the fix', async () => {
    const bad = await run(['rules', 'compare', '--preset', 'kafka-4.x-kraft-el']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown preset "kafka-4.x-kraft-el"; did you mean "kafka-4.x-kraft-elr"\?/);
    const even = await run(['rules', 'compare', '--mode', 'kraft', '--voters', '2']);
    expect(even.code).toBe(2);
    expect(even.stderr).toContain('voters (2) must be 1, 3 or 5');
    expectNoStack(even);
  });
});

describe('mutate', () => {
  it('reports the killing property, trace length and trace file of each chosen mutant, exit 0', async () => {
    const dir = tempDir();
    const r = await run(['mutate', '--only', 'no-check-quorum,no-acks-all'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        '  no-acks-all                    killed by no-data-loss in 6 steps',
        '      drops: the producer waits for the whole ISR (acks=all)',
        '      trace: kafka-mc-traces/no-acks-all/no-data-loss.trace.json',
        '  no-check-quorum                killed by single-controller in 3 steps',
        '      drops: a KRaft quorum leader cut off from the majority resigns (KAFKA-15489)',
        '      trace: kafka-mc-traces/no-check-quorum/single-controller.trace.json',
        '',
        'Every mutant was killed.',
        '',
      ].join('\n'),
    );
    const replay = await run(['replay', 'kafka-mc-traces/no-check-quorum/single-controller.trace.json'], dir);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain('REPRODUCES: single-controller still fails after 3 steps');
  });

  it('runs the mutants under another rule, a built-in or a file', async () => {
    const r = await run([
      'mutate',
      '--only',
      'no-acks-all',
      '--rule',
      resolve(ROOT, 'cli/fixtures/lastIsrRule.ts'),
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      {
        id: 'no-acks-all',
        guard: 'the producer waits for the whole ISR (acks=all)',
        rule: 'last-isr',
        failWithoutMutation: [], // no property fails with the guard in place
        killedBy: { property: 'no-data-loss', steps: 6 },
        trace: 'kafka-mc-traces/no-acks-all/no-data-loss.trace.json',
        states: expect.any(Number) as number,
      },
    ]);
  });

  it('an unknown mutant or rule is a usage error with the nearest name, exit 2', async () => {
    const bad = await run(['mutate', '--only', 'no-chek-quorum']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown mutant "no-chek-quorum"; did you mean "no-check-quorum"\?/);
    expectNoStack(bad);
    const rule = await run(['mutate', '--rule', 'uncleen']);
    expect(rule.code).toBe(2);
    expect(rule.stderr).toMatch(/unknown election rule "uncleen"; did you mean "unclean"\?/);
  });
});

describe('the executable', () => {
  const bin = join(ROOT, 'bin/kafka-mc.js');
  const spawnCli = (
    argv: readonly string[],
    opts: { cwd?: string } = {},
  ): Promise<{ code: number | null; stdout: string; stderr: string }> =>
    new Promise((done) => {
      const child = spawn(process.execPath, [bin, ...argv], {
        cwd: opts.cwd ?? tempDir(),
        env: { ...process.env, KAFKA_MC_NO_RESPAWN: '1', NO_COLOR: '1' },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('exit', (code) => done({ code, stdout, stderr }));
    });

  it.skipIf(!existsSync(join(ROOT, 'dist/cli/main.js')))('runs a check as a process (smoke test)', async () => {
    const r = await spawnCli(['check', ...SMALL]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^OK within bounds: \d+ properties hold, \d+ guards reached/m);
  });

  it.skipIf(!existsSync(join(ROOT, 'dist/cli/main.js')))(
    'a throwing rule file: the exact file:line:column',
    async () => {
      const cwd = tempDir();
      writeFileSync(
        join(cwd, 'throws.ts'),
        "const ok: number = 1;\nthrow new Error('no rule today');\nexport default ok;\n",
      );
      const r = await spawnCli(['check', '--rule', './throws.ts'], { cwd });
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('error: rule file ./throws.ts threw while loading: no rule today (at throws.ts:2:7)\n');
    },
  );

  it.skipIf(!existsSync(join(ROOT, 'dist/cli/main.js')))(
    'without the launcher (KAFKA_MC_NO_RESPAWN=1) Ctrl-C stops a long search, prints the partial stats and ends by SIGINT',
    async () => {
      const run = spawnTree(process.execPath, [bin, 'check', '--max-partitions', '2', '--time-limit', '120s'], {
        cwd: tempDir(),
        env: { ...process.env, KAFKA_MC_NO_RESPAWN: '1', NO_COLOR: '1' },
      });
      await run.waitFor(/^engine: /m);
      run.child.kill('SIGINT');
      const end = await run.ended;
      expect(end.signal).toBe('SIGINT');
      expect(run.stderr()).toContain('stopping the search');
      expect(run.stdout()).toMatch(/INCOMPLETE: stopped by Ctrl-C before covering the state space/);
    },
  );
});
