import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import { pinTrace, type Expectation } from '../../traces/index.js';
import type { CliContext } from '../runModel.js';
import { UsageError } from '../UsageError.js';
import { readTrace } from '../traceFiles.js';
import { displayPath } from '../traceOutput.js';

/** `kafka-mc pin <trace>`: copies a trace into traces/regressions/, which the test suite replays. */
export function pinCommand(ctx: CliContext, done: (code: number) => void): Command {
  return new Command('pin')
    .summary('pin a trace as a regression that the test suite replays')
    .argument('<trace>', 'a .trace.json file')
    .option('--name <name>', 'regression name, kebab-case (default: property, rule and a hash)')
    .addOption(
      new Option('--expect <expectation>', 'what replay must show from now on').choices(['reproduces', 'fixed']),
    )
    .option('--dir <dir>', "target folder (default: kafka-mc's traces/regressions/)")
    .action((file: string, opts: { name?: string; expect?: Expectation; dir?: string }) => {
      const { io } = ctx;
      readTrace(file, io.cwd); // a clear error for a missing or invalid file
      const pinned = pinTrace(resolve(io.cwd, file), {
        ...(opts.name !== undefined ? { name: opts.name } : {}),
        ...(opts.expect !== undefined ? { expectation: opts.expect } : {}),
        ...(opts.dir !== undefined ? { dir: resolve(io.cwd, opts.dir) } : {}),
      });
      if (!pinned.ok) throw new UsageError(pinned.error);
      io.stdout.write(`pinned ${displayPath(pinned.value, io.cwd)}\n`);
      done(0);
    });
}
