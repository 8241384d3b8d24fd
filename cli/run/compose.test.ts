import { describe, expect, it } from 'vitest';
import { check } from '../../checker/index.js';
import type { ConfigInput } from '../../model/index.js';
import { builtinRule, kafkaModel, resolveConfig } from '../../model/index.js';
import { projectConfig } from '../../model/projection.js';
import { reachabilityGuards, safetyProperties } from '../../properties/index.js';
import { combinePartitions } from './compose.js';
import { presetConfig as pre } from '../../model/testing/engines.js';

/**
 * Per-partition checking against the unreduced search (issue 20): on every config of the corpus, each
 * safety property and guard gets the same status from both, and every violation the partitions find
 * replays in the full cluster as a violation (`combinePartitions` refuses one that does not). The configs
 * are small enough for the unreduced search (2 partitions of RF 2, or 3 on 2 brokers; 1 record, leader
 * epoch ≤ 1), and cover every ZooKeeper-mode fault, old presets and the violating settings.
 */

const BASE: ConfigInput = {
  partitions: 2,
  brokers: 3,
  replicationFactor: 2,
  minInsyncReplicas: 1,
  bounds: { records: 1, leaderEpochs: 1, partitionEpochs: 2 },
  faults: { crashes: 1, networkPartitions: 0 },
};

const CORPUS: Readonly<Record<string, ConfigInput>> = {
  base: {},
  b2: { brokers: 2 },
  acks1: { acks: '1' },
  unclean: { uncleanLeaderElection: true },
  minIsr2: { minInsyncReplicas: 2 },
  power: { faults: { crashes: 0, uncleanShutdowns: 1, networkPartitions: 0 } },
  powerFlush: { faults: { crashes: 0, uncleanShutdowns: 1, networkPartitions: 0 }, backgroundFlush: true },
  session: { faults: { crashes: 0, sessionExpiries: 1, networkPartitions: 0 } },
  loss: { faults: { crashes: 1, messageLosses: 1, networkPartitions: 0 } },
  net: { faults: { crashes: 0, networkPartitions: 1 } },
  ctrlShutdown: { faults: { crashes: 0, controlledShutdowns: 1, networkPartitions: 0 } },
  preferred: { faults: { crashes: 1, preferredElections: 1, networkPartitions: 0 } },
  adminUnclean: { faults: { crashes: 1, uncleanElections: 1, networkPartitions: 0 } },
  fetch1: { fetchMaxRecords: 1 },
  hwTrunc: { truncation: 'high-watermark' },
  k010: { ...pre('kafka-0.10') },
  k011: { ...pre('kafka-0.11') },
  k23: { ...pre('kafka-2.3-zk') },
  k2x: { ...pre('kafka-2.x-zk') },
  k39: { ...pre('kafka-3.9-zk') },
  k010power: { ...pre('kafka-0.10'), faults: { crashes: 0, uncleanShutdowns: 1, networkPartitions: 0 } },
  k010session: { ...pre('kafka-0.10'), faults: { crashes: 0, sessionExpiries: 1, networkPartitions: 0 } },
  p3b2: { partitions: 3, brokers: 2 },
  acks1power: { acks: '1', faults: { crashes: 0, uncleanShutdowns: 1, networkPartitions: 0 } },
  rec2: { bounds: { records: 2, leaderEpochs: 1, partitionEpochs: 2 } },
  le2: { bounds: { records: 1, leaderEpochs: 2, partitionEpochs: 2 } },
  assignSame: {
    assignment: [
      [0, 1],
      [0, 1],
    ],
  },
  assignDisjoint: {
    brokers: 4,
    assignment: [
      [0, 1],
      [2, 3],
    ],
  },
  crash2b2: { brokers: 2, faults: { crashes: 2, networkPartitions: 0 } },
  p3b2acks1: { partitions: 3, brokers: 2, acks: '1' },
  uncleanb2: { brokers: 2, uncleanLeaderElection: true },
  k010b2: { ...pre('kafka-0.10'), brokers: 2 },
};

/**
 * The KRaft corpus: 2 partitions of RF 2 on 2-3 brokers, one voter unless the quorum is the point, small
 * epoch and metadata-record bounds; the settings of the KRaft catalog entries (power loss before ELR,
 * KRaft 3.5's min ISR, votes without the log check, no check quorum) and every KRaft fault.
 */
const KRAFT_BASE: ConfigInput = {
  mode: 'kraft',
  voters: 1,
  partitions: 2,
  brokers: 3,
  replicationFactor: 2,
  minInsyncReplicas: 1,
  bounds: { records: 1, leaderEpochs: 1, partitionEpochs: 2, metadataRecords: 3 },
  faults: { crashes: 1, networkPartitions: 0 },
};

const KRAFT_CORPUS: Readonly<Record<string, ConfigInput>> = {
  base: {},
  b2: { brokers: 2 },
  elr: { elr: true },
  power: { faults: { crashes: 0, uncleanShutdowns: 1, networkPartitions: 0 } },
  powerElr: { elr: true, faults: { crashes: 0, uncleanShutdowns: 1, networkPartitions: 0 } },
  minIsr2b2: { brokers: 2, minInsyncReplicas: 2, faults: { crashes: 0, uncleanShutdowns: 1, networkPartitions: 0 } },
  minIsr2Strict: {
    brokers: 2,
    minInsyncReplicas: 2,
    elr: true,
    mechanisms: { strictMinIsr: true },
    faults: { crashes: 0, uncleanShutdowns: 1, networkPartitions: 0 },
  },
  session: { faults: { crashes: 0, sessionExpiries: 1, networkPartitions: 0 } },
  ctrlShutdown: { faults: { crashes: 0, controlledShutdowns: 1, networkPartitions: 0 } },
  preferred: { faults: { crashes: 1, preferredElections: 1, networkPartitions: 0 } },
  adminUnclean: { uncleanLeaderElection: true, faults: { crashes: 1, uncleanElections: 1, networkPartitions: 0 } },
  voters3: { voters: 3, bounds: { records: 0, leaderEpochs: 1, partitionEpochs: 2, metadataRecords: 3 } },
  votesNoLogCheck: {
    voters: 3,
    bounds: { records: 0, leaderEpochs: 1, partitionEpochs: 2, metadataRecords: 3 },
    faults: { crashes: 2, sessionExpiries: 1, networkPartitions: 0 },
    mechanisms: { upToDateVoteCheck: false },
  },
  noCheckQuorum: {
    voters: 3,
    networkSplits: 'any',
    bounds: { records: 0, leaderEpochs: 1, partitionEpochs: 2, metadataRecords: 3 },
    faults: { crashes: 0, networkPartitions: 1 },
    mechanisms: { checkQuorum: false },
  },
  noBrokerEpochCheck: {
    faults: { crashes: 0, uncleanShutdowns: 1, networkPartitions: 0 },
    mechanisms: { brokerEpochCheck: false },
  },
};

function resolved(over: ConfigInput, base: ConfigInput = BASE): ReturnType<typeof resolveConfig> {
  return resolveConfig({ ...base, ...over, bounds: { ...base.bounds, ...over.bounds } });
}

const propsOf = (cfg: ReturnType<typeof resolveConfig>) => [...safetyProperties(cfg), ...reachabilityGuards(cfg)];

/** What per-partition checking did on one config, next to the unreduced search. */
type Compared = 'smaller' | 'larger' | 'falls back';

/**
 * Checks cfg unreduced and per partition. A partition's trace that does not replay in the full cluster
 * makes `check` fall back to the unreduced search (so its verdict is the unreduced one by construction);
 * otherwise every property's status must agree. Returns how the state counts compare.
 */
function sameVerdicts(cfg: ReturnType<typeof resolveConfig>, seen: { violating: number; passing: number }): Compared {
  const rule = builtinRule('clean');
  if (!rule) throw new Error('no clean rule');
  const full = kafkaModel(cfg, rule);
  const unreduced = check(full, propsOf(cfg), { stopOnViolation: false });
  if (unreduced.outcomes.some((o) => o.status === 'violated')) seen.violating++;
  else seen.passing++;
  const runs = cfg.assignment.map((_, p) => {
    const model = kafkaModel(projectConfig(cfg, p), rule);
    return { model, result: check(model, propsOf(model.config), { stopOnViolation: false }) };
  });
  const composed = combinePartitions(full, propsOf(cfg), runs);
  if (typeof composed === 'string') return 'falls back';
  expect(composed.outcomes.map((o) => `${o.id}:${o.status}`)).toEqual(
    unreduced.outcomes.map((o) => `${o.id}:${o.status}`),
  );
  expect(composed.kind).toBe(unreduced.kind);
  return composed.stats.distinct < unreduced.stats.distinct ? 'smaller' : 'larger';
}

describe('per-partition checking gives the unreduced verdicts (corpus)', () => {
  const seen = { violating: 0, passing: 0 };
  for (const [name, over] of Object.entries(CORPUS))
    it(name, () => expect(sameVerdicts(resolved(over), seen)).toBe('smaller'));
  it('the corpus has at least 30 configs, violating and passing', () => {
    expect(Object.keys(CORPUS).length).toBeGreaterThanOrEqual(30);
    expect(seen.violating).toBeGreaterThanOrEqual(8);
    expect(seen.passing).toBeGreaterThanOrEqual(15);
  });
});

/**
 * Where KRaft per-partition checking is no win. The environment writes other partitions' records
 * whenever a controller has room (see `kraftEnvironment.ts`); on a 3-voter quorum with no records the
 * full cluster writes almost none, so each partition's cluster is larger than the full one. With the
 * up-to-date vote check off, partition 0's first counterexample uses a record the full cluster could not
 * have written then, and `check` falls back to the unreduced search.
 */
const KRAFT_NOT_SMALLER: Readonly<Record<string, Compared>> = {
  voters3: 'larger',
  votesNoLogCheck: 'falls back',
  noCheckQuorum: 'larger',
};

describe('per-partition checking gives the unreduced verdicts (KRaft corpus)', () => {
  const seen = { violating: 0, passing: 0 };
  for (const [name, over] of Object.entries(KRAFT_CORPUS))
    it(name, () => expect(sameVerdicts(resolved(over, KRAFT_BASE), seen)).toBe(KRAFT_NOT_SMALLER[name] ?? 'smaller'));
  it('the KRaft corpus has violating and passing configs', () => {
    expect(seen.violating).toBeGreaterThanOrEqual(4);
    expect(seen.passing).toBeGreaterThanOrEqual(6);
  });
});
