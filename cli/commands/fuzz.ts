import { Command } from 'commander';
import { addModelOptions } from '../modelFlags.js';
import { addRunOptions } from '../runOptions.js';
import { runModel, type CliContext } from '../runModel.js';
import { FUZZ_EXIT_CODES_HELP } from '../exitCodes.js';

/** `kafka-mc fuzz`: seeded random walks, for state spaces too big to enumerate. */
export function fuzzCommand(ctx: CliContext, done: (code: number) => void): Command {
  const cmd = new Command('fuzz')
    .summary('check the properties along seeded random runs (sampling, for big configurations)')
    .description(
      'Takes --runs random walks of up to --depth steps from the initial state and checks every state ' +
        'visited. The same --seed gives the same walks; a found violation is saved as a replayable trace. ' +
        'Sampling proves nothing: a clean fuzz run exits 0 but is no proof (use `check` for that).',
    );
  addModelOptions(cmd);
  addRunOptions(cmd, 'fuzz');
  cmd.addHelpText(
    'after',
    `\nExamples:\n  kafka-mc fuzz --brokers 5 --replication-factor 3 --partitions 2 --runs 5000 --depth 200\n  kafka-mc fuzz --seed 42 --preset kafka-0.11\n  kafka-mc fuzz --seed 42 --runs 100000 --shard 2/8 --json > shard-2.json   (then: kafka-mc merge shard-*.json)\n\n${FUZZ_EXIT_CODES_HELP}`,
  );
  cmd.action(async (_opts: unknown, command: Command) => done(await runModel('fuzz', command, ctx)));
  return cmd;
}
