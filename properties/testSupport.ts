import type { CheckOptions, PropertyOutcome } from '../checker/index.js';
import { check, formatPath, parsePath, replayPath } from '../checker/index.js';
import type { ClusterState, ConfigInput, KafkaModel, ModelConfig } from '../model/index.js';
import { builtinRule, kafkaModel, resolveConfig } from '../model/index.js';
import type { Property } from '../checker/index.js';

/**
 * Helpers shared by the property suites (`*.test.ts`); not part of the public API. Configs are written
 * as partial inputs, resolved from the defaults.
 */

/** A model for a partial config and a built-in rule name. */
export function modelFor(input: ConfigInput, rule = 'clean'): KafkaModel {
  const r = builtinRule(rule);
  if (!r) throw new Error(`unknown rule ${rule}`);
  return kafkaModel(resolveConfig(input), r);
}

/** The small default-ish config of the suites: 24,544 states, explored in about a second. */
export const SMALL: ConfigInput = { bounds: { records: 1, leaderEpochs: 2 }, faults: { networkPartitions: 0 } };

/** The outcome of one property in an exhaustive BFS run that stops at its first counterexample. */
export function firstCounterexample(
  m: KafkaModel,
  build: (cfg: ModelConfig) => Property<ClusterState>,
  options: CheckOptions = {},
): { readonly outcome: PropertyOutcome | undefined; readonly distinct: number } {
  const p = build(m.config);
  const r = check(m, [p], options);
  return { outcome: r.outcomes.find((o) => o.id === p.id), distinct: r.stats.distinct };
}

/** `[path, steps]` of an outcome, for compact exact assertions. */
export function pathOf(o: PropertyOutcome | undefined): string {
  return o?.path ? formatPath(o.path) : '';
}

/** The last state of a path written `0/3/1`. */
export function stateAfter(m: KafkaModel, path: string): ClusterState {
  const p = parsePath(path);
  if (!p.ok) throw new Error(p.error);
  const r = replayPath(m, p.value);
  if (!r.ok) throw new Error(r.error);
  const last = r.value.states[r.value.states.length - 1];
  if (!last) throw new Error('empty behaviour');
  return last;
}
