import {
  formatBytes,
  type BitstateStats,
  type CheckResult,
  type IncompleteReason,
  type PropertyOutcome,
  type Stats,
} from '../checker/index.js';
import { formatCount, formatDuration, plural } from './format.js';

// The config line of the check header is model/format.ts's, the one traces print too.
export { describeConfig } from '../model/index.js';

const STATUS_WORD: Readonly<Record<PropertyOutcome['status'], string>> = {
  holds: 'holds',
  violated: 'VIOLATED',
  found: 'reached',
  vacuous: 'NEVER REACHED',
  unknown: 'unknown',
};

/** The per-property table: status, id, title (and how long its example or counterexample is). */
export function renderOutcomes(outcomes: readonly PropertyOutcome[]): string {
  const idWidth = Math.max(...outcomes.map((o) => o.id.length), 8);
  const statusWidth = Math.max(...outcomes.map((o) => STATUS_WORD[o.status].length));
  return outcomes
    .map((o) => {
      const steps =
        o.path && (o.status === 'found' || o.status === 'violated') ? ` (${plural(o.path.length - 1, 'step')})` : '';
      const kind = o.kind === 'sometimes' ? 'guard' : o.kind === 'eventually' ? 'liveness' : 'safety';
      return `  ${STATUS_WORD[o.status].padEnd(statusWidth)}  ${o.id.padEnd(idWidth)}  ${kind.padEnd(8)}  ${o.title}${steps}`;
    })
    .join('\n');
}

const REASON_TEXT: Readonly<Record<IncompleteReason, string>> = {
  'max-depth': 'the depth bound (--max-depth)',
  'max-states': 'the state bound (--max-states)',
  'time-limit': 'the time limit (--time-limit)',
  'state-constraint': "the model's state constraint (--max-in-flight)",
  interrupted: 'Ctrl-C',
  sampled: 'sampling',
  bitstate: 'bitstate hashing (--bitstate)',
};

/** What stopped an incomplete run, in words (`interruptedBy`: what the user stopped it with). */
export function describeReasons(reasons: readonly IncompleteReason[], interruptedBy = 'Ctrl-C'): string {
  return reasons
    .filter((r) => r !== 'sampled')
    .map((r) => (r === 'interrupted' ? interruptedBy : REASON_TEXT[r]))
    .join(' and ');
}

/** "975 distinct states (2,981 generated), depth 7, in 0.1 s (9,750 states/s)". */
export function describeStats(s: Stats): string {
  return `${s.bitstate ? `${plural(s.distinct, 'state')} stored` : plural(s.distinct, 'distinct state')} (${formatCount(s.generated)} generated), depth ${s.maxDepth}${
    s.queued ? `, ${formatCount(s.queued)} queued` : ''
  }, in ${formatDuration(s.durationMs)} (${formatCount(s.statesPerSecond)} states/s)`;
}

/** The run's verdict in one line, e.g. "OK: 3 safety properties hold, 3 guards reached; 24,544 distinct states…". */
export function summaryLine(
  result: CheckResult,
  command: 'check' | 'fuzz',
  fuzz?: FuzzSummary,
  interruptedBy = 'Ctrl-C',
): string {
  const o = result.outcomes;
  const count = (pred: (x: PropertyOutcome) => boolean): number => o.filter(pred).length;
  const holds = count((x) => x.status === 'holds');
  const found = count((x) => x.status === 'found');
  const unknown = count((x) => x.status === 'unknown');
  const stats = describeStats(result.stats);
  const shard = fuzz?.shard ? ` (shard ${fuzz.shard.index}/${fuzz.shard.count} of ${formatCount(fuzz.shard.of)})` : '';
  const sampled = fuzz
    ? `${plural(fuzz.runs, 'fast-check run')}${shard} of up to ${plural(fuzz.depth, 'fault intent')}, seed ${fuzz.seed}; `
    : '';
  switch (result.kind) {
    case 'ok':
      return `OK${result.stats.cuts?.length ? ' within bounds' : ''}: ${plural(holds, 'property holds', 'properties hold')}${found ? `, ${plural(found, 'guard')} reached` : ''}; ${stats}`;
    case 'violation': {
      const v = result.violation;
      const what =
        v.status === 'vacuous'
          ? `guard ${v.id} was never reached, so the passing properties may hold vacuously`
          : `${v.id} violated${v.path ? ` after ${plural(v.path.length - 1, 'step')}` : ''}`;
      const others = count((x) => x.status === 'violated' || x.status === 'vacuous') - 1;
      return `VIOLATION: ${what}${others > 0 ? ` (and ${others} more)` : ''}; ${sampled}${stats}`;
    }
    case 'incomplete': {
      const why = describeReasons(result.reasons, interruptedBy);
      const also = describeReasons(
        result.reasons.filter((r) => r !== 'bitstate'),
        interruptedBy,
      );
      if (result.stats.bitstate)
        return `NO VIOLATION FOUND${result.stats.cuts?.length ? ' within bounds' : ''} (bitstate: not exhaustive${also ? `; also stopped by ${also}` : ''}): ${plural(
          unknown,
          'property',
          'properties',
        )} undecided${found ? `, ${plural(found, 'guard')} reached` : ''}; ${stats}; ${describeBitstate(result.stats.bitstate)}`;
      if (command === 'fuzz' && !why)
        return `OK (sampled): no violation in ${sampled}${found ? `${plural(found, 'guard')} reached, ` : ''}${stats}`;
      return `INCOMPLETE: stopped by ${why || 'a bound'} before covering the state space; no violation so far, ${plural(
        unknown,
        'property',
        'properties',
      )} undecided; ${sampled}${stats}`;
    }
    case 'error':
      return `ERROR: ${result.message}; ${stats}`;
  }
}

/** What a fuzz run sampled. */
export interface FuzzSummary {
  /** Runs this invocation did (a shard's share of the campaign). */
  readonly runs: number;
  readonly depth: number;
  readonly seed: number;
  /** `fuzz --shard i/n`: shard `index` of `count` of a campaign of `of` runs. */
  readonly shard?: { readonly index: number; readonly count: number; readonly of: number };
}

/** "2^32 bits" for a power of two, else "100,000,000 bits". */
function bitsText(bits: number): string {
  const log = Math.log2(bits);
  return Number.isInteger(log) ? `2^${log} bits` : plural(bits, 'bit');
}

/** The estimated coverage: a percentage up to 99 %, above it "1 − 3.2e-8" (never a rounded 100 %). */
export function formatCoverage(coverage: number): string {
  const missed = 1 - coverage;
  if (missed === 0) return '1';
  if (missed >= 0.01) return `${(100 * coverage).toFixed(1)} %`;
  return `1 − ${missed.toExponential(1)}`;
}

/** "2^32 bits (4,312,401 set, 3 per state), hash factor 2,988, estimated coverage 1 − 3.2e-8". */
export function describeBitstate(b: BitstateStats): string {
  return `${bitsText(b.bits)} (${formatCount(b.bitsSet)} set, ${b.hashes} per state), hash factor ${hashFactorText(b)}, estimated coverage ${formatCoverage(b.coverage)}`;
}

function hashFactorText(b: BitstateStats): string {
  return Number.isFinite(b.hashFactor) ? formatCount(b.hashFactor) : '∞';
}

/** The paragraph a bitstate run prints under its outcomes: what was stored, the estimate, what it means. */
export function bitstateNote(b: BitstateStats): string {
  const fill = (100 * b.bitsSet) / b.bits;
  return [
    `Bitstate search (--bitstate ${formatBytes(b.bits / 8)} = ${bitsText(b.bits)}, ${b.hashes} bits per state): ${plural(b.states, 'state')} stored, ${formatCount(b.bitsSet)} bits set (${fill < 0.1 ? fill.toExponential(1) : fill.toFixed(1)} %).`,
    `Hash factor m/n = ${hashFactorText(b)} (Holzmann: above about 100 few states are lost). A new state is now wrongly judged visited`,
    `with probability ${b.falsePositive.toExponential(1)} by the standard estimate (1 − e^(−kn/m))^k, ${b.measuredFalsePositive.toExponential(1)} by the bits set ((set/m)^k):`,
    `estimated coverage ${formatCoverage(b.coverage)}. Not a proof: a state whose bits other states had set was skipped, with`,
    'all that only it leads to. A violation it finds is real. For a proof run without --bitstate; for more coverage use',
    'a larger array or more --swarm shards.',
  ].join('\n');
}
