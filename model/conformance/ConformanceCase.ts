/**
 * A conformance case: one scenario of one of Apache Kafka's own unit tests, given to the model's pure
 * functions (or a short path through `kafkaModel`), with the outcome Kafka's test asserts. Only facts
 * carry over from Kafka (inputs and expected outcomes); the scenario is restated in the model's terms.
 */

/** Which part of Kafka (and of the model) a case exercises. */
export type Area =
  | 'election' // PartitionLeaderElectionAlgorithms (ZooKeeper controller) and the model's election rules
  | 'partition-change' // PartitionChangeBuilder (KRaft), `buildPartitionChange`
  | 'replication-control' // ReplicationControlManager / QuorumController: fencing, ELR, AlterPartition
  | 'epoch-cache' // LeaderEpochFileCache, UnifiedLog: `epochCache`, `endOffsetFor`
  | 'truncation' // AbstractFetcherThread: truncation by OffsetsForLeaderEpoch / diverging epoch
  | 'partition' // Partition: high watermark, ISR expansion and shrink, min ISR
  | 'raft' // QuorumState, EpochState implementations, LeaderState, KafkaRaftClient
  | 'zk-controller'; // KafkaController, PartitionStateMachine, ControllerIntegrationTest

export const AREAS: readonly Area[] = [
  'election',
  'partition-change',
  'replication-control',
  'epoch-cache',
  'truncation',
  'partition',
  'raft',
  'zk-controller',
];

/**
 * One case. `run` computes the model's outcome; `expected` is Kafka's. When the model is known to
 * disagree, `disagrees` records what the model does instead and why: the suite then asserts the
 * model's current outcome (so a fix shows up as a failing case to un-mark) and reports it loudly.
 */
export interface ConformanceCase<T = unknown> {
  /** Unique kebab-case id. */
  readonly id: string;
  /** `Class.method` of the Kafka test the scenario and its expected outcome come from. */
  readonly kafkaTest: string;
  readonly area: Area;
  /** The scenario in the model's terms, and what Kafka asserts. */
  readonly description: string;
  /** The model's outcome. Pure and deterministic. */
  readonly run: () => T;
  /** Kafka's outcome. */
  readonly expected: T;
  /** The model's (different) outcome today and why it differs; absent when the model agrees. */
  readonly disagrees?: { readonly model: T; readonly why: string };
}

/** A Kafka test scenario in scope that the model cannot express, with the reason. */
export interface NotExpressible {
  readonly kafkaTest: string;
  readonly area: Area;
  readonly reason: string;
}

/** Checks a case's outcome type against its expectation at compile time. */
export function conformanceCase<T>(c: ConformanceCase<T>): ConformanceCase<T> {
  return c;
}
