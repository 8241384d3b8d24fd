import type { ProgressListener } from './reporter.js';

/**
 * The bounds and controls every exhaustive strategy takes (`check`, `checkParallel`, `checkLiveness`,
 * swarm shards, `exploreGraph`, and the `explore(model)` builder): one declaration, so a bound means the
 * same thing everywhere. A run a bound stopped is `incomplete` and names the bound.
 */
export interface SearchBounds {
  /** States at this depth are checked but not expanded. */
  readonly maxDepth?: number;
  /** Stop after this many distinct states (exactly this many are visited). */
  readonly maxStates?: number;
  /** Stop after this many milliseconds of wall time. */
  readonly timeLimitMs?: number;
  /** Stop at the first counterexample (default true); otherwise record the first per property. */
  readonly stopOnViolation?: boolean;
  /** Seed of the fingerprint hash (swarm shards use different seeds). */
  readonly hashSeed?: number;
  /** Presize the visited table for this many states. */
  readonly expectedStates?: number;
  /**
   * Partial-order reduction with the model's persistent sets (`Model.reduction`, see
   * `checker/reduction.ts`), default true; used only when every property ignores what those actions
   * write and none is a liveness property. The liveness engine never reduces.
   */
  readonly partialOrder?: boolean;
  /** Report a state without successors as a violation of `deadlock-free` (TLC's default). */
  readonly deadlock?: boolean;
  /** Stops the run (reason `interrupted`) when aborted. */
  readonly signal?: AbortSignal;
  readonly onProgress?: ProgressListener;
  /** Milliseconds between progress events (default 1000). */
  readonly progressIntervalMs?: number;
}
