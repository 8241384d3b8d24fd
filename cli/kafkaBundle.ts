import type { Property } from '../checker/index.js';
import {
  RuleError,
  formatState,
  kafkaModel,
  type ClusterState,
  type ElectionRule,
  type KafkaModel,
  type ModelConfig,
} from '../model/index.js';
import { loadRuleSync, locate, type LoadedRule } from './loadRule.js';
import { selectProperties } from './propertyCatalog.js';

/** Everything needed to rebuild a run's model in another thread: plain, structured-cloneable data. */
export interface RunSpec {
  readonly config: ModelConfig;
  /** The rule as `--rule` names it: a built-in name or an absolute file path. */
  readonly rule: string;
  /** Property ids to check (empty: the defaults). */
  readonly properties: readonly string[];
  readonly cwd: string;
}

/** The model and properties of a run. */
export interface RunBundle {
  readonly model: KafkaModel;
  readonly properties: readonly Property<ClusterState>[];
}

/**
 * Builds a run's model (with a rule guarded so that its misbehaviour is reported as a `RuleError` naming
 * the rule and the state) and its properties. Synchronous: it is the `ModelSpec` factory of the parallel
 * engine's workers.
 */
export function kafkaBundle(spec: RunSpec): RunBundle {
  return buildBundle(spec.config, loadRuleSync(spec.rule, spec.cwd), spec.properties, spec.cwd);
}

/** `kafkaBundle` for a rule already loaded. */
export function buildBundle(
  config: ModelConfig,
  loaded: LoadedRule,
  properties: readonly string[],
  cwd: string,
): RunBundle {
  const file = 'path' in loaded.ref ? loaded.ref.path : undefined;
  const origin: RunSpec = { config, rule: file ?? loaded.ref.name, properties, cwd };
  return {
    model: {
      ...guardedModel(config, guardedRule(loaded.rule, file, cwd)),
      origin: { module: import.meta.url, export: 'kafkaBundle', arg: origin },
    },
    properties: selectProperties(properties, config),
  };
}

/** Wraps `eligibleLeaders` so that a throwing rule becomes a `RuleError` with the user's file:line. */
export function guardedRule(rule: ElectionRule, file: string | undefined, cwd: string): ElectionRule {
  return {
    ...rule,
    eligibleLeaders(view) {
      try {
        return rule.eligibleLeaders(view);
      } catch (e) {
        if (e instanceof RuleError) throw e;
        const err = e instanceof Error ? e : new Error(String(e));
        const where = file ? locate(err, file, file.startsWith(cwd) ? file.slice(cwd.length + 1) : file) : undefined;
        throw new RuleError(
          `election rule "${rule.name}" threw in eligibleLeaders(${JSON.stringify(view)}): ${err.message}${where ? ` (at ${where})` : ''}`,
        );
      }
    },
  };
}

/** A RuleError that already names the state it happened in. */
class StatefulRuleError extends RuleError {}

/** The Kafka model whose rule errors name the state in which the rule was asked. */
export function guardedModel(config: ModelConfig, rule: ElectionRule): KafkaModel {
  const model = kafkaModel(config, rule);
  const named = (e: unknown, s: ClusterState): unknown =>
    e instanceof RuleError && !(e instanceof StatefulRuleError)
      ? new StatefulRuleError(`${e.message}\nin state:\n${indent(formatState(s, config), '  ')}`)
      : e;
  return {
    ...model,
    actions(s) {
      try {
        return model.actions(s);
      } catch (e) {
        throw named(e, s);
      }
    },
    actionsCut(s, cut) {
      try {
        return (model.actionsCut as NonNullable<KafkaModel['actionsCut']>)(s, cut);
      } catch (e) {
        throw named(e, s);
      }
    },
    next(s, a) {
      try {
        return model.next(s, a);
      } catch (e) {
        throw named(e, s);
      }
    },
  };
}

/** Indents every line of `text`. */
export function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((l) => (l ? by + l : l))
    .join('\n');
}
