import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Bounds, ConfigInput, FaultBudget, Mechanisms, Truncation } from '../model/index.js';

/** Parses a non-negative integer flag value. */
export function parseCount(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError('expected a non-negative integer.');
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`expected an integer up to ${Number.MAX_SAFE_INTEGER}.`);
  return n;
}

/** The largest seed: seeds are unsigned 32-bit integers (fast-check's and the fingerprint hash's). */
export const MAX_SEED = 4_294_967_295;

/** Parses `--seed`: an integer from 0 to 4294967295; anything else is refused, never reduced. */
export function parseSeed(value: string): number {
  const v = value.trim();
  if (!/^\d+$/.test(v) || Number(v) > MAX_SEED)
    throw new InvalidArgumentError(`expected an integer from 0 to ${MAX_SEED} (seeds are 32-bit).`);
  return Number(v);
}

/** Parses a positive integer flag value. */
export function parsePositive(value: string): number {
  const n = parseCount(value);
  if (n < 1) throw new InvalidArgumentError('expected a positive integer.');
  return n;
}

interface ScalarFlag {
  readonly flag: string;
  readonly key: 'brokers' | 'partitions' | 'replicationFactor' | 'minInsyncReplicas';
  readonly description: string;
}

const SHAPE: readonly ScalarFlag[] = [
  { flag: '--brokers <n>', key: 'brokers', description: 'number of brokers (2-5)' },
  { flag: '--partitions <n>', key: 'partitions', description: 'number of topic partitions (1-4)' },
  {
    flag: '--replication-factor <n>',
    key: 'replicationFactor',
    description: 'replicas per partition, assigned round-robin (1-5)',
  },
  { flag: '--min-isr <n>', key: 'minInsyncReplicas', description: 'min.insync.replicas' },
];

interface BudgetFlag {
  readonly flag: string;
  readonly key: keyof FaultBudget;
  readonly description: string;
}

/** Fault budgets: how many faults of each kind one behaviour may contain. */
export const FAULT_FLAGS: readonly BudgetFlag[] = [
  { flag: '--max-crashes', key: 'crashes', description: 'broker process crashes (the log survives)' },
  {
    flag: '--max-unclean-shutdowns',
    key: 'uncleanShutdowns',
    description: 'power losses (unflushed records are lost)',
  },
  { flag: '--max-partitions', key: 'networkPartitions', description: 'network partitions between brokers' },
  { flag: '--max-message-loss', key: 'messageLosses', description: 'controller requests lost in flight' },
  {
    flag: '--max-session-expiries',
    key: 'sessionExpiries',
    description: 'ZooKeeper session expiries of live brokers (zombies)',
  },
  {
    flag: '--max-controlled-shutdowns',
    key: 'controlledShutdowns',
    description: 'controlled shutdowns (controlled.shutdown.enable)',
  },
  {
    flag: '--max-preferred-elections',
    key: 'preferredElections',
    description: 'admin preferred-leader elections',
  },
  {
    flag: '--max-unclean-elections',
    key: 'uncleanElections',
    description: 'admin unclean elections (kafka-leader-election.sh --election-type UNCLEAN, KIP-460)',
  },
];

interface BoundFlag {
  readonly flag: string;
  readonly key: keyof Bounds;
  readonly description: string;
}

/** Bounds that keep the state space finite. */
export const BOUND_FLAGS: readonly BoundFlag[] = [
  { flag: '--max-records', key: 'records', description: 'records produced per partition' },
  { flag: '--max-leader-epochs', key: 'leaderEpochs', description: 'highest leader epoch a partition may reach' },
  {
    flag: '--max-partition-epochs',
    key: 'partitionEpochs',
    description: 'highest partition epoch (zkVersion): bounds ISR changes',
  },
  { flag: '--max-controller-epochs', key: 'controllerEpochs', description: 'highest controller epoch' },
  { flag: '--max-in-flight', key: 'inFlight', description: 'controller requests in flight at once' },
  { flag: '--max-raft-epochs', key: 'raftEpochs', description: 'highest Raft epoch of the controller quorum (KRaft)' },
  {
    flag: '--max-metadata-records',
    key: 'metadataRecords',
    description: "controller records in one voter's metadata log (KRaft)",
  },
];

interface MechanismFlag {
  /** Flag name without `--no-`. */
  readonly name: string;
  readonly key: keyof Mechanisms;
  readonly description: string;
}

/** Each safety mechanism's off-switch (`--no-<name>`; `--<name>` turns it back on over a preset). */
export const MECHANISM_FLAGS: readonly MechanismFlag[] = [
  {
    name: 'controller-epoch-fencing',
    key: 'controllerEpochFencing',
    description: 'zombie controllers are not fenced by the controller epoch (KAFKA-6082)',
  },
  {
    name: 'leader-epoch-fencing',
    key: 'leaderEpochFencing',
    description: 'brokers apply LeaderAndIsr even with a stale leader epoch',
  },
  {
    name: 'zk-version-check',
    key: 'zkVersionCheck',
    description: 'partition-state writes are not conditional on the zkVersion (KIP-497)',
  },
  {
    name: 'isr-only-election',
    key: 'isrOnlyElection',
    description: 'offline elections may choose any live replica, not only ISR members',
  },
  {
    name: 'fetch-epoch-fencing',
    key: 'fetchEpochFencing',
    description: 'fetches carry no leader epoch (pre-KIP-320)',
  },
  {
    name: 'strict-min-isr',
    key: 'strictMinIsr',
    description: 'the high watermark advances below min.insync.replicas (pre-KAFKA-15583)',
  },
  {
    name: 'isr-join-requires-current-epoch',
    key: 'isrJoinRequiresCurrentEpoch',
    description: 'a follower rejoins the ISR before reaching the current leader epoch (pre-KAFKA-7128)',
  },
  {
    name: 'raft-epoch-fencing',
    key: 'raftEpochFencing',
    description: 'KRaft voters keep following a quorum leader of an older Raft epoch (KIP-595)',
  },
  {
    name: 'up-to-date-vote-check',
    key: 'upToDateVoteCheck',
    description: 'KRaft voters vote for a candidate whose metadata log is behind theirs (KIP-595)',
  },
  {
    name: 'broker-epoch-check',
    key: 'brokerEpochCheck',
    description:
      'no broker epochs: ZooKeeper-mode control requests reach a restarted broker and bounces go unnoticed (pre-KIP-380); KRaft AlterPartition carries none (pre-KIP-903)',
  },
  {
    name: 'truncate-on-every-leader-epoch',
    key: 'truncateOnEveryLeaderEpoch',
    description: 'a follower truncates only when its leader changes, not on every new leader epoch (pre-KAFKA-7164)',
  },
  {
    name: 'offline-replicas-on-failover',
    key: 'offlineReplicasOnFailover',
    description: 'a new controller leaves replicas of dead brokers in the ISR (pre-KAFKA-3143)',
  },
  {
    name: 'async-alter-partition',
    key: 'asyncAlterPartition',
    description:
      'a leader writes its ISR expansion in the same step as the catching-up fetch, nothing pending (Kafka ≤ 2.6, before KIP-497)',
  },

  {
    name: 'heartbeat-fencing',
    key: 'heartbeatFencing',
    description: 'the KRaft controller never fences a broker whose heartbeats stopped',
  },
  {
    name: 'check-quorum',
    key: 'checkQuorum',
    description: 'a KRaft quorum leader cut off from the majority does not resign (KAFKA-15489)',
  },
  {
    name: 'last-known-leader-check',
    key: 'lastKnownLeaderCheck',
    description:
      'KRaft with ELR elects the last known leader even while it is fenced or unregistered (Kafka ≤ 4.0, KAFKA-19522)',
  },
];

/** Config keys (as `validateConfig` names them) → the flag that sets them, for error messages. */
export const FLAG_OF: Readonly<Record<string, string>> = {
  mode: '--mode',
  brokers: '--brokers',
  partitions: '--partitions',
  'replication factor': '--replication-factor',
  'min.insync.replicas': '--min-isr',
  acks: '--acks',
  truncation: '--truncation',
  backgroundFlush: '--background-flush',
  fetchMaxRecords: '--fetch-max-records',
  voters: '--voters',
  'brokers + voters': '--brokers / --voters',
  elr: '--elr',
  preVote: '--pre-vote',
  networkSplits: '--network-splits',
  splitZooKeeper: '--split-zookeeper',
  autoLeaderRebalance: '--auto-leader-rebalance',
  leaderImbalancePercentage: '--leader-imbalance-percentage',
  ...Object.fromEntries(FAULT_FLAGS.map((f) => [`faults.${f.key}`, f.flag])),
  ...Object.fromEntries(BOUND_FLAGS.map((f) => [`bounds.${f.key}`, f.flag])),
  ...Object.fromEntries(MECHANISM_FLAGS.map((f) => [`mechanisms.${f.key}`, `--no-${f.name}`])),
};

const MODEL = 'Model (named after Kafka settings):';
const FAULTS = 'Fault budgets (per behaviour):';
const BOUNDS = 'Bounds (keep the state space finite):';
const MECHS = 'Safety mechanisms (each on by default; --no-X turns it off, --X back on):';

/** Adds the model flags to a command (`check`, `fuzz`). */
export function addModelOptions(cmd: Command): Command {
  const options = [
    ...clusterOptions(),
    ...replicationOptions(),
    ...kraftAndNetworkOptions(),
    new Option(
      '--rule <name|file>',
      'election rule: a built-in name or a TypeScript file exporting an ElectionRule',
    ).helpGroup(MODEL),
    ...budgetOptions(),
  ];
  for (const option of options) cmd.addOption(option);
  return cmd;
}

/** Where the config comes from, the controller mode, the cluster's shape, acks and unclean election. */
function clusterOptions(): Option[] {
  return [
    new Option('--preset <name>', 'start from a Kafka version preset (see `kafka-mc list`)').helpGroup(MODEL),
    new Option('--config <file>', 'read the model config from a YAML or JSON file (flags override it)').helpGroup(
      MODEL,
    ),
    new Option('--mode <mode>', 'controller mode: ZooKeeper or KRaft').choices(['zk', 'kraft']).helpGroup(MODEL),
    ...SHAPE.map((f) => new Option(f.flag, f.description).argParser(parsePositive).helpGroup(MODEL)),
    new Option('--acks <acks>', 'producer acks').choices(['all', '1']).helpGroup(MODEL),
    new Option('--unclean-leader-election', 'unclean.leader.election.enable=true').helpGroup(MODEL),
    new Option('--no-unclean-leader-election').hideHelp(),
  ];
}

/** How followers truncate and fetch, and whether logs reach the disk in the background. */
function replicationOptions(): Option[] {
  return [
    new Option(
      '--truncation <how>',
      'follower truncation: to the high watermark (pre-KIP-101), by leader epoch in one round (KIP-101 without KIP-279), by leader epoch before fetching (KIP-279), or by the diverging epoch a fetch answers (Kafka 2.7+, the default)',
    )
      .choices(['hw', 'high-watermark', 'leader-epoch-offset', 'leader-epoch', 'diverging-epoch'])
      .helpGroup(MODEL),
    new Option(
      '--background-flush',
      'logs reach the disk in the background (flush steps), so replicas lose different suffixes on power loss',
    ).helpGroup(MODEL),
    new Option('--no-background-flush').hideHelp(),
    new Option(
      '--fetch-max-records <n>',
      'records one fetch response carries, the model’s replica.fetch.max.bytes (0: no limit, the default)',
    )
      .argParser(parseCount)
      .helpGroup(MODEL),
  ];
}

/** The KRaft quorum and its features, and the network splits a partition fault may make. */
function kraftAndNetworkOptions(): Option[] {
  return [
    new Option('--voters <n>', 'KRaft controller quorum size (KRaft mode)').argParser(parsePositive).helpGroup(MODEL),
    new Option('--elr', 'Eligible Leader Replicas, KIP-966 (KRaft mode)').helpGroup(MODEL),
    new Option('--no-elr').hideHelp(),
    new Option('--pre-vote', 'Raft pre-vote, KIP-996 (KRaft mode; on by default there)').helpGroup(MODEL),
    new Option('--no-pre-vote').hideHelp(),
    new Option('--network-splits <which>', 'which network splits a partition fault may make')
      .choices(['any', 'one-node'])
      .helpGroup(MODEL),
    new Option(
      '--split-zookeeper',
      'a network split also puts ZooKeeper on one side: brokers on the other lose their sessions (ZooKeeper mode)',
    ).helpGroup(MODEL),
    new Option('--no-split-zookeeper').hideHelp(),
    new Option(
      '--auto-leader-rebalance',
      'auto.leader.rebalance.enable: the controller moves leaders back to preferred replicas (Kafka: on; the model: off by default)',
    ).helpGroup(MODEL),
    new Option('--no-auto-leader-rebalance').hideHelp(),
    new Option(
      '--leader-imbalance-percentage <n>',
      'leader.imbalance.per.broker.percentage for the auto rebalance (ZooKeeper mode; default 10)',
    )
      .argParser(parseCount)
      .helpGroup(MODEL),
  ];
}

/** The fault budgets, the bounds, and a `--no-X` (and hidden `--X`) for each safety mechanism. */
function budgetOptions(): Option[] {
  return [
    ...FAULT_FLAGS.map((f) => new Option(`${f.flag} <n>`, f.description).argParser(parseCount).helpGroup(FAULTS)),
    ...BOUND_FLAGS.map((f) => new Option(`${f.flag} <n>`, f.description).argParser(parseCount).helpGroup(BOUNDS)),
    ...MECHANISM_FLAGS.flatMap((m) => [
      new Option(`--no-${m.name}`, m.description).helpGroup(MECHS),
      new Option(`--${m.name}`).hideHelp(),
    ]),
  ];
}

/** Model flags the user actually typed, as a partial config (flags the user did not give are absent). */
export interface ModelFlags {
  readonly preset?: string;
  readonly config?: string;
  readonly rule?: string;
  readonly input: ConfigInput;
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** Reads the model flags of a parsed command; only values given on the command line count. */
export function modelFlags(cmd: Command): ModelFlags {
  const opts = cmd.opts<Record<string, unknown>>();
  const given = (key: string): boolean => cmd.getOptionValueSource(key) === 'cli';
  const input: Writable<ConfigInput> = {};
  if (given('mode')) input.mode = opts['mode'] as 'zk' | 'kraft';
  for (const f of SHAPE) {
    const key = camel(f.flag.split(' ')[0] as string);
    if (given(key)) input[f.key] = opts[key] as number;
  }
  if (given('acks')) input.acks = opts['acks'] as 'all' | '1';
  if (given('uncleanLeaderElection')) input.uncleanLeaderElection = opts['uncleanLeaderElection'] as boolean;
  if (given('backgroundFlush')) input.backgroundFlush = opts['backgroundFlush'] as boolean;
  if (given('fetchMaxRecords')) input.fetchMaxRecords = opts['fetchMaxRecords'] as number;
  if (given('voters')) input.voters = opts['voters'] as number;
  if (given('elr')) input.elr = opts['elr'] as boolean;
  if (given('preVote')) input.preVote = opts['preVote'] as boolean;
  if (given('networkSplits')) input.networkSplits = opts['networkSplits'] as 'any' | 'one-node';
  if (given('splitZookeeper')) input.splitZooKeeper = opts['splitZookeeper'] as boolean;
  if (given('autoLeaderRebalance')) input.autoLeaderRebalance = opts['autoLeaderRebalance'] as boolean;
  if (given('leaderImbalancePercentage')) input.leaderImbalancePercentage = opts['leaderImbalancePercentage'] as number;
  if (given('truncation'))
    input.truncation = opts['truncation'] === 'hw' ? 'high-watermark' : (opts['truncation'] as Truncation);
  const faults: Partial<Writable<FaultBudget>> = {};
  for (const f of FAULT_FLAGS) {
    const key = camel(f.flag);
    if (given(key)) faults[f.key] = opts[key] as number;
  }
  if (Object.keys(faults).length) input.faults = faults;
  const bounds: Partial<Writable<Bounds>> = {};
  for (const f of BOUND_FLAGS) {
    const key = camel(f.flag);
    if (given(key)) bounds[f.key] = opts[key] as number;
  }
  if (Object.keys(bounds).length) input.bounds = bounds;
  const mechanisms: Partial<Writable<Mechanisms>> = {};
  for (const m of MECHANISM_FLAGS) {
    const key = camel(m.name);
    if (given(key)) mechanisms[m.key] = opts[key] as boolean;
  }
  if (Object.keys(mechanisms).length) input.mechanisms = mechanisms;
  return {
    ...(given('preset') ? { preset: opts['preset'] as string } : {}),
    ...(given('config') ? { config: opts['config'] as string } : {}),
    ...(given('rule') ? { rule: opts['rule'] as string } : {}),
    input,
  };
}

/** `--max-crashes` → `maxCrashes` (commander's attribute name). */
function camel(flag: string): string {
  return flag.replace(/^--/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
