/**
 * A Java `.properties` reader (the format of Kafka's `server.properties`), following the rules of
 * `java.util.Properties.load`: pure, no I/O.
 */

/** One setting as read, with the (1-based) line its key starts on. */
export interface PropertyEntry {
  readonly key: string;
  readonly value: string;
  readonly line: number;
}

/** The settings of a file in order (a repeated key appears each time; the last one wins), or the first problem. */
export type ParsedProperties =
  | { readonly ok: true; readonly entries: readonly PropertyEntry[] }
  | { readonly ok: false; readonly line: number; readonly error: string };

const WHITESPACE = new Set([' ', '\t', '\f']);

/** A logical line: natural lines joined where one ends in an odd number of backslashes. */
interface LogicalLine {
  readonly text: string;
  readonly line: number;
}

/**
 * The logical lines of `text`. Natural lines end at `\n`, `\r` or `\r\n`; leading whitespace is dropped;
 * blank lines and comments (`#` or `!` first) are skipped, and a comment never continues; a line ending
 * in an odd number of backslashes continues on the next one, whose leading whitespace is dropped.
 */
function logicalLines(text: string): LogicalLine[] {
  const natural = text.split(/\r\n|\r|\n/);
  const out: LogicalLine[] = [];
  for (let i = 0; i < natural.length; i++) {
    const first = trimStart(natural[i] ?? '');
    if (first === '' || first.startsWith('#') || first.startsWith('!')) continue;
    const start = i + 1;
    let acc = '';
    let cur = first;
    while (endsInOddBackslashes(cur) && i + 1 < natural.length) {
      acc += cur.slice(0, -1);
      i++;
      cur = trimStart(natural[i] ?? '');
    }
    acc += endsInOddBackslashes(cur) ? cur.slice(0, -1) : cur;
    out.push({ text: acc, line: start });
  }
  return out;
}

function trimStart(s: string): string {
  let k = 0;
  while (k < s.length && WHITESPACE.has(s[k] as string)) k++;
  return s.slice(k);
}

function endsInOddBackslashes(s: string): boolean {
  let n = 0;
  for (let k = s.length - 1; k >= 0 && s[k] === '\\'; k--) n++;
  return n % 2 === 1;
}

/** Where the key of a logical line ends: at the first unescaped `=`, `:` or whitespace. */
function keyEnd(s: string): number {
  for (let k = 0; k < s.length; k++) {
    const c = s[k] as string;
    if (c === '\\') k++;
    else if (c === '=' || c === ':' || WHITESPACE.has(c)) return k;
  }
  return s.length;
}

/** Where the value starts: after whitespace, at most one `=` or `:`, and whitespace again. */
function valueStart(s: string, from: number): number {
  let k = from;
  while (k < s.length && WHITESPACE.has(s[k] as string)) k++;
  if (s[k] === '=' || s[k] === ':') k++;
  while (k < s.length && WHITESPACE.has(s[k] as string)) k++;
  return k;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { t: '\t', n: '\n', r: '\r', f: '\f' };

/** Resolves escapes: `\t \n \r \f`, `\uXXXX`, and `\c` for any other c. A malformed `\u` is an error. */
function unescape(s: string): { ok: true; value: string } | { ok: false; error: string } {
  let out = '';
  for (let k = 0; k < s.length; k++) {
    const c = s[k] as string;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = s[++k];
    if (e === undefined) break;
    if (e === 'u') {
      const hex = s.slice(k + 1, k + 5);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) return { ok: false, error: `malformed \\uxxxx escape "\\u${hex}"` };
      out += String.fromCharCode(parseInt(hex, 16));
      k += 4;
    } else out += SIMPLE_ESCAPES[e] ?? e;
  }
  return { ok: true, value: out };
}

/** Parses the text of a `.properties` file. */
export function parseJavaProperties(text: string): ParsedProperties {
  const entries: PropertyEntry[] = [];
  for (const { text: l, line } of logicalLines(text)) {
    const end = keyEnd(l);
    const key = unescape(l.slice(0, end));
    const value = unescape(l.slice(valueStart(l, end)));
    if (!key.ok) return { ok: false, line, error: key.error };
    if (!value.ok) return { ok: false, line, error: value.error };
    entries.push({ key: key.value, value: value.value, line });
  }
  return { ok: true, entries };
}
