import { metricsComparisonRows } from '../properties/index.js';
import { formatPercentile, type AvailabilityReport } from './availability.js';
import { cellText, type MatrixRow } from './compare.js';
import { latencyFigure, latencyMarkdown } from './latencySweep.js';
import type { LatencyReport } from './timed.js';
import {
  escapeHtml,
  htmlPage,
  markdownTableHtml,
  svgBars,
  sweepMarkdown,
  sweepSections,
  type SweepPoint,
} from './sweep.js';

/** What `kafka-mc rules compare --report` writes: the matrix, availability and, with `--sweep`, the sweep. */
export interface CompareReport {
  readonly title: string;
  /** What the matrix was decided on (mode, cluster, faults, bounds). */
  readonly matrixHeading: string;
  readonly rows: readonly MatrixRow[];
  /** The trace file of each violated cell, by `traceKey(rule, property)`. */
  readonly traces: ReadonlyMap<string, string>;
  /** How availability was measured (walks, depth, seed). */
  readonly availabilityHeading: string;
  readonly availability: readonly AvailabilityReport[];
  readonly sweep?: readonly SweepPoint[];
  /** With `--sweep`: failover unavailability in ms from the timed simulator, per rule and point. */
  readonly latency?: readonly LatencyReport[];
  readonly latencyHeading?: string;
}

/** The timed sweep's sections: a figure per rule (its series: mode, fault, partitions, voters) and the table. */
function latencySections(points: readonly LatencyReport[], heading: string): string {
  const rules = [...new Set(points.map((p) => p.rule))];
  const figures = rules
    .map((rule) =>
      latencyFigure(
        points.filter((p) => p.rule === rule),
        `rule ${rule}`,
      ),
    )
    .join('\n');
  return `<h2>${escapeHtml(heading)}</h2>${figures}${markdownTableHtml(latencyMarkdown(points))}`;
}

/** The key of a matrix cell in `CompareReport.traces`. */
export const traceKey = (rule: string, property: string): string => `${rule} × ${property}`;

function availabilityMarkdown(avail: readonly AvailabilityReport[]): string {
  return [
    '| rule | offline | failover p50 | p90 | p99 | requests p50 | unrecovered | loss/10k |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...avail.map(
      (a) =>
        `| ${a.rule} | ${(a.offlineFraction * 100).toFixed(1)}% | ${formatPercentile(a.recoverySteps, 50)} | ${formatPercentile(a.recoverySteps, 90)} | ${formatPercentile(a.recoverySteps, 99)} | ${formatPercentile(a.recoveryMessages, 50)} | ${a.unrecovered} | ${a.dataLossPer10k.toFixed(0)} |`,
    ),
  ].join('\n');
}

/** Kafka's metrics over the availability walks, one column per rule (see `properties/metricsTally.ts`). */
function metricsMarkdown(avail: readonly AvailabilityReport[]): string {
  const [head = [], ...rows] = metricsComparisonRows(avail.map((a) => ({ name: a.rule, d: a.metrics })));
  return [
    `| ${head.join(' | ')} |`,
    `| --- | ${head
      .slice(1)
      .map(() => '---:')
      .join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

/** The heading of the metrics table in the text and the report of `rules compare`. */
export const METRICS_HEADING =
  "Kafka's metrics over the same walks (share of states a gauge alerts, its max; elections per walk)";

/** The report as Markdown: tables, violated cells linked to their trace files. */
export function compareMarkdown(r: CompareReport): string {
  const rules = r.rows[0]?.cells.map((c) => c.rule) ?? [];
  const matrix = [
    `| property | ${rules.join(' | ')} |`,
    `| --- | ${rules.map(() => '---').join(' | ')} |`,
    ...r.rows.map(
      (row) =>
        `| ${row.property} | ${row.cells
          .map((c) => {
            const file = r.traces.get(traceKey(c.rule, row.property));
            return file ? `[${cellText(c.cell)}](${file})` : cellText(c.cell);
          })
          .join(' | ')} |`,
    ),
  ].join('\n');
  const parts = [
    `# ${r.title}`,
    '',
    `## ${r.matrixHeading}`,
    '',
    matrix,
    '',
    `## ${r.availabilityHeading}`,
    '',
    availabilityMarkdown(r.availability),
    '',
    `## ${METRICS_HEADING}`,
    '',
    metricsMarkdown(r.availability),
  ];
  if (r.sweep) parts.push('', '## Sweep over cluster size', '', sweepMarkdown(r.sweep));
  if (r.latency) parts.push('', `## ${r.latencyHeading ?? 'Failover unavailability'}`, '', latencyMarkdown(r.latency));
  return `${parts.join('\n')}\n`;
}

/** The report as a self-contained HTML page: coloured matrix, tables, failover histograms, sweep curves. */
export function compareHtml(r: CompareReport): string {
  const rules = r.rows[0]?.cells.map((c) => c.rule) ?? [];
  const head = `<tr><th>property</th>${rules.map((x) => `<th>${escapeHtml(x)}</th>`).join('')}</tr>`;
  const body = r.rows
    .map(
      (row) =>
        `<tr><th>${escapeHtml(row.property)}</th>${row.cells
          .map((c) => {
            const file = r.traces.get(traceKey(c.rule, row.property));
            const text = escapeHtml(cellText(c.cell));
            const title = c.cell.status === 'violated' ? ` title="${escapeHtml(c.cell.detail)}"` : '';
            return `<td class="${c.cell.status}"${title}>${file ? `<a href="${escapeHtml(file)}">${text}</a>` : text}</td>`;
          })
          .join('')}</tr>`,
    )
    .join('\n');
  const hist = r.availability.map((a) => svgBars(`${a.rule}: failover steps`, a.recoverySteps)).join('\n');
  const sections = [
    `<h2>${escapeHtml(r.matrixHeading)}</h2><table>${head}\n${body}</table>`,
    `<h2>${escapeHtml(r.availabilityHeading)}</h2>${markdownTableHtml(availabilityMarkdown(r.availability))}`,
    `<h2>${escapeHtml(METRICS_HEADING)}</h2>${markdownTableHtml(metricsMarkdown(r.availability))}`,
    `<h2>Failover steps</h2>${hist}`,
    ...(r.sweep ? [sweepSections(r.sweep)] : []),
    ...(r.latency ? [latencySections(r.latency, r.latencyHeading ?? 'Failover unavailability')] : []),
  ];
  return htmlPage(r.title, sections.join('\n'));
}
