import { GAUGES, METERS, METRIC_SOURCES, metricMovesAlong, metricsOf, metricsSummary } from '../properties/index.js';
import { traceStates, type Trace } from '../traces/index.js';
import type { CliContext } from './Io.js';
import { UsageError } from './UsageError.js';
import { readTrace } from './traceFiles.js';

/** One step of a trace as an operator's dashboard would have shown it. */
interface OperatorStep {
  readonly step: number;
  readonly text: string;
  /** The metrics that moved (`describeMetricMoves`); empty when none did. */
  readonly metrics: readonly string[];
}

/** Whether `explain`'s argument names a trace file rather than a property id. */
export function looksLikeTraceFile(arg: string): boolean {
  return arg.endsWith('.json') || arg.includes('/');
}

/** The steps of a trace with the Kafka metrics that moved at each (`properties/metrics.ts`). */
function operatorSteps(trace: Trace): readonly OperatorStep[] {
  const states = traceStates(trace);
  if (!states.ok) throw new UsageError(`the trace's recorded changes do not fit its initial state (${states.error})`);
  const moves = metricMovesAlong(
    states.value,
    trace.steps.map((s) => s.action),
    trace.config,
  );
  return trace.steps.map((s, i) => ({ step: s.step, text: s.text, metrics: moves[i] ?? [] }));
}

/** The metrics that moved somewhere along the steps, with the Kafka class that computes each. */
function sourcesOf(steps: readonly OperatorStep[]): readonly string[] {
  const text = steps.flatMap((s) => s.metrics).join('\n');
  return [...GAUGES, ...METERS].filter((m) => text.includes(m)).map((m) => `${m}: ${METRIC_SOURCES[m]}`);
}

/**
 * `kafka-mc explain <trace>`: the trace step by step with the metrics an operator would have seen move
 * (Kafka's ActiveControllerCount, OfflinePartitionsCount, UnderReplicatedPartitions, …), and whether the
 * last step — where the property fails or the guard is reached — moved any of them.
 */
export function explainTrace(ctx: CliContext, file: string, json: boolean): number {
  const trace = readTrace(file, ctx.io.cwd);
  const steps = operatorSteps(trace);
  const states = traceStates(trace);
  const first = metricsSummary(metricsOf(trace.initialState, trace.config));
  const lastState = states.ok ? states.value[states.value.length - 1] : undefined;
  const last = lastState ? metricsSummary(metricsOf(lastState, trace.config)) : first;
  const silent = steps.length > 0 && (steps[steps.length - 1]?.metrics.length ?? 0) === 0;
  const sources = sourcesOf(steps);
  const what = trace.status === 'violated' ? `${trace.property.id} fails` : `${trace.property.id} is reached`;
  if (json) {
    ctx.io.stdout.write(
      `${JSON.stringify({ trace: file, property: trace.property, status: trace.status, start: first, steps, end: last, lastStepSilent: silent, sources }, null, 2)}\n`,
    );
    return 0;
  }
  const w = String(steps.length).length;
  const lines = [
    `${file}: ${what} after ${steps.length} step(s); the Kafka metrics an operator would have seen move:`,
    '',
    `${'0'.padStart(w)}  start: ${first}`,
  ];
  for (const s of steps) {
    lines.push(`${String(s.step).padStart(w)}  ${s.text}`);
    for (const m of s.metrics.length ? s.metrics : ['(no metric moved)']) lines.push(`${' '.repeat(w)}    ${m}`);
  }
  lines.push('', `end: ${last}`);
  if (sources.length) lines.push('', 'Kafka computes them in:', ...sources.map((x) => `  ${x}`));
  if (silent)
    lines.push(
      `The last step, where ${what}, moved no metric: an operator watching these metrics would not have seen it happen.`,
    );
  ctx.io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
