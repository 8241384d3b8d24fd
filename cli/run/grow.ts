import type { BoundCut } from '../../checker/index.js';
import { BOUND_RANGE, type Bounds, type KafkaModel, type ModelConfig } from '../../model/index.js';
import type { Io } from '../Io.js';
import { buildBundle } from '../kafkaBundle.js';
import { boundFlag, cutReports, growableBounds } from '../boundCuts.js';
import { executeRun, type RunOutcome } from './execute.js';
import { planRun, type RunConfig, type RunPlan } from './resolve.js';

/** One run of `--grow-bounds`: the bounds it had, what it found, what cut it. */
export interface GrowRound {
  /** The values of the mode's cuttable bounds in this round, by flag, e.g. `{ "--max-records": 2, … }`. */
  readonly bounds: Readonly<Record<string, number>>;
  /** `ok`, `ok within bounds`, `violation`, `incomplete` or `error`. */
  readonly verdict: string;
  readonly distinct: number;
  /** The flags of the bounds that cut it. */
  readonly cutBy: readonly string[];
}

/** The last round's plan, model and outcome (what `reportRun` reports), and every round. */
export interface Grown {
  readonly plan: RunPlan;
  readonly model: KafkaModel;
  readonly run: RunOutcome;
  readonly rounds: readonly GrowRound[];
  /** Why the rounds ended, in words. */
  readonly end: string;
}

/**
 * `check --grow-bounds`: runs the check; while it passes only within bounds that cut it (see
 * `Stats.cuts`), raises each cutting bound by one and runs again. Ends when the verdict is no longer a
 * pass within bounds (a violation: the bound was hiding it), nothing is cut (the pass does not depend on
 * the bounds that cut before), a cutting bound is at its maximum, the time limit (shared by all rounds)
 * runs out, or the user stops it. Each round is announced on stderr.
 */
export async function growBounds(config: RunConfig, cwd: string, io: Io): Promise<Grown> {
  const started = Date.now();
  const limit = config.flags.timeLimitMs;
  const rounds: GrowRound[] = [];
  let cfg = config;
  for (;;) {
    const timeLimitMs = limit === undefined ? undefined : Math.max(1, limit - (Date.now() - started));
    const plan = planRun(
      { ...cfg, flags: { ...cfg.flags, ...(timeLimitMs !== undefined ? { timeLimitMs } : {}) } },
      cwd,
    );
    const model = buildBundle(plan.eff.config, plan.eff.rule, plan.ids, cwd).model;
    const run = await executeRun(plan, model, io);
    const result = run.outcome.result;
    const cuts = result.stats.cuts ?? [];
    const config0 = plan.eff.config;
    rounds.push(roundOf(config0, result.kind, result.stats.distinct, cuts));
    const done = (end: string): Grown => ({ plan, model, run, rounds, end });
    if (result.kind !== 'ok')
      return done(
        `round ${rounds.length} ended ${result.kind === 'violation' ? 'with a violation' : `${result.kind}`}`,
      );
    if (!cuts.length) return done(`round ${rounds.length} passed with no bound cutting it`);
    if (io.signal?.aborted) return done('stopped');
    if (limit !== undefined && Date.now() - started >= limit) return done('the time limit ran out');
    const only = cfg.flags.growBounds;
    const growing = Array.isArray(only) ? cuts.filter((c) => only.includes(c.bound)) : cuts;
    if (!growing.length)
      return done(`round ${rounds.length} passed within bounds, but none of the bounds that cut it may grow`);
    const raised = raise(config0, growing);
    if (typeof raised === 'string') return done(raised);
    io.stderr.write(
      `--grow-bounds: round ${rounds.length} passed within bounds cut by ${cutReports(cuts, config0)
        .map((r) => `${r.flag} ${r.value}`)
        .join(', ')}; raising ${growing.map((c) => boundFlag(c.bound)).join(', ')} by one\n`,
    );
    cfg = { ...cfg, eff: { ...cfg.eff, config: raised } };
  }
}

/** `cfg` with every cutting bound one higher, or why not (a bound at its maximum). */
function raise(cfg: ModelConfig, cuts: readonly BoundCut[]): ModelConfig | string {
  const bounds: Record<string, number> = { ...cfg.bounds };
  for (const c of cuts) {
    const k = c.bound as keyof Bounds;
    const max = BOUND_RANGE[k][1];
    if (cfg.bounds[k] >= max) return `${boundFlag(k)} is at its maximum (${max}); the model cannot grow it further`;
    bounds[k] = cfg.bounds[k] + 1;
  }
  return { ...cfg, bounds: bounds as unknown as Bounds };
}

function roundOf(cfg: ModelConfig, kind: string, distinct: number, cuts: readonly BoundCut[]): GrowRound {
  const verdict = kind === 'ok' && cuts.length ? 'ok within bounds' : kind;
  const bounds: Record<string, number> = {};
  for (const b of growableBounds(cfg.mode)) bounds[b.flag] = cfg.bounds[b.key];
  return { bounds, verdict, distinct, cutBy: cuts.map((c) => boundFlag(c.bound)) };
}
