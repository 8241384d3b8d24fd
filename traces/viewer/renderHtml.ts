import type { Action, ClusterState } from '../../model/index.js';
import { NO_LEADER, SPLIT_CUTS_ZOOKEEPER } from '../../model/index.js';
import { ackedAtStep, changeLines, configSummary, logText, maskText } from '../renderTrace.js';
import type { Trace } from '../Trace.js';
import { traceStates } from '../Trace.js';

/**
 * The HTML trace viewer: one self-contained page (inline CSS and JS, no network, no external fonts)
 * with a space-time diagram — one lane for ZooKeeper and one per broker, one row per step, controller
 * requests and fetches as arrows between lanes, crashes, restarts, partitions and session expiries
 * marked, down brokers drawn dashed — and, for the selected step, each broker's logs (HW and leader
 * epochs), ISR, leader and controller views, ZooKeeper's state and the network. The violating step is
 * highlighted; a lasso's loop is marked. Click a row, or step with ←/→ or j/k (Home/End jump).
 *
 * Deterministic (same trace, same bytes) and safe: every text from the trace is HTML-escaped.
 */
export function renderHtml(trace: Trace): string {
  const rebuilt = traceStates(trace);
  if (!rebuilt.ok) throw new Error(`cannot view a corrupted trace: ${rebuilt.error}`);
  const states = rebuilt.value;
  const n = trace.steps.length;
  const violating = trace.status === 'violated' ? n : -1;
  const templates = states.map((s, k) => `<template id="step-${k}">${details(trace, states, k, violating)}</template>`);
  const title = `${trace.property.id} ${trace.status === 'violated' ? 'violated' : 'example'} — kafka-mc trace`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${esc(`${trace.tool.name} ${trace.tool.version}`)}">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
  <h1><span class="${trace.status === 'violated' ? 'bad' : 'good'}">${trace.status === 'violated' ? '✗' : '✓'}</span> ${esc(trace.property.id)}: ${esc(trace.property.title)}</h1>
  <p class="verdict">${trace.status === 'violated' ? `Violated at step ${n}${trace.loopStart !== undefined ? ` (a lasso: the loop starts after step ${trace.loopStart})` : ''}` : `Example reached at step ${n}`}: <b id="fact">${esc(trace.detail)}</b></p>
  <p class="meta">${esc(`${n} step(s) · found by ${trace.strategy}${trace.seed !== undefined ? ` (seed ${trace.seed})` : ''} · election rule ${trace.rule.name} · ${trace.tool.name} ${trace.tool.version} · path ${trace.path.join('/')}`)}</p>
  <p class="meta">${esc(configSummary(trace.config))}</p>
  ${(trace.warnings ?? []).map((w) => `<p class="meta warn">warning: ${esc(w)}</p>`).join('')}
  <p class="help">Click a step, or use ← → (or j / k) to move; Home / End jump to the first / last step.</p>
</header>
<main>
<section id="diagram" aria-label="space-time diagram">${diagram(trace, states, violating)}</section>
<section id="details" aria-live="polite"></section>
</main>
${templates.join('\n')}
<script>${JS}</script>
</body>
</html>
`;
}

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const b = (id: number): string => (id === NO_LEADER ? 'none' : `b${id}`);

// ---------------------------------------------------------------------------------------------------
// Space-time diagram

const LANE_W = 92;
const ROW_H = 32;
const TOP = 56;
const LEFT = 44;

/** What a step draws: arrows between lanes (lane 0 = ZooKeeper, lane b+1 = broker b) and marks on a lane. */
type Mark =
  | { readonly kind: 'arrow'; readonly from: number; readonly to: number; readonly label: string; readonly cls: string }
  | {
      readonly kind: 'mark';
      readonly lane: number;
      readonly symbol: string;
      readonly label: string;
      readonly cls: string;
    }
  | { readonly kind: 'band'; readonly label: string; readonly cls: string };

const ZK = 0;
const lane = (broker: number): number => broker + 1;

/** One side of a ZooKeeper-mode split: brokers, and ZooKeeper (node n) when it is on that side. */
function splitSide(mask: number, n: number): string {
  const brokers = maskText(mask & ((1 << n) - 1), n);
  return mask & (1 << n) ? `${brokers} + ZooKeeper` : brokers;
}

function marksOf(a: Action, s: ClusterState, next: ClusterState): Mark[] {
  const n = s.brokers.length;
  switch (a.kind) {
    case 'elect-controller':
      return [
        {
          kind: 'arrow',
          from: lane(a.broker),
          to: ZK,
          label: `/controller (epoch ${next.zk.controllerEpoch})`,
          cls: 'ctl',
        },
      ];
    case 'resign-controller':
      return [{ kind: 'mark', lane: lane(a.broker), symbol: '↓', label: 'resigns as controller', cls: 'ctl' }];
    case 'observe-brokers':
      return [{ kind: 'arrow', from: ZK, to: lane(a.controller), label: 'broker change', cls: 'ctl' }];
    case 'elect-leader': {
      const ps = next.zk.partitions[a.partition];
      return [
        {
          kind: 'arrow',
          from: lane(a.controller),
          to: ZK,
          label: `p${a.partition} leader ${b(a.leader)}, epoch ${ps?.leaderEpoch ?? '?'}`,
          cls: next.ghost.uncleanElection && !s.ghost.uncleanElection ? 'unclean' : 'ctl',
        },
      ];
    }
    case 'remove-from-isr':
      return [
        { kind: 'arrow', from: lane(a.controller), to: ZK, label: `p${a.partition} ISR − b${a.broker}`, cls: 'ctl' },
      ];
    case 'preferred-election':
      return [
        { kind: 'arrow', from: lane(a.controller), to: ZK, label: `p${a.partition} preferred election`, cls: 'ctl' },
      ];
    case 'controlled-shutdown':
      return [{ kind: 'mark', lane: lane(a.broker), symbol: '⊖', label: 'controlled shutdown', cls: 'fault' }];
    case 'deliver':
      return [
        {
          kind: 'arrow',
          from: lane(a.message.from),
          to: lane(a.message.to),
          label: `LeaderAndIsr p${a.message.partition} ${b(a.message.leader)} e${a.message.leaderEpoch}`,
          cls: 'msg',
        },
      ];
    case 'drop':
      return [
        {
          kind: 'arrow',
          from: lane(a.message.from),
          to: lane(a.message.to),
          label: `lost: LeaderAndIsr p${a.message.partition}`,
          cls: 'lost',
        },
      ];
    case 'produce':
      return [
        {
          kind: 'mark',
          lane: lane(a.broker),
          symbol: '●',
          label: `produce r${(s.produced[a.partition] ?? 0) + 1}`,
          cls: 'data',
        },
      ];
    case 'fetch': {
      const leader = s.brokers[a.follower]?.replicas[a.partition]?.leader ?? NO_LEADER;
      return leader === NO_LEADER
        ? [{ kind: 'mark', lane: lane(a.follower), symbol: '○', label: `fetch p${a.partition}`, cls: 'data' }]
        : [{ kind: 'arrow', from: lane(leader), to: lane(a.follower), label: `fetch p${a.partition}`, cls: 'data' }];
    }
    case 'shrink-isr':
      return [
        {
          kind: 'arrow',
          from: lane(a.leader),
          to: ZK,
          label: `AlterPartition p${a.partition} − b${a.follower}`,
          cls: 'ctl',
        },
      ];
    case 'expand-isr':
      return [
        {
          kind: 'arrow',
          from: lane(a.leader),
          to: ZK,
          label: `AlterPartition p${a.partition} + b${a.follower}`,
          cls: 'ctl',
        },
      ];
    case 'crash':
      return [{ kind: 'mark', lane: lane(a.broker), symbol: '✕', label: 'crash', cls: 'fault' }];
    case 'unclean-shutdown':
      return [{ kind: 'mark', lane: lane(a.broker), symbol: '✕', label: 'power loss', cls: 'fault' }];
    case 'flush':
      return [
        {
          kind: 'mark',
          lane: lane(a.broker),
          symbol: '⤓',
          label: `flush p${a.partition} to offset ${next.brokers[a.broker]?.replicas[a.partition]?.flushed ?? '?'}`,
          cls: 'data',
        },
      ];
    case 'checkpoint-hw':
      return [{ kind: 'mark', lane: lane(a.broker), symbol: '⤓', label: 'high-watermark checkpoint', cls: 'data' }];
    case 'restart':
      return [{ kind: 'mark', lane: lane(a.broker), symbol: '↻', label: 'restart', cls: 'recover' }];
    case 'expire-session':
      return [
        { kind: 'mark', lane: ZK, symbol: '⊘', label: `session of b${a.broker} expires`, cls: 'fault' },
        { kind: 'mark', lane: lane(a.broker), symbol: '⊘', label: '', cls: 'fault' },
      ];
    case 'reconnect':
      return [{ kind: 'arrow', from: lane(a.broker), to: ZK, label: 'new session', cls: 'recover' }];
    case 'partition-network':
      return [
        {
          kind: 'band',
          label:
            a.side & SPLIT_CUTS_ZOOKEEPER
              ? `network split ${splitSide(a.side, n)} | ${splitSide(~a.side & ((1 << (n + 1)) - 1), n)}`
              : `network split ${maskText(a.side, n)} | ${maskText(~a.side & ((1 << n) - 1), n)}`,
          cls: 'fault',
        },
      ];
    case 'heal':
      return [{ kind: 'band', label: 'network heals', cls: 'recover' }];
    // KRaft mode: the controller quorum is drawn on the controller lane
    case 'raft-timeout':
      return [{ kind: 'mark', lane: ZK, symbol: '⏱', label: `c${a.voter} stands for election`, cls: 'ctl' }];
    case 'raft-vote':
      return [{ kind: 'mark', lane: ZK, symbol: '✓', label: `c${a.voter} votes on c${a.candidate}`, cls: 'ctl' }];
    case 'raft-replicate':
      return [{ kind: 'mark', lane: ZK, symbol: '⇉', label: `quorum replicates from c${a.leader}`, cls: 'msg' }];
    case 'raft-resign':
      return [{ kind: 'mark', lane: ZK, symbol: '↓', label: `c${a.leader} resigns (check quorum)`, cls: 'ctl' }];
    case 'register-broker':
      return [{ kind: 'arrow', from: lane(a.broker), to: ZK, label: 'register', cls: 'recover' }];
    case 'fence-broker':
      return [{ kind: 'arrow', from: ZK, to: lane(a.broker), label: `c${a.controller} fences`, cls: 'ctl' }];
    case 'unfence-broker':
      return [{ kind: 'arrow', from: ZK, to: lane(a.broker), label: `c${a.controller} unfences`, cls: 'ctl' }];
    case 'fetch-metadata':
      return [{ kind: 'arrow', from: ZK, to: lane(a.broker), label: 'metadata', cls: 'msg' }];
    case 'crash-voter':
      return [{ kind: 'mark', lane: ZK, symbol: '✕', label: `c${a.voter} crashes`, cls: 'fault' }];
    case 'restart-voter':
      return [{ kind: 'mark', lane: ZK, symbol: '↻', label: `c${a.voter} restarts`, cls: 'recover' }];
  }
}

function diagram(trace: Trace, states: readonly ClusterState[], violating: number): string {
  const brokers = trace.config.brokers;
  const lanes = brokers + 1;
  const textX = LEFT + lanes * LANE_W + 8;
  const width = textX + 720;
  const n = trace.steps.length;
  const height = TOP + (n + 1) * ROW_H + 16;
  const x = (l: number): number => LEFT + l * LANE_W + LANE_W / 2;
  const yTop = (k: number): number => TOP + k * ROW_H;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="space-time diagram of ${n} steps">`,
  );
  out.push(
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="context-stroke"/></marker></defs>',
  );
  // lane headers
  out.push(`<text class="lane-head" x="${x(ZK)}" y="${TOP - 24}">ZooKeeper</text>`);
  for (let br = 0; br < brokers; br++)
    out.push(`<text class="lane-head" x="${x(lane(br))}" y="${TOP - 24}">broker ${br}</text>`);
  out.push(`<text class="lane-head step-head" x="${LEFT - 10}" y="${TOP - 24}">step</text>`);
  out.push(`<text class="lane-head action-head" x="${textX}" y="${TOP - 24}">action</text>`);

  states.forEach((s, k) => {
    const y0 = yTop(k);
    const ym = y0 + ROW_H / 2;
    const inLoop = trace.loopStart !== undefined && k > trace.loopStart;
    const cls = ['row', k === violating ? 'violation' : '', inLoop ? 'loop' : '', s.split ? 'split' : '']
      .filter(Boolean)
      .join(' ');
    const text = k === 0 ? 'initial state' : (trace.steps[k - 1]?.text ?? '');
    out.push(`<g class="${cls}" data-step="${k}">`);
    out.push(`<title>${esc(`step ${k}: ${text}`)}</title>`);
    out.push(`<rect class="hit" x="0" y="${y0}" width="${width}" height="${ROW_H}"/>`);
    out.push(`<text class="step-no" x="${LEFT - 10}" y="${ym + 4}">${k}</text>`);
    // lanes: ZooKeeper, then brokers (dashed while down, thick while holding /controller)
    out.push(`<line class="lane zk" x1="${x(ZK)}" y1="${y0}" x2="${x(ZK)}" y2="${y0 + ROW_H}"/>`);
    s.brokers.forEach((br, i) => {
      const lc = ['lane', br.alive ? 'up' : 'down', s.zk.controller === i ? 'controller' : '']
        .filter(Boolean)
        .join(' ');
      out.push(`<line class="${lc}" x1="${x(lane(i))}" y1="${y0}" x2="${x(lane(i))}" y2="${y0 + ROW_H}"/>`);
      br.replicas.forEach((r, p) => {
        // a leader badge where a broker starts acting as leader (or in a new leader epoch)
        const was = k > 0 ? states[k - 1]?.brokers[i] : undefined;
        const wr = was?.replicas[p];
        const same = was?.alive && wr && wr.role === 1 && r && wr.leaderEpoch === r.leaderEpoch;
        if (r && r.role === 1 && br.alive && !same)
          out.push(
            `<text class="leader-badge" x="${x(lane(i)) - 5}" y="${y0 + 11}" text-anchor="end">L${s.zk.partitions.length > 1 ? `p${p}` : ''}·e${r.leaderEpoch}</text>`,
          );
      });
    });
    if (k > 0) {
      const st = trace.steps[k - 1];
      const before = states[k - 1];
      if (st && before) {
        for (const m of marksOf(st.action, before, s)) {
          if (m.kind === 'arrow') {
            if (m.from === m.to) {
              const xx = x(m.from);
              out.push(
                `<path class="arrow ${m.cls}" d="M${xx},${ym - 8} c 26,0 26,16 2,16" marker-end="url(#arrow)"/>`,
                `<text class="label" x="${xx + 26}" y="${ym - 2}">${esc(m.label)}</text>`,
              );
            } else {
              const x1 = x(m.from);
              const x2 = x(m.to);
              const dir = x2 > x1 ? 1 : -1;
              out.push(
                `<line class="arrow ${m.cls}" x1="${x1 + dir * 3}" y1="${ym - 9}" x2="${x2 - dir * 4}" y2="${ym + 9}" marker-end="url(#arrow)"/>`,
                `<text class="label" x="${(x1 + x2) / 2}" y="${ym - 8}" text-anchor="middle">${esc(m.label)}</text>`,
              );
            }
          } else if (m.kind === 'mark') {
            out.push(
              `<text class="mark ${m.cls}" x="${x(m.lane)}" y="${ym + 6}" text-anchor="middle">${m.symbol}</text>`,
              m.label ? `<text class="label ${m.cls}" x="${x(m.lane) + 11}" y="${ym + 4}">${esc(m.label)}</text>` : '',
            );
          } else {
            out.push(
              `<line class="band ${m.cls}" x1="${LEFT}" y1="${ym}" x2="${LEFT + lanes * LANE_W}" y2="${ym}"/>`,
              `<text class="label ${m.cls}" x="${LEFT + 4}" y="${ym - 4}">${esc(m.label)}</text>`,
            );
          }
        }
      }
    }
    out.push(
      `<text class="action" x="${textX}" y="${ym + 4}">${esc(text.length > 112 ? `${text.slice(0, 111)}…` : text)}</text>`,
    );
    out.push('</g>');
    if (trace.loopStart !== undefined && k === trace.loopStart)
      out.push(
        `<text class="loop-label" x="${textX}" y="${y0 + ROW_H + 1}">${trace.loopStart === n ? '⟲ stays here forever' : '⟲ loop starts here'}</text>`,
      );
  });
  if (trace.loopStart !== undefined && trace.loopStart < n) {
    const yA = yTop(trace.loopStart) + ROW_H / 2;
    const yB = yTop(n) + ROW_H / 2;
    out.push(
      `<path class="loop-back" d="M${LEFT - 30},${yB} C ${LEFT - 42},${yB} ${LEFT - 42},${yA} ${LEFT - 30},${yA}" marker-end="url(#arrow)"/>`,
    );
  }
  out.push('</svg>');
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------------
// Details of one step

function logHtml(log: readonly { readonly epoch: number; readonly id: number }[], hw: number): string {
  const cells: string[] = [];
  log.forEach((e, i) => {
    if (i === hw) cells.push('<span class="hw" title="high watermark">HW</span>');
    cells.push(
      `<span class="rec${i < hw ? ' committed' : ''}" title="offset ${i}: record r${e.id}, leader epoch ${e.epoch}">r${e.id}<sub>e${e.epoch}</sub></span>`,
    );
  });
  if (hw >= log.length) cells.push('<span class="hw" title="high watermark">HW</span>');
  return `<span class="log" data-log="${esc(logText(log, hw))}">${cells.join('')}</span>`;
}

interface Cell {
  readonly html: string;
  /** Plain text, compared with the previous step to highlight what changed. */
  readonly key: string;
}
const cell = (html: string, key = html): Cell => ({ html, key });

function brokerRows(s: ClusterState): Cell[][] {
  const n = s.brokers.length;
  const rows: Cell[][] = [];
  s.brokers.forEach((br, i) => {
    const status = `${br.alive ? 'up' : 'DOWN'}${br.alive && !br.session ? ', no ZK session' : ''}`;
    const ctl = br.controller
      ? `controller, epoch ${br.controller.epoch}; sees live ${maskText(br.controller.live, n)}`
      : '—';
    br.replicas.forEach((r, p) => {
      if (!r) return;
      const role = r.role === 1 ? 'leader' : r.role === 2 ? 'follower' : 'none';
      rows.push([
        cell(`b${i}`),
        cell(esc(status)),
        cell(esc(ctl)),
        cell(`p${p}`),
        cell(role),
        cell(b(r.leader)),
        cell(String(r.leaderEpoch)),
        cell(logHtml(r.log, r.hw), logText(r.log, r.hw)),
        cell(r.role === 1 ? maskText(r.isr, n) : '—'),
        cell(String(r.zkVersion)),
      ]);
    });
  });
  return rows;
}

function details(trace: Trace, states: readonly ClusterState[], k: number, violating: number): string {
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
            .flatMap((c) => changeLines(c, n))
            .map((l) => `<li>${esc(l)}</li>`)
            .join('')}</ul>`
        : '<p>nothing</p>',
    );
  }

  out.push('<h3>Brokers</h3>');
  const head = [
    'broker',
    'status',
    'controller view',
    'partition',
    'role',
    'leader',
    'leader epoch',
    'log (HW)',
    'ISR (leader view)',
    'partition epoch',
  ];
  const rows = brokerRows(s);
  const before = prev ? brokerRows(prev) : undefined;
  out.push(`<table class="brokers"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>`);
  rows.forEach((r, i) => {
    const down = r[1]?.key.startsWith('DOWN') ? ' class="down"' : '';
    out.push(
      `<tr${down}>${r
        .map((c, j) => `<td${before && before[i]?.[j]?.key !== c.key ? ' class="changed"' : ''}>${c.html}</td>`)
        .join('')}</tr>`,
    );
  });
  out.push('</tbody></table>');

  out.push('<h3>ZooKeeper</h3>');
  const registered = s.zk.brokerEpochs.flatMap((e, i) => (e ? [`b${i} (broker epoch ${e})`] : []));
  out.push(
    `<p class="zk">/controller: <b>${b(s.zk.controller)}</b>, controller epoch ${s.zk.controllerEpoch}; registered: ${registered.length ? registered.join(', ') : 'none'}</p>`,
  );
  out.push(
    `<table class="partitions"><thead><tr><th>partition</th><th>leader</th><th>leader epoch</th><th>ISR</th><th>partition epoch</th><th>written by controller epoch</th></tr></thead><tbody>${s.zk.partitions
      .map(
        (ps, p) =>
          `<tr><td>p${p}</td><td>${b(ps.leader)}</td><td>${ps.leaderEpoch}</td><td>${maskText(ps.isr, n)}</td><td>${ps.version}</td><td>${ps.controllerEpoch}</td></tr>`,
      )
      .join('')}</tbody></table>`,
  );

  out.push('<h3>Network and requests</h3>');
  out.push(
    `<p class="net">${s.split ? `split: ${maskText(s.split, n)} | ${maskText(~s.split & ((1 << n) - 1), n)}` : 'connected'}</p>`,
  );
  out.push(
    s.inFlight.length
      ? `<ul class="inflight">${s.inFlight
          .map(
            (m) =>
              `<li>LeaderAndIsr(p${m.partition}: leader ${b(m.leader)}, leader epoch ${m.leaderEpoch}, ISR ${maskText(m.isr, n)}, controller epoch ${m.controllerEpoch}) b${m.from} → b${m.to}</li>`,
          )
          .join('')}</ul>`
      : '<p class="inflight">no LeaderAndIsr requests in flight</p>',
  );
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
