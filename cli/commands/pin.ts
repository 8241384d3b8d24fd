import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import {
  describeReplay,
  meetsExpectation,
  pinTrace,
  regressionsDir,
  replayTrace,
  type Expectation,
} from '../../traces/index.js';
import type { CliContext } from '../runModel.js';
import { UsageError } from '../UsageError.js';
import { readTrace, ruleResolver } from '../traceFiles.js';
import { displayPath } from '../traceOutput.js';
import { checkOutputDir } from '../outputPaths.js';

/** `kafka-mc pin <trace>`: copies a trace into traces/regressions/, which the test suite replays. */
export function pinCommand(ctx: CliContext, done: (code: number) => void): Command {
  return new Command('pin')
    .summary('pin a trace as a regression that the test suite replays')
    .description(
      'Copies the trace into the regressions folder with an expectation that the test suite checks from then on. The trace is replayed first: one that does not meet the expectation now (it still reproduces and --expect fixed was given, or the other way round) is refused, since the test suite would fail at once.',
    )
    .argument('<trace>', 'a .trace.json file')
    .option('--name <name>', 'regression name, kebab-case (default: property, rule and a hash)')
    .addOption(
      new Option('--expect <expectation>', 'what replay must show from now on').choices(['reproduces', 'fixed']),
    )
    .option('--dir <dir>', "target folder (default: kafka-mc's traces/regressions/)")
    .option('--json', 'print where the regression went as JSON')
    .action(async (file: string, opts: { name?: string; expect?: Expectation; dir?: string; json?: boolean }) => {
      const { io } = ctx;
      const trace = readTrace(file, io.cwd); // a clear error for a missing or invalid file
      const dir = opts.dir !== undefined ? checkOutputDir('--dir', opts.dir, io.cwd) : regressionsDir();
      const expectation = opts.expect ?? trace.expectation;
      const report = await replayTrace(
        trace,
        ruleResolver(io.cwd, () => undefined),
      );
      if (!meetsExpectation(report, expectation))
        throw new UsageError(
          `${file} does not meet the expectation "${expectation}" on this kafka-mc: ${
            report.kind === 'reproduces'
              ? `${trace.property.id} still ${trace.status === 'violated' ? 'fails' : 'is reached'} after ${report.steps} steps`
              : describeReplay(report).split('\n')[0]
          }`,
          [
            expectation === 'fixed'
              ? 'a regression pinned as fixed must no longer reproduce: fix the model or the rule first, or pin it with --expect reproduces'
              : 'a regression pinned as reproducing must reproduce: replay it (`kafka-mc replay`) to see what changed, or pin it with --expect fixed',
          ],
        );
      const pinned = pinTrace(resolve(io.cwd, file), {
        ...(opts.name !== undefined ? { name: opts.name } : {}),
        expectation,
        dir,
      });
      if (!pinned.ok) throw new UsageError(pinned.error);
      const shown = displayPath(pinned.value, io.cwd);
      if (opts.json) io.stdout.write(`${JSON.stringify({ trace: file, pinned: shown, expectation })}\n`);
      else io.stdout.write(`pinned ${shown}\n`);
      done(0);
    });
}
