import type { Command } from 'commander';
import type { KafkaModel } from '../model/index.js';
import type { CliContext } from './Io.js';
import { ExitCode } from './exitCodes.js';
import { buildBundle } from './kafkaBundle.js';
import { executeRun } from './run/execute.js';
import { growBounds } from './run/grow.js';
import { composeRun, compositionObstacle } from './run/compose.js';
import { printConfig, reportRun } from './run/report.js';
import { planRun, resolveRunConfig, type RunPlan } from './run/resolve.js';

export type { CliContext } from './Io.js';

/**
 * `check` and `fuzz`, in four stages: resolve the flags into a plan (effective config, properties,
 * the checkpoint to resume), build the model, run the search (engine, progress on stderr), and report
 * (verdict, outcomes, counterexample with its saved trace and replay command, summary); returns the
 * exit code.
 */
export async function runModel(command: 'check' | 'fuzz', cmd: Command, ctx: CliContext): Promise<number> {
  const { io } = ctx;
  const config = await resolveRunConfig(command, cmd, io.cwd);
  if (config.flags.printConfig) {
    printConfig(config, io);
    return ExitCode.ok;
  }
  if (config.flags.growBounds) {
    const grown = await growBounds(config, io.cwd, io);
    return reportRun(grown.plan, grown.run, grown.model, ctx, grown);
  }
  const plan = planRun(config, io.cwd);
  if (command === 'check' && compositionObstacle(config, plan) === undefined) {
    const composed = await composeRun(config, plan, io.cwd, io);
    if (composed) return reportRun(composed.plan, composed.run, composed.model, ctx, undefined, composed.parts);
  }
  const model = buildModel(plan, io.cwd);
  const run = await executeRun(plan, model, io);
  return reportRun(plan, run, model, ctx);
}

/**
 * The run's model, with its election rule guarded (a misbehaving rule is reported naming the rule and
 * the state). Building it explores nothing: the checkpoint label and the counterexample's trace file
 * use it; the search builds its own from `plan.spec`, in the thread it runs in.
 */
function buildModel(plan: RunPlan, cwd: string): KafkaModel {
  return buildBundle(plan.eff.config, plan.eff.rule, plan.ids, cwd).model;
}
