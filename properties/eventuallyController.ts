import { eventually, type EventuallyProperty } from '../checker/index.js';
import type { ClusterState, ModelConfig } from '../model/index.js';
import { hasWorkingController, isLive } from './clusterView.js';
import { KAFKA_FAIRNESS, controllerCut, faultsOver } from './fairness.js';
import { defineProperty, type PropertyInfo } from './propertyInfo.js';

/** The catalog entry of `eventually-controller`. */
export const eventuallyControllerInfo: PropertyInfo = defineProperty({
  id: 'eventually-controller',
  title: 'Once faults stop, a controller is eventually in charge',
  kind: 'eventually',
  doc: {
    invariant:
      'Once the fault budget is spent, while some broker is live, a controller is eventually in charge: /controller names a live broker acting in the current controller epoch (or the controller-epoch bound forbids another election). Same fairness as eventually-leader.',
  },
  build: (cfg) => eventuallyController(cfg),
});

/**
 * `eventually-controller`: once faults stop, while some broker runs with a ZooKeeper session (KRaft:
 * while a majority of voters runs and the network is healed), a controller is eventually in charge.
 *
 * Leads-to under `KAFKA_FAIRNESS` (decide it with `checkLiveness` and `KAFKA_LIVENESS_OPTIONS`):
 * - trigger: `faultsOver(s)` and some broker is live;
 * - goal: `/controller` names a live broker that holds the controller context of the current
 *   controller epoch (`KafkaController.elect` succeeded and nothing deposed it), or the model's bound
 *   on controller epochs forbids another election while none is in charge (the bound cut the
 *   behaviour: not a counterexample).
 */
export function eventuallyController(cfg: ModelConfig): EventuallyProperty<ClusterState> {
  const goal = (s: ClusterState): boolean => hasWorkingController(s) || controllerCut(s, cfg);
  return eventually(eventuallyControllerInfo.id, eventuallyControllerInfo.title, goal, {
    trigger: (s) =>
      faultsOver(s) &&
      (s.kraft
        ? s.split === 0 && s.kraft.voters.filter((x) => x.alive).length * 2 > s.kraft.voters.length
        : s.brokers.some((_, b) => isLive(s, b))),
    fairness: KAFKA_FAIRNESS,
    explain: (s) =>
      goal(s)
        ? 'holds'
        : s.kraft
          ? `no running quorum leader has committed the LeaderChange record of the newest Raft epoch (voter epochs ${s.kraft.voters.map((x) => x.epoch).join(', ')})`
          : s.zk.controller < 0
            ? `no broker holds /controller (controller epoch ${s.zk.controllerEpoch})`
            : `b${s.zk.controller} holds /controller but does not act as controller of epoch ${s.zk.controllerEpoch}`,
  });
}
