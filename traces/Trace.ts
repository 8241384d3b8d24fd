import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Model, Property, PropertyOutcome } from '../checker/index.js';
import { replayPath } from '../checker/index.js';
import type { Action, ClusterState, ModelConfig } from '../model/index.js';
import type { Json, StateChange } from './diff.js';
import { applyChanges, diffJson } from './diff.js';

/**
 * A trace: one behaviour of the Kafka model that violates (or, for a `sometimes` property, exemplifies)
 * a property, written so that a person can read it and the tool can replay it.
 *
 * It is self-describing: besides the action path (the replay handle) it keeps the full resolved config,
 * the election rule, the initial state and each step's action and state changes, so it can be read,
 * rendered, exported and viewed without the model, and replay can tell exactly where a changed model
 * departs from it.
 */

/**
 * The trace file format's version. Bump it when a reader of the previous version would misread a new
 * file (a field renamed or its meaning changed); adding an optional field does not need a bump.
 */
export const TRACE_FORMAT_VERSION = 1;

/** How the behaviour was found. */
export type Strategy = 'bfs' | 'dfs' | 'simulation' | 'fuzz' | 'liveness';
export const STRATEGIES: readonly Strategy[] = ['bfs', 'dfs', 'simulation', 'fuzz', 'liveness'];

/**
 * What replaying the trace must show: `reproduces` (the property still fails along the path) or `fixed`
 * (the property now holds at the end: the bug this trace records has been fixed).
 */
export type Expectation = 'reproduces' | 'fixed';
export const EXPECTATIONS: readonly Expectation[] = ['reproduces', 'fixed'];

/** A built-in election rule, by name. */
export interface BuiltinRuleRef {
  readonly name: string;
}

/** A user's rule file: its path as given and the SHA-256 of its content when the trace was written. */
export interface FileRuleRef {
  readonly name: string;
  readonly path: string;
  readonly sha256: string;
}

export type RuleRef = BuiltinRuleRef | FileRuleRef;

/** Whether a rule reference names a user's file. */
export function isFileRuleRef(r: RuleRef): r is FileRuleRef {
  return 'path' in r && typeof r.path === 'string';
}

/** The property a trace is about (the property object itself is looked up by id on replay). */
export interface TraceProperty {
  readonly id: string;
  readonly title: string;
  readonly kind: 'always' | 'sometimes' | 'eventually';
}

/**
 * One step: the action taken (as data, and in Kafka's words) and what it changed.
 * Step `k` (1-based) takes state `k-1` to state `k`; `actionIndex` is `path[k]`.
 */
export interface TraceStep {
  readonly step: number;
  readonly actionIndex: number;
  readonly text: string;
  readonly action: Action;
  readonly changes: readonly StateChange[];
}

export interface Trace {
  readonly formatVersion: number;
  readonly tool: { readonly name: string; readonly version: string };
  /** The command that found it, as argv words (e.g. `['kafka-mc', 'check', '--acks', '1']`). */
  readonly commandLine: readonly string[];
  /** `Model.name`, e.g. `kafka-zk`. */
  readonly model: string;
  readonly property: TraceProperty;
  /** `violated`: a counterexample; `found`: an example of a `sometimes` property. */
  readonly status: 'violated' | 'found';
  readonly expectation: Expectation;
  readonly rule: RuleRef;
  readonly strategy: Strategy;
  readonly seed?: number;
  /** `[initIndex, actionIndex, …]`, as `checker/Path.ts`. */
  readonly path: readonly number[];
  /** For a lasso: the state index where the cycle starts (see `PropertyOutcome.loopStart`). */
  readonly loopStart?: number;
  /** The failing part of the property in the last state, e.g. which record is missing from which leader. */
  readonly detail: string;
  readonly warnings?: readonly string[];
  /** The full resolved config. */
  readonly config: ModelConfig;
  readonly initialState: ClusterState;
  readonly steps: readonly TraceStep[];
}

/**
 * A trace's own fields in the order a trace file lists them (what, then how, then the steps), for the
 * canonical key order and the schema's required fields; `OPTIONAL_TRACE_FIELDS` may be absent.
 */
export const TRACE_FIELDS: readonly (keyof Trace)[] = [
  'formatVersion',
  'tool',
  'commandLine',
  'model',
  'property',
  'status',
  'expectation',
  'rule',
  'strategy',
  'seed',
  'path',
  'loopStart',
  'detail',
  'warnings',
  'config',
  'initialState',
  'steps',
];
export const OPTIONAL_TRACE_FIELDS: readonly (keyof Trace)[] = ['seed', 'loopStart', 'warnings'];
/** A step's fields in file order, all required. */
export const TRACE_STEP_FIELDS: readonly (keyof TraceStep)[] = ['step', 'actionIndex', 'text', 'action', 'changes'];

/** Everything `buildTrace` needs, as the CLI has it right after a check. */
export interface BuildTraceInput {
  readonly model: Model<ClusterState, Action>;
  readonly config: ModelConfig;
  readonly rule: RuleRef;
  /** The outcome with a `path` (a counterexample or an example). */
  readonly outcome: PropertyOutcome;
  /** The property object, for its `explain` when the outcome carries no `detail`. */
  readonly property: Property<ClusterState>;
  readonly strategy: Strategy;
  readonly seed?: number;
  readonly commandLine: readonly string[];
  /** Default `reproduces`. */
  readonly expectation?: Expectation;
}

/** A result at the traces boundary. */
export type TraceResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

let cachedRoot: { readonly dir: string; readonly version: string } | undefined;

/** kafka-mc's package root and version, found by walking up from this file (works from dist/ too). */
function packageRoot(): { readonly dir: string; readonly version: string } {
  if (cachedRoot) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'kafka-mc' && typeof pkg.version === 'string')
        return (cachedRoot = { dir, version: pkg.version });
    } catch {
      // not here: keep walking up
    }
    dir = dirname(dir);
  }
  return (cachedRoot = { dir: process.cwd(), version: '0.0.0-unknown' });
}

/** kafka-mc's version, from its package.json. */
export function toolVersion(): string {
  return packageRoot().version;
}

/** kafka-mc's source folder of committed regression traces (`traces/regressions/` under the package root). */
export function regressionsDir(): string {
  return join(packageRoot().dir, 'traces', 'regressions');
}

/** A model value as JSON (ClusterState, Action and ModelConfig are plain data by design). */
export const asJson = (v: object): Json => v as unknown as Json;

/**
 * Builds a trace from a check's outcome: replays `outcome.path` on `model` and records each action, its
 * text and the state changes. Fails (with the reason) when the outcome has no path or the path does not
 * replay on this model.
 */
export function buildTrace(input: BuildTraceInput): TraceResult<Trace> {
  const { model, outcome, property } = input;
  if (outcome.path === undefined)
    return {
      ok: false,
      error: `property ${outcome.id} is ${outcome.status} and has no path: only a counterexample or an example becomes a trace`,
    };
  if (outcome.status !== 'violated' && outcome.status !== 'found')
    return {
      ok: false,
      error: `property ${outcome.id} is ${outcome.status}: only a counterexample or an example becomes a trace`,
    };
  const replayed = replayPath(model, outcome.path);
  if (!replayed.ok) return { ok: false, error: `cannot rebuild the path of ${outcome.id}: ${replayed.error}` };
  const { states, actions } = replayed.value;
  const init = states[0] as ClusterState;
  const last = states[states.length - 1] as ClusterState;
  const steps: TraceStep[] = actions.map((a, i) => {
    const before = states[i] as ClusterState;
    const after = states[i + 1] as ClusterState;
    return {
      step: i + 1,
      actionIndex: outcome.path?.[i + 1] as number,
      text: model.formatAction ? model.formatAction(a, before) : a.kind,
      action: a,
      changes: diffJson(asJson(before), asJson(after)),
    };
  });
  const detail = outcome.detail ?? property.explain?.(last) ?? defaultDetail(outcome);
  return {
    ok: true,
    value: {
      formatVersion: TRACE_FORMAT_VERSION,
      tool: { name: 'kafka-mc', version: toolVersion() },
      commandLine: [...input.commandLine],
      model: model.name,
      property: { id: outcome.id, title: outcome.title, kind: outcome.kind },
      status: outcome.status,
      expectation: input.expectation ?? 'reproduces',
      rule: input.rule,
      strategy: input.strategy,
      ...(input.seed !== undefined ? { seed: input.seed } : {}),
      path: [...outcome.path],
      ...(outcome.loopStart !== undefined ? { loopStart: outcome.loopStart } : {}),
      detail,
      ...(outcome.warnings?.length ? { warnings: [...outcome.warnings] } : {}),
      config: input.config,
      initialState: init,
      steps,
    },
  };
}

function defaultDetail(o: PropertyOutcome): string {
  if (o.status === 'found') return `${o.id} is satisfied in the last state (an example)`;
  return o.kind === 'eventually' ? `${o.id} never holds along the lasso` : `${o.id} is false in the last state`;
}

/**
 * Every state of a trace, rebuilt from the initial state and the recorded changes (no model needed):
 * `states[k]` is the state after step `k`. Fails when a change does not fit (a corrupted file).
 */
export function traceStates(trace: Trace): TraceResult<readonly ClusterState[]> {
  const out: ClusterState[] = [trace.initialState];
  let cur = asJson(trace.initialState);
  for (const st of trace.steps) {
    const r = applyChanges(cur, st.changes);
    if (!r.ok) return { ok: false, error: `step ${st.step}: ${r.error}` };
    cur = r.value;
    out.push(cur as unknown as ClusterState);
  }
  return { ok: true, value: out };
}
