import { Command } from 'commander';
import { DEFAULT_CONFIG } from '../../model/index.js';
import { propertyInfo } from '../../properties/index.js';
import { allPropertyIds, defaultProperties } from '../propertyCatalog.js';
import { PROPERTY_DOCS } from '../propertyDocs.js';
import { UsageError } from '../UsageError.js';
import { unknownName } from '../suggest.js';
import type { CliContext } from '../runModel.js';
import { explainTrace, looksLikeTraceFile } from '../explainTrace.js';

/** `kafka-mc explain <property>`: the property's Kafka invariant and what protects it. */
export function explainCommand(ctx: CliContext, done: (code: number) => void): Command {
  return new Command('explain')
    .summary("explain a property (the Kafka invariant, what protects it) or a trace (Kafka's metrics at each step)")
    .argument(
      '<id|trace>',
      'property id (see `kafka-mc list properties`), or a trace file: its steps with the Kafka metrics an operator would have seen move',
    )
    .option('--json', 'print JSON')
    .action((id: string, opts: { json?: boolean }) => {
      if (looksLikeTraceFile(id)) return done(explainTrace(ctx, id, opts.json ?? false));
      const info = propertyInfo(id);
      if (!info) throw new UsageError(unknownName('property', id, allPropertyIds(), 'properties'));
      const doc = PROPERTY_DOCS[info.id];
      const kind =
        info.kind === 'always'
          ? 'safety (always): a reachable state where it fails is a counterexample'
          : info.kind === 'sometimes'
            ? 'reachability guard (sometimes): some reachable state must satisfy it, else a passing check is vacuous'
            : 'liveness (eventually): every fair behaviour must reach it (checked with --property, breadth-first)';
      const byDefault = defaultProperties(DEFAULT_CONFIG).some((q) => q.id === info.id);
      if (opts.json) {
        ctx.io.stdout.write(
          `${JSON.stringify(
            {
              id: info.id,
              title: info.title,
              kind: info.kind,
              group: info.group,
              default: byDefault,
              description: info.description,
              ...(doc ? { protectedBy: doc.protectedBy, ...(doc.seeItFail ? { seeItFail: doc.seeItFail } : {}) } : {}),
            },
            null,
            2,
          )}\n`,
        );
        return done(0);
      }
      const lines = [`${info.id}: ${info.title}`, '', `Kind: ${kind}${byDefault ? '; checked by default' : ''}.`];
      lines.push('', 'Invariant:', wrap(info.description, 96, '  '));
      if (doc) {
        lines.push(
          '',
          info.kind === 'sometimes' ? 'Reached when:' : 'Protected by:',
          ...doc.protectedBy.map((m) => `  - ${m}`),
        );
        if (doc.seeItFail) lines.push('', info.kind === 'sometimes' ? 'Try:' : 'See it fail:', `  ${doc.seeItFail}`);
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
