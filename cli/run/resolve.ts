/**
 * The first stage of `check` and `fuzz`: from the command line (or the checkpoint `--resume` names) to
 * what the run is to do, every usage error about the flags thrown before anything runs.
 */
import type { Command } from 'commander';
import { freshSeed, type Property } from '../../checker/index.js';
import type { ClusterState } from '../../model/index.js';
import { UsageError } from '../UsageError.js';
import { planResume, type ResumePlan } from '../checkpoint.js';
import { effectiveConfig, type EffectiveConfig } from '../effectiveConfig.js';
import type { RunSpec } from '../kafkaBundle.js';
import { modelFlags } from '../modelFlags.js';
import { selectProperties } from '../propertyCatalog.js';
import { runFlags, type RunFlags } from '../runOptions.js';

/** A run's flags and the config it runs on: from the model flags, or from the checkpoint it resumes. */
export interface RunConfig {
  readonly command: 'check' | 'fuzz';
  readonly flags: RunFlags;
  /** The checkpoint `--resume` continues: its config, rule and properties are the run's. */
  readonly resume: ResumePlan | undefined;
  readonly eff: EffectiveConfig;
}

/** What a run checks, with which seed, and the model as data (`spec`) for a worker to rebuild. */
export interface RunPlan extends RunConfig {
  readonly properties: readonly Property<ClusterState>[];
  /** The ids of `properties`, in order. */
  readonly ids: readonly string[];
  /** Whether a liveness property is among them (decided by the liveness engine only). */
  readonly hasLiveness: boolean;
  /** `--seed`, or for `fuzz` without it a fresh one. */
  readonly seed: number | undefined;
  readonly spec: RunSpec;
}

/**
 * Reads the run flags (refusing combinations that make no sense), the checkpoint `--resume` names and
 * the effective config.
 */
export async function resolveRunConfig(command: 'check' | 'fuzz', cmd: Command, cwd: string): Promise<RunConfig> {
  const flags = runFlags(cmd);
  checkRunFlags(command, flags);
  const resume = flags.resume !== undefined ? await planResume(cmd, flags, cwd) : undefined;
  const eff: EffectiveConfig = resume
    ? { config: resume.spec.config, rule: resume.rule }
    : await effectiveConfig(modelFlags(cmd), cwd);
  return { command, flags, resume, eff };
}

/** The properties a run checks (`--property`, the checkpoint's, or the defaults), its seed and its spec. */
export function planRun(config: RunConfig, cwd: string): RunPlan {
  const { command, flags, resume, eff } = config;
  const propertyArgs = resume ? resume.spec.properties : flags.property;
  const properties = selectProperties(propertyArgs, eff.config);
  const ids = properties.map((p) => p.id);
  const spec = resume
    ? resume.spec
    : {
        config: eff.config,
        rule: 'path' in eff.rule.ref ? eff.rule.ref.path : eff.rule.ref.name,
        properties: propertyArgs.length ? ids : [],
        cwd,
      };
  return {
    ...config,
    properties,
    ids,
    hasLiveness: properties.some((p) => p.kind === 'eventually'),
    seed: command === 'fuzz' ? (flags.seed ?? freshSeed()) : flags.seed,
    spec,
  };
}

/** Flag combinations that make no sense whatever the config (usage errors before anything runs). */
function checkRunFlags(command: 'check' | 'fuzz', f: RunFlags): void {
  if (command === 'fuzz') {
    if (f.shard && f.seed === undefined)
      throw new UsageError(
        `--shard ${f.shard.index}/${f.shard.count} needs --seed: every shard of a campaign must use the same base seed (e.g. --seed 42 --shard ${f.shard.index}/${f.shard.count})`,
      );
    return;
  }
  const ckpt = f.resume !== undefined ? '--resume' : f.checkpoint !== undefined ? '--checkpoint' : undefined;
  checkBitstateFlags(f, ckpt);
  if (f.growBounds && (ckpt !== undefined || f.swarm))
    throw new UsageError(
      `--grow-bounds re-runs the check with other bounds, which ${ckpt ?? '--swarm'} cannot follow: drop one of them`,
    );
  if (ckpt === undefined) {
    if (f.checkpointEveryMs > 0) throw new UsageError('--checkpoint-every needs --checkpoint DIR (or --resume DIR)');
    return;
  }
  const problems: string[] = [];
  if (f.resume !== undefined && f.checkpoint !== undefined)
    problems.push('--resume DIR keeps writing checkpoints into DIR: drop --checkpoint');
  if (f.dfs) problems.push(`checkpoints are written by the breadth-first parallel engine: drop --dfs or ${ckpt}`);
  if (f.swarm) problems.push(`a swarm shard is a single-threaded DFS without checkpoints: drop --swarm or ${ckpt}`);
  if (problems.length === 1) throw new UsageError(problems[0] as string);
  if (problems.length) throw new UsageError(`${ckpt} cannot be combined with these flags`, problems);
}

/** `--bitstate` runs the single-threaded engines (BFS, DFS, swarm shards) only, and never passes. */
function checkBitstateFlags(f: RunFlags, ckpt: string | undefined): void {
  if (f.bitstate === undefined) {
    if (f.bitstateHashes !== undefined)
      throw new UsageError('--bitstate-hashes sets the bits per state of a bitstate search: add --bitstate SIZE');
    return;
  }
  const problems: string[] = [];
  if (f.workers > 1)
    problems.push('the parallel engine (--workers) shares a fingerprint table, not a bit array: drop --workers');
  if (ckpt !== undefined)
    problems.push(`checkpoints hold the fingerprint table, not a bit array: drop ${ckpt} or --bitstate`);
  if (f.growBounds)
    problems.push('--grow-bounds raises bounds after a pass, and a bitstate run is never a pass: drop one of them');
  if (problems.length === 1) throw new UsageError(`--bitstate: ${problems[0] as string}`);
  if (problems.length) throw new UsageError('--bitstate cannot be combined with these flags', problems);
}
