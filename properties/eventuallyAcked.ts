import { eventually, type EventuallyProperty } from '../checker/index.js';
import type { ClusterState, ModelConfig } from '../model/index.js';
import { KAFKA_FAIRNESS, controllerCut, fullyRecovered } from './fairness.js';
import { defineProperty, type PropertyInfo } from './propertyInfo.js';

/** The catalog entry of `eventually-acked`. */
export const eventuallyAckedInfo: PropertyInfo = defineProperty({
  id: 'eventually-acked',
  title: 'Once faults stop and every broker is back, every produce request is eventually answered',
  kind: 'eventually',
  doc: {
    invariant:
      'Once the fault budget is spent, the network is healed and every broker is back, every acks=all produce request in a leader’s purgatory is eventually answered (acknowledged or failed) instead of hanging. The model has no request timeout, so this asks whether the protocol answers without one. Applies to acks=all.',
  },
  build: (cfg) => eventuallyAcked(cfg),
  applies: (cfg) => cfg.acks === 'all',
});

/**
 * `eventually-acked`: once faults stop, the network is healed and every broker is back, every produce
 * request waiting in a leader's purgatory (acks=all, `DelayedProduce`) is eventually answered —
 * acknowledged, or failed (NOT_ENOUGH_REPLICAS_AFTER_APPEND, or NOT_LEADER when its leader is deposed or
 * stops) — rather than hanging.
 *
 * In Kafka a request never hangs forever: `request.timeout.ms` expires it. The model has no timeouts,
 * so this property asks whether the protocol itself answers every request once the cluster recovers.
 * Leads-to under `KAFKA_FAIRNESS` (decide it with `checkLiveness` and `KAFKA_LIVENESS_OPTIONS`):
 * - trigger: `fullyRecovered(s)`;
 * - goal: no request is pending — or the bounds cut the behaviour: the partition-epoch bound of a
 *   pending request's partition is reached (its ISR can no longer change), or no controller can be in
 *   charge any more (`controllerCut`).
 */
export function eventuallyAcked(cfg: ModelConfig): EventuallyProperty<ClusterState> {
  const hanging = (s: ClusterState) =>
    controllerCut(s, cfg)
      ? undefined
      : s.pending.find((q) => (s.zk.partitions[q.partition]?.version ?? 0) < cfg.bounds.partitionEpochs);
  return eventually(eventuallyAckedInfo.id, eventuallyAckedInfo.title, (s) => hanging(s) === undefined, {
    trigger: fullyRecovered,
    fairness: KAFKA_FAIRNESS,
    explain: (s) => {
      const q = hanging(s);
      return q
        ? `record r${q.id} (p${q.partition}, offset ${q.offset}) still waits for acks=all at b${q.broker} in leader epoch ${q.leaderEpoch}`
        : 'holds';
    },
  });
}
