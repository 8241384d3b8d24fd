import type { Fairness, Property } from '../checker/index.js';
import { replayPath } from '../checker/index.js';
import type { Action, ClusterState, ConfigInput, ElectionRule, KafkaModel, ModelConfig } from '../model/index.js';
import { actionFamily, kafkaModel, resolveConfig, validateConfig } from '../model/index.js';
import * as PROPERTIES from '../properties/index.js';
import { propertyCatalog } from '../properties/index.js';
import { compactJson } from './canonicalJson.js';
import type { Json } from './diff.js';
import { diffJson, jsonEqual } from './diff.js';
import type { Expectation, RuleRef, Trace } from './Trace.js';
import { asJson, traceStates } from './Trace.js';
import { valueText } from './renderTrace.js';

/** Where a rebuilt behaviour first departs from the recorded one. */
export interface Divergence {
  /** 0 = the initial state; k ≥ 1 = step k. */
  readonly step: number;
  /** What differs: `action`, `path` (the path no longer replays), or a state field like `brokers[1].replicas[0].hw`. */
  readonly field: string;
  /** The recorded value (for a state field: after step `step`), as text. */
  readonly recorded: string;
  /** The rebuilt value, as text. */
  readonly rebuilt: string;
}

/** Whether the trace's property fails at the end of the rebuilt behaviour. */
export type PropertyAtEnd = 'violated' | 'holds' | 'unknown';

/**
 * The verdict of a replay:
 * - `reproduces`: the same actions lead through the same states to the same violation (or example).
 * - `no-longer-reproduces`: the same actions replay, but the property now holds at the end: the bug is
 *   fixed. `firstDifference` says where the current model first departs from the recording.
 * - `diverges`: the current model no longer follows the recording (an action index now names another
 *   action or none, or a state differs) while the property still fails (or cannot be judged): the model
 *   changed, re-record the trace.
 * - `error`: the replay could not start (unknown rule or property, invalid config).
 * `notes` lists harmless differences (reworded action texts, state fields the trace does not know).
 */
export type ReplayReport =
  | {
      readonly kind: 'reproduces';
      readonly steps: number;
      readonly detail: string;
      readonly notes: readonly string[];
    }
  | {
      readonly kind: 'no-longer-reproduces';
      readonly steps: number;
      readonly detail: string;
      readonly firstDifference?: Divergence;
      readonly notes: readonly string[];
    }
  | {
      readonly kind: 'diverges';
      readonly divergence: Divergence;
      readonly propertyAtEnd: PropertyAtEnd;
      readonly detail: string;
      readonly notes: readonly string[];
    }
  | { readonly kind: 'error'; readonly message: string };

/** Turns a trace's rule reference into a rule (the CLI loads user rule files and checks their hash). */
export type RuleResolver = (ref: RuleRef) => Promise<ElectionRule> | ElectionRule;

export interface ReplayOptions {
  /** Properties to look the trace's property up in, by id (default: `knownProperties(config)`). */
  readonly properties?: readonly Property<ClusterState>[];
}

function isProperty(v: unknown): v is Property<ClusterState> {
  if (typeof v !== 'object' || v === null) return false;
  const p = v as Record<string, unknown>;
  return typeof p['id'] === 'string' && typeof p['holds'] === 'function' && typeof p['kind'] === 'string';
}

/**
 * Every property kafka-mc knows, built for `config`: the property catalog (properties that read the
 * config are built with it), then any other property object `properties/` exports; sorted by id.
 */
export function knownProperties(config: ModelConfig): readonly Property<ClusterState>[] {
  const byId = new Map<string, Property<ClusterState>>();
  for (const info of propertyCatalog) byId.set(info.id, info.build(config));
  for (const v of Object.values(PROPERTIES as Record<string, unknown>)) {
    if (isProperty(v) && byId.has(v.id)) continue;
    if (isProperty(v)) byId.set(v.id, v);
    else if (Array.isArray(v)) for (const x of v as unknown[]) if (isProperty(x) && !byId.has(x.id)) byId.set(x.id, x);
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
}

const lastKey = (path: string): string => /([A-Za-z_$][A-Za-z0-9_$]*)(?:\[\d+\])*$/.exec(path)?.[1] ?? path;

/** `rebuilt` restricted to the fields `recorded` has (fields added to the model since are ignored). */
function project(rebuilt: Json, recorded: Json, path: string, extra: string[]): Json {
  if (Array.isArray(rebuilt) && Array.isArray(recorded))
    return rebuilt.map((x, i) => (i < recorded.length ? project(x, recorded[i] as Json, `${path}[${i}]`, extra) : x));
  if (isObj(rebuilt) && isObj(recorded)) {
    const out: Record<string, Json> = {};
    for (const k of Object.keys(rebuilt)) {
      const r = recorded[k];
      if (r === undefined) {
        extra.push(path ? `${path}.${k}` : k);
        continue;
      }
      out[k] = project(rebuilt[k] as Json, r, path ? `${path}.${k}` : k, extra);
    }
    return out;
  }
  return rebuilt;
}
const isObj = (v: unknown): v is { readonly [k: string]: Json } =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The first field where two states differ, as a divergence at `step`. */
function stateDivergence(
  step: number,
  recorded: Json,
  rebuilt: Json,
  extra: string[],
  brokers: number,
): Divergence | undefined {
  const d = diffJson(recorded, project(rebuilt, recorded, '', extra))[0];
  if (!d) return undefined;
  const key = lastKey(d.path);
  return { step, field: d.path, recorded: valueText(d.old, key, brokers), rebuilt: valueText(d.new, key, brokers) };
}

/**
 * Rebuilds a trace's behaviour from its action path with the current model (same config, the rule the
 * resolver returns) and compares it with the recording step by step; then judges the property at the end
 * (for a lasso: that the cycle still closes, stays in states where the property's goal is false, and is
 * fair). Pure apart from the resolver.
 */
export async function replayTrace(
  trace: Trace,
  resolveRule: RuleResolver,
  opts: ReplayOptions = {},
): Promise<ReplayReport> {
  let rule: ElectionRule;
  try {
    rule = await resolveRule(trace.rule);
  } catch (e) {
    return { kind: 'error', message: `cannot load election rule "${trace.rule.name}": ${(e as Error).message}` };
  }
  const notes: string[] = [];
  if (rule.name !== trace.rule.name)
    notes.push(`the trace names rule "${trace.rule.name}"; replayed with rule "${rule.name}"`);
  const config = resolveConfig(trace.config as ConfigInput);
  const valid = validateConfig(config);
  if (!valid.ok)
    return { kind: 'error', message: `the trace's config is not valid for this kafka-mc: ${valid.errors.join('; ')}` };
  const props = opts.properties ?? knownProperties(config);
  const property = props.find((p) => p.id === trace.property.id);
  if (!property)
    return {
      kind: 'error',
      message: `property "${trace.property.id}" is not known to this kafka-mc (known: ${props.map((p) => p.id).join(', ')}); it was renamed or removed`,
    };
  const recordedStates = traceStates(trace);
  if (!recordedStates.ok) return { kind: 'error', message: `the trace is inconsistent: ${recordedStates.error}` };
  const recorded = recordedStates.value;

  const model = kafkaModel(config, rule);
  const replayed = replayPath(model, trace.path);
  const { states, actions } = replayed.ok ? replayed.value : replayed.partial;

  // Compare step by step: initial state, then each action and the state it leads to.
  let first: Divergence | undefined;
  let actionsMatch = true;
  const extra: string[] = [];
  for (let k = 0; k < states.length && !first; k++) {
    if (k > 0) {
      const a = actions[k - 1] as Action;
      const st = trace.steps[k - 1];
      if (!st) break;
      if (compactJson(asJson(a)) !== compactJson(asJson(st.action))) {
        actionsMatch = false;
        first = {
          step: k,
          field: 'action',
          recorded: st.text,
          rebuilt: model.formatAction?.(a, states[k - 1] as ClusterState) ?? a.kind,
        };
        break;
      }
      const text = model.formatAction?.(a, states[k - 1] as ClusterState);
      if (text !== undefined && text !== st.text)
        notes.push(`step ${k}: the action is now worded "${text}" (recorded: "${st.text}")`);
    }
    first = stateDivergence(
      k,
      asJson(recorded[k] as ClusterState),
      asJson(states[k] as ClusterState),
      extra,
      config.brokers,
    );
  }
  if (extra.length)
    notes.push(
      `the current model has state fields this trace does not record (${[...new Set(extra.map((p) => p.replace(/\[\d+\]/g, '[]')))].slice(0, 5).join(', ')}); they are not compared`,
    );
  if (!replayed.ok) {
    const k = replayed.step;
    const st = trace.steps[k - 1];
    const divergence: Divergence = first ?? {
      step: k,
      field: 'path',
      recorded: st ? st.text : `initial state ${trace.path[0]}`,
      rebuilt: replayed.error,
    };
    return { kind: 'diverges', divergence, propertyAtEnd: 'unknown', detail: replayed.error, notes };
  }
  if (!actionsMatch && first)
    return {
      kind: 'diverges',
      divergence: first,
      propertyAtEnd: 'unknown',
      detail: `action index ${trace.path[first.step]} at step ${first.step} now names another action, so the rest of the path means something else`,
      notes,
    };

  const judged = judge(trace, property, states, actions, model);
  notes.push(...judged.notes);
  if (!judged.fails)
    return first
      ? { kind: 'no-longer-reproduces', steps: actions.length, detail: judged.detail, firstDifference: first, notes }
      : { kind: 'no-longer-reproduces', steps: actions.length, detail: judged.detail, notes };
  if (first)
    return {
      kind: 'diverges',
      divergence: first,
      propertyAtEnd: 'violated',
      detail: `the property still fails at the end (${judged.detail}), but along different states: re-record the trace`,
      notes,
    };
  return { kind: 'reproduces', steps: actions.length, detail: judged.detail, notes };
}

interface Judgement {
  /** The trace still shows what it recorded (a violation, or for `sometimes` an example). */
  readonly fails: boolean;
  readonly detail: string;
  readonly notes: readonly string[];
}

function judge(
  trace: Trace,
  p: Property<ClusterState>,
  states: readonly ClusterState[],
  actions: readonly Action[],
  model: KafkaModel,
): Judgement {
  const last = states[states.length - 1] as ClusterState;
  const explain = (s: ClusterState): string => p.explain?.(s) ?? `${p.id} is false`;
  if (p.kind === 'always') {
    const ok = p.holds(last);
    return { fails: !ok, detail: ok ? `${p.id} holds in the last state` : explain(last), notes: [] };
  }
  if (p.kind === 'sometimes') {
    const ok = p.holds(last);
    return {
      fails: ok,
      detail: ok ? `${p.id} is reached in the last state` : `${p.id} is no longer reached at the end of the path`,
      notes: [],
    };
  }
  // eventually: from the first trigger state on, the goal never holds along the prefix and the cycle.
  const n = states.length - 1;
  const trig = p.trigger ?? ((): boolean => true);
  let start = -1;
  for (let i = 0; i <= n; i++)
    if (trig(states[i] as ClusterState)) {
      start = i;
      break;
    }
  if (start < 0) return { fails: false, detail: `the trigger of ${p.id} is never reached`, notes: [] };
  for (let i = start; i <= n; i++)
    if (p.holds(states[i] as ClusterState))
      return { fails: false, detail: `${p.id} is reached at step ${i}`, notes: [] };
  const ls = trace.loopStart;
  if (ls === undefined)
    return {
      fails: true,
      detail: `${p.id} is not reached within the ${n} steps of this bounded run`,
      notes: ['the trace has no loop: it is a bounded liveness finding, not a proof of a lasso'],
    };
  if (!jsonEqual(asJson(states[ls] as ClusterState), asJson(last)))
    return { fails: false, detail: `the cycle no longer closes: the last state differs from state ${ls}`, notes: [] };
  const unfair = unfairFamily(p.fairness, states, actions, ls, model);
  if (unfair) return { fails: false, detail: `the cycle is no longer fair: ${unfair}`, notes: [] };
  return {
    fails: true,
    detail:
      ls === n
        ? `${explain(last)}; the behaviour stays forever in the state after step ${n}`
        : `${explain(last)}; along the cycle from step ${ls + 1} to step ${n}, repeated forever`,
    notes: [],
  };
}

/** Why the cycle `states[ls..n]` is unfair under `fairness`, or undefined if it is fair. */
function unfairFamily(
  fairness: Fairness | undefined,
  states: readonly ClusterState[],
  actions: readonly Action[],
  ls: number,
  model: KafkaModel,
): string | undefined {
  if (!fairness) return undefined;
  const n = states.length - 1;
  const cycle = ls === n ? [n] : Array.from({ length: n - ls }, (_, i) => ls + i);
  const taken = new Set(actions.slice(ls).map((a) => actionFamily(a) as string));
  const enabledIn = (i: number): Set<string> => {
    const s = states[i] as ClusterState;
    const out = new Set<string>();
    for (const a of model.actions(s)) {
      const t = model.next(s, a);
      if (t !== undefined && !jsonEqual(asJson(t), asJson(s))) out.add(actionFamily(a));
    }
    return out;
  };
  const en = cycle.map(enabledIn);
  const strong = new Set(fairness.strong);
  for (const f of fairness.strong)
    if (!taken.has(f) && en.some((e) => e.has(f)))
      return `strongly fair "${f}" is enabled on the cycle but never taken`;
  for (const f of fairness.weak)
    if (!strong.has(f) && !taken.has(f) && en.every((e) => e.has(f)))
      return `weakly fair "${f}" is enabled throughout the cycle but never taken`;
  return undefined;
}

/** Whether a replay report meets a trace's expectation (`reproduces` or `fixed`). */
export function meetsExpectation(report: ReplayReport, expectation: Expectation): boolean {
  return expectation === 'reproduces' ? report.kind === 'reproduces' : report.kind === 'no-longer-reproduces';
}

/** A one-paragraph account of a replay, for the CLI and test failures. */
export function describeReplay(report: ReplayReport): string {
  const notes =
    'notes' in report && report.notes.length ? `\nnotes:\n${report.notes.map((n) => `  - ${n}`).join('\n')}` : '';
  const at = (d: Divergence): string =>
    d.field === 'action'
      ? `step ${d.step}: the recorded action "${d.recorded}" is now "${d.rebuilt}"`
      : d.field === 'path'
        ? `step ${d.step}: ${d.rebuilt}`
        : `${d.step === 0 ? 'the initial state' : `step ${d.step}`}: ${d.field} was ${d.recorded}, is now ${d.rebuilt}`;
  switch (report.kind) {
    case 'reproduces':
      return `reproduces: all ${report.steps} steps replay as recorded; ${report.detail}${notes}`;
    case 'no-longer-reproduces':
      return `no longer reproduces: ${report.detail}${report.firstDifference ? `; the model first departs from the recording at ${at(report.firstDifference)}` : ''}${notes}`;
    case 'diverges':
      return `diverges at ${at(report.divergence)}; ${report.detail}${notes}`;
    case 'error':
      return `cannot replay: ${report.message}`;
  }
}
