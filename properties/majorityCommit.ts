import { always, type Property } from '../checker/index.js';
import type { ClusterState } from '../model/index.js';
import { defineProperty, type PropertyInfo } from './propertyInfo.js';

/** The catalog entry of `majority-commit`. */
export const majorityCommitInfo: PropertyInfo = defineProperty({
  id: 'majority-commit',
  title: 'Metadata commits only where a majority of voters is',
  kind: 'always',
  doc: {
    invariant:
      'KRaft mode: the metadata log commits only on a side of a network split that holds a majority of the voters; a quorum leader cut off from the majority (on a minority side, or deposed) may append records but never advances its high watermark (LeaderState.maybeUpdateHighWatermark counts only voters that fetched). Holds trivially in ZooKeeper mode.',
  },
  build: () => majorityCommit,
  applies: (c) => c.mode === 'kraft',
});

/**
 * `majority-commit` (KRaft): the metadata log commits only on a side of a network split that holds a
 * majority of the voters; a quorum leader cut off from the majority (a minority side, or a deposed
 * leader) never advances its high watermark (KIP-595, `LeaderState.maybeUpdateHighWatermark`).
 */
export const majorityCommit: Property<ClusterState> = always(
  majorityCommitInfo.id,
  majorityCommitInfo.title,
  (s) => !s.kraft?.minorityCommit,
  () => 'a quorum leader cut off from the majority of voters advanced its high watermark',
);
