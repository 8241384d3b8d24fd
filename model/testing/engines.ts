import { fingerprintOf, replayPath, type CheckResult } from '../../checker/index.js';
import type { ConfigInput, FaultBudget, ModelConfig } from '../config.js';
import { presetNamed } from '../presets.js';
import type { ClusterState } from '../state.js';
import { kafkaModel, type KafkaModel } from '../kafkaModel.js';
import { encodeState } from '../encode.js';
import { clean } from '../election/index.js';

/**
 * Test support: walks the clone engine and the reference immer engine (frozen, so a mutation of an
 * input state throws) side by side, taking at each step the action with index `choice mod n` of the
 * `n` enabled ones. Throws when the engines list different numbers of actions, when one has a
 * successor and the other not, or when their successors' fingerprints differ; `onStep` sees every
 * successor of the fast engine (with its formatted action).
 */
export function walkBothEngines(
  cfg: ModelConfig,
  choices: readonly number[],
  onStep?: (s: ClusterState, action: string) => void,
): void {
  const fast = kafkaModel(cfg, clean);
  const ref = kafkaModel(cfg, clean, { engine: 'immer', freeze: true });
  let s = fast.initStates()[0] as ClusterState;
  let t = ref.initStates()[0] as ClusterState;
  for (const [i, c] of choices.entries()) {
    const acts = fast.actions(s);
    if (acts.length === 0) return;
    const refActs = ref.actions(t);
    if (refActs.length !== acts.length)
      throw new Error(`step ${i}: the clone engine lists ${acts.length} actions, immer ${refActs.length}`);
    const a = acts[c % acts.length];
    const b = refActs[c % acts.length];
    if (!a || !b) return;
    const text = fast.formatAction?.(a, s) ?? '';
    const n = fast.next(s, a);
    const m = ref.next(t, b);
    if ((n === undefined) !== (m === undefined))
      throw new Error(`step ${i} (${text}): only one engine has a successor`);
    if (n === undefined || m === undefined) continue;
    s = n;
    t = m;
    if (fingerprintOf(encodeState, s) !== fingerprintOf(encodeState, t))
      throw new Error(`step ${i} (${text}): the engines' successors differ`);
    onStep?.(s, text);
  }
}

/**
 * Test support: the counterexample of a violating check of `model`, replayed: its length in steps,
 * every action formatted, the failing property's detail and the last state. Throws when `result` is
 * not a violation with a path that replays.
 */
export function replayCounterexample(
  model: KafkaModel,
  result: CheckResult,
): { steps: number; text: string[]; detail: string; last: ClusterState } {
  if (result.kind !== 'violation') throw new Error(`expected a violation, got ${result.kind}`);
  const path = result.violation.path ?? [];
  const replay = replayPath(model, path);
  if (!replay.ok) throw new Error(replay.error);
  const text = replay.value.actions.map(
    (a, i) => model.formatAction?.(a, replay.value.states[i] as ClusterState) ?? '',
  );
  return {
    steps: path.length - 1,
    text,
    detail: result.violation.detail ?? '',
    last: replay.value.states.at(-1) as ClusterState,
  };
}

/** Test support: a budget of one of every fault kind, for configs that must reach every action kind. */
export const EVERY_FAULT_ONCE: FaultBudget = {
  crashes: 1,
  uncleanShutdowns: 1,
  networkPartitions: 1,
  messageLosses: 1,
  sessionExpiries: 1,
  controlledShutdowns: 1,
  preferredElections: 1,
  uncleanElections: 1,
};

/** Test support: the partial config of the preset `name` (throws for an unknown name). */
export function presetConfig(name: string): ConfigInput {
  const p = presetNamed(name);
  if (!p) throw new Error(`no preset ${name}`);
  return p.config;
}
