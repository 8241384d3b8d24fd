import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClusterState } from '../model/index.js';
import { loadTrace } from './io.js';
import type { ItfValue } from './itf.js';
import { ACTION_TAKEN, NONDET_PICKS, toItf } from './itf.js';
import type { Trace } from './Trace.js';
import { regressionsDir, traceStates } from './Trace.js';

const traces: Trace[] = readdirSync(regressionsDir())
  .filter((f) => f.endsWith('.trace.json'))
  .sort()
  .map((f) => {
    const l = loadTrace(join(regressionsDir(), f));
    if (!l.ok) throw new Error(l.error);
    return l.value;
  });

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * An ITF decoder written against the ITF encoding rules (not against toItf), to undo the mapping:
 * #bigint → number, #set of ids → bitmask, #map over ids → array, Option → value | null.
 */
function decode(v: unknown, key: string): unknown {
  if (Array.isArray(v)) return v.map((x) => decode(x, key));
  if (!isObj(v)) return v;
  if ('#bigint' in v) return Number(v['#bigint'] as string);
  if ('#set' in v) return (v['#set'] as unknown[]).reduce<number>((m, x) => m | (1 << (decode(x, key) as number)), 0);
  if ('#map' in v)
    return (v['#map'] as [unknown, unknown][])
      .map(([k, x]) => [decode(k, key) as number, decode(x, key)] as const)
      .sort((a, b) => a[0] - b[0])
      .map(([, x]) => x);
  if ('tag' in v && 'value' in v) return v['tag'] === 'None' ? null : decode(v['value'], key);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decode(x, k)]));
}

/** Every place a raw JSON number appears (outside #meta), which ITF readers would misread as a float. */
function rawNumbers(v: unknown, path: string, out: string[]): string[] {
  if (typeof v === 'number') out.push(path);
  else if (Array.isArray(v)) v.forEach((x, i) => rawNumbers(x, `${path}[${i}]`, out));
  else if (isObj(v)) for (const [k, x] of Object.entries(v)) if (k !== '#meta') rawNumbers(x, `${path}.${k}`, out);
  return out;
}

describe('toItf', () => {
  it.each(traces.map((t) => [t.path.join('/'), t] as const))('exports %s as valid ITF', (_, trace) => {
    const itf = toItf(trace);
    const text = JSON.stringify(itf);
    const back = JSON.parse(text) as typeof itf;
    expect(back['#meta'].format).toBe('ITF');
    expect(back.states).toHaveLength(trace.steps.length + 1);
    back.states.forEach((s, i) => expect(s['#meta'].index).toBe(i));
    expect(back.vars).toEqual([...Object.keys(trace.initialState), ACTION_TAKEN, NONDET_PICKS]);
    for (const s of back.states) expect(Object.keys(s).sort()).toEqual(['#meta', ...back.vars].sort());
    expect(rawNumbers(back.states, 'states', [])).toEqual([]);
    expect(back.states.map((s) => s[ACTION_TAKEN])).toEqual([
      'init',
      ...trace.steps.map((st) => st.action.kind.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase())),
    ]);
    // every state has the same nondet picks (a typed record), Some for the parameters of the action taken
    const keys = back.states.map((s) => Object.keys(s[NONDET_PICKS] as Record<string, ItfValue>).join(','));
    expect(new Set(keys).size).toBe(1);
    expect(back.loop).toBe(trace.loopStart);
  });

  it('maps ClusterState faithfully: decoding each ITF state gives the trace state back', () => {
    for (const trace of traces) {
      const states = traceStates(trace);
      if (!states.ok) throw new Error(states.error);
      const itf = toItf(trace);
      itf.states.forEach((s, i) => {
        const decoded = Object.fromEntries(
          Object.keys(trace.initialState).map((k) => [k, decode((s as Record<string, unknown>)[k], k)]),
        );
        expect(decoded).toEqual(states.value[i] as ClusterState);
      });
    }
  });

  it('writes broker sets as #set, id-indexed arrays as #map and a non-controller as None', () => {
    const itf = toItf(traces[0] as Trace);
    const s0 = itf.states[0] as unknown as {
      zk: { partitions: { '#map': [unknown, { isr: unknown }][] } };
      brokers: { '#map': [unknown, { controller: unknown }][] };
    };
    expect(s0.zk.partitions['#map'][0]?.[1].isr).toEqual({
      '#set': [{ '#bigint': '0' }, { '#bigint': '1' }, { '#bigint': '2' }],
    });
    expect(s0.brokers['#map'][1]?.[1].controller).toEqual({ tag: 'None', value: { '#tup': [] } });
    expect((s0.brokers['#map'][0]?.[1].controller as { tag: string }).tag).toBe('Some');
  });
});
