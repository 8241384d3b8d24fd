/**
 * Stateright (Rust; GitHub stateright/stateright) as a speed anchor for the two-phase benchmark:
 * the command line of its patched `2pc` example, the parsing of what it prints, and the ratios the
 * benchmark prints when `STATERIGHT_BIN` names that binary. Pure: nothing here runs a process, so the
 * tests need no Stateright. bench/README.md says how to build the binary.
 */

/** The search order of one Stateright run (the example's `check-bfs` / `check-dfs` subcommands). */
export type StaterightOrder = 'bfs' | 'dfs';

/** What one Stateright run reports on its last line. */
export interface StaterightReport {
  /** States generated (successors computed, duplicates included). */
  readonly generated: number;
  /** Distinct states. */
  readonly distinct: number;
  readonly depth: number;
  /** Time from spawning the checker to joining it, as Stateright measures it. */
  readonly searchMs: number;
  /** Whether every property held (`always`) or had its example (`sometimes`). */
  readonly propertiesOk: boolean;
}

/** The arguments of `$STATERIGHT_BIN` for N RMs: no symmetry reduction, `threads` checker threads. */
export function staterightArgs(order: StaterightOrder, n: number, threads = 1): string[] {
  return [`check-${order}`, String(n), String(threads)];
}

const DONE =
  /^Done\. states=(\d+), unique=(\d+), depth=(\d+), sec=(\d+(?:\.\d+)?), unique_per_sec=\d+, properties_ok=(true|false)$/m;

/** Parses the example's `Done. states=…` line; `undefined` when the output has none (wrong binary, crash). */
export function parseStateright(output: string): StaterightReport | undefined {
  const m = DONE.exec(output);
  if (!m) return undefined;
  return {
    generated: Number(m[1]),
    distinct: Number(m[2]),
    depth: Number(m[3]),
    searchMs: Number(m[4]) * 1000,
    propertiesOk: m[5] === 'true',
  };
}

/** The header line naming the Stateright command, or saying in one line why its rows are missing. */
export function staterightHeader(bin: string | undefined): string {
  if (!bin)
    return '- Stateright: skipped (set STATERIGHT_BIN to the `2pc` example built as bench/README.md says to add its rows and ratios)';
  return `- Stateright: \`$STATERIGHT_BIN check-bfs N 1\` and \`check-dfs N 1\` (0.31.0, patched 2pc example, one thread, no symmetry) with STATERIGHT_BIN=${bin}`;
}

/** The figures of one run the ratios need (a row of the benchmark's table). */
export interface RunTimes {
  readonly distinct: number;
  /** User + system time of the whole process, start-up included. */
  readonly cpuMs: number;
  /** The tool's own search time. */
  readonly searchMs: number | undefined;
}

/** How many times as many distinct states per CPU-second `ours` explored as `theirs` (start-up counted). */
export function perCpuRatio(ours: RunTimes, theirs: RunTimes): number {
  return ours.distinct / ours.cpuMs / (theirs.distinct / theirs.cpuMs);
}

/** The same ratio on the tools' own search times (start-up and teardown left out); NaN when one is missing. */
export function searchRatio(ours: RunTimes, theirs: RunTimes): number {
  if (!ours.searchMs || !theirs.searchMs) return NaN;
  return ours.distinct / ours.searchMs / (theirs.distinct / theirs.searchMs);
}

/** One comparison of a kafka-mc run with a Stateright run of the same size. */
export interface Comparison {
  readonly n: number;
  /** E.g. `check() BFS / Stateright BFS`. */
  readonly label: string;
  readonly ours: RunTimes;
  readonly theirs: RunTimes;
  /** Whether the goal is judged on it (single-threaded `check()`), or it is shown for information. */
  readonly forGoal: boolean;
}

/**
 * kafka-mc's single-core runs of size `n` against Stateright's, where both were measured (`find` looks a
 * row up by the benchmark's tool name): none when Stateright was not run.
 */
export function staterightComparisons(
  n: number,
  find: (tool: string, n: number, workers: number) => RunTimes | undefined,
): Comparison[] {
  const out: Comparison[] = [];
  for (const { ours, theirs, label, forGoal } of STATERIGHT_PAIRS) {
    const o = find(ours, n, 1);
    const t = find(theirs, n, 1);
    if (o && t) out.push({ n, label, ours: o, theirs: t, forGoal });
  }
  return out;
}

/** The rows compared with Stateright (the benchmark's tool names), and whether the goal is judged on each. */
export const STATERIGHT_PAIRS: readonly {
  readonly ours: string;
  readonly theirs: string;
  readonly label: string;
  readonly forGoal: boolean;
}[] = [
  { ours: 'kafka-mc check()', theirs: 'Stateright BFS', label: 'check() BFS / Stateright BFS', forGoal: true },
  { ours: 'kafka-mc parallel', theirs: 'Stateright BFS', label: 'parallel(1) / Stateright BFS', forGoal: false },
  { ours: 'kafka-mc check() DFS', theirs: 'Stateright DFS', label: 'check() DFS / Stateright DFS', forGoal: true },
];

/** The goal of issue 20: at least as many states per CPU-second as Stateright, start-up counted. */
export const STATERIGHT_GOAL = 1;

const times = (x: number): string => (Number.isNaN(x) ? '–' : `${x.toFixed(2)}×`);

/** `check() BFS / Stateright BFS: 0.85× per CPU-second (search only 1.02×)`. */
export function comparisonText(c: Comparison): string {
  return `${c.label}: ${times(perCpuRatio(c.ours, c.theirs))} per CPU-second (search time only ${times(searchRatio(c.ours, c.theirs))})`;
}

/** One line on the goal over the comparisons it is judged on: met everywhere, or where not. Empty without any. */
export function staterightVerdict(comparisons: readonly Comparison[]): string {
  return verdictLine(
    comparisons.filter((c) => c.forGoal).map((c) => ({ n: c.n, label: c.label, ratio: perCpuRatio(c.ours, c.theirs) })),
    '',
  );
}

/** The verdict over (size, label, per-CPU-second ratio) items; `judgedOn` says how the ratios were taken. */
function verdictLine(items: readonly { n: number; label: string; ratio: number }[], judgedOn: string): string {
  if (items.length === 0) return '';
  const goal = `the goal (kafka-mc ≥ ${STATERIGHT_GOAL.toFixed(1)}× Stateright's distinct states per CPU-second, start-up counted)${judgedOn}`;
  const short = items.filter((x) => !(x.ratio >= STATERIGHT_GOAL));
  if (short.length === 0) return `- Stateright: ${goal} is met in every comparison of this run`;
  return `- Stateright: ${goal} is not met at ${short.map((x) => `${x.n} RMs ${x.label} (${times(x.ratio)})`).join(', ')}`;
}

/**
 * The run of median CPU time among repeats of one measurement (the upper median for an even count): the
 * row the table shows when the benchmark runs with `--repeat N`.
 */
export function medianRun<T extends RunTimes>(runs: readonly T[]): T {
  if (runs.length === 0) throw new RangeError('medianRun: no runs');
  const sorted = [...runs].sort((a, b) => a.cpuMs - b.cpuMs);
  return sorted[Math.floor(sorted.length / 2)] as T;
}

/** The per-CPU-second ratio of paired runs (ours[i] ran next to theirs[i]): median, least and greatest. */
export interface PairedRatio {
  readonly pairs: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/**
 * `perCpuRatio` pair by pair over runs that alternated (ours, theirs, ours, theirs, …), so that a drift
 * in the machine's speed moves both sides of a pair alike. The median is the upper median for an even
 * count of pairs.
 */
export function pairedRatio(ours: readonly RunTimes[], theirs: readonly RunTimes[]): PairedRatio {
  const n = Math.min(ours.length, theirs.length);
  if (n === 0) throw new RangeError('pairedRatio: no pairs');
  const r: number[] = [];
  for (let i = 0; i < n; i++) r.push(perCpuRatio(ours[i] as RunTimes, theirs[i] as RunTimes));
  r.sort((a, b) => a - b);
  return { pairs: n, median: r[Math.floor(n / 2)] as number, min: r[0] as number, max: r[n - 1] as number };
}

/** `check() BFS / Stateright BFS: median 1.59× per CPU-second over 5 alternating pairs (1.26×–1.85×)`. */
export function pairedText(label: string, p: PairedRatio): string {
  return `${label}: median ${times(p.median)} per CPU-second over ${p.pairs} alternating pairs (${times(p.min)}–${times(p.max)})`;
}

/** `staterightVerdict` on paired medians (`--repeat N`): one line, met everywhere or where not. */
export function pairedVerdict(items: readonly { n: number; label: string; ratio: PairedRatio }[]): string {
  return verdictLine(
    items.map((x) => ({ n: x.n, label: x.label, ratio: x.ratio.median })),
    ', judged on paired medians,',
  );
}
