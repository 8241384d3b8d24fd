import type { CheckResult, Property, PropertyOutcome } from '../../checker/index.js';
import type { ClusterState, KafkaModel } from '../../model/index.js';
import type { CliContext } from '../Io.js';
import type { Engine } from '../runSearch.js';
import { saveCounterexample, type CounterexampleInput } from '../traceOutput.js';
import type { RunPlan } from './resolve.js';

/** How the run's engine found its paths, in a trace's words. */
function strategyOf(engine: Engine): CounterexampleInput['strategy'] {
  if (engine.kind === 'simulate') return 'fuzz';
  if (engine.kind === 'swarm') return 'dfs';
  if (engine.kind === 'liveness') return 'liveness';
  return engine.strategy;
}

/** The trace input of one outcome of this run (a counterexample, or a reached guard's example). */
export function traceInputFor(
  plan: RunPlan,
  engine: Engine,
  model: KafkaModel,
  ctx: CliContext,
  outcome: PropertyOutcome,
  property: Property<ClusterState>,
): CounterexampleInput {
  return {
    model,
    rule: plan.eff.rule.ref,
    outcome,
    property,
    strategy: strategyOf(engine),
    ...(plan.seed !== undefined ? { seed: plan.seed } : {}),
    commandLine: ['kafka-mc', ...ctx.argv],
  };
}

/** One reached guard's saved example (or why it could not be written). */
export interface SavedExample {
  readonly id: string;
  readonly steps: number;
  readonly file?: string;
  readonly error?: string;
}

/**
 * `--save-examples`: every reachability guard the run reached (`found`, with its path) saved as a
 * replayable trace `<outDir>/<guard>.example.trace.json` (`-2`, … when taken: never overwriting), like
 * a counterexample, so "how does a failover go" can be read, replayed and viewed. Empty without the flag.
 */
export function saveExamples(
  plan: RunPlan,
  engine: Engine,
  result: CheckResult,
  model: KafkaModel,
  ctx: CliContext,
): readonly SavedExample[] {
  if (!plan.flags.saveExamples) return [];
  const out: SavedExample[] = [];
  for (const o of result.outcomes) {
    const property = plan.properties.find((p) => p.id === o.id);
    if (o.status !== 'found' || !o.path || !property) continue;
    const input = traceInputFor(plan, engine, model, ctx, o, property);
    const saved = saveCounterexample(input, plan.flags.outDir, ctx.io.cwd, 'example');
    const steps = o.path.length - 1;
    out.push(
      saved.file !== undefined ? { id: o.id, steps, file: saved.file } : { id: o.id, steps, error: saved.error },
    );
  }
  return out;
}

/** The text block listing saved examples (none: nothing). */
export function exampleLines(examples: readonly SavedExample[]): string[] {
  if (!examples.length) return [];
  const w = Math.max(...examples.map((e) => e.id.length));
  return [
    'Examples of reached guards (kafka-mc replay FILE, kafka-mc view FILE):',
    ...examples.map(
      (e) =>
        `  ${e.id.padEnd(w)}  ${e.file ?? `not saved: ${e.error ?? '?'}`} (${e.steps} step${e.steps === 1 ? '' : 's'})`,
    ),
  ];
}
