import { Command } from 'commander';
import {
  CATALOG,
  catalogEntry,
  kafkaModel,
  resolveConfig,
  builtinRule,
  clean,
  type CatalogEntry,
} from '../../model/index.js';
import type { PropertyOutcome } from '../../checker/index.js';
import { runCatalogEntry, type CatalogRun } from '../../lab/index.js';
import { defaultResolver } from '../../lab/index.js';
import { UsageError } from '../UsageError.js';
import { unknownName } from '../suggest.js';
import type { CliContext } from '../runModel.js';
import { renderCounterexample, saveCounterexample, type SavedCounterexample } from '../traceOutput.js';
import { checkOutputDir } from '../outputPaths.js';

/** `kafka-mc catalog`: the known-bug catalog; `catalog run <id>` reproduces an entry and renders its trace. */
export function catalogCommand(ctx: CliContext, done: (code: number) => void): Command {
  const cmd = new Command('catalog')
    .summary('list known Kafka failure scenarios; `catalog run <id>` reproduces one')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => done(listCatalog(ctx, opts)));
  cmd
    .command('run')
    .summary('reproduce a catalog entry: find its counterexample, check its fix, render the trace')
    .argument('<id>', 'catalog entry id (see `kafka-mc catalog`)')
    .option('--out-dir <dir>', 'where the trace file goes', './kafka-mc-traces')
    .option('--json', 'print JSON')
    .action((id: string, opts: { outDir: string; json?: boolean }) => done(runEntry(ctx, id, opts)));
  return cmd;
}

/** `catalog`: every entry with its source, the property it violates, its fix and what the model abstracts. */
function listCatalog(ctx: CliContext, opts: { json?: boolean }): number {
  if (opts.json) {
    ctx.io.stdout.write(`${JSON.stringify(CATALOG, null, 2)}\n`);
    return 0;
  }
  const w = Math.max(...CATALOG.map((e) => e.id.length));
  const pad = ' '.repeat(w);
  const lines = CATALOG.map((e) =>
    [
      `  ${e.id.padEnd(w)}  ${e.title}`,
      `  ${pad}  source: ${e.source} · ${e.references.join(', ')}`,
      `  ${pad}  violates ${e.property} in ${e.expectedSteps} steps${e.fixedBy ? ` · fixed by ${e.fixedBy.description}` : ''}`,
      ...(e.tla ? [`  ${pad}  TLA+: ${e.tla.spec}: ${e.tla.tlc}`] : []),
      `  ${pad}  abstracts: ${e.abstracts}`,
    ].join('\n'),
  );
  ctx.io.stdout.write(`Known failure scenarios (kafka-mc catalog run <id>):\n${lines.join('\n')}\n`);
  return 0;
}

/**
 * `catalog run <id>`: finds the entry's counterexample, checks its fix, saves and renders the trace;
 * returns the exit code (0 reproduced as catalogued, 1 not, 2 the trace could not be saved).
 */
function runEntry(ctx: CliContext, id: string, opts: { outDir: string; json?: boolean }): number {
  const entry = catalogEntry(id);
  if (!entry)
    throw new UsageError(
      unknownName(
        'catalog entry',
        id,
        CATALOG.map((e) => e.id),
        'catalog entries',
      ),
    );
  checkOutputDir('--out-dir', opts.outDir, ctx.io.cwd);
  const run = runCatalogEntry(entry);
  const fixedText = run.fixed ? (run.fixed.kind === 'ok' ? 'holds' : run.fixed.kind) : 'n/a';
  const reproduced = run.exposed.kind === 'violation' && run.lengthMatches && (!run.fixed || run.fixed.kind === 'ok');
  const saved =
    run.exposed.kind === 'violation' ? saveEntryTrace(ctx, entry, run.exposed.violation, opts.outDir) : undefined;
  const code = saved?.error !== undefined ? 2 : reproduced ? 0 : 1;
  if (opts.json) {
    ctx.io.stdout.write(
      `${JSON.stringify({ id, reproduced, steps: run.steps, expectedSteps: entry.expectedSteps, fixed: fixedText, trace: saved?.file ?? null }, null, 2)}\n`,
    );
  } else ctx.io.stdout.write(`${entryReport(run, saved, fixedText, reproduced).join('\n')}\n`);
  if (saved?.error !== undefined) ctx.io.stderr.write(`error: the trace was not saved: ${saved.error}\n`);
  return code;
}

/** `catalog run`'s text: the entry, its rendered counterexample and trace file, the verdict on length and fix. */
function entryReport(
  run: CatalogRun,
  saved: SavedCounterexample | undefined,
  fixedText: string,
  reproduced: boolean,
): string[] {
  const { entry } = run;
  const out: string[] = [
    `${entry.id}: ${entry.title}`,
    `  ${entry.description}`,
    `  Source: ${entry.source}. The model abstracts: ${entry.abstracts}.`,
    ...(entry.tla
      ? [
          `  TLA+: ${entry.tla.spec}: ${entry.tla.tlc}${entry.tla.kafkaWouldNot ? ` (steps Kafka would not take: ${entry.tla.kafkaWouldNot})` : ''}.`,
        ]
      : []),
    '',
  ];
  if (saved)
    out.push(
      renderCounterexample(saved.trace, false),
      '',
      saved.file !== undefined ? `Trace saved to ${saved.file}` : 'Trace not saved (see below)',
    );
  out.push(
    '',
    `Counterexample: ${run.steps ?? 'none'} steps (expected ${entry.expectedSteps})${run.lengthMatches ? '' : ' — MISMATCH'}`,
    `Fix (${entry.fixedBy?.description ?? 'none in this mode'}): ${fixedText}`,
    reproduced ? 'Reproduced.' : 'NOT reproduced as catalogued.',
  );
  return out;
}

/** Saves a catalog entry's counterexample under `outDir` (the error says why when it cannot). */
function saveEntryTrace(
  ctx: CliContext,
  entry: CatalogEntry,
  violation: PropertyOutcome,
  outDir: string,
): SavedCounterexample | undefined {
  const cfg = resolveConfig(entry.config);
  const model = kafkaModel(cfg, builtinRule(cfg.electionRule) ?? clean);
  const prop = defaultResolver(entry.property, cfg);
  if (!prop) return undefined;
  return saveCounterexample(
    {
      model,
      rule: { name: cfg.electionRule },
      outcome: violation,
      property: prop,
      strategy: 'bfs',
      commandLine: ['kafka-mc', ...ctx.argv],
    },
    outDir,
    ctx.io.cwd,
  );
}
