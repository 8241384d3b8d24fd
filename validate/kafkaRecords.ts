/**
 * The KRaft metadata records `kafka-mc validate` reads, as `kafka-dump-log.sh --cluster-metadata-decoder`
 * prints them: `{"type":"PARTITION_CHANGE_RECORD","version":2,"data":{…}}`, where `type` is Kafka's
 * `MetadataRecordType` name and `data` is the record's generated JSON form (camelCase field names; a
 * tagged field at its default may be absent). Field names, types, defaults and versions follow Kafka's
 * schemas `metadata/src/main/resources/common/metadata/*.json`.
 */

/** `PartitionChangeRecord.Leader` default: the leader does not change (`NO_LEADER_CHANGE`). */
export const NO_LEADER_CHANGE = -2;
/** `LeaderRecoveryState` (KIP-704): RECOVERED 0, RECOVERING 1 (set by an unclean election). */
export const RECOVERED = 0;
export const RECOVERING = 1;
/** `ConfigRecord.ResourceType` (`ConfigResource.Type`): TOPIC 2, BROKER 4 (name "" is the cluster default). */
export const RESOURCE_TOPIC = 2;
export const RESOURCE_BROKER = 4;
export const MIN_ISR_CONFIG = 'min.insync.replicas';
export const UNCLEAN_CONFIG = 'unclean.leader.election.enable';
export const METADATA_VERSION = 'metadata.version';
export const ELR_VERSION = 'eligible.leader.replicas.version';

export interface RegisterBroker {
  readonly type: 'REGISTER_BROKER_RECORD';
  readonly brokerId: number;
  readonly brokerEpoch: number;
  readonly fenced: boolean;
  readonly inControlledShutdown: boolean;
}
export interface UnregisterBroker {
  readonly type: 'UNREGISTER_BROKER_RECORD';
  readonly brokerId: number;
  readonly brokerEpoch: number;
}
/** `BrokerRegistrationChangeRecord`: `fenced` 1 FENCE, 0 NONE, -1 UNFENCE; `inControlledShutdown` 1 or 0. */
export interface BrokerRegistrationChange {
  readonly type: 'BROKER_REGISTRATION_CHANGE_RECORD';
  readonly brokerId: number;
  readonly brokerEpoch: number;
  readonly fenced: number;
  readonly inControlledShutdown: number;
}
/** `FenceBrokerRecord` / `UnfenceBrokerRecord` (metadata versions before 3.3). */
export interface FenceBroker {
  readonly type: 'FENCE_BROKER_RECORD' | 'UNFENCE_BROKER_RECORD';
  readonly id: number;
  readonly epoch: number;
}
export interface TopicRec {
  readonly type: 'TOPIC_RECORD';
  readonly name: string;
  readonly topicId: string;
}
export interface RemoveTopic {
  readonly type: 'REMOVE_TOPIC_RECORD';
  readonly topicId: string;
}
export interface PartitionRec {
  readonly type: 'PARTITION_RECORD';
  readonly partitionId: number;
  readonly topicId: string;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly partitionEpoch: number;
  readonly leaderRecoveryState: number;
  readonly eligibleLeaderReplicas: readonly number[] | null;
  readonly lastKnownElr: readonly number[] | null;
}
/** `PartitionChangeRecord`: null / `NO_LEADER_CHANGE` / -1 mean "unchanged" (`PartitionRegistration.merge`). */
export interface PartitionChange {
  readonly type: 'PARTITION_CHANGE_RECORD';
  readonly partitionId: number;
  readonly topicId: string;
  readonly isr: readonly number[] | null;
  readonly leader: number;
  readonly replicas: readonly number[] | null;
  readonly leaderRecoveryState: number;
  readonly eligibleLeaderReplicas: readonly number[] | null;
  readonly lastKnownElr: readonly number[] | null;
}
export interface ConfigRec {
  readonly type: 'CONFIG_RECORD';
  readonly resourceType: number;
  readonly resourceName: string;
  readonly name: string;
  readonly value: string | null;
}
export interface FeatureLevel {
  readonly type: 'FEATURE_LEVEL_RECORD';
  readonly name: string;
  readonly featureLevel: number;
}

/** A metadata record the validator interprets. */
export type KafkaRecord =
  | RegisterBroker
  | UnregisterBroker
  | BrokerRegistrationChange
  | FenceBroker
  | TopicRec
  | RemoveTopic
  | PartitionRec
  | PartitionChange
  | ConfigRec
  | FeatureLevel;

/** Record types the validator reads, with the versions Kafka's schemas define (`validVersions`). */
export const KNOWN_VERSIONS: Readonly<Record<KafkaRecord['type'], readonly [number, number]>> = {
  REGISTER_BROKER_RECORD: [0, 3],
  UNREGISTER_BROKER_RECORD: [0, 0],
  BROKER_REGISTRATION_CHANGE_RECORD: [0, 2],
  FENCE_BROKER_RECORD: [0, 0],
  UNFENCE_BROKER_RECORD: [0, 0],
  TOPIC_RECORD: [0, 0],
  REMOVE_TOPIC_RECORD: [0, 0],
  PARTITION_RECORD: [0, 2],
  PARTITION_CHANGE_RECORD: [0, 2],
  CONFIG_RECORD: [0, 0],
  FEATURE_LEVEL_RECORD: [0, 0],
};

/**
 * Record types that carry nothing the leader-election checks read (ACLs, quotas, client configs,
 * producer ids, delegation tokens, directories, no-ops…): skipped silently, not reported as unknown.
 */
export const IGNORED_TYPES: readonly string[] = [
  'ACCESS_CONTROL_ENTRY_RECORD',
  'REMOVE_ACCESS_CONTROL_ENTRY_RECORD',
  'CLIENT_QUOTA_RECORD',
  'PRODUCER_IDS_RECORD',
  'NO_OP_RECORD',
  'USER_SCRAM_CREDENTIAL_RECORD',
  'REMOVE_USER_SCRAM_CREDENTIAL_RECORD',
  'DELEGATION_TOKEN_RECORD',
  'REMOVE_DELEGATION_TOKEN_RECORD',
  'REGISTER_CONTROLLER_RECORD',
  'UNREGISTER_CONTROLLER_RECORD',
  'BEGIN_TRANSACTION_RECORD',
  'END_TRANSACTION_RECORD',
  'ABORT_TRANSACTION_RECORD',
  'ZK_MIGRATION_STATE_RECORD',
  'BROKER_REGISTRATION_CHANGE_RECORD_DIRS',
];

type Obj = { readonly [k: string]: unknown };

/** Thrown by `decodeRecord` for a record whose fields do not match its schema. */
export class RecordShapeError extends Error {}

function num(d: Obj, field: string, dflt?: number): number {
  const v = d[field];
  if (v === undefined && dflt !== undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v))
    throw new RecordShapeError(`field "${field}" must be an integer, got ${JSON.stringify(v) ?? 'nothing'}`);
  return v;
}
function str(d: Obj, field: string): string {
  const v = d[field];
  if (typeof v !== 'string')
    throw new RecordShapeError(`field "${field}" must be a string, got ${JSON.stringify(v) ?? 'nothing'}`);
  return v;
}
function bool(d: Obj, field: string, dflt: boolean): boolean {
  const v = d[field];
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean')
    throw new RecordShapeError(`field "${field}" must be true or false, got ${JSON.stringify(v)}`);
  return v;
}
/** A broker-id list; `nullable` fields may be null or absent (tagged, default null). */
function ids(d: Obj, field: string, nullable: true): readonly number[] | null;
function ids(d: Obj, field: string, nullable: false): readonly number[];
function ids(d: Obj, field: string, nullable: boolean): readonly number[] | null {
  const v = d[field];
  if ((v === undefined || v === null) && nullable) return null;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isInteger(x)))
    throw new RecordShapeError(`field "${field}" must be a list of broker ids, got ${JSON.stringify(v) ?? 'nothing'}`);
  return v as number[];
}

/** The typed record for a known `type`, or throws `RecordShapeError` naming the bad field. */
export function decodeRecord(type: KafkaRecord['type'], d: Obj): KafkaRecord {
  switch (type) {
    case 'REGISTER_BROKER_RECORD':
      return {
        type,
        brokerId: num(d, 'brokerId'),
        brokerEpoch: num(d, 'brokerEpoch'),
        fenced: bool(d, 'fenced', true),
        inControlledShutdown: bool(d, 'inControlledShutdown', false),
      };
    case 'UNREGISTER_BROKER_RECORD':
      return { type, brokerId: num(d, 'brokerId'), brokerEpoch: num(d, 'brokerEpoch') };
    case 'BROKER_REGISTRATION_CHANGE_RECORD':
      return {
        type,
        brokerId: num(d, 'brokerId'),
        brokerEpoch: num(d, 'brokerEpoch'),
        fenced: num(d, 'fenced', 0),
        inControlledShutdown: num(d, 'inControlledShutdown', 0),
      };
    case 'FENCE_BROKER_RECORD':
    case 'UNFENCE_BROKER_RECORD':
      return { type, id: num(d, 'id'), epoch: num(d, 'epoch') };
    case 'TOPIC_RECORD':
      return { type, name: str(d, 'name'), topicId: str(d, 'topicId') };
    case 'REMOVE_TOPIC_RECORD':
      return { type, topicId: str(d, 'topicId') };
    case 'PARTITION_RECORD':
      return {
        type,
        partitionId: num(d, 'partitionId'),
        topicId: str(d, 'topicId'),
        replicas: ids(d, 'replicas', false),
        isr: ids(d, 'isr', false),
        leader: num(d, 'leader'),
        leaderEpoch: num(d, 'leaderEpoch'),
        partitionEpoch: num(d, 'partitionEpoch'),
        leaderRecoveryState: num(d, 'leaderRecoveryState', RECOVERED),
        eligibleLeaderReplicas: ids(d, 'eligibleLeaderReplicas', true),
        lastKnownElr: ids(d, 'lastKnownElr', true),
      };
    case 'PARTITION_CHANGE_RECORD':
      return {
        type,
        partitionId: num(d, 'partitionId'),
        topicId: str(d, 'topicId'),
        isr: ids(d, 'isr', true),
        leader: num(d, 'leader', NO_LEADER_CHANGE),
        replicas: ids(d, 'replicas', true),
        leaderRecoveryState: num(d, 'leaderRecoveryState', -1),
        eligibleLeaderReplicas: ids(d, 'eligibleLeaderReplicas', true),
        lastKnownElr: ids(d, 'lastKnownElr', true),
      };
    case 'CONFIG_RECORD': {
      const value = d['value'];
      if (value !== null && value !== undefined && typeof value !== 'string')
        throw new RecordShapeError(`field "value" must be a string or null, got ${JSON.stringify(value)}`);
      return {
        type,
        resourceType: num(d, 'resourceType'),
        resourceName: str(d, 'resourceName'),
        name: str(d, 'name'),
        value: value ?? null,
      };
    }
    case 'FEATURE_LEVEL_RECORD':
      return { type, name: str(d, 'name'), featureLevel: num(d, 'featureLevel') };
  }
}

/** Whether `type` is one the validator interprets. */
export function isKnownType(type: string): type is KafkaRecord['type'] {
  return Object.hasOwn(KNOWN_VERSIONS, type);
}
