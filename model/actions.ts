import type { BrokerId, LeaderAndIsr } from './state.js';

/**
 * Everything that can happen in the cluster, one variant per step. `enabledActions` lists them in a
 * canonical order (by kind, then broker, then partition), so a path of action indices names a
 * behaviour.
 */
export type Action =
  // control plane (ZooKeeper mode: KafkaController)
  | { readonly kind: 'elect-controller'; readonly broker: BrokerId }
  | { readonly kind: 'resign-controller'; readonly broker: BrokerId }
  | { readonly kind: 'observe-brokers'; readonly controller: BrokerId }
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
  | { readonly kind: 'preferred-election'; readonly controller: BrokerId; readonly partition: number }
  | { readonly kind: 'controlled-shutdown'; readonly broker: BrokerId }
  | { readonly kind: 'deliver'; readonly message: LeaderAndIsr }
  // data plane (Partition, ReplicaFetcherThread)
  | { readonly kind: 'produce'; readonly partition: number; readonly broker: BrokerId }
  | { readonly kind: 'fetch'; readonly partition: number; readonly follower: BrokerId }
  | { readonly kind: 'shrink-isr'; readonly partition: number; readonly leader: BrokerId; readonly follower: BrokerId }
  | { readonly kind: 'expand-isr'; readonly partition: number; readonly leader: BrokerId; readonly follower: BrokerId }
  // faults
  | { readonly kind: 'crash'; readonly broker: BrokerId }
  | { readonly kind: 'unclean-shutdown'; readonly broker: BrokerId }
  | { readonly kind: 'restart'; readonly broker: BrokerId }
  | { readonly kind: 'expire-session'; readonly broker: BrokerId }
  | { readonly kind: 'reconnect'; readonly broker: BrokerId }
  | { readonly kind: 'partition-network'; readonly side: number }
  | { readonly kind: 'heal' }
  | { readonly kind: 'drop'; readonly message: LeaderAndIsr };

export type ActionKind = Action['kind'];

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
  | 'admin';

const FAMILY: Readonly<Record<ActionKind, ActionFamily>> = {
  'elect-controller': 'controller',
  'resign-controller': 'controller',
  'observe-brokers': 'controller',
  'elect-leader': 'election',
  'remove-from-isr': 'election',
  'preferred-election': 'admin',
  'controlled-shutdown': 'admin',
  deliver: 'delivery',
  produce: 'produce',
  fetch: 'fetch',
  'shrink-isr': 'isr',
  'expand-isr': 'isr',
  crash: 'crash',
  'unclean-shutdown': 'crash',
  restart: 'restart',
  'expire-session': 'session',
  reconnect: 'session',
  'partition-network': 'network',
  heal: 'network',
  drop: 'loss',
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
];
