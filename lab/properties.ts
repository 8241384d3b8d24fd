import type { Property } from '../checker/index.js';
import type { ClusterState, ModelConfig } from '../model/index.js';
import { propertyInfo, safetyProperties } from '../properties/index.js';

/** Finds a property by id for a config (properties that depend on the config are built from it). */
export type PropertyResolver = (id: string, cfg: ModelConfig) => Property<ClusterState> | undefined;

/** Resolves any id of the property catalog, built for the config. */
export const defaultResolver: PropertyResolver = (id, cfg) => propertyInfo(id)?.build(cfg);

/** The safety properties every lab run checks: the whole safety set that applies to the config. */
export function safetyFor(cfg: ModelConfig): readonly Property<ClusterState>[] {
  return safetyProperties(cfg);
}
