import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  CheckpointError,
  EncodeSink,
  lockCheckpointDir,
  readCheckpoint,
  releaseAllCheckpointLocks,
  type CheckpointInfo,
  type CheckpointLabel,
} from '../checker/index.js';
import { resolveConfig, validateConfig, type KafkaModel, type ModelConfig } from '../model/index.js';
import { UsageError } from './UsageError.js';
import { effectiveConfig } from './effectiveConfig.js';
import { buildBundle, type RunSpec } from './kafkaBundle.js';
import { loadRule, type LoadedRule, type RuleRef } from './loadRule.js';
import { modelFlags, type ModelFlags } from './modelFlags.js';
import { selectProperties } from './propertyCatalog.js';
import { version } from './version.js';
import { checkOutputDir } from './outputPaths.js';
import type { RunFlags } from './runOptions.js';

/** What `kafka-mc check --checkpoint` stores with a checkpoint, and `--resume` checks. */
export type KafkaCheckpointLabel = {
  readonly tool: 'kafka-mc check';
  /** kafka-mc's version: a checkpoint holds fingerprints of this version's state encoding. */
  readonly version: string;
  /** The checked property ids, resolved (the default set may change between versions). */
  readonly properties: readonly string[];
  /** The election rule; a rule file with its content hash. */
  readonly rule: RuleRef;
  /** A hash of the model's initial states and their successors (see `modelDigest`). */
  readonly modelDigest: string;
};

/** The label of a run's checkpoints. */
export function checkpointLabel(
  model: KafkaModel,
  rule: LoadedRule,
  propertyIds: readonly string[],
): KafkaCheckpointLabel {
  return {
    tool: 'kafka-mc check',
    version: version(),
    properties: [...propertyIds],
    rule: rule.ref,
    modelDigest: modelDigest(model),
  };
}

/**
 * A short hash of the model's initial states and of their direct successors (encodings, action
 * counts): a checkpoint's fingerprints mean nothing to a model whose encoding or first steps differ.
 * It cannot see every change to the transitions; the version in the label covers releases.
 */
export function modelDigest(model: KafkaModel): string {
  const h = createHash('sha256');
  const sink = new EncodeSink();
  const add = (s: Parameters<KafkaModel['encode']>[0]): void => {
    sink.reset();
    model.encode(s, sink);
    h.update(new Uint8Array(sink.buf.buffer, sink.buf.byteOffset, sink.len * 4));
  };
  for (const s of model.initStates()) {
    add(s);
    const actions = model.actions(s);
    h.update(`|${actions.length}|`);
    for (const a of actions) {
      const t = model.next(s, a);
      if (t === undefined) h.update('-');
      else add(t);
    }
  }
  return h.digest('hex').slice(0, 16);
}

/**
 * Readies `--checkpoint DIR` for a new run: a directory that can be written (created if missing, in an
 * existing folder), that holds no checkpoint (a new run would replace it: that run is continued with
 * `--resume`), and that no other run checkpoints into (its lock is taken for this process).
 */
export function prepareCheckpointDir(dir: string, given: string, cwd: string): void {
  checkOutputDir('--checkpoint', given, cwd);
  if (!existsSync(dir))
    try {
      mkdirSync(dir);
    } catch (e) {
      throw new UsageError(`--checkpoint ${given}: cannot create ${dir} (${errorText(e)})`);
    }
  // A run that is checkpointing here is named first (its checkpoint would be "already there").
  lockForThisRun(dir, `--checkpoint ${given}`);
  const held = readdirSync(dir).filter((e) => e === 'checkpoint' || e === 'checkpoint.old');
  if (!held.length) return;
  releaseAllCheckpointLocks();
  let what = 'a checkpoint';
  try {
    const info = readCheckpoint(dir);
    what = `a checkpoint (level ${info.level}, ${info.count.toLocaleString('en-US')} states)`;
  } catch (e) {
    if (e instanceof CheckpointError) what = `a damaged checkpoint (${e.message})`;
  }
  throw new UsageError(`--checkpoint ${given}: ${dir} already holds ${what}; a new run would replace it`, [
    `continue that run with \`kafka-mc check --resume ${given}\``,
    'or start a new run with another --checkpoint directory (or delete this one first)',
  ]);
}

/** Takes the checkpoint directory's lock until this process ends; another run holding it is a usage error. */
function lockForThisRun(dir: string, at: string): void {
  try {
    lockCheckpointDir(dir);
  } catch (e) {
    if (!(e instanceof CheckpointError)) throw e;
    throw new UsageError(`${at}: ${e.message}`, ['wait for that run to end (or stop it), or use another directory']);
  }
  process.once('exit', releaseAllCheckpointLocks);
}

/** What `check --resume DIR` continues: the checkpoint and the run it belongs to. */
export interface ResumePlan {
  /** Absolute path of the checkpoint directory. */
  readonly dir: string;
  readonly info: CheckpointInfo;
  /** The run's config, rule, properties (as recorded by the checkpoint). */
  readonly spec: RunSpec;
  readonly rule: LoadedRule;
  readonly label: KafkaCheckpointLabel;
}

/**
 * Reads and checks the checkpoint that `--resume` names, without writing anything: it must be a
 * complete checkpoint of `kafka-mc check`, of this version's model, with its rule file unchanged; model
 * flags, `--property`, `--workers` and `--max-depth` given alongside must agree with it. Every failure
 * is a `UsageError` saying what is wrong and what to do.
 */
export async function planResume(cmd: Command, flags: RunFlags, cwd: string): Promise<ResumePlan> {
  const given = flags.resume as string;
  const dir = resolve(cwd, given);
  // Another run checkpointing here would change the files while they are read: lock first.
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    // reported by readCheckpoint
  }
  if (!isDir) return checkResume(cmd, flags, cwd);
  lockForThisRun(dir, `--resume ${given}`);
  try {
    const plan = await checkResume(cmd, flags, cwd);
    checkOutputDir('--resume', given, cwd);
    return plan;
  } catch (e) {
    releaseAllCheckpointLocks();
    throw e;
  }
}

/** The words of every refusal to resume: what cannot be done, and how to start over instead. */
interface Refusal {
  /** "cannot resume from DIR". */
  readonly cannot: string;
  readonly startOver: string;
}

/** A complete checkpoint of `kafka-mc check`: its info, its label, and the run it belongs to. */
interface Resumable {
  readonly info: CheckpointInfo;
  readonly label: KafkaCheckpointLabel;
  readonly spec: RunSpec;
}

/** `planResume` once the directory is locked (or is not one): every check, in the order the user needs them. */
async function checkResume(cmd: Command, flags: RunFlags, cwd: string): Promise<ResumePlan> {
  const given = flags.resume as string;
  const dir = resolve(cwd, given);
  const refusal: Refusal = {
    cannot: `cannot resume from ${given}`,
    startOver: `start over with \`kafka-mc check --checkpoint <new dir> …\` (${given} is left as it is)`,
  };
  const checkpoint = readResumable(dir, refusal);
  const { info, label, spec } = checkpoint;
  checkRuleFile(label.rule, refusal);
  const rule = await loadRule(spec.rule, spec.cwd);
  checkSameRun(checkpoint, rule, refusal);
  const conflicts = await flagConflicts(cmd, flags, cwd, checkpoint);
  if (conflicts.length)
    throw new UsageError(
      `--resume ${given}: the flags given with it disagree with the checkpointed run (--resume takes its config, rule, properties, workers and depth bound from the checkpoint)`,
      [
        ...conflicts,
        `drop those flags, or give exactly the ones of the checkpointed run (\`kafka-mc check --resume ${given} --print-config\` prints its config)`,
      ],
    );
  return { dir, info, spec, rule, label };
}

/**
 * Reads the checkpoint in `dir`: it must be complete, written by `kafka-mc check --checkpoint` of this
 * version, with a config this build's model reads.
 */
function readResumable(dir: string, { cannot, startOver }: Refusal): Resumable {
  let info: CheckpointInfo;
  try {
    info = readCheckpoint(dir);
  } catch (e) {
    if (!(e instanceof CheckpointError)) throw e;
    const missing = /^no checkpoint in/.test(e.message);
    throw new UsageError(`${cannot}: ${e.message}`, [
      missing
        ? `--resume takes the directory a run wrote with \`kafka-mc check --checkpoint DIR\`; a run writes its first checkpoint after its first BFS level`
        : startOver,
    ]);
  }
  const label = asKafkaLabel(info.label);
  const spec = asRunSpec(info.spec.arg);
  if (info.spec.export !== 'kafkaBundle' || !label || !spec)
    throw new UsageError(`${cannot}: the checkpoint there was not written by \`kafka-mc check --checkpoint\``, [
      'resume it with the program that wrote it (the library’s resumeParallel), or start a new run',
    ]);
  if (label.version !== version())
    throw new UsageError(
      `${cannot}: the checkpoint was written by kafka-mc ${label.version}, this is kafka-mc ${version()}; its states are fingerprints of that version's model`,
      [`resume it with kafka-mc ${label.version}, or ${startOver}`],
    );
  const configProblems = checkConfigShape(spec.config);
  if (configProblems.length)
    throw new UsageError(
      `${cannot}: the checkpoint's config does not fit this kafka-mc's model (it was written by another build)`,
      [...configProblems, startOver],
    );
  return { info, label, spec };
}

/** The checkpointed run's rule file, if it had one, must be where it was, unchanged. */
function checkRuleFile(rule: RuleRef, { cannot, startOver }: Refusal): void {
  if (!('path' in rule)) return;
  const path = rule.path;
  if (!existsSync(path))
    throw new UsageError(`${cannot}: the checkpointed run's rule file ${path} is gone`, [
      `put it back (sha256 ${rule.sha256}), or ${startOver}`,
    ]);
  const sha = createHash('sha256').update(readFileSync(path)).digest('hex');
  if (sha !== rule.sha256)
    throw new UsageError(`${cannot}: the rule file ${path} changed since the checkpoint was written`, [
      `restore the version with sha256 ${rule.sha256}, or ${startOver}`,
    ]);
}

/** The properties and the model must be those of the checkpointed run. */
function checkSameRun({ label, spec }: Resumable, rule: LoadedRule, { cannot, startOver }: Refusal): void {
  const ids = selectProperties(spec.properties, spec.config).map((p) => p.id);
  if (!sameList(ids, label.properties))
    throw new UsageError(
      `${cannot}: the checkpointed run checked ${listText(label.properties)}, but this kafka-mc's ${spec.properties.length ? 'properties' : 'default properties'} for it are ${listText(ids)}`,
      [startOver],
    );
  const { model } = buildBundle(spec.config, rule, spec.properties, spec.cwd);
  if (modelDigest(model) !== label.modelDigest)
    throw new UsageError(
      `${cannot}: this kafka-mc's model differs from the one that wrote the checkpoint (its initial states or their successors changed)`,
      [startOver],
    );
}

/**
 * How the model flags, `--property`, `--workers`, `--max-depth` and `--no-por` given with `--resume`
 * disagree with the checkpoint.
 */
async function flagConflicts(
  cmd: Command,
  flags: RunFlags,
  cwd: string,
  { info, label, spec }: Resumable,
): Promise<string[]> {
  const conflicts: string[] = [];
  const mf = modelFlags(cmd);
  if (anyModelFlag(mf)) {
    const eff = await effectiveConfig(mf, cwd);
    const diffs = configDiff(spec.config, eff.config);
    const theirs = 'path' in eff.rule.ref ? eff.rule.ref.path : eff.rule.ref.name;
    if (theirs !== spec.rule) diffs.unshift(`rule: ${spec.rule} in the checkpoint, ${theirs} with these flags`);
    for (const d of diffs) conflicts.push(d);
  }
  if (flags.property.length) {
    const wanted = selectProperties(flags.property, spec.config).map((p) => p.id);
    if (!sameList([...wanted].sort(), [...label.properties].sort()))
      conflicts.push(
        `properties: ${listText(label.properties)} in the checkpoint, ${listText(wanted)} from --property`,
      );
  }
  // a checkpoint written before partial-order reduction existed explored without it
  if (!flags.por && info.options.partialOrder === true)
    conflicts.push('partial-order reduction: on in the checkpoint, off from --no-por');
  if (cmd.getOptionValueSource('workers') === 'cli' && flags.workers !== info.workers)
    conflicts.push(`workers: ${info.workers} in the checkpoint, ${flags.workers} from --workers`);
  const depth = info.options.maxDepth ?? undefined;
  if (flags.maxDepth !== undefined && flags.maxDepth !== depth)
    conflicts.push(`depth bound: ${depth ?? 'none'} in the checkpoint, ${flags.maxDepth} from --max-depth`);
  return conflicts;
}

function anyModelFlag(mf: ModelFlags): boolean {
  return (
    mf.preset !== undefined || mf.config !== undefined || mf.rule !== undefined || Object.keys(mf.input).length > 0
  );
}

/** Problems of a config read from a checkpoint under this build's model (missing or extra keys, invalid). */
function checkConfigShape(config: ModelConfig): string[] {
  let resolved: ModelConfig;
  try {
    resolved = resolveConfig(config);
  } catch (e) {
    return [errorText(e)];
  }
  const diffs = configDiff(config, resolved, "as this build's model reads it");
  if (diffs.length) return diffs;
  const v = validateConfig(config, [config.electionRule]);
  return v.ok ? [] : [...v.errors];
}

/**
 * Differences between a checkpoint's config and another one, one line per leaf, e.g.
 * `faults.crashes: 2 in the checkpoint, 1 with these flags` (`other` names the other side).
 */
export function configDiff(checkpoint: unknown, other: unknown, otherName = 'with these flags', path = ''): string[] {
  if (isRecord(checkpoint) && isRecord(other)) {
    const keys = [...new Set([...Object.keys(checkpoint), ...Object.keys(other)])].sort();
    return keys.flatMap((k) => configDiff(checkpoint[k], other[k], otherName, path ? `${path}.${k}` : k));
  }
  if (JSON.stringify(checkpoint) === JSON.stringify(other)) return [];
  const show = (v: unknown): string => (v === undefined ? '(absent)' : JSON.stringify(v));
  return [`${path || '(config)'}: ${show(checkpoint)} in the checkpoint, ${show(other)} ${otherName}`];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function asKafkaLabel(v: CheckpointLabel | undefined): KafkaCheckpointLabel | undefined {
  if (!isRecord(v) || v['tool'] !== 'kafka-mc check') return undefined;
  const rule = v['rule'];
  const props = v['properties'];
  if (typeof v['version'] !== 'string' || typeof v['modelDigest'] !== 'string') return undefined;
  if (!Array.isArray(props) || !props.every((p) => typeof p === 'string')) return undefined;
  if (!isRecord(rule) || typeof rule['name'] !== 'string') return undefined;
  if ('path' in rule && (typeof rule['path'] !== 'string' || typeof rule['sha256'] !== 'string')) return undefined;
  return v as unknown as KafkaCheckpointLabel;
}

function asRunSpec(v: unknown): RunSpec | undefined {
  if (!isRecord(v) || !isRecord(v['config'])) return undefined;
  if (typeof v['rule'] !== 'string' || typeof v['cwd'] !== 'string') return undefined;
  const props = v['properties'];
  if (!Array.isArray(props) || !props.every((p) => typeof p === 'string')) return undefined;
  return v as unknown as RunSpec;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function listText(ids: readonly string[]): string {
  return ids.length ? ids.join(', ') : '(none)';
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
