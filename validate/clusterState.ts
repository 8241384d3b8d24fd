import type { KafkaRecord, PartitionChange } from './kafkaRecords.js';
import {
  ELR_VERSION,
  METADATA_VERSION,
  MIN_ISR_CONFIG,
  NO_LEADER_CHANGE,
  RECOVERED,
  RESOURCE_BROKER,
  RESOURCE_TOPIC,
  UNCLEAN_CONFIG,
} from './kafkaRecords.js';

/**
 * The cluster a metadata log describes, rebuilt record by record as Kafka's `MetadataDelta` replays it:
 * broker registrations (`ClusterControlManager.replay`), topics and partitions
 * (`ReplicationControlManager.replay`, `PartitionRegistration.merge`), configs and feature levels.
 * Broker ids are Kafka's own.
 */

export interface BrokerView {
  readonly id: number;
  readonly epoch: number;
  readonly fenced: boolean;
  readonly inControlledShutdown: boolean;
}

export interface PartitionView {
  readonly topicId: string;
  /** `<topic>-<partition>`, Kafka's way of naming a partition. */
  readonly name: string;
  readonly topic: string;
  readonly partitionId: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  readonly elr: readonly number[];
  readonly lastKnownElr: readonly number[];
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly partitionEpoch: number;
  readonly leaderRecoveryState: number;
}

export interface ClusterView {
  readonly brokers: Map<number, BrokerView>;
  /** Topic id → name. */
  readonly topics: Map<string, string>;
  /** `topicId:partitionId` → partition. */
  readonly partitions: Map<string, PartitionView>;
  /** `resourceType:resourceName` → config name → value. */
  readonly configs: Map<string, Map<string, string>>;
  readonly features: Map<string, number>;
}

export function emptyCluster(): ClusterView {
  return { brokers: new Map(), topics: new Map(), partitions: new Map(), configs: new Map(), features: new Map() };
}

export function copyCluster(c: ClusterView): ClusterView {
  return {
    brokers: new Map(c.brokers),
    topics: new Map(c.topics),
    partitions: new Map(c.partitions),
    configs: new Map([...c.configs].map(([k, v]) => [k, new Map(v)])),
    features: new Map(c.features),
  };
}

export const partitionKey = (topicId: string, partitionId: number): string => `${topicId}:${partitionId}`;

/** A record the rebuild could not apply (it names something the log never created). */
export class ReplayProblem extends Error {}

/** `PartitionRegistration.merge`: absent fields keep their value; a leader field bumps the leader epoch. */
export function mergeChange(p: PartitionView, r: PartitionChange): PartitionView {
  const leaderSet = r.leader !== NO_LEADER_CHANGE;
  return {
    ...p,
    replicas: r.replicas ?? p.replicas,
    isr: r.isr ?? p.isr,
    elr: r.eligibleLeaderReplicas ?? p.elr,
    lastKnownElr: r.lastKnownElr ?? p.lastKnownElr,
    leader: leaderSet ? r.leader : p.leader,
    leaderEpoch: leaderSet ? p.leaderEpoch + 1 : p.leaderEpoch,
    partitionEpoch: p.partitionEpoch + 1,
    leaderRecoveryState: r.leaderRecoveryState === -1 ? p.leaderRecoveryState : r.leaderRecoveryState,
  };
}

/** Applies one record to `c` in place; returns the key of the partition it changed, if any. */
export function applyRecord(c: ClusterView, r: KafkaRecord): string | undefined {
  switch (r.type) {
    case 'REGISTER_BROKER_RECORD':
      c.brokers.set(r.brokerId, {
        id: r.brokerId,
        epoch: r.brokerEpoch,
        fenced: r.fenced,
        inControlledShutdown: r.inControlledShutdown,
      });
      return undefined;
    case 'UNREGISTER_BROKER_RECORD':
      c.brokers.delete(r.brokerId);
      return undefined;
    case 'BROKER_REGISTRATION_CHANGE_RECORD': {
      const b = brokerOf(c, r.brokerId, r.brokerEpoch);
      c.brokers.set(r.brokerId, {
        ...b,
        fenced: r.fenced === 1 ? true : r.fenced === -1 ? false : b.fenced,
        inControlledShutdown: r.inControlledShutdown === 1 ? true : b.inControlledShutdown,
      });
      return undefined;
    }
    case 'FENCE_BROKER_RECORD':
    case 'UNFENCE_BROKER_RECORD':
      c.brokers.set(r.id, { ...brokerOf(c, r.id, r.epoch), fenced: r.type === 'FENCE_BROKER_RECORD' });
      return undefined;
    case 'TOPIC_RECORD':
      c.topics.set(r.topicId, r.name);
      return undefined;
    case 'REMOVE_TOPIC_RECORD':
      c.topics.delete(r.topicId);
      for (const k of [...c.partitions.keys()]) if (k.startsWith(`${r.topicId}:`)) c.partitions.delete(k);
      return undefined;
    case 'PARTITION_RECORD':
      return applyPartition(c, r);
    case 'PARTITION_CHANGE_RECORD': {
      const key = partitionKey(r.topicId, r.partitionId);
      const p = c.partitions.get(key);
      if (!p)
        throw new ReplayProblem(
          `PartitionChangeRecord for partition ${r.partitionId} of topic id ${r.topicId}, which no PartitionRecord created`,
        );
      c.partitions.set(key, mergeChange(p, r));
      return key;
    }
    case 'CONFIG_RECORD': {
      const key = `${r.resourceType}:${r.resourceName}`;
      const m = c.configs.get(key) ?? new Map<string, string>();
      if (r.value === null) m.delete(r.name);
      else m.set(r.name, r.value);
      c.configs.set(key, m);
      return undefined;
    }
    case 'FEATURE_LEVEL_RECORD':
      c.features.set(r.name, r.featureLevel);
      return undefined;
  }
}

function brokerOf(c: ClusterView, id: number, epoch: number): BrokerView {
  const b = c.brokers.get(id);
  if (!b) throw new ReplayProblem(`a registration change for broker ${id}, which no RegisterBrokerRecord registered`);
  if (b.epoch !== epoch)
    throw new ReplayProblem(
      `a registration change for broker ${id} epoch ${epoch}, but its registration has epoch ${b.epoch}`,
    );
  return b;
}

function applyPartition(c: ClusterView, r: Extract<KafkaRecord, { type: 'PARTITION_RECORD' }>): string {
  const topic = c.topics.get(r.topicId);
  if (topic === undefined)
    throw new ReplayProblem(`PartitionRecord for topic id ${r.topicId}, which no TopicRecord created`);
  const key = partitionKey(r.topicId, r.partitionId);
  c.partitions.set(key, {
    topicId: r.topicId,
    name: `${topic}-${r.partitionId}`,
    topic,
    partitionId: r.partitionId,
    replicas: r.replicas,
    isr: r.isr,
    elr: r.eligibleLeaderReplicas ?? [],
    lastKnownElr: r.lastKnownElr ?? [],
    leader: r.leader,
    leaderEpoch: r.leaderEpoch,
    partitionEpoch: r.partitionEpoch,
    leaderRecoveryState: r.leaderRecoveryState,
  });
  return key;
}

/** `ClusterControlManager.isActive`-like: registered, unfenced, not in controlled shutdown. */
export function isActive(c: ClusterView, id: number): boolean {
  const b = c.brokers.get(id);
  return !!b && !b.fenced && !b.inControlledShutdown;
}

/** A topic config: the topic's override, else the cluster default (broker resource ""), else `dflt`. */
export function topicConfig(c: ClusterView, topic: string, name: string, dflt: string): string {
  return (
    c.configs.get(`${RESOURCE_TOPIC}:${topic}`)?.get(name) ?? c.configs.get(`${RESOURCE_BROKER}:`)?.get(name) ?? dflt
  );
}

/** The topic's effective min ISR (`getTopicEffectiveMinIsr`: min(min.insync.replicas, replication factor)). */
export function effectiveMinIsr(c: ClusterView, p: PartitionView): number {
  const v = Number.parseInt(topicConfig(c, p.topic, MIN_ISR_CONFIG, '1'), 10);
  return Math.min(Number.isNaN(v) ? 1 : v, p.replicas.length);
}

export function uncleanEnabled(c: ClusterView, topic: string): boolean {
  return topicConfig(c, topic, UNCLEAN_CONFIG, 'false').toLowerCase() === 'true';
}

/** `isElrEnabled`: `eligible.leader.replicas.version` ≥ 1 (which needs metadata.version 4.0-IV1, level 23). */
export function elrEnabled(c: ClusterView): boolean {
  return (c.features.get(ELR_VERSION) ?? 0) >= 1;
}

/** `MetadataVersion.isLeaderRecoverySupported` (3.2-IV0, level 3); a log without metadata.version counts as new. */
export function leaderRecoverySupported(c: ClusterView): boolean {
  return (c.features.get(METADATA_VERSION) ?? 3) >= 3;
}

export const isRecovered = (p: PartitionView): boolean => p.leaderRecoveryState === RECOVERED;

/** A broker list in Kafka's words: `[1, 2]`. */
export const list = (xs: readonly number[]): string => `[${xs.join(', ')}]`;
