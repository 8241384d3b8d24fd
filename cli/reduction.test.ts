import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDirs } from './testSupport.js';

/**
 * Partial-order reduction end to end through `kafka-mc check`: the report's note and the JSON's
 * `stats.reduction` where it applies (two brokers), `--no-por` in the single-threaded and the parallel
 * engine, and the reason in the JSON where it does not apply (three brokers with Kafka ≤ 2.6's
 * synchronous ISR write, `--no-async-alter-partition`).
 */

const dirs = tempDirs('reduction');
afterAll(() => dirs.cleanup());

const TWO_BROKERS = '--brokers 2 --replication-factor 2 --min-isr 1 --max-records 1 --max-leader-epochs 2'.split(' ');

interface Json {
  readonly stats: {
    readonly distinct: number;
    readonly reduction: { readonly used: boolean; readonly detail: string; readonly skippedActions: number };
  };
}

describe('check with partial-order reduction', () => {
  it('two brokers: splits are left out, and the report says so', async () => {
    const r = await runCli(['check', ...TWO_BROKERS], dirs.make());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      '\nPartial-order reduction (--no-por turns it off): network splits are not explored: in ZooKeeper mode every step',
    );
    expect(r.stdout).toMatch(/; 911 steps not followed\.\n/);
    expect(r.stdout).toMatch(/OK within bounds: 9 properties hold, 6 guards reached; 911 distinct states/);
  });

  for (const workers of ['1', '2'])
    it(`--no-por explores them (--workers ${workers})`, async () => {
      const on = await runCli(['check', ...TWO_BROKERS, '--workers', workers, '--json'], dirs.make());
      const off = await runCli(['check', ...TWO_BROKERS, '--workers', workers, '--no-por', '--json'], dirs.make());
      const [a, b] = [JSON.parse(on.stdout) as Json, JSON.parse(off.stdout) as Json];
      expect([a.stats.distinct, a.stats.reduction.used, a.stats.reduction.skippedActions]).toEqual([911, true, 911]);
      expect([b.stats.distinct, b.stats.reduction.used, b.stats.reduction.detail]).toEqual([
        2_733,
        false,
        'turned off (--no-por)',
      ]);
      expect(off.stdout).not.toContain('Partial-order reduction');
    });

  it('three brokers: reduced; with --no-async-alter-partition nothing is, and the JSON says why', async () => {
    const args = ['check', '--max-records', '1', '--max-leader-epochs', '1', '--json'];
    const on = JSON.parse((await runCli(args, dirs.make())).stdout) as Json;
    expect([on.stats.distinct, on.stats.reduction.used]).toEqual([39_359, true]);
    const sync = JSON.parse((await runCli([...args, '--no-async-alter-partition'], dirs.make())).stdout) as Json;
    expect([sync.stats.distinct, sync.stats.reduction.used]).toEqual([150_997, false]);
    expect(sync.stats.reduction.detail).toMatch(
      /^healing a split is not independent: fetch: without asynchronous AlterPartition \(--no-async-alter-partition, Kafka ≤ 2\.6\) and with 3 brokers/,
    );
  });
});
