import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { canonicalJson } from './canonicalJson.js';
import type { Trace, TraceResult } from './Trace.js';
import { TRACE_FORMAT_VERSION, asJson, toolVersion, traceStates } from './Trace.js';
import { TRACE_SCHEMA } from './traceSchema.js';

/** Options of `saveTrace`. */
export interface SaveOptions {
  /** Replace an existing file (the CLI's `--force`). Default false: an existing file is an error. */
  readonly overwrite?: boolean;
}

/** A trace as canonical JSON text (canonical key order; equal traces give identical bytes). */
export function serializeTrace(trace: Trace): string {
  return canonicalJson(asJson(trace));
}

/**
 * Writes `trace` to `path` (creating its folder). Never overwrites silently: when the file exists and
 * `overwrite` is not set, fails with an error naming the file and the fix. The write is atomic (a
 * temporary file is linked or renamed into place), so a crash never leaves a half-written trace.
 */
export function saveTrace(path: string, trace: Trace, opts: SaveOptions = {}): TraceResult<string> {
  const text = serializeTrace(trace);
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, text, { flag: 'wx' });
  } catch (e) {
    return { ok: false, error: `cannot write trace ${path}: ${(e as Error).message}` };
  }
  try {
    if (opts.overwrite) renameSync(tmp, path);
    else {
      linkSync(tmp, path); // fails with EEXIST instead of replacing: no check-then-write race
      unlinkSync(tmp);
    }
    return { ok: true, value: path };
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
    if ((e as NodeJS.ErrnoException).code === 'EEXIST')
      return {
        ok: false,
        error: `${path} already exists; not overwriting it. Pass --force to replace it, or choose another --out-dir (or --name)`,
      };
    return { ok: false, error: `cannot write trace ${path}: ${(e as Error).message}` };
  }
}

/** Reads and validates a trace file; every failure says what is wrong with the file and what to do. */
export function loadTrace(path: string): TraceResult<Trace> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, error: `trace file ${path} does not exist; check the path` };
    if (code === 'EISDIR') return { ok: false, error: `${path} is a folder; give the path of a .trace.json file` };
    return { ok: false, error: `cannot read trace file ${path}: ${(e as Error).message}` };
  }
  return parseTrace(text, path);
}

/** Parses and validates trace text; `source` names it in errors (a file path, or e.g. "stdin"). */
export function parseTrace(input: string, source = 'trace'): TraceResult<Trace> {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input; // an editor's byte-order mark
  if (text.trim() === '')
    return { ok: false, error: `${source} is empty: it is not a trace (was the write interrupted?)` };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `${source} ${describeJsonError(text, e as Error)}` };
  }
  return validateTrace(data, source);
}

/**
 * Why `JSON.parse` failed, in words: a file that ends inside an object, array or string is called
 * truncated (the usual cause: an interrupted write or copy), anything else malformed at line:column.
 */
function describeJsonError(text: string, e: Error): string {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') depth--;
  }
  if (inString || depth > 0)
    return `is truncated: it ends ${inString ? 'inside a string' : `with ${depth} unclosed bracket(s)`} at line ${lineCol(text, text.length)}; the write or copy was probably interrupted: re-create it (or restore it from version control)`;
  const m = /position (\d+)/.exec(e.message);
  const where = m ? ` at line ${lineCol(text, Number(m[1]))}` : '';
  return `is not valid JSON${where} (${e.message}); it is not a trace file, or it was edited by hand: fix it or re-create it`;
}

function lineCol(text: string, pos: number): string {
  const before = text.slice(0, pos).split('\n');
  return `${before.length}, column ${(before[before.length - 1]?.length ?? 0) + 1}`;
}

const ajv = new Ajv({ allErrors: true, strict: true });
const schemaCheck = ajv.compile(TRACE_SCHEMA);

function where(instancePath: string): string {
  if (instancePath === '') return 'the trace';
  return instancePath
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

function describeSchemaError(e: ErrorObject, data: unknown): string {
  const at = where(e.instancePath);
  const got = JSON.stringify(valueAt(data, e.instancePath)) ?? 'nothing';
  const shown = got.length > 60 ? `${got.slice(0, 57)}...` : got;
  switch (e.keyword) {
    case 'required':
      return `${at} is missing the field "${(e.params as { missingProperty: string }).missingProperty}"`;
    case 'type':
      return `${at} must be ${(e.params as { type: string }).type === 'integer' ? 'an integer' : `of type ${(e.params as { type: string }).type}`} (got ${shown})`;
    case 'enum':
      return `${at} must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')} (got ${shown})`;
    case 'const':
      return `${at} must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)} (got ${shown})`;
    case 'additionalProperties':
      return `${at} has an unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"`;
    default:
      return `${at} ${e.message ?? 'is invalid'} (got ${shown})`;
  }
}

function valueAt(data: unknown, pointer: string): unknown {
  if (pointer === '') return data;
  let v: unknown = data;
  for (const p of pointer.slice(1).split('/')) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[p.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return v;
}

/**
 * Checks parsed JSON: the format version first (a newer file gets "upgrade", not a list of field
 * errors), then the schema, then the consistency the schema cannot express (one step per path entry,
 * steps numbered in order, the loop start in range, every recorded change applicable).
 */
export function validateTrace(data: unknown, source = 'trace'): TraceResult<Trace> {
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    return { ok: false, error: `${source} is not a kafka-mc trace: expected a JSON object with "formatVersion"` };
  const o = data as Record<string, unknown>;
  const fv = o['formatVersion'];
  if (fv === undefined)
    return { ok: false, error: `${source} is not a kafka-mc trace: it has no "formatVersion" field` };
  if (typeof fv !== 'number' || !Number.isInteger(fv) || fv < 1)
    return {
      ok: false,
      error: `${source} has an invalid formatVersion ${JSON.stringify(fv)} (expected an integer ≥ 1)`,
    };
  if (fv > TRACE_FORMAT_VERSION) {
    const tool = o['tool'] as { version?: unknown } | undefined;
    const by = typeof tool?.version === 'string' ? `kafka-mc ${tool.version}` : 'a newer kafka-mc';
    return {
      ok: false,
      error: `${source} was written by ${by} (trace format ${fv}); this is kafka-mc ${toolVersion()}, which reads trace format ${TRACE_FORMAT_VERSION}: upgrade kafka-mc to read it`,
    };
  }
  if (!schemaCheck(data)) {
    const errors = (schemaCheck.errors ?? []).map((e) => describeSchemaError(e, data));
    const shown = [...new Set(errors)].slice(0, 5);
    const more = errors.length > shown.length ? ` (and ${errors.length - shown.length} more)` : '';
    return { ok: false, error: `${source} is not a valid trace: ${shown.join('; ')}${more}` };
  }
  const t = data as unknown as Trace;
  if (t.steps.length !== t.path.length - 1)
    return {
      ok: false,
      error: `${source} is inconsistent: its path has ${t.path.length - 1} action(s) but it records ${t.steps.length} step(s)`,
    };
  for (const [i, st] of t.steps.entries()) {
    if (st.step !== i + 1)
      return { ok: false, error: `${source} is inconsistent: steps[${i}] is numbered ${st.step}, expected ${i + 1}` };
    if (st.actionIndex !== t.path[i + 1])
      return {
        ok: false,
        error: `${source} is inconsistent: step ${i + 1} has actionIndex ${st.actionIndex} but the path says ${t.path[i + 1]}`,
      };
  }
  if (t.loopStart !== undefined && t.loopStart > t.steps.length)
    return {
      ok: false,
      error: `${source} is inconsistent: loopStart ${t.loopStart} is past the last state (${t.steps.length})`,
    };
  const states = traceStates(t);
  if (!states.ok) return { ok: false, error: `${source} is inconsistent: ${states.error}` };
  return { ok: true, value: t };
}
