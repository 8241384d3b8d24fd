import type { Json } from './diff.js';
import { TRACE_FIELDS, TRACE_STEP_FIELDS } from './Trace.js';

/**
 * The order of a trace's own fields, so a file reads top to bottom (what, then how, then the steps) and
 * two traces diff line by line. Keys not listed here (config, state and action fields) come after the
 * listed ones, sorted alphabetically.
 */
const KEY_ORDER: readonly string[] = [
  ...TRACE_FIELDS,
  // tool, rule, property
  'name',
  'version',
  'sha256',
  'id',
  'title',
  'kind',
  ...TRACE_STEP_FIELDS,
  // change
  'old',
  'new',
];
const RANK = new Map(KEY_ORDER.map((k, i) => [k, i]));

function orderedKeys(o: { readonly [key: string]: Json }): string[] {
  return Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort((a, b) => {
      const ra = RANK.get(a);
      const rb = RANK.get(b);
      if (ra !== undefined && rb !== undefined) return ra - rb;
      if (ra !== undefined) return -1;
      if (rb !== undefined) return 1;
      return a < b ? -1 : a > b ? 1 : 0;
    });
}

/** One-line canonical JSON (canonical key order, no spaces). */
export function compactJson(v: Json): string {
  if (Array.isArray(v)) return `[${v.map(compactJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as { readonly [key: string]: Json };
    return `{${orderedKeys(o)
      .map((k) => `${JSON.stringify(k)}:${compactJson(o[k] as Json)}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

function inline(v: Json): string {
  if (Array.isArray(v)) return `[${v.map(inline).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as { readonly [key: string]: Json };
    const ks = orderedKeys(o);
    return ks.length ? `{ ${ks.map((k) => `${JSON.stringify(k)}: ${inline(o[k] as Json)}`).join(', ')} }` : '{}';
  }
  return JSON.stringify(v);
}

/**
 * Canonical, diff-friendly JSON: canonical key order; an object or array that fits in `width` columns
 * (after its indentation and key) is written on one line, otherwise one member per line. Deterministic:
 * equal values give byte-identical text. Ends with a newline.
 */
export function canonicalJson(v: Json, width = 120): string {
  return `${write(v, '', 0, width)}\n`;
}

function write(v: Json, indent: string, used: number, width: number): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  const one = inline(v);
  if (indent.length > 0 && used + one.length <= width) return one;
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[\n${v.map((x) => inner + write(x, inner, inner.length + 1, width)).join(',\n')}\n${indent}]`;
  }
  const o = v as { readonly [key: string]: Json };
  const ks = orderedKeys(o);
  if (ks.length === 0) return '{}';
  return `{\n${ks
    .map((k) => {
      const head = `${inner}${JSON.stringify(k)}: `;
      return head + write(o[k] as Json, inner, head.length + 1, width);
    })
    .join(',\n')}\n${indent}}`;
}
