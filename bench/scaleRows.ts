/**
 * The scale curve of issue 20 (`bench/scale.ts` runs it): which rows it checks, the `kafka-mc check`
 * arguments of each, how a row's `--json` result is read, the reduction factor and the Markdown table.
 * Pure: nothing here runs a process, so the tests need no checker run.
 */
import { formatCount } from '../cli/format.js';
import { formatCoverage } from '../cli/render.js';
import { DEFAULT_CONFIG, DEFAULT_KRAFT_CONFIG, type ModelConfig } from '../model/index.js';
import { PEAK_RSS_MARK } from './peakRssMark.js';

export type Mode = 'zk' | 'kraft';

/**
 * How a row cuts its state space: not at all (`--no-por`, and `--no-compose` with several partitions),
 * by partial-order reduction alone (`por`: ZooKeeper mode, where the model declares it; one search),
 * one partition at a time (`compose`: the default, with partial-order reduction inside each partition's
 * search where it applies), or a bit array over the unreduced search (`bitstate`).
 */
export type Reduction = 'none' | 'por' | 'compose' | 'bitstate';

/** One config of the curve: a mode's default, or that default with one dimension changed. */
export interface ScaleConfig {
  /** E.g. `zk-partitions-2` (what `--only` names). */
  readonly name: string;
  readonly mode: Mode;
  /** The `check` flags that differ from the mode's default (none for the default). */
  readonly flags: readonly string[];
  /** Whether `check` decides it one partition at a time by default (≥ 2 partitions, either mode). */
  readonly composable: boolean;
  /**
   * Whether partial-order reduction applies (ZooKeeper mode: `model/reduction.ts` declares every step's
   * use of the network; in KRaft mode a fetch's ISR expansion depends on it, and nothing is reduced).
   */
  readonly reducible: boolean;
}

/** One row: a config checked with one reduction. */
export interface ScaleRow {
  /** `<config>:<reduction>`, e.g. `zk-partitions-2:none`. */
  readonly id: string;
  readonly config: ScaleConfig;
  readonly reduction: Reduction;
}

interface Dimension {
  readonly key: string;
  readonly flag: string;
  /** Issue 20's range; the mode's default value is left out (the default row has it). */
  readonly values: readonly number[];
  readonly of: (c: ModelConfig) => number;
}

/** Issue 20's ranges: brokers 3→5, partitions 1→4, crashes 1→2, records 2→3. */
const DIMENSIONS: readonly Dimension[] = [
  { key: 'brokers', flag: '--brokers', values: [3, 4, 5], of: (c) => c.brokers },
  { key: 'partitions', flag: '--partitions', values: [1, 2, 3, 4], of: (c) => c.partitions },
  { key: 'crashes', flag: '--max-crashes', values: [1, 2], of: (c) => c.faults.crashes },
  { key: 'records', flag: '--max-records', values: [2, 3], of: (c) => c.bounds.records },
];

const DEFAULTS: readonly (readonly [Mode, ModelConfig])[] = [
  ['zk', DEFAULT_CONFIG],
  ['kraft', DEFAULT_KRAFT_CONFIG],
];

/** Each mode's default, then one dimension at a time changed from it, to every other value of its range. */
export function scaleConfigs(): ScaleConfig[] {
  const out: ScaleConfig[] = [];
  for (const [mode, base] of DEFAULTS) {
    const composable = (partitions: number): boolean => partitions >= 2;
    const reducible = mode === 'zk';
    out.push({ name: `${mode}-default`, mode, flags: [], composable: composable(base.partitions), reducible });
    for (const d of DIMENSIONS)
      for (const v of d.values) {
        if (v === d.of(base)) continue;
        const partitions = d.key === 'partitions' ? v : base.partitions;
        out.push({
          name: `${mode}-${d.key}-${v}`,
          mode,
          flags: [d.flag, String(v)],
          composable: composable(partitions),
          reducible,
        });
      }
  }
  return out;
}

/** The reductions that apply to a config, in table order (bitstate is added by the run). */
function reductionsOf(config: ScaleConfig): Reduction[] {
  return [
    'none',
    ...(config.reducible ? (['por'] as const) : []),
    ...(config.composable ? (['compose'] as const) : []),
  ];
}

/** Every row of the curve: each config unreduced, then (where they apply) with POR and per partition. */
export function scaleRows(configs: readonly ScaleConfig[] = scaleConfigs()): ScaleRow[] {
  return configs.flatMap((config) => reductionsOf(config).map((reduction) => rowOf(config, reduction)));
}

function rowOf(config: ScaleConfig, reduction: Reduction): ScaleRow {
  return { id: `${config.name}:${reduction}`, config, reduction };
}

/**
 * The rows `--only` names: a config name picks its rows (unreduced and per partition), `name:none`,
 * `name:compose` or `name:bitstate` one row. A string names what is unknown and what is known.
 */
export function selectRows(configs: readonly ScaleConfig[], only: readonly string[]): ScaleRow[] | string {
  const all = scaleRows(configs);
  const out: ScaleRow[] = [];
  for (const name of only) {
    const [configName, reduction] = name.split(':');
    const config = configs.find((c) => c.name === configName);
    if (!config) return `unknown row ${JSON.stringify(name)}; known: ${configs.map((c) => c.name).join(', ')}`;
    const known = [...reductionsOf(config), 'bitstate'];
    if (reduction === undefined) out.push(...all.filter((r) => r.config === config));
    else if (known.includes(reduction)) out.push(rowOf(config, reduction as Reduction));
    else {
      const why = [
        config.composable ? '' : 'per-partition checking needs ≥ 2 partitions',
        config.reducible ? '' : 'partial-order reduction applies in ZooKeeper mode only',
      ].filter((w) => w !== '');
      return `unknown reduction in ${JSON.stringify(name)}: use ${known.map((r) => `${config.name}:${r}`).join(', ')}${why.length ? ` (${why.join('; ')})` : ''}`;
    }
  }
  return out.filter((r, i) => out.findIndex((o) => o.id === r.id) === i);
}

/** `120000` → `120s`, the form `--time-limit` takes. */
function limitFlag(limitMs: number): string {
  return `${limitMs / 1000}s`;
}

/** `120000` → `120 s`. */
function limitText(limitMs: number): string {
  return `${limitMs / 1000} s`;
}

/** The `kafka-mc` arguments of a row (`check …`, ending with `--json`). */
export function rowArgs(row: ScaleRow, limitMs: number, bitstateSize: string): string[] {
  const { config, reduction } = row;
  return [
    'check',
    ...(config.mode === 'kraft' ? ['--mode', 'kraft'] : []),
    ...config.flags,
    ...(config.composable && reduction !== 'compose' ? ['--no-compose'] : []),
    ...(reduction === 'none' || reduction === 'bitstate' ? ['--no-por'] : []),
    ...(reduction === 'bitstate' ? ['--bitstate', bitstateSize] : []),
    '--time-limit',
    limitFlag(limitMs),
    '--json',
  ];
}

/** One partition's check in a per-partition run (`perPartition` in the JSON). */
export interface MeasuredPart {
  readonly partition: number;
  readonly verdict: string;
  readonly distinct: number;
}

/** What a row's `kafka-mc check --json` reported. */
export interface Measured {
  readonly verdict: 'ok' | 'violation' | 'incomplete' | 'error';
  readonly distinct: number;
  readonly maxDepth: number;
  readonly queued: number;
  /** Why the run is not a proof (`time-limit`, `bitstate`, `interrupted`, …); empty when it is one. */
  readonly reasons: readonly string[];
  readonly violation: { readonly id: string; readonly status: string } | undefined;
  /** Per-partition checking: each partition's check; undefined when the run was one search. */
  readonly parts: readonly MeasuredPart[] | undefined;
  /** A bitstate run's estimated coverage. */
  readonly coverage: number | undefined;
  /** Whether partial-order reduction cut anything (`stats.reduction.used`); undefined when not reported. */
  readonly por: boolean | undefined;
  readonly error: string | undefined;
}

const VERDICTS = ['ok', 'violation', 'incomplete', 'error'] as const;

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Reads `check --json`'s stdout; a string says what is missing from it. */
export function parseCheckJson(stdout: string): Measured | string {
  let doc: unknown;
  try {
    doc = JSON.parse(stdout);
  } catch {
    return `no JSON on stdout (${stdout.trim() === '' ? 'empty' : `starts ${JSON.stringify(stdout.trim().slice(0, 40))}`})`;
  }
  if (!isRecord(doc) || !isRecord(doc.stats)) return 'the JSON has no stats';
  const { stats, verdict } = doc;
  const verdictOk = VERDICTS.find((v) => v === verdict);
  if (!verdictOk) return `unknown verdict ${JSON.stringify(verdict)}`;
  const [distinct, maxDepth, queued] = [stats.distinct, stats.maxDepth, stats.queued];
  if (typeof distinct !== 'number' || typeof maxDepth !== 'number' || typeof queued !== 'number')
    return 'the JSON stats lack distinct, maxDepth or queued';
  const reasons = Array.isArray(doc.reasons) ? doc.reasons.filter((r): r is string => typeof r === 'string') : [];
  const v = doc.violation;
  return {
    verdict: verdictOk,
    distinct,
    maxDepth,
    queued,
    reasons,
    violation: isRecord(v) ? { id: String(v.id), status: String(v.status) } : undefined,
    parts: Array.isArray(doc.perPartition) ? doc.perPartition.filter(isRecord).map(partOf) : undefined,
    coverage: isRecord(doc.bitstate) && typeof doc.bitstate.coverage === 'number' ? doc.bitstate.coverage : undefined,
    por: isRecord(stats.reduction) && typeof stats.reduction.used === 'boolean' ? stats.reduction.used : undefined,
    error: typeof doc.error === 'string' ? doc.error : undefined,
  };
}

function partOf(p: Record<string, unknown>): MeasuredPart {
  return { partition: Number(p.partition), verdict: String(p.verdict), distinct: Number(p.distinct) };
}

/** The peak RSS in MiB from a child's stderr (the last marker line), or undefined without one. */
export function parsePeakRss(stderr: string): number | undefined {
  const at = stderr.lastIndexOf(PEAK_RSS_MARK);
  if (at < 0) return undefined;
  const kib = Number(/^\d+/.exec(stderr.slice(at + PEAK_RSS_MARK.length))?.[0]);
  return Number.isFinite(kib) ? Math.round(kib / 1024) : undefined;
}

/** A search that covered its whole state space (within the model's bounds) and found nothing. */
export function finished(m: Measured): boolean {
  return m.verdict === 'ok' && m.reasons.length === 0;
}

/** What stopped a search that did not finish: the time limit, a signal, or another reason. */
function stopText(m: Measured, limitMs: number): string | undefined {
  const reasons = m.reasons.filter((r) => r !== 'bitstate');
  if (reasons.length === 0) return undefined;
  if (reasons.includes('time-limit')) return `not finished in ${limitText(limitMs)}`;
  if (reasons.includes('interrupted')) return 'interrupted';
  return `stopped by ${reasons.join(', ')}`;
}

/** ` (p0 12,345 + p1 6,789 unfinished)`: a per-partition run's split, or nothing. */
function splitText(m: Measured): string {
  if (!m.parts) return '';
  const part = (p: MeasuredPart): string =>
    `p${p.partition} ${formatCount(p.distinct)}${p.verdict === 'incomplete' ? ' unfinished' : p.verdict === 'violation' ? ' violation' : ''}`;
  return ` (${m.parts.map(part).join(' + ')})`;
}

/** The distinct-states cell: the count, or how far the search got when it stopped. */
export function statesText(m: Measured, limitMs: number): string {
  const stored = m.coverage !== undefined ? ' stored' : '';
  const stop = stopText(m, limitMs);
  if (stop)
    return `${stop}: ${formatCount(m.distinct)} states${stored}, depth ${m.maxDepth}, ${formatCount(m.queued)} queued${splitText(m)}`;
  const tail = m.verdict === 'violation' ? ' (the search stopped at the violation)' : '';
  return `${formatCount(m.distinct)}${stored}${splitText(m)}${tail}`;
}

/** The verdict cell: all safety holds, which property is violated, or unknown (with a bitstate coverage). */
export function verdictText(m: Measured): string {
  switch (m.verdict) {
    case 'ok':
      return 'all safety holds';
    case 'violation':
      if (m.violation?.status === 'vacuous') return `guard ${m.violation.id} never reached`;
      return `violation: ${m.violation?.id ?? '?'}`;
    case 'incomplete':
      return m.coverage !== undefined
        ? `unknown (bitstate, estimated coverage ${formatCoverage(m.coverage)})`
        : 'unknown';
    case 'error':
      return `error: ${m.error ?? '?'}`;
  }
}

/** x rounded to 2 decimals (1 from 10 up), down or up so that a bound stays a bound. */
function ratioText(x: number, round: (y: number) => number = Math.round): string {
  const scale = x >= 10 ? 10 : 100;
  return (round(x * scale) / scale).toFixed(x >= 10 ? 1 : 2);
}

/**
 * The reduction factor of a reduced row: unreduced distinct states / reduced distinct states when both
 * searches finished; `≥ x` from the unreduced count reached when only the unreduced search stopped
 * early (its full count is at least that); `≤ x` when only the reduced one stopped early; `–` otherwise.
 */
export function reductionFactor(unreduced: Measured | undefined, reduced: Measured): string {
  if (!unreduced) return '– (no unreduced run)';
  const done = (m: Measured): boolean => finished(m) && m.distinct > 0;
  const stopped = (m: Measured): boolean => m.verdict === 'incomplete' && m.distinct > 0;
  const x = unreduced.distinct / reduced.distinct;
  if (done(unreduced) && done(reduced)) return `${ratioText(x)}×`;
  if (stopped(unreduced) && done(reduced))
    return `≥ ${ratioText(x, Math.floor)}× (lower bound: the unreduced search stopped at ${formatCount(unreduced.distinct)})`;
  if (done(unreduced) && stopped(reduced))
    return `≤ ${ratioText(x, Math.ceil)}× (upper bound: the reduced search stopped at ${formatCount(reduced.distinct)})`;
  if (stopped(unreduced) && stopped(reduced)) return '– (neither finished)';
  return '–';
}

/** What one row's child process gave. */
export interface RowRun {
  readonly row: ScaleRow;
  readonly args: readonly string[];
  readonly wallSeconds: number;
  readonly peakRssMiB: number | undefined;
  /** The parsed result, or undefined when the child gave none (then `failure` says why). */
  readonly measured: Measured | undefined;
  readonly failure: string | undefined;
}

export const TABLE_HEAD = [
  '| row | mode | config | reduction | verdict | distinct states | wall s | peak RSS MiB | reduction factor |',
  '| --- | --- | --- | --- | --- | ---: | ---: | ---: | --- |',
];

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The reduction cell: what actually ran (a per-partition run that fell back to one search says so). */
function reductionText(run: RowRun, bitstateSize: string): string {
  const { reduction, config } = run.row;
  if (reduction === 'bitstate') return `bitstate ${bitstateSize}`;
  if (reduction === 'none') return 'none';
  if (reduction === 'por') return run.measured?.por === false ? 'POR (reduced nothing)' : 'POR';
  const whole = run.measured && !run.measured.parts ? 'per partition (fell back to one search)' : 'per partition';
  return config.reducible ? `${whole} + POR` : whole;
}

/**
 * One Markdown table line. `unreduced` is the same config's unreduced result, for a reduced row's
 * factor (a bitstate row has none: its count is of states stored, not of the reachable states).
 */
export function tableLine(run: RowRun, unreduced: Measured | undefined, limitMs: number, bitstateSize: string): string {
  const { row, measured } = run;
  const m = measured;
  const cells = [
    row.id,
    row.config.mode === 'zk' ? 'ZooKeeper' : 'KRaft',
    row.config.flags.length ? `\`${row.config.flags.join(' ')}\`` : 'default',
    reductionText(run, bitstateSize),
    m ? verdictText(m) : `failed: ${run.failure ?? '?'}`,
    m ? statesText(m, limitMs) : '–',
    run.wallSeconds.toFixed(1),
    run.peakRssMiB !== undefined ? String(run.peakRssMiB) : '–',
    factorText(run, unreduced),
  ];
  return `| ${cells.map(cell).join(' | ')} |`;
}

/** The factor cell: for a POR row, or a per-partition row that ran per partition; else `–`. */
function factorText({ row, measured }: RowRun, unreduced: Measured | undefined): string {
  if (!measured || row.reduction === 'none' || row.reduction === 'bitstate') return '–';
  if (row.reduction === 'por') return reductionFactor(unreduced, measured);
  return measured.parts ? reductionFactor(unreduced, measured) : '– (fell back to one search)';
}

/**
 * The row the bitstate run repeats: of the unreduced rows stopped by the time limit, the one with the
 * most states still queued when it stopped (the most work known to be left); undefined when every
 * unreduced row finished.
 */
export function bitstateCandidate(runs: readonly RowRun[]): ScaleRow | undefined {
  let best: RowRun | undefined;
  for (const r of runs) {
    const m = r.measured;
    if (r.row.reduction !== 'none' || !m || m.verdict !== 'incomplete' || !m.reasons.includes('time-limit')) continue;
    if (!best || m.queued > (best.measured?.queued ?? 0)) best = r;
  }
  return best ? rowOf(best.row.config, 'bitstate') : undefined;
}
