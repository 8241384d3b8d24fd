import type { PartitionView } from './clusterState.js';
import type { JsonRecord } from './dumpWriter.js';
import { ELR_VERSION, METADATA_VERSION, RECOVERED, RESOURCE_TOPIC } from './kafkaRecords.js';

/**
 * Metadata records in the JSON form `kafka-dump-log.sh` prints (field names of Kafka's generated JSON
 * converters; versions from `metadata/src/main/resources/common/metadata/*.json`), for
 * `export-metadata` and the hand-built fixtures.
 */

export const record = (type: string, version: number, data: Record<string, unknown>): JsonRecord => ({
  type,
  version,
  data,
});

/** A broker's incarnation id, fixed per broker id (Kafka prints `Uuid`s as 22 base64 characters). */
export const incarnation = (b: number): string => `a2Fma2EtbWMtYnJva2VyL${String.fromCharCode(65 + (b % 26))}`;

/**
 * `RegisterBrokerRecord` v3 as `ClusterControlManager.registerBroker` writes it: the broker starts
 * fenced; a snapshot (`BrokerRegistration.toRecord`) writes the registration's current state.
 */
export function registerBrokerRecord(
  b: number,
  epoch: number,
  incarnationId: string,
  state: { readonly fenced: boolean; readonly inControlledShutdown: boolean } = {
    fenced: true,
    inControlledShutdown: false,
  },
): JsonRecord {
  return record('REGISTER_BROKER_RECORD', 3, {
    brokerId: b,
    isMigratingZkBroker: false,
    incarnationId,
    brokerEpoch: epoch,
    endPoints: [{ name: 'PLAINTEXT', host: `broker-${b}`, port: 9092, securityProtocol: 0 }],
    features: [],
    rack: null,
    fenced: state.fenced,
    inControlledShutdown: state.inControlledShutdown,
  });
}

/** `BrokerRegistrationChangeRecord` v1: `fenced` 1 / -1, or `inControlledShutdown` 1. */
export const registrationChangeRecord = (b: number, epoch: number, change: Record<string, number>): JsonRecord =>
  record('BROKER_REGISTRATION_CHANGE_RECORD', 1, { brokerId: b, brokerEpoch: epoch, ...change });

export const topicConfigRecord = (topic: string, name: string, value: string): JsonRecord =>
  record('CONFIG_RECORD', 0, { resourceType: RESOURCE_TOPIC, resourceName: topic, name, value });

/** The feature levels: metadata.version 3.9-IV0 (21) without ELR, 4.0-IV1 (23, the first with ELR) with it. */
export function featureRecords(elr: boolean): JsonRecord[] {
  const out = [record('FEATURE_LEVEL_RECORD', 0, { name: METADATA_VERSION, featureLevel: elr ? 23 : 21 })];
  if (elr) out.push(record('FEATURE_LEVEL_RECORD', 0, { name: ELR_VERSION, featureLevel: 1 }));
  return out;
}

/** A new partition (`PartitionRecord`, v2 with ELR fields, else v0): full ISR, led by its first replica. */
export function newPartitionRecord(
  elr: boolean,
  topicId: string,
  partitionId: number,
  replicas: readonly number[],
): JsonRecord {
  return partitionRecord(elr, {
    topicId,
    partitionId,
    replicas,
    isr: replicas,
    elr: [],
    lastKnownElr: [],
    leader: replicas[0] ?? -1,
    leaderEpoch: 0,
    partitionEpoch: 0,
    leaderRecoveryState: RECOVERED,
  });
}

/** A partition's whole registration as a `PartitionRecord` (`PartitionRegistration.toRecord`; v2 with ELR). */
export function partitionRecord(elr: boolean, p: Omit<PartitionView, 'name' | 'topic'>): JsonRecord {
  return record('PARTITION_RECORD', elr ? 2 : 0, {
    partitionId: p.partitionId,
    topicId: p.topicId,
    replicas: p.replicas,
    isr: p.isr,
    removingReplicas: [],
    addingReplicas: [],
    leader: p.leader,
    leaderEpoch: p.leaderEpoch,
    partitionEpoch: p.partitionEpoch,
    ...(p.leaderRecoveryState !== RECOVERED ? { leaderRecoveryState: p.leaderRecoveryState } : {}),
    ...(elr
      ? {
          directories: p.replicas.map(() => 'AAAAAAAAAAAAAAAAAAAAAQ'),
          eligibleLeaderReplicas: p.elr,
          lastKnownElr: p.lastKnownElr,
        }
      : {}),
  });
}
