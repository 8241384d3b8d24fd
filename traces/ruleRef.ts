import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ElectionRule } from '../model/index.js';
import { builtinRule, builtinRuleNames } from '../model/index.js';
import type { FileRuleRef, RuleRef } from './Trace.js';
import { isFileRuleRef } from './Trace.js';

/** SHA-256 (hex) of a file's bytes, for `FileRuleRef.sha256`. */
export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** The reference to a user's rule file as a trace records it: name, path as given, content hash. */
export function fileRuleRef(name: string, path: string): FileRuleRef {
  return { name, path, sha256: sha256File(path) };
}

/**
 * Resolves built-in rules by name; a user's rule file cannot be loaded here (that needs the CLI's
 * loader), so it is an error naming the file. Throws with a message listing the known rules otherwise.
 */
export function builtinRuleResolver(ref: RuleRef): ElectionRule {
  if (isFileRuleRef(ref))
    throw new Error(
      `the trace uses the rule file ${ref.path} (sha256 ${ref.sha256.slice(0, 12)}…); replay it with the kafka-mc CLI, which loads rule files`,
    );
  const rule = builtinRule(ref.name);
  if (!rule) throw new Error(`unknown built-in rule "${ref.name}" (known: ${builtinRuleNames().join(', ')})`);
  return rule;
}
