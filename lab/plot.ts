/**
 * A small, pure SVG line-chart renderer for reports and docs: axes with ticks, one line per series with
 * a distinct colour, marker and dash pattern, and a legend naming every series. Series that coincide
 * stay visible: each later series is drawn on top with a smaller marker of another shape, so identical
 * points show as nested markers.
 */

export interface Series {
  readonly name: string;
  /** [x, y] points, in x order. */
  readonly points: readonly (readonly [number, number])[];
}

export interface Chart {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
}

/** Okabe-Ito colours (distinguishable with colour-vision deficiencies), then darker fallbacks. */
export const COLORS: readonly string[] = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#E69F00',
  '#56B4E9',
  '#000000',
  '#8C564B',
  '#7F7F7F',
  '#BCBD22',
];

export const MARKERS: readonly string[] = ['circle', 'square', 'triangle', 'diamond', 'cross', 'triangle-down'];
const DASHES: readonly string[] = ['', '6 3', '2 3', '8 3 2 3', '1 2', '10 4'];

const PANEL_W = 380;
const PANEL_H = 230;
const M = { left: 58, right: 14, top: 26, bottom: 40 };

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The style of series i: colour, marker shape, marker radius (shrinking with i), dash pattern. */
export function seriesStyle(i: number): { color: string; marker: string; radius: number; dash: string } {
  return {
    color: COLORS[i % COLORS.length] as string,
    marker: MARKERS[i % MARKERS.length] as string,
    radius: Math.max(2.5, 6.5 - 0.5 * i),
    dash: DASHES[i % DASHES.length] as string,
  };
}

/** A marker of `shape` centred on (x, y). */
function marker(shape: string, x: number, y: number, r: number, color: string): string {
  const p = (pts: readonly (readonly [number, number])[]): string =>
    `<polygon points="${pts.map(([a, b]) => `${(x + a * r).toFixed(1)},${(y + b * r).toFixed(1)}`).join(' ')}" fill="none" stroke="${color}" stroke-width="1.6"/>`;
  switch (shape) {
    case 'square':
      return p([
        [-0.85, -0.85],
        [0.85, -0.85],
        [0.85, 0.85],
        [-0.85, 0.85],
      ]);
    case 'triangle':
      return p([
        [0, -1.1],
        [1, 0.8],
        [-1, 0.8],
      ]);
    case 'triangle-down':
      return p([
        [0, 1.1],
        [1, -0.8],
        [-1, -0.8],
      ]);
    case 'diamond':
      return p([
        [0, -1.2],
        [1, 0],
        [0, 1.2],
        [-1, 0],
      ]);
    case 'cross':
      return `<path d="M${x - r},${y - r}L${x + r},${y + r}M${x - r},${y + r}L${x + r},${y - r}" stroke="${color}" stroke-width="1.6"/>`;
    default:
      return `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${r}" fill="none" stroke="${color}" stroke-width="1.6"/>`;
  }
}

/** Round tick values covering [0, max]. */
export function ticks(max: number): number[] {
  if (max <= 0) return [0, 1];
  const raw = max / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const out: number[] = [];
  for (let v = 0; v <= max + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  if ((out[out.length - 1] ?? 0) < max) out.push(Number((out.length * step).toPrecision(12)));
  return out;
}

/** A tick label: thousands as `k` (18000 → 18k), fractions to two digits. */
export function tickLabel(v: number): string {
  if (v >= 1000) return `${Number((v / 1000).toPrecision(3))}k`;
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}

/** One chart panel (axes, grid, series) as an SVG group at (x0, y0). */
function panel(c: Chart, x0: number, y0: number): string {
  const pts = c.series.flatMap((s) => s.points);
  const xs = [...new Set(pts.map((p) => p[0]))].sort((a, b) => a - b);
  const xMin = xs[0] ?? 0;
  const xMax = xs[xs.length - 1] ?? 1;
  const yt = ticks(Math.max(0, ...pts.map((p) => p[1])));
  const yMax = yt[yt.length - 1] ?? 1;
  const w = PANEL_W - M.left - M.right;
  const h = PANEL_H - M.top - M.bottom;
  // markers at the ends stay clear of the y axis and the panel's edge
  const pad = 18;
  const sx = (x: number): number =>
    x0 + M.left + pad + (xMax === xMin ? (w - 2 * pad) / 2 : ((x - xMin) / (xMax - xMin)) * (w - 2 * pad));
  const sy = (y: number): number => y0 + M.top + h - (y / yMax) * h;
  const grid = yt
    .map(
      (v) =>
        `<line x1="${x0 + M.left}" y1="${sy(v).toFixed(1)}" x2="${x0 + M.left + w}" y2="${sy(v).toFixed(1)}" stroke="#e4e4e4"/><text x="${x0 + M.left - 5}" y="${(sy(v) + 4).toFixed(1)}" font-size="11" text-anchor="end">${tickLabel(v)}</text>`,
    )
    .join('');
  const xt = xs
    .map(
      (v) =>
        `<line x1="${sx(v).toFixed(1)}" y1="${y0 + M.top + h}" x2="${sx(v).toFixed(1)}" y2="${y0 + M.top + h + 4}" stroke="#333"/><text x="${sx(v).toFixed(1)}" y="${y0 + M.top + h + 16}" font-size="11" text-anchor="middle">${tickLabel(v)}</text>`,
    )
    .join('');
  const lines = c.series
    .map((s, i) => {
      const st = seriesStyle(i);
      const d = s.points.map((p, j) => `${j ? 'L' : 'M'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join('');
      const dash = st.dash ? ` stroke-dasharray="${st.dash}"` : '';
      const marks = s.points.map((p) => marker(st.marker, sx(p[0]), sy(p[1]), st.radius, st.color)).join('');
      return `<g class="series" data-series="${escapeXml(s.name)}"><title>${escapeXml(s.name)}</title><path d="${d || 'M0,0'}" fill="none" stroke="${st.color}" stroke-width="1.8"${dash}/>${marks}</g>`;
    })
    .join('');
  const axes = `<line x1="${x0 + M.left}" y1="${y0 + M.top}" x2="${x0 + M.left}" y2="${y0 + M.top + h}" stroke="#333"/><line x1="${x0 + M.left}" y1="${y0 + M.top + h}" x2="${x0 + M.left + w}" y2="${y0 + M.top + h}" stroke="#333"/>`;
  const labels = `<text x="${x0 + PANEL_W / 2}" y="${y0 + 16}" font-size="13" font-weight="bold" text-anchor="middle">${escapeXml(c.title)}</text><text x="${x0 + M.left + w / 2}" y="${y0 + PANEL_H - 6}" font-size="11" text-anchor="middle">${escapeXml(c.xLabel)}</text><text transform="translate(${x0 + 13},${y0 + M.top + h / 2}) rotate(-90)" font-size="11" text-anchor="middle">${escapeXml(c.yLabel)}</text>`;
  return `<g class="panel">${grid}${axes}${xt}${lines}${labels}</g>`;
}

/** The legend: one row per series name (a sample line, its marker, the name), in columns. */
function legend(names: readonly string[], y0: number, width: number): { svg: string; height: number } {
  const longest = Math.max(8, ...names.map((n) => n.length));
  const colW = Math.min(width - 20, 64 + longest * 7);
  const cols = Math.max(1, Math.floor((width - 20) / colW));
  const rows = Math.ceil(names.length / cols);
  const items = names
    .map((n, i) => {
      const st = seriesStyle(i);
      const x = 10 + (i % cols) * colW;
      const y = y0 + 14 + Math.floor(i / cols) * 18;
      const dash = st.dash ? ` stroke-dasharray="${st.dash}"` : '';
      return `<g class="legend-entry"><line x1="${x}" y1="${y}" x2="${x + 30}" y2="${y}" stroke="${st.color}" stroke-width="1.8"${dash}/>${marker(st.marker, x + 15, y, st.radius, st.color)}<text x="${x + 38}" y="${y + 4}" font-size="12">${escapeXml(n)}</text></g>`;
    })
    .join('');
  return { svg: items, height: rows * 18 + 16 };
}

/**
 * Charts sharing one legend, in a grid of `columns` panels, as one standalone SVG document. Every chart
 * must list the same series in the same order (the legend is built from the first).
 */
export function svgFigure(charts: readonly Chart[], columns = 2, caption?: string): string {
  const cols = Math.max(1, Math.min(columns, charts.length));
  const width = cols * PANEL_W;
  const capLines = caption ? wrap(caption, Math.floor((width - 20) / 7.6)) : [];
  const capH = capLines.length * 17 + (capLines.length ? 6 : 0);
  const body = charts.map((c, i) => panel(c, (i % cols) * PANEL_W, capH + Math.floor(i / cols) * PANEL_H)).join('');
  const gridH = Math.ceil(charts.length / cols) * PANEL_H;
  const names = charts[0]?.series.map((s) => s.name) ?? [];
  const leg = legend(names, capH + gridH, width);
  const height = capH + gridH + leg.height;
  const cap = capLines.map((l, i) => `<text x="10" y="${18 + 17 * i}" font-size="13">${escapeXml(l)}</text>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif" role="img" aria-label="${escapeXml(caption ?? charts.map((c) => c.title).join('; '))}"><rect width="100%" height="100%" fill="#ffffff"/>${cap}${body}<g class="legend">${leg.svg}</g></svg>\n`;
}

/** Splits `text` into lines of at most `width` characters at spaces (a longer word gets a line of its own). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}
