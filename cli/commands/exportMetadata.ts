import { Command } from 'commander';
import type { ClusterState } from '../../model/index.js';
import { traceStates } from '../../traces/index.js';
import type { SnapshotFormat } from '../../validate/exportMetadata.js';
import {
  SNAPSHOT_FORMATS,
  SnapshotOffsetError,
  exportBatches,
  splitAtSnapshot,
} from '../../validate/exportMetadata.js';
import type { OutBatch } from '../../validate/dumpWriter.js';
import { formatDump } from '../../validate/dumpWriter.js';
import type { CliContext } from '../runModel.js';
import { UsageError } from '../UsageError.js';
import { readTrace } from '../traceFiles.js';
import { displayPath } from '../traceOutput.js';
import { checkOutputFile, writeNewFile } from '../outputPaths.js';

/**
 * `kafka-mc export-metadata <trace>`: a KRaft-mode trace's committed metadata log, as the
 * `kafka-dump-log.sh --cluster-metadata-decoder` text a real cluster would have written (what
 * `kafka-mc validate` reads). With `--snapshot-at N`, the log as a cluster that took a snapshot at
 * offset N keeps it: the snapshot (`--snapshot-out`) and the records from N on (`--out`). Never
 * replaces an existing file.
 */
export function exportMetadataCommand(ctx: CliContext, done: (code: number) => void): Command {
  return new Command('export-metadata')
    .summary("write a KRaft trace's committed metadata log as kafka-dump-log.sh text (for validate)")
    .argument('<trace>', 'a .trace.json file of a KRaft-mode run')
    .option('--out <file>', 'where to write the dump (default: the trace path with .metadata.txt); never replaced')
    .option(
      '--snapshot-at <N>',
      'split the log at offset N (a batch boundary): write the state the records before N leave as a snapshot, and only the records from N on to --out',
    )
    .option('--snapshot-out <file>', 'where to write the snapshot (default: the trace path with .snapshot.txt)')
    .option(
      '--snapshot-format <format>',
      "the snapshot's text: kafka-dump-log (kafka-dump-log.sh of the .checkpoint) or kafka-metadata-shell (kafka-metadata-shell.sh tree /image)",
      'kafka-dump-log',
    )
    .option('--json', 'print where the dump went as JSON')
    .action((file: string, opts: ExportOpts) => {
      const { io } = ctx;
      const trace = readTrace(file, io.cwd);
      if (trace.config.mode !== 'kraft')
        throw new UsageError(
          `${file} is a ZooKeeper-mode trace: only KRaft mode has a metadata log; export a trace recorded with --mode kraft (or a KRaft preset)`,
        );
      const states = traceStates(trace);
      if (!states.ok) throw new UsageError(`${file}: ${states.error}`);
      const last = states.value.at(-1) as ClusterState;
      const base = file.replace(/\.trace\.json$|\.json$/, '');
      const never = { replaceHint: ' (export-metadata never replaces a file)' };
      const out = checkOutputFile('--out', opts.out ?? `${base}.metadata.txt`, io.cwd, never);
      const batches = exportBatches(trace.config, trace.rule.name, last);
      const split = snapshotSplit(opts, batches);
      const snapOut =
        split && checkOutputFile('--snapshot-out', opts.snapshotOut ?? `${base}.snapshot.txt`, io.cwd, never);
      if (snapOut === out) throw new UsageError('--snapshot-out and --out name the same file: name two files');
      writeNewFile('the dump', out, split ? split.tail : formatDump(batches));
      if (snapOut && split) writeNewFile('the snapshot', snapOut, split.snapshot);
      const shown = displayPath(out, io.cwd);
      const shownSnap = snapOut ? displayPath(snapOut, io.cwd) : undefined;
      const records = batches.reduce((n, b) => n + (b.records === 'leader-change' ? 1 : b.records.length), 0);
      if (opts.json)
        io.stdout.write(
          `${JSON.stringify({ trace: file, dump: shown, batches: batches.length, records, ...(split && shownSnap ? { snapshot: shownSnap, snapshotAt: split.at, snapshotFormat: split.format } : {}) })}\n`,
        );
      else if (split && shownSnap)
        io.stdout.write(
          `wrote ${shownSnap}: the snapshot at offset ${split.at} (${split.format} text), and ${shown}: the records from offset ${split.at} on (validate them with: kafka-mc validate --snapshot ${shownSnap}${split.format === 'kafka-metadata-shell' ? ` --snapshot-end-offset ${split.at}` : ''} ${shown})\n`,
        );
      else
        io.stdout.write(
          `wrote ${shown}: ${records} records in ${batches.length} batches (validate it with: kafka-mc validate ${shown})\n`,
        );
      done(0);
    });
}

interface ExportOpts {
  out?: string;
  json?: boolean;
  snapshotAt?: string;
  snapshotOut?: string;
  snapshotFormat: string;
}

/** `--snapshot-at`'s split of the log, checked; undefined without the flag. */
function snapshotSplit(
  opts: ExportOpts,
  batches: readonly OutBatch[],
): { snapshot: string; tail: string; at: number; format: SnapshotFormat } | undefined {
  const format = SNAPSHOT_FORMATS.find((f) => f === opts.snapshotFormat);
  if (!format)
    throw new UsageError(`--snapshot-format ${opts.snapshotFormat}: expected ${SNAPSHOT_FORMATS.join(' or ')}`);
  if (opts.snapshotAt === undefined) {
    if (opts.snapshotOut !== undefined) throw new UsageError('--snapshot-out needs --snapshot-at N');
    return undefined;
  }
  if (!/^\d+$/.test(opts.snapshotAt))
    throw new UsageError(`--snapshot-at ${opts.snapshotAt}: expected an offset (a non-negative integer)`);
  const at = Number(opts.snapshotAt);
  try {
    return { ...splitAtSnapshot(batches, at, format), at, format };
  } catch (e) {
    if (!(e instanceof SnapshotOffsetError)) throw e;
    throw new UsageError(`--snapshot-at ${at}: ${e.message} (Kafka takes snapshots at batch boundaries)`);
  }
}
