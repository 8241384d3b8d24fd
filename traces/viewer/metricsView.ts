import type { ClusterState, ModelConfig } from '../../model/index.js';
import {
  GAUGES,
  describeMetricMoves,
  gaugeChanges,
  metricsOf,
  stepMeters,
  type ClusterMetrics,
} from '../../properties/index.js';
import type { Trace } from '../Trace.js';
import { esc } from './html.js';

/** Kafka's metrics of every state of a trace (`properties/metrics.ts`), computed once per page. */
export function traceMetrics(states: readonly ClusterState[], cfg: ModelConfig): readonly ClusterMetrics[] {
  return states.map((s) => metricsOf(s, cfg));
}

/**
 * The "Kafka metrics" section of step k: what moved in this step, then a table of every node's gauges
 * (a cell that changed in this step highlighted, `–` where the node does not report it) with the
 * cluster values in the last row.
 */
export function metricsSection(
  trace: Trace,
  states: readonly ClusterState[],
  metrics: readonly ClusterMetrics[],
  k: number,
): string {
  const m = metrics[k];
  if (!m) return '';
  const prev = k > 0 ? metrics[k - 1] : undefined;
  const out = ['<h3>Kafka metrics</h3>'];
  const st = k > 0 ? trace.steps[k - 1] : undefined;
  const before = states[k - 1];
  const after = states[k];
  if (st && prev && before && after) {
    const moves = describeMetricMoves(gaugeChanges(prev, m), stepMeters(before, st.action, after));
    out.push(
      moves.length
        ? `<ul class="metric-moves">${moves.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>`
        : '<p class="muted-note">no metric moved in this step</p>',
    );
  }
  const head = `<thead><tr><th>node</th>${GAUGES.map((g) => `<th>${esc(g)}</th>`).join('')}</tr></thead>`;
  const rows = m.nodes.map((x, i) => {
    const old = prev?.nodes[i];
    const cells = GAUGES.map((g) => {
      const v = x.gauges[g];
      const changed = prev !== undefined && old?.gauges[g] !== v;
      return `<td${changed ? ' class="changed"' : ''}>${v === undefined ? '–' : v}</td>`;
    });
    return `<tr${x.running ? '' : ' class="down"'}><td>${esc(x.node)}</td>${cells.join('')}</tr>`;
  });
  const cluster = `<tr class="cluster"><th>cluster</th>${GAUGES.map((g) => `<th>${m.cluster[g]}</th>`).join('')}</tr>`;
  out.push(`<table class="metrics">${head}<tbody>${rows.join('')}</tbody><tfoot>${cluster}</tfoot></table>`);
  return out.join('\n');
}

export const METRICS_CSS = `
ul.metric-moves { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; margin: 0 0 6px; padding-left: 18px; color: #b26a00; }
.muted-note { color: var(--muted); font-size: 12px; margin: 0 0 6px; } table.metrics tr.cluster th { background: #eef3fb; }
`;
