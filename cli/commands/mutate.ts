import { Command, Option } from 'commander';
import { MUTANTS, runMutants } from '../../lab/index.js';
import { builtinRule, builtinRuleNames, type ElectionRule } from '../../model/index.js';
import { isRuleFile, loadRule } from '../loadRule.js';
import { parsePositive } from '../modelFlags.js';
import { unknownName } from '../suggest.js';
import { UsageError } from '../UsageError.js';
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
    .option('--json', 'print JSON')
    .action(async (opts: { only?: string; rule: string; maxStates: number; json?: boolean }) => {
      const ids = opts.only
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const known = MUTANTS.map((m) => m.id);
      for (const id of ids ?? []) if (!known.includes(id)) throw new UsageError(unknownName('mutant', id, known));
      let rule: ElectionRule;
      if (isRuleFile(opts.rule)) rule = (await loadRule(opts.rule, ctx.io.cwd)).rule;
      else {
        const r = builtinRule(opts.rule);
        if (!r) throw new UsageError(unknownName('rule', opts.rule, builtinRuleNames()));
        rule = r;
      }
      const chosen = ids ? MUTANTS.filter((m) => ids.includes(m.id)) : MUTANTS;
      if (!opts.json && rule.name !== 'clean') ctx.io.stdout.write(`Mutants under election rule ${rule.name}:\n`);
      const results = runMutants(chosen, {
        rule,
        maxStates: opts.maxStates,
        onResult: (r) => {
          if (opts.json) return;
          const verdict = r.killedBy
            ? `killed by ${r.killedBy.property} in ${r.killedBy.steps} steps`
            : r.result.kind === 'incomplete'
              ? `SURVIVED within ${r.result.stats.distinct} states (search incomplete)`
              : `SURVIVED (${r.result.stats.distinct} states, every safety property holds)`;
          ctx.io.stdout.write(`  ${r.mutant.id.padEnd(30)} ${verdict}\n      drops: ${r.mutant.guard}\n`);
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
      done(survivors.length ? 1 : 0);
    });
}
