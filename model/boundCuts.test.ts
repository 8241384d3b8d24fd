/**
 * The Kafka model's bound cuts (`actionsCut`, issue 22) are exact at the level of "some bound": in a
 * state where it reports no cut, raising every bound by one enables no further action; where it reports
 * bounds, raising exactly those enables at least one. Checked on the states of seeded random walks in
 * both modes (each walk a fixed seed, so a failure names its state).
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../checker/index.js';
import { CUT_BOUNDS } from './transitions/common.js';
import { clean, kafkaModel, resolveConfig, type ClusterState, type ConfigInput, type ModelConfig } from './index.js';

/** `cfg` with the bounds of `mask` (bits in `CUT_BOUNDS` order) one higher. */
function relaxed(cfg: ModelConfig, mask: number): ModelConfig {
  const bounds = { ...cfg.bounds };
  CUT_BOUNDS.forEach((k, b) => {
    if (mask & (1 << b)) bounds[k] += 1;
  });
  return { ...cfg, bounds };
}

const CONFIGS: readonly [string, ConfigInput][] = [
  ['ZooKeeper default', {}],
  ['ZooKeeper, 1 record, leader epochs 2', { bounds: { records: 1, leaderEpochs: 2, partitionEpochs: 2 } }],
  ['KRaft default', { mode: 'kraft' }],
  ['KRaft, 1 voter, power loss', { mode: 'kraft', voters: 1, faults: { uncleanShutdowns: 1 } }],
  [
    'ZooKeeper, admin elections, controlled shutdown, auto rebalance',
    {
      autoLeaderRebalance: true,
      faults: { preferredElections: 1, uncleanElections: 1, controlledShutdowns: 1 },
      bounds: { records: 1, leaderEpochs: 2, partitionEpochs: 2 },
    },
  ],
  [
    'KRaft, admin elections, controlled shutdown, auto rebalance',
    {
      mode: 'kraft',
      voters: 1,
      autoLeaderRebalance: true,
      faults: { preferredElections: 1, uncleanElections: 1, controlledShutdowns: 1, sessionExpiries: 1 },
    },
  ],
];

describe('bound cuts are exact', () => {
  for (const [name, input] of CONFIGS)
    it(name, () => {
      const cfg = resolveConfig(input);
      const model = kafkaModel(cfg, clean);
      const all = CUT_BOUNDS.reduce((m, _, b) => m | (1 << b), 0);
      const cache = new Map<number, ReturnType<typeof kafkaModel>>();
      const relaxedModel = (mask: number): ReturnType<typeof kafkaModel> => {
        let m = cache.get(mask);
        if (!m) cache.set(mask, (m = kafkaModel(relaxed(cfg, mask), clean)));
        return m;
      };
      const seen = new Set<number>();
      const rng = new Rng(7);
      let checked = 0;
      for (let walk = 0; walk < 60; walk++) {
        let s: ClusterState = model.initStates()[0] as ClusterState;
        for (let step = 0; step < 40; step++) {
          const cut = { mask: 0 };
          const acts = model.actionsCut?.(s, cut) ?? [];
          expect(acts).toEqual(model.actions(s));
          const more = relaxedModel(cut.mask || all).actions(s).length;
          if (cut.mask === 0) expect(more, `walk ${walk} step ${step}: an uncounted cut`).toBe(acts.length);
          else expect(more, `walk ${walk} step ${step}: cut ${cut.mask} enables nothing`).toBeGreaterThan(acts.length);
          seen.add(cut.mask);
          checked++;
          if (!acts.length) break;
          s = model.next(s, acts[rng.below(acts.length)] as (typeof acts)[number]) ?? s;
        }
      }
      expect(checked).toBeGreaterThan(500);
      expect([...seen].some((m) => m !== 0)).toBe(true); // the walks do reach bounds
    });
});
