import { always, type Property } from '../checker/index.js';
import type { ClusterState } from '../model/index.js';

/**
 * `majority-commit` (KRaft): the metadata log commits only on a side of a network split that holds a
 * majority of the voters; a quorum leader cut off from the majority (a minority side, or a deposed
 * leader) never advances its high watermark (KIP-595, `LeaderState.maybeUpdateHighWatermark`).
 */
export const majorityCommit: Property<ClusterState> = always(
  'majority-commit',
  'Metadata commits only where a majority of voters is',
  (s) => !s.kraft?.minorityCommit,
  () => 'a quorum leader cut off from the majority of voters advanced its high watermark',
);
