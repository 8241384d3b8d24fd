/**
 * Output locations are checked before any search starts, so that a run of minutes or hours never ends
 * in "cannot write": a file where a directory is wanted, a missing parent folder, a folder that cannot
 * be written, a directory where a file is wanted. Each is a `UsageError` naming the flag, the path and
 * the fix.
 */
import { accessSync, constants, mkdtempSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from './UsageError.js';

function stat(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Whether a file can be created in the existing directory `dir`: a real probe (a temporary directory
 * made and removed), since permission bits do not tell for root, read-only mounts or pseudo file systems.
 */
function canCreateIn(dir: string): string | undefined {
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
    rmSync(mkdtempSync(join(dir, '.kafka-mc-probe-')), { recursive: true, force: true });
    return undefined;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
  }
}

/** The problem with writing into the existing directory `abs`, as the sentence's end, or undefined. */
function unwritable(abs: string): string | undefined {
  const code = canCreateIn(abs);
  return code === undefined ? undefined : `${abs} cannot be written to (${code}); name a directory you can write to`;
}

/**
 * Checks `flag given`, a directory that a run writes into: an existing, writable directory, or one to
 * be created in an existing, writable parent. Returns its absolute path; creates nothing.
 */
export function checkOutputDir(flag: string, given: string, cwd: string): string {
  const abs = resolve(cwd, given);
  const at = `${flag} ${given}`;
  const st = stat(abs);
  if (st) {
    if (!st.isDirectory()) throw new UsageError(`${at}: ${abs} is a file, not a directory; name a directory`);
    const problem = unwritable(abs);
    if (problem) throw new UsageError(`${at}: ${problem}`);
    return abs;
  }
  checkParent(at, abs, 'a new directory');
  return abs;
}

/**
 * Checks `flag given`, a file a run will write: not a directory, in an existing, writable folder; an
 * existing file is refused unless `replace` (the message says how to replace it). Returns its absolute
 * path; creates nothing.
 */
export function checkOutputFile(
  flag: string,
  given: string,
  cwd: string,
  options: { readonly replace?: boolean; readonly replaceHint?: string } = {},
): string {
  const abs = resolve(cwd, given);
  const at = `${flag} ${given}`;
  const st = stat(abs);
  if (st?.isDirectory())
    throw new UsageError(`${at}: ${abs} is a directory; name a file in it (e.g. ${join(given, 'report.html')})`);
  if (st && !options.replace)
    throw new UsageError(`${at}: ${abs} already exists; choose another ${flag}${options.replaceHint ?? ''}`);
  checkParent(at, abs, 'the file');
  return abs;
}

/** The folder that will hold `abs` must exist, be a folder and be writable. */
function checkParent(at: string, abs: string, what: string): void {
  const parent = dirname(abs);
  const pst = stat(parent);
  if (!pst)
    throw new UsageError(
      `${at}: the folder ${parent} does not exist; create it first (mkdir -p ${parent}) or name another path`,
    );
  if (!pst.isDirectory()) throw new UsageError(`${at}: ${parent} is a file, so ${what} cannot be created in it`);
  const code = canCreateIn(parent);
  if (code !== undefined)
    throw new UsageError(`${at}: ${what} cannot be created in ${parent} (${code}); name a folder you can write to`);
}

/** A write that failed after the search: the path and the reason, for the message that follows the results. */
export function writeFailure(what: string, path: string, e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return `could not write ${what} to ${path}: ${err.code ?? ''}${err.code ? ' ' : ''}${err.message ?? String(e)}`;
}

/** Writes `text` to the new file `path` (never over an existing one); a `UsageError` if it could not. */
export function writeNewFile(what: string, path: string, text: string): void {
  try {
    writeFileSync(path, text, { flag: 'wx' });
  } catch (e) {
    throw new UsageError(writeFailure(what, path, e));
  }
}
