import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { expectGolden } from './golden.js';

describe('expectGolden', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kafka-mc-golden-'));
    vi.stubEnv('UPDATE_GOLDEN', '');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes when the text is the committed one', () => {
    const file = join(dir, 'a.txt');
    writeFileSync(file, 'hello\n');
    expect(() => expectGolden(file, 'hello\n')).not.toThrow();
  });

  it('fails on a difference, saying how to accept it, and leaves the file alone', () => {
    const file = join(dir, 'a.txt');
    writeFileSync(file, 'hello\n');
    expect(() => expectGolden(file, 'bye\n')).toThrow(/differs: if the change is intended, run with UPDATE_GOLDEN=1/);
    expect(readFileSync(file, 'utf8')).toBe('hello\n');
  });

  it('fails when the golden file is missing, and does not write it', () => {
    const file = join(dir, 'sub', 'missing.txt');
    expect(() => expectGolden(pathToFileURL(file), 'hello\n')).toThrow(
      /golden file .*missing\.txt is missing: run this test with UPDATE_GOLDEN=1 to write it/,
    );
    expect(existsSync(file)).toBe(false);
  });

  it('with UPDATE_GOLDEN=1, writes (or rewrites) the file, making its directory', () => {
    vi.stubEnv('UPDATE_GOLDEN', '1');
    const file = join(dir, 'sub', 'new.txt');
    expectGolden(file, 'one\n');
    expect(readFileSync(file, 'utf8')).toBe('one\n');
    expectGolden(file, 'two\n');
    expect(readFileSync(file, 'utf8')).toBe('two\n');
  });

  it('only UPDATE_GOLDEN=1 writes: any other value still fails on a missing file', () => {
    vi.stubEnv('UPDATE_GOLDEN', 'true');
    const file = join(dir, 'x.txt');
    expect(() => expectGolden(file, 'x')).toThrow(/is missing/);
    expect(existsSync(file)).toBe(false);
  });
});
