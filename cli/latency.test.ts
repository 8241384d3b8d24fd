import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { expectGolden } from '../checker/testing/golden.js';
import { expectReadmeLatency, runCli, tempDirs, type CliRun } from './testSupport.js';
import { README } from '../checker/testing/readme.js';

const GOLDEN = resolve(fileURLToPath(import.meta.url), '../golden');
const dirs = tempDirs('latency');
afterAll(() => dirs.cleanup());

const run = (argv: readonly string[], cwd = dirs.make()): Promise<CliRun> => runCli(['latency', ...argv], cwd);

/** A usage error: exit 2, the message on stderr, no stack trace, nothing on stdout. */
function expectUsage(r: CliRun, message: string | RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+|internal error/);
}

describe('kafka-mc latency', () => {
  it('prints failover unavailability per cluster size and mode, and writes the figure (golden)', async () => {
    const cwd = dirs.make();
    const r = await run(
      ['--brokers', '3,4', '--faults', 'leader-crash,network', '--runs', '20', '--seed', '1', '--plot', 'fig.svg'],
      cwd,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expectGolden(join(GOLDEN, 'latency.txt'), r.stdout);
    const svg = readFileSync(join(cwd, 'fig.svg'), 'utf8');
    expect(svg).toMatch(/^<svg xmlns/);
    for (const s of ['ZooKeeper leader-crash', 'ZooKeeper network', 'KRaft leader-crash', 'KRaft network'])
      expect(svg).toContain(`data-series="${s}"`);
  });

  it('the README example prints the rows the README quotes and draws docs/latency.svg', async () => {
    const command = /npx kafka-mc (latency .*)$/m.exec(README)?.[1];
    expect(command).toBeDefined();
    const cwd = dirs.make();
    const r = await runCli((command ?? '').split(' '), cwd);
    expect(r.code).toBe(0);
    expectReadmeLatency(r.stdout, readFileSync(join(cwd, 'latency.svg'), 'utf8'));
  });

  it('--json gives each point with its windows, the timing and the schedule', async () => {
    const r = await run([
      '--mode',
      'kraft',
      '--voters',
      '1,3',
      '--runs',
      '5',
      '--json',
      '--broker-session-timeout-ms',
      '4000',
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      timing: { brokerSessionTimeoutMs: number };
      points: { mode: string; voters: number; noLeaderMs: { median: number } }[];
    };
    expect(out.timing).toMatchObject({ brokerSessionTimeoutMs: 4000, zookeeperSessionTimeoutMs: 18_000 });
    expect(out.points.map((p) => [p.mode, p.voters])).toEqual([
      ['kraft', 1],
      ['kraft', 3],
    ]);
    for (const p of out.points) {
      expect(p.noLeaderMs.median).toBeGreaterThan(4000 - 2000);
      expect(p.noLeaderMs.median).toBeLessThan(4100);
    }
  });

  it('a preset before Kafka 2.5 brings its 6 s ZooKeeper session (KIP-537 raised it to 18 s)', async () => {
    const r = await run(['--preset', 'kafka-0.10', '--runs', '3', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      timing: { zookeeperSessionTimeoutMs: number };
      points: { mode: string; noLeaderMs: { median: number; max: number } }[];
    };
    expect(out.timing.zookeeperSessionTimeoutMs).toBe(6000);
    expect(out.points.map((p) => p.mode)).toEqual(['zk']);
    expect(out.points[0]?.noLeaderMs.median).toBeGreaterThanOrEqual(6000);
    expect(out.points[0]?.noLeaderMs.max).toBeLessThan(6100);
  });

  it('every timing flag reaches the timing config', async () => {
    const r = await run([
      ...['--runs', '1', '--json', '--latency-median-ms', '2', '--latency-p99-ms', '20'],
      ...['--replica-high-watermark-checkpoint-interval-ms', '1000', '--controller-quorum-fetch-timeout-ms', '1500'],
    ]);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { timing: object }).timing).toMatchObject({
      messageLatencyMedianMs: 2,
      messageLatencyP99Ms: 20,
      highWatermarkCheckpointIntervalMs: 1000,
      controllerQuorumFetchTimeoutMs: 1500,
    });
  });

  it('refuses bad input with the problem and the fix, exit 2', async () => {
    expectUsage(await run(['--brokers', '3,9']), /brokers \(9\) must be between 2 and 5/);
    expectUsage(await run(['--brokers', 'three']), /expected a comma-separated list of positive integers/);
    expectUsage(await run(['--faults', 'leader-crahs']), /unknown fault "leader-crahs"; did you mean "leader-crash"\?/);
    expectUsage(await run(['--mode', 'zk,raft']), /"raft" is not a controller mode; use zk, kraft or zk,kraft/);
    expectUsage(
      await run(['--latency-p99-ms', '0.5']),
      /latency p99 \(0\.5 ms\) is below the median \(1 ms\); give a p99 at least the median/,
    );
    expectUsage(
      await run(['--mode', 'kraft', '--brokers', '5', '--voters', '5']),
      /brokers \+ voters \(5 \+ 5\) must be at most 8/,
    );
    expectUsage(await run(['--plot', 'fig.png']), /--plot fig.png: name an .svg file/);
  });

  it('never overwrites an existing plot', async () => {
    const cwd = dirs.make();
    writeFileSync(join(cwd, 'fig.svg'), 'mine');
    expectUsage(await run(['--runs', '1', '--plot', 'fig.svg'], cwd), /fig.svg already exists; choose another --plot/);
    expect(readFileSync(join(cwd, 'fig.svg'), 'utf8')).toBe('mine');
    expect(existsSync(join(cwd, 'kafka-mc-traces'))).toBe(false);
  });
});

describe('rules compare --sweep (timed)', () => {
  it('sweeps the given axes in the preset’s mode with --voters and the crash budget, into the JSON and report', async () => {
    const cwd = dirs.make();
    const r = await runCli(
      [
        ...['rules', 'compare', '--rules', 'clean', '--preset', 'kafka-4.x-kraft-elr', '--voters', '1'],
        ...['--max-crashes', '1', '--max-states', '5000', '--fuzz-runs', '0', '--runs', '10', '--json'],
        ...['--sweep', '--sweep-brokers', '3', '--sweep-partitions', '1,2', '--sweep-runs', '3', '--report', 'r.md'],
      ],
      cwd,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      latency: { rule: string; mode: string; voters: number; partitions: number; fault: string; runs: number }[];
    };
    expect(out.latency.map((p) => `${p.rule} ${p.mode} ${p.voters} ${p.partitions} ${p.fault} ${p.runs}`)).toEqual([
      'clean kraft 1 1 leader-crash 3',
      'clean kraft 1 2 leader-crash 3',
      'clean kraft 1 1 controller-crash 3',
      'clean kraft 1 2 controller-crash 3',
    ]);
    const md = readFileSync(join(cwd, 'r.md'), 'utf8');
    expect(md).toContain('## Failover unavailability in ms (timed simulation');
    expect(md).toMatch(/^\| clean \| KRaft \| 3 \| 1 \| 1 \| leader-crash \| \d+ \/ \d+ \/ \d+ \|/m);
  });

  it('refuses a sweep the budgets or the model cannot run, before any search', async () => {
    const compare = (...a: string[]): Promise<CliRun> => runCli(['rules', 'compare', '--sweep', ...a], dirs.make());
    expectUsage(
      await compare('--sweep-faults', 'network'),
      /--sweep-faults network: its budget \(faults.networkPartitions\) is 0 in this comparison/,
    );
    expectUsage(await compare('--max-crashes', '0'), /the fault budgets allow no fault to time; give --max-crashes 1/);
    expectUsage(
      await compare('--sweep-brokers', '3,6'),
      /ZooKeeper 6 brokers, 1 partition: brokers \(6\) must be between 2 and 5/,
    );
  });
});
