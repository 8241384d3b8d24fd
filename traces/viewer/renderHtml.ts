import type { Trace } from '../Trace.js';
import { renderTrace } from '../renderTrace.js';

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * A self-contained HTML page (inline CSS and JS, no network) showing the trace.
 * (First version: the text rendering; the space-time diagram follows.)
 */
export function renderHtml(trace: Trace): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(trace.property.id)} — kafka-mc trace</title></head><body><pre>${esc(renderTrace(trace))}</pre></body></html>\n`;
}
