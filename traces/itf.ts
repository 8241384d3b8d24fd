import { members } from '../model/index.js';
import type { Json } from './diff.js';
import type { Trace } from './Trace.js';
import { asJson, traceStates } from './Trace.js';

/**
 * Export to the Informal Trace Format (ITF, Apalache ADR-015), the JSON trace format Quint and Apalache
 * read, so a kafka-mc trace opens in their tools (e.g. to drive model-based tests).
 *
 * Mapping of `ClusterState` (faithful: every field, same names):
 * - integers → `{"#bigint": "…"}`; booleans and strings as they are;
 * - bitmask broker sets (`isr`, `live`, `split`) → `{"#set": [broker ids]}`;
 * - arrays indexed by broker or partition id (`brokers`, `replicas`, `partitions`, `brokerEpochs`,
 *   `followerLeo`, `produced`) → `{"#map": [[id, value], …]}` (TLA+/Quint functions over ids);
 * - other arrays (logs, in-flight requests, pending produces, acked records) → ITF lists (JSON arrays);
 * - nullable fields (a broker's `controller` context, a non-replica's `replicas` entry, the KRaft
 *   quorum state `kraft`, null in ZooKeeper mode) → Quint's
 *   `Option` variant: `{"tag": "Some", "value": …}` / `{"tag": "None", "value": {"#tup": []}}`;
 * - each state also carries Quint's model-based-testing variables: `mbt::actionTaken` (the action that
 *   led to it, camelCase, `init` for the first state) and `mbt::nondetPicks` (the action's parameters,
 *   each an Option, over the union of parameters used in the trace).
 * A lasso's `loopStart` becomes ITF's `loop`.
 */

export type ItfValue =
  | boolean
  | string
  | number
  | readonly ItfValue[]
  | { readonly '#bigint': string }
  | { readonly '#set': readonly ItfValue[] }
  | { readonly '#map': readonly (readonly [ItfValue, ItfValue])[] }
  | { readonly '#tup': readonly ItfValue[] }
  | { readonly tag: string; readonly value: ItfValue }
  | { readonly '#unserializable': string }
  | { readonly [field: string]: ItfValue };

export interface ItfState {
  readonly '#meta': { readonly index: number };
  readonly [variable: string]: ItfValue;
}

export interface ItfTrace {
  readonly '#meta': {
    readonly format: 'ITF';
    readonly 'format-description': string;
    readonly source: string;
    readonly description: string;
  };
  readonly vars: readonly string[];
  readonly states: readonly ItfState[];
  readonly loop?: number;
}

export const ACTION_TAKEN = 'mbt::actionTaken';
export const NONDET_PICKS = 'mbt::nondetPicks';

const MASK_KEYS = new Set(['isr', 'live', 'split']);
const INDEXED_KEYS = new Set(['brokers', 'replicas', 'partitions', 'brokerEpochs', 'followerLeo', 'produced']);

const bigint = (n: number): ItfValue => ({ '#bigint': String(n) });
const none: ItfValue = { tag: 'None', value: { '#tup': [] } };
const some = (v: ItfValue): ItfValue => ({ tag: 'Some', value: v });

/** A broker bitmask as an ITF set of ids (any of the 31 bits of a non-negative 32-bit mask). */
function maskSet(mask: number): ItfValue {
  return { '#set': members(mask, 31).map(bigint) };
}

/** One value of the model's state in ITF; `key` is the field it sits in, `nullable` when it may be null. */
function encode(v: Json, key: string, nullable: boolean): ItfValue {
  if (nullable) return v === null ? none : some(encode(v, key, false));
  if (v === null) return { '#unserializable': 'null' };
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) return { '#unserializable': String(v) };
    return MASK_KEYS.has(key) ? maskSet(v) : bigint(v);
  }
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (Array.isArray(v)) {
    const items = v.map((x) => encode(x, key, key === 'replicas'));
    return INDEXED_KEYS.has(key) ? { '#map': items.map((x, i) => [bigint(i), x] as const) } : items;
  }
  const rec: Record<string, ItfValue> = {};
  const o = v as { readonly [k: string]: Json };
  for (const k of Object.keys(o)) rec[k] = encode(o[k] as Json, k, k === 'controller' && typeof o[k] !== 'number');
  return rec;
}

const camel = (kind: string): string => kind.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** The trace in ITF: one state per step (the initial state first), with the action that led to it. */
export function toItf(trace: Trace): ItfTrace {
  const rebuilt = traceStates(trace);
  if (!rebuilt.ok) throw new Error(`cannot export a corrupted trace to ITF: ${rebuilt.error}`);
  const stateVars = Object.keys(trace.initialState);
  const picks = [...new Set(trace.steps.flatMap((s) => Object.keys(s.action).filter((k) => k !== 'kind')))].sort();
  const states: ItfState[] = rebuilt.value.map((s, i) => {
    const st = asJson(s) as { readonly [k: string]: Json };
    const action = i === 0 ? undefined : (trace.steps[i - 1]?.action as unknown as Record<string, Json> | undefined);
    const nondet: Record<string, ItfValue> = {};
    for (const p of picks) {
      const v = action?.[p];
      nondet[p] = v === undefined ? none : some(encode(v, p === 'message' ? 'message' : p, false));
    }
    const out: Record<string, ItfValue> = { '#meta': { index: i } as unknown as ItfValue };
    for (const k of stateVars) out[k] = encode(st[k] as Json, k, k === 'kraft');
    out[ACTION_TAKEN] = action ? camel(String(action['kind'])) : 'init';
    out[NONDET_PICKS] = nondet;
    return out as unknown as ItfState;
  });
  return {
    '#meta': {
      format: 'ITF',
      'format-description': 'https://apalache-mc.org/docs/adr/015adr-trace.html',
      source: `${trace.tool.name} ${trace.tool.version} (${trace.model}, rule ${trace.rule.name})`,
      description: `${trace.property.id} ${trace.status}: ${trace.property.title}. ${trace.detail}. Path ${trace.path.join('/')}`,
    },
    vars: [...stateVars, ACTION_TAKEN, NONDET_PICKS],
    states,
    ...(trace.loopStart !== undefined ? { loop: trace.loopStart } : {}),
  };
}
