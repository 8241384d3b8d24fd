/**
 * Re-records the built-in regression traces in `traces/regressions/` from the current model:
 * `npx tsx traces/recordRegressions.ts [--force]`. Run it when the model changed on purpose and a replay
 * reports `diverges`; without `--force` existing files are kept.
 */
import { join } from 'node:path';
import { check, checkLiveness } from '../checker/index.js';
import type { ConfigInput } from '../model/index.js';
import { builtinRule, catalogEntry, kafkaModel, resolveConfig } from '../model/index.js';
import { KAFKA_LIVENESS_OPTIONS, propertyInfo } from '../properties/index.js';
import type { Expectation, Trace } from './Trace.js';
import { buildTrace, regressionsDir } from './Trace.js';
import { saveTrace } from './io.js';

interface Recipe {
  readonly name: string;
  /** Property id (default no-data-loss); an `eventually` property is decided by checkLiveness. */
  readonly property?: string;
  readonly config: ConfigInput;
  readonly why: string;
  /** Replay the recorded path under this config instead (a bug the config's mechanism fixes). */
  readonly replayWith?: ConfigInput;
  readonly expectation: Expectation;
}

const SMALL = { bounds: { records: 2, leaderEpochs: 3 }, faults: { networkPartitions: 0, crashes: 2 } } as const;

/** The exposing config of a known-bug catalog entry. */
function catalogConfig(id: string): ConfigInput {
  const e = catalogEntry(id);
  if (!e) throw new Error(`no catalog entry ${id}`);
  return e.config;
}

export const RECIPES: readonly Recipe[] = [
  {
    name: 'acks1-leader-crash-data-loss',
    config: { acks: '1', bounds: { records: 1, leaderEpochs: 2 }, faults: { networkPartitions: 0 } },
    why: 'acks=1: the leader acknowledges before any follower has the record, then crashes',
    expectation: 'reproduces',
  },
  {
    name: 'unclean-election-data-loss',
    config: { uncleanLeaderElection: true, ...SMALL },
    why: 'unclean.leader.election.enable=true elects a replica outside the ISR that lacks acked records',
    expectation: 'reproduces',
  },
  {
    name: 'pre-kip-101-hw-truncation-data-loss',
    config: { truncation: 'high-watermark', ...SMALL },
    why: 'pre-KIP-101: a follower that learned the high watermark one fetch late truncates to it when it follows a new leader, then becomes leader',
    expectation: 'reproduces',
  },
  {
    name: 'never-rule-leaves-partition-offline',
    property: 'eventually-leader',
    config: {
      electionRule: 'never',
      bounds: { records: 0, leaderEpochs: 2 },
      faults: { networkPartitions: 0, crashes: 1 },
    },
    why: 'the broken `never` rule elects nobody: the partition stays offline forever (a lasso)',
    expectation: 'reproduces',
  },
  {
    name: 'pre-kip-101-replica-divergence',
    property: 'log-matching',
    config: catalogConfig('kip-101-divergence'),
    why: 'pre-KIP-101: after both replicas lose power, the one that kept a flushed record truncates to its high watermark and keeps it under the new leader',
    expectation: 'reproduces',
  },
  {
    name: 'controller-leader-power-loss-data-loss',
    config: catalogConfig('controller-leader-power-loss'),
    why: 'ZooKeeper mode: the controller and leader loses power, wins the controller election again and leads in the same leader epoch without the acknowledged record',
    expectation: 'reproduces',
  },
  {
    name: 'kip-279-fast-failover',
    property: 'log-consistency',
    config: catalogConfig('kip-279-fast-failover'),
    why: 'KIP-101 without KIP-279: a follower holding an epoch its new leader never had truncates to the offset the leader answers and keeps a record the leader overwrote',
    expectation: 'reproduces',
  },
  {
    name: 'kip-320-zombie-follower',
    property: 'log-consistency',
    config: catalogConfig('kip-320-zombie-follower'),
    why: 'pre-KIP-320: a follower that missed leader epochs fetches from a zombie leader and truncates a committed record away while it stays in the ISR (KAFKA-6880)',
    expectation: 'reproduces',
  },
  {
    name: 'kafka-7128-lagging-hw',
    property: 'log-consistency',
    config: catalogConfig('kafka-7128-lagging-hw'),
    why: 'KAFKA-7128: a partial fetch at a new leader’s lagging high watermark puts a follower that lacks a committed record into the ISR',
    expectation: 'reproduces',
  },
  {
    name: 'kraft-split-brain',
    property: 'single-controller',
    config: catalogConfig('kraft-split-brain'),
    why: 'KAFKA-15489: without check quorum a quorum leader cut off from the other voters keeps serving the broker beside it after the new controller fenced that broker',
    expectation: 'reproduces',
  },
  {
    name: 'kafka-19522-fenced-last-known-leader',
    property: 'leader-active',
    config: catalogConfig('kafka-19522-fenced-last-known-leader'),
    why: 'KAFKA-19522: Kafka ≤ 4.0 with ELR elects the last known leader while its new registration is still fenced',
    expectation: 'reproduces',
  },
  {
    name: 'kip-101-fixes-hw-truncation-data-loss',
    config: { truncation: 'high-watermark', ...SMALL },
    replayWith: { truncation: 'leader-epoch', ...SMALL },
    why: 'the pre-KIP-101 behaviour replayed with leader-epoch truncation (KIP-101): the record survives',
    expectation: 'fixed',
  },
];

/** Finds the recipe's shortest counterexample and builds its trace. */
export function recordRecipe(r: Recipe): Trace {
  const config = resolveConfig(r.config);
  const rule = builtinRule(config.electionRule);
  if (!rule) throw new Error(`unknown rule ${config.electionRule}`);
  const model = kafkaModel(config, rule);
  const info = propertyInfo(r.property ?? 'no-data-loss');
  if (!info) throw new Error(`unknown property ${r.property}`);
  const property = info.build(config);
  const liveness = property.kind === 'eventually';
  const result = liveness ? checkLiveness(model, [property], KAFKA_LIVENESS_OPTIONS) : check(model, [property]);
  if (result.kind !== 'violation') throw new Error(`${r.name}: expected a ${info.id} violation, got ${result.kind}`);
  const built = buildTrace({
    model,
    config,
    rule: { name: rule.name },
    outcome: result.violation,
    property,
    strategy: liveness ? 'liveness' : 'bfs',
    commandLine: ['npx', 'tsx', 'traces/recordRegressions.ts', r.name],
    expectation: r.expectation,
  });
  if (!built.ok) throw new Error(built.error);
  // A fixed bug: the behaviour recorded under the old config, to be replayed under the one that fixes it.
  if (!r.replayWith) return built.value;
  return {
    ...built.value,
    config: resolveConfig(r.replayWith),
    warnings: [`recorded with ${JSON.stringify(r.config)}, pinned with ${JSON.stringify(r.replayWith)}: ${r.why}`],
  };
}

async function main(): Promise<void> {
  const force = process.argv.includes('--force');
  const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  for (const r of RECIPES) {
    if (only.length && !only.includes(r.name)) continue;
    const trace = recordRecipe(r);
    const saved = saveTrace(join(regressionsDir(), `${r.name}.trace.json`), trace, { overwrite: force });
    console.log(saved.ok ? `wrote ${saved.value} (${trace.steps.length} steps): ${r.why}` : saved.error);
  }
}

if (process.argv[1]?.endsWith('recordRegressions.ts')) await main();
