import { check, checkLiveness, type CheckResult, type Property } from '../checker/index.js';
import { KAFKA_LIVENESS_OPTIONS, livenessProperties } from '../properties/index.js';
import { kafkaModel, resolveConfig, type ClusterState, type ConfigInput, type ElectionRule } from '../model/index.js';
import { safetyFor } from './properties.js';

/** One cell of the comparison matrix. */
export type Cell =
  | { readonly status: 'holds'; readonly states: number }
  | { readonly status: 'violated'; readonly steps: number; readonly path: readonly number[]; readonly detail: string }
  | { readonly status: 'incomplete'; readonly states: number; readonly reason: string };

export interface MatrixRow {
  readonly property: string;
  /** Cells by rule name, in the order the rules were given. */
  readonly cells: readonly { readonly rule: string; readonly cell: Cell }[];
}

export interface CompareOptions {
  /** Distinct-state cap per run; past it the cell is `incomplete`. */
  readonly maxStates?: number;
  /** Properties to decide (default: the safety set for the config). */
  readonly properties?: readonly Property<ClusterState>[];
  /**
   * Also decide the config's liveness properties (`livenessProperties(cfg)`, under
   * `KAFKA_LIVENESS_OPTIONS`): one more exhaustive run per rule, its rows after the safety rows.
   */
  readonly liveness?: boolean;
}

/**
 * Runs every property for every rule on the same config, exhaustively (BFS, one run per rule with all
 * properties, not stopping at the first violation) and returns property × rule → holds / violated
 * (shortest trace) / incomplete.
 */
export function compareRules(
  rules: readonly ElectionRule[],
  input: ConfigInput,
  opts: CompareOptions = {},
): MatrixRow[] {
  const cfg = resolveConfig(input);
  const limits = opts.maxStates !== undefined ? { maxStates: opts.maxStates } : {};
  const safety = opts.properties ?? safetyFor(cfg);
  const rows = matrix(
    rules,
    safety,
    rules.map((rule) => check(kafkaModel(cfg, rule), safety, { stopOnViolation: false, ...limits })),
  );
  if (!opts.liveness) return rows;
  const live = livenessProperties(cfg);
  const liveRuns = rules.map((rule) =>
    checkLiveness(kafkaModel(cfg, rule), live, { ...KAFKA_LIVENESS_OPTIONS, stopOnViolation: false, ...limits }),
  );
  return [...rows, ...matrix(rules, live, liveRuns)];
}

function matrix(
  rules: readonly ElectionRule[],
  props: readonly Property<ClusterState>[],
  results: readonly CheckResult[],
): MatrixRow[] {
  const perRule = rules.map((rule, i) => ({ rule, r: results[i] as CheckResult }));
  return props.map((p) => ({
    property: p.id,
    cells: perRule.map(({ rule, r }) => {
      const o = r.outcomes.find((x) => x.id === p.id);
      let cell: Cell;
      if (o?.status === 'violated' && o.path)
        cell = { status: 'violated', steps: o.path.length - 1, path: o.path, detail: o.detail ?? '' };
      else if (r.kind === 'incomplete' || o?.status === 'unknown')
        cell = {
          status: 'incomplete',
          states: r.stats.distinct,
          reason: r.kind === 'incomplete' ? r.reasons.join(', ') : 'stopped',
        };
      else cell = { status: 'holds', states: r.stats.distinct };
      return { rule: rule.name, cell };
    }),
  }));
}

/** Renders the matrix as a fixed-width terminal table. */
export function formatMatrix(rows: readonly MatrixRow[]): string {
  const rules = rows[0]?.cells.map((c) => c.rule) ?? [];
  const text = (c: Cell): string =>
    c.status === 'holds'
      ? 'holds'
      : c.status === 'violated'
        ? `VIOLATED (${c.steps} steps)`
        : `incomplete (${c.states} states)`;
  const table = [['property', ...rules], ...rows.map((r) => [r.property, ...r.cells.map((c) => text(c.cell))])];
  const widths = (table[0] ?? []).map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length)));
  return table
    .map((row) =>
      row
        .map((x, i) => x.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
