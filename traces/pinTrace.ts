import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { compactJson } from './canonicalJson.js';
import { loadTrace, saveTrace } from './io.js';
import type { Expectation, Trace, TraceResult } from './Trace.js';
import { asJson, regressionsDir } from './Trace.js';

/** Options of `pinTrace`. */
export interface PinOptions {
  /** File name without `.trace.json` (kebab-case); default `<property>-<rule>-<8 hex of the path's hash>`. */
  readonly name?: string;
  /** What the regression must show from now on; default: the trace's own expectation. */
  readonly expectation?: Expectation;
  /** Target folder; default kafka-mc's `traces/regressions/`, which the test suite replays. */
  readonly dir?: string;
}

/** The default regression name of a trace: property, rule and a short hash of config + path. */
export function regressionName(trace: Trace): string {
  const h = createHash('sha256')
    .update(compactJson(asJson({ config: trace.config, path: trace.path })))
    .digest('hex')
    .slice(0, 8);
  return `${trace.property.id}-${trace.rule.name}-${h}`;
}

/**
 * Copies the trace at `tracePath` into the regressions folder as `<name>.trace.json`, with the given
 * expectation; the test suite then replays it with no further code. Validates the trace first and never
 * overwrites an existing regression. Returns the new file's path.
 */
export function pinTrace(tracePath: string, opts: PinOptions = {}): TraceResult<string> {
  const loaded = loadTrace(tracePath);
  if (!loaded.ok) return loaded;
  const trace = loaded.value;
  const name = opts.name ?? regressionName(trace);
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(name) || name.endsWith('.trace.json'))
    return {
      ok: false,
      error: `regression name "${name}" must be kebab-case letters, digits, "-", "_" or "." (without .trace.json), e.g. acks1-data-loss`,
    };
  const dest = join(opts.dir ?? regressionsDir(), `${name}.trace.json`);
  const pinned: Trace = { ...trace, expectation: opts.expectation ?? trace.expectation };
  const saved = saveTrace(dest, pinned);
  if (!saved.ok && saved.error.includes('already exists'))
    return {
      ok: false,
      error: `a regression named "${name}" already exists (${dest}); choose another --name, or delete the old one first if it is obsolete`,
    };
  return saved;
}
