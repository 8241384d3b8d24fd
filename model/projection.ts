import { EncodeSink } from '../checker/fingerprint.js';
import type { Action } from './actions.js';
import type { KafkaModel } from './kafkaModel.js';
import type { ModelConfig } from './config.js';
import type { ClusterState, Ghost, LeaderAndIsr } from './state.js';

/**
 * Partition projection (issue 20: partition independence beyond partial-order reduction).
 *
 * In ZooKeeper mode the partitions of a cluster share the brokers, ZooKeeper and the controller, but
 * each partition's own state (its replicas, its znode, its requests in flight, its produce requests and
 * records) is read and written only by steps about that partition, or by steps that do the same thing to
 * every partition at once (a crash, a restart, a controller failover, a high-watermark checkpoint, a
 * controlled shutdown). `projectState(cfg, s, p)` keeps the shared state and partition p's own state,
 * renumbered as partition 0: a state of the one-partition cluster `projectConfig(cfg, p)`.
 *
 * Two facts make per-partition checking sound; both are tested on random walks
 * (`model/projection.test.ts`), and the combination against the unreduced search on a corpus:
 *
 * 1. Simulation: every step s → s' of the full cluster projects to a step of the one-partition
 *    cluster, π_p(s) → π_p(s'), or leaves the projection unchanged. Where the full cluster's controller
 *    waits for other partitions (it takes a failed broker back only once it has elected or shrunk every
 *    partition that broker held, `owesWork`), the one-partition cluster may take the broker back sooner,
 *    never later: it has more behaviours, not fewer. So every state the full cluster reaches projects to
 *    a state the one-partition cluster reaches.
 * 2. Locality: each safety property holds of s exactly when it holds of every π_p(s) (the property reads
 *    one partition at a time, plus shared state such as broker liveness).
 *
 * Hence, if every one-partition cluster passes, the full cluster passes. The converse (a violation of a
 * one-partition cluster is one of the full cluster) holds when its trace, each step renamed back to
 * partition p, replays in the full cluster and ends in a violation: the checker replays every
 * counterexample it reports (`liftAction`), so a reported violation is always one of the full cluster.
 *
 * The history flags of `Ghost` (an unclean election happened, a stale controller wrote, …) are global
 * booleans: the projection keeps them as they are, and the simulation holds up to the first step that
 * raises one (the step that raises it in the full cluster raises it in π_p too). Each flag is a property
 * violation the moment it is raised, so nothing after it matters to a safety check.
 *
 * Not sound, so refused (`projectionObstacle`): KRaft mode (the partitions' records share one metadata
 * log whose offsets decide Raft votes and the broker epoch each registration gets); automatic leader
 * rebalancing (the controller weighs every partition's leader at once); bounds shared by partitions, when
 * they could cut (requests in flight; see `projectionObstacle`).
 */

/** The one-partition cluster of partition p: the same cluster with only p's assignment. */
export function projectConfig(cfg: ModelConfig, p: number): ModelConfig {
  const assignment = cfg.assignment[p];
  if (!assignment) throw new Error(`projectConfig: no partition ${p} in a ${cfg.partitions}-partition config`);
  let hosts = 0;
  cfg.assignment.forEach((rs, q) => {
    if (q !== p) for (const b of rs) hosts |= 1 << b;
  });
  const environment = { partition: p, hosts };
  return { ...cfg, partitions: 1, assignment: [assignment], replicationFactor: assignment.length, environment };
}

/** Why per-partition checking is not sound for this config, or undefined when it is. */
export function projectionObstacle(cfg: ModelConfig): string | undefined {
  if (cfg.partitions < 2) return 'the cluster has one partition';
  if (cfg.mode === 'kraft')
    return "KRaft mode: the partitions' changes share one metadata log, whose offsets decide Raft votes and broker epochs";
  if (cfg.autoLeaderRebalance) return 'automatic leader rebalancing weighs every partition at once';
  return undefined;
}

/** State s of the full cluster seen as the one-partition cluster of partition p (see the module comment). */
export function projectState(s: ClusterState, p: number): ClusterState {
  return {
    brokers: s.brokers.map((b) => ({ ...b, replicas: [b.replicas[p] ?? null] })),
    zk: { ...s.zk, partitions: s.zk.partitions.slice(p, p + 1) },
    kraft: s.kraft,
    split: s.split,
    inFlight: s.inFlight.filter((m) => m.partition === p).map((m): LeaderAndIsr => ({ ...m, partition: 0 })),
    produced: s.produced.slice(p, p + 1),
    pending: s.pending.filter((q) => q.partition === p).map((q) => ({ ...q, partition: 0 })),
    budget: s.budget,
    ghost: projectGhost(s.ghost, p),
  };
}

function projectGhost(g: Ghost, p: number): Ghost {
  return {
    ...g,
    acked: g.acked.filter((a) => a.partition === p).map((a) => ({ ...a, partition: 0 })),
    exposed: g.exposed.slice(p, p + 1),
    exposedBy: g.exposedBy.slice(p, p + 1),
  };
}

/** An action of the one-partition cluster of partition p, as the same action of the full cluster. */
export function liftAction(a: Action, p: number): Action {
  switch (a.kind) {
    case 'deliver':
    case 'drop':
    case 'other-partition-on-wire':
      return { ...a, message: { ...a.message, partition: p } };
    case 'observe-brokers':
      return { kind: a.kind, controller: a.controller };
    default:
      return 'partition' in a ? { ...a, partition: p } : a;
  }
}

/** A path of the one-partition cluster, replayed in the full cluster (`liftPath`). */
export interface LiftedPath {
  /** The full cluster's path: the initial state's index, then action indices. */
  readonly path: readonly number[];
  readonly states: readonly ClusterState[];
}

/**
 * Replays `path`, a behaviour of partition p's cluster `part`, in the full cluster `full`: each step as
 * the same step of the full cluster, and each environment step as a real step of another partition (a
 * request about it that reaches the broker). Every state reached must project onto the one-partition
 * state exactly. Returns the full path, or why it does not replay (the projection allows more than the
 * full cluster does there).
 */
export function liftPath(full: KafkaModel, part: KafkaModel, p: number, path: readonly number[]): LiftedPath | string {
  const sink = new EncodeSink();
  const key = (m: KafkaModel, s: ClusterState): string => {
    sink.reset();
    m.encode(s, sink);
    return sink.buf.subarray(0, sink.len).join(',');
  };
  let s = full.initStates()[0] as ClusterState;
  let t = part.initStates()[path[0] ?? 0] as ClusterState;
  const out = [0];
  const states = [s];
  for (let k = 1; k < path.length; k++) {
    const a = part.actions(t)[path[k] as number];
    if (!a) return `step ${k}: partition ${p}'s cluster has no action ${path[k]}`;
    t = part.next(t, a) ?? t;
    const steps = fullSteps(full, s, a, p);
    if (typeof steps === 'string') return `step ${k} (${a.kind}): ${steps}`;
    for (const i of steps) {
      s = full.next(s, full.actions(s)[i] as Action) ?? s;
      out.push(i);
      states.push(s);
    }
    if (key(part, projectState(s, p)) !== key(part, t))
      return `step ${k} (${a.kind}): the full cluster's partition ${p} differs from the one-partition cluster's`;
  }
  return { path: out, states };
}

/** The full cluster's action indices that do what step `a` of partition p's cluster does. */
function fullSteps(full: KafkaModel, s: ClusterState, a: Action, p: number): number[] | string {
  const acts = full.actions(s);
  const find = (pred: (x: Action) => boolean): number => acts.findIndex(pred);
  if (a.kind === 'other-partition-on-wire') {
    const m = { ...a.message, partition: p };
    return s.inFlight.some((x) => JSON.stringify(x) === JSON.stringify(m)) ? 'the request is still queued' : [];
  }
  if (a.kind === 'other-partition-request') {
    const i = find(
      (x) =>
        x.kind === 'deliver' &&
        x.message.partition !== p &&
        x.message.to === a.broker &&
        x.message.controllerEpoch === a.controllerEpoch,
    );
    return i >= 0
      ? [i]
      : `no request about another partition from controller epoch ${a.controllerEpoch} to b${a.broker}`;
  }
  const want = JSON.stringify(liftAction(a, p));
  const i = find((x) => JSON.stringify(x) === want);
  if (i >= 0) return [i];
  if (a.kind === 'deliver') {
    // behind a request about another partition on the same channel: deliver that one first
    const j = find(
      (x) =>
        x.kind === 'deliver' &&
        x.message.from === a.message.from &&
        x.message.to === a.message.to &&
        x.message.partition !== p,
    );
    if (j >= 0) {
      const s2 = full.next(s, acts[j] as Action) ?? s;
      const rest = fullSteps(full, s2, a, p);
      return typeof rest === 'string' ? rest : [j, ...rest];
    }
  }
  return 'the full cluster cannot take it';
}
