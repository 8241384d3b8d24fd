import { replayPath } from '../../checker/index.js';
import type { ClusterState, ModelConfig } from '../../model/index.js';
import { CATALOG, builtinRule, clean, kafkaModel, resolveConfig } from '../../model/index.js';
import { runCatalogEntry } from '../../lab/index.js';

/** A catalog entry's counterexample, reproduced and replayed: its config and its last state. */
export function counterexampleEnd(id: string): { readonly cfg: ModelConfig; readonly end: ClusterState } {
  const entry = CATALOG.find((e) => e.id === id);
  if (!entry) throw new Error(`no catalog entry ${id}`);
  const run = runCatalogEntry(entry);
  if (run.exposed.kind !== 'violation' || !run.exposed.violation.path) throw new Error(`${id} not reproduced`);
  const cfg = resolveConfig(entry.config);
  const replayed = replayPath(kafkaModel(cfg, builtinRule(cfg.electionRule) ?? clean), run.exposed.violation.path);
  if (!replayed.ok) throw new Error(replayed.error);
  return { cfg, end: replayed.value.states.at(-1) as ClusterState };
}
