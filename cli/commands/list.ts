import { Command } from 'commander';
import { BUILTIN_RULES, DEFAULT_CONFIG, PRESETS } from '../../model/index.js';
import { propertyCatalog } from '../../properties/index.js';
import { defaultProperties } from '../propertyCatalog.js';
import type { CliContext } from '../runModel.js';
import { UsageError } from '../UsageError.js';
import { unknownName } from '../suggest.js';

/** `kafka-mc list [presets|properties|rules]`: what can be named on the command line, one line each. */
export function listCommand(ctx: CliContext, done: (code: number) => void): Command {
  return new Command('list')
    .summary('list presets, properties and election rules')
    .description('Lists what --preset, --property and --rule accept, with one-line descriptions.')
    .argument('[what]', 'presets, properties or rules (default: all three)')
    .option('--json', 'print JSON')
    .action((what: string | undefined, opts: { json?: boolean }) => {
      done(list(ctx, what, opts.json ?? false));
    });
}

function list(ctx: CliContext, what: string | undefined, json: boolean): number {
  const sections = ['presets', 'properties', 'rules'] as const;
  const chosen = what === undefined ? sections : sections.filter((s) => s === what || s === `${what}s`);
  if (chosen.length === 0) throw new UsageError(unknownName('list', what ?? '', [...sections], 'lists'));
  const defaults = new Set(defaultProperties(DEFAULT_CONFIG).map((p) => p.id));
  const data = {
    presets: PRESETS.map((p) => ({ name: p.name, description: p.description, includes: p.includes })),
    properties: propertyCatalog.map((p) => ({
      id: p.id,
      kind: p.kind,
      group: p.group,
      title: p.title,
      default: defaults.has(p.id),
    })),
    rules: BUILTIN_RULES.map((r) => ({
      name: r.name,
      description: r.description,
      expectedViolations: r.expectedViolations ?? [],
    })),
  };
  if (json) {
    ctx.io.stdout.write(`${JSON.stringify(Object.fromEntries(chosen.map((s) => [s, data[s]])), null, 2)}\n`);
    return 0;
  }
  const blocks: string[] = [];
  const table = (rows: readonly (readonly [string, string])[]): string => {
    const w = Math.max(...rows.map(([a]) => a.length));
    return rows.map(([a, b]) => `  ${a.padEnd(w)}  ${b}`).join('\n');
  };
  if (chosen.includes('presets'))
    blocks.push(`Presets (--preset):\n${table(data.presets.map((p) => [p.name, p.description]))}`);
  if (chosen.includes('properties'))
    blocks.push(
      `Properties (--property; * = checked by default; \`kafka-mc explain <id>\` for details):\n${table(
        data.properties.map((p) => [`${p.default ? '*' : ' '} ${p.id}`, `${p.group.padEnd(8)}  ${p.title}`]),
      )}`,
    );
  if (chosen.includes('rules'))
    blocks.push(
      `Election rules (--rule NAME, or --rule ./file.ts):\n${table(
        data.rules.map((r) => [
          r.name,
          `${r.description}${r.expectedViolations.length ? ` [violates: ${r.expectedViolations.join(', ')}]` : ''}`,
        ]),
      )}`,
    );
  ctx.io.stdout.write(`${blocks.join('\n\n')}\n`);
  return 0;
}
