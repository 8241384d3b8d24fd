import type { Property } from '../checker/index.js';
import type { ClusterState, ModelConfig } from '../model/index.js';
import { SAFETY, GUARDS } from '../properties/index.js';

/** Finds a property by id for a config (properties that depend on the config are built from it). */
export type PropertyResolver = (id: string, cfg: ModelConfig) => Property<ClusterState> | undefined;

/** Resolves ids among the default safety properties and reachability guards. */
export const defaultResolver: PropertyResolver = (id) => [...SAFETY, ...GUARDS].find((p) => p.id === id);

/** The safety properties every lab run checks. */
export function safetyFor(_cfg: ModelConfig): readonly Property<ClusterState>[] {
  return SAFETY;
}
