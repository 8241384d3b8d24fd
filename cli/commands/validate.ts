import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { builtinRule, builtinRuleNames } from '../../model/index.js';
import { DumpParseError, parseDumpLog } from '../../validate/parseDumpLog.js';
import { renderReport } from '../../validate/report.js';
import { renderValidationHtml } from '../../validate/timelineHtml.js';
import type { ParsedDump } from '../../validate/parseDumpLog.js';
import type { ValidationReport } from '../../validate/validateLog.js';
import { toolVersion } from '../../traces/Trace.js';
import { checkOutputFile, writeFailure } from '../outputPaths.js';
import { displayPath } from '../traceOutput.js';
import { validateLog } from '../../validate/validateLog.js';
import { ExitCode } from '../exitCodes.js';
import type { CliContext } from '../runModel.js';
import { UsageError } from '../UsageError.js';
import { unknownName } from '../suggest.js';

/**
 * `kafka-mc validate <dump.txt>`: checks a real KRaft cluster's metadata log (the text
 * `kafka-dump-log.sh --cluster-metadata-decoder` prints) against the safety rules and the model's
 * controller. Exit 0 conforms, 1 a violation, 2 unreadable input.
 */
export function validateCommand(ctx: CliContext, done: (code: number) => void): Command {
  return new Command('validate')
    .summary("check a real KRaft cluster's metadata log (kafka-dump-log.sh output) against the model")
    .description(
      "Rebuilds brokers, partitions and topic configs from a `kafka-dump-log.sh --cluster-metadata-decoder --files <segment>` dump, checks every partition change against the safety rules (leader in ISR, ISR and ELR disjoint, no fenced leader, clean elections, epochs) and against the model's KRaft controller (could it have written this PartitionChangeRecord?), and reports a verdict per partition and the first non-conforming record. Exit 0 when the log conforms, 1 on a violation, 2 when the input cannot be read.",
    )
    .argument('<dump>', 'the dump text (several segments may be concatenated, oldest first)')
    .option('--rule <name>', 'election rule the controller follows (built-in)', 'clean')
    .option('--json', 'print the report as JSON')
    .option('--html <file>', 'also write the log as an HTML timeline in the trace viewer (never replaces a file)')
    .action((file: string, opts: { rule: string; json?: boolean; html?: string }) => {
      const { io } = ctx;
      const rule = builtinRule(opts.rule);
      if (!rule) throw new UsageError(unknownName('election rule', opts.rule, builtinRuleNames()));
      let text: string;
      try {
        text = readFileSync(resolve(io.cwd, file), 'utf8');
      } catch (e) {
        throw new UsageError(
          `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}; pass the file kafka-dump-log.sh's output was saved to`,
        );
      }
      let dump;
      try {
        dump = parseDumpLog(text);
      } catch (e) {
        if (!(e instanceof DumpParseError)) throw e;
        throw new UsageError(`${file}: ${e.message}`);
      }
      const html =
        opts.html === undefined
          ? undefined
          : checkOutputFile('--html', opts.html, io.cwd, { replaceHint: ' (validate never replaces a file)' });
      const report = validateLog(dump, { rule });
      if (html) writeTimeline(html, dump, report, file);
      const code = report.verdict === 'conforms' ? ExitCode.ok : ExitCode.violation;
      io.stdout.write(
        opts.json
          ? `${JSON.stringify({ dump: file, exitCode: code, ...(html ? { html: displayPath(html, io.cwd) } : {}), ...report }, null, 2)}\n`
          : renderReport(report, file) + (html ? `wrote the timeline to ${displayPath(html, io.cwd)}\n` : ''),
      );
      done(code);
    });
}

/** Writes `validate --html`'s timeline to `out` (checked not to exist: never replaced). */
function writeTimeline(out: string, dump: ParsedDump, report: ValidationReport, source: string): void {
  try {
    writeFileSync(out, renderValidationHtml(dump, report, source, `kafka-mc ${toolVersion()}`), { flag: 'wx' });
  } catch (e) {
    throw new UsageError(writeFailure('the timeline', out, e));
  }
}
