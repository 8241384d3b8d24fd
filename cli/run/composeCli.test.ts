import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDirs } from '../testSupport.js';

/**
 * `check` deciding a multi-partition cluster one partition at a time, end to end through the CLI: the
 * per-partition report and JSON, a counterexample found in one partition's cluster reported (and saved)
 * as the full cluster's replayable trace, and `--no-compose` searching the whole cluster.
 */

const dirs = tempDirs('compose');
afterAll(() => dirs.cleanup());

const TWO_PARTITIONS = (
  '--partitions 2 --replication-factor 2 --min-isr 1 --max-records 1 --max-leader-epochs 1 ' +
  '--max-partition-epochs 2 --max-partitions 0'
).split(' ');
const KRAFT = ['--mode', 'kraft', '--voters', '1', '--max-metadata-records', '3'];

describe('check, one partition at a time', () => {
  it('ZooKeeper mode: each partition is reported, the counts summed', async () => {
    const r = await runCli(['check', ...TWO_PARTITIONS], dirs.make());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2 of 2 partitions checked:\n  partition 0: ok, 1,646 states');
    expect(r.stdout).toContain('\n  partition 1: ok, 1,240 states');
    expect(r.stdout).toMatch(/OK within bounds: 9 properties hold, 6 guards reached; 2,886 distinct states/);
  });

  it('KRaft mode: the JSON lists each partition', async () => {
    const r = await runCli(['check', ...KRAFT, ...TWO_PARTITIONS, '--json'], dirs.make());
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as {
      verdict: string;
      stats: { distinct: number };
      perPartition: { partition: number; verdict: string; distinct: number }[];
    };
    expect(j.verdict).toBe('ok');
    expect(j.perPartition.map(({ partition, verdict, distinct }) => ({ partition, verdict, distinct }))).toEqual([
      { partition: 0, verdict: 'ok', distinct: 2370 },
      { partition: 1, verdict: 'ok', distinct: 2370 },
    ]);
    expect(j.stats.distinct).toBe(4740);
  });

  it('a partition’s counterexample is the full cluster’s trace, saved and replayable', async () => {
    const cwd = dirs.make();
    const r = await runCli(['check', ...TWO_PARTITIONS, '--acks', '1'], cwd);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('1 of 2 partitions checked:\n  partition 0: violation, 389 states');
    // the environment's step became a real delivery of p1's request in the full cluster
    expect(r.stdout).toContain(
      '6  deliver LeaderAndIsr(p1: leader b1, leader epoch 0, ISR {1,2}, controller epoch 2) from b1 to b1',
    );
    expect(r.stdout).toContain('✗ no-data-loss fails at step 7');
    const replay = await runCli(['replay', 'kafka-mc-traces/no-data-loss.trace.json'], cwd);
    expect(replay.stdout).toContain('REPRODUCES: no-data-loss still fails after 7 steps');
  });

  it('--no-compose searches the whole cluster', async () => {
    const r = await runCli(['check', ...KRAFT, ...TWO_PARTITIONS, '--no-compose'], dirs.make());
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('Decided one partition at a time');
    expect(r.stdout).toContain('OK within bounds: 12 properties hold, 5 guards reached; 18,553 distinct states');
  });
});
