import type { Ctx, D } from '../common.js';
import type { PartitionState } from '../../state.js';
import { brokerEpochAt } from '../../state.js';
import { metadataImage } from './metadataImage.js';

/**
 * KRaft mode keeps `s.zk` as the committed metadata image in ZooKeeper's shape (see `ClusterState.zk`),
 * so properties read partition state the same way in both modes. Called whenever the committed prefix
 * (the ghost `kraft.committed`) grows; a function of it, so it adds no distinct states.
 */
export function projectCommitted(d: D, ctx: Ctx): void {
  const k = d.kraft;
  if (!k) return;
  const img = metadataImage(ctx.cfg, k.committed);
  img.partitions.forEach((reg, p) => {
    const cur = d.zk.partitions[p] as PartitionState;
    d.zk.partitions[p] = {
      leader: reg.leader,
      leaderEpoch: reg.leaderEpoch,
      isr: reg.isr,
      version: reg.partitionEpoch,
      controllerEpoch: img.writtenIn[p] ?? 1,
      preferred: cur.preferred,
    };
  });
  img.brokers.forEach((r, b) => {
    d.zk.brokerEpochs[b] = r.epoch;
  });
  d.zk.controllerEpoch = k.committed[k.committed.length - 1]?.epoch ?? 1;
  d.zk.nextCzxid = brokerEpochAt(k.committed.length);
}
