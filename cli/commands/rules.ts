import { Command } from 'commander';
import { BUILTIN_RULES } from '../../model/index.js';
import type { CliContext } from '../runModel.js';

/**
 * `kafka-mc rules`: the built-in election rules, and how to write one. Subcommands (e.g. `rules
 * compare`) attach to the returned command.
 */
export function rulesCommand(ctx: CliContext, done: (code: number) => void): Command {
  return new Command('rules')
    .summary('list election rules (and how to write your own)')
    .description('Lists the built-in election rules. A rule of your own is a TypeScript file; see below.')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
Your own rule (myRule.ts):
  import type { ElectionRule } from 'kafka-mc/rule';
  export default {
    name: 'longest-isr-log',
    description: 'the live ISR member with the longest log',
    eligibleLeaders: (v) => v.isr.filter((b) => v.live.includes(b)).slice(0, 1),
  } satisfies ElectionRule;
Check it with: kafka-mc check --rule ./myRule.ts`,
    )
    .action((opts: { json?: boolean }) => {
      if (opts.json) {
        ctx.io.stdout.write(
          `${JSON.stringify(
            BUILTIN_RULES.map((r) => ({
              name: r.name,
              description: r.description,
              expectedViolations: r.expectedViolations ?? [],
            })),
            null,
            2,
          )}\n`,
        );
        return done(0);
      }
      const w = Math.max(...BUILTIN_RULES.map((r) => r.name.length));
      const lines = BUILTIN_RULES.map(
        (r) =>
          `  ${r.name.padEnd(w)}  ${r.description}${r.expectedViolations?.length ? `\n  ${' '.repeat(w)}  expected to violate: ${r.expectedViolations.join(', ')}` : ''}`,
      );
      ctx.io.stdout.write(
        `Election rules (--rule NAME; your own: --rule ./file.ts, see \`kafka-mc rules --help\`):\n${lines.join('\n')}\n`,
      );
      done(0);
    });
}
