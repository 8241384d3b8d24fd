/**
 * Golden files of the tests (test-only: excluded from the build). One rule everywhere: a test compares
 * what it produced with a committed file; `UPDATE_GOLDEN=1` (re)writes the file instead, for review
 * before committing; a missing file FAILS the test, saying how to write it. Nothing is ever written
 * without `UPDATE_GOLDEN=1`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Whether this run rewrites golden files (`UPDATE_GOLDEN=1`). */
export function updatingGolden(): boolean {
  return process.env['UPDATE_GOLDEN'] === '1';
}

/** Expects `actual` to be the content of the golden file `file` (a path or a `file:` URL). */
export function expectGolden(file: string | URL, actual: string): void {
  const path = typeof file === 'string' ? file : fileURLToPath(file);
  const name = relative(ROOT, path);
  if (updatingGolden()) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path))
    throw new Error(
      `golden file ${name} is missing: run this test with UPDATE_GOLDEN=1 to write it, then review and commit it`,
    );
  expect(actual, `${name} differs: if the change is intended, run with UPDATE_GOLDEN=1 and review the diff`).toBe(
    readFileSync(path, 'utf8'),
  );
}
