import type { Action, ClusterState, ModelConfig, PartitionState } from '../model/index.js';
import { NO_LEADER, ROLE_LEADER, has, isActiveController, metadataImage, popcount } from '../model/index.js';

/**
 * Kafka's own health metrics, computed from a model state the way Kafka computes them, so a trace, a
 * fuzz campaign or a property can say what an operator's dashboard would have shown. Derived only: no
 * metric is stored in the state, so state counts do not change. Pure and deterministic (arrays in index
 * order, no clocks).
 *
 * Who reports what (Kafka as in the checked-out source, 3.9/4.0):
 * - `ActiveControllerCount` (`kafka.controller:type=KafkaController`): ZooKeeper mode, every running
 *   broker, 1 while `KafkaController.isActive` (it believes it holds /controller, until it processes
 *   the ControllerChange or session expiry that deposes it); KRaft mode, every running controller voter,
 *   1 while `QuorumControllerMetrics.active` (set by `OffsetControlManager.activate` when
 *   `QuorumController` claims leadership once its LeaderChange record commits, cleared when it renounces:
 *   it resigns or restarts). A deposed leader that has not learned of its successor still reports 1, so
 *   the cluster sum can exceed 1 (a split brain).
 * - `OfflinePartitionsCount`: ZooKeeper mode, `KafkaController.updateMetrics` — the active controller's
 *   count of partitions in `OfflinePartition` state (`ControllerContext.offlinePartitionCount`): no
 *   leader, or a leader it does not consider live; 0 on a broker that is not the active controller.
 *   KRaft mode, `ControllerMetadataMetrics` published by `ControllerMetadataMetricsPublisher` on every
 *   controller from the metadata it has committed (`PartitionRegistration.hasLeader`), each from its
 *   own view.
 * - `UnderReplicatedPartitions`, `UnderMinIsrPartitionCount`, `AtMinIsrPartitionCount`
 *   (`kafka.server:type=ReplicaManager`): every running broker, over the partitions it leads in its own
 *   view (`ReplicaManager.leaderPartitionsIterator`), from its own committed ISR
 *   (`Partition.isUnderReplicated`: ISR smaller than the replica set; `isUnderMinIsr` /
 *   `isAtMinIsr`: ISR below / equal to min(min.insync.replicas, replication factor)). A zombie leader
 *   still reports, so a partition can be counted by two brokers.
 * - `LeaderElectionRateAndTimeMs` (`ControllerStats`): in ZooKeeper mode the timer of the controller's
 *   `ControllerState.BrokerChange` event (the name predates `ControllerState`): one per broker-change
 *   event a controller processes (`observe-brokers`; the elections it owes are the same Kafka event, so
 *   the model's `elect-leader` steps do not count again). Elections after a controller failover are a
 *   ControllerChange event and do not count. Kafka's KRaft controller has no such metric (null).
 * - `UncleanLeaderElectionsPerSec` (`ControllerStats`): ZooKeeper mode, marked by
 *   `PartitionStateMachine` when an offline election picks a leader outside the ISR; KRaft mode, by
 *   `ControllerMetricsChanges.handlePartitionChange` for every committed partition change whose leader
 *   was not in the previous ISR (`PartitionRegistration.electionWasClean`) — which, in this Kafka
 *   version, counts an election from the ELR (KIP-966, ISR empty) as unclean too.
 *
 * Cluster values: `ActiveControllerCount` and the three ReplicaManager gauges are summed over the
 * nodes (as a dashboard sums them); `OfflinePartitionsCount` is the largest value any controller
 * reports (in KRaft every controller reports its own view, so a sum would count a partition per voter).
 */

/** The gauges, in the order they are printed. */
export const GAUGES = [
  'ActiveControllerCount',
  'OfflinePartitionsCount',
  'UnderReplicatedPartitions',
  'UnderMinIsrPartitionCount',
  'AtMinIsrPartitionCount',
] as const;
export type GaugeName = (typeof GAUGES)[number];

/** The rates, counted as steps along a path (a model has no clock). */
export const METERS = ['LeaderElectionRateAndTimeMs', 'UncleanLeaderElectionsPerSec'] as const;
export type MeterName = (typeof METERS)[number];

/** The Kafka class that computes each metric (what `explain` and the README cite). */
export const METRIC_SOURCES: Readonly<Record<GaugeName | MeterName, string>> = {
  ActiveControllerCount: 'KafkaController.isActive (ZooKeeper) / QuorumControllerMetrics.active (KRaft)',
  OfflinePartitionsCount:
    'KafkaController.updateMetrics, ControllerContext.offlinePartitionCount (ZooKeeper) / ControllerMetadataMetrics (KRaft)',
  UnderReplicatedPartitions: 'ReplicaManager, Partition.isUnderReplicated',
  UnderMinIsrPartitionCount: 'ReplicaManager, Partition.isUnderMinIsr',
  AtMinIsrPartitionCount: 'ReplicaManager, Partition.isAtMinIsr',
  LeaderElectionRateAndTimeMs: 'ControllerStats, timer of ControllerState.BrokerChange (ZooKeeper mode only)',
  UncleanLeaderElectionsPerSec:
    'ControllerStats, marked by PartitionStateMachine (ZooKeeper) / ControllerMetricsChanges (KRaft)',
};

/** What one node reports: a broker `b0`, or a KRaft controller voter `c0`. */
export interface NodeMetrics {
  /** `b{id}` or `c{id}`. */
  readonly node: string;
  /** Whether its process runs; a stopped node reports nothing (`gauges` is empty). */
  readonly running: boolean;
  /** The gauges this node reports (a KRaft broker reports no controller gauge, a voter no ReplicaManager one). */
  readonly gauges: Readonly<Partial<Record<GaugeName, number>>>;
}

/** The metrics of one state: every node's, and the cluster's (see the module comment for the aggregation). */
export interface ClusterMetrics {
  /** Brokers in id order, then (KRaft) voters in id order. */
  readonly nodes: readonly NodeMetrics[];
  readonly cluster: Readonly<Record<GaugeName, number>>;
}

/** `min(min.insync.replicas, replication factor)` of partition p (`Partition.effectiveMinIsr`). */
const effectiveMinIsr = (cfg: ModelConfig, p: number): number =>
  Math.min(cfg.minInsyncReplicas, cfg.assignment[p]?.length ?? 0);

/** The ReplicaManager gauges of broker b, from the partitions it believes it leads. */
function replicaManagerGauges(s: ClusterState, cfg: ModelConfig, b: number): Record<GaugeName, number> {
  let under = 0;
  let underMin = 0;
  let atMin = 0;
  s.brokers[b]?.replicas.forEach((r, p) => {
    if (!r || r.role !== ROLE_LEADER) return;
    const isr = popcount(r.isr);
    if (isr < (cfg.assignment[p]?.length ?? 0)) under++;
    if (isr < effectiveMinIsr(cfg, p)) underMin++;
    if (isr === effectiveMinIsr(cfg, p)) atMin++;
  });
  return {
    ActiveControllerCount: 0,
    OfflinePartitionsCount: 0,
    UnderReplicatedPartitions: under,
    UnderMinIsrPartitionCount: underMin,
    AtMinIsrPartitionCount: atMin,
  };
}

/** ZooKeeper mode: broker b's gauges (the controller ones 0 unless it believes it is the controller). */
function zkBrokerGauges(s: ClusterState, cfg: ModelConfig, b: number): Record<GaugeName, number> {
  const g = replicaManagerGauges(s, cfg, b);
  const cc = s.brokers[b]?.controller;
  if (!cc) return g;
  const offline = s.zk.partitions.filter((ps) => ps.leader === NO_LEADER || !has(cc.live, ps.leader)).length;
  return { ...g, ActiveControllerCount: 1, OfflinePartitionsCount: offline };
}

/** KRaft mode: voter v's gauges, from the metadata it has committed. */
function voterGauges(s: ClusterState, cfg: ModelConfig, v: number): Partial<Record<GaugeName, number>> {
  const x = s.kraft?.voters[v];
  if (!x) return {};
  const image = metadataImage(cfg, x.log, x.hw);
  return {
    ActiveControllerCount: isActiveController(s, { cfg }, v) ? 1 : 0,
    OfflinePartitionsCount: image.partitions.filter((r) => r.leader === NO_LEADER).length,
  };
}

/** Kafka's gauges in state `s`, per node and for the cluster. */
export function metricsOf(s: ClusterState, cfg: ModelConfig): ClusterMetrics {
  const nodes: NodeMetrics[] = s.brokers.map((br, b) => {
    if (!br.alive) return { node: `b${b}`, running: false, gauges: {} };
    if (!s.kraft) return { node: `b${b}`, running: true, gauges: zkBrokerGauges(s, cfg, b) };
    const { UnderReplicatedPartitions, UnderMinIsrPartitionCount, AtMinIsrPartitionCount } = replicaManagerGauges(
      s,
      cfg,
      b,
    );
    return {
      node: `b${b}`,
      running: true,
      gauges: { UnderReplicatedPartitions, UnderMinIsrPartitionCount, AtMinIsrPartitionCount },
    };
  });
  s.kraft?.voters.forEach((x, v) =>
    nodes.push({ node: `c${v}`, running: x.alive, gauges: x.alive ? voterGauges(s, cfg, v) : {} }),
  );
  const sum = (g: GaugeName): number => nodes.reduce((n, x) => n + (x.gauges[g] ?? 0), 0);
  return {
    nodes,
    cluster: {
      ActiveControllerCount: sum('ActiveControllerCount'),
      OfflinePartitionsCount: Math.max(0, ...nodes.map((x) => x.gauges.OfflinePartitionsCount ?? 0)),
      UnderReplicatedPartitions: sum('UnderReplicatedPartitions'),
      UnderMinIsrPartitionCount: sum('UnderMinIsrPartitionCount'),
      AtMinIsrPartitionCount: sum('AtMinIsrPartitionCount'),
    },
  };
}

/** What one step adds to the two rates: elections in Kafka's sense, and which node marks them. */
export interface StepMeters {
  /** ZooKeeper mode: 1 for a broker-change event a controller processed; null in KRaft mode (no such metric). */
  readonly LeaderElectionRateAndTimeMs: number | null;
  /** Partitions whose new leader was outside the previous ISR (in KRaft mode: once committed). */
  readonly UncleanLeaderElectionsPerSec: number;
  /** The node whose meters moved (ZooKeeper mode: the controller); null when every controller marks it (KRaft). */
  readonly by: string | null;
}

/** Whether a partition change put a leader outside the previous ISR (`PartitionRegistration.electionWasClean`). */
const isUncleanChange = (prev: PartitionState, next: PartitionState): boolean =>
  next.leader !== NO_LEADER &&
  (next.leader !== prev.leader || next.leaderEpoch !== prev.leaderEpoch || next.version !== prev.version) &&
  !has(prev.isr, next.leader);

/**
 * The step `before --a--> after` in terms of Kafka's rates. Unclean elections are read from the
 * partition state (ZooKeeper's, or KRaft's committed image): a change whose leader was not in the
 * previous ISR, as `ControllerMetricsChanges` tests it.
 */
export function stepMeters(before: ClusterState, a: Action, after: ClusterState): StepMeters {
  let unclean = 0;
  after.zk.partitions.forEach((next, p) => {
    const prev = before.zk.partitions[p];
    if (prev && isUncleanChange(prev, next)) unclean++;
  });
  if (after.kraft) return { LeaderElectionRateAndTimeMs: null, UncleanLeaderElectionsPerSec: unclean, by: null };
  const brokerChange = a.kind === 'observe-brokers' ? 1 : 0;
  const by = 'controller' in a ? `b${a.controller}` : null;
  return { LeaderElectionRateAndTimeMs: brokerChange, UncleanLeaderElectionsPerSec: unclean, by };
}

/** One gauge that moved on one node (`undefined`: not reported, the node is down). */
export interface GaugeChange {
  readonly metric: GaugeName;
  readonly node: string;
  readonly from: number | undefined;
  readonly to: number | undefined;
}

/** The gauges that moved between two states' metrics, node by node, in node then gauge order. */
export function gaugeChanges(before: ClusterMetrics, after: ClusterMetrics): GaugeChange[] {
  const out: GaugeChange[] = [];
  after.nodes.forEach((x, i) => {
    const y = before.nodes[i];
    for (const g of GAUGES) {
      const from = y?.gauges[g];
      const to = x.gauges[g];
      if (from !== to) out.push({ metric: g, node: x.node, from, to });
    }
  });
  return out;
}

/**
 * The metrics an operator would have seen move in one step, as lines: `UnderMinIsrPartitionCount 0→1
 * on b2`, `UncleanLeaderElectionsPerSec +1 on b0`. A node whose process stops says so once (`b0 stops
 * reporting (down)`); one that starts again too, with its non-zero gauges (`b2 reports again (every gauge 0)`).
 */
export function describeMetricMoves(changes: readonly GaugeChange[], meters: StepMeters): string[] {
  const out: string[] = [];
  const stopped = new Set<string>();
  const started = new Map<string, string[]>();
  for (const c of changes) {
    if (c.to === undefined) {
      if (!stopped.has(c.node)) out.push(`${c.node} stops reporting (down)`);
      stopped.add(c.node);
    } else if (c.from === undefined) {
      const nonZero = started.get(c.node) ?? [];
      if (!started.has(c.node)) started.set(c.node, nonZero);
      if (c.to !== 0) nonZero.push(`${c.metric} ${c.to}`);
    } else out.push(`${c.metric} ${c.from}→${c.to} on ${c.node}`);
  }
  for (const [node, nonZero] of started)
    out.push(`${node} reports again${nonZero.length ? `: ${nonZero.join(', ')}` : ' (every gauge 0)'}`);
  const on = meters.by ? ` on ${meters.by}` : '';
  if (meters.LeaderElectionRateAndTimeMs)
    out.push(`LeaderElectionRateAndTimeMs +${meters.LeaderElectionRateAndTimeMs}${on} (a broker-change event)`);
  if (meters.UncleanLeaderElectionsPerSec)
    out.push(`UncleanLeaderElectionsPerSec +${meters.UncleanLeaderElectionsPerSec}${meters.by ? on : ' (committed)'}`);
  return out;
}

/**
 * One state's gauges in a line: each cluster value with the nodes reporting a non-zero value, e.g.
 * `ActiveControllerCount 1 (b0), OfflinePartitionsCount 0, UnderReplicatedPartitions 1 (b0=1), …`.
 */
export function metricsSummary(m: ClusterMetrics): string {
  return GAUGES.map((g) => {
    const on = m.nodes.flatMap((x) => (x.gauges[g] ? [`${x.node}=${x.gauges[g]}`] : []));
    return `${g} ${m.cluster[g]}${on.length ? ` (${on.join(' ')})` : ''}`;
  }).join(', ');
}

/** The metric lines of every step of a behaviour (`states[k]` after `actions[k-1]`); entry k-1 is step k's. */
export function metricMovesAlong(
  states: readonly ClusterState[],
  actions: readonly Action[],
  cfg: ModelConfig,
): string[][] {
  const metrics = states.map((s) => metricsOf(s, cfg));
  return actions.map((a, i) => {
    const before = states[i];
    const after = states[i + 1];
    const mb = metrics[i];
    const ma = metrics[i + 1];
    if (!before || !after || !mb || !ma) return [];
    return describeMetricMoves(gaugeChanges(mb, ma), stepMeters(before, a, after));
  });
}
