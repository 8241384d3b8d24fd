import type {
  FamilyCoverage,
  FuzzCoverage,
  GuardCoverage,
  LivenessCoverage,
  MetricsDistribution,
} from '../properties/index.js';
import { mergeMetricsDistributions } from '../properties/index.js';
import { UsageError } from './UsageError.js';

/** The campaign data of one `kafka-mc fuzz --json` file. */
export interface FuzzShardDoc {
  readonly file: string;
  readonly seed: number;
  /** Runs of the whole campaign. */
  readonly runs: number;
  readonly depth: number | undefined;
  /** `--shard i/n` (1-based), if the file is one shard of a campaign. */
  readonly shard?: { readonly index: number; readonly count: number };
  /** The model config, rule and property ids, as JSON text (shards of one campaign share them). */
  readonly config: string;
  readonly rule: string;
  readonly properties: readonly string[];
  readonly coverage: FuzzCoverage;
}

/** Coverage summed over shards. */
export interface MergedFuzzCoverage {
  readonly runs: number;
  readonly steps: number;
  /** The largest shard's count: shards may visit the same states, so the union has at least this many. */
  readonly distinctStates: number;
  readonly families: readonly FamilyCoverage[];
  readonly intents: Readonly<Record<string, number>>;
  readonly guards: readonly GuardCoverage[];
  readonly liveness: readonly LivenessCoverage[];
  readonly depth: { readonly min: number; readonly max: number; readonly mean: number };
  /** Kafka's metrics over every shard's runs (absent if a file has none). */
  readonly metrics?: MetricsDistribution;
  readonly warnings: readonly string[];
}

/** What `kafka-mc merge` reports about fuzz results. */
export interface MergedFuzz {
  /** Set when the files are shards of one campaign. */
  readonly campaign?: {
    readonly seed: number;
    readonly runs: number;
    readonly depth: number | null;
    readonly shards: number;
  };
  /** Shards of the campaign (1-based) no file was given for. */
  readonly missingShards: readonly number[];
  readonly coverage: MergedFuzzCoverage;
}

/**
 * Combines the campaign data of fuzz results. Shards (`fuzz --shard i/n`) must all belong to one
 * campaign — same seed, runs, depth, shard count, config, rule and properties — each shard at most
 * once, and cannot be mixed with other fuzz results; shards not given are listed. Without shards
 * (e.g. one campaign per seed), the coverage of the campaigns is summed.
 */
export function mergeFuzzShards(docs: readonly FuzzShardDoc[]): MergedFuzz {
  const sharded = docs.filter((d) => d.shard !== undefined);
  let campaign: MergedFuzz['campaign'];
  const missingShards: number[] = [];
  if (sharded.length) {
    const plain = docs.find((d) => d.shard === undefined);
    if (plain)
      throw new UsageError(
        `${plain.file} is a whole fuzz campaign, the other files are shards (fuzz --shard): merge the shards of one campaign, or whole campaigns, not both`,
      );
    const first = sharded[0] as FuzzShardDoc;
    const count = (first.shard as { count: number }).count;
    for (const d of sharded) {
      const differ = [
        d.seed !== first.seed && `seed ${first.seed} vs ${d.seed}`,
        d.runs !== first.runs && `--runs ${first.runs} vs ${d.runs}`,
        d.depth !== first.depth && `--depth ${String(first.depth)} vs ${String(d.depth)}`,
        d.shard?.count !== count && `shard count ${count} vs ${String(d.shard?.count)}`,
        d.config !== first.config && 'the model config',
        d.rule !== first.rule && 'the election rule',
        d.properties.join(',') !== first.properties.join(',') && 'the properties',
      ].filter((x): x is string => typeof x === 'string');
      if (differ.length)
        throw new UsageError(`${first.file} and ${d.file} are shards of different fuzz campaigns`, [
          `they differ in ${differ.join(', ')}`,
          'merge the shards of one campaign (the same flags and --seed, --shard 0/n … (n-1)/n)',
        ]);
    }
    const seen = new Map<number, string>();
    for (const d of sharded) {
      const i = (d.shard as { index: number }).index;
      const other = seen.get(i);
      if (other !== undefined)
        throw new UsageError(`shard ${i}/${count} is given twice (${other} and ${d.file}); its runs would count twice`);
      seen.set(i, d.file);
    }
    for (let i = 0; i < count; i++) if (!seen.has(i)) missingShards.push(i);
    campaign = { seed: first.seed, runs: first.runs, depth: first.depth ?? null, shards: count };
  }
  return { ...(campaign ? { campaign } : {}), missingShards, coverage: mergeCoverage(docs.map((d) => d.coverage)) };
}

/** Sums coverage (see `MergedFuzzCoverage`); warnings are recomputed from the sums. */
export function mergeCoverage(list: readonly FuzzCoverage[]): MergedFuzzCoverage {
  const sum = (f: (c: FuzzCoverage) => number): number => list.reduce((a, c) => a + f(c), 0);
  const runs = sum((c) => c.runs);
  const families = new Map<string, FamilyCoverage>();
  const intents: Record<string, number> = {};
  const guards = new Map<string, GuardCoverage>();
  const liveness = new Map<string, LivenessCoverage>();
  for (const c of list) {
    for (const f of c.families) {
      const p = families.get(f.family);
      families.set(f.family, p ? { ...p, fired: p.fired + f.fired, enabled: p.enabled + f.enabled } : { ...f });
    }
    for (const [k, v] of Object.entries(c.intents)) intents[k] = (intents[k] ?? 0) + (v ?? 0);
    for (const g of c.guards) {
      const p = guards.get(g.id);
      guards.set(g.id, p ? { ...p, runs: p.runs + g.runs } : { ...g });
    }
    for (const l of c.liveness) {
      const p = liveness.get(l.id);
      liveness.set(l.id, p ? { ...p, judged: p.judged + l.judged, triggered: p.triggered + l.triggered } : { ...l });
    }
  }
  const ran = list.filter((c) => c.runs > 0);
  const depth = {
    min: ran.length ? Math.min(...ran.map((c) => c.depth.min)) : 0,
    max: ran.length ? Math.max(...ran.map((c) => c.depth.max)) : 0,
    mean: runs ? Math.round((sum((c) => c.depth.mean * c.runs) / runs) * 100) / 100 : 0,
  };
  const warnings: string[] = [];
  const warned = (prefix: string): boolean => list.some((c) => c.warnings.some((w) => w.startsWith(prefix)));
  for (const f of families.values())
    if (f.fired === 0 && warned(`action family "${f.family}"`))
      warnings.push(
        f.enabled === 0
          ? `action family "${f.family}" was never enabled in ${runs} run(s)`
          : `action family "${f.family}" was enabled in ${f.enabled} state(s) but never taken`,
      );
  for (const g of guards.values()) if (g.runs === 0) warnings.push(`guard "${g.id}" (${g.title}) was never reached`);
  for (const l of liveness.values())
    if (l.judged === 0)
      warnings.push(`liveness "${l.id}" was never judged: no run stopped where a behaviour may stutter forever`);
    else if (l.triggered === 0)
      warnings.push(`liveness "${l.id}" is vacuous in this fuzz campaign: its trigger never held where a run stopped`);
  const metrics = list.every((c) => c.metrics) ? mergeMetricsDistributions(list.map((c) => c.metrics)) : undefined;
  const sortedIntents: Record<string, number> = {};
  for (const k of Object.keys(intents).sort()) sortedIntents[k] = intents[k] as number;
  return {
    runs,
    steps: sum((c) => c.steps),
    distinctStates: list.reduce((a, c) => Math.max(a, c.distinctStates), 0),
    families: [...families.values()],
    intents: sortedIntents,
    guards: [...guards.values()],
    liveness: [...liveness.values()],
    depth,
    ...(metrics ? { metrics } : {}),
    warnings,
  };
}
