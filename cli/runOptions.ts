import { InvalidArgumentError, Option, type Command } from 'commander';
import { parseCount, parsePositive, parseSeed } from './modelFlags.js';
import { growableBounds } from './boundCuts.js';
import { parseDuration } from './format.js';
import { BITSTATE_MAX_HASHES, bitstateProblem } from '../checker/index.js';

const RUN = 'Run options:';
const CHECKPOINTS = 'Checkpoints (parallel engine):';
const OUTPUT = 'Output:';

/** Parses `--time-limit` ("30s", "5m", "1h", "90"). */
export function parseTimeLimit(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0)
    throw new InvalidArgumentError('expected a duration such as 30s, 5m, 1h30m or 90 (seconds).');
  return ms;
}

function collect(value: string, previous: readonly string[] | undefined): string[] {
  return [
    ...(previous ?? []),
    ...value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}

/** Flags shared by `check` and `fuzz`: what to check, limits, where traces go, output format. */
export function addRunOptions(cmd: Command, kind: 'check' | 'fuzz'): Command {
  const options = [
    new Option('--property <id>', 'check only this property (repeatable; default: every safety property and guard)')
      .argParser(collect)
      .helpGroup(RUN),
    ...(kind === 'check' ? [...checkOptions(), ...checkpointOptions()] : fuzzOptions()),
    new Option('--time-limit <duration>', 'stop after this long, e.g. 30s, 5m')
      .argParser(parseTimeLimit)
      .helpGroup(RUN),
    ...outputOptions(),
  ];
  for (const option of options) cmd.addOption(option);
  return cmd;
}

/** `check`'s search options: strategy, bounds, workers, hash seed, spilling, swarm shards. */
function checkOptions(): Option[] {
  return [
    new Option('--dfs', 'depth-first search (default breadth-first: shortest counterexamples)').helpGroup(RUN),
    new Option(
      '--grow-bounds [bounds]',
      'when the run passes only within bounds that cut it, raise each cutting model bound by one (or only those listed, e.g. max-metadata-records,max-records) and check again, until the verdict changes, nothing is cut, a bound reaches its maximum or --time-limit (for all rounds) runs out; prints every round',
    )
      .argParser(parseBoundList)
      .helpGroup(RUN),
    new Option('--max-depth <n>', 'do not expand states deeper than n steps').argParser(parseCount).helpGroup(RUN),
    new Option('--max-states <n>', 'stop after n distinct states').argParser(parsePositive).helpGroup(RUN),
    new Option('--workers <n>', 'worker threads for the parallel breadth-first engine (default 1)')
      .argParser(parsePositive)
      .helpGroup(RUN),
    new Option('--seed <n>', 'seed of the state fingerprint hash (0 to 4294967295)')
      .argParser(parseSeed)
      .helpGroup(RUN),
    new Option(
      '--spill-dir <dir>',
      'keep the breadth-first frontier (and the counterexample trace) mostly in temporary files under dir, for runs whose frontier does not fit in memory; removed when the run ends',
    ).helpGroup(RUN),
    new Option('--swarm <i/n>', 'run shard i of an n-shard swarm (bounded DFS, own action order and hash seed)')
      .argParser(parseShard)
      .helpGroup(RUN),
    new Option(
      '--bitstate <size>',
      "bitstate hashing (Spin's supertrace) for configs beyond exhaustive reach: the visited set is a bit array of this size (bytes with a unit, e.g. 64MiB or 512MiB, or bits as 2^N; 1KiB to 4GiB); states may be missed, so a run without a violation is never a pass (exit 3) and reports its estimated coverage; violations found are real",
    )
      .argParser(parseBitstateSize)
      .helpGroup(RUN),
    new Option('--bitstate-hashes <k>', `bits set per state with --bitstate (1 to ${BITSTATE_MAX_HASHES}, default 3)`)
      .argParser(parseBitstateHashes)
      .helpGroup(RUN),
    new Option(
      '--no-por',
      "turn partial-order reduction off (on by default where the model declares steps independent: ZooKeeper mode with two brokers leaves network splits out; the JSON's stats.reduction says what it did, or why not)",
    ).helpGroup(RUN),
    new Option(
      '--no-compose',
      'Several partitions: check the whole cluster in one search instead of one partition at a time with the others as its environment (the default; safety properties only)',
    ).helpGroup(RUN),
  ];
}

const BYTE_UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
};

/**
 * Parses `--bitstate`'s size into bits: bytes with a unit (`512MiB`, `1GiB`, `100MB`, `4096B`) or bits as
 * a power of two (`2^32`). A bare number is refused (bits or bytes?).
 */
export function parseBitstateSize(value: string): number {
  const v = value.trim();
  const usage = 'give bytes with a unit (e.g. 64MiB, 512MiB, 2GiB) or bits as a power of two (e.g. 2^32)';
  const pow = /^2\^(\d+)$/.exec(v);
  const sized = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(v);
  let bits: number;
  if (pow) bits = 2 ** Number(pow[1]);
  else if (sized && BYTE_UNITS[(sized[2] as string).toLowerCase()] !== undefined) {
    const bytes = Number(sized[1]) * (BYTE_UNITS[(sized[2] as string).toLowerCase()] as number);
    if (!Number.isInteger(bytes))
      throw new InvalidArgumentError(`"${value}" is not a whole number of bytes; ${usage}.`);
    bits = bytes * 8;
  } else if (/^\d+$/.test(v)) throw new InvalidArgumentError(`"${value}" has no unit (bits or bytes?); ${usage}.`);
  else throw new InvalidArgumentError(`"${value}" is not a size; ${usage}.`);
  const problem = bitstateProblem(bits, 3);
  if (problem !== undefined) throw new InvalidArgumentError(`${problem}; ${usage}.`);
  return bits;
}

/** Parses `--bitstate-hashes` (1 to 32). */
export function parseBitstateHashes(value: string): number {
  const k = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  const problem = bitstateProblem(2 ** 13, k);
  if (problem !== undefined) throw new InvalidArgumentError(`${problem} (got "${value}").`);
  return k;
}

/** `check`'s checkpoint options: write checkpoints, how often, resume from one. */
function checkpointOptions(): Option[] {
  return [
    new Option(
      '--checkpoint <dir>',
      'write a checkpoint into dir (created if missing) at every BFS level, so that a killed run can be continued with --resume dir; runs the parallel engine, even with --workers 1 (breadth-first, safety properties and guards only)',
    ).helpGroup(CHECKPOINTS),
    new Option(
      '--checkpoint-every <duration>',
      'write checkpoints at most this often, e.g. 5m (default: at every BFS level)',
    )
      .argParser(parseTimeLimit)
      .helpGroup(CHECKPOINTS),
    new Option(
      '--resume <dir>',
      'continue the run checkpointed in dir to the same verdict and counts as an uninterrupted run; config, rule, properties, workers and depth bound come from the checkpoint; keeps checkpointing into dir',
    ).helpGroup(CHECKPOINTS),
  ];
}

/** `fuzz`'s options: runs, depth, seed, campaign shard. */
function fuzzOptions(): Option[] {
  return [
    new Option('--runs <n>', 'random runs (default 1000)').argParser(parsePositive).helpGroup(RUN),
    new Option('--depth <n>', 'fault intents per fast-check run (default 100)').argParser(parsePositive).helpGroup(RUN),
    new Option('--seed <n>', 'random seed, 0 to 4294967295 (default: a fresh one, printed)')
      .argParser(parseSeed)
      .helpGroup(RUN),
    new Option(
      '--shard <i/n>',
      "run shard i of n (0 <= i < n) of the campaign: the runs k with k mod n = i, each the same run as in the unsharded campaign of --seed (needs --seed); merge the shards' --json results with `kafka-mc merge`",
    )
      .argParser(parseFuzzShard)
      .helpGroup(RUN),
  ];
}

/** The output options of `check` and `fuzz`: trace directory, JSON, quiet, print the config. */
function outputOptions(): Option[] {
  return [
    new Option('--out-dir <dir>', 'where counterexample traces are written')
      .default('./kafka-mc-traces')
      .helpGroup(OUTPUT),
    new Option(
      '--save-examples',
      'also save every reached reachability guard (a failover, an ISR shrink, …) as a replayable example trace <guard>.example.trace.json in --out-dir (never overwriting)',
    ).helpGroup(OUTPUT),
    new Option('--json', 'print one JSON object (verdict, stats, outcomes, trace) on stdout').helpGroup(OUTPUT),
    new Option('--quiet', 'print only the one-line summary').helpGroup(OUTPUT),
    new Option('--print-config', 'print the effective config as YAML and exit').helpGroup(OUTPUT),
  ];
}

/** The run flags of a parsed `check` or `fuzz` command. */
export interface RunFlags {
  readonly property: readonly string[];
  readonly dfs: boolean;
  /** `check`: decide a multi-partition cluster one partition at a time (`--no-compose` turns it off). */
  readonly compose: boolean;
  /** `check`: partial-order reduction where the model allows it (`--no-por` turns it off). */
  readonly por: boolean;
  /**
   * `--grow-bounds [bounds]`: re-run with the cutting bounds raised until the verdict changes (see
   * `cli/run/grow.ts`); `true` for every bound, or the config keys of the bounds that may grow.
   */
  readonly growBounds: boolean | readonly string[];
  readonly maxDepth?: number;
  readonly maxStates?: number;
  readonly workers: number;
  /** `--spill-dir DIR` (as given). */
  readonly spillDir?: string;
  /** `--swarm i/n`: this run is shard i of n (0-based). */
  readonly swarm?: { readonly index: number; readonly count: number };
  /** `--bitstate SIZE`: the bit array's size in bits. */
  readonly bitstate?: number;
  /** `--bitstate-hashes k`. */
  readonly bitstateHashes?: number;
  /** `--checkpoint DIR` (as given). */
  readonly checkpoint?: string;
  /** `--checkpoint-every`: least time between checkpoints (0: every BFS level). */
  readonly checkpointEveryMs: number;
  /** `--resume DIR` (as given). */
  readonly resume?: string;
  /** `fuzz --shard i/n`: this campaign share is shard i of n (1-based). */
  readonly shard?: { readonly index: number; readonly count: number };
  readonly seed?: number;
  readonly runs: number;
  readonly depth: number;
  readonly timeLimitMs?: number;
  readonly outDir: string;
  /** `--save-examples`: save the reached guards' example traces into `outDir`. */
  readonly saveExamples: boolean;
  readonly json: boolean;
  readonly quiet: boolean;
  readonly printConfig: boolean;
}

/** Reads the run flags of a parsed command. */
export function runFlags(cmd: Command): RunFlags {
  const o = cmd.opts<{
    property?: string[];
    dfs?: boolean;
    compose?: boolean;
    por?: boolean;
    growBounds?: boolean | string[];
    maxDepth?: number;
    maxStates?: number;
    workers?: number;
    spillDir?: string;
    swarm?: { index: number; count: number };
    bitstate?: number;
    bitstateHashes?: number;
    checkpoint?: string;
    checkpointEvery?: number;
    resume?: string;
    shard?: { index: number; count: number };
    seed?: number;
    runs?: number;
    depth?: number;
    timeLimit?: number;
    outDir: string;
    saveExamples?: boolean;
    json?: boolean;
    quiet?: boolean;
    printConfig?: boolean;
  }>();
  return {
    property: o.property ?? [],
    dfs: o.dfs ?? false,
    compose: o.compose ?? false,
    por: o.por ?? false,
    growBounds: o.growBounds ?? false,
    ...(o.maxDepth !== undefined ? { maxDepth: o.maxDepth } : {}),
    ...(o.maxStates !== undefined ? { maxStates: o.maxStates } : {}),
    workers: o.workers ?? 1,
    ...(o.spillDir !== undefined ? { spillDir: o.spillDir } : {}),
    ...(o.swarm !== undefined ? { swarm: o.swarm } : {}),
    ...(o.bitstate !== undefined ? { bitstate: o.bitstate } : {}),
    ...(o.bitstateHashes !== undefined ? { bitstateHashes: o.bitstateHashes } : {}),
    ...(o.checkpoint !== undefined ? { checkpoint: o.checkpoint } : {}),
    checkpointEveryMs: o.checkpointEvery ?? 0,
    ...(o.resume !== undefined ? { resume: o.resume } : {}),
    ...(o.shard !== undefined ? { shard: o.shard } : {}),
    ...(o.seed !== undefined ? { seed: o.seed } : {}),
    runs: o.runs ?? 1000,
    depth: o.depth ?? 100,
    ...(o.timeLimit !== undefined ? { timeLimitMs: o.timeLimit } : {}),
    outDir: o.outDir,
    saveExamples: o.saveExamples ?? false,
    json: o.json ?? false,
    quiet: o.quiet ?? false,
    printConfig: o.printConfig ?? false,
  };
}

/** Parses `i/n` (0 ≤ i < n) for --swarm. */
export function parseShard(v: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(v.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index >= count)
    throw new InvalidArgumentError(`expected i/n with 0 <= i < n, e.g. 0/8 (got "${v}")`);
  return { index, count };
}

/** Parses `i/n` (0 ≤ i < n) for `fuzz --shard`, numbered as `check --swarm` and Kubernetes' completion index. */
export function parseFuzzShard(v: string): { index: number; count: number } {
  return parseShard(v);
}

/** Parses `--grow-bounds`' list: bound flags without `--` (`max-records`) or config keys (`records`). */
export function parseBoundList(v: string): string[] {
  const names = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const growable = growableBounds();
  return names.map((n) => {
    const f = growable.find((b) => b.flag === `--${n.replace(/^--/, '')}` || b.key === n);
    if (!f)
      throw new InvalidArgumentError(
        `"${n}" is not a bound that can grow; choose from ${growable.map((b) => b.flag.slice(2)).join(', ')}`,
      );
    return f.key;
  });
}
