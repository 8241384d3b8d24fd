import { Command } from 'commander';
import { CATALOG, catalogEntry, kafkaModel, resolveConfig, builtinRule, clean } from '../../model/index.js';
import { runCatalogEntry } from '../../lab/index.js';
import { defaultResolver } from '../../lab/index.js';
import { UsageError } from '../UsageError.js';
import { unknownName } from '../suggest.js';
import type { CliContext } from '../runModel.js';
import { renderCounterexample, saveCounterexample } from '../traceOutput.js';

/** `kafka-mc catalog`: the known-bug catalog; `catalog run <id>` reproduces an entry and renders its trace. */
export function catalogCommand(ctx: CliContext, done: (code: number) => void): Command {
  const cmd = new Command('catalog')
    .summary('list known Kafka failure scenarios; `catalog run <id>` reproduces one')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      if (opts.json) {
        ctx.io.stdout.write(`${JSON.stringify(CATALOG, null, 2)}\n`);
        return done(0);
      }
      const w = Math.max(...CATALOG.map((e) => e.id.length));
      const lines = CATALOG.map(
        (e) =>
          `  ${e.id.padEnd(w)}  ${e.title}\n  ${' '.repeat(w)}  ${e.references.join(', ')} · violates ${e.property} in ${e.expectedSteps} steps${e.fixedBy ? ` · fixed by ${e.fixedBy.description}` : ''}`,
      );
      ctx.io.stdout.write(`Known failure scenarios (kafka-mc catalog run <id>):\n${lines.join('\n')}\n`);
      done(0);
    });
  cmd
    .command('run')
    .summary('reproduce a catalog entry: find its counterexample, check its fix, render the trace')
    .argument('<id>', 'catalog entry id (see `kafka-mc catalog`)')
    .option('--out-dir <dir>', 'where the trace file goes', './kafka-mc-traces')
    .option('--json', 'print JSON')
    .action((id: string, opts: { outDir: string; json?: boolean }) => {
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
      const run = runCatalogEntry(entry);
      const fixedText = run.fixed ? (run.fixed.kind === 'ok' ? 'holds' : run.fixed.kind) : 'n/a';
      const reproduced =
        run.exposed.kind === 'violation' && run.lengthMatches && (!run.fixed || run.fixed.kind === 'ok');
      if (opts.json) {
        ctx.io.stdout.write(
          `${JSON.stringify({ id, reproduced, steps: run.steps, expectedSteps: entry.expectedSteps, fixed: fixedText }, null, 2)}\n`,
        );
        return done(reproduced ? 0 : 1);
      }
      const out: string[] = [`${entry.id}: ${entry.title}`, `  ${entry.description}`, ''];
      if (run.exposed.kind === 'violation') {
        const cfg = resolveConfig(entry.config);
        const model = kafkaModel(cfg, builtinRule(cfg.electionRule) ?? clean);
        const prop = defaultResolver(entry.property, cfg);
        if (prop) {
          const saved = saveCounterexample(
            {
              model,
              rule: { name: cfg.electionRule },
              outcome: run.exposed.violation,
              property: prop,
              strategy: 'bfs',
              commandLine: ['kafka-mc', ...ctx.argv],
            },
            opts.outDir,
            ctx.io.cwd,
          );
          out.push(renderCounterexample(saved.trace, false), '', `Trace saved to ${saved.file}`);
        }
      }
      out.push(
        '',
        `Counterexample: ${run.steps ?? 'none'} steps (expected ${entry.expectedSteps})${run.lengthMatches ? '' : ' — MISMATCH'}`,
        `Fix (${entry.fixedBy?.description ?? 'none in this mode'}): ${fixedText}`,
        reproduced ? 'Reproduced.' : 'NOT reproduced as catalogued.',
      );
      ctx.io.stdout.write(`${out.join('\n')}\n`);
      done(reproduced ? 0 : 1);
    });
  return cmd;
}
