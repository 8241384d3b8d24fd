import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkParallel, resumeParallel, type ModelSpec } from './parallel.js';
import { check } from './search.js';
import { twoPhaseAllCommit, twoPhaseConsistent, twoPhaseModel } from './testing/twoPhase.js';

const specs = fileURLToPath(new URL('../dist/checker/testing/specs.js', import.meta.url));
const parallelJs = fileURLToPath(new URL('../dist/checker/parallel.js', import.meta.url));
const slow = (spinMicros: number): ModelSpec => ({
  module: specs,
  export: 'slowTwoPhaseSpec',
  arg: { n: 5, spinMicros },
});
const reference = check(twoPhaseModel(5), [twoPhaseConsistent, twoPhaseAllCommit]);

const levelOf = (dir: string): number => {
  const f = join(dir, 'checkpoint', 'meta.json');
  if (!existsSync(f)) return -1;
  try {
    return (JSON.parse(readFileSync(f, 'utf8')) as { level: number }).level;
  } catch {
    return -1;
  }
};

describe('checkpoint and resume (parallel engine)', () => {
  for (const spill of [undefined, { segmentSize: 100, memorySegments: 1 }]) {
    it(`an interrupted run resumes to the same counts as an uninterrupted run${spill ? ' (levels spilled to disk)' : ''}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'kafka-mc-ckpt-'));
      try {
        const ac = new AbortController();
        const first = await checkParallel(slow(100), {
          workers: 2,
          ...(spill ? { spill } : {}),
          checkpoint: { dir, everyMs: 0 },
          signal: ac.signal,
          progressIntervalMs: 10,
          onProgress: (p) => {
            if (p.distinct > 2_000) ac.abort();
          },
        });
        expect(first.kind).toBe('incomplete');
        expect(first.stats.distinct).toBeLessThan(8_832);
        expect(levelOf(dir)).toBeGreaterThan(0);
        const r = await resumeParallel(dir, spill ? { spill } : {});
        expect(r.kind).toBe('ok');
        expect(r.stats.distinct).toBe(8_832);
        expect(r.stats.generated).toBe(reference.stats.generated);
        expect(r.stats.maxDepth).toBe(reference.stats.maxDepth);
        expect(r.outcomes.map((o) => o.status)).toEqual(['holds', 'found']);
        expect(r.outcomes[1]?.path?.length).toBe(reference.outcomes[1]?.path?.length);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it('a killed process (SIGKILL) resumes from its last checkpoint to the same counts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafka-mc-ckpt-'));
    try {
      const code = `
        const { checkParallel } = await import(${JSON.stringify(parallelJs)});
        await checkParallel(${JSON.stringify(slow(200))}, { workers: 2, checkpoint: { dir: ${JSON.stringify(dir)}, everyMs: 0 } });
        process.stdout.write('finished');`;
      const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_c, sig) => resolve(sig)));
      while (levelOf(dir) < 6 && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      expect(out).toBe('');
      const level = levelOf(dir);
      expect(level).toBeGreaterThanOrEqual(6);
      const r = await resumeParallel(dir);
      expect(r.kind).toBe('ok');
      expect(r.stats.distinct).toBe(8_832);
      expect(r.stats.generated).toBe(reference.stats.generated);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('resuming from a directory without a checkpoint is a clear error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafka-mc-ckpt-'));
    try {
      await expect(resumeParallel(dir)).rejects.toThrow(/no checkpoint in/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
