import { Command } from 'commander';
import { allProperties, defaultProperties } from '../propertyCatalog.js';
import { PROPERTY_DOCS } from '../propertyDocs.js';
import { UsageError } from '../UsageError.js';
import { unknownName } from '../suggest.js';
import type { CliContext } from '../runModel.js';

/** `kafka-mc explain <property>`: the property's Kafka invariant and what protects it. */
export function explainCommand(ctx: CliContext, done: (code: number) => void): Command {
  return new Command('explain')
    .summary('explain a property: the Kafka invariant and the mechanisms that protect it')
    .argument('<property>', 'property id (see `kafka-mc list properties`)')
    .option('--json', 'print JSON')
    .action((id: string, opts: { json?: boolean }) => {
      const all = allProperties();
      const p = all.find((q) => q.id === id);
      if (!p)
        throw new UsageError(
          unknownName(
            'property',
            id,
            all.map((q) => q.id),
            'properties',
          ),
        );
      const doc = PROPERTY_DOCS[p.id];
      const kind =
        p.kind === 'always'
          ? 'safety (always): a reachable state where it fails is a counterexample'
          : p.kind === 'sometimes'
            ? 'reachability guard (sometimes): some reachable state must satisfy it, else a passing check is vacuous'
            : 'liveness (eventually): every fair behaviour must reach it';
      const byDefault = defaultProperties().some((q) => q.id === p.id);
      if (opts.json) {
        ctx.io.stdout.write(
          `${JSON.stringify({ id: p.id, title: p.title, kind: p.kind, default: byDefault, ...(doc ?? {}) }, null, 2)}\n`,
        );
        return done(0);
      }
      const lines = [`${p.id}: ${p.title}`, '', `Kind: ${kind}${byDefault ? '; checked by default' : ''}.`];
      if (doc) {
        lines.push('', 'Invariant:', wrap(doc.invariant, 96, '  '));
        lines.push(
          '',
          p.kind === 'sometimes' ? 'Reached when:' : 'Protected by:',
          ...doc.protectedBy.map((m) => `  - ${m}`),
        );
        if (doc.seeItFail) lines.push('', p.kind === 'sometimes' ? 'Try:' : 'See it fail:', `  ${doc.seeItFail}`);
      }
      ctx.io.stdout.write(`${lines.join('\n')}\n`);
      done(0);
    });
}

/** Wraps prose at `width` columns with an indent. */
export function wrap(text: string, width: number, indent: string): string {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      out.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(indent + line);
  return out.join('\n');
}
