import type { Model } from './Model.js';
import type { Property } from './Property.js';
import type { CheckResult, IncompleteReason, PropertyOutcome } from './result.js';
import { verdict } from './result.js';
import type { SearchBounds } from './options.js';
import { CutTally, PropertyChecks, outcomesOf, searchStats } from './findings.js';
import { FingerprintSet, TraceStore } from './visited.js';
import { memoryFrontier, type Frontier } from './frontier.js';
import { explore as runCore, type CoreEntry } from './core.js';
import { DiskQueue, type DiskQueueOptions } from './diskQueue.js';
import { RunControl } from './RunControl.js';
import { BitStateSet, type BitstateOptions } from './bitstate.js';
import { ReductionTally, planReduction } from './reduction.js';

/** Options of the exhaustive search: the shared bounds, the frontier discipline and where data may spill. */
export interface CheckOptions extends SearchBounds {
  /** `bfs` (default) finds shortest counterexamples; `dfs` goes deep with little memory. */
  readonly strategy?: 'bfs' | 'dfs';
  /** Permutes the order in which actions are explored (swarm verification); paths stay canonical. */
  readonly actionOrder?: (n: number, depth: number) => readonly number[];
  /**
   * Where the counterexample trace (parent + action per state, 5-6 bytes) lives: in memory for the first
   * `after` × 65,536 states (default 8, about half a million), then appended to a temporary file in `dir`
   * (default the OS temp dir) and read back only to rebuild a path; the file is removed when the search
   * returns. `false` keeps it all in memory.
   */
  readonly traceSpill?: false | { readonly after?: number; readonly dir?: string };
  /**
   * Breadth-first only: keep at most `memorySegments` (default 2) segments of `segmentSize` (default
   * 16,384) queued states in memory and append the rest to a temporary file in `dir` (default the OS
   * temp dir), removed when the search returns. States are written in the structured-clone format
   * (`v8.serialize`), so they must be plain data, as the parallel engine also requires. For runs whose
   * frontier does not fit in memory; the visited set and trace are bounded separately.
   */
  readonly frontierSpill?: DiskQueueOptions;
  /**
   * Bitstate hashing (Spin's supertrace, see `checker/bitstate.ts`): the visited set is a bit array of
   * `bits` bits, `hashes` (default 3) set per state. States whose bits were all set by others are
   * skipped, so a run without a violation is `incomplete` with the reason `bitstate`, never `ok`, and
   * `stats.bitstate` estimates what was missed; a violation found is real.
   */
  readonly bitstate?: BitstateOptions;
}

/**
 * Explores every reachable state of `model` once (by fingerprint) and decides `properties`.
 *
 * One engine, two frontiers: with BFS a property is checked when a state is first discovered, so the
 * first counterexample is a shortest one. Hitting any bound (depth, states, time, state constraint,
 * interruption) yields `incomplete`, never `ok`.
 */
export function check<S, A>(
  model: Model<S, A>,
  properties: readonly Property<S>[],
  options: CheckOptions = {},
): CheckResult {
  const strategy = options.strategy ?? 'bfs';
  if (options.frontierSpill && strategy !== 'bfs')
    throw new Error(
      'check: frontierSpill applies to breadth-first search (a DFS stack stays small); drop it or use bfs',
    );
  const spill = options.traceSpill;
  const trace = new TraceStore(
    spill === false ? {} : { spillAfter: spill?.after ?? 8, ...(spill?.dir !== undefined ? { dir: spill.dir } : {}) },
  );
  const frontier: Frontier<CoreEntry<S>> & { close?(): void } =
    options.frontierSpill && strategy === 'bfs'
      ? new DiskQueue(options.frontierSpill)
      : memoryFrontier<CoreEntry<S>>(model as Model<unknown, unknown>, strategy === 'dfs' ? 'dfs' : 'bfs');
  try {
    return explore(model, properties, options, trace, frontier);
  } finally {
    trace.close();
    frontier.close?.();
  }
}

function explore<S, A>(
  model: Model<S, A>,
  properties: readonly Property<S>[],
  options: CheckOptions,
  trace: TraceStore,
  frontier: Frontier<CoreEntry<S>>,
): CheckResult {
  const seen = options.bitstate
    ? new BitStateSet(options.bitstate.bits, options.bitstate.hashes)
    : new FingerprintSet(options.expectedStates);
  const stopOnViolation = options.stopOnViolation ?? true;
  const control = new RunControl(options);
  const deadlock = options.deadlock ?? false;
  // the first finding of each property wins (breadth-first: on a shortest path)
  const outcome = new Map<string, PropertyOutcome>();
  let violated = false;
  const checks = new PropertyChecks<S>(
    properties,
    deadlock,
    (p, status, id, s) => {
      const detail = p.explain?.(s);
      const { id: pid, title, kind } = p;
      outcome.set(pid, {
        id: pid,
        title,
        kind,
        status,
        path: trace.pathTo(id),
        ...(detail !== undefined ? { detail } : {}),
      });
      if (status === 'violated' && stopOnViolation) violated = true;
    },
    (id) => outcome.has(id),
  );
  const cuts = new CutTally();
  const plan = planReduction(model, properties, options.partialOrder ?? true, deadlock);

  const run = runCore(model, {
    frontier,
    store: seen,
    trace,
    control,
    canonicalize: true,
    hashSeed: options.hashSeed ?? 0,
    maxDepth: options.maxDepth ?? Infinity,
    maxStates: options.maxStates ?? Infinity,
    actionOrder: options.actionOrder,
    visit: (s, id) => {
      checks.discovered(s, id);
      return !violated;
    },
    leaf: (s, id) => {
      checks.deadEnd(s, id);
      return !violated;
    },
    cut: (mask, id) => cuts.note(mask, id),
    reduce: plan.use ? model.reduction : undefined,
  });
  const stats = searchStats({
    generated: run.generated,
    distinct: seen.size,
    deepest: run.deepest,
    queued: frontier.size,
    durationMs: control.elapsed(),
    bytes: seen.bytesUsed() + trace.bytesUsed(),
    cuts: cuts.report(model.boundNames, (id) => trace.pathTo(id)),
    bitstate: seen instanceof BitStateSet ? seen.stats() : undefined,
    reduction: model.reduction ? ReductionTally.of(plan, run) : undefined,
  });
  // a bitstate search may have skipped states: never a proof, whatever else stopped it
  const reasons: IncompleteReason[] = [...(seen instanceof BitStateSet ? ['bitstate' as const] : []), ...run.reasons];
  const complete = reasons.length === 0 && !run.stopped && !run.full;
  return verdict(
    stats,
    outcomesOf(properties, (id) => outcome.get(id), complete, deadlock),
    reasons,
  );
}
