import { Command, Option } from 'commander';
import { MUTANTS, runMutants, type Mutant, type MutantResult } from '../../lab/index.js';
import { join } from 'node:path';
import { loadRule, type RuleRef } from '../loadRule.js';
import { saveCounterexample, type SavedCounterexample } from '../traceOutput.js';
import { parsePositive } from '../modelFlags.js';
import { unknownName } from '../suggest.js';
import { UsageError } from '../UsageError.js';
import { checkOutputDir } from '../outputPaths.js';
import type { CliContext } from '../runModel.js';

/**
 * `kafka-mc mutate`: weakens one guard at a time, runs the safety properties on each mutant, and
 * reports which property kills it with how short a trace. A surviving mutant is reported by name: the
 * properties (or the mutant's bounds) are too weak to trust a pass — or another mechanism covers it.
 */
export function mutateCommand(ctx: CliContext, done: (code: number) => void): Command {
  return new Command('mutate')
    .summary('drop one safety guard at a time and show which property catches it')
    .option('--only <ids>', 'comma-separated mutant ids')
    .option('--rule <name|file>', 'election rule the mutants run under: a built-in name or a rule file', 'clean')
    .addOption(
      new Option('--max-states <n>', 'distinct-state cap per mutant').argParser(parsePositive).default(2_000_000),
    )
    .option('--out-dir <dir>', 'where the trace of each kill goes, a folder per mutant', './kafka-mc-traces')
    .option('--json', 'print JSON')
    .action(async (opts: MutateFlags) => done(await mutate(ctx, opts)));
}

/** `mutate`'s flags as parsed. */
interface MutateFlags {
  readonly only?: string;
  readonly rule: string;
  readonly maxStates: number;
  readonly outDir: string;
  readonly json?: boolean;
}

/**
 * Runs the chosen mutants, saving the trace of each kill and printing each result as it comes (or
 * all of them as JSON at the end); returns the exit code: 2 when a trace could not be saved, 1 when
 * a mutant survived.
 */
async function mutate(ctx: CliContext, opts: MutateFlags): Promise<number> {
  const chosen = chosenMutants(opts.only);
  const { rule, ref } = await loadRule(opts.rule, ctx.io.cwd);
  checkOutputDir('--out-dir', opts.outDir, ctx.io.cwd);
  const traces = new Map<string, string>();
  const unsaved: string[] = [];
  if (!opts.json && rule.name !== 'clean') ctx.io.stdout.write(`Mutants under election rule ${rule.name}:\n`);
  const results = runMutants(chosen, {
    rule,
    maxStates: opts.maxStates,
    onResult: (r) => {
      const saved = saveKill(ctx, r, ref, opts.outDir);
      if (saved?.file !== undefined) traces.set(r.mutant.id, saved.file);
      else if (saved) unsaved.push(saved.error);
      if (!opts.json) ctx.io.stdout.write(resultText(r, traces.get(r.mutant.id)));
    },
  });
  const survivors = results.filter((r) => !r.killedBy);
  if (opts.json)
    ctx.io.stdout.write(
      `${JSON.stringify(
        results.map((r) => ({
          id: r.mutant.id,
          guard: r.mutant.guard,
          rule: rule.name,
          killedBy: r.killedBy ?? null,
          failWithoutMutation: r.failWithoutMutation,
          trace: traces.get(r.mutant.id) ?? null,
          states: r.result.stats.distinct,
        })),
        null,
        2,
      )}\n`,
    );
  else
    ctx.io.stdout.write(
      survivors.length
        ? `\n${survivors.length} mutant(s) survived: ${survivors.map((r) => r.mutant.id).join(', ')}. A surviving mutant means no property (within these bounds) depends on that guard: strengthen the properties or the bounds before trusting a pass.\n`
        : `\nEvery mutant was killed.\n`,
    );
  for (const e of unsaved) ctx.io.stderr.write(`error: a trace was not saved: ${e}\n`);
  return unsaved.length ? 2 : survivors.length ? 1 : 0;
}

/** The mutants `--only` names (every one without it); an unknown id is a usage error. */
function chosenMutants(only: string | undefined): readonly Mutant[] {
  const ids = only
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const known = MUTANTS.map((m) => m.id);
  for (const id of ids ?? []) if (!known.includes(id)) throw new UsageError(unknownName('mutant', id, known));
  return ids ? MUTANTS.filter((m) => ids.includes(m.id)) : MUTANTS;
}

/** Saves the trace of a killed mutant under `<outDir>/<mutant>/`; undefined when it was not killed by a violation. */
function saveKill(ctx: CliContext, r: MutantResult, rule: RuleRef, outDir: string): SavedCounterexample | undefined {
  const property = r.killedBy && r.properties.find((p) => p.id === r.killedBy?.property);
  if (r.result.kind !== 'violation' || !property) return undefined;
  return saveCounterexample(
    {
      model: r.model,
      rule,
      outcome: r.result.violation,
      property,
      strategy: property.kind === 'eventually' ? 'liveness' : 'bfs',
      commandLine: ['kafka-mc', ...ctx.argv],
    },
    join(outDir, r.mutant.id),
    ctx.io.cwd,
  );
}

/** A mutant's result as `mutate` prints it: the verdict, the guard it drops, its trace. */
function resultText(r: MutantResult, trace: string | undefined): string {
  const verdict = r.killedBy
    ? `killed by ${r.killedBy.property} in ${r.killedBy.steps} step${r.killedBy.steps === 1 ? '' : 's'}`
    : r.result.kind === 'incomplete'
      ? `SURVIVED within ${r.result.stats.distinct} states (search incomplete)`
      : `SURVIVED (${r.result.stats.distinct} states, every safety property holds)`;
  return `  ${r.mutant.id.padEnd(30)} ${verdict}\n      drops: ${r.mutant.guard}\n${trace ? `      trace: ${trace}\n` : ''}${r.failWithoutMutation.length ? `      not counted (they fail with the guard too): ${r.failWithoutMutation.join(', ')}\n` : ''}`;
}
