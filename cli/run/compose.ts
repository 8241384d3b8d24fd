/**
 * Per-partition checking of a multi-partition cluster (ZooKeeper or KRaft mode) (`check`, on by default; off with
 * `--no-compose`). Each partition's one-partition cluster, with the other partitions as its environment
 * (`model/projection.ts`, which says why this is sound), is checked in turn; the full cluster passes when
 * every one passes. A counterexample or guard witness of one partition is replayed in the full cluster
 * and reported as the full cluster's own trace; when it does not replay (the projection allows more than
 * the full cluster), the full cluster is checked unreduced instead.
 */
import {
  verdict,
  type BoundCut,
  type CheckResult,
  type Property,
  type PropertyOutcome,
  type Stats,
} from '../../checker/index.js';
import type { ClusterState, KafkaModel } from '../../model/index.js';
import { liftPath, projectConfig, projectionObstacle } from '../../model/projection.js';
import type { Io } from '../Io.js';
import { buildBundle } from '../kafkaBundle.js';
import { executeRun, type RunOutcome } from './execute.js';
import { planRun, type RunConfig, type RunPlan } from './resolve.js';

/** One partition's check, for the report. */
export interface ComposedPart {
  readonly partition: number;
  readonly verdict: CheckResult['kind'];
  readonly distinct: number;
  readonly seconds: number;
}

/** A run decided per partition: the full cluster's plan and model, and the combined outcome. */
export interface Composed {
  readonly plan: RunPlan;
  readonly model: KafkaModel;
  readonly run: RunOutcome;
  readonly parts: readonly ComposedPart[];
}

/** Why this run is not decided per partition, or undefined when it is. */
export function compositionObstacle(config: RunConfig, plan: RunPlan): string | undefined {
  const { flags } = config;
  if (!flags.compose) return '--no-compose';
  const obstacle = projectionObstacle(config.eff.config);
  if (obstacle) return obstacle;
  if (plan.hasLiveness) return 'a liveness property is checked (per-partition checking is shown sound for safety only)';
  if (flags.resume !== undefined || flags.checkpoint !== undefined) return 'checkpoints follow one search';
  if (flags.swarm) return 'a swarm shard is one search';
  if (flags.maxDepth !== undefined || flags.maxStates !== undefined)
    return '--max-depth and --max-states count the full cluster’s steps and states';
  if (flags.growBounds) return '--grow-bounds re-runs the full cluster';
  return undefined;
}

/**
 * Checks each partition's cluster; returns the combined run, or undefined when a trace found in one
 * does not replay in the full cluster (the caller then checks the full cluster).
 */
export async function composeRun(config: RunConfig, plan: RunPlan, cwd: string, io: Io): Promise<Composed | undefined> {
  const full = buildBundle(plan.eff.config, plan.eff.rule, plan.ids, cwd).model;
  const started = Date.now();
  const limit = config.flags.timeLimitMs;
  const runs: { run: RunOutcome; model: KafkaModel }[] = [];
  for (let p = 0; p < plan.eff.config.partitions; p++) {
    const timeLimitMs = limit === undefined ? undefined : Math.max(1, limit - (Date.now() - started));
    const flags = { ...config.flags, ...(timeLimitMs !== undefined ? { timeLimitMs } : {}) };
    const projected = { ...config.eff, config: projectConfig(plan.eff.config, p) };
    const partPlan = planRun({ ...config, flags, eff: projected }, cwd);
    if (!flags.quiet)
      (flags.json ? io.stderr : io.stdout).write(
        `\nPartition ${p} of ${plan.eff.config.partitions}, with the other partitions as its environment:\n`,
      );
    const model = buildBundle(partPlan.eff.config, partPlan.eff.rule, partPlan.ids, cwd).model;
    const run = await executeRun(partPlan, model, io);
    runs.push({ run, model });
    if (run.outcome.result.kind === 'violation' || run.outcome.result.kind === 'error' || io.signal?.aborted) break;
  }
  const combined = combinePartitions(
    full,
    plan.properties,
    runs.map(({ run, model }) => ({ model, result: run.outcome.result })),
  );
  if (typeof combined === 'string') {
    io.stderr.write(`note: ${combined}; checking the full cluster unreduced instead (--no-compose)\n`);
    return undefined;
  }
  const last = runs[runs.length - 1] as { run: RunOutcome };
  const parts = runs.map(({ run }, partition) => ({
    partition,
    verdict: run.outcome.result.kind,
    distinct: run.outcome.result.stats.distinct,
    seconds: run.outcome.result.stats.durationMs / 1000,
  }));
  return { plan, model: full, run: { engine: last.run.engine, outcome: { result: combined } }, parts };
}

/** One partition's check: its one-partition cluster and what the search found. */
export interface PartRun {
  readonly model: KafkaModel;
  readonly result: CheckResult;
}

/**
 * The full cluster's result from its partitions' results (partition p's at index p; a run that stopped
 * at a violation may have fewer), with every path replayed in the full cluster; a string says why a
 * partition's trace does not replay there (then only the unreduced search decides).
 */
export function combinePartitions(
  full: KafkaModel,
  properties: readonly Property<ClusterState>[],
  runs: readonly PartRun[],
): CheckResult | string {
  const outcomes: PropertyOutcome[] = [];
  for (const prop of properties) {
    const o = combineOutcome(full, prop.id, runs);
    if (typeof o === 'string') return `partition checking found ${prop.id} ${o}`;
    const holdsAtEnd = o.path ? prop.holds(lastState(full, o.path)) : undefined;
    if (o.status === 'violated' && holdsAtEnd !== false)
      return `${prop.id}'s counterexample replays in the full cluster but ends in a state where it holds`;
    if (o.status === 'found' && holdsAtEnd !== true)
      return `${prop.id}'s witness replays in the full cluster but ends in a state where it does not hold`;
    outcomes.push(o);
  }
  const results = runs.map(({ result }) => result);
  const reasons = [
    ...new Set(
      results.flatMap((r) =>
        r.kind === 'incomplete' ? r.reasons : r.kind === 'violation' ? (r.incomplete ?? []) : [],
      ),
    ),
  ];
  const error = results.find((r) => r.kind === 'error');
  const stats = combineStats(full, results, runs);
  if (error?.kind === 'error') return { ...error, stats, outcomes };
  return verdict(stats, outcomes, reasons);
}

function lastState(full: KafkaModel, path: readonly number[]): ClusterState {
  let s = full.initStates()[path[0] ?? 0] as ClusterState;
  for (const i of path.slice(1)) s = full.next(s, full.actions(s)[i] as never) ?? s;
  return s;
}

/**
 * One property's outcome over the partitions: violated or found (with the full cluster's path) when
 * some partition violates or reaches it, else the partitions' common status ('unknown' when they
 * differ). A string says why a partition's path does not replay.
 */
function combineOutcome(full: KafkaModel, id: string, runs: readonly PartRun[]): PropertyOutcome | string {
  const per = runs.map(({ result }) => result.outcomes.find((o) => o.id === id));
  const first = per[0];
  if (!first) return `missing from partition 0's run`;
  for (const [p, o] of per.entries()) {
    if (!o || (o.status !== 'violated' && o.status !== 'found') || !o.path) continue;
    const lifted = liftPath(full, (runs[p] as PartRun).model, p, o.path);
    if (typeof lifted === 'string')
      return `${o.status} on partition ${p}'s cluster, but its trace does not replay in the full cluster (${lifted})`;
    return { ...o, path: lifted.path };
  }
  const same = per.every((o) => o?.status === first.status);
  const complete = per.length === runs.length && runs.length === full.config.partitions;
  if (same && complete) return { ...first };
  return { ...first, status: 'unknown', detail: 'not decided on every partition' };
}

function combineStats(full: KafkaModel, results: readonly CheckResult[], runs: readonly PartRun[]): Stats {
  const sum = (f: (s: Stats) => number): number => results.reduce((n, r) => n + f(r.stats), 0);
  const durationMs = sum((s) => s.durationMs);
  const distinct = sum((s) => s.distinct);
  const cuts = new Map<string, BoundCut>();
  results.forEach((r, p) => {
    for (const c of r.stats.cuts ?? []) {
      const had = cuts.get(c.bound);
      if (had) cuts.set(c.bound, { ...had, states: had.states + c.states });
      else {
        const lifted = liftPath(full, (runs[p] as PartRun).model, p, c.path);
        cuts.set(c.bound, { bound: c.bound, states: c.states, path: typeof lifted === 'string' ? [] : lifted.path });
      }
    }
  });
  return {
    generated: sum((s) => s.generated),
    distinct,
    maxDepth: Math.max(...results.map((r) => r.stats.maxDepth)),
    queued: sum((s) => s.queued),
    durationMs,
    statesPerSecond: durationMs > 0 ? Math.round(distinct / (durationMs / 1000)) : 0,
    collisionProbability: Math.max(...results.map((r) => r.stats.collisionProbability)),
    bytesPerState: distinct > 0 ? sum((s) => s.bytesPerState * s.distinct) / distinct : 0,
    ...(cuts.size ? { cuts: [...cuts.values()] } : {}),
  };
}
