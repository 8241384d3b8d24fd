import type { ConfigInput, ElectionRule } from '../model/index.js';
import { asColumn, type Column } from './compare.js';
import { formatPercentile, measureAvailability, percentile, type AvailabilityReport } from './availability.js';
import { escapeXml, svgFigure, type Chart } from './plot.js';

/** One point of a sweep: a cluster shape, a rule and what the seeded walks measured. */
export interface SweepPoint {
  readonly mode: 'zk' | 'kraft';
  readonly brokers: number;
  readonly partitions: number;
  readonly rule: string;
  readonly report: AvailabilityReport;
}

/**
 * Measures every rule on every cluster shape (brokers × partitions, RF = min(3, brokers)) under the
 * same fault mix and seed, so that failover work can be compared as the cluster grows.
 */
export function sweepAvailability(
  rules: readonly (ElectionRule | Column)[],
  shapes: { readonly brokers: readonly number[]; readonly partitions: readonly number[] },
  opts: {
    seed: number;
    runs: number;
    depth: number;
    base?: ConfigInput;
    /** Controller modes to measure side by side (default ZooKeeper only). */
    modes?: readonly ('zk' | 'kraft')[];
  },
): SweepPoint[] {
  const out: SweepPoint[] = [];
  for (const mode of opts.modes ?? ['zk'])
    for (const brokers of shapes.brokers)
      for (const partitions of shapes.partitions)
        for (const item of rules) {
          const col = asColumn(item);
          // A column whose settings the mode lacks (the `elr` column in ZooKeeper mode) is left out there.
          if (mode === 'zk' && col.overlay?.elr) continue;
          const input: ConfigInput = {
            ...opts.base,
            mode,
            brokers,
            partitions,
            replicationFactor: Math.min(3, brokers),
            minInsyncReplicas: 2,
            // KRaft: every registration, fencing, election and ISR change is a metadata record; leave room
            // for a walk's worth of them (a walk that hits the bound just stops changing metadata).
            bounds: {
              records: 1,
              leaderEpochs: 3,
              ...(mode === 'kraft' ? { metadataRecords: 8, raftEpochs: 3 } : {}),
              ...opts.base?.bounds,
            },
            faults: { networkPartitions: 1, crashes: 1, ...opts.base?.faults },
          };
          const report = measureAvailability(col.rule, { ...input, ...col.overlay }, opts);
          out.push({ mode, brokers, partitions, rule: col.name, report: { ...report, rule: col.name } });
        }
  return out;
}

/** A sweep point's series name: the rule, with the mode when the sweep has both. */
function seriesOf(points: readonly SweepPoint[]): (p: SweepPoint) => string {
  const both = new Set(points.map((p) => p.mode)).size > 1;
  return (p) => (both ? `${p.rule} ${p.mode === 'zk' ? 'ZK' : 'KRaft'}` : p.rule);
}

export function svgBars(title: string, values: readonly number[], width = 360, height = 120): string {
  const max = Math.max(1, ...values);
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const xs = [...counts.keys()].sort((a, b) => a - b);
  const top = Math.max(1, ...counts.values());
  const bw = Math.max(2, Math.floor((width - 40) / Math.max(1, max + 1)));
  const bars = xs
    .map((x) => {
      const h = Math.round(((counts.get(x) ?? 0) / top) * (height - 30));
      return `<rect x="${30 + x * bw}" y="${height - 20 - h}" width="${bw - 1}" height="${h}" fill="#4a6fa5"><title>${x} steps: ${counts.get(x)}</title></rect>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(title)}"><text x="4" y="12" font-size="11">${escapeHtml(title)}</text>${bars}<line x1="30" y1="${height - 20}" x2="${width}" y2="${height - 20}" stroke="#333"/><text x="30" y="${height - 6}" font-size="10">0</text><text x="${width - 4}" y="${height - 6}" font-size="10" text-anchor="end">${max} steps</text></svg>`;
}

/** A Markdown table of the sweep (one row per shape and rule). */
export function sweepMarkdown(points: readonly SweepPoint[]): string {
  const rows = points.map(
    (p) =>
      `| ${p.mode === 'zk' ? 'ZooKeeper' : 'KRaft'} | ${p.brokers} | ${p.partitions} | ${p.rule} | ${(p.report.offlineFraction * 100).toFixed(1)}% | ${formatPercentile(p.report.recoverySteps, 50)} | ${formatPercentile(p.report.recoverySteps, 90)} | ${formatPercentile(p.report.recoveryMessages, 50)} | ${p.report.unrecovered} | ${p.report.dataLossPer10k.toFixed(0)} |`,
  );
  return [
    '| mode | brokers | partitions | rule | offline | failover p50 | p90 | requests p50 | unrecovered | loss/10k |',
    '| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
}

/** The sweep's HTML sections: curves over cluster size, failover histograms per rule, every measurement. */
export function sweepSections(points: readonly SweepPoint[]): string {
  const name = seriesOf(points);
  const rules = [...new Set(points.map(name))];
  const partitionsSet = [...new Set(points.map((p) => p.partitions))];
  const largest = Math.max(...points.map((p) => p.brokers));
  const hist = rules
    .map((r) => {
      const pts = points.filter((p) => name(p) === r && p.brokers === largest);
      return svgBars(
        `${r}: failover steps (${largest} brokers)`,
        pts.flatMap((p) => p.report.recoverySteps),
      );
    })
    .join('\n');
  const chart = (title: string, yLabel: string, f: (p: SweepPoint) => number, np: number): Chart => ({
    title: `${title} (${np} partition${np > 1 ? 's' : ''})`,
    xLabel: 'brokers',
    yLabel,
    series: rules.map((r) => ({
      name: r,
      points: points.filter((p) => name(p) === r && p.partitions === np).map((p) => [p.brokers, f(p)] as const),
    })),
  });
  const curves = svgFigure(
    partitionsSet.flatMap((np) => [
      chart('Failover p50', 'steps', (p) => percentile(p.report.recoverySteps, 50) || 0, np),
      chart('Offline fraction', '%', (p) => Number((p.report.offlineFraction * 100).toFixed(2)), np),
    ]),
  );
  return `<h2>Failover latency over cluster size</h2>${curves}<h2>Failover steps</h2>${hist}<h2>All measurements</h2>${markdownTableHtml(sweepMarkdown(points))}`;
}

/** A Markdown table (as `sweepMarkdown` writes them) as an HTML table, cells escaped. */
export function markdownTableHtml(markdown: string): string {
  const rows = markdown
    .split('\n')
    .filter((l) => !l.startsWith('| ---'))
    .map(
      (l, i) =>
        `<tr>${l
          .split('|')
          .slice(1, -1)
          .map((c) => (i === 0 ? `<th>${escapeHtml(c.trim())}</th>` : `<td>${escapeHtml(c.trim())}</td>`))
          .join('')}</tr>`,
    )
    .join('\n');
  return `<table>${rows}</table>`;
}

/** The page around a report's sections (self-contained: no scripts, no external resources). */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}td.holds{background:#e8f5e9}td.violated{background:#fdecea}td.incomplete{background:#fff8e1}svg{margin:8px;border:1px solid #eee}</style></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>\n`;
}

/** Escapes text for HTML (the same escaping as SVG text: `escapeXml`). */
export const escapeHtml = escapeXml;

/** A self-contained HTML report: the table, failover histograms per rule and curves over cluster size. */
export function sweepHtml(points: readonly SweepPoint[], title: string): string {
  return htmlPage(title, sweepSections(points));
}
