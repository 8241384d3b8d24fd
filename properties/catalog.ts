import type { Property } from '../checker/index.js';
import type { ClusterState, ModelConfig } from '../model/index.js';
import type { PropertyGroup, PropertyInfo } from './propertyInfo.js';
import { singleLeaderInfo } from './singleLeader.js';
import { singleControllerInfo } from './singleController.js';
import { noDataLossInfo } from './noDataLoss.js';
import { logConsistencyInfo } from './logConsistency.js';
import { epochMonotonicInfo } from './epochMonotonic.js';
import { leaderInIsrInfo } from './leaderInIsr.js';
import { minIsrRespectedInfo } from './minIsrRespected.js';
import { hwNeverPassesIsrInfo } from './hwNeverPassesIsr.js';
import { logMatchingInfo } from './logMatching.js';
import { committedMetadataDurableInfo } from './committedMetadataDurable.js';
import { majorityCommitInfo } from './majorityCommit.js';
import { leaderActiveInfo } from './leaderActive.js';
import { activeControllerCountInfo } from './activeControllerCount.js';
import { eventuallyAvailableInfo, eventuallyLeaderInfo, eventuallyOnlineInfo } from './eventuallyLeader.js';
import { eventuallyControllerInfo } from './eventuallyController.js';
import { eventuallyIsrRestoredInfo } from './eventuallyIsrRestored.js';
import { eventuallyAckedInfo } from './eventuallyAcked.js';
import { eventuallyWritableInfo } from './eventuallyWritable.js';
import {
  controllerFailoverInfo,
  failoverHappensInfo,
  isrExpandsInfo,
  isrShrinksInfo,
  recordAckedInfo,
  uncleanElectionInfo,
  zombieLeaderExistsInfo,
} from './reachability.js';

export type { PropertyDoc, PropertyGroup, PropertyInfo } from './propertyInfo.js';

/**
 * Every property of kafka-mc, in a fixed order (safety, liveness, guards). Each entry is declared in
 * its property's own file; the built property's id, title and kind match the entry's.
 */
export const propertyCatalog: readonly PropertyInfo[] = [
  singleLeaderInfo,
  singleControllerInfo,
  noDataLossInfo,
  logConsistencyInfo,
  epochMonotonicInfo,
  leaderInIsrInfo,
  minIsrRespectedInfo,
  hwNeverPassesIsrInfo,
  logMatchingInfo,
  committedMetadataDurableInfo,
  majorityCommitInfo,
  leaderActiveInfo,
  activeControllerCountInfo,
  eventuallyLeaderInfo,
  eventuallyControllerInfo,
  eventuallyIsrRestoredInfo,
  eventuallyAckedInfo,
  eventuallyAvailableInfo,
  eventuallyOnlineInfo,
  eventuallyWritableInfo,
  failoverHappensInfo,
  isrShrinksInfo,
  isrExpandsInfo,
  recordAckedInfo,
  controllerFailoverInfo,
  uncleanElectionInfo,
  zombieLeaderExistsInfo,
];

/** Looks up a catalog entry by id. */
export function propertyInfo(id: string): PropertyInfo | undefined {
  return propertyCatalog.find((p) => p.id === id);
}

function select(cfg: ModelConfig, group: PropertyGroup, all: boolean): Property<ClusterState>[] {
  return propertyCatalog.filter((p) => p.group === group && (all || p.applies(cfg))).map((p) => p.build(cfg));
}

/** Every safety (`always`) property, built for `cfg`. */
export function safetyProperties(cfg: ModelConfig): Property<ClusterState>[] {
  return select(cfg, 'safety', false);
}

/**
 * The liveness (`eventually`) properties expected to hold for `cfg` (decide them with `checkLiveness`
 * and `KAFKA_LIVENESS_OPTIONS`). `eventually-available` is included only with unclean election enabled,
 * `eventually-acked` only with acks=all, `eventually-online` and `eventually-writable` never (it fails whenever the faults can
 * leave fewer than min.insync.replicas reachable replicas; `kafka-mc audit` asks it); pass `{ all: true }`
 * for every one.
 */
export function livenessProperties(cfg: ModelConfig, opts: { readonly all?: boolean } = {}): Property<ClusterState>[] {
  return select(cfg, 'liveness', opts.all ?? false);
}

/**
 * The reachability guards (`sometimes`) whose event `cfg` makes possible (a guard the config rules out
 * would only fail as vacuous); pass `{ all: true }` for every one.
 */
export function reachabilityGuards(cfg: ModelConfig, opts: { readonly all?: boolean } = {}): Property<ClusterState>[] {
  return select(cfg, 'guard', opts.all ?? false);
}
