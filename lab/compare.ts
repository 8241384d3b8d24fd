import { check, checkLiveness, type CheckResult, type Property, type PropertyOutcome } from '../checker/index.js';
import { KAFKA_LIVENESS_OPTIONS, fuzz, livenessProperties } from '../properties/index.js';
import {
  clean,
  kafkaModel,
  resolveConfig,
  type ClusterState,
  type ConfigInput,
  type ElectionRule,
  type KafkaModel,
  type ModelConfig,
} from '../model/index.js';
import { safetyFor } from './properties.js';

/**
 * One column of the comparison: an election rule, optionally with settings that go with it (the `elr`
 * column is the clean rule with Eligible Leader Replicas on, KIP-966). Every column runs on the same
 * configuration otherwise.
 */
export interface Column {
  /** The column's heading. */
  readonly name: string;
  readonly rule: ElectionRule;
  /** Settings laid over the shared configuration for this column only. */
  readonly overlay?: ConfigInput;
}

/** The built-in column `elr`: clean elections with Eligible Leader Replicas (KIP-966, KRaft mode only). */
export const ELR_COLUMN: Column = { name: 'elr', rule: clean, overlay: { elr: true } };

/** One cell of the comparison matrix. */
export type Cell =
  | { readonly status: 'holds'; readonly states: number }
  | {
      readonly status: 'violated';
      readonly steps: number;
      readonly path: readonly number[];
      readonly detail: string;
      /** How the counterexample was found: exhaustive search (shortest) or seeded fuzzing (shrunk). */
      readonly by: 'bfs' | 'liveness' | 'fuzz';
      /** The fuzz seed, when fuzzing found it. */
      readonly seed?: number;
      /** The checker's outcome, to build the trace file from. */
      readonly outcome: PropertyOutcome;
    }
  | {
      readonly status: 'incomplete';
      readonly states: number;
      readonly reason: string;
      /** Fuzz runs that then found no violation of it (0 when fuzzing was not tried). */
      readonly fuzzRuns: number;
    };

export interface MatrixRow {
  readonly property: string;
  /** Cells by column name, in the order the columns were given. */
  readonly cells: readonly { readonly rule: string; readonly cell: Cell }[];
}

export interface CompareOptions {
  /** Distinct-state cap per run; past it the cell is `incomplete` unless fuzzing finds a violation. */
  readonly maxStates?: number;
  /** Properties to decide (default: the safety set for the config). */
  readonly properties?: readonly Property<ClusterState>[];
  /**
   * Also decide the config's liveness properties (`livenessProperties(cfg)`, under
   * `KAFKA_LIVENESS_OPTIONS`): one more exhaustive run per rule, its rows after the safety rows.
   */
  readonly liveness?: boolean;
  /**
   * Where the exhaustive run stopped short (`maxStates`), look for violations by seeded fuzzing
   * (default: 1000 runs of up to 100 fault intents, seed 1). `false` turns it off.
   */
  readonly fuzz?: false | { readonly seed: number; readonly runs: number };
}

/** Fault intents per fuzz run, as `kafka-mc fuzz` by default. */
const FUZZ_DEPTH = 100;

/** A column's model: the shared configuration with its overlay, and its rule. */
export function columnModel(col: Column, input: ConfigInput): KafkaModel {
  return kafkaModel(resolveConfig({ ...input, ...col.overlay }), col.rule);
}

/** A bare rule as a column of its own name. */
export const asColumn = (c: ElectionRule | Column): Column => ('rule' in c ? c : { name: c.name, rule: c });

/**
 * Runs every property for every column on the same config, exhaustively (BFS, one run per column with
 * all properties, not stopping at the first violation) and returns property × column → holds / violated
 * (shortest trace) / incomplete. Past the state cap, seeded fuzzing looks for the violations the
 * search did not reach (exhaustive where feasible, fuzzing beyond).
 */
export function compareRules(
  columns: readonly (ElectionRule | Column)[],
  input: ConfigInput,
  opts: CompareOptions = {},
): MatrixRow[] {
  const cols = columns.map(asColumn);
  const limits = opts.maxStates !== undefined ? { maxStates: opts.maxStates } : {};
  const fuzzing = opts.fuzz === false ? undefined : (opts.fuzz ?? { seed: 1, runs: 1000 });
  const safetyOf = (cfg: ModelConfig): readonly Property<ClusterState>[] => opts.properties ?? safetyFor(cfg);
  const safetyRuns = cols.map((col) => {
    const model = columnModel(col, input);
    const props = safetyOf(model.config);
    return { props, result: check(model, props, { stopOnViolation: false, ...limits }), model, col };
  });
  const rows = matrix(cols, safetyRuns, fuzzing, 'bfs');
  if (!opts.liveness) return rows;
  const liveRuns = cols.map((col) => {
    const model = columnModel(col, input);
    const props = livenessProperties(model.config);
    const result = checkLiveness(model, props, { ...KAFKA_LIVENESS_OPTIONS, stopOnViolation: false, ...limits });
    return { props, result, model, col };
  });
  return [...rows, ...matrix(cols, liveRuns, fuzzing, 'liveness')];
}

interface ColumnRun {
  readonly col: Column;
  readonly model: KafkaModel;
  readonly props: readonly Property<ClusterState>[];
  readonly result: CheckResult;
}

function matrix(
  cols: readonly Column[],
  runs: readonly ColumnRun[],
  fuzzing: { readonly seed: number; readonly runs: number } | undefined,
  by: 'bfs' | 'liveness',
): MatrixRow[] {
  const cellsByColumn = runs.map((run) => columnCells(run, fuzzing, by));
  const ids = runs[0]?.props.map((p) => p.id) ?? [];
  return ids.map((id) => ({
    property: id,
    cells: cols.map((col, i) => ({ rule: col.name, cell: cellsByColumn[i]?.get(id) as Cell })),
  }));
}

/** One column's cells; incomplete ones are then fuzzed, one property at a time until fuzzing finds nothing more. */
function columnCells(
  { model, props, result: r }: ColumnRun,
  fuzzing: { readonly seed: number; readonly runs: number } | undefined,
  by: 'bfs' | 'liveness',
): Map<string, Cell> {
  const cells = new Map<string, Cell>();
  for (const p of props) {
    const o = r.outcomes.find((x) => x.id === p.id);
    if (o?.status === 'violated' && o.path)
      cells.set(p.id, {
        status: 'violated',
        steps: o.path.length - 1,
        path: o.path,
        detail: o.detail ?? '',
        by,
        outcome: o,
      });
    else if (r.kind === 'incomplete' || o?.status === 'unknown')
      cells.set(p.id, {
        status: 'incomplete',
        states: r.stats.distinct,
        reason: r.kind === 'incomplete' ? r.reasons.join(', ') : 'stopped',
        fuzzRuns: 0,
      });
    else cells.set(p.id, { status: 'holds', states: r.stats.distinct });
  }
  if (!fuzzing) return cells;
  let open = props.filter((p) => cells.get(p.id)?.status === 'incomplete');
  while (open.length) {
    const report = fuzz(model, open, { seed: fuzzing.seed, runs: fuzzing.runs, depth: FUZZ_DEPTH });
    const v = report.result.kind === 'violation' ? report.result.violation : undefined;
    if (!v?.path) {
      for (const p of open) {
        const c = cells.get(p.id);
        if (c?.status === 'incomplete') cells.set(p.id, { ...c, fuzzRuns: fuzzing.runs });
      }
      break;
    }
    cells.set(v.id, {
      status: 'violated',
      steps: v.path.length - 1,
      path: v.path,
      detail: v.detail ?? '',
      by: 'fuzz',
      seed: fuzzing.seed,
      outcome: v,
    });
    open = open.filter((p) => p.id !== v.id);
  }
  return cells;
}

/** A cell as the terminal table shows it. */
export function cellText(c: Cell): string {
  if (c.status === 'holds') return 'holds';
  if (c.status === 'violated') return `VIOLATED (${c.steps} steps${c.by === 'fuzz' ? ', by fuzzing' : ''})`;
  return `incomplete (${c.states} states${c.fuzzRuns ? `, ${c.fuzzRuns} fuzz runs clean` : ''})`;
}

/** Renders the matrix as a fixed-width terminal table. */
export function formatMatrix(rows: readonly MatrixRow[]): string {
  const rules = rows[0]?.cells.map((c) => c.rule) ?? [];
  const table = [['property', ...rules], ...rows.map((r) => [r.property, ...r.cells.map((c) => cellText(c.cell))])];
  return alignColumns(table, () => 'left');
}

/**
 * Rows of cells as a fixed-width table: each column as wide as its widest cell, cells padded on the
 * side `align(i)` names for column i, two spaces between columns, no trailing spaces.
 */
export function alignColumns(rows: readonly (readonly string[])[], align: (i: number) => 'left' | 'right'): string {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => (align(i) === 'left' ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
