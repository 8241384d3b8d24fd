/**
 * One large exhaustive run, for memory per state at scale (issue 11): two-phase commit with N
 * resource managers (default 10: 61,515,776 distinct states) through single-threaded `check()`.
 *
 * Run: `npm run build && node --max-old-space-size=20000 dist/bench/large.js [N] [--spill DIR]`; prints
 * one JSON line (distinct and generated states, seconds, states/s, bytes per visited state, peak RSS in
 * MiB). The table is presized for 2^20 states, so a small N reports a large bytes/state. `--spill DIR`
 * keeps the BFS frontier in a file under DIR beyond 32 segments of 16,384 states (`frontierSpill`).
 */
import { check } from '../checker/index.js';
import { twoPhaseSpec } from '../checker/testing/specs.js';

const args = process.argv.slice(2);
const spillAt = args.indexOf('--spill');
const spillDir = spillAt >= 0 ? args[spillAt + 1] : undefined;
if (spillAt >= 0 && !spillDir) {
  process.stderr.write('large.js: --spill needs a directory\n');
  process.exit(2);
}
const positional = args.filter((_, i) => spillAt < 0 || (i !== spillAt && i !== spillAt + 1));
const n = Number(positional[0] ?? 10);
if (!Number.isInteger(n) || n < 1 || n > 14) {
  process.stderr.write(`large.js: N must be an integer from 1 to 14 (got ${positional[0] ?? ''})\n`);
  process.exit(2);
}
const bundle = twoPhaseSpec(n);
const t0 = process.hrtime.bigint();
const r = check(bundle.model, bundle.properties, {
  expectedStates: 1 << 20,
  ...(spillDir !== undefined ? { frontierSpill: { dir: spillDir, memorySegments: 32 } } : {}),
});
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
process.stdout.write(
  `${JSON.stringify({
    rms: n,
    frontier: spillDir !== undefined ? 'spilled' : 'memory',
    verdict: r.kind,
    distinct: r.stats.distinct,
    generated: r.stats.generated,
    seconds: Math.round(seconds * 10) / 10,
    statesPerSecond: Math.round(r.stats.distinct / seconds),
    bytesPerState: Math.round(r.stats.bytesPerState * 10) / 10,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  })}\n`,
);
