/**
 * The search stage of `check` and `fuzz`: the engine chosen, the header printed, then the search run
 * in this thread, in a worker thread or on the parallel engine, with progress on stderr.
 */
import type { KafkaModel } from '../../model/index.js';
import type { Io } from '../Io.js';
import { UsageError } from '../UsageError.js';
import { checkOutputDir } from '../outputPaths.js';
import { ProgressDisplay } from '../progress.js';
import { describeConfig } from '../render.js';
import {
  ruleErrorText,
  runInWorker,
  runInline,
  usesParallelEngine,
  type Engine,
  type SearchJob,
  type SearchOutcome,
} from '../runSearch.js';
import { chooseEngine, describeEngine, warnAboutWorkers } from './engine.js';
import type { RunPlan } from './resolve.js';

/** A finished search: the engine that ran and what it found. */
export interface RunOutcome {
  readonly engine: Engine;
  readonly outcome: SearchOutcome;
}

/**
 * Chooses the engine (usage errors for flags that do not fit it), checks `--out-dir`, prints the header
 * and runs the search; from the search's start a stop signal stops it, and the outcome is what it has.
 * `model` is the run's model (for the checkpoint label).
 */
export async function executeRun(plan: RunPlan, model: KafkaModel, io: Io): Promise<RunOutcome> {
  const engine = chooseEngine(plan, model, io.cwd);
  checkOutputDir('--out-dir', plan.flags.outDir, io.cwd);
  warnAboutWorkers(engine, io);
  // From here on a stop signal stops the search, which then prints what it has.
  io.catchSignals?.();
  printHeader(plan, engine, io);
  return { engine, outcome: await search(plan, engine, io) };
}

/** The header before the search (unless `--quiet`; on stderr with `--json`): config, engine, properties. */
function printHeader(plan: RunPlan, engine: Engine, io: Io): void {
  const { flags, ids, resume, eff } = plan;
  if (flags.quiet) return;
  // With --json the header goes to stderr: stdout holds only the JSON object.
  const head = (text: string): void => (flags.json ? io.stderr : io.stdout).write(`${text}\n`);
  head(`kafka-mc ${plan.command}: ${describeConfig(eff.config, eff.preset)}`);
  head(`engine: ${describeEngine(engine)}; ${ids.length} propert${ids.length === 1 ? 'y' : 'ies'}: ${ids.join(', ')}`);
  if (resume)
    head(
      `resuming from ${flags.resume ?? ''}: level ${resume.info.level}, ${resume.info.count.toLocaleString('en-US')} states, ${resume.info.frontier.toLocaleString('en-US')} of them to expand`,
    );
}

/**
 * Runs the search where its engine runs (inline, or in a worker thread: the parallel engine, and every
 * search when `io.searchInWorker`), with a progress display unless `--quiet` or `--json`. A warning the
 * search left goes to stderr; an election rule that misbehaved in a worker is a usage error, as inline.
 */
async function search(plan: RunPlan, engine: Engine, io: Io): Promise<SearchOutcome> {
  const { flags } = plan;
  const progress =
    flags.quiet || flags.json
      ? undefined
      : new ProgressDisplay(
          io.stderr,
          engine.kind === 'simulate'
            ? { runs: engine.runs, ...(flags.timeLimitMs !== undefined ? { timeLimitMs: flags.timeLimitMs } : {}) }
            : flags.timeLimitMs !== undefined
              ? { timeLimitMs: flags.timeLimitMs }
              : {},
        );
  const searchOptions = {
    ...(io.signal ? { signal: io.signal } : {}),
    ...(progress ? { onProgress: progress.listener } : {}),
  };
  const job: SearchJob = { spec: plan.spec, engine };
  let outcome: SearchOutcome;
  try {
    outcome =
      io.searchInWorker === true || usesParallelEngine(engine)
        ? await runInWorker(job, searchOptions)
        : runInline(job, plan.eff.rule, searchOptions);
  } finally {
    progress?.done();
  }
  if (outcome.warning !== undefined) io.stderr.write(`warning: ${outcome.warning}\n`);
  const result = outcome.result;
  // An engine that ended on a misbehaving election rule (a worker, fuzzing): a usage error, as inline.
  if (result.kind === 'error' && /election rule "/.test(result.message))
    throw new UsageError(ruleErrorText(result.message));
  return outcome;
}
