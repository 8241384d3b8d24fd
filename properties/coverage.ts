import type { Property } from '../checker/index.js';
import { EncodeSink, FingerprintSet, fingerprintInto } from '../checker/index.js';
import type { Action, ActionFamily, ClusterState, KafkaModel, ModelConfig } from '../model/index.js';
import { ALL_FAMILIES, actionFamily } from '../model/index.js';
import type { IntentName } from './commands/index.js';
import { MetricsTally, type MetricsDistribution } from './metricsTally.js';

/** How often one action family was enabled and taken during fuzzing. */
export interface FamilyCoverage {
  readonly family: ActionFamily;
  /** Actions of this family taken. */
  readonly fired: number;
  /** Visited states in which some action of this family was enabled. */
  readonly enabled: number;
}

/** How many runs reached a state where a `sometimes` guard holds. */
export interface GuardCoverage {
  readonly id: string;
  readonly title: string;
  readonly runs: number;
}

/** How an `eventually` property was exercised: runs that stopped where a behaviour may stutter, and triggered. */
export interface LivenessCoverage {
  readonly id: string;
  /** Runs that ended in a state where the behaviour may stop forever (where liveness is judged). */
  readonly judged: number;
  /** Of those, runs in which the trigger held after the last state where the goal held (real obligations). */
  readonly triggered: number;
}

/** Steps per run: range, mean and a histogram in buckets of `bucket` steps. */
export interface DepthDistribution {
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly bucket: number;
  /** `runs[i]` runs took between `i*bucket` and `(i+1)*bucket - 1` steps. */
  readonly histogram: readonly number[];
}

/**
 * What a fuzz campaign exercised, so a green run says what it covered. Counts only the generated runs
 * (not fast-check's shrinking replays).
 */
export interface FuzzCoverage {
  readonly runs: number;
  /** Actions taken over all runs. */
  readonly steps: number;
  /** Distinct states (by fingerprint) visited over all runs. */
  readonly distinctStates: number;
  readonly families: readonly FamilyCoverage[];
  /** Commands run per fault intent. */
  readonly intents: Readonly<Partial<Record<IntentName, number>>>;
  readonly guards: readonly GuardCoverage[];
  readonly liveness: readonly LivenessCoverage[];
  readonly depth: DepthDistribution;
  /** Kafka's metrics over the runs' states and steps (see `properties/metrics.ts`). */
  readonly metrics: MetricsDistribution;
  /**
   * What was not exercised: a family that the config allows but no run took, a guard no run reached,
   * a liveness property never judged or never triggered.
   */
  readonly warnings: readonly string[];
}

/** Families a config can produce at all (faults need a budget). */
export function possibleFamilies(cfg: ModelConfig): ActionFamily[] {
  const f = cfg.faults;
  return ALL_FAMILIES.filter((fam) => {
    switch (fam) {
      case 'crash':
        return f.crashes + f.uncleanShutdowns > 0;
      case 'restart':
        return f.crashes + f.uncleanShutdowns + f.controlledShutdowns > 0;
      case 'session':
        return f.sessionExpiries > 0;
      case 'network':
        return f.networkPartitions > 0;
      case 'loss':
        return f.messageLosses > 0;
      case 'admin':
        return f.controlledShutdowns + f.preferredElections + f.uncleanElections > 0;
      case 'produce':
        return cfg.bounds.records > 0;
      case 'disk':
        return cfg.backgroundFlush;
      default:
        return true;
    }
  });
}

/** Accumulates coverage while the fuzz loop runs (mutable; `result()` freezes it). */
export class CoverageCollector {
  counting = true;
  private runs = 0;
  private steps = 0;
  private readonly fired = new Map<ActionFamily, number>();
  private readonly enabled = new Map<ActionFamily, number>();
  private readonly intents = new Map<IntentName, number>();
  private readonly guardRuns = new Map<string, number>();
  private readonly runGuards = new Set<string>();
  private readonly judged = new Map<string, { judged: number; triggered: number }>();
  private readonly depths: number[] = [];
  private readonly seen = new FingerprintSet();
  private readonly sink = new EncodeSink();
  private readonly fp = { hi: 0, lo: 0 };
  private readonly metrics: MetricsTally;
  private lastAction: Action | undefined;

  constructor(
    private readonly model: KafkaModel,
    private readonly properties: readonly Property<ClusterState>[],
  ) {
    this.metrics = new MetricsTally(model.config);
  }

  startRun(): void {
    this.runGuards.clear();
    this.lastAction = undefined;
    if (this.counting) this.metrics.startRun();
  }

  endRun(steps: number): void {
    if (!this.counting) return;
    this.runs++;
    this.depths.push(steps);
    this.metrics.endRun();
    for (const g of this.runGuards) this.guardRuns.set(g, (this.guardRuns.get(g) ?? 0) + 1);
  }

  state(s: ClusterState, families: readonly ActionFamily[]): void {
    if (!this.counting) return;
    this.sink.reset();
    this.model.encode(s, this.sink);
    fingerprintInto(this.sink.buf, this.sink.len, 0, this.fp);
    this.seen.add(this.fp.hi, this.fp.lo);
    if (this.lastAction) this.metrics.step(this.lastAction, s);
    else this.metrics.state(s);
    this.lastAction = undefined;
    for (const f of new Set(families)) this.enabled.set(f, (this.enabled.get(f) ?? 0) + 1);
  }

  step(a: Action): void {
    if (!this.counting) return;
    this.steps++;
    this.lastAction = a;
    const f = actionFamily(a);
    this.fired.set(f, (this.fired.get(f) ?? 0) + 1);
  }

  intent(name: IntentName): void {
    if (this.counting) this.intents.set(name, (this.intents.get(name) ?? 0) + 1);
  }

  guard(id: string): void {
    if (this.counting) this.runGuards.add(id);
  }

  liveness(id: string, triggered: boolean): void {
    if (!this.counting) return;
    const j = this.judged.get(id) ?? { judged: 0, triggered: 0 };
    this.judged.set(id, { judged: j.judged + 1, triggered: j.triggered + (triggered ? 1 : 0) });
  }

  get distinct(): number {
    return this.seen.size;
  }

  get maxDepth(): number {
    return this.depths.reduce((m, d) => Math.max(m, d), 0);
  }

  get totalSteps(): number {
    return this.steps;
  }

  result(cfg: ModelConfig): FuzzCoverage {
    const warnings: string[] = [];
    const possible = new Set(possibleFamilies(cfg));
    const families = ALL_FAMILIES.map((family): FamilyCoverage => ({
      family,
      fired: this.fired.get(family) ?? 0,
      enabled: this.enabled.get(family) ?? 0,
    }));
    for (const f of families)
      if (f.fired === 0 && possible.has(f.family))
        warnings.push(
          f.enabled === 0
            ? `action family "${f.family}" was never enabled in ${this.runs} run(s)`
            : `action family "${f.family}" was enabled in ${f.enabled} state(s) but never taken`,
        );
    const guards = this.properties
      .filter((p) => p.kind === 'sometimes')
      .map((p): GuardCoverage => ({ id: p.id, title: p.title, runs: this.guardRuns.get(p.id) ?? 0 }));
    for (const g of guards) if (g.runs === 0) warnings.push(`guard "${g.id}" (${g.title}) was never reached`);
    const liveness = this.properties
      .filter((p) => p.kind === 'eventually')
      .map((p): LivenessCoverage => ({ id: p.id, ...(this.judged.get(p.id) ?? { judged: 0, triggered: 0 }) }));
    for (const l of liveness)
      if (l.judged === 0)
        warnings.push(`liveness "${l.id}" was never judged: no run stopped where a behaviour may stutter forever`);
      else if (l.triggered === 0)
        warnings.push(
          `liveness "${l.id}" is vacuous in this fuzz campaign: its trigger never held where a run stopped`,
        );
    const intents: Partial<Record<IntentName, number>> = {};
    for (const [k, v] of [...this.intents].sort((a, b) => a[0].localeCompare(b[0]))) intents[k] = v;
    return {
      runs: this.runs,
      steps: this.steps,
      distinctStates: this.seen.size,
      families,
      intents,
      guards,
      liveness,
      depth: distribution(this.depths),
      metrics: this.metrics.result(),
      warnings,
    };
  }
}

function distribution(depths: readonly number[]): DepthDistribution {
  if (depths.length === 0) return { min: 0, max: 0, mean: 0, bucket: 10, histogram: [] };
  const min = Math.min(...depths);
  const max = Math.max(...depths);
  const bucket = Math.max(1, Math.ceil((max + 1) / 10));
  const histogram = Array<number>(Math.floor(max / bucket) + 1).fill(0);
  for (const d of depths) {
    const i = Math.floor(d / bucket);
    histogram[i] = (histogram[i] ?? 0) + 1;
  }
  const mean = Math.round((depths.reduce((a, b) => a + b, 0) / depths.length) * 100) / 100;
  return { min, max, mean, bucket, histogram };
}
