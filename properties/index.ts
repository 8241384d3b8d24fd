import type { Property } from '../checker/index.js';
import type { ClusterState } from '../model/index.js';
import { singleLeader } from './singleLeader.js';
import { noDataLoss } from './noDataLoss.js';
import { singleController } from './singleController.js';
import { failoverHappens, isrShrinks, recordAcked } from './reachability.js';

export { singleLeader } from './singleLeader.js';
export { singleController, singleControllerFor } from './singleController.js';
export { noDataLoss } from './noDataLoss.js';
export { logConsistency } from './logConsistency.js';
export { epochMonotonic } from './epochMonotonic.js';
export { leaderInIsr } from './leaderInIsr.js';
export { minIsrRespected } from './minIsrRespected.js';
export { hwNeverPassesIsr } from './hwNeverPassesIsr.js';
export { logMatching } from './logMatching.js';
export { eventuallyLeader, eventuallyAvailable, eventuallyOnline, electionPossible } from './eventuallyLeader.js';
export { eventuallyController } from './eventuallyController.js';
export { eventuallyIsrRestored } from './eventuallyIsrRestored.js';
export { eventuallyAcked } from './eventuallyAcked.js';
export { eventuallyWritable, notWritable } from './eventuallyWritable.js';
export {
  failoverHappens,
  isrShrinks,
  isrExpands,
  recordAcked,
  controllerFailover,
  uncleanElection,
  zombieLeaderExists,
} from './reachability.js';
export { committedMetadataDurable } from './committedMetadataDurable.js';
export { majorityCommit } from './majorityCommit.js';
export { leaderActive } from './leaderActive.js';
export { activeControllerCount } from './activeControllerCount.js';
export {
  GAUGES,
  METERS,
  METRIC_SOURCES,
  metricsOf,
  stepMeters,
  gaugeChanges,
  describeMetricMoves,
  metricMovesAlong,
  metricsSummary,
  type GaugeName,
  type MeterName,
  type NodeMetrics,
  type ClusterMetrics,
  type StepMeters,
  type GaugeChange,
} from './metrics.js';
export {
  GAUGE_ALERTS,
  MetricsTally,
  mergeMetricsDistributions,
  metricsDistributionLines,
  metricsComparisonLines,
  metricsComparisonRows,
  type MetricsDistribution,
  type GaugeDistribution,
  type MeterDistribution,
} from './metricsTally.js';
export { KAFKA_FAIRNESS, KAFKA_LIVENESS_OPTIONS, faultsOver, fullyRecovered } from './fairness.js';
export {
  propertyCatalog,
  propertyInfo,
  safetyProperties,
  livenessProperties,
  reachabilityGuards,
  type PropertyInfo,
  type PropertyGroup,
  type PropertyDoc,
} from './catalog.js';

export { fuzz, type FuzzOptions, type FuzzReport, type FuzzCounterexample } from './fuzz.js';
export {
  possibleFamilies,
  type FuzzCoverage,
  type FamilyCoverage,
  type GuardCoverage,
  type LivenessCoverage,
  type DepthDistribution,
} from './coverage.js';
export {
  configArbitrary,
  safeConfigArbitrary,
  mechanismsArbitrary,
  faultsArbitrary,
  ruleNameArbitrary,
  type ConfigConstraints,
} from './arbitraries.js';
export { intentCommands, type IntentCommand, type IntentName, type IntentWeights } from './commands/index.js';

/** The first three safety properties (kept for existing callers; prefer `safetyProperties(cfg)`). */
export const SAFETY: readonly Property<ClusterState>[] = [singleLeader, noDataLoss, singleController];
/** The first three reachability guards (kept for existing callers; prefer `reachabilityGuards(cfg)`). */
export const GUARDS: readonly Property<ClusterState>[] = [failoverHappens, isrShrinks, recordAcked];
