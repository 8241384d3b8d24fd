import type { ClusterState } from '../../model/index.js';
import type { ClusterMetrics } from '../../properties/index.js';
import { describeConfig } from '../../model/index.js';
import { ackedAtStep, changeLines } from '../renderTrace.js';
import type { Trace } from '../Trace.js';
import { traceStates } from '../Trace.js';
import { diagram } from './diagram.js';
import { esc } from './html.js';
import { KRAFT_CSS, kraftChangeLines, kraftDiagramView, kraftLegend, kraftSections } from './kraftView.js';
import { METRICS_CSS, metricsSection, traceMetrics } from './metricsView.js';
import { zkDiagramView, zkSections } from './zkView.js';

/**
 * The HTML trace viewer: one self-contained page (inline CSS and JS, no network, no external fonts)
 * with a space-time diagram — one row per step; in ZooKeeper mode one lane for ZooKeeper and one per
 * broker, controller requests and fetches as arrows between lanes, crashes, restarts, partitions and
 * session expiries marked, down brokers drawn dashed (`zkView`); in KRaft mode one lane per controller
 * voter and per broker, votes, requests and metadata records as arrows, network splits shaded by side
 * (`kraftView`) — and, for the selected step, each broker's logs (HW and leader epochs), ISR, leader and
 * controller views, ZooKeeper's state or the quorum's and the committed metadata, the network, and
 * Kafka's metrics (every node's gauges, what moved in the step: `metricsView`). The
 * violating step is highlighted; a lasso's loop is marked. Click a row, or step with ←/→ or j/k
 * (Home/End jump).
 *
 * Deterministic (same trace, same bytes) and safe: every text from the trace is HTML-escaped.
 */
export function renderHtml(trace: Trace): string {
  const rebuilt = traceStates(trace);
  if (!rebuilt.ok) throw new Error(`cannot view a corrupted trace: ${rebuilt.error}`);
  const states = rebuilt.value;
  const n = trace.steps.length;
  const violating = trace.status === 'violated' ? n : -1;
  const kraft = trace.config.mode === 'kraft';
  const metrics = traceMetrics(states, trace.config);
  const title = `${trace.property.id} ${trace.status === 'violated' ? 'violated' : 'example'} — kafka-mc trace`;
  const header = `  <h1><span class="${trace.status === 'violated' ? 'bad' : 'good'}">${trace.status === 'violated' ? '✗' : '✓'}</span> ${esc(trace.property.id)}: ${esc(trace.property.title)}</h1>
  <p class="verdict">${trace.status === 'violated' ? `Violated at step ${n}${trace.loopStart !== undefined ? ` (a lasso: the loop starts after step ${trace.loopStart})` : ''}` : `Example reached at step ${n}`}: <b id="fact">${esc(trace.detail)}</b></p>
  <p class="meta">${esc(`${n} step(s) · found by ${trace.strategy}${trace.seed !== undefined ? ` (seed ${trace.seed})` : ''} · election rule ${trace.rule.name} · ${trace.tool.name} ${trace.tool.version} · path ${trace.path.join('/')}`)}</p>
  <p class="meta">${esc(describeConfig(trace.config))}</p>
  ${(trace.warnings ?? []).map((w) => `<p class="meta warn">warning: ${esc(w)}</p>`).join('')}
  <p class="help">Click a step, or use ← → (or j / k) to move; Home / End jump to the first / last step.</p>${kraft ? `\n  ${kraftLegend()}` : ''}`;
  return viewerPage({
    title,
    generator: `${trace.tool.name} ${trace.tool.version}`,
    css: `${METRICS_CSS}${kraft ? KRAFT_CSS : ''}`,
    header,
    diagramLabel: 'space-time diagram',
    diagram: diagram(
      trace,
      states,
      violating,
      kraft ? kraftDiagramView(trace.config, states) : zkDiagramView(trace.config.brokers),
    ),
    steps: states.map((_, k) => details(trace, states, k, violating, metrics)),
  });
}

/** The parts of a viewer page: rows of `g.row[data-step=k]` in `diagram`, the details of row k in `steps[k]`. */
export interface ViewerPage {
  readonly title: string;
  /** Tool name and version (the generator meta tag). */
  readonly generator: string;
  /** CSS added to the viewer's own. */
  readonly css: string;
  /** The header's inner HTML. */
  readonly header: string;
  readonly diagramLabel: string;
  /** SVG whose rows are `<g class="row …" data-step="k">`; the first `g.row.violation` is selected first. */
  readonly diagram: string;
  /** The details shown when row k is selected (HTML). */
  readonly steps: readonly string[];
}

/**
 * One self-contained viewer page (inline CSS and JS, no network): the header, the row diagram and
 * the selected row's details, with click and ←/→ (j/k, Home/End) selection. Shared by the trace
 * viewer and `kafka-mc validate --html`. Every text in `p` must already be HTML-escaped.
 */
export function viewerPage(p: ViewerPage): string {
  const templates = p.steps.map((html, k) => `<template id="step-${k}">${html}</template>`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${esc(p.generator)}">
<title>${esc(p.title)}</title>
<style>${CSS}${p.css}</style>
</head>
<body>
<header>
${p.header}
</header>
<main>
<section id="diagram" aria-label="${esc(p.diagramLabel)}">${p.diagram}</section>
<section id="details" aria-live="polite"></section>
</main>
${templates.join('\n')}
<script>${JS}</script>
</body>
</html>
`;
}

// ---------------------------------------------------------------------------------------------------
// Details of one step

function details(
  trace: Trace,
  states: readonly ClusterState[],
  k: number,
  violating: number,
  metrics: readonly ClusterMetrics[],
): string {
  const s = states[k] as ClusterState;
  const prev = k > 0 ? states[k - 1] : undefined;
  const n = s.brokers.length;
  const st = k > 0 ? trace.steps[k - 1] : undefined;
  const out: string[] = [];
  out.push(`<h2 data-step="${k}">Step ${k}: ${esc(st ? st.text : 'initial state')}</h2>`);
  if (st)
    out.push(
      `<p class="kind">action <code>${esc(st.action.kind)}</code> (index ${st.actionIndex} among the enabled actions)</p>`,
    );
  if (k === violating) {
    const acked = ackedAtStep(trace);
    const when = acked ? ` (${acked.record} was acknowledged at step ${acked.step})` : '';
    out.push(`<p class="violation-note">✗ ${esc(trace.property.id)} fails here: ${esc(trace.detail)}${esc(when)}</p>`);
  }
  if (trace.loopStart !== undefined && k === trace.loopStart)
    out.push(
      `<p class="loop-note">⟲ ${k === trace.steps.length ? 'the behaviour stays in this state forever' : 'the loop starts here; the last step returns to this state'}</p>`,
    );

  if (st) {
    out.push('<h3>What changed</h3>');
    out.push(
      st.changes.length
        ? `<ul class="changes">${st.changes
            .flatMap((c) => (s.kraft ? kraftChangeLines(c, s) : changeLines(c, n)))
            .map((l) => `<li>${esc(l)}</li>`)
            .join('')}</ul>`
        : '<p>nothing</p>',
    );
  }

  out.push(...(s.kraft ? kraftSections(trace, states, k) : zkSections(s, prev)));
  out.push(metricsSection(trace, states, metrics, k));

  out.push('<h3>Producer</h3>');
  const acked = s.ghost.acked.map(
    (r) => `r${r.id} (p${r.partition} offset ${r.offset}, acknowledged by b${r.by} in leader epoch ${r.leaderEpoch})`,
  );
  const pending = s.pending.map(
    (r) => `r${r.id} (p${r.partition} offset ${r.offset} on b${r.broker}, waiting for the ISR)`,
  );
  out.push(`<p class="acked">acknowledged: ${acked.length ? esc(acked.join('; ')) : 'none'}</p>`);
  if (pending.length) out.push(`<p class="pending">pending (acks=all): ${esc(pending.join('; '))}</p>`);
  if (s.ghost.uncleanElection) out.push('<p class="warn">an unclean election has happened</p>');
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------------
// Inline style and behaviour

const CSS = `
:root { --fg: #1d2330; --muted: #5b6475; --line: #c9ced8; --bad: #c62828; --good: #2e7d32; --ctl: #5e35b1; --msg: #1565c0; --data: #00838f; --loop: #f9a825; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: #fafbfc; }
header { padding: 14px 20px 6px; border-bottom: 1px solid var(--line); background: #fff; }
h1 { font-size: 18px; margin: 0 0 4px; } h1 .bad { color: var(--bad); } h1 .good { color: var(--good); }
.verdict { margin: 2px 0; } .verdict b { color: var(--bad); font-weight: 600; }
.meta, .help { margin: 2px 0; color: var(--muted); font-size: 12px; } .warn { color: #b26a00; }
main { display: flex; gap: 16px; align-items: flex-start; padding: 12px 20px; flex-wrap: wrap; }
#diagram { flex: 0 0 auto; overflow-x: auto; background: #fff; border: 1px solid var(--line); border-radius: 6px; max-width: 100%; }
#details { flex: 1 1 640px; min-width: 520px; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px 16px; }
#details h2 { font-size: 16px; margin: 4px 0 6px; } #details h3 { font-size: 13px; margin: 14px 0 4px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.kind { color: var(--muted); font-size: 12px; margin: 0; }
.violation-note { background: #fdecea; border-left: 4px solid var(--bad); padding: 6px 10px; color: var(--bad); font-weight: 600; }
.loop-note { background: #fff8e1; border-left: 4px solid var(--loop); padding: 6px 10px; }
table { border-collapse: collapse; font-size: 13px; } th, td { border: 1px solid #e3e6ec; padding: 3px 7px; text-align: left; white-space: nowrap; }
th { background: #f3f5f8; font-weight: 600; } td.changed { background: #fff4c2; } tr.down td { color: #9aa1ad; }
.log { font-family: ui-monospace, Menlo, Consolas, monospace; } .rec { display: inline-block; border: 1px solid #9fb3c8; border-radius: 3px; padding: 0 4px; margin-right: 2px; background: #f5f8fb; }
.rec.committed { background: #d9f0dc; border-color: #7cb889; } .hw { display: inline-block; color: var(--bad); font-weight: 700; font-size: 10px; margin: 0 3px; }
ul.changes { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; margin: 0; padding-left: 18px; }
svg { display: block; font-family: system-ui, sans-serif; }
.lane-head { font-size: 12px; font-weight: 600; text-anchor: middle; fill: var(--fg); } .step-head { text-anchor: end; } .action-head { text-anchor: start; }
.row .hit { fill: transparent; cursor: pointer; } .row:hover .hit { fill: #eef3fb; }
.row.loop .hit { fill: #fff8e1; } .row.split .hit { fill: #fbeeee; }
.row.violation .hit { fill: #fde0dc; } .row.selected .hit { fill: #dbe8fb; stroke: #1565c0; stroke-width: 1.5; }
.row.violation.selected .hit { fill: #f8c9c2; stroke: var(--bad); }
.step-no { font-size: 12px; text-anchor: end; fill: var(--muted); } .row.violation .step-no { fill: var(--bad); font-weight: 700; }
.lane { stroke: #5b6475; stroke-width: 2; } .lane.zk { stroke: var(--ctl); stroke-width: 3; opacity: .55; }
.lane.down { stroke: #c3c8d1; stroke-dasharray: 3 4; } .lane.controller { stroke: var(--ctl); stroke-width: 5; }
.leader-badge { font-size: 9px; fill: var(--good); font-weight: 700; }
.arrow { stroke-width: 1.6; fill: none; } .arrow.ctl { stroke: var(--ctl); } .arrow.msg { stroke: var(--msg); } .arrow.data { stroke: var(--data); }
.arrow.lost { stroke: var(--bad); stroke-dasharray: 4 3; } .arrow.unclean { stroke: var(--bad); stroke-width: 2.2; } .arrow.recover { stroke: var(--good); }
.label { font-size: 10px; fill: var(--muted); } .label.fault { fill: var(--bad); } .label.recover { fill: var(--good); }
.mark { font-size: 15px; font-weight: 700; } .mark.fault { fill: var(--bad); } .mark.recover { fill: var(--good); } .mark.data { fill: var(--data); } .mark.ctl { fill: var(--ctl); }
.band { stroke-width: 2; stroke-dasharray: 6 3; } .band.fault { stroke: var(--bad); } .band.recover { stroke: var(--good); }
.action { font-size: 12px; fill: var(--fg); } .row.violation .action { fill: var(--bad); font-weight: 600; }
.loop-label { font-size: 11px; fill: #b26a00; font-weight: 600; } .loop-back { stroke: var(--loop); stroke-width: 2; fill: none; }
`;

const JS = `
(function () {
  var rows = Array.prototype.slice.call(document.querySelectorAll('g.row'));
  var details = document.getElementById('details');
  var last = rows.length - 1;
  var current = -1;
  function select(k) {
    if (k < 0) k = 0;
    if (k > last) k = last;
    if (k === current) return;
    current = k;
    rows.forEach(function (r) { r.classList.toggle('selected', Number(r.getAttribute('data-step')) === k); });
    var t = document.getElementById('step-' + k);
    details.innerHTML = '';
    if (t) details.appendChild(t.content.cloneNode(true));
    details.setAttribute('data-step', String(k));
    var row = rows[k];
    if (row && row.scrollIntoView) row.scrollIntoView({ block: 'nearest' });
    if (history.replaceState) history.replaceState(null, '', '#step=' + k);
  }
  rows.forEach(function (r) {
    r.addEventListener('click', function () { select(Number(r.getAttribute('data-step'))); });
  });
  document.addEventListener('keydown', function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown' || e.key === 'j') { select(current + 1); e.preventDefault(); }
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp' || e.key === 'k') { select(current - 1); e.preventDefault(); }
    else if (e.key === 'Home') { select(0); e.preventDefault(); }
    else if (e.key === 'End') { select(last); e.preventDefault(); }
  });
  var m = /step=(\\d+)/.exec(location.hash);
  var v = document.querySelector('g.row.violation');
  select(m ? Number(m[1]) : v ? Number(v.getAttribute('data-step')) : 0);
})();
`;
