import type { BrokerId, LeaderAndIsr } from './state.js';

/**
 * Everything that can happen in the cluster, one variant per step. The model lists them in a canonical
 * order (by kind, then broker, then partition), so a path of action indices names a behaviour. In
 * KRaft mode `controller` names a voter, and `choice` picks one of the election outcomes a controller
 * step allows (in canonical order; 0 when the rule allows one).
 */
export type Action =
  // control plane (ZooKeeper mode: KafkaController)
  | { readonly kind: 'elect-controller'; readonly broker: BrokerId }
  | { readonly kind: 'resign-controller'; readonly broker: BrokerId }
  | {
      readonly kind: 'observe-brokers';
      readonly controller: BrokerId;
      /**
       * Only in a projected cluster (model/projection.ts): brokers the controller does not take back yet
       * because another partition still owes work for them (bitmask).
       */
      readonly deferred?: number;
    }
  | {
      readonly kind: 'elect-leader';
      readonly controller: BrokerId;
      readonly partition: number;
      readonly leader: number;
    }
  | {
      readonly kind: 'remove-from-isr';
      readonly controller: BrokerId;
      readonly partition: number;
      readonly broker: BrokerId;
    }
  // admin and periodic elections, both modes (`controller` is a voter in KRaft mode)
  | {
      // kafka-leader-election.sh --election-type PREFERRED|UNCLEAN for one partition (KIP-460)
      readonly kind: 'leader-election';
      readonly controller: number;
      readonly partition: number;
      readonly election: AdminElection;
      readonly leader: number;
    }
  // auto.leader.rebalance.enable: the controller's periodic preferred elections
  | { readonly kind: 'auto-rebalance'; readonly controller: number }
  | { readonly kind: 'controlled-shutdown'; readonly broker: BrokerId }
  | { readonly kind: 'deliver'; readonly message: LeaderAndIsr }
  // a projected cluster's environment (model/projection.ts): a request about another partition arrives;
  // a dead controller's request died in its queue because one about another partition was on the wire
  | { readonly kind: 'other-partition-request'; readonly broker: BrokerId; readonly controllerEpoch: number }
  | { readonly kind: 'other-partition-on-wire'; readonly message: LeaderAndIsr }
  // KRaft: controller c appends a record about another partition only (an AlterPartition, or an admin
  // election of type `election`)
  | { readonly kind: 'other-partition-record'; readonly controller: number; readonly election: AdminElection | null }
  // data plane (Partition, ReplicaFetcherThread)
  | { readonly kind: 'produce'; readonly partition: number; readonly broker: BrokerId }
  | { readonly kind: 'fetch'; readonly partition: number; readonly follower: BrokerId }
  | { readonly kind: 'shrink-isr'; readonly partition: number; readonly leader: BrokerId; readonly follower: BrokerId }
  | { readonly kind: 'expand-isr'; readonly partition: number; readonly leader: BrokerId; readonly follower: BrokerId }
  // the disk (LogManager's flush scheduler, the OS page cache), with `backgroundFlush`
  | { readonly kind: 'flush'; readonly partition: number; readonly broker: BrokerId }
  // the high-watermark checkpoint file (ReplicaManager.checkpointHighWatermarks)
  | { readonly kind: 'checkpoint-hw'; readonly broker: BrokerId }
  // control plane (KRaft mode: Raft quorum, QuorumController, broker lifecycle)
  | { readonly kind: 'raft-timeout'; readonly voter: number }
  | { readonly kind: 'raft-vote'; readonly candidate: number; readonly voter: number }
  | { readonly kind: 'raft-replicate'; readonly leader: number }
  | { readonly kind: 'raft-resign'; readonly leader: number }
  | { readonly kind: 'register-broker'; readonly broker: BrokerId; readonly choice: number }
  | { readonly kind: 'fence-broker'; readonly controller: number; readonly broker: BrokerId; readonly choice: number }
  | { readonly kind: 'unfence-broker'; readonly controller: number; readonly broker: BrokerId; readonly choice: number }
  | { readonly kind: 'fetch-metadata'; readonly broker: BrokerId }
  // faults
  | { readonly kind: 'crash-voter'; readonly voter: number }
  | { readonly kind: 'restart-voter'; readonly voter: number }
  | { readonly kind: 'crash'; readonly broker: BrokerId }
  | { readonly kind: 'unclean-shutdown'; readonly broker: BrokerId }
  | { readonly kind: 'restart'; readonly broker: BrokerId }
  | { readonly kind: 'expire-session'; readonly broker: BrokerId }
  | { readonly kind: 'reconnect'; readonly broker: BrokerId }
  | { readonly kind: 'partition-network'; readonly side: number }
  | { readonly kind: 'heal' }
  | { readonly kind: 'drop'; readonly message: LeaderAndIsr };

export type ActionKind = Action['kind'];

/** The election types of `kafka-leader-election.sh --election-type` (`ElectionType`), in lower case. */
export type AdminElection = 'preferred' | 'unclean';

/** The admin election types, in the order the model lists them. */
export const ADMIN_ELECTIONS: readonly AdminElection[] = ['preferred', 'unclean'];

/** Action families, for fairness (liveness) and coverage reports. */
export type ActionFamily =
  | 'controller'
  | 'election'
  | 'isr'
  | 'delivery'
  | 'produce'
  | 'fetch'
  | 'crash'
  | 'restart'
  | 'session'
  | 'network'
  | 'loss'
  | 'admin'
  | 'disk';

const FAMILY: Readonly<Record<ActionKind, ActionFamily>> = {
  'elect-controller': 'controller',
  'resign-controller': 'controller',
  'observe-brokers': 'controller',
  'elect-leader': 'election',
  'remove-from-isr': 'election',
  'leader-election': 'admin',
  'auto-rebalance': 'election',
  'controlled-shutdown': 'admin',
  deliver: 'delivery',
  'other-partition-request': 'delivery',
  'other-partition-on-wire': 'loss',
  'other-partition-record': 'delivery',
  produce: 'produce',
  fetch: 'fetch',
  'shrink-isr': 'isr',
  'expand-isr': 'isr',
  flush: 'disk',
  'checkpoint-hw': 'disk',
  crash: 'crash',
  'unclean-shutdown': 'crash',
  restart: 'restart',
  'expire-session': 'session',
  reconnect: 'session',
  'partition-network': 'network',
  heal: 'network',
  drop: 'loss',
  'raft-timeout': 'controller',
  'raft-vote': 'controller',
  'raft-replicate': 'delivery',
  'raft-resign': 'controller',
  'register-broker': 'controller',
  'fence-broker': 'election',
  'unfence-broker': 'election',
  'fetch-metadata': 'delivery',
  'crash-voter': 'crash',
  'restart-voter': 'restart',
};

/** The family of an action. */
export function actionFamily(a: Action): ActionFamily {
  return FAMILY[a.kind];
}

/** Families that are faults: never assumed fair. */
export const FAULT_FAMILIES: readonly ActionFamily[] = ['crash', 'session', 'network', 'loss', 'admin'];

/** All families, in a fixed order. */
export const ALL_FAMILIES: readonly ActionFamily[] = [
  'controller',
  'election',
  'isr',
  'delivery',
  'produce',
  'fetch',
  'crash',
  'restart',
  'session',
  'network',
  'loss',
  'admin',
  'disk',
];
