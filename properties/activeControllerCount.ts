import { always, type AlwaysProperty } from '../checker/index.js';
import type { ClusterState, ModelConfig } from '../model/index.js';
import { hasWorkingController } from './clusterView.js';
import { metricsOf } from './metrics.js';
import { defineProperty, type PropertyInfo } from './propertyInfo.js';

/** The catalog entry of `active-controller-count`. */
export const activeControllerCountInfo: PropertyInfo = defineProperty({
  id: 'active-controller-count',
  title: 'The cluster’s ActiveControllerCount is at most 1 whenever no controller change is in flight',
  kind: 'always',
  doc: {
    invariant:
      'Kafka’s ActiveControllerCount metric (1 on each node that believes it is the active controller: KafkaController.isActive in ZooKeeper mode, QuorumControllerMetrics.active in KRaft mode), summed over the running nodes, is at most 1 in every state where no controller change is in flight. A change is in flight until a controller is in charge: ZooKeeper mode, /controller names a running broker with a live session that holds the context of ZooKeeper’s controller epoch; KRaft mode, a running quorum leader of the newest Raft epoch that has had a leader has committed its LeaderChange record. A deposed controller that has not yet learned of its successor then counts against it. Opt-in (--property active-controller-count): on the KRaft default a quorum leader cut off by a split still reports 1 until its check-quorum timeout makes it resign, after its successor took over — a window Kafka has by design (the fetch timeout is shorter than the check-quorum timeout); with --split-zookeeper a controller cut off from ZooKeeper keeps reporting 1 after a new one is elected, until it reaches ZooKeeper again and learns that its session expired. It holds on the ZooKeeper default.',
    protectedBy: [
      'ZooKeeper: a deposed controller resigns when ZooKeeper’s /controller watch fires or, once it reaches ZooKeeper again, its session expiry does (KafkaController.processControllerChange / processExpire)',
      'KRaft: check quorum, a leader a majority stopped fetching from resigns, KAFKA-15489 (--no-check-quorum keeps it active for good)',
    ],
    seeItFail: 'kafka-mc check --mode kraft --property active-controller-count',
  },
  build: (cfg) => activeControllerCount(cfg),
  applies: () => false,
});

/**
 * `active-controller-count`: `sum(ActiveControllerCount) ≤ 1` wherever a controller is in charge
 * (`hasWorkingController`: ZooKeeper's /controller holder runs with a live session in the current
 * controller epoch; KRaft's newest quorum leader has committed its LeaderChange). Read from
 * `metricsOf`, as an operator's alert on the metric would.
 */
export function activeControllerCount(cfg: ModelConfig): AlwaysProperty<ClusterState> {
  const find = (s: ClusterState): string | undefined => {
    if (!hasWorkingController(s)) return undefined;
    const m = metricsOf(s, cfg);
    if (m.cluster.ActiveControllerCount <= 1) return undefined;
    const active = m.nodes.filter((x) => x.gauges.ActiveControllerCount === 1).map((x) => x.node);
    return `ActiveControllerCount is 1 on ${active.join(' and ')} (sum ${m.cluster.ActiveControllerCount}) while a controller is in charge`;
  };
  return always(
    activeControllerCountInfo.id,
    activeControllerCountInfo.title,
    (s) => find(s) === undefined,
    (s) => find(s) ?? 'holds',
  );
}
