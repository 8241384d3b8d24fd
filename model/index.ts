export * from './config.js';
export * from './state.js';
export * from './actions.js';
export { kafkaModel, type KafkaModel, type KafkaModelOptions } from './kafkaModel.js';
export {
  describeConfig,
  formatAction,
  formatRecord,
  formatSet,
  formatState,
  recordName,
  type SetStyle,
} from './format.js';
export { encodeState } from './encode.js';
export { decodeState } from './decode.js';
export { RuleError, removalApplies } from './transitions/controller.js';
export { divergingTruncation } from './transitions/replication.js';
export { isActiveController, quorumLeaderFor } from './transitions/kraft/raftQuorum.js';
export {
  metadataImage,
  sameRecord,
  type BrokerRegistration,
  type MetadataImage,
} from './transitions/kraft/metadataImage.js';
export {
  partitionChangeOutcomes,
  type ChangeOutcome,
  type ChangeRequest,
  type PartitionPolicy,
} from './transitions/kraft/partitionChange.js';
export { electionViewOf, leadersAllowedBy, ruleDecides, type ControllerFacts } from './transitions/electionView.js';
export * from './election/index.js';
export { PRESETS, presetNamed, presetNames, type Preset } from './presets.js';
export { CATALOG, catalogEntry, type CatalogEntry } from './catalog/catalog.js';
export {
  NETWORK,
  NETWORK_BUDGET,
  NETWORK_USE,
  kafkaReduction,
  networkDependence,
  type NetworkUse,
} from './reduction.js';
