/**
 * One large exhaustive run, for memory per state at scale (issue 11): two-phase commit with N
 * resource managers (default 10: 61,515,776 distinct states) through single-threaded `check()`.
 *
 * Run: `npm run build && node --max-old-space-size=20000 dist/bench/large.js [N]`; prints one JSON line
 * (distinct and generated states, seconds, states/s, bytes per visited state, peak RSS in MiB). The
 * table is presized for 2^20 states, so a small N reports a large bytes/state.
 */
import { check } from '../checker/index.js';
import { twoPhaseSpec } from '../checker/testing/specs.js';

const n = Number(process.argv[2] ?? 10);
if (!Number.isInteger(n) || n < 1 || n > 14) {
  process.stderr.write(`large.js: N must be an integer from 1 to 14 (got ${process.argv[2] ?? ''})\n`);
  process.exit(2);
}
const bundle = twoPhaseSpec(n);
const t0 = process.hrtime.bigint();
const r = check(bundle.model, bundle.properties, { expectedStates: 1 << 20 });
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
process.stdout.write(
  `${JSON.stringify({
    rms: n,
    verdict: r.kind,
    distinct: r.stats.distinct,
    generated: r.stats.generated,
    seconds: Math.round(seconds * 10) / 10,
    statesPerSecond: Math.round(r.stats.distinct / seconds),
    bytesPerState: Math.round(r.stats.bytesPerState * 10) / 10,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  })}\n`,
);
