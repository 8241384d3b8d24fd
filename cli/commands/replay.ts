import { Command, Option } from 'commander';
import { describeReplay, meetsExpectation, renderTrace, replayTrace, type ReplayReport } from '../../traces/index.js';
import { RuleError } from '../../model/index.js';
import type { CliContext } from '../runModel.js';
import { useColor } from '../Io.js';
import { shellQuote } from '../format.js';
import { readTrace, ruleResolver } from '../traceFiles.js';

/** `kafka-mc replay <trace>`: re-runs a trace's actions on the current model and says whether it still reproduces. */
export function replayCommand(ctx: CliContext, done: (code: number) => void): Command {
  return new Command('replay')
    .summary('replay a trace on the current model: does the violation still reproduce?')
    .description(
      "Prints the trace, then rebuilds it from its action path on the current model and rule and compares every state with the recording. Exit 0 when the trace meets its expectation (it still reproduces, or for a pinned 'fixed' trace, it no longer does), 1 when it does not, 2 when the file cannot be read.",
    )
    .argument('<trace>', 'a .trace.json file written by check or fuzz')
    .addOption(new Option('--brief', 'one line per step (no state changes)').conflicts('verbose'))
    .option('-v, --verbose', 'the whole state after each step')
    .option('--table', 'each step as a per-broker table')
    .option('--json', 'print the replay report as JSON')
    .option('--quiet', 'print only the verdict')
    .action(
      async (
        file: string,
        opts: { brief?: boolean; verbose?: boolean; table?: boolean; json?: boolean; quiet?: boolean },
      ) => {
        const { io } = ctx;
        const trace = readTrace(file, io.cwd);
        const notes: string[] = [];
        let report: ReplayReport;
        try {
          report = await replayTrace(
            trace,
            ruleResolver(io.cwd, (n) => notes.push(n)),
          );
        } catch (e) {
          // a rule file that misbehaves (nondeterministic, an endless loop…) while the path is rebuilt
          if (!(e instanceof RuleError)) throw e;
          report = { kind: 'error', message: e.message };
        }
        const ok = meetsExpectation(report, trace.expectation);
        const code = report.kind === 'error' ? 2 : ok ? 0 : 1;
        if (opts.json) {
          io.stdout.write(
            `${JSON.stringify({ trace: file, expectation: trace.expectation, meetsExpectation: ok, exitCode: code, report, notes }, null, 2)}\n`,
          );
          return done(code);
        }
        if (!opts.quiet) {
          const verbosity = opts.brief ? 0 : opts.verbose ? 2 : 1;
          io.stdout.write(
            `${renderTrace(trace, { verbosity, color: useColor(io), ...(opts.table ? { table: true } : {}) }).trimEnd()}\n\n`,
          );
        }
        for (const n of notes) io.stdout.write(`note: ${n}\n`);
        const verdict =
          report.kind === 'reproduces'
            ? `REPRODUCES: ${trace.property.id} still ${trace.status === 'violated' ? 'fails' : 'is reached'} after ${report.steps} steps`
            : report.kind === 'no-longer-reproduces'
              ? `NO LONGER REPRODUCES: ${trace.property.id} now holds at the end of the same ${report.steps} steps`
              : report.kind === 'diverges'
                ? 'DIVERGES: the current model no longer follows the recorded behaviour'
                : `ERROR: ${report.message}`;
        io.stdout.write(`${verdict}${ok ? '' : ` (expected: ${trace.expectation})`}\n`);
        // (an error's message is the verdict line already: said once)
        if (report.kind !== 'reproduces' && report.kind !== 'error') io.stdout.write(`${describeReplay(report)}\n`);
        if (report.kind === 'diverges' && trace.commandLine.length)
          io.stdout.write(`Re-record it with: ${trace.commandLine.map(shellQuote).join(' ')}\n`);
        done(code);
      },
    );
}
