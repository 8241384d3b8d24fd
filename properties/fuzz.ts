import fc from 'fast-check';
import type {
  CheckResult,
  EventuallyProperty,
  IncompleteReason,
  Property,
  PropertyOutcome,
  Stats,
} from '../checker/index.js';
import { collisionProbability, replayPath, verdict } from '../checker/index.js';
import type { ClusterState, KafkaModel } from '../model/index.js';
import { CoverageCollector, type FuzzCoverage } from './coverage.js';
import { Violation, World, intentCommands, type IntentName, type IntentWeights } from './commands/index.js';

/** Options of `fuzz`. */
export interface FuzzOptions {
  /** fast-check's seed: the same seed, model and properties give the same runs and the same shrunk case. */
  readonly seed: number;
  /** Generated runs (fast-check's `numRuns`, default 100). */
  readonly runs?: number;
  /** Most commands (fault intents) per run (default 25). */
  readonly depth?: number;
  /**
   * After its commands, each run lets the cluster settle for at most this many steps (default 200):
   * the first enabled fair action each time (see `World.settle`). Liveness is judged where settling
   * stops. 0 turns settling off (and with it liveness judging).
   */
  readonly settle?: number;
  /** Where a behaviour may stop forever, as in `checkLiveness` (default `always`, as `KAFKA_LIVENESS_OPTIONS`). */
  readonly stutter?: 'always' | 'deadlock';
  /** Shrink a failing run to a minimal command sequence (default true). */
  readonly shrink?: boolean;
  /** A counterexample's `FuzzCounterexample.replay` token: rerun only that case (with the same `seed`). */
  readonly replay?: string;
  /** Stop generating runs after this many milliseconds (the result then says `time-limit`). */
  readonly timeLimitMs?: number;
  /** Stops generating runs (cheaply skips the rest) once aborted; the result then says `interrupted`. */
  readonly signal?: AbortSignal;
  /**
   * Which generated runs to execute, by index k = 0 … runs-1 (default all). A skipped run is still drawn
   * from the seed's stream, so run k is the same run whatever the filter: a sharded campaign
   * (`k mod n = i`) runs exactly the unsharded campaign's runs between its shards.
   */
  readonly runFilter?: (k: number) => boolean;
  /** Relative weight of `Tick` and the size of its bursts. */
  readonly weights?: IntentWeights;
  /** Called after each generated run. */
  readonly onRun?: (done: number, total: number) => void;
}

/** The shrunk failing run, in fast-check's terms, to reproduce it or read it. */
export interface FuzzCounterexample {
  readonly seed: number;
  /**
   * Pass `{ seed, replay }` back to `fuzz` to rerun only this case: fast-check's counterexample path and
   * the commands' replay hint (`fc.commands`' `replayPath`), joined by `|`.
   */
  readonly replay: string;
  /** The fault intents that ran, in order (e.g. `CrashBroker(b0)`, `Tick(0,3)`). */
  readonly commands: readonly string[];
  /** Shrinking steps fast-check took. */
  readonly shrinks: number;
}

/** A fuzz campaign's verdict (the checker's result type) and what it exercised. */
export interface FuzzReport {
  /**
   * `violation` with the shrunk counterexample as an action-index `path` over the model's canonical
   * `actions(s)` order (like the exhaustive engine; replay it with `replayPath`, save it as a trace);
   * otherwise `incomplete` (`sampled`): fuzzing never proves a property. `error` if the counterexample
   * did not replay (a nondeterministic model).
   */
  readonly result: CheckResult;
  readonly coverage: FuzzCoverage;
  readonly counterexample?: FuzzCounterexample;
}

interface RunOutcome {
  readonly world: World;
  readonly violation?: Violation;
}

/**
 * Model-based fuzzing of the Kafka model with fast-check (`fc.commands`): each run is a random sequence
 * of fault intents — `CrashBroker`, `UncleanShutdown`, `RestartBroker`, `ExpireSession`, `Reconnect`,
 * `PartitionNetwork`, `Heal`, `DropMessage`, `Produce`, `ControlledShutdown`, `PreferredElection`,
 * `UncleanElection`, and
 * `Tick` (fair cluster steps chosen by the fuzz RNG) — each taking the matching enabled model action,
 * followed by a deterministic settling phase. `always` properties are checked in every state,
 * `sometimes` guards record their first example, `eventually` properties are judged where a run stops
 * in a state where the behaviour may stutter forever (see `World.judge`).
 *
 * On the first failure fast-check shrinks the run to a minimal command sequence that still violates
 * the SAME property; the shrunk run becomes a `PropertyOutcome` whose `path` is
 * `[0, a1, a2, …]` — indices into `model.actions(s)` — which is replayed once with `replayPath` as a
 * determinism check. Deterministic for a given seed (no clocks unless `timeLimitMs`).
 */
export function fuzz(
  model: KafkaModel,
  properties: readonly Property<ClusterState>[],
  options: FuzzOptions,
): FuzzReport {
  const start = Date.now();
  const cfg = model.config;
  const runs = options.runs ?? 100;
  const settleSteps = options.settle ?? 200;
  const stutter = options.stutter ?? 'always';
  const live = properties.filter((p): p is EventuallyProperty<ClusterState> => p.kind === 'eventually');
  const coverage = new CoverageCollector(model, properties);
  const examples = new Map<string, readonly number[]>();
  let target: string | undefined;
  let done = 0;
  let aborted = false;
  let generatedRuns = 0;

  const runOnce = (cmds: Iterable<fc.Command<World, World>>): RunOutcome => {
    coverage.startRun();
    const world = new World(model, properties, {
      onState: (s, fams) => coverage.state(s, fams),
      onStep: (a) => coverage.step(a),
      onGuard: (id, path) => {
        coverage.guard(id);
        if (coverage.counting && !examples.has(id)) examples.set(id, [...path]);
      },
      onIntent: (name) => coverage.intent(name as IntentName),
    });
    try {
      world.begin();
      fc.modelRun(() => ({ model: world, real: world }), cmds);
      if (settleSteps > 0 && world.settle(settleSteps, stutter))
        for (const p of live) {
          const j = world.judge(p);
          coverage.liveness(p.id, j.triggered);
          if (j.violation) throw j.violation;
        }
      return { world };
    } catch (e) {
      if (e instanceof Violation) return { world, violation: e };
      throw e;
    } finally {
      coverage.endRun(world.steps);
    }
  };

  const [fcPath, commandsPath] = options.replay === undefined ? [undefined, undefined] : splitReplay(options.replay);
  const property = fc.property(
    fc.commands(intentCommands(cfg, options.weights), {
      maxCommands: options.depth ?? 25,
      size: 'max',
      ...(commandsPath !== undefined ? { replayPath: commandsPath } : {}),
    }),
    (cmds) => {
      if (options.signal?.aborted && target === undefined) {
        aborted = true;
        return true;
      }
      // Generated runs only: once a run fails, fast-check's shrink candidates come with `target` set.
      if (target === undefined && options.runFilter && !options.runFilter(generatedRuns++)) return true;
      const counting = coverage.counting;
      const r = runOnce(cmds);
      if (counting) options.onRun?.(++done, runs);
      if (!r.violation) return true;
      if (target === undefined) {
        target = r.violation.property.id;
        coverage.counting = false;
        return false;
      }
      return r.violation.property.id !== target;
    },
  );
  const details = fc.check(property, {
    seed: options.seed,
    numRuns: runs,
    endOnFailure: !(options.shrink ?? true),
    markInterruptAsFailure: false,
    ...(fcPath !== undefined ? { path: fcPath } : {}),
    ...(options.timeLimitMs !== undefined ? { interruptAfterTimeLimit: options.timeLimitMs } : {}),
  });
  coverage.counting = false;

  const outcomes = new Map<string, PropertyOutcome>();
  let counterexample: FuzzCounterexample | undefined;
  let error: string | undefined;
  if (details.failed && target === undefined) {
    const e: unknown = details.errorInstance;
    error = `fuzzing stopped on an error thrown by the model or a property: ${e instanceof Error ? e.message : String(e)}`;
  } else if (details.failed && details.counterexample) {
    const [cmds] = details.counterexample;
    const hint = /\/\*replayPath="([^"]*)"\*\//.exec(String(cmds))?.[1] ?? '';
    const r = runOnce(cmds);
    if (!r.violation) {
      error = `the shrunk counterexample of "${target ?? '?'}" did not fail again when rerun: the model or a property is nondeterministic (it reads a clock, Math.random or mutable module state)`;
    } else {
      const v = r.violation;
      const outcome: PropertyOutcome = {
        id: v.property.id,
        title: v.property.title,
        kind: v.property.kind,
        status: 'violated',
        path: [...r.world.path],
        ...(v.loopStart !== undefined ? { loopStart: v.loopStart } : {}),
        ...(v.detail !== undefined ? { detail: v.detail } : {}),
      };
      error = verifyReplay(model, v.property, outcome.path ?? []);
      outcomes.set(v.property.id, outcome);
      counterexample = {
        seed: details.seed,
        replay: `${details.counterexamplePath ?? ''}|${hint}`,
        commands: r.world.commands,
        shrinks: details.numShrinks,
      };
    }
  }

  const cov = coverage.result(cfg);
  for (const p of properties) {
    if (outcomes.has(p.id)) continue;
    const ex = examples.get(p.id);
    if (p.kind === 'sometimes' && ex) {
      outcomes.set(p.id, { id: p.id, title: p.title, kind: p.kind, status: 'found', path: ex });
      continue;
    }
    const warnings = p.kind === 'eventually' ? cov.warnings.filter((w) => w.startsWith(`liveness "${p.id}"`)) : [];
    outcomes.set(p.id, {
      id: p.id,
      title: p.title,
      kind: p.kind,
      status: 'unknown',
      ...(warnings.length ? { warnings } : {}),
    });
  }

  const durationMs = Date.now() - start;
  const generated = coverage.totalSteps + cov.runs;
  const stats: Stats = {
    generated,
    distinct: cov.distinctStates,
    maxDepth: coverage.maxDepth,
    queued: 0,
    durationMs,
    statesPerSecond: Math.round((cov.distinctStates * 1000) / Math.max(1, durationMs)),
    collisionProbability: collisionProbability(cov.distinctStates, generated),
    bytesPerState: 0,
  };
  const ordered = properties.map((p) => outcomes.get(p.id) as PropertyOutcome);
  const reasons: IncompleteReason[] = ['sampled'];
  if (details.interrupted) reasons.push('time-limit');
  if (aborted) reasons.push('interrupted');
  const result: CheckResult =
    error !== undefined
      ? { kind: 'error', stats, outcomes: ordered, message: error }
      : verdict(stats, ordered, reasons);
  return counterexample ? { result, coverage: cov, counterexample } : { result, coverage: cov };
}

/** `"fcPath|commandsReplayPath"` → its two parts (a token without `|` is a bare fast-check path). */
function splitReplay(token: string): [string, string | undefined] {
  const i = token.indexOf('|');
  return i < 0 ? [token, undefined] : [token.slice(0, i), token.slice(i + 1) || undefined];
}

/** Replays a counterexample path and checks that its last state violates the property; returns an error or undefined. */
function verifyReplay(model: KafkaModel, p: Property<ClusterState>, path: readonly number[]): string | undefined {
  const r = replayPath(model, path);
  if (!r.ok) return `the fuzz counterexample does not replay: ${r.error}`;
  const last = r.value.states[r.value.states.length - 1];
  if (last === undefined || p.holds(last))
    return `the fuzz counterexample of "${p.id}" replays, but its last state does not violate the property: the property is nondeterministic`;
  return undefined;
}
