import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { KafkaModel } from '../model/index.js';
import { buildTrace, renderTrace, saveTrace, type BuildTraceInput, type Trace } from '../traces/index.js';

/** What the CLI writes about one counterexample: a trace's input, the config read off the Kafka model. */
export interface CounterexampleInput extends Omit<BuildTraceInput, 'model' | 'config' | 'expectation'> {
  readonly model: KafkaModel;
}

/**
 * A counterexample's trace and where it went (relative to the working directory when inside it), or
 * why it could not be written: a finished search is never thrown away for a failed write, so callers
 * print the trace anyway and the error after it.
 */
export type SavedCounterexample =
  | { readonly trace: Trace; readonly file: string; readonly error?: undefined }
  | { readonly trace: Trace; readonly file?: undefined; readonly error: string };

/**
 * Builds the trace of a counterexample and saves it as `<outDir>/<property>.trace.json`, or
 * `<property>-2.trace.json`, … — never over an existing file. A failed write is returned as `error`.
 * `kind` `example` (a reached guard's example) names it `<property>.example.trace.json`, … instead.
 */
export function saveCounterexample(
  input: CounterexampleInput,
  outDir: string,
  cwd: string,
  kind: 'counterexample' | 'example' = 'counterexample',
): SavedCounterexample {
  const ext = kind === 'example' ? '.example.trace.json' : '.trace.json';
  const built = buildTrace({ ...input, config: input.model.config });
  if (!built.ok) throw new Error(built.error);
  const dir = resolve(cwd, outDir);
  const trace = built.value;
  for (let n = 1; n < 10_000; n++) {
    const file = join(dir, `${input.outcome.id}${n === 1 ? '' : `-${n}`}${ext}`);
    if (existsSync(file)) continue;
    const saved = saveTrace(file, trace);
    if (saved.ok) return { trace, file: displayPath(file, cwd) };
    if (!existsSync(file)) return { trace, error: saved.error }; // not a lost race for the name: a real failure
  }
  return {
    trace,
    error: `cannot write trace: too many traces named ${input.outcome.id}-N${ext} in ${dir}; clean it up or use --out-dir`,
  };
}

/** `file` relative to `cwd` when it is inside it. */
export function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') && !rel.startsWith('/') ? rel : file;
}

/** A trace as text: the traces module's rendering, in colour on a terminal unless NO_COLOR is set. */
export function renderCounterexample(trace: Trace, color: boolean, verbosity: 0 | 1 | 2 = 1): string {
  return renderTrace(trace, { verbosity, color }).trimEnd();
}
