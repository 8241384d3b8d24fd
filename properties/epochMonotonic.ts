import { always, type AlwaysProperty } from '../checker/index.js';
import type { ClusterState } from '../model/index.js';
import { entryName } from './clusterView.js';
import { defineProperty, type PropertyInfo } from './propertyInfo.js';

/** The catalog entry of `epoch-monotonic`. */
export const epochMonotonicInfo: PropertyInfo = defineProperty({
  id: 'epoch-monotonic',
  title:
    'No node holds a leader, partition, controller or broker epoch newer than ZooKeeper’s, and log epochs never decrease',
  kind: 'always',
  doc: {
    invariant:
      'Leader, partition, controller and broker epochs never go backwards: since every epoch is issued by ZooKeeper, no broker, in-flight LeaderAndIsr or controller cache holds an epoch newer than ZooKeeper’s, and the leader epochs along each log never decrease. Fails when the leader writes its ISR without the zkVersion check (pre-KIP-497): a zombie rolls ZooKeeper’s leader epoch back.',
  },
  build: () => epochMonotonic,
});

/**
 * `epoch-monotonic`: leader, partition, controller and broker epochs never go backwards on any node.
 *
 * Every epoch in the cluster is handed out by ZooKeeper, which only ever increments it: the leader
 * epoch and the partition epoch (the znode version) of `/brokers/topics/t/partitions/p/state`, the
 * controller epoch in `/controller_epoch`, the broker epoch (czxid of `/brokers/ids/<id>`, KIP-380).
 * Brokers only ever learn an epoch from ZooKeeper (directly or through a LeaderAndIsr). So as long as
 * ZooKeeper's epochs never decrease, no node can hold an epoch above ZooKeeper's; conversely a node
 * ahead of ZooKeeper means ZooKeeper's epoch went backwards (a write with an old epoch won). Stated over
 * one state:
 *
 * 1. every replica's leader epoch and partition epoch are ≤ ZooKeeper's for its partition;
 * 2. every in-flight LeaderAndIsr carries leader, partition and controller epochs ≤ ZooKeeper's;
 * 3. every broker's highest controller epoch seen, every controller context's epoch and the controller
 *    epoch stamped on each partition state are ≤ `/controller_epoch`;
 * 4. every broker epoch (in ZooKeeper and in any controller's cache) is below the next czxid;
 * 5. along each log, leader epochs never decrease with the offset (the leader-epoch cache is monotone,
 *    KIP-101), and none exceeds ZooKeeper's leader epoch.
 *
 * What one state cannot show: an epoch that goes backwards everywhere at once (ZooKeeper and every
 * node together). That needs a ghost high-water mark of each epoch ever issued (see the report on
 * `ghost.maxEpochs`); with the model's ZooKeeper it can happen only through a write of an old epoch,
 * which (1) catches once any node has learned the newer one.
 */
export const epochMonotonic: AlwaysProperty<ClusterState> = always(
  epochMonotonicInfo.id,
  epochMonotonicInfo.title,
  (s) => findRegression(s) === undefined,
  (s) => findRegression(s) ?? 'holds',
);

function findRegression(s: ClusterState): string | undefined {
  const zk = s.zk;
  for (const [p, ps] of zk.partitions.entries()) {
    if (ps.controllerEpoch > zk.controllerEpoch)
      return `p${p}'s state in ZooKeeper was written in controller epoch ${ps.controllerEpoch}, after /controller_epoch (${zk.controllerEpoch})`;
    for (const [b, br] of s.brokers.entries()) {
      const r = br.replicas[p];
      if (!r) continue;
      if (r.leaderEpoch > ps.leaderEpoch)
        return `b${b} is in leader epoch ${r.leaderEpoch} of p${p}, but ZooKeeper's leader epoch is ${ps.leaderEpoch}: ZooKeeper's epoch went backwards`;
      if (r.zkVersion > ps.version)
        return `b${b} knows partition epoch ${r.zkVersion} of p${p}, but ZooKeeper's is ${ps.version}: the partition epoch went backwards`;
      for (let i = 0; i < r.log.length; i++) {
        const e = r.log[i];
        if (!e) continue;
        if (e.epoch > ps.leaderEpoch)
          return `b${b}'s log of p${p} holds ${entryName(e)} at offset ${i}, from a leader epoch after ZooKeeper's (${ps.leaderEpoch})`;
        const prev = r.log[i - 1];
        if (prev && prev.epoch > e.epoch)
          return `b${b}'s log of p${p} goes back from leader epoch ${prev.epoch} (${entryName(prev)}, offset ${i - 1}) to ${e.epoch} (${entryName(e)}, offset ${i})`;
      }
    }
  }
  for (const m of s.inFlight) {
    const ps = zk.partitions[m.partition];
    if (!ps) continue;
    if (m.leaderEpoch > ps.leaderEpoch || m.version > ps.version || m.controllerEpoch > zk.controllerEpoch)
      return `a LeaderAndIsr from b${m.from} to b${m.to} for p${m.partition} carries leader epoch ${m.leaderEpoch}, partition epoch ${m.version}, controller epoch ${m.controllerEpoch}, ahead of ZooKeeper (${ps.leaderEpoch}, ${ps.version}, ${zk.controllerEpoch})`;
  }
  for (const [b, br] of s.brokers.entries()) {
    if (br.controllerEpochSeen > zk.controllerEpoch)
      return `b${b} has seen controller epoch ${br.controllerEpochSeen}, but /controller_epoch is ${zk.controllerEpoch}`;
    if (br.controller && br.controller.epoch > zk.controllerEpoch)
      return `b${b} acts as controller in epoch ${br.controller.epoch}, but /controller_epoch is ${zk.controllerEpoch}`;
    for (const [x, e] of (br.controller?.brokerEpochs ?? []).entries())
      if (e >= zk.nextCzxid)
        return `controller b${b} caches broker epoch ${e} for b${x}, but ZooKeeper has only issued czxids below ${zk.nextCzxid}`;
  }
  for (const [b, e] of zk.brokerEpochs.entries())
    if (e >= zk.nextCzxid)
      return `b${b} is registered with broker epoch ${e}, but ZooKeeper has only issued czxids below ${zk.nextCzxid}`;
  return undefined;
}
