import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ACKS1, SMALL, expectNoStack, runCli, tempDirs } from './testSupport.js';

/** `check --bitstate`: never a pass (exit 3), what it stored and its estimated coverage, real violations. */

const dirs = tempDirs('bitstate');
afterAll(() => dirs.cleanup());
const run = (argv: readonly string[]) => runCli(argv, dirs.make());

describe('check --bitstate', () => {
  it('a run without a violation says it is not exhaustive, with its coverage, and exits 3', async () => {
    const r = await run(['check', ...SMALL, '--bitstate', '64KiB']);
    expectNoStack(r);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain(
      'engine: bitstate breadth-first (64 KiB bit array, 3 bits per state, not exhaustive); 15 properties',
    );
    const summary = r.stdout.trim().split('\n').at(-1) ?? '';
    expect(summary.replace(/in [\d.]+ s \([\d,]+ states\/s\)/, 'in <time>')).toBe(
      'NO VIOLATION FOUND within bounds (bitstate: not exhaustive): 9 properties undecided, 6 guards reached; 911 states stored (1,519 generated), depth 17, in <time>; 2^19 bits (2,722 set, 3 per state), hash factor 576, estimated coverage 1 − 1.4e-7',
    );
    expect(r.stdout).toContain(
      'Bitstate search (--bitstate 64 KiB = 2^19 bits, 3 bits per state): 911 states stored, 2,722 bits set (0.5 %).',
    );
    expect(r.stdout).toContain('Not a proof');
    // the model bounds that cut it are listed as for a pass within bounds
    expect(r.stdout).toContain('Within bounds: these bounds disabled steps the cluster could have taken next');
    expect(r.stdout).not.toMatch(/^OK/m);
  });

  it('--json: verdict incomplete (reason bitstate), exhaustive false and the bitstate figures', async () => {
    const r = await run(['check', ...SMALL, '--bitstate', '2^19', '--bitstate-hashes', '4', '--json']);
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({ verdict: 'incomplete', exitCode: 3, reasons: ['bitstate'], exhaustive: false });
    expect(doc.bitstate).toMatchObject({ bits: 2 ** 19, hashes: 4, states: 911 });
    expect(doc.engine).toMatchObject({ kind: 'check', bitstate: { bits: 2 ** 19, hashes: 4 } });
    const plain = JSON.parse((await run(['check', ...SMALL, '--json'])).stdout) as Record<string, unknown>;
    expect(plain).toMatchObject({ verdict: 'ok', exhaustive: true, bitstate: null });
  });

  it('a violation is found with the exhaustive search’s trace, which replays (exit 1, then 0)', async () => {
    const bits = await run(['check', ...ACKS1, '--bitstate', '1MiB', '--json']);
    const exact = await run(['check', ...ACKS1, '--json']);
    expect([bits.code, exact.code]).toEqual([1, 1]);
    const b = JSON.parse(bits.stdout) as { violation: { path: number[] }; reasons: string[]; trace: { file: string } };
    const e = JSON.parse(exact.stdout) as { violation: { path: number[] } };
    expect(b.violation.path).toEqual(e.violation.path);
    expect(b.violation.path).toHaveLength(7);
    expect(b.reasons).toEqual(['bitstate']);
    const file = join(bits.cwd, b.trace.file);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toBeTruthy();
    const replay = await runCli(['replay', file], bits.cwd);
    expect(replay.code).toBe(0);
  });

  it('a swarm shard takes it too', async () => {
    const r = await run(['check', ...SMALL, '--swarm', '1/2', '--bitstate', '64KiB', '--max-depth', '30']);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain(
      'engine: swarm shard 1/2: bounded depth-first, seed 0, bitstate with a 64 KiB bit array, 3 bits per state (depth ≤ 30);',
    );
    expect(r.stdout).toMatch(/^NO VIOLATION FOUND within bounds \(bitstate: not exhaustive\): .* 911 states stored /m);
  });

  const bad: readonly (readonly [string, readonly string[], string])[] = [
    ['a size without a unit', ['--bitstate', '512'], '"512" has no unit (bits or bytes?); give bytes with a unit'],
    ['an unknown unit', ['--bitstate', '5parsecs'], '"5parsecs" is not a size; give bytes with a unit'],
    ['too large', ['--bitstate', '2^36'], 'and 2^35 bits (4 GiB, the largest typed array node allows), got'],
    ['too small', ['--bitstate', '1000B'], 'between 2^13 bits (1 KiB) and 2^35 bits'],
    ['a fraction of a byte', ['--bitstate', '8192.5B'], '"8192.5B" is not a whole number of bytes'],
    ['no hashes', ['--bitstate', '1MiB', '--bitstate-hashes', '0'], 'bits per state must be an integer from 1 to 32'],
    ['hashes alone', ['--bitstate-hashes', '4'], '--bitstate-hashes sets the bits per state of a bitstate search'],
    ['workers', ['--bitstate', '1MiB', '--workers', '2'], '--bitstate: the parallel engine (--workers) shares'],
    ['checkpoints', ['--bitstate', '1MiB', '--checkpoint', 'ck'], 'drop --checkpoint or --bitstate'],
    ['grow bounds', ['--bitstate', '1MiB', '--grow-bounds'], 'a bitstate run is never a pass: drop one of them'],
    [
      'liveness',
      ['--bitstate', '1MiB', '--property', 'eventually-leader'],
      'which a bit array does not keep: drop --bitstate',
    ],
  ];
  for (const [what, flags, message] of bad)
    it(`refuses ${what} (exit 2, naming the fix)`, async () => {
      const r = await run(['check', ...SMALL, ...flags]);
      expectNoStack(r);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
    });
});
