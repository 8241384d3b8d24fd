/**
 * From a broker's `server.properties`, a topic's configs and the audit's flags to the settings the
 * model checks: each with where it came from. Pure: the files are read by the caller.
 */
import { BOUND_RANGE, NO_FAULTS, validateConfig, resolveConfig, type ConfigInput } from '../../model/index.js';
import { mergeInputs, presetConfig } from '../effectiveConfig.js';
import type { PropertyEntry } from './parseJavaProperties.js';
import type { TopicDescription } from './parseTopicDescription.js';

/** A setting's value and where it came from (`server.properties:12`, `--acks`, `Kafka's default`…). */
export interface Setting<T> {
  readonly value: T;
  readonly from: string;
}

/** What the audit's flags say about the cluster (each overrides the files). */
export interface AuditFlags {
  readonly replicationFactor?: number;
  readonly acks?: 'all' | '1';
  readonly kafkaVersion?: string;
  readonly elr?: boolean;
}

/** A file the audit read: its name as given and its settings. */
export interface SettingsFile {
  readonly name: string;
  readonly entries: readonly PropertyEntry[];
}

/** The settings of the audited topic, and what the audit did not use. */
export interface AuditSettings {
  readonly mode: Setting<'zk' | 'kraft'>;
  readonly version: Setting<string>;
  readonly preset: Setting<string>;
  readonly replicationFactor: Setting<number>;
  readonly minInsyncReplicas: Setting<number>;
  readonly uncleanLeaderElection: Setting<boolean>;
  readonly acks: Setting<'all' | '1'>;
  readonly elr: Setting<boolean>;
  readonly topic: string | undefined;
  /** Keys read but not used (`file:line key`). */
  readonly ignored: readonly string[];
}

export type AuditSettingsResult =
  { readonly ok: true; readonly value: AuditSettings } | { readonly ok: false; readonly problems: readonly string[] };

/** The keys the audit reads; any other is listed as ignored. */
const USED_KEYS = [
  'process.roles',
  'zookeeper.connect',
  'default.replication.factor',
  'min.insync.replicas',
  'unclean.leader.election.enable',
  'inter.broker.protocol.version',
  'eligible.leader.replicas.enable',
  'eligible.leader.replicas.version',
];

/** The model's largest cluster (`validateConfig`: at most 5 brokers). */
export const MAX_AUDIT_RF = 5;

/** A key's last value in the topic config, then the broker file, with where it came from. */
function lookup(key: string, broker?: SettingsFile, topic?: SettingsFile): Setting<string> | undefined {
  for (const f of [topic, broker]) {
    const e = f ? [...f.entries].reverse().find((x) => x.key === key) : undefined;
    if (f && e) return { value: e.value, from: `${f.name}:${e.line}` };
  }
  return undefined;
}

/**
 * The preset for a controller mode and a Kafka version (`inter.broker.protocol.version` such as
 * `3.9-IV0`, or `--kafka-version 3.9`): the generation whose rules the model then follows (`nearest`
 * when no preset covers the version exactly), or a problem naming the fix.
 */
export function presetForVersion(
  mode: 'zk' | 'kraft',
  version: string,
): { preset: string; nearest?: true } | { problem: string } {
  const m = /^(\d+)\.(\d+)/.exec(version);
  if (!m) return { problem: `Kafka version "${version}" is not a version such as 3.9 or 3.9-IV0` };
  const [major, minor] = [Number(m[1]), Number(m[2])];
  const v = major * 100 + minor;
  if (mode === 'kraft') {
    if (v < 307)
      return {
        problem: `KRaft mode before Kafka 3.7 (${version}) has no preset; the nearest is kafka-3.x-kraft: pass --kafka-version 3.7`,
      };
    return { preset: major >= 4 ? 'kafka-4.x-kraft-elr' : 'kafka-3.x-kraft' };
  }
  if (major >= 4)
    return {
      problem: `Kafka ${version} has no ZooKeeper mode (removed in 4.0, KIP-833): set process.roles (KRaft) or pass --kafka-version 3.9`,
    };
  if (v <= 10) return { preset: 'kafka-0.10' };
  if (v < 200) return { preset: 'kafka-0.11' };
  if (v < 203) return { preset: 'kafka-2.3-zk', nearest: true }; // 2.0-2.2: KIP-279 without all of 2.3's fixes
  if (v < 207) return { preset: 'kafka-2.3-zk' };
  if (v < 300) return { preset: 'kafka-2.x-zk' };
  return { preset: v < 307 ? 'kafka-3.x-zk' : 'kafka-3.9-zk' };
}

/** A positive integer setting, or a problem naming the key and where it was set. */
function intSetting(s: Setting<string>, key: string, problems: string[]): Setting<number> | undefined {
  if (/^\s*\d+\s*$/.test(s.value)) return { value: Number(s.value), from: s.from };
  problems.push(`${key}=${s.value} (${s.from}) is not a positive integer; fix the value`);
  return undefined;
}

/** A boolean setting as Kafka's `ConfigDef` reads one (`true`/`false`, any case). */
function boolSetting(s: Setting<string>, key: string, problems: string[]): Setting<boolean> | undefined {
  const v = s.value.trim().toLowerCase();
  if (v === 'true' || v === 'false') return { value: v === 'true', from: s.from };
  problems.push(`${key}=${s.value} (${s.from}) must be true or false`);
  return undefined;
}

/** The controller mode: `process.roles` means KRaft, `zookeeper.connect` ZooKeeper. */
function modeOf(broker: SettingsFile | undefined, problems: string[]): Setting<'zk' | 'kraft'> {
  const roles = lookup('process.roles', broker);
  if (roles) return { value: 'kraft', from: `${roles.from} (process.roles)` };
  const zk = lookup('zookeeper.connect', broker);
  if (zk) return { value: 'zk', from: `${zk.from} (zookeeper.connect)` };
  if (broker)
    problems.push(
      `${broker.name} sets neither process.roles (KRaft) nor zookeeper.connect (ZooKeeper): is it a broker's server.properties? Add the one your cluster uses`,
    );
  return { value: 'kraft', from: 'assumed (no server.properties given)' };
}

/** The Kafka version, then the preset it maps to. */
function versionOf(
  mode: 'zk' | 'kraft',
  flags: AuditFlags,
  broker: SettingsFile | undefined,
  problems: string[],
): { version: Setting<string>; preset: Setting<string> } {
  const ibp = lookup('inter.broker.protocol.version', broker);
  const version: Setting<string> =
    flags.kafkaVersion !== undefined
      ? { value: flags.kafkaVersion, from: '--kafka-version' }
      : ibp
        ? { value: ibp.value, from: `${ibp.from} (inter.broker.protocol.version)` }
        : { value: mode === 'kraft' ? '4.0' : '3.9', from: 'assumed: the newest release of the mode' };
  const p = presetForVersion(mode, version.value);
  if ('problem' in p) {
    problems.push(`${p.problem} (${version.from})`);
    return { version, preset: { value: mode === 'kraft' ? 'kafka-4.x-kraft-elr' : 'kafka-3.9-zk', from: '' } };
  }
  return {
    version,
    preset: { value: p.preset, from: `Kafka ${version.value}${p.nearest ? ' (the nearest preset)' : ''}` },
  };
}

/** ELR (KIP-966): `--elr`, then `eligible.leader.replicas.version` ≥ 1 or `.enable`, then the preset's. */
function elrOf(
  mode: 'zk' | 'kraft',
  preset: string,
  flags: AuditFlags,
  files: { broker?: SettingsFile; topic?: SettingsFile },
  problems: string[],
): Setting<boolean> {
  if (flags.elr !== undefined) return { value: flags.elr, from: '--elr' };
  // a ZooKeeper-mode broker has no ELR, whatever its file says (the keys are KRaft controller settings)
  if (mode === 'zk') return { value: false, from: 'ZooKeeper mode has no ELR' };
  const version = lookup('eligible.leader.replicas.version', files.broker);
  if (version) {
    const v = intSetting(version, 'eligible.leader.replicas.version', problems);
    if (v) return { value: v.value >= 1, from: v.from };
  }
  const enable = lookup('eligible.leader.replicas.enable', files.broker);
  const e = enable ? boolSetting(enable, 'eligible.leader.replicas.enable', problems) : undefined;
  if (e) return e;
  return { value: presetConfig(preset).elr === true, from: `preset ${preset}` };
}

/** Replication factor: `--replication-factor`, the topic's, then `default.replication.factor`, then 1. */
function rfOf(
  flags: AuditFlags,
  files: { broker?: SettingsFile; topic?: SettingsFile },
  topic: TopicDescription | undefined,
  problems: string[],
): Setting<number> {
  if (flags.replicationFactor !== undefined) return { value: flags.replicationFactor, from: '--replication-factor' };
  if (topic?.replicationFactor && files.topic)
    return { value: topic.replicationFactor.value, from: `${files.topic.name}:${topic.replicationFactor.line}` };
  const d = lookup('default.replication.factor', files.broker);
  const v = d ? intSetting(d, 'default.replication.factor', problems) : undefined;
  return v ?? { value: 1, from: "Kafka's default (default.replication.factor=1)" };
}

/** Reads the settings the audit checks; every problem is reported at once, each naming its fix. */
export function auditSettings(
  broker: SettingsFile | undefined,
  topic: { readonly file: SettingsFile; readonly description: TopicDescription | undefined } | undefined,
  flags: AuditFlags,
): AuditSettingsResult {
  const problems: string[] = [];
  const files = { ...(broker ? { broker } : {}), ...(topic ? { topic: topic.file } : {}) };
  const mode = modeOf(broker, problems);
  const { version, preset } = versionOf(mode.value, flags, broker, problems);
  const rf = rfOf(flags, files, topic?.description, problems);
  const minIsrRaw = lookup('min.insync.replicas', files.broker, files.topic);
  const minIsr = (minIsrRaw ? intSetting(minIsrRaw, 'min.insync.replicas', problems) : undefined) ?? {
    value: 1,
    from: "Kafka's default (min.insync.replicas=1)",
  };
  const uncleanRaw = lookup('unclean.leader.election.enable', files.broker, files.topic);
  const uncleanDefault = presetConfig(preset.value).uncleanLeaderElection === true;
  const unclean = (uncleanRaw ? boolSetting(uncleanRaw, 'unclean.leader.election.enable', problems) : undefined) ?? {
    value: uncleanDefault,
    from: `Kafka's default for ${version.value} (unclean.leader.election.enable=${uncleanDefault})`,
  };
  const acks: Setting<'all' | '1'> =
    flags.acks !== undefined
      ? { value: flags.acks, from: '--acks' }
      : { value: 'all', from: "assumed: the producer's default since Kafka 3.0 (pass --acks)" };
  const elr = elrOf(mode.value, preset.value, flags, files, problems);
  problems.push(...impossible(rf, minIsr, mode.value, elr));
  if (problems.length) return { ok: false, problems };
  const ignored = [broker, topic?.file]
    .flatMap((f) => (f ? f.entries.map((e) => ({ f, e })) : []))
    .filter(({ e }) => !USED_KEYS.includes(e.key))
    .map(({ f, e }) => `${f.name}:${e.line} ${e.key}`);
  const t = topic?.description?.topic;
  return {
    ok: true,
    value: {
      mode,
      version,
      preset,
      replicationFactor: rf,
      minInsyncReplicas: minIsr,
      uncleanLeaderElection: unclean,
      acks,
      elr,
      topic: t,
      ignored,
    },
  };
}

/** Settings the model cannot check, or no Kafka cluster can have; each names the fix. */
function impossible(
  rf: Setting<number>,
  minIsr: Setting<number>,
  mode: 'zk' | 'kraft',
  elr: Setting<boolean>,
): string[] {
  const out: string[] = [];
  if (rf.value < 1) out.push(`replication factor ${rf.value} (${rf.from}) must be at least 1`);
  if (rf.value > MAX_AUDIT_RF)
    out.push(
      `replication factor ${rf.value} (${rf.from}) is more than the model checks (at most ${MAX_AUDIT_RF} brokers): audit with --replication-factor ${MAX_AUDIT_RF}`,
    );
  if (minIsr.value < 1) out.push(`min.insync.replicas=${minIsr.value} (${minIsr.from}) must be at least 1`);
  else if (minIsr.value > rf.value)
    out.push(
      `min.insync.replicas=${minIsr.value} (${minIsr.from}) exceeds the replication factor ${rf.value} (${rf.from}): every acks=all write would fail with NOT_ENOUGH_REPLICAS; lower min.insync.replicas or raise the replication factor`,
    );
  if (mode === 'zk' && elr.value && elr.from === '--elr')
    out.push('--elr: Eligible Leader Replicas (KIP-966) exist only in KRaft mode; drop --elr');
  return out;
}

/** The model bounds every audit run uses, printed with the table (a pass holds only within them). */
export const AUDIT_BOUNDS = {
  records: 1,
  leaderEpochs: 2,
  partitionEpochs: 3,
  controllerEpochs: 2,
  raftEpochs: 2,
  metadataRecords: 3,
  inFlight: BOUND_RANGE.inFlight[1],
} as const;

/**
 * The model config of the audited settings with a fault budget (faults not named are 0): the preset's
 * rules, one partition on as many brokers as its replication factor (at least 2), `AUDIT_BOUNDS`.
 */
export function auditConfigInput(s: AuditSettings, faults: ConfigInput['faults']): ConfigInput {
  const rf = s.replicationFactor.value;
  return mergeInputs(presetConfig(s.preset.value), {
    mode: s.mode.value,
    brokers: Math.max(2, rf),
    partitions: 1,
    replicationFactor: rf,
    minInsyncReplicas: s.minInsyncReplicas.value,
    uncleanLeaderElection: s.uncleanLeaderElection.value,
    acks: s.acks.value,
    ...(s.mode.value === 'kraft' ? { elr: s.elr.value, networkSplits: 'one-node' as const } : {}),
    // the class's faults only: the defaults' crash and network partition must not slip in
    faults: { ...NO_FAULTS, ...faults },
    bounds: AUDIT_BOUNDS,
  });
}

/** `auditConfigInput` resolved and validated (a failure here is a bug: `auditSettings` checked the values). */
export function auditConfig(s: AuditSettings, faults: ConfigInput['faults']) {
  const r = validateConfig(resolveConfig(auditConfigInput(s, faults)));
  if (!r.ok) throw new Error(`audit config invalid: ${r.errors.join('; ')}`);
  return r.value;
}
