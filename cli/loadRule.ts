import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { require as tsxRequire } from 'tsx/cjs/api';
import { tsImport } from 'tsx/esm/api';
import { builtinRule, builtinRuleNames, validateRule, type ElectionRule } from '../model/index.js';
import { UsageError } from './UsageError.js';
import { unknownName } from './suggest.js';
import { sandboxRule } from './ruleSandbox.js';
import { locate } from './sourceLocation.js';

/** How a trace names its rule: a built-in by name, or a user's file by path and content hash. */
export type RuleRef =
  { readonly name: string } | { readonly name: string; readonly path: string; readonly sha256: string };

/** A resolved election rule and how to find it again. */
export interface LoadedRule {
  readonly rule: ElectionRule;
  readonly ref: RuleRef;
}

/** Whether a `--rule` argument names a file rather than a built-in rule. */
export function isRuleFile(arg: string): boolean {
  return /[\\/]/.test(arg) || /\.[cm]?[jt]s$/.test(arg);
}

/**
 * Resolves `--rule`: a built-in name, or a TypeScript/JavaScript file whose default export (or export
 * named `rule`) is an `ElectionRule`. Every failure is a `UsageError` naming the file and line.
 *
 * Files load through tsx's CommonJS API first: it is synchronous (the parallel engine's workers build
 * their model synchronously) and its source maps put the user's own line numbers in errors whatever the
 * nearest package.json's module type. A file CommonJS cannot load (top-level await) goes through
 * tsx's ESM API.
 */
export async function loadRule(arg: string, cwd: string): Promise<LoadedRule> {
  if (!isRuleFile(arg)) return builtin(arg);
  const file = existingFile(arg, cwd);
  let mod = requireRule(arg, file, cwd, true);
  if (mod === ESM_ONLY) mod = await importRule(arg, file, cwd);
  return fromModule(arg, file, cwd, mod);
}

/** `loadRule` without the ESM fallback, for synchronous model factories (parallel workers). */
export function loadRuleSync(arg: string, cwd: string): LoadedRule {
  if (!isRuleFile(arg)) return builtin(arg);
  const file = existingFile(arg, cwd);
  return fromModule(arg, file, cwd, requireRule(arg, file, cwd, false));
}

function builtin(name: string): LoadedRule {
  const rule = builtinRule(name);
  if (!rule) throw new UsageError(unknownName('election rule', name, builtinRuleNames()));
  return { rule, ref: { name } };
}

/** The rule file `arg` names, resolved against `cwd`; a `UsageError` when there is none. */
function existingFile(arg: string, cwd: string): string {
  const file = resolve(cwd, arg);
  if (!existsSync(file)) throw new UsageError(`rule file ${arg} not found (looked for ${file})`);
  return file;
}

/** What `requireRule` returns for a file only tsx's ESM API can load (top-level await). */
const ESM_ONLY = Symbol('esm-only');

/**
 * The module of a rule file loaded through tsx's CommonJS API, or (with `esmFallback`) `ESM_ONLY` when
 * only the ESM API can load it; any other failure is a `UsageError` naming the file and line.
 */
function requireRule(arg: string, file: string, cwd: string, esmFallback: boolean): unknown {
  process.setSourceMapsEnabled(true);
  try {
    return tsxRequire(file, import.meta.url) as unknown;
  } catch (e) {
    if (esmFallback && isEsmOnly(e)) return ESM_ONLY;
    throw loadError(arg, file, cwd, e);
  }
}

/** The module of a rule file loaded through tsx's ESM API; a failure is a `UsageError`. */
async function importRule(arg: string, file: string, cwd: string): Promise<unknown> {
  try {
    return await tsImport(pathToFileURL(file).href, import.meta.url);
  } catch (e) {
    throw loadError(arg, file, cwd, e);
  }
}

function fromModule(arg: string, file: string, cwd: string, mod: unknown): LoadedRule {
  const m = (mod ?? {}) as Record<string, unknown>;
  let candidate = m['rule'] ?? m['default'];
  // A CommonJS-transpiled ES module may arrive wrapped once more in `default`.
  if (isWrapper(candidate)) candidate = candidate['rule'] ?? candidate['default'];
  const checked = validateRule(candidate, `rule file ${arg}`);
  if (!checked.ok) throw new UsageError(checked.error);
  const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
  // A user's rule is untrusted code: every call is checked (time budget, answer, determinism).
  return { rule: sandboxRule(checked.value, file, cwd), ref: { name: checked.value.name, path: file, sha256 } };
}

function isWrapper(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !('eligibleLeaders' in x) && ('default' in x || 'rule' in x);
}

function isEsmOnly(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'ERR_REQUIRE_ESM' || code === 'ERR_REQUIRE_ASYNC_MODULE';
}

/** Turns a compile or load error into a message with the user's file:line and no stack trace. */
function loadError(arg: string, file: string, cwd: string, e: unknown): UsageError {
  const rel = relative(cwd, file) || file;
  const errors = (e as { errors?: unknown } | null)?.errors;
  if (Array.isArray(errors) && errors.length) {
    // esbuild's TransformError: [{ text, location: { file, line, column, lineText } }]
    const lines = (errors as EsbuildMessage[]).map((m) => {
      const loc = m.location;
      if (!loc) return m.text;
      const caret = `${' '.repeat(loc.column)}^`;
      return `${rel}:${loc.line}:${loc.column + 1}: ${m.text}\n    ${loc.lineText}\n    ${caret}`;
    });
    return new UsageError(`rule file ${arg} does not compile`, lines);
  }
  const err = e instanceof Error ? e : new Error(String(e));
  // esbuild's error through tsx's require hook: the locations are only in the message.
  const compile = [...err.message.matchAll(/^(.+?):(\d+):(\d+): ERROR: (.*)$/gm)];
  if (compile.length)
    return new UsageError(
      `rule file ${arg} does not compile`,
      compile.map((m) => {
        const line = Number(m[2]);
        const column = Number(m[3]);
        const text = sourceLine(file, line);
        return `${rel}:${line}:${column + 1}: ${m[4] ?? ''}${text !== undefined ? `\n    ${text}\n    ${' '.repeat(column)}^` : ''}`;
      }),
    );
  const where = locate(err, file, rel);
  return new UsageError(
    `rule file ${arg} threw while loading: ${err.message.split('\n')[0] ?? ''}${where ? ` (at ${where})` : ''}`,
  );
}

function sourceLine(file: string, line: number): string | undefined {
  try {
    return readFileSync(file, 'utf8').split('\n')[line - 1];
  } catch {
    return undefined;
  }
}

interface EsbuildMessage {
  readonly text: string;
  readonly location?: { readonly line: number; readonly column: number; readonly lineText: string } | null;
}

export { locate } from './sourceLocation.js';
