import { eventually, type EventuallyProperty } from '../checker/index.js';
import type { ClusterState, ModelConfig } from '../model/index.js';
import { popcount } from '../model/index.js';
import { replicaBrokers, workingLeader } from './clusterView.js';
import { KAFKA_FAIRNESS, controllerCut, fullyRecovered } from './fairness.js';
import { electionPossible } from './eventuallyLeader.js';
import { defineProperty, type PropertyInfo } from './propertyInfo.js';

/** The catalog entry of `eventually-isr-restored`. */
export const eventuallyIsrRestoredInfo: PropertyInfo = defineProperty({
  id: 'eventually-isr-restored',
  title: 'Once faults stop and every broker is back, every replica eventually rejoins the ISR',
  kind: 'eventually',
  doc: {
    invariant:
      'Once the fault budget is spent, the network is healed and every broker runs with a session, every replica eventually rejoins its partition’s ISR in ZooKeeper (or the partition-epoch bound forbids the AlterPartition). Same fairness as eventually-leader.',
  },
  build: (cfg) => eventuallyIsrRestored(cfg),
});

/**
 * `eventually-isr-restored`: once faults stop, the network is healed and every broker is back, every
 * replica eventually rejoins its partition's ISR.
 *
 * Followers fetch, catch up to the high watermark and the start of the leader's epoch (KAFKA-7128) and
 * the leader adds them back with AlterPartition (`Partition.maybeExpandIsr`). Leads-to under
 * `KAFKA_FAIRNESS` (decide it with `checkLiveness` and `KAFKA_LIVENESS_OPTIONS`):
 * - trigger: `fullyRecovered(s)`: faults over, network healed, every broker running and registered;
 * - goal: every partition's ISR in ZooKeeper holds all its replicas — or the bounds cut the behaviour:
 *   the partition-epoch bound forbids the AlterPartition it needs, no controller can be in charge any
 *   more (`controllerCut`), or it has no working leader and the election it needs is cut by a bound.
 */
export function eventuallyIsrRestored(cfg: ModelConfig): EventuallyProperty<ClusterState> {
  const lagging = (s: ClusterState): number => {
    for (const [p, ps] of s.zk.partitions.entries()) {
      if (popcount(ps.isr) === replicaBrokers(s, p).length) continue;
      if (ps.version >= cfg.bounds.partitionEpochs || controllerCut(s, cfg)) continue;
      if (workingLeader(s, p) < 0 && !electionPossible(s, cfg, p)) continue;
      return p;
    }
    return -1;
  };
  return eventually(eventuallyIsrRestoredInfo.id, eventuallyIsrRestoredInfo.title, (s) => lagging(s) < 0, {
    trigger: fullyRecovered,
    fairness: KAFKA_FAIRNESS,
    explain: (s) => {
      const p = lagging(s);
      if (p < 0) return 'holds';
      const out = replicaBrokers(s, p).filter((b) => ((s.zk.partitions[p]?.isr ?? 0) & (1 << b)) === 0);
      return `p${p}: [${out.map((b) => `b${b}`).join(', ')}] not back in the ISR`;
    },
  });
}
