import { replayPath, simulate } from '../../checker/index.js';
import type { ClusterState, ConfigInput, ModelConfig } from '../../model/index.js';
import { clean, kafkaModel, presetNamed, resolveConfig } from '../../model/index.js';

/**
 * Seeded random walks of a KRaft model with room for broker faults (fencing, re-registration,
 * controlled shutdown, preferred election), for the round-trip tests: every passing model path, exported,
 * must validate.
 */
export function kraftWalkConfig(preset: 'kafka-3.x-kraft' | 'kafka-4.x-kraft-elr'): ModelConfig {
  const base = presetNamed(preset)?.config as ConfigInput;
  return resolveConfig({
    ...base,
    voters: 1,
    bounds: { records: 1, leaderEpochs: 4, partitionEpochs: 6, metadataRecords: 8 },
    faults: {
      crashes: 2,
      uncleanShutdowns: 1,
      sessionExpiries: 1,
      controlledShutdowns: 1,
      preferredElections: 1,
      networkPartitions: 0,
    },
  });
}

/** The final state of each of `runs` walks (seeded; walk i is `new Rng(seed).fork(i)`). */
export function walkEnds(cfg: ModelConfig, seed: number, runs: number, depth = 80): ClusterState[] {
  const model = kafkaModel(cfg, clean);
  const paths: number[][] = [];
  simulate(model, [], { seed, runs, depth, onWalk: (p) => paths.push([...p]) });
  return paths.map((p) => {
    const r = replayPath(model, p);
    if (!r.ok) throw new Error(`walk does not replay: ${r.error}`);
    return r.value.states.at(-1) as ClusterState;
  });
}
