import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { expectGolden } from '../checker/testing/golden.js';
import { expectNoStack, runCli, tempDirs } from './testSupport.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const GOLDEN = join(ROOT, 'cli/golden');

/** The fault classes the golden tables check: every single fault and one pair (seconds each). */
const FAULTS = ['--faults', 'crash,power-loss,network-split,session-expiry,crash+network-split'];

const dirs = tempDirs('audit');
afterAll(() => dirs.cleanup());

/** A fresh directory holding a copy of the repository's `examples/`, as a user's checkout has it. */
function withExamples(): string {
  const cwd = dirs.make();
  cpSync(join(ROOT, 'examples'), join(cwd, 'examples'), { recursive: true });
  return cwd;
}

describe('kafka-mc audit on the three example configs', () => {
  const cases = [
    {
      name: 'recommended',
      args: ['examples/recommended/server.properties', '--topic-config', 'examples/recommended/orders-configs.txt'],
    },
    { name: 'rf2', args: ['examples/rf2/server.properties', '--topic-config', 'examples/rf2/orders-topic.txt'] },
    { name: 'unclean', args: ['examples/unclean/server.properties'] },
  ];
  for (const c of cases)
    it(`${c.name}: prints the pinned table and saves each "no" trace`, async () => {
      const cwd = withExamples();
      const r = await runCli(['audit', ...c.args, '--acks', 'all', ...FAULTS, '--time-limit', '10m'], cwd);
      expectNoStack(r);
      expect(r.code).toBe(1);
      expectGolden(join(GOLDEN, `audit-${c.name}.txt`), r.stdout);
      for (const m of r.stdout.matchAll(/trace: (\S+)/g)) expect(existsSync(join(cwd, m[1] as string))).toBe(true);
    }, 120_000);

  it('shows the expected differences: RF 3 stays writable after a crash, RF 2 does not; unclean election loses writes', () => {
    const row = (name: string, label: string): string =>
      readFileSync(join(GOLDEN, `audit-${name}.txt`), 'utf8')
        .split('\n')
        .find((l) => l.startsWith(`${label}  `)) ?? '';
    expect(row('recommended', 'broker crash')).toMatch(/^broker crash +yes \(a\) +yes \(a\) +yes \(a\) /);
    expect(row('rf2', 'broker crash')).toMatch(/ no \[\d+\] +[\d,]+$/);
    expect(row('unclean', 'broker crash')).toMatch(/^broker crash +no \[1\] +yes \(a\) +yes \(a\) /);
  });

  it('the README shows the recommended table as its golden file holds it', () => {
    const golden = readFileSync(join(GOLDEN, 'audit-recommended.txt'), 'utf8');
    const table = golden.slice(golden.indexOf('\nfault class') + 1).trimEnd();
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain(`\`\`\`\n${table}\n\`\`\``);
  });

  it('--json: one object with the settings, bounds and each answer', async () => {
    const cwd = withExamples();
    const r = await runCli(
      ['audit', 'examples/rf2/server.properties', '--faults', 'crash', '--json', '--time-limit', '10m'],
      cwd,
    );
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as {
      settings: { replicationFactor: { value: number; from: string } };
      bounds: Record<string, number>;
      rows: { faultClass: string; answers: Record<string, { answer: string; trace?: string }> }[];
    };
    expect(j.settings.replicationFactor).toEqual({ value: 2, from: 'examples/rf2/server.properties:8' });
    // ZooKeeper mode: its bounds only (no Raft epochs, no metadata records)
    expect(j.bounds).toEqual({ records: 1, leaderEpochs: 2, partitionEpochs: 3, controllerEpochs: 2, inFlight: 12 });
    expect(j.rows.map((x) => x.faultClass)).toEqual(['crash']);
    expect(j.rows[0]?.answers['eventually-writable']?.answer).toBe('no');
    expect(j.rows[0]?.answers['eventually-writable']?.trace).toBe(
      'kafka-mc-traces/crash/eventually-writable.trace.json',
    );
  }, 60_000);

  it('a run cut by its share of the time limit answers "unknown (time limit)", never "yes"', async () => {
    const cwd = withExamples();
    const r = await runCli(
      ['audit', 'examples/recommended/server.properties', '--faults', 'session-expiry', '--time-limit', '0.05s'],
      cwd,
    );
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(
      /^session expiry +unknown \(time limit\) +unknown \(time limit\) +unknown \(time limit\)/m,
    );
  }, 60_000);
});

describe('kafka-mc audit in KRaft mode', () => {
  it('reads process.roles, assumes Kafka 4.0 with ELR, lists ignored keys with --verbose, checks each class', async () => {
    const cwd = dirs.make();
    writeFileSync(
      join(cwd, 'kraft.properties'),
      'process.roles=broker\nnode.id=1\ndefault.replication.factor=3\nmin.insync.replicas=2\n',
    );
    const r = await runCli(['audit', 'kraft.properties', '--faults', 'crash,power-loss', '--verbose'], cwd);
    expectNoStack(r);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  preset                          kafka-4.x-kraft-elr  Kafka 4.0\n');
    expect(r.stdout).toContain('Ignored (not modelled):\n  kraft.properties:2 node.id\n');
    expect(r.stdout).toContain('Model: 3 brokers and 3 controller voters, 1 partition');
    expect(r.stdout).toMatch(/^broker crash +yes \(a\) +yes \(a\) +yes \(a\) +29,960$/m);
    expect(r.stdout).toMatch(/^power loss +yes \(b\) +yes \(b\) +yes \(b\) +9,248$/m);
    expect(r.stdout).toMatch(
      /^\(b\) yes within the model's bounds only: --max-records 1, --max-partition-epochs 3, --max-metadata-records 3 disabled/m,
    );
  }, 120_000);
});

describe('kafka-mc audit with replication factor 1', () => {
  it('a crash leaves the partition offline and unwritable (no replica is left), Kafka 2.1 takes the nearest preset', async () => {
    const cwd = dirs.make();
    writeFileSync(join(cwd, 's.properties'), 'zookeeper.connect=zk:2181\ninter.broker.protocol.version=2.1\n');
    const r = await runCli(['audit', 's.properties', '--faults', 'crash'], cwd);
    expectNoStack(r);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('  preset                          kafka-2.3-zk  Kafka 2.1 (the nearest preset)\n');
    expect(r.stdout).toContain(
      "  replication factor              1             Kafka's default (default.replication.factor=1)\n",
    );
    expect(r.stdout).toMatch(/^broker crash +yes \(a\) +no \[1\] +no \[2\] +61$/m);
    expect(r.stdout).toContain(
      '[1] broker crash — partition available? no: after b0 crashed, its only replica is down: the partition stays offline until a broker returns\n',
    );
    expect(r.stdout).toContain(
      '[2] broker crash — writes accepted? no: after b0 crashed, the partition has no leader (offline), and nothing changes that while the fault lasts\n',
    );
  }, 60_000);
});

describe('kafka-mc audit: bad input', () => {
  const expectUsage = async (files: Record<string, string>, args: string[], message: RegExp): Promise<void> => {
    const cwd = dirs.make();
    for (const [name, text] of Object.entries(files)) writeFileSync(join(cwd, name), text);
    const r = await runCli(['audit', ...args], cwd);
    expectNoStack(r);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
    expect(existsSync(join(cwd, 'kafka-mc-traces'))).toBe(false);
  };

  it('min.insync.replicas above the replication factor names both and the fix', () =>
    expectUsage(
      { 's.properties': 'zookeeper.connect=zk:2181\ndefault.replication.factor=2\nmin.insync.replicas=3\n' },
      ['s.properties'],
      /min\.insync\.replicas=3 \(s\.properties:3\) exceeds the replication factor 2 \(s\.properties:2\): every acks=all write would fail with NOT_ENOUGH_REPLICAS; lower min\.insync\.replicas or raise the replication factor/,
    ));

  it('a topic properties file overrides the broker: its min.insync.replicas against --replication-factor', () =>
    expectUsage(
      {
        's.properties': 'process.roles=broker\nmin.insync.replicas=1\n',
        't.properties': '# orders\nmin.insync.replicas = 3\n',
      },
      ['s.properties', '--topic-config', 't.properties', '--replication-factor', '2'],
      /^error: min\.insync\.replicas=3 \(t\.properties:2\) exceeds the replication factor 2 \(--replication-factor\)/,
    ));

  it('a replication factor beyond the model names the largest it checks', () =>
    expectUsage(
      { 's.properties': 'process.roles=broker\n' },
      ['s.properties', '--replication-factor', '7'],
      /replication factor 7 \(--replication-factor\) is more than the model checks \(at most 5 brokers\): audit with --replication-factor 5/,
    ));

  it('values that are not numbers or booleans, all reported at once', () =>
    expectUsage(
      {
        's.properties': 'zookeeper.connect=zk:2181\nmin.insync.replicas=two\nunclean.leader.election.enable=yes\n',
      },
      ['s.properties'],
      /the settings have 2 problems\n {2}- min\.insync\.replicas=two \(s\.properties:2\) is not a positive integer; fix the value\n {2}- unclean\.leader\.election\.enable=yes \(s\.properties:3\) must be true or false/,
    ));

  it('a file that is not a broker config, a missing file, a bad escape, nothing given', async () => {
    await expectUsage(
      { 's.properties': 'log.dirs=/tmp\n' },
      ['s.properties'],
      /sets neither process\.roles \(KRaft\) nor zookeeper\.connect/,
    );
    await expectUsage({}, ['missing.properties'], /server\.properties file missing\.properties not found/);
    await expectUsage(
      { 's.properties': 'zookeeper.connect=zk\\u12\n' },
      ['s.properties'],
      /s\.properties:1: malformed \\uxxxx escape/,
    );
    await expectUsage({}, [], /nothing to audit: give a broker's server\.properties and\/or --topic-config FILE/);
  });

  it('ZooKeeper mode with Kafka 4, an unknown fault class, a description of two topics', async () => {
    const zk = { 's.properties': 'zookeeper.connect=zk:2181\n' };
    await expectUsage(
      zk,
      ['s.properties', '--kafka-version', '4.1'],
      /Kafka 4\.1 has no ZooKeeper mode \(removed in 4\.0, KIP-833\)/,
    );
    await expectUsage(
      zk,
      ['s.properties', '--faults', 'crash,meteor'],
      /--faults: unknown fault class "meteor"; choose from crash, power-loss/,
    );
    await expectUsage(
      { ...zk, 't.txt': 'Dynamic configs for topic a are:\nDynamic configs for topic b are:\n' },
      ['s.properties', '--topic-config', 't.txt'],
      /it describes 2 topics \(a, b\); audit one topic at a time/,
    );
  });
});
