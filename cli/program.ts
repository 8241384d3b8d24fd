import { Command, CommanderError, Option } from 'commander';
import type { Io } from './Io.js';
import { ExitCode, EXIT_CODES_HELP } from './exitCodes.js';
import { UsageError } from './UsageError.js';
import { RuleError } from '../model/index.js';
import type { CliContext } from './runModel.js';
import { checkCommand } from './commands/check.js';
import { fuzzCommand } from './commands/fuzz.js';
import { listCommand } from './commands/list.js';
import { explainCommand } from './commands/explain.js';
import { rulesCommand } from './commands/rules.js';
import { catalogCommand } from './commands/catalog.js';
import { mutateCommand } from './commands/mutate.js';
import { mergeCommand } from './commands/merge.js';
import { rulesCompareCommand } from './commands/rulesCompare.js';
import { latencyCommand } from './commands/latency.js';
import { replayCommand } from './commands/replay.js';
import { viewCommand } from './commands/view.js';
import { pinCommand } from './commands/pin.js';
import { validateCommand } from './commands/validate.js';
import { exportMetadataCommand } from './commands/exportMetadata.js';
import { auditCommand } from './commands/audit.js';
import { version } from './version.js';

export { version } from './version.js';

/**
 * A subcommand factory: builds the command for a context; its action reports the exit code through
 * `done`. Each lives in its own file under cli/commands/ and is listed in `COMMANDS`.
 */
export type CommandFactory = (ctx: CliContext, done: (code: number) => void) => Command;

/** The subcommands, in the order `--help` lists them. Add new ones (catalog, mutate, merge, …) here. */
export const COMMANDS: readonly CommandFactory[] = [
  checkCommand,
  auditCommand,
  fuzzCommand,
  replayCommand,
  viewCommand,
  pinCommand,
  rulesCommand,
  listCommand,
  explainCommand,
  catalogCommand,
  mutateCommand,
  mergeCommand,
  validateCommand,
  exportMetadataCommand,
  latencyCommand,
];

/** Builds the `kafka-mc` program for one run. */
export function buildProgram(ctx: CliContext, done: (code: number) => void): Command {
  const { io } = ctx;
  const program = new Command('kafka-mc')
    .description(
      'A model checker for Apache Kafka leader election: explores crashes, network partitions and message loss against single-leader, no-data-loss and liveness properties; every finding is a replayable trace.',
    )
    .version(version(), '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      getOutHelpWidth: () => io.stdout.columns ?? 100,
      getErrHelpWidth: () => io.stderr.columns ?? 100,
      outputError: (s, write) => write(s),
    })
    .showSuggestionAfterError(true)
    .showHelpAfterError('(run with --help for usage)')
    // a parent's options (e.g. `rules --json`) only before its subcommand: `rules compare --json` is compare's
    .enablePositionalOptions()
    .addHelpText('after', `\n${EXIT_CODES_HELP}\n\nRun \`kafka-mc <command> --help\` for a command's flags.`);
  for (const factory of COMMANDS) {
    const cmd = factory(ctx, done);
    if (cmd.name() === 'rules') cmd.addCommand(rulesCompareCommand(ctx, done));
    cmd.copyInheritedSettings(program);
    if (cmd.commands.length) cmd.enablePositionalOptions();
    for (const sub of cmd.commands) sub.copyInheritedSettings(cmd);
    cmd.addHelpOption(new Option('-h, --help', 'display help for command').helpGroup('Output:'));
    program.addCommand(cmd);
  }
  return program;
}

/**
 * Runs the CLI on `argv` (without `node` and the script) and returns the exit code. Never throws for a
 * user error: those are printed (with the nearest known name, or every problem found) and give 2.
 */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  let code: number = ExitCode.ok;
  const ctx: CliContext = { io, argv };
  const program = buildProgram(ctx, (c) => {
    code = c;
  });
  const json = argv.includes('--json');
  try {
    if (argv.length === 0) {
      io.stdout.write(program.helpInformation());
      return ExitCode.usage;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (e) {
    // With --json a script reads the failure from stdout too: one object, exit 2.
    const jsonError = (verdict: 'usage-error' | 'internal-error', error: string, problems: readonly string[]): void => {
      if (json)
        io.stdout.write(
          `${JSON.stringify({ command: argv[0] ?? null, verdict, exitCode: ExitCode.usage, error, problems }, null, 2)}\n`,
        );
    };
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return ExitCode.ok; // --help, --version
      jsonError('usage-error', e.message.replace(/^error: /, ''), []);
      return ExitCode.usage;
    }
    if (e instanceof UsageError || e instanceof RuleError) {
      const problems = e instanceof UsageError ? e.problems : [];
      const lines = [`error: ${e.message}`, ...problems.map((p) => `  - ${p.replace(/\n/g, '\n    ')}`)];
      io.stderr.write(`${lines.join('\n')}\n`);
      jsonError('usage-error', e.message, problems);
      return ExitCode.usage;
    }
    const err = e instanceof Error ? e : new Error(String(e));
    io.stderr.write(`internal error (a bug in kafka-mc, please report it): ${err.stack ?? err.message}\n`);
    jsonError('internal-error', err.message, []);
    return ExitCode.usage;
  }
}
