import type { Action, ClusterState } from '../../model/index.js';
import type { Trace } from '../Trace.js';
import { esc } from './html.js';

/**
 * The space-time diagram both modes share: one column per lane, one row per state, the action of each
 * step as arrows between lanes, marks on a lane or a band across all lanes, the action's words on the
 * right; the violating row highlighted and a lasso's loop marked. What the lanes are (ZooKeeper and
 * brokers, or controller voters and brokers) and what a step draws comes from a `DiagramView`.
 */

/** Horizontal distance between lanes. */
export const LANE_W = 92;
/** Left margin: the step numbers. */
export const LEFT = 44;

/** What a step draws on the diagram. Lanes are numbered left to right from 0. */
export type Mark =
  | {
      readonly kind: 'arrow';
      readonly from: number;
      readonly to: number;
      /** Drawn above the arrow, centred; empty for none. */
      readonly label: string;
      readonly cls: string;
      /**
       * Where in the row: the whole height (default), or its upper or lower half, so that a request to a
       * controller and the replication it causes can share a row without crossing.
       */
      readonly slot?: 'upper' | 'lower';
    }
  | {
      readonly kind: 'mark';
      readonly lane: number;
      readonly symbol: string;
      readonly label: string;
      readonly cls: string;
    }
  | {
      readonly kind: 'band';
      readonly label: string;
      readonly cls: string;
      /** SVG text content to use instead of the escaped label (already escaped, e.g. with coloured tspans). */
      readonly html?: string;
    };

/** What a mode draws: its lanes, each row's lane segments, and the marks of each step. */
export interface DiagramView {
  readonly lanes: number;
  /** Row height in pixels. */
  readonly rowHeight: number;
  /** Space above the first row for the lane headings. */
  readonly top: number;
  /**
   * Where a row's arrows and marks are centred, from its top (default: half the row height). A lower
   * centre leaves a band at the top of each row for badges, clear of the arrows' labels.
   */
  readonly centre?: number;
  /** The lane headings (SVG), given each lane's centre. */
  heads(x: (lane: number) => number): string[];
  /** Extra classes of a state's row (`split` while the network is split). */
  rowClasses(s: ClusterState): string[];
  /** The lane segments, badges and shading of row k (SVG), given each lane's centre and the row's top. */
  row(states: readonly ClusterState[], k: number, x: (lane: number) => number, y0: number): string[];
  /** What the step from `before` to `after` by action `a` draws. */
  marks(a: Action, before: ClusterState, after: ClusterState): Mark[];
}

/** The diagram as one SVG element. */
export function diagram(trace: Trace, states: readonly ClusterState[], violating: number, view: DiagramView): string {
  const ROW_H = view.rowHeight;
  const TOP = view.top;
  const lanes = view.lanes;
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
  out.push(...view.heads(x));
  out.push(`<text class="lane-head step-head" x="${LEFT - 10}" y="${TOP - 24}">step</text>`);
  out.push(`<text class="lane-head action-head" x="${textX}" y="${TOP - 24}">action</text>`);

  states.forEach((s, k) => {
    const y0 = yTop(k);
    const ym = y0 + (view.centre ?? ROW_H / 2);
    const inLoop = trace.loopStart !== undefined && k > trace.loopStart;
    const cls = ['row', k === violating ? 'violation' : '', inLoop ? 'loop' : '', ...view.rowClasses(s)]
      .filter(Boolean)
      .join(' ');
    const text = k === 0 ? 'initial state' : (trace.steps[k - 1]?.text ?? '');
    out.push(`<g class="${cls}" data-step="${k}">`);
    out.push(`<title>${esc(`step ${k}: ${text}`)}</title>`);
    out.push(`<rect class="hit" x="0" y="${y0}" width="${width}" height="${ROW_H}"/>`);
    out.push(`<text class="step-no" x="${LEFT - 10}" y="${ym + 4}">${k}</text>`);
    out.push(...view.row(states, k, x, y0));
    if (k > 0) {
      const st = trace.steps[k - 1];
      const before = states[k - 1];
      if (st && before) for (const m of view.marks(st.action, before, s)) out.push(...markSvg(m, x, ym, lanes));
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
    const yA = yTop(trace.loopStart) + (view.centre ?? ROW_H / 2);
    const yB = yTop(n) + (view.centre ?? ROW_H / 2);
    out.push(
      `<path class="loop-back" d="M${LEFT - 30},${yB} C ${LEFT - 42},${yB} ${LEFT - 42},${yA} ${LEFT - 30},${yA}" marker-end="url(#arrow)"/>`,
    );
  }
  out.push('</svg>');
  return out.join('\n');
}

function markSvg(m: Mark, x: (lane: number) => number, ym: number, lanes: number): string[] {
  if (m.kind === 'arrow') {
    if (m.from === m.to) {
      const xx = x(m.from);
      return [
        `<path class="arrow ${m.cls}" d="M${xx},${ym - 8} c 26,0 26,16 2,16" marker-end="url(#arrow)"/>`,
        `<text class="label" x="${xx + 26}" y="${ym - 2}">${esc(m.label)}</text>`,
      ];
    }
    const x1 = x(m.from);
    const x2 = x(m.to);
    const dir = x2 > x1 ? 1 : -1;
    const [ya, yb] = m.slot === 'upper' ? [ym - 10, ym] : m.slot === 'lower' ? [ym + 3, ym + 13] : [ym - 9, ym + 9];
    const label =
      m.label === ''
        ? []
        : [
            `<text class="label" x="${(x1 + x2) / 2}" y="${m.slot === 'upper' ? ya - 1 : ya + 1}" text-anchor="middle">${esc(m.label)}</text>`,
          ];
    return [
      `<line class="arrow ${m.cls}" x1="${x1 + dir * 3}" y1="${ya}" x2="${x2 - dir * 4}" y2="${yb}" marker-end="url(#arrow)"/>`,
      ...label,
    ];
  }
  if (m.kind === 'mark')
    return [
      `<text class="mark ${m.cls}" x="${x(m.lane)}" y="${ym + 6}" text-anchor="middle">${m.symbol}</text>`,
      m.label ? `<text class="label ${m.cls}" x="${x(m.lane) + 11}" y="${ym + 4}">${esc(m.label)}</text>` : '',
    ];
  return [
    `<line class="band ${m.cls}" x1="${LEFT}" y1="${ym}" x2="${LEFT + lanes * LANE_W}" y2="${ym}"/>`,
    `<text class="label ${m.cls}" x="${LEFT + 4}" y="${ym - 4}">${m.html ?? esc(m.label)}</text>`,
  ];
}
