/**
 * Runs the audit: for each fault class, one exhaustive liveness run of the CLI's search path
 * (`runInline` / `runInWorker`, the liveness engine) deciding the three questions at once; each "no"
 * saved as a trace with a reason in Kafka's words.
 */
import { join } from 'node:path';
import type { CheckResult, PropertyOutcome } from '../../checker/index.js';
import type { ModelConfig } from '../../model/index.js';
import type { Io } from '../Io.js';
import { buildBundle } from '../kafkaBundle.js';
import { loadRule, type LoadedRule } from '../loadRule.js';
import { cutReports, type CutReport } from '../boundCuts.js';
import { runInWorker, runInline, type SearchJob } from '../runSearch.js';
import { saveCounterexample } from '../traceOutput.js';
import { formatCount, formatDuration } from '../format.js';
import { reasonFor } from './auditReasons.js';
import { auditConfig, type AuditSettings } from './auditSettings.js';
import type { FaultClass } from './faultClasses.js';

/** The audit's three questions, each a property of the catalog. */
export const AUDIT_QUESTIONS = [
  { id: 'no-data-loss', header: 'acked writes safe?' },
  { id: 'eventually-online', header: 'partition available?' },
  { id: 'eventually-writable', header: 'writes accepted?' },
] as const;

/**
 * What a vacuous "yes" means per question: the guard `record-acked` was never reached, or the liveness
 * property's trigger never was. (A trigger whose every state already meets the goal is a plain "yes":
 * the answer holds in every state after the faults.)
 */
const VACUOUS: Readonly<Record<string, string>> = {
  'no-data-loss': 'no write is ever acknowledged, so none can be lost',
  'eventually-online': 'no behaviour spends the fault budget and heals the network, so the question never arises',
  'eventually-writable': 'no behaviour spends the fault budget, so the question never arises',
};

/** The vacuity guard of the first question: an acknowledged write exists to lose. */
const GUARD = 'record-acked';

/** One answer of the table. */
export type AuditCell =
  | { readonly answer: 'yes'; readonly vacuous?: string }
  | { readonly answer: 'no'; readonly reason: string; readonly trace?: string; readonly traceError?: string }
  | { readonly answer: 'unknown'; readonly why: string };

/** One fault class's row: an answer per question and the run behind them. */
export interface AuditRow {
  readonly faultClass: FaultClass;
  readonly cells: readonly AuditCell[];
  /** The bounds that cut the run: every "yes" of the row holds within them only. */
  readonly cuts: readonly CutReport[];
  readonly states: number;
  readonly durationMs: number;
}

/** What the run needs besides the settings. */
export interface AuditRunOptions {
  readonly classes: readonly FaultClass[];
  readonly timeLimitMs: number;
  readonly outDir: string;
  readonly argv: readonly string[];
  readonly io: Io;
}

/** Runs every fault class in order, each with an equal share of the time left. */
export async function runAudit(settings: AuditSettings, o: AuditRunOptions): Promise<AuditRow[]> {
  const rule = await loadRule('clean', o.io.cwd);
  const rows: AuditRow[] = [];
  let left = o.timeLimitMs;
  for (let i = 0; i < o.classes.length; i++) {
    const fc = o.classes[i] as FaultClass;
    const share = Math.max(1, Math.floor(left / (o.classes.length - i)));
    const started = Date.now();
    const config = auditConfig(settings, fc.faults);
    const job: SearchJob = {
      spec: { config, rule: 'clean', properties: [...AUDIT_QUESTIONS.map((q) => q.id), GUARD], cwd: o.io.cwd },
      engine: { kind: 'liveness', allProperties: true, timeLimitMs: share },
    };
    const signal = o.io.signal ? { signal: o.io.signal } : {};
    const outcome = o.io.searchInWorker === true ? await runInWorker(job, signal) : runInline(job, rule, signal);
    const row = rowOf(fc, config, rule, outcome.result, o);
    rows.push(row);
    // progress for a person waiting (stdout holds the table, or the JSON object)
    o.io.stderr.write(
      `checked ${fc.label} (${i + 1}/${o.classes.length}): ${formatCount(row.states)} states in ${formatDuration(row.durationMs)}\n`,
    );
    left = Math.max(0, left - (Date.now() - started));
    if (o.io.signal?.aborted) break; // stopped: report the classes checked so far
  }
  return rows;
}

/** The row of one finished run. */
function rowOf(
  fc: FaultClass,
  config: ModelConfig,
  rule: LoadedRule,
  result: CheckResult,
  o: AuditRunOptions,
): AuditRow {
  const byId = (id: string): PropertyOutcome | undefined => result.outcomes.find((x) => x.id === id);
  const guard = byId(GUARD);
  const cells = AUDIT_QUESTIONS.map((q, i): AuditCell => {
    const out = byId(q.id);
    if (!out || out.status === 'unknown')
      return { answer: 'unknown', why: stopReasons(result).join(', ') || 'undecided' };
    if (out.status !== 'violated' || !out.path) {
      const vacuous =
        i === 0
          ? guard?.status === 'vacuous'
          : out.warnings?.some((w) => w.startsWith('vacuous: the trigger is never reached'));
      return vacuous === true
        ? { answer: 'yes', vacuous: VACUOUS[q.id] ?? 'the question never arises' }
        : { answer: 'yes' };
    }
    return noCell(fc, config, rule, out, o);
  });
  return {
    faultClass: fc,
    cells,
    cuts: cutReports(result.stats.cuts, config),
    states: result.stats.distinct,
    durationMs: result.stats.durationMs,
  };
}

/** A "no": its reason, and its trace saved under `<out-dir>/<fault class>/` (never over a file). */
function noCell(
  fc: FaultClass,
  config: ModelConfig,
  rule: LoadedRule,
  out: PropertyOutcome,
  o: AuditRunOptions,
): AuditCell {
  const { model, properties } = buildBundle(config, rule, [out.id], o.io.cwd);
  const property = properties[0];
  const reason = reasonFor(out.id, model, out.path ?? []);
  if (!property) return { answer: 'no', reason };
  const saved = saveCounterexample(
    { model, rule: rule.ref, outcome: out, property, strategy: 'liveness', commandLine: ['kafka-mc', ...o.argv] },
    join(o.outDir, fc.name),
    o.io.cwd,
  );
  return saved.file !== undefined
    ? { answer: 'no', reason, trace: saved.file }
    : { answer: 'no', reason, traceError: saved.error };
}

/** Why a run stopped before deciding everything (a run that found a "no" may have stopped too). */
function stopReasons(result: CheckResult): readonly string[] {
  if (result.kind === 'incomplete') return result.reasons;
  return result.kind === 'violation' ? (result.incomplete ?? []) : [];
}
