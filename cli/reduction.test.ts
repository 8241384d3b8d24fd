import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDirs } from './testSupport.js';

/**
 * Partial-order reduction end to end through `kafka-mc check`: the report's note and the JSON's
 * `stats.reduction` where it applies (two brokers), `--no-por` in the single-threaded and the parallel
 * engine, and the reason in the JSON where it does not apply (three brokers, the default).
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
      '\nPartial-order reduction (--no-por turns it off): network splits are not explored: in ZooKeeper mode with two brokers',
    );
    expect(r.stdout).toMatch(/; 804 steps not followed\.\n/);
    expect(r.stdout).toMatch(/OK within bounds: 9 properties hold, 6 guards reached; 804 distinct states/);
  });

  for (const workers of ['1', '2'])
    it(`--no-por explores them (--workers ${workers})`, async () => {
      const on = await runCli(['check', ...TWO_BROKERS, '--workers', workers, '--json'], dirs.make());
      const off = await runCli(['check', ...TWO_BROKERS, '--workers', workers, '--no-por', '--json'], dirs.make());
      const [a, b] = [JSON.parse(on.stdout) as Json, JSON.parse(off.stdout) as Json];
      expect([a.stats.distinct, a.stats.reduction.used, a.stats.reduction.skippedActions]).toEqual([804, true, 804]);
      expect([b.stats.distinct, b.stats.reduction.used, b.stats.reduction.detail]).toEqual([
        2_412,
        false,
        'turned off (--no-por)',
      ]);
      expect(off.stdout).not.toContain('Partial-order reduction');
    });

  it('three brokers: nothing is reduced, and the JSON says why', async () => {
    const r = await runCli(['check', '--max-records', '1', '--max-leader-epochs', '1', '--json'], dirs.make());
    const j = JSON.parse(r.stdout) as Json;
    expect(j.stats.reduction.used).toBe(false);
    expect(j.stats.reduction.detail).toMatch(
      /^healing a split is not independent: fetch: with 3 brokers a split can cut a leader and its follower off the controller/,
    );
  });
});
