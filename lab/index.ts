export { runCatalogEntry, type CatalogRun } from './runCatalog.js';
export { MUTANTS, runMutants, type Mutant, type MutantResult } from './mutate.js';
export {
  compareRules,
  formatMatrix,
  cellText,
  columnModel,
  ELR_COLUMN,
  type Cell,
  type Column,
  type MatrixRow,
  type CompareOptions,
} from './compare.js';
export {
  measureAvailability,
  isServing,
  percentile,
  formatPercentile,
  type AvailabilityReport,
} from './availability.js';
export { defaultResolver, safetyFor, type PropertyResolver } from './properties.js';
export { sweepAvailability, sweepMarkdown, sweepHtml, type SweepPoint } from './sweep.js';
export { METRICS_HEADING, compareHtml, compareMarkdown, traceKey, type CompareReport } from './report.js';
