import { check, type CheckOptions, type CheckResult } from '../checker/index.js';
import {
  kafkaModel,
  resolveConfig,
  builtinRule,
  clean,
  type CatalogEntry,
  type ElectionRule,
  type FaultBudget,
} from '../model/index.js';
import { defaultResolver, type PropertyResolver } from './properties.js';

/** The outcome of reproducing one catalog entry. */
export interface CatalogRun {
  readonly entry: CatalogEntry;
  /** The exposing run (BFS, stops at the first counterexample). */
  readonly exposed: CheckResult;
  /** Steps of the counterexample found, if any. */
  readonly steps: number | undefined;
  /** Whether the length matches the catalog's expectation. */
  readonly lengthMatches: boolean;
  /** The fixing run (exhaustive), when the entry names a fix. */
  readonly fixed: CheckResult | undefined;
}

/**
 * The exposing run of a catalog entry: a check of its property on its config, stopping at the first
 * counterexample. `faults` changes the config's fault budget (the rest of it stays as it is); `options`
 * go to `check`.
 */
export function exposeCatalogEntry(
  entry: CatalogEntry,
  variant: { readonly faults?: Partial<FaultBudget>; readonly options?: CheckOptions } = {},
  resolve: PropertyResolver = defaultResolver,
): CheckResult {
  const base = resolveConfig(entry.config);
  const cfg = variant.faults ? resolveConfig({ ...entry.config, faults: { ...base.faults, ...variant.faults } }) : base;
  const prop = resolve(entry.property, cfg);
  if (!prop) throw new Error(`catalog entry ${entry.id} names unknown property "${entry.property}"`);
  return check(kafkaModel(cfg, ruleFor(cfg.electionRule)), [prop], variant.options ?? {});
}

/** Fixing runs are shared between entries with the same fix (the check is a pure function of its inputs). */
const fixedRuns = new Map<string, CheckResult>();

function ruleFor(name: string): ElectionRule {
  return builtinRule(name) ?? clean;
}

/**
 * Reproduces a catalog entry: a BFS for its property on the exposing config must find a counterexample
 * of exactly `expectedSteps` steps; the fixing config, if any, must pass exhaustively.
 */
export function runCatalogEntry(entry: CatalogEntry, resolve: PropertyResolver = defaultResolver): CatalogRun {
  const exposed = exposeCatalogEntry(entry, {}, resolve);
  const steps = exposed.kind === 'violation' && exposed.violation.path ? exposed.violation.path.length - 1 : undefined;
  let fixed: CheckResult | undefined;
  if (entry.fixedBy) {
    const fcfg = resolveConfig(entry.fixedBy.config);
    const fprop = resolve(entry.property, fcfg);
    const key = JSON.stringify([fcfg, entry.property]);
    fixed = fixedRuns.get(key);
    if (fprop && !fixed) {
      fixed = check(kafkaModel(fcfg, ruleFor(fcfg.electionRule)), [fprop], {});
      fixedRuns.set(key, fixed);
    }
  }
  return { entry, exposed, steps, lengthMatches: steps === entry.expectedSteps, fixed };
}
