import type { Property } from '../checker/index.js';
import type { ClusterState } from '../model/index.js';
import { singleLeader } from './singleLeader.js';
import { noDataLoss } from './noDataLoss.js';
import { singleController } from './singleController.js';
import { failoverHappens, isrShrinks, recordAcked } from './reachability.js';

export { singleLeader, noDataLoss, singleController, failoverHappens, isrShrinks, recordAcked };

/** Safety properties checked by default. */
export const SAFETY: readonly Property<ClusterState>[] = [singleLeader, noDataLoss, singleController];
/** Reachability guards checked by default. */
export const GUARDS: readonly Property<ClusterState>[] = [failoverHappens, isrShrinks, recordAcked];
