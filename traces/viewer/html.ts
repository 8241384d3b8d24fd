import { NO_LEADER } from '../../model/index.js';
import { logText } from '../renderTrace.js';

/** Text made safe for HTML (element content and quoted attribute values). */
export const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** A broker id as `b1`, or `none`. */
export const brokerName = (id: number): string => (id === NO_LEADER ? 'none' : `b${id}`);

/** A partition log as record chips with the high watermark marked, records below it shown committed. */
export function logHtml(log: readonly { readonly epoch: number; readonly id: number }[], hw: number): string {
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

/** A table cell of the details pane. */
export interface Cell {
  readonly html: string;
  /** Plain text, compared with the previous step to highlight what changed. */
  readonly key: string;
}
export const cell = (html: string, key = html): Cell => ({ html, key });

/**
 * A table whose cells differing from the previous step's (same row, same column) are highlighted; rows
 * whose `down` column starts with `DOWN` are greyed.
 */
export function changeTable(
  cls: string,
  head: readonly string[],
  rows: readonly Cell[][],
  before: readonly Cell[][] | undefined,
  down: number,
): string {
  const out: string[] = [];
  out.push(`<table class="${cls}"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>`);
  rows.forEach((r, i) => {
    const greyed = r[down]?.key.startsWith('DOWN') ? ' class="down"' : '';
    out.push(
      `<tr${greyed}>${r
        .map((c, j) => `<td${before && before[i]?.[j]?.key !== c.key ? ' class="changed"' : ''}>${c.html}</td>`)
        .join('')}</tr>`,
    );
  });
  out.push('</tbody></table>');
  return out.join('\n');
}
