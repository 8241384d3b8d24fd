import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import type { ClusterState } from '../../model/index.js';
import { traceStates } from '../../traces/index.js';
import { exportBatches } from '../../validate/exportMetadata.js';
import { formatDump } from '../../validate/dumpWriter.js';
import type { CliContext } from '../runModel.js';
import { UsageError } from '../UsageError.js';
import { readTrace } from '../traceFiles.js';
import { displayPath } from '../traceOutput.js';
import { checkOutputFile, writeFailure } from '../outputPaths.js';

/**
 * `kafka-mc export-metadata <trace>`: a KRaft-mode trace's committed metadata log, as the
 * `kafka-dump-log.sh --cluster-metadata-decoder` text a real cluster would have written (what
 * `kafka-mc validate` reads). Never replaces an existing file.
 */
export function exportMetadataCommand(ctx: CliContext, done: (code: number) => void): Command {
  return new Command('export-metadata')
    .summary("write a KRaft trace's committed metadata log as kafka-dump-log.sh text (for validate)")
    .argument('<trace>', 'a .trace.json file of a KRaft-mode run')
    .option('--out <file>', 'where to write the dump (default: the trace path with .metadata.txt); never replaced')
    .option('--json', 'print where the dump went as JSON')
    .action((file: string, opts: { out?: string; json?: boolean }) => {
      const { io } = ctx;
      const trace = readTrace(file, io.cwd);
      if (trace.config.mode !== 'kraft')
        throw new UsageError(
          `${file} is a ZooKeeper-mode trace: only KRaft mode has a metadata log; export a trace recorded with --mode kraft (or a KRaft preset)`,
        );
      const states = traceStates(trace);
      if (!states.ok) throw new UsageError(`${file}: ${states.error}`);
      const last = states.value.at(-1) as ClusterState;
      const outArg = opts.out ?? `${file.replace(/\.trace\.json$|\.json$/, '')}.metadata.txt`;
      const out = checkOutputFile('--out', outArg, io.cwd, { replaceHint: ' (export-metadata never replaces a file)' });
      const batches = exportBatches(trace.config, trace.rule.name, last);
      try {
        writeFileSync(out, formatDump(batches), { flag: 'wx' });
      } catch (e) {
        throw new UsageError(writeFailure('the dump', out, e));
      }
      const shown = displayPath(out, io.cwd);
      const records = batches.reduce((n, b) => n + (b.records === 'leader-change' ? 1 : b.records.length), 0);
      if (opts.json)
        io.stdout.write(`${JSON.stringify({ trace: file, dump: shown, batches: batches.length, records })}\n`);
      else
        io.stdout.write(
          `wrote ${shown}: ${records} records in ${batches.length} batches (validate it with: kafka-mc validate ${shown})\n`,
        );
      done(0);
    });
}
