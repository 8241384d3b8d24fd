import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { builtinRule, builtinRuleNames } from '../../model/index.js';
import { DumpParseError, parseDumpLog } from '../../validate/parseDumpLog.js';
import { renderReport } from '../../validate/report.js';
import { renderValidationHtml } from '../../validate/timelineHtml.js';
import type { ParsedDump } from '../../validate/parseDumpLog.js';
import { readSnapshot } from '../../validate/snapshot.js';
import type { ValidationReport } from '../../validate/validateLog.js';
import { toolVersion } from '../../traces/Trace.js';
import { checkOutputFile, writeNewFile } from '../outputPaths.js';
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
    .summary(
      "check a real KRaft cluster's metadata log (kafka-dump-log.sh output, from a snapshot with --snapshot) against the model",
    )
    .description(
      "Rebuilds brokers, partitions and topic configs from a `kafka-dump-log.sh --cluster-metadata-decoder --files <segment>` dump, checks every partition change against the safety rules (leader in ISR, ISR and ELR disjoint, no fenced leader, clean elections, epochs) and against the model's KRaft controller (could it have written this PartitionChangeRecord?), and reports a verdict per partition and the first non-conforming record. Exit 0 when the log conforms, 1 on a violation, 2 when the input cannot be read.",
    )
    .argument('<dump>', 'the dump text (several segments may be concatenated, oldest first)')
    .option(
      '--snapshot <file>',
      "start from a snapshot instead of an empty cluster: kafka-dump-log.sh --cluster-metadata-decoder output of a <N>-<epoch>.checkpoint, or kafka-metadata-shell.sh --snapshot <checkpoint> tree /image output (detected); the dump's records must continue from its end offset N",
    )
    .option(
      '--snapshot-end-offset <N>',
      "the snapshot's end offset (the N of <N>-<epoch>.checkpoint): needed for kafka-metadata-shell output, which does not print it",
    )
    .option('--rule <name>', 'election rule the controller follows (built-in)', 'clean')
    .option('--json', 'print the report as JSON')
    .option('--html <file>', 'also write the log as an HTML timeline in the trace viewer (never replaces a file)')
    .action((file: string, opts: ValidateOpts) => {
      const { io } = ctx;
      const rule = builtinRule(opts.rule);
      if (!rule) throw new UsageError(unknownName('election rule', opts.rule, builtinRuleNames()));
      const endOffset = snapshotEndOffset(opts);
      const snapshot =
        opts.snapshot === undefined
          ? undefined
          : readInput(opts.snapshot, io.cwd, 'the snapshot', (t) => readSnapshot(t, endOffset));
      const dump = readInput(file, io.cwd, "kafka-dump-log.sh's output", parseDumpLog);
      const html =
        opts.html === undefined
          ? undefined
          : checkOutputFile('--html', opts.html, io.cwd, { replaceHint: ' (validate never replaces a file)' });
      // a snapshot and a dump that do not fit (a gap, a batch across the end offset) name the dump's line
      const report = asUsage(file, () => validateLog(dump, { rule, ...(snapshot ? { snapshot } : {}) }));
      // the timeline shows the records validated: from the snapshot's end offset on
      const shown = snapshot ? { ...dump, entries: dump.entries.filter((e) => e.offset >= snapshot.endOffset) } : dump;
      if (html) writeTimeline(html, shown, report, file);
      const code = report.verdict === 'conforms' ? ExitCode.ok : ExitCode.violation;
      io.stdout.write(
        opts.json
          ? `${JSON.stringify({ dump: file, ...(opts.snapshot !== undefined ? { snapshotFile: opts.snapshot } : {}), exitCode: code, ...(html ? { html: displayPath(html, io.cwd) } : {}), ...report }, null, 2)}\n`
          : renderReport(report, file) + (html ? `wrote the timeline to ${displayPath(html, io.cwd)}\n` : ''),
      );
      done(code);
    });
}

interface ValidateOpts {
  rule: string;
  json?: boolean;
  html?: string;
  snapshot?: string;
  snapshotEndOffset?: string;
}

function snapshotEndOffset(opts: ValidateOpts): number | undefined {
  const v = opts.snapshotEndOffset;
  if (v === undefined) return undefined;
  if (opts.snapshot === undefined)
    throw new UsageError('--snapshot-end-offset is the end offset of a --snapshot: pass --snapshot <file> too');
  if (!/^\d+$/.test(v))
    throw new UsageError(
      `--snapshot-end-offset ${v}: expected a non-negative integer, the N of the snapshot's file name <N>-<epoch>.checkpoint`,
    );
  return Number(v);
}

/**
 * Reads `file` and runs `read` on its text; a missing file or a `DumpParseError` (which names the line)
 * is a `UsageError` (exit 2) naming the file.
 */
function readInput<T>(file: string, cwd: string, what: string, read: (text: string) => T): T {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), 'utf8');
  } catch (e) {
    throw new UsageError(
      `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}; pass the file ${what} was saved to`,
    );
  }
  return asUsage(file, () => read(text));
}

function asUsage<T>(file: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof DumpParseError)) throw e;
    throw new UsageError(`${file}: ${e.message}`);
  }
}

/** Writes `validate --html`'s timeline to `out` (checked not to exist: never replaced). */
function writeTimeline(out: string, dump: ParsedDump, report: ValidationReport, source: string): void {
  writeNewFile('the timeline', out, renderValidationHtml(dump, report, source, `kafka-mc ${toolVersion()}`));
}
