import { formatPath, type BoundCut } from '../checker/index.js';
import { BOUND_MODES, type Bounds, type ModelConfig } from '../model/index.js';
import { BOUND_FLAGS } from './modelFlags.js';
import { formatCount } from './format.js';

/** A bound that cut a run, in the words and flags a user raises it with. */
export interface CutReport {
  /** The config key (`bounds.records`, …). */
  readonly bound: string;
  /** The flag that sets it, e.g. `--max-records`. */
  readonly flag: string;
  /** Its value in the run. */
  readonly value: number;
  /** Expanded states in which it disabled an otherwise enabled action. */
  readonly states: number;
  /** A path to one of them (breadth-first: a shortest), as `replay --path` takes it. */
  readonly path: string;
}

/**
 * The bounds that can cut a step and so can grow (`--grow-bounds`): every bound flag but the in-flight
 * bound, a state constraint; with `mode`, those that exist in it.
 */
export function growableBounds(mode?: 'zk' | 'kraft'): typeof BOUND_FLAGS {
  return BOUND_FLAGS.filter((b) => b.key !== 'inFlight' && (mode === undefined || BOUND_MODES[b.key].includes(mode)));
}

/** The flag that sets bound `key` (a `Bounds` key), e.g. `--max-records`. */
export function boundFlag(key: string): string {
  return BOUND_FLAGS.find((f) => f.key === key)?.flag ?? key;
}

/** The run's cuts (`Stats.cuts`) with the flag and value of each bound. */
export function cutReports(cuts: readonly BoundCut[] | undefined, cfg: ModelConfig): CutReport[] {
  return (cuts ?? []).map((c) => ({
    bound: c.bound,
    flag: boundFlag(c.bound),
    value: cfg.bounds[c.bound as keyof Bounds],
    states: c.states,
    path: formatPath(c.path),
  }));
}

/**
 * The lines that say a pass holds only within the bounds that cut it, and how to look further, e.g.
 *
 *   Holds within bounds: these bounds disabled steps Kafka could take next (a bigger bound may find more):
 *     --max-records 2            in 592,150 states, e.g. 0/0/0
 */
export function renderCuts(reports: readonly CutReport[]): string | undefined {
  if (!reports.length) return undefined;
  const width = Math.max(...reports.map((r) => `${r.flag} ${r.value}`.length));
  return [
    'Within bounds: these bounds disabled steps the cluster could have taken next, so behaviour beyond them was not explored',
    '(raise one, or run with --grow-bounds to raise them until the verdict changes):',
    ...reports.map(
      (r) => `  ${`${r.flag} ${r.value}`.padEnd(width)}  cut ${formatCount(r.states)} states, e.g. after ${r.path}`,
    ),
  ].join('\n');
}
