import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { mergeResults, parseCheckResult, type CheckResult } from '../../checker/index.js';
import { UsageError } from '../UsageError.js';
import { exitCodeOf, type CliContext } from '../runModel.js';

/**
 * `kafka-mc merge shard-*.json`: combines the `--json` outputs of independent shards (swarm shards
 * `check --swarm i/n`, or any runs of one config) into one verdict: the shortest counterexample, the
 * union of reachability examples, summed statistics. Shards are run by an existing scheduler (a CI
 * matrix, Kubernetes Indexed Jobs, GNU parallel); see the README.
 */
export function mergeCommand(ctx: CliContext, done: (code: number) => void): Command {
  return new Command('merge')
    .summary('combine the --json results of independent shards into one verdict')
    .argument('<files...>', 'JSON files written by `kafka-mc check --json` (e.g. one per swarm shard)')
    .option('--json', 'print the merged result as JSON')
    .action((files: string[], opts: { json?: boolean }) => {
      const results: CheckResult[] = [];
      for (const f of files) {
        let text: string;
        try {
          text = readFileSync(resolve(ctx.io.cwd, f), 'utf8');
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
        results.push(parsed.value);
      }
      const merged = mergeResults(results);
      if (opts.json) ctx.io.stdout.write(`${JSON.stringify(merged, null, 2)}\n`);
      else {
        const lines = [`merged ${files.length} shard result(s): ${merged.kind.toUpperCase()}`];
        for (const o of merged.outcomes)
          lines.push(
            `  ${o.status.padEnd(9)} ${o.id}${o.path ? ` (${o.path.length - 1} steps, path ${o.path.join('/')})` : ''}`,
          );
        lines.push(
          `  ${merged.stats.distinct.toLocaleString('en-US')} distinct states over all shards, max depth ${merged.stats.maxDepth}`,
        );
        if (merged.kind === 'error') lines.push(`  error: ${merged.message}`);
        ctx.io.stdout.write(`${lines.join('\n')}\n`);
      }
      done(exitCodeOf(merged, 'check'));
    });
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
