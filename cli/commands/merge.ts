import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { mergeResults, parseCheckResult, type CheckResult, type PropertyOutcome } from '../../checker/index.js';
import type { FuzzCoverage } from '../../properties/index.js';
import { metricsDistributionLines } from '../../properties/index.js';
import { UsageError } from '../UsageError.js';
import type { CliContext } from '../runModel.js';
import { ExitCode, exitCodeOf } from '../exitCodes.js';
import { mergeFuzzShards, type FuzzShardDoc, type MergedFuzz } from '../fuzzMerge.js';

/** One input file: its result, what run it belongs to and, for `fuzz --json` output, the campaign data. */
interface Input {
  readonly file: string;
  readonly result: CheckResult;
  readonly command?: string;
  readonly run: RunIdentity;
  readonly fuzz?: FuzzShardDoc;
  readonly trace?: string;
}

/** What must be equal for two files to be shards of one run (see `firstDifference`). */
interface RunIdentity {
  /** exhaustive check, swarm shard, fuzz campaign, or a bare result (no run description). */
  readonly campaign: string;
  readonly version?: unknown;
  readonly config?: unknown;
  readonly rule?: unknown;
  readonly properties: readonly string[];
  /** Swarm shards: how many shards the swarm has. */
  readonly shards?: unknown;
}

function identityOf(doc: Record<string, unknown>, result: CheckResult): RunIdentity {
  const properties = result.outcomes.map((o) => o.id);
  const command = doc['command'];
  if (typeof command !== 'string') return { campaign: 'a bare check result (no run description)', properties };
  const engine = (doc['engine'] ?? {}) as Record<string, unknown>;
  const campaign =
    command === 'fuzz'
      ? 'a fuzz campaign'
      : engine['kind'] === 'swarm'
        ? 'a swarm shard (check --swarm)'
        : engine['kind'] === 'liveness'
          ? 'an exhaustive check with liveness'
          : 'an exhaustive check';
  return {
    campaign,
    version: doc['version'],
    config: doc['config'],
    rule: doc['rule'],
    properties,
    ...(engine['kind'] === 'swarm' ? { shards: engine['count'] } : {}),
  };
}

/** The first leaf where two JSON values differ: its path and both values, or undefined. */
function leafDifference(a: unknown, b: unknown, path: string): { path: string; a: unknown; b: unknown } | undefined {
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      const d = leafDifference(a[k], b[k], `${path}.${k}`);
      if (d) return d;
    }
    return undefined;
  }
  return JSON.stringify(a) === JSON.stringify(b) ? undefined : { path, a, b };
}

/** How two files' runs first differ (campaign, kafka-mc version, config, rule, properties, shard count), or undefined. */
function firstDifference(x: Input, y: Input): string | undefined {
  const show = (v: unknown): string => (v === undefined ? '(absent)' : JSON.stringify(v));
  if (x.run.campaign !== y.run.campaign)
    return `the kind of run: ${x.run.campaign} in ${x.file}, ${y.run.campaign} in ${y.file}`;
  const fields: [string, unknown, unknown][] = [
    ['the kafka-mc version', x.run.version, y.run.version],
    ['config', x.run.config, y.run.config],
    ['rule', x.run.rule, y.run.rule],
    ['the properties', x.run.properties, y.run.properties],
    ['the swarm size', x.run.shards, y.run.shards],
  ];
  for (const [name, a, b] of fields) {
    const d = name === 'config' ? leafDifference(a, b, 'config') : leafDifference(a, b, name);
    if (d) return `${d.path}: ${show(d.a)} in ${x.file}, ${show(d.b)} in ${y.file}`;
  }
  return undefined;
}

/** Refuses files that are not shards of one run, naming the first difference. */
function checkOneRun(inputs: readonly Input[]): void {
  const first = inputs[0];
  if (!first) return;
  for (const other of inputs.slice(1)) {
    const d = firstDifference(first, other);
    if (d)
      throw new UsageError(`${first.file} and ${other.file} are not shards of one run; they differ in ${d}`, [
        'merge the results of one run: the same kafka-mc, command, flags (config, rule, --property) and campaign (all --swarm i/n of one n, or all fuzz --shard i/n of one --seed)',
      ]);
  }
}

/**
 * `kafka-mc merge shard-*.json`: combines the `--json` outputs of independent shards (swarm shards
 * `check --swarm i/n`, fuzz shards `fuzz --shard i/n`, or any runs of one config) into one verdict:
 * the shortest counterexample, the union of reachability examples, summed statistics and, for fuzz
 * results, summed coverage. Fuzz shards must come from one campaign (same seed, runs, depth, shard
 * count, config, rule and properties); a missing shard makes the merge incomplete. Shards are run by
 * an existing scheduler (a CI matrix, Kubernetes Indexed Jobs, GNU parallel); see the README.
 */
export function mergeCommand(ctx: CliContext, done: (code: number) => void): Command {
  return new Command('merge')
    .summary('combine the --json results of independent shards into one verdict')
    .argument(
      '<files...>',
      'JSON files written by `kafka-mc check --json` or `kafka-mc fuzz --json` (e.g. one per swarm or fuzz shard)',
    )
    .option('--json', 'print the merged result as JSON')
    .action((files: string[], opts: { json?: boolean }) => {
      const inputs = files.map((f) => readInput(f, ctx.io.cwd));
      checkOneRun(inputs);
      const merged = mergeResults(inputs.map((i) => i.result));
      const allFuzz = inputs.every((i) => i.command === 'fuzz');
      const fuzz =
        allFuzz && inputs.every((i) => i.fuzz) ? mergeFuzzShards(inputs.map((i) => i.fuzz as FuzzShardDoc)) : undefined;
      const missing = fuzz?.missingShards ?? [];
      let code = exitCodeOf(merged, allFuzz ? 'fuzz' : 'check');
      // Without all its shards a fuzz campaign ran only part of its runs.
      if (missing.length && code === ExitCode.ok) code = ExitCode.incomplete;
      const source = merged.kind === 'violation' ? sourceOf(merged.violation, inputs) : undefined;
      if (opts.json) {
        ctx.io.stdout.write(
          `${JSON.stringify(
            {
              ...merged,
              exitCode: code,
              ...(fuzz ? { fuzz } : {}),
              ...(source ? { violationFrom: { file: source.file, trace: source.trace ?? null } } : {}),
            },
            null,
            2,
          )}\n`,
        );
      } else {
        const lines = [`merged ${files.length} shard result(s): ${merged.kind.toUpperCase()}`];
        for (const o of merged.outcomes)
          lines.push(
            `  ${o.status.padEnd(9)} ${o.id}${o.path ? ` (${o.path.length - 1} steps, path ${o.path.join('/')})` : ''}`,
          );
        if (source) lines.push(`  counterexample from ${source.file}${source.trace ? ` (trace ${source.trace})` : ''}`);
        lines.push(
          `  ${merged.stats.distinct.toLocaleString('en-US')} distinct states over all shards, max depth ${merged.stats.maxDepth}`,
        );
        if (fuzz) lines.push(...fuzzLines(fuzz));
        if (merged.kind === 'error') lines.push(`  error: ${merged.message}`);
        ctx.io.stdout.write(`${lines.join('\n')}\n`);
      }
      done(code);
    });
}

function readInput(f: string, cwd: string): Input {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, f), 'utf8');
  } catch {
    throw new UsageError(`cannot read ${f}: no such file (pass the files written by kafka-mc check --json)`);
  }
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new UsageError(
      `${f} is not JSON (${e instanceof Error ? e.message : String(e)}); pass kafka-mc check --json output`,
    );
  }
  // The CLI's --json shape carries the result as verdict/stats/outcomes/reasons/violation.
  const asResult = 'verdict' in doc ? toResult(doc) : doc;
  const parsed = parseCheckResult(JSON.stringify(asResult));
  if (!parsed.ok) throw new UsageError(`${f}: ${parsed.error}`);
  const command = typeof doc['command'] === 'string' ? doc['command'] : undefined;
  const trace = doc['trace'] as { file?: unknown } | null | undefined;
  return {
    file: f,
    result: parsed.value,
    run: identityOf(doc, parsed.value),
    ...(command !== undefined ? { command } : {}),
    ...(command === 'fuzz' ? fuzzDoc(f, doc) : {}),
    ...(typeof trace?.file === 'string' ? { trace: trace.file } : {}),
  };
}

/** The campaign data of a `fuzz --json` document (absent in files written before it existed). */
function fuzzDoc(file: string, doc: Record<string, unknown>): { fuzz?: FuzzShardDoc } {
  const f = doc['fuzz'] as Record<string, unknown> | undefined;
  if (typeof f !== 'object' || f === null) return {};
  const shard = f['shard'] as { index?: unknown; count?: unknown } | undefined;
  const coverage = f['coverage'] as FuzzCoverage | undefined;
  if (
    typeof f['seed'] !== 'number' ||
    typeof f['runs'] !== 'number' ||
    typeof coverage !== 'object' ||
    typeof coverage.runs !== 'number' ||
    (shard !== undefined && (typeof shard.index !== 'number' || typeof shard.count !== 'number'))
  )
    throw new UsageError(`${file}: its "fuzz" section is damaged (expected seed, runs and coverage)`);
  const engine = doc['engine'] as { depth?: unknown } | undefined;
  const depth = typeof f['depth'] === 'number' ? f['depth'] : engine?.depth;
  return {
    fuzz: {
      file,
      seed: f['seed'],
      runs: f['runs'],
      depth: typeof depth === 'number' ? depth : undefined,
      ...(shard ? { shard: { index: shard.index as number, count: shard.count as number } } : {}),
      config: JSON.stringify(doc['config'] ?? null),
      rule: JSON.stringify(doc['rule'] ?? null),
      properties: Array.isArray(f['properties']) ? f['properties'].map(String) : [],
      coverage,
    },
  };
}

/** The input whose outcome the merge picked (same property, status and path). */
function sourceOf(o: PropertyOutcome, inputs: readonly Input[]): Input | undefined {
  const key = JSON.stringify(o.path ?? null);
  return inputs.find((i) =>
    i.result.outcomes.some((x) => x.id === o.id && x.status === o.status && JSON.stringify(x.path ?? null) === key),
  );
}

function fuzzLines(f: MergedFuzz): string[] {
  const c = f.coverage;
  const lines = [
    `  fuzz: ${c.runs.toLocaleString('en-US')} runs${f.campaign ? ` of the ${f.campaign.runs.toLocaleString('en-US')}-run campaign of seed ${f.campaign.seed}` : ''}, ${c.steps.toLocaleString('en-US')} steps, ≥ ${c.distinctStates.toLocaleString('en-US')} distinct states, run length ${c.depth.min}–${c.depth.max} (mean ${c.depth.mean})`,
  ];
  if (f.missingShards.length)
    lines.push(
      `  MISSING shards ${f.missingShards.join(', ')} of ${f.campaign?.shards ?? '?'}: the merge covers only part of the campaign`,
    );
  if (c.metrics) lines.push(...metricsDistributionLines(c.metrics).map((l) => `  ${l}`));
  for (const w of c.warnings) lines.push(`  warning: ${w}`);
  return lines;
}

function toResult(doc: Record<string, unknown>): Record<string, unknown> {
  const kind = doc['verdict'];
  const base = { kind, stats: doc['stats'], outcomes: doc['outcomes'] };
  const reasons = Array.isArray(doc['reasons']) ? doc['reasons'] : [];
  if (kind === 'incomplete') return { ...base, reasons };
  if (kind === 'violation')
    return { ...base, violation: doc['violation'], ...(reasons.length ? { incomplete: reasons } : {}) };
  if (kind === 'error') return { ...base, message: String(doc['summary'] ?? 'error') };
  return base;
}
