import type { Property } from '../checker/index.js';
import type { ClusterState, ModelConfig } from '../model/index.js';
import { propertyCatalog, propertyInfo, reachabilityGuards, safetyProperties } from '../properties/index.js';
import { UsageError } from './UsageError.js';
import { unknownName } from './suggest.js';

type KafkaProperty = Property<ClusterState>;

/** Every property id the catalog knows, in catalog order. */
export function allPropertyIds(): readonly string[] {
  return propertyCatalog.map((p) => p.id);
}

/**
 * The properties checked when `--property` is not given: every safety property and every reachability
 * guard whose event the config makes possible (properties/ decides which apply).
 */
export function defaultProperties(cfg: ModelConfig): readonly KafkaProperty[] {
  return [...safetyProperties(cfg), ...reachabilityGuards(cfg)];
}

/**
 * Resolves `--property` ids (in the order given, duplicates dropped), each built for `cfg`; an unknown
 * id is a usage error naming the nearest known one.
 */
export function selectProperties(ids: readonly string[], cfg: ModelConfig): readonly KafkaProperty[] {
  if (ids.length === 0) return defaultProperties(cfg);
  const problems: string[] = [];
  const out: KafkaProperty[] = [];
  for (const id of [...new Set(ids)]) {
    const info = propertyInfo(id);
    if (!info) problems.push(unknownName('property', id, allPropertyIds(), 'properties'));
    else out.push(info.build(cfg));
  }
  if (problems.length === 1) throw new UsageError(problems[0] as string);
  if (problems.length) throw new UsageError(`${problems.length} unknown properties`, problems);
  return out;
}
