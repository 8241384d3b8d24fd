import type { ConformanceCase, NotExpressible } from './ConformanceCase.js';
import { ELECTION_ALGORITHM_CASES, ELECTION_ALGORITHM_NOT_EXPRESSIBLE } from './cases/electionAlgorithms.js';
import { FETCHER_TRUNCATION_CASES, FETCHER_TRUNCATION_NOT_EXPRESSIBLE } from './cases/fetcherTruncation.js';
import { LEADER_EPOCH_CACHE_CASES, LEADER_EPOCH_CACHE_NOT_EXPRESSIBLE } from './cases/leaderEpochCache.js';
import { PARTITION_CASES, PARTITION_NOT_EXPRESSIBLE } from './cases/partition.js';
import { RAFT_CASES, RAFT_NOT_EXPRESSIBLE } from './cases/raft.js';
import { ZK_CONTROLLER_CASES, ZK_CONTROLLER_NOT_EXPRESSIBLE } from './cases/zkController.js';
import { REPLICATION_CONTROL_CASES, REPLICATION_CONTROL_NOT_EXPRESSIBLE } from './cases/replicationControl.js';
import {
  PARTITION_CHANGE_BUILDER_CASES,
  PARTITION_CHANGE_BUILDER_NOT_EXPRESSIBLE,
} from './cases/partitionChangeBuilder.js';

export type { Area, ConformanceCase, NotExpressible } from './ConformanceCase.js';
export { AREAS, conformanceCase } from './ConformanceCase.js';

/** Every conformance case, grouped by the Kafka test class it comes from. */
export const CONFORMANCE_CASES: readonly ConformanceCase[] = [
  ...ELECTION_ALGORITHM_CASES,
  ...PARTITION_CHANGE_BUILDER_CASES,
  ...REPLICATION_CONTROL_CASES,
  ...LEADER_EPOCH_CACHE_CASES,
  ...FETCHER_TRUNCATION_CASES,
  ...PARTITION_CASES,
  ...RAFT_CASES,
  ...ZK_CONTROLLER_CASES,
];

/** Kafka test scenarios in scope that the model cannot express, each with the reason. */
export const NOT_EXPRESSIBLE: readonly NotExpressible[] = [
  ...ELECTION_ALGORITHM_NOT_EXPRESSIBLE,
  ...PARTITION_CHANGE_BUILDER_NOT_EXPRESSIBLE,
  ...REPLICATION_CONTROL_NOT_EXPRESSIBLE,
  ...LEADER_EPOCH_CACHE_NOT_EXPRESSIBLE,
  ...FETCHER_TRUNCATION_NOT_EXPRESSIBLE,
  ...PARTITION_NOT_EXPRESSIBLE,
  ...RAFT_NOT_EXPRESSIBLE,
  ...ZK_CONTROLLER_NOT_EXPRESSIBLE,
];
