import { describe, expect, it } from 'vitest';
import { CATALOG, catalogEntry, clean, unclean, preferred, anyIsr } from '../model/index.js';
import { runCatalogEntry } from './runCatalog.js';
import { ELR_COLUMN, compareRules, formatMatrix } from './compare.js';
import { MUTANTS, runMutants } from './mutate.js';
import { measureAvailability, percentile } from './availability.js';

// Too big for the test run: no-broker-epoch-check, whose kill (no-data-loss in 16) model/kraftModel.test.ts asserts.
const BIG = ['no-broker-epoch-check'];

describe('known-bug catalog: every entry reproduces with its shortest length, and its fix passes', () => {
  for (const entry of CATALOG) {
    it(`${entry.id}: ${entry.property} violated in ${entry.expectedSteps} steps${entry.fixedBy ? '; fixed by ' + entry.fixedBy.description : ''}`, () => {
      const run = runCatalogEntry(entry);
      expect(run.exposed.kind).toBe('violation');
      expect(run.steps).toBe(entry.expectedSteps);
      if (entry.fixedBy) expect(run.fixed?.kind).toBe('ok');
    });
  }
});

describe('rule comparison', () => {
  it('pins the safety matrix of the built-in rules on a small config', () => {
    const rows = compareRules([clean, unclean, preferred, anyIsr], {
      minInsyncReplicas: 1,
      bounds: { records: 1, leaderEpochs: 2 },
      faults: { networkPartitions: 0, crashes: 1 },
    });
    expect(formatMatrix(rows)).toMatchInlineSnapshot(`
      "property             clean  unclean             preferred  any-isr
      single-leader        holds  holds               holds      holds
      single-controller    holds  holds               holds      holds
      no-data-loss         holds  VIOLATED (8 steps)  holds      holds
      log-consistency      holds  VIOLATED (6 steps)  holds      holds
      epoch-monotonic      holds  holds               holds      holds
      leader-in-isr        holds  VIOLATED (6 steps)  holds      holds
      min-isr-respected    holds  holds               holds      holds
      hw-never-passes-isr  holds  holds               holds      holds
      log-matching         holds  holds               holds      holds"
    `);
  });
});

describe('rule comparison beyond the state cap', () => {
  it('fuzzes where the exhaustive search stopped: violations found by a pinned seed, the rest incomplete', () => {
    const rows = compareRules(
      [clean, unclean],
      { bounds: { records: 1, leaderEpochs: 2 }, faults: { networkPartitions: 0, crashes: 2 } },
      { maxStates: 2000, fuzz: { seed: 1, runs: 1000 } },
    );
    const at = (property: string, rule: string) =>
      rows.find((r) => r.property === property)?.cells.find((c) => c.rule === rule)?.cell;
    expect(at('leader-in-isr', 'unclean')).toMatchObject({ status: 'violated', steps: 6, by: 'bfs' });
    expect(at('no-data-loss', 'unclean')).toMatchObject({ status: 'violated', steps: 10, by: 'fuzz', seed: 1 });
    expect(at('log-consistency', 'unclean')).toMatchObject({ status: 'violated', steps: 8, by: 'fuzz', seed: 1 });
    expect(at('no-data-loss', 'clean')).toEqual({
      status: 'incomplete',
      states: 2000,
      reason: 'max-states',
      fuzzRuns: 1000,
    });
  });
});

describe('rule comparison with the elr column', () => {
  it('is the clean rule with Eligible Leader Replicas: the last replica standing loses data without, not with', () => {
    const last = catalogEntry('last-replica-standing-kraft')?.config ?? {};
    const rows = compareRules([clean, ELR_COLUMN], last);
    const row = rows.find((r) => r.property === 'no-data-loss');
    expect(row?.cells.map((c) => [c.rule, c.cell.status])).toEqual([
      ['clean', 'violated'],
      ['elr', 'holds'],
    ]);
  });
});

describe('rule comparison with a user rule file', () => {
  it('loads ./myRule.ts the way the CLI does and puts it in the matrix', async () => {
    const { loadRule } = await import('../cli/loadRule.js');
    const user = await loadRule('cli/fixtures/lastIsrRule.ts', process.cwd());
    const rows = compareRules([clean, user.rule], {
      minInsyncReplicas: 1,
      bounds: { records: 1, leaderEpochs: 2 },
      faults: { networkPartitions: 0, crashes: 1 },
    });
    expect(formatMatrix(rows)).toMatchInlineSnapshot(`
      "property             clean  last-isr
      single-leader        holds  holds
      single-controller    holds  holds
      no-data-loss         holds  holds
      log-consistency      holds  holds
      epoch-monotonic      holds  holds
      leader-in-isr        holds  holds
      min-isr-respected    holds  holds
      hw-never-passes-isr  holds  holds
      log-matching         holds  holds"
    `);
  });
});

describe('mutation mode', () => {
  it('kills every built-in mutant on its own config, with the shortest trace', () => {
    const killed = runMutants(MUTANTS.filter((m) => !BIG.includes(m.id)));
    expect(
      killed.map((r) => [r.mutant.id, r.killedBy ? `${r.killedBy.property} in ${r.killedBy.steps}` : 'survives']),
    ).toEqual([
      ['no-isr-only-election', 'leader-in-isr in 6'],
      ['no-leader-epoch-truncation', 'log-consistency in 9'],
      ['no-epoch-in-truncation-answer', 'log-matching in 16'],
      ['no-controller-epoch-fencing', 'single-controller in 5'],
      ['no-min-isr-check', 'no-data-loss in 11'],
      ['no-acks-all', 'no-data-loss in 6'],
      ['no-leader-epoch-fencing', 'log-consistency in 14'],
      ['no-zk-version-check', 'epoch-monotonic in 5'],
      ['no-fetch-epoch-fencing', 'log-matching in 15'],
      ['no-strict-min-isr', 'log-consistency in 10'],
      ['no-isr-join-epoch-rule', 'log-consistency in 13'],
      ['no-raft-epoch-fencing', 'committed-metadata-durable in 4'],
      ['no-up-to-date-vote-check', 'committed-metadata-durable in 5'],
      ['no-elr', 'no-data-loss in 12'],
      ['no-heartbeat-fencing', 'eventually-leader in 1'],
      ['no-check-quorum', 'single-controller in 3'],
      ['no-last-known-leader-check', 'leader-active in 4'],
    ]);
  }, 400_000); // a baseline and a mutated search per mutant: about 80 s alone, more beside other files
});

describe('availability under a seeded fault mix', () => {
  it('is deterministic for a seed and measures failovers', () => {
    const cfg = { bounds: { records: 1, leaderEpochs: 3 }, faults: { networkPartitions: 0, crashes: 1 } };
    const a = measureAvailability(clean, cfg, { seed: 7, runs: 200, depth: 40 });
    const b = measureAvailability(clean, cfg, { seed: 7, runs: 200, depth: 40 });
    expect(a).toEqual(b);
    expect(a.recoverySteps.length).toBeGreaterThan(0);
    expect(percentile(a.recoverySteps, 50)).toBeGreaterThan(0);
    expect(a.dataLossPer10k).toBe(0);
    // Kafka's metrics over the same walks: every state of every walk, the initial ones included.
    expect([a.metrics.runs, a.metrics.states]).toEqual([200, a.steps + 200]);
    expect(a.metrics.gauges.OfflinePartitionsCount).toEqual({
      statesAlerting: 130,
      fractionAlerting: 0.0367,
      runsAlerting: 49,
      max: 1,
    });
    expect(a.metrics.gauges.UnderMinIsrPartitionCount.statesAlerting).toBe(698);
    expect(a.metrics.meters).toEqual({
      LeaderElectionRateAndTimeMs: { total: 309, runsWithAny: 179, maxPerRun: 2, meanPerRun: 1.55 },
      UncleanLeaderElectionsPerSec: { total: 0, runsWithAny: 0, maxPerRun: 0, meanPerRun: 0 },
    });
  });
});

describe('availability sweep over cluster size', () => {
  it('is deterministic for a seed and renders a self-contained report with plots', async () => {
    const { sweepAvailability, sweepHtml, sweepMarkdown } = await import('./sweep.js');
    const shapes = { brokers: [3, 4], partitions: [1] };
    const a = sweepAvailability([clean, unclean], shapes, { seed: 3, runs: 60, depth: 40 });
    const b = sweepAvailability([clean, unclean], shapes, { seed: 3, runs: 60, depth: 40 });
    expect(a).toEqual(b);
    expect(a.map((p) => `${p.brokers}/${p.partitions}/${p.rule}`)).toEqual([
      '3/1/clean',
      '3/1/unclean',
      '4/1/clean',
      '4/1/unclean',
    ]);
    const html = sweepHtml(a, 'test report');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/(src|href)=["']https?:/); // nothing is loaded from the network
    expect(sweepMarkdown(a).split('\n')).toHaveLength(2 + 4);
  });

  it('measures ZooKeeper and KRaft mode side by side on the same seed and fault mix', async () => {
    const { sweepAvailability, sweepHtml, sweepMarkdown } = await import('./sweep.js');
    const pts = sweepAvailability(
      [clean],
      { brokers: [3], partitions: [1] },
      {
        seed: 3,
        runs: 60,
        depth: 40,
        modes: ['zk', 'kraft'],
      },
    );
    expect(sweepMarkdown(pts).split('\n').slice(2)).toEqual([
      '| ZooKeeper | 3 | 1 | clean | 15.6% | 4 | 8 | 2 | 0 | 0 |',
      '| KRaft | 3 | 1 | clean | 5.1% | 5 | 7 | 2 | 0 | 0 |',
    ]);
    expect(sweepHtml(pts, 'modes')).toContain('clean KRaft');
  });
});
