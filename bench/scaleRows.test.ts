import { describe, expect, it } from 'vitest';
import { PEAK_RSS_MARK } from './peakRssMark.js';
import {
  TABLE_HEAD,
  bitstateCandidate,
  parseCheckJson,
  parsePeakRss,
  reductionFactor,
  rowArgs,
  scaleConfigs,
  scaleRows,
  selectRows,
  statesText,
  tableLine,
  verdictText,
  type Measured,
  type RowRun,
  type ScaleRow,
} from './scaleRows.js';

/** The fields `check --json` printed for the ZooKeeper default stopped by `--time-limit 3s` (trimmed). */
const ZK_STOPPED = JSON.stringify({
  command: 'check',
  verdict: 'incomplete',
  exitCode: 3,
  stats: { generated: 293172, distinct: 118757, maxDepth: 10, queued: 58341, durationMs: 3001 },
  exhaustive: true,
  bitstate: null,
  outcomes: [],
  reasons: ['time-limit'],
  violation: null,
  trace: null,
});

/** `check --partitions 2 --time-limit 3s --json`: partition 0 stopped, partition 1 left 1 ms. */
const ZK2_COMPOSE_STOPPED = JSON.stringify({
  verdict: 'incomplete',
  stats: { distinct: 172531, maxDepth: 9, queued: 94707 },
  bitstate: null,
  reasons: ['time-limit'],
  violation: null,
  perPartition: [
    { partition: 0, verdict: 'incomplete', distinct: 168945, seconds: 3.008 },
    { partition: 1, verdict: 'incomplete', distinct: 3586, seconds: 1.029 },
  ],
});

const measured = (json: string): Measured => {
  const m = parseCheckJson(json);
  if (typeof m === 'string') throw new Error(m);
  return m;
};

const ok = (distinct: number, parts?: number[]): Measured => ({
  verdict: 'ok',
  distinct,
  maxDepth: 20,
  queued: 0,
  reasons: [],
  violation: undefined,
  parts: parts?.map((d, partition) => ({ partition, verdict: 'ok', distinct: d })),
  coverage: undefined,
  por: undefined,
  error: undefined,
});

const stopped = (distinct: number, queued: number): Measured => ({
  ...ok(distinct),
  verdict: 'incomplete',
  maxDepth: 12,
  queued,
  reasons: ['time-limit'],
});

const rowNamed = (id: string): ScaleRow => {
  const r = scaleRows().find((x) => x.id === id);
  if (!r) throw new Error(`no row ${id}`);
  return r;
};

const run = (id: string, m: Measured | undefined, failure?: string): RowRun => ({
  row: rowNamed(id),
  args: [],
  wallSeconds: 12.345,
  peakRssMiB: m ? 812 : undefined,
  measured: m,
  failure,
});

describe('rows of the curve', () => {
  it('changes one dimension at a time from each mode default, leaving out the default value', () => {
    expect(scaleConfigs().map((c) => `${c.name} ${c.flags.join(' ')}`.trim())).toEqual([
      'zk-default',
      'zk-brokers-4 --brokers 4',
      'zk-brokers-5 --brokers 5',
      'zk-partitions-2 --partitions 2',
      'zk-partitions-3 --partitions 3',
      'zk-partitions-4 --partitions 4',
      'zk-crashes-2 --max-crashes 2',
      // the ZooKeeper default has 2 records already
      'zk-records-3 --max-records 3',
      'kraft-default',
      'kraft-brokers-4 --brokers 4',
      'kraft-brokers-5 --brokers 5',
      'kraft-partitions-2 --partitions 2',
      'kraft-partitions-3 --partitions 3',
      'kraft-partitions-4 --partitions 4',
      'kraft-crashes-2 --max-crashes 2',
      // the KRaft default has 1 record
      'kraft-records-2 --max-records 2',
      'kraft-records-3 --max-records 3',
    ]);
  });

  it('adds a per-partition row only with at least 2 partitions, in both modes', () => {
    const composed = scaleRows()
      .filter((r) => r.reduction === 'compose')
      .map((r) => r.id);
    expect(composed).toEqual([
      'zk-partitions-2:compose',
      'zk-partitions-3:compose',
      'zk-partitions-4:compose',
      'kraft-partitions-2:compose',
      'kraft-partitions-3:compose',
      'kraft-partitions-4:compose',
    ]);
    expect(scaleRows()).toHaveLength(31);
  });

  it('adds a partial-order reduction row to every ZooKeeper config and to no KRaft one', () => {
    const reduced = scaleRows()
      .filter((r) => r.reduction === 'por')
      .map((r) => r.id);
    expect(reduced).toEqual([
      'zk-default:por',
      'zk-brokers-4:por',
      'zk-brokers-5:por',
      'zk-partitions-2:por',
      'zk-partitions-3:por',
      'zk-partitions-4:por',
      'zk-crashes-2:por',
      'zk-records-3:por',
    ]);
  });

  it('builds the check arguments: --no-por on unreduced rows, --no-compose where one search is wanted', () => {
    expect(rowArgs(rowNamed('zk-partitions-3:none'), 120_000, '512MiB')).toEqual(
      'check --partitions 3 --no-compose --no-por --time-limit 120s --json'.split(' '),
    );
    expect(rowArgs(rowNamed('zk-partitions-3:por'), 120_000, '512MiB')).toEqual(
      'check --partitions 3 --no-compose --time-limit 120s --json'.split(' '),
    );
    expect(rowArgs(rowNamed('zk-crashes-2:por'), 120_000, '512MiB')).toEqual(
      'check --max-crashes 2 --time-limit 120s --json'.split(' '),
    );
    expect(rowArgs(rowNamed('zk-partitions-3:compose'), 120_000, '512MiB')).toEqual(
      'check --partitions 3 --time-limit 120s --json'.split(' '),
    );
    expect(rowArgs(rowNamed('kraft-partitions-2:none'), 20_000, '512MiB')).toEqual(
      'check --mode kraft --partitions 2 --no-compose --no-por --time-limit 20s --json'.split(' '),
    );
    const [bits] = selectRows(scaleConfigs(), ['zk-partitions-4:bitstate']) as ScaleRow[];
    expect(rowArgs(bits as ScaleRow, 120_000, '512MiB')).toEqual(
      'check --partitions 4 --no-compose --no-por --bitstate 512MiB --time-limit 120s --json'.split(' '),
    );
  });

  it('selects rows for --only by config name or name:reduction, and names unknown ones', () => {
    const ids = (only: string[]): string[] | string => {
      const r = selectRows(scaleConfigs(), only);
      return typeof r === 'string' ? r : r.map((x) => x.id);
    };
    expect(ids(['zk-default', 'zk-partitions-2', 'kraft-brokers-4:none', 'zk-default'])).toEqual([
      'zk-default:none',
      'zk-default:por',
      'zk-partitions-2:none',
      'zk-partitions-2:por',
      'zk-partitions-2:compose',
      'kraft-brokers-4:none',
    ]);
    expect(ids(['zk-brokers-6'])).toMatch(/^unknown row "zk-brokers-6"; known: zk-default, zk-brokers-4, /);
    expect(ids(['kraft-partitions-2:compose'])).toEqual(['kraft-partitions-2:compose']);
    expect(ids(['kraft-default:compose'])).toBe(
      'unknown reduction in "kraft-default:compose": use kraft-default:none, kraft-default:bitstate (per-partition checking needs ≥ 2 partitions; partial-order reduction applies in ZooKeeper mode only)',
    );
    expect(ids(['kraft-partitions-2:por'])).toBe(
      'unknown reduction in "kraft-partitions-2:por": use kraft-partitions-2:none, kraft-partitions-2:compose, kraft-partitions-2:bitstate (partial-order reduction applies in ZooKeeper mode only)',
    );
  });
});

describe('reading check --json', () => {
  it('reads the counts, depth, queue and reasons of a run stopped by the time limit', () => {
    expect(measured(ZK_STOPPED)).toEqual({
      verdict: 'incomplete',
      distinct: 118757,
      maxDepth: 10,
      queued: 58341,
      reasons: ['time-limit'],
      violation: undefined,
      parts: undefined,
      coverage: undefined,
      por: undefined,
      error: undefined,
    });
    expect(statesText(measured(ZK_STOPPED), 120_000)).toBe(
      'not finished in 120 s: 118,757 states, depth 10, 58,341 queued',
    );
    expect(verdictText(measured(ZK_STOPPED))).toBe('unknown');
  });

  it('reads whether partial-order reduction cut anything, and says so in the reduction cell', () => {
    const withPor = (used: boolean): string =>
      JSON.stringify({
        verdict: 'ok',
        stats: { distinct: 911, maxDepth: 17, queued: 0, reduction: { used, detail: '…', skippedActions: 911 } },
        reasons: [],
        violation: null,
      });
    expect(measured(withPor(true)).por).toBe(true);
    expect(measured(withPor(false)).por).toBe(false);
    const cellOf = (m: Measured): string | undefined =>
      tableLine(run('zk-default:por', m), ok(2733), 120_000, '512MiB').split(' | ')[3];
    expect(cellOf(measured(withPor(true)))).toBe('POR');
    expect(cellOf(measured(withPor(false)))).toBe('POR (reduced nothing)');
    expect(tableLine(run('zk-default:por', measured(withPor(true))), ok(2733), 120_000, '512MiB')).toMatch(
      / \| 3\.00× \|$/,
    );
  });

  it('reads a per-partition run and shows its split', () => {
    const m = measured(ZK2_COMPOSE_STOPPED);
    expect(m.parts).toEqual([
      { partition: 0, verdict: 'incomplete', distinct: 168945 },
      { partition: 1, verdict: 'incomplete', distinct: 3586 },
    ]);
    expect(statesText(m, 3000)).toBe(
      'not finished in 3 s: 172,531 states, depth 9, 94,707 queued (p0 168,945 unfinished + p1 3,586 unfinished)',
    );
    expect(statesText(ok(50_000, [25_000, 25_000]), 3000)).toBe('50,000 (p0 25,000 + p1 25,000)');
  });

  it('reads a bitstate run: states stored and the estimated coverage', () => {
    const m = measured(
      JSON.stringify({
        verdict: 'incomplete',
        stats: { distinct: 82872, maxDepth: 9, queued: 42936 },
        bitstate: { bits: 8388608, hashes: 3, states: 82872, coverage: 0.999975086550137 },
        reasons: ['bitstate', 'time-limit'],
        violation: null,
      }),
    );
    expect(verdictText(m)).toBe('unknown (bitstate, estimated coverage 1 − 2.5e-5)');
    expect(statesText(m, 120_000)).toBe('not finished in 120 s: 82,872 states stored, depth 9, 42,936 queued');
    expect(statesText({ ...m, reasons: ['bitstate'] }, 120_000)).toBe('82,872 stored');
  });

  it('names a violated property and a guard never reached', () => {
    const v = measured(
      JSON.stringify({
        verdict: 'violation',
        stats: { distinct: 393250, maxDepth: 14, queued: 10 },
        reasons: [],
        violation: { id: 'no-data-loss', status: 'violated', path: [0, 1] },
      }),
    );
    expect(verdictText(v)).toBe('violation: no-data-loss');
    expect(statesText(v, 120_000)).toBe('393,250 (the search stopped at the violation)');
    expect(verdictText({ ...v, violation: { id: 'isr-shrinks', status: 'vacuous' } })).toBe(
      'guard isr-shrinks never reached',
    );
  });

  it('says what is wrong with output that is not a check result', () => {
    expect(parseCheckJson('')).toBe('no JSON on stdout (empty)');
    expect(parseCheckJson('FATAL ERROR: Reached heap limit')).toBe(
      'no JSON on stdout (starts "FATAL ERROR: Reached heap limit")',
    );
    expect(parseCheckJson('{"verdict":"ok"}')).toBe('the JSON has no stats');
    expect(parseCheckJson('{"verdict":"maybe","stats":{}}')).toBe('unknown verdict "maybe"');
  });

  it('reads the peak RSS marker the preload writes (the last one)', () => {
    expect(parsePeakRss(`progress…\n${PEAK_RSS_MARK}1048576\n`)).toBe(1024);
    expect(parsePeakRss(`${PEAK_RSS_MARK}10\n${PEAK_RSS_MARK}2097152\n`)).toBe(2048);
    expect(parsePeakRss('Killed\n')).toBeUndefined();
  });
});

describe('reduction factor', () => {
  it('is unreduced / reduced when both searches finished', () => {
    expect(reductionFactor(ok(1_437_467), ok(300_000, [150_000, 150_000]))).toBe('4.79×');
    expect(reductionFactor(ok(9_000_000), ok(300_000))).toBe('30.0×');
  });

  it('is a lower bound, rounded down, when only the unreduced search stopped', () => {
    expect(reductionFactor(stopped(5_999_999, 1_000_000), ok(1_000_000))).toBe(
      '≥ 5.99× (lower bound: the unreduced search stopped at 5,999,999)',
    );
  });

  it('is an upper bound, rounded up, when only the reduced search stopped', () => {
    expect(reductionFactor(ok(1_000_001), stopped(1_000_000, 5))).toBe(
      '≤ 1.01× (upper bound: the reduced search stopped at 1,000,000)',
    );
  });

  it('is not given when neither finished, after a violation, or without an unreduced run', () => {
    expect(reductionFactor(stopped(5, 1), stopped(3, 1))).toBe('– (neither finished)');
    const violation: Measured = { ...ok(10), verdict: 'violation', violation: { id: 'x', status: 'violated' } };
    expect(reductionFactor(violation, ok(5))).toBe('–');
    expect(reductionFactor(undefined, ok(5))).toBe('– (no unreduced run)');
  });
});

describe('table', () => {
  it('formats finished, stopped, per-partition and failed rows', () => {
    const unreduced = stopped(4_000_000, 2_500_000);
    const lines = [
      ...TABLE_HEAD,
      tableLine(run('zk-default:none', ok(1_437_467)), undefined, 120_000, '512MiB'),
      tableLine(run('zk-partitions-2:none', unreduced), unreduced, 120_000, '512MiB'),
      tableLine(run('zk-partitions-2:por', { ...ok(2_000_000), por: true }), unreduced, 120_000, '512MiB'),
      tableLine(run('zk-partitions-2:compose', ok(800_000, [400_000, 400_000])), unreduced, 120_000, '512MiB'),
      tableLine(run('kraft-partitions-2:compose', ok(800_000, [400_000, 400_000])), unreduced, 120_000, '512MiB'),
      tableLine(
        run('kraft-brokers-5:none', undefined, 'exit 134; no JSON on stdout (empty)'),
        undefined,
        120_000,
        '512MiB',
      ),
    ];
    expect(lines.join('\n')).toBe(
      [
        '| row | mode | config | reduction | verdict | distinct states | wall s | peak RSS MiB | reduction factor |',
        '| --- | --- | --- | --- | --- | ---: | ---: | ---: | --- |',
        '| zk-default:none | ZooKeeper | default | none | all safety holds | 1,437,467 | 12.3 | 812 | – |',
        '| zk-partitions-2:none | ZooKeeper | `--partitions 2` | none | unknown | not finished in 120 s: 4,000,000 states, depth 12, 2,500,000 queued | 12.3 | 812 | – |',
        '| zk-partitions-2:por | ZooKeeper | `--partitions 2` | POR | all safety holds | 2,000,000 | 12.3 | 812 | ≥ 2.00× (lower bound: the unreduced search stopped at 4,000,000) |',
        '| zk-partitions-2:compose | ZooKeeper | `--partitions 2` | per partition + POR | all safety holds | 800,000 (p0 400,000 + p1 400,000) | 12.3 | 812 | ≥ 5.00× (lower bound: the unreduced search stopped at 4,000,000) |',
        '| kraft-partitions-2:compose | KRaft | `--partitions 2` | per partition | all safety holds | 800,000 (p0 400,000 + p1 400,000) | 12.3 | 812 | ≥ 5.00× (lower bound: the unreduced search stopped at 4,000,000) |',
        '| kraft-brokers-5:none | KRaft | `--brokers 5` | none | failed: exit 134; no JSON on stdout (empty) | – | 12.3 | – | – |',
      ].join('\n'),
    );
  });

  it('says when a per-partition row fell back to one search, and escapes pipes', () => {
    const line = tableLine(
      run('zk-partitions-3:compose', { ...ok(10), verdict: 'error', error: 'a | b' }),
      undefined,
      120_000,
      '512MiB',
    );
    expect(line).toBe(
      '| zk-partitions-3:compose | ZooKeeper | `--partitions 3` | per partition (fell back to one search) + POR | error: a \\| b | 10 | 12.3 | 812 | – (fell back to one search) |',
    );
  });

  it('picks for the bitstate row the unreduced row stopped with the most states queued', () => {
    const runs = [
      run('zk-brokers-5:none', stopped(3_000_000, 900_000)),
      run('zk-partitions-4:none', stopped(2_000_000, 1_500_000)),
      run('zk-partitions-4:compose', stopped(2_000_000, 3_000_000)),
      run('kraft-default:none', ok(1_000_000)),
    ];
    expect(bitstateCandidate(runs)?.id).toBe('zk-partitions-4:bitstate');
    expect(bitstateCandidate(runs.slice(3))).toBeUndefined();
  });
});
