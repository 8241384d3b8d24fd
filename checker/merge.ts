import type { CheckResult, IncompleteReason, PropertyOutcome, Stats } from './result.js';
import { verdict } from './result.js';

/**
 * A shard's result is complete when it decided every property: an `ok`, or a violation without bound
 * hits and without `unknown` outcomes (a search stopped at its first counterexample leaves the other
 * properties unknown).
 */
function isComplete(r: CheckResult): boolean {
  if (r.kind === 'ok') return true;
  return r.kind === 'violation' && r.incomplete === undefined && r.outcomes.every((o) => o.status !== 'unknown');
}

function reasonsOf(r: CheckResult): readonly IncompleteReason[] {
  if (r.kind === 'incomplete') return r.reasons;
  if (r.kind === 'violation') return r.incomplete ?? [];
  return [];
}

const pathLength = (o: PropertyOutcome): number => o.path?.length ?? Infinity;

/**
 * Combines the results of independent shards of one search (swarm shards, simulation shards) into
 * one result.
 *
 * - A property is `violated` if any shard violated it, with the shortest counterexample among the
 *   shards (ties: the earliest shard in `results`); otherwise `found` if any shard found an example
 *   (the shortest); otherwise a complete shard's verdict (`holds` / `vacuous`) if some shard was
 *   complete (it explored everything); otherwise `unknown`.
 * - The merge is complete (no incomplete reasons) when at least one shard was complete (decided every
 *   property); otherwise its reasons are the union of the shards'.
 * - Stats: `generated`, `queued` and `statesPerSecond` are summed; `distinct` is the largest shard's
 *   count (shards overlap, so it is a lower bound on the union), `maxDepth`, `durationMs` (shards run
 *   side by side) and `bytesPerState` are maxima; `collisionProbability` is summed (a union bound).
 * - If any shard ended in `error`, the merge is an `error` whose message names each failed shard; its
 *   outcomes still carry the counterexamples the other shards found.
 */
export function mergeResults(results: readonly CheckResult[]): CheckResult {
  if (results.length === 0) throw new RangeError('mergeResults: no results to merge');
  const complete = results.find(isComplete);
  const order: string[] = [];
  const byId = new Map<string, PropertyOutcome[]>();
  for (const r of results)
    for (const o of r.outcomes) {
      const list = byId.get(o.id);
      if (list) list.push(o);
      else {
        order.push(o.id);
        byId.set(o.id, [o]);
      }
    }
  const outcomes: PropertyOutcome[] = [];
  for (const id of order) {
    const list = byId.get(id) ?? [];
    const first = list[0] as PropertyOutcome;
    const shortest = (status: 'violated' | 'found'): PropertyOutcome | undefined =>
      list
        .filter((o) => o.status === status)
        .reduce<PropertyOutcome | undefined>(
          (best, o) => (best === undefined || pathLength(o) < pathLength(best) ? o : best),
          undefined,
        );
    const pick = shortest('violated') ??
      shortest('found') ??
      complete?.outcomes.find((o) => o.id === id) ?? { id, title: first.title, kind: first.kind, status: 'unknown' };
    outcomes.push(pick);
  }
  const reasons = complete ? [] : [...new Set(results.flatMap(reasonsOf))];
  const sum = (f: (s: Stats) => number): number => results.reduce((a, r) => a + f(r.stats), 0);
  const max = (f: (s: Stats) => number): number => results.reduce((a, r) => Math.max(a, f(r.stats)), 0);
  const stats: Stats = {
    generated: sum((s) => s.generated),
    distinct: max((s) => s.distinct),
    maxDepth: max((s) => s.maxDepth),
    queued: sum((s) => s.queued),
    durationMs: max((s) => s.durationMs),
    statesPerSecond: sum((s) => s.statesPerSecond),
    collisionProbability: sum((s) => s.collisionProbability),
    bytesPerState: max((s) => s.bytesPerState),
  };
  const errors = results.flatMap((r, i) => (r.kind === 'error' ? [`shard ${i}: ${r.message}`] : []));
  if (errors.length) return { kind: 'error', stats, outcomes, message: errors.join('\n') };
  return verdict(stats, outcomes, reasons);
}

const KINDS = new Set(['ok', 'violation', 'incomplete', 'error']);
const STATUSES = new Set(['holds', 'violated', 'found', 'vacuous', 'unknown']);

/**
 * Reads one shard's result from its JSON text (as written with `JSON.stringify(result)`), checking
 * its shape; the error names what is wrong.
 */
export function parseCheckResult(text: string): { ok: true; value: CheckResult } | { ok: false; error: string } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (typeof v !== 'object' || v === null) return { ok: false, error: 'expected a JSON object (a check result)' };
  const r = v as Record<string, unknown>;
  if (typeof r['kind'] !== 'string' || !KINDS.has(r['kind']))
    return { ok: false, error: `"kind" must be one of ${[...KINDS].join(', ')}; is this a kafka-mc result file?` };
  const stats = r['stats'];
  if (typeof stats !== 'object' || stats === null) return { ok: false, error: 'missing "stats"' };
  for (const k of ['generated', 'distinct', 'maxDepth', 'queued', 'durationMs'])
    if (typeof (stats as Record<string, unknown>)[k] !== 'number')
      return { ok: false, error: `"stats.${k}" must be a number` };
  const outcomes = r['outcomes'];
  if (!Array.isArray(outcomes)) return { ok: false, error: 'missing "outcomes" array' };
  for (const [i, o] of outcomes.entries()) {
    const x = o as Record<string, unknown> | null;
    if (typeof x !== 'object' || x === null || typeof x['id'] !== 'string')
      return { ok: false, error: `outcomes[${i}] has no "id"` };
    if (typeof x['status'] !== 'string' || !STATUSES.has(x['status']))
      return { ok: false, error: `outcomes[${i}].status must be one of ${[...STATUSES].join(', ')}` };
    const path = x['path'];
    if (path !== undefined && (!Array.isArray(path) || !path.every((n) => Number.isInteger(n) && n >= 0)))
      return { ok: false, error: `outcomes[${i}].path must be a list of non-negative integers` };
  }
  return { ok: true, value: v as CheckResult };
}
