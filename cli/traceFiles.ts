import { resolve } from 'node:path';
import { builtinRule, type ElectionRule } from '../model/index.js';
import { isFileRuleRef, loadTrace, sha256File, type RuleRef, type Trace } from '../traces/index.js';
import { UsageError } from './UsageError.js';
import { loadRule } from './loadRule.js';

/** Loads a trace file for `replay`, `view` and `pin`; an unreadable or invalid file is a usage error. */
export function readTrace(path: string, cwd: string): Trace {
  const loaded = loadTrace(resolve(cwd, path));
  if (!loaded.ok) throw new UsageError(loaded.error.replace(resolve(cwd, path), path));
  return loaded.value;
}

/**
 * Resolves a trace's rule: a built-in by name, a user's file through the CLI's loader. When the file's
 * content changed since the trace was recorded, `onNote` is told (the replay then says whether the
 * behaviour still reproduces).
 */
export function ruleResolver(cwd: string, onNote: (note: string) => void): (ref: RuleRef) => Promise<ElectionRule> {
  return async (ref) => {
    if (!isFileRuleRef(ref)) {
      const rule = builtinRule(ref.name);
      if (!rule) throw new Error(`the trace names the election rule "${ref.name}", which this kafka-mc does not have`);
      return rule;
    }
    const file = resolve(cwd, ref.path);
    const loaded = await loadRule(file, cwd);
    if (sha256File(file) !== ref.sha256)
      onNote(`the rule file ${ref.path} changed since the trace was recorded (sha256 differs)`);
    return loaded.rule;
  };
}
