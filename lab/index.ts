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
export {
  DEFAULT_TIMING,
  PRESET_TIMING,
  TIMING_NAMES,
  resolveTiming,
  timingProblems,
  messageLatency,
  type TimingConfig,
} from './timing.js';
export { actionTiming, type ActionTiming, type TimingContext } from './delays.js';
export {
  DEFAULT_SCHEDULE,
  FAULT_BUDGET,
  FAULT_KINDS,
  FAULT_KIND_NAMES,
  measureLatency,
  timedConfig,
  timedRun,
  type FaultKind,
  type FaultSchedule,
  type LatencyOptions,
  type LatencyReport,
  type TimedRun,
  type WindowStats,
} from './timed.js';
export {
  latencyFigure,
  latencyMarkdown,
  latencyTable,
  pointInput,
  sweepLatency,
  sweepPoints,
  sweepProblems,
  type LatencyAxes,
} from './latencySweep.js';
export { svgFigure, seriesStyle, type Chart, type Series } from './plot.js';
