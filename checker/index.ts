export type { Model, ModelSpec, Reduction } from './Model.js';
export { explore, Explorer, type EngineName } from './builder.js';
export type { SearchBounds } from './options.js';
export { EncodeSink, fingerprintInto, fingerprintOf, collisionProbability, type Fingerprint } from './fingerprint.js';
export {
  always,
  sometimes,
  eventually,
  type Property,
  type AlwaysProperty,
  type SometimesProperty,
  type EventuallyProperty,
  type Fairness,
} from './Property.js';
export { check, type CheckOptions } from './search.js';
export { checkLiveness, type LivenessOptions } from './liveness.js';
export { simulate, type SimulateOptions } from './simulate.js';
export { formatPath, parsePath, replayPath, type Path, type Behaviour, type ReplayResult } from './Path.js';
export { planReduction, ReductionTally, type ReductionPlan, type ReductionStats } from './reduction.js';
export {
  verdict,
  type CheckResult,
  type Stats,
  type BoundCut,
  type PropertyOutcome,
  type PropertyStatus,
  type IncompleteReason,
} from './result.js';
export type { Progress, ProgressListener } from './reporter.js';
export { Rng, freshSeed } from './rng.js';
export { FingerprintSet, TraceStore, NO_PARENT } from './visited.js';
export {
  BitStateSet,
  bitstateEstimate,
  bitstateProblem,
  formatBytes,
  BITSTATE_DEFAULT_HASHES,
  BITSTATE_MAX_BITS,
  BITSTATE_MAX_HASHES,
  BITSTATE_MIN_BITS,
  type BitstateOptions,
  type BitstateStats,
} from './bitstate.js';
export { Queue, Stack, type Frontier } from './frontier.js';
export {
  checkParallel,
  resumeParallel,
  readCheckpoint,
  CheckpointError,
  type ParallelOptions,
  type ResumeOptions,
  type CheckpointInfo,
  type CheckpointLabel,
  type CheckpointSearchOptions,
  type ModelBundle,
} from './parallel.js';
export {
  swarmShard,
  shardParams,
  shardActionOrder,
  type SwarmOptions,
  type SwarmShard,
  type ShardParams,
} from './swarm.js';
export { lockCheckpointDir, releaseAllCheckpointLocks } from './checkpointStore.js';
export { mergeResults, parseCheckResult } from './merge.js';
export { DiskQueue, type DiskQueueOptions } from './diskQueue.js';
