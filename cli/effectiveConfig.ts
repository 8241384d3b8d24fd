import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  DEFAULT_CONFIG,
  builtinRuleNames,
  presetNamed,
  presetNames,
  resolveConfig,
  validateConfig,
  type ConfigInput,
  type ModelConfig,
} from '../model/index.js';
import { UsageError } from './UsageError.js';
import { FLAG_OF, type ModelFlags } from './modelFlags.js';
import { unknownName } from './suggest.js';
import { isRuleFile, loadRule, type LoadedRule } from './loadRule.js';

/** The configuration a run uses, with the rule it resolved and where each part came from. */
export interface EffectiveConfig {
  readonly config: ModelConfig;
  readonly rule: LoadedRule;
  /** The preset applied, if any (from `--preset` or the config file's `preset:`). */
  readonly preset?: string;
  /** Absolute path of the config file read, if any. */
  readonly configFile?: string;
}

const NESTED = ['mechanisms', 'faults', 'bounds'] as const;

/**
 * Reads a YAML or JSON config file: the keys of `ModelConfig` (e.g. `minInsyncReplicas`,
 * `faults: { crashes: 1 }`), plus `preset: <name>` and `rule: <name|file>`. Every unknown key is
 * reported with the nearest known one.
 */
export function readConfigFile(
  path: string,
  cwd: string,
): { input: ConfigInput; preset?: string; rule?: string; file: string } {
  const file = resolve(cwd, path);
  if (!existsSync(file)) throw new UsageError(`config file ${path} not found (looked for ${file})`);
  let data: unknown;
  try {
    data = parseYaml(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`config file ${path} is not valid YAML or JSON: ${(e as Error).message}`);
  }
  if (data === null || data === undefined) return { input: {}, file };
  if (typeof data !== 'object' || Array.isArray(data))
    throw new UsageError(
      `config file ${path} must hold a mapping of settings (got ${Array.isArray(data) ? 'a list' : typeof data})`,
    );
  const obj = data as Record<string, unknown>;
  const topKeys = [...Object.keys(DEFAULT_CONFIG), 'preset', 'rule'];
  const problems: string[] = [];
  for (const [k, v] of Object.entries(obj)) {
    if (!topKeys.includes(k)) {
      problems.push(`${path}: ${unknownName('setting', k, topKeys)}`);
      continue;
    }
    if ((NESTED as readonly string[]).includes(k)) {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) {
        problems.push(`${path}: "${k}" must be a mapping (e.g. ${k}: { … })`);
        continue;
      }
      const known = Object.keys(DEFAULT_CONFIG[k as (typeof NESTED)[number]]);
      for (const sub of Object.keys(v))
        if (!known.includes(sub)) problems.push(`${path}: ${unknownName(`${k} setting`, sub, known)}`);
    }
  }
  if (obj['preset'] !== undefined && typeof obj['preset'] !== 'string')
    problems.push(`${path}: "preset" must be a preset name`);
  if (obj['rule'] !== undefined && typeof obj['rule'] !== 'string')
    problems.push(`${path}: "rule" must be a rule name or a file path`);
  if (problems.length) throw new UsageError(`config file ${path} has ${plural(problems.length, 'problem')}`, problems);
  const { preset, rule, ...input } = obj;
  return {
    input: input as ConfigInput,
    ...(typeof preset === 'string' ? { preset } : {}),
    ...(typeof rule === 'string' ? { rule } : {}),
    file,
  };
}

/** The partial config of preset `name`; an unknown name is a usage error naming the nearest one. */
export function presetConfig(name: string): ConfigInput {
  const preset = presetNamed(name);
  if (!preset) throw new UsageError(unknownName('preset', name, presetNames()));
  return preset.config;
}

/** Deep-merges partial configs; later ones win. */
export function mergeInputs(...inputs: readonly ConfigInput[]): ConfigInput {
  let out: Record<string, unknown> = {};
  for (const input of inputs) {
    const next: Record<string, unknown> = { ...out };
    for (const [k, v] of Object.entries(input)) {
      if (v === undefined) continue;
      if ((NESTED as readonly string[]).includes(k) && typeof v === 'object' && v !== null)
        next[k] = { ...(out[k] as object | undefined), ...v };
      else next[k] = v;
    }
    out = next;
  }
  return out as ConfigInput;
}

/**
 * Builds the effective config: embedded default < preset < config file < flags. Every problem is
 * reported at once (each naming the flag that fixes it); an unknown preset or rule gets the nearest
 * known name.
 */
export async function effectiveConfig(flags: ModelFlags, cwd: string): Promise<EffectiveConfig> {
  const file = flags.config !== undefined ? readConfigFile(flags.config, cwd) : undefined;
  const presetName = flags.preset ?? file?.preset;
  const presetInput = presetName !== undefined ? presetConfig(presetName) : {};
  const input = mergeInputs(presetInput, file?.input ?? {}, flags.input);
  const ruleArg = flags.rule ?? file?.rule ?? input.electionRule ?? DEFAULT_CONFIG.electionRule;
  let problems: string[] = [];
  let rule: LoadedRule | undefined;
  if (isRuleFile(ruleArg)) rule = await loadRule(ruleArg, cwd);
  else if (!builtinRuleNames().includes(ruleArg))
    problems.push(unknownName('election rule', ruleArg, builtinRuleNames()));
  else rule = await loadRule(ruleArg, cwd);
  const config = resolveConfig({ ...input, electionRule: rule?.rule.name ?? ruleArg });
  const result = validateConfig(config, rule ? [rule.rule.name] : []);
  if (!result.ok) for (const e of result.errors) problems.push(withFlag(e));
  // A round-robin assignment cannot be valid when the shape is not: its errors would only repeat those.
  if (input.assignment === undefined && problems.some((p) => /replication factor|brokers|partitions/.test(p)))
    problems = problems.filter((p) => !p.startsWith('assignment of partition') && !p.startsWith('assignment must'));
  if (problems.length || !rule) {
    if (problems.length === 1) throw new UsageError(problems[0] as string);
    throw new UsageError(`the configuration has ${plural(problems.length, 'problem')}`, problems);
  }
  return {
    config,
    rule,
    ...(presetName !== undefined ? { preset: presetName } : {}),
    ...(file ? { configFile: file.file } : {}),
  };
}

/** Appends the flag that sets the setting an error message starts with. */
function withFlag(message: string): string {
  const key = Object.keys(FLAG_OF)
    .filter((k) => message.startsWith(k))
    .sort((a, b) => b.length - a.length)[0];
  return key !== undefined ? `${message} [${FLAG_OF[key]}]` : message;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
