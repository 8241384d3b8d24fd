/**
 * Shared fixtures of the CLI tests: the small configurations they run and the in-process runner.
 * Test-only (imported by `*.test.ts`; nothing in the CLI imports it).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { expect } from 'vitest';
import { readmeTextTable } from '../checker/testing/readme.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureStream } from './Io.js';
import { main } from './program.js';

/** The bounds both small configs share: one record, leader epochs ≤ 2, no network partition. */
const TINY_BOUNDS: readonly string[] = ['--max-records', '1', '--max-leader-epochs', '2', '--max-partitions', '0'];

/** A small passing config: 2 brokers, RF 2, min ISR 1 (804 states in 17 BFS levels). */
export const SMALL: readonly string[] = [
  '--brokers',
  '2',
  '--replication-factor',
  '2',
  '--min-isr',
  '1',
  ...TINY_BOUNDS,
];

/** acks=1 loses an acknowledged record in 6 steps (925 states). */
export const ACKS1: readonly string[] = ['--acks', '1', ...TINY_BOUNDS];

/** What an in-process CLI run printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly cwd: string;
}

/** Runs `kafka-mc argv` in this process (no build needed), in `cwd`, with an empty environment. */
export async function runCli(argv: readonly string[], cwd: string): Promise<CliRun> {
  const stdout = captureStream();
  const stderr = captureStream();
  const code = await main(argv, { stdout, stderr, cwd, env: {} });
  return { code, stdout: stdout.text(), stderr: stderr.text(), cwd };
}

/** Temporary directories named `kafka-mc-<prefix>-…`, all removed by `cleanup()` (call it in `afterAll`). */
export function tempDirs(prefix: string): { make(): string; cleanup(): void } {
  const dirs: string[] = [];
  return {
    make(): string {
      const d = mkdtempSync(join(tmpdir(), `kafka-mc-${prefix}-`));
      dirs.push(d);
      return d;
    },
    cleanup(): void {
      for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    },
  };
}

/**
 * The README's latency example: every row it quotes (abridged: some columns left out) is a row of
 * what the command printed, cell for cell under the same headings, and the figure it shows is the one
 * the command drew.
 */
export function expectReadmeLatency(stdout: string, drawn: string): void {
  const quoted = readmeTextTable('npx kafka-mc latency');
  const printed = stdout
    .split('\n')
    .slice(1)
    .filter((l) => l.trim())
    .map((l) => l.trim().split(/\s{2,}/));
  const [qHead, ...qRows] = quoted;
  const [pHead, ...pRows] = printed;
  expect(qRows.length).toBeGreaterThan(0);
  for (const row of qRows) {
    const cell = (r: readonly string[], head: readonly string[] | undefined, name: string): string | undefined =>
      r[head?.indexOf(name) ?? -1];
    const match = pRows.find((p) =>
      ['mode', 'brokers', 'fault'].every((h) => cell(p, pHead, h) === cell(row, qHead, h)),
    );
    expect(match, `README row ${row.join(' | ')}`).toBeDefined();
    for (const h of qHead ?? [])
      expect(cell(match ?? [], pHead, h), `${row.join(' | ')}: ${h}`).toBe(cell(row, qHead, h));
  }
  expect(drawn, 'docs/latency.svg is not what the README command draws: rerun it').toBe(
    readFileSync(new URL('../docs/latency.svg', import.meta.url), 'utf8'),
  );
}

/** A user error is reported in words, never with a stack trace. */
export function expectNoStack(r: CliRun): void {
  expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(r.stderr).not.toMatch(/internal error/);
}
