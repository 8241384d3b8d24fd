import type { ElectionRule } from './ElectionRule.js';
import { ELECTION_REASONS } from './ElectionRule.js';
import { BUILTIN_RULES } from './builtins.js';

/** Looks up a built-in rule by name. */
export function builtinRule(name: string): ElectionRule | undefined {
  return BUILTIN_RULES.find((r) => r.name === name);
}

/** Names of the built-in rules. */
export function builtinRuleNames(): string[] {
  return BUILTIN_RULES.map((r) => r.name);
}

/** Checks that a value loaded from a user's file is an `ElectionRule`; returns what is wrong. */
export function validateRule(
  x: unknown,
  source: string,
): { ok: true; value: ElectionRule } | { ok: false; error: string } {
  if (typeof x !== 'object' || x === null)
    return {
      ok: false,
      error: `${source} must export an ElectionRule object (default export or named "rule"); got ${typeof x}`,
    };
  const r = x as Partial<ElectionRule>;
  const problems: string[] = [];
  if (typeof r.name !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(r.name))
    problems.push('"name" must be a kebab-case string');
  if (typeof r.description !== 'string') problems.push('"description" must be a string');
  if (typeof r.eligibleLeaders !== 'function') problems.push('"eligibleLeaders(view)" must be a function');
  if (
    r.reasons !== undefined &&
    (!Array.isArray(r.reasons) || r.reasons.some((x) => !(ELECTION_REASONS as readonly unknown[]).includes(x)))
  )
    problems.push(`"reasons" must be a list of election reasons (${ELECTION_REASONS.join(', ')})`);
  if (r.readsReplicaLogs !== undefined && typeof r.readsReplicaLogs !== 'boolean')
    problems.push('"readsReplicaLogs" must be true or false');
  if (problems.length)
    return { ok: false, error: `${source} does not export a valid ElectionRule: ${problems.join('; ')}` };
  return { ok: true, value: r as ElectionRule };
}
