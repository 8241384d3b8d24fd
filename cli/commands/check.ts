import { Command } from 'commander';
import { addModelOptions } from '../modelFlags.js';
import { addRunOptions } from '../runOptions.js';
import { runModel, type CliContext } from '../runModel.js';
import { EXIT_CODES_HELP } from '../exitCodes.js';

/** `kafka-mc check`: exhaustive model checking of the configured cluster. */
export function checkCommand(ctx: CliContext, done: (code: number) => void): Command {
  const cmd = new Command('check')
    .summary('explore every reachable state and check the properties (exhaustive)')
    .description(
      'Explores every reachable state of the configured Kafka cluster (breadth-first by default, so a ' +
        'counterexample is a shortest one) and checks every safety property and reachability guard. ' +
        'With no flags it checks the embedded default: ZooKeeper mode, 3 brokers, RF 3, min ISR 2, ' +
        'acks=all, one crash and one network partition.',
    );
  addModelOptions(cmd);
  addRunOptions(cmd, 'check');
  cmd.addHelpText(
    'after',
    `\nConfig precedence: embedded default < --preset < --config file < flags.\n\nExamples:\n  kafka-mc check\n  kafka-mc check --acks 1 --max-records 1 --max-leader-epochs 2 --max-partitions 0\n  kafka-mc check --preset kafka-0.10 --time-limit 5m\n  kafka-mc check --rule ./myRule.ts --property no-data-loss\n  kafka-mc check --max-crashes 2 --workers 4 --checkpoint ./ckpt   (killed? continue with:)\n  kafka-mc check --resume ./ckpt\n  kafka-mc check --max-crashes 2 --bitstate 512MiB --time-limit 10m   (not exhaustive: reports its coverage)\n\n${EXIT_CODES_HELP}`,
  );
  cmd.action(async (_opts: unknown, command: Command) => done(await runModel('check', command, ctx)));
  return cmd;
}
