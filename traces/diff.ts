/**
 * A structural diff of plain JSON-like values (ClusterState is plain objects and arrays by design), used
 * as the per-step state change of a trace and to rebuild every state from the initial one.
 *
 * Granularity, chosen for reading: objects are compared key by key and same-length arrays of objects index
 * by index; an array whose length changed, or that holds only primitives (`followerLeo`, `brokerEpochs`),
 * is one change (the whole array), and an array element that is a flat record (every field a primitive,
 * e.g. a log entry, a partition state or a LeaderAndIsr request) or a KRaft metadata record is compared
 * as a whole.
 * Paths are written `brokers[1].replicas[0].log`.
 */

/** A JSON value as stored in a trace. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/** One change between two states: `old` absent = the field was added; `new` absent = it was removed. */
export interface StateChange {
  readonly path: string;
  readonly old?: Json;
  readonly new?: Json;
}

const isRecord = (v: unknown): v is { readonly [key: string]: Json } =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const isComposite = (v: unknown): boolean => typeof v === 'object' && v !== null;

const isFlatRecord = (v: unknown): boolean =>
  isRecord(v) && Object.values(v).every((x) => x === null || typeof x !== 'object');

/** A KRaft metadata record (`MetadataRecord`) as it appears in a trace; it reads best replaced as a whole. */
export const isMetadataRecord = (v: unknown): v is { readonly [key: string]: Json } =>
  isRecord(v) && Object.keys(v).sort().join(',') === 'broker,brokerEpoch,epoch,kind,partitions';

const isAtomicElement = (v: unknown): boolean => isFlatRecord(v) || isMetadataRecord(v);

/** Deep equality of JSON values (key order ignored). */
export function jsonEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => jsonEqual(x, b[i] as Json));
  }
  if (isRecord(a)) {
    if (!isRecord(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return false;
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (IDENT.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

/** The changes that turn `a` into `b`, in canonical order (keys sorted, indices ascending). */
export function diffJson(a: Json, b: Json): StateChange[] {
  const out: StateChange[] = [];
  walk(a, b, '', false, out);
  return out;
}

function walk(a: Json, b: Json, path: string, atomic: boolean, out: StateChange[]): void {
  if (jsonEqual(a, b)) return;
  if (!atomic && Array.isArray(a) && Array.isArray(b) && a.length === b.length && [...a, ...b].some(isComposite)) {
    a.forEach((x, i) => walk(x, b[i] as Json, child(path, i), isAtomicElement(x) && isAtomicElement(b[i]), out));
    return;
  }
  if (!atomic && isRecord(a) && isRecord(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) {
      const x = a[k];
      const y = b[k];
      if (x === undefined && y !== undefined) out.push({ path: child(path, k), new: y });
      else if (x !== undefined && y === undefined) out.push({ path: child(path, k), old: x });
      else if (x !== undefined && y !== undefined) walk(x, y, child(path, k), false, out);
    }
    return;
  }
  out.push({ path: path === '' ? '$' : path, old: a, new: b });
}

/** Splits `brokers[1].replicas[0].log` into `['brokers', 1, 'replicas', 0, 'log']`; undefined if malformed. */
export function parseChangePath(path: string): (string | number)[] | undefined {
  if (path === '$') return [];
  const out: (string | number)[] = [];
  const re = /(?:^|\.)([A-Za-z_$][A-Za-z0-9_$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  let pos = 0;
  while (pos < path.length) {
    re.lastIndex = pos;
    const m = re.exec(path);
    if (!m || m.index !== pos || (pos === 0 && path.startsWith('.'))) return undefined;
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[3] !== undefined) out.push(JSON.parse(m[3]) as string);
    pos = re.lastIndex;
  }
  return out;
}

type Mutable = { [key: string]: unknown } | unknown[];

/**
 * Applies `changes` to a deep copy of `value` and returns the copy (the input is not touched).
 * Returns an error naming the first change that does not fit the value.
 */
export function applyChanges(
  value: Json,
  changes: readonly StateChange[],
): { readonly ok: true; readonly value: Json } | { readonly ok: false; readonly error: string } {
  let root = structuredClone(value) as unknown;
  for (const c of changes) {
    const keys = parseChangePath(c.path);
    if (!keys) return { ok: false, error: `malformed change path "${c.path}"` };
    if (keys.length === 0) {
      root = structuredClone(c.new ?? null);
      continue;
    }
    let node: unknown = root;
    for (const k of keys.slice(0, -1)) {
      node = typeof node === 'object' && node !== null ? (node as Record<string | number, unknown>)[k] : undefined;
      if (typeof node !== 'object' || node === null)
        return { ok: false, error: `change path "${c.path}" does not exist in the state` };
    }
    const last = keys[keys.length - 1] as string | number;
    const target = node as Mutable;
    if (c.new === undefined) {
      if (Array.isArray(target)) return { ok: false, error: `change "${c.path}" removes an array element` };
      delete (target as Record<string, unknown>)[last];
    } else (target as Record<string | number, unknown>)[last] = structuredClone(c.new);
  }
  return { ok: true, value: root as Json };
}
