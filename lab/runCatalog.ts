import { check, type CheckResult } from '../checker/index.js';
import { kafkaModel, resolveConfig, builtinRule, clean, type CatalogEntry, type ElectionRule } from '../model/index.js';
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
  const cfg = resolveConfig(entry.config);
  const prop = resolve(entry.property, cfg);
  if (!prop) throw new Error(`catalog entry ${entry.id} names unknown property "${entry.property}"`);
  const exposed = check(kafkaModel(cfg, ruleFor(cfg.electionRule)), [prop], {});
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
