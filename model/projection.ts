import { EncodeSink } from '../checker/fingerprint.js';
import type { Action } from './actions.js';
import type { KafkaModel } from './kafkaModel.js';
import type { ModelConfig } from './config.js';
import type { Broker, ClusterState, Ghost, KRaftState, LeaderAndIsr, MetadataRecord } from './state.js';
import { META_ALTER_PARTITION, initialBrokerEpoch } from './state.js';

/**
 * Partition projection (issue 20: partition independence beyond partial-order reduction).
 *
 * The partitions of a cluster share the brokers, ZooKeeper and the controller, but
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
 * KRaft mode: the partitions share the controller quorum's metadata log, whose offsets decide Raft votes
 * (KIP-595) and the broker epoch a registration gets. The projection keeps every record at its offset,
 * each with only p's partition change (`projectRecord`): a batch about several partitions (a fencing, a
 * registration) is p's own step, and a record about other partitions alone becomes a record with no
 * change, which the environment writes (`other-partition-record`, `kraftEnvironment.ts`, bounded by the
 * other partitions' epoch bounds). Properties over the log (`committed-metadata-durable`) compare records
 * by offset and Raft epoch, which one leader per epoch makes faithful: two records at one offset in one
 * epoch were written by that epoch's only leader, so they are the same record.
 *
 * Not sound, so refused (`projectionObstacle`): KRaft without Raft epoch fencing (a deposed leader can
 * then overwrite a newer leader's log, so two different records can share an offset and an epoch and
 * look the same to p); automatic leader rebalancing (the controller weighs every partition's leader at
 * once).
 */

/** The one-partition cluster of partition p: the same cluster with only p's assignment. */
export function projectConfig(cfg: ModelConfig, p: number): ModelConfig {
  const assignment = cfg.assignment[p];
  if (!assignment) throw new Error(`projectConfig: no partition ${p} in a ${cfg.partitions}-partition config`);
  let hosts = 0;
  cfg.assignment.forEach((rs, q) => {
    if (q !== p) for (const b of rs) hosts |= 1 << b;
  });
  const environment = { partition: p, hosts, others: cfg.partitions - 1 };
  return { ...cfg, partitions: 1, assignment: [assignment], replicationFactor: assignment.length, environment };
}

/** Why per-partition checking is not sound for this config, or undefined when it is. */
export function projectionObstacle(cfg: ModelConfig): string | undefined {
  if (cfg.partitions < 2) return 'the cluster has one partition';
  if (cfg.mode === 'kraft' && !cfg.mechanisms.raftEpochFencing)
    return 'KRaft without Raft epoch fencing: two leaders may write different records at one offset in one epoch, which a partition alone cannot tell apart';
  if (cfg.autoLeaderRebalance) return 'automatic leader rebalancing weighs every partition at once';
  return undefined;
}

/** State s of the full cluster seen as the one-partition cluster of partition p (see the module comment). */
export function projectState(cfg: ModelConfig, s: ClusterState, p: number): ClusterState {
  const replicas = cfg.mode === 'zk' ? (cfg.assignment[p] ?? []) : null;
  return {
    brokers: s.brokers.map((br, b) => ({
      ...br,
      replicas: [br.replicas[p] ?? null],
      ...(!replicas || replicas.includes(b) ? {} : { controllerEpochSeen: untouchedSeen(br, b) }),
    })),
    zk: { ...s.zk, partitions: s.zk.partitions.slice(p, p + 1) },
    kraft: s.kraft && projectKRaft(s.kraft, p),
    split: s.split,
    inFlight: s.inFlight.filter((m) => m.partition === p).map((m): LeaderAndIsr => ({ ...m, partition: 0 })),
    produced: s.produced.slice(p, p + 1),
    pending: s.pending.filter((q) => q.partition === p).map((q) => ({ ...q, partition: 0 })),
    budget: s.budget,
    ghost: projectGhost(s.ghost, p),
  };
}

/** A metadata record as partition p sees it: only p's change, renumbered as partition 0. */
function projectRecord(r: MetadataRecord, p: number): MetadataRecord {
  const partitions = r.partitions.filter((c) => c.partition === p).map((c) => ({ ...c, partition: 0 }));
  // another partition's AlterPartition: which leader sent it is read by no step (kraftEnvironment.ts)
  const broker = r.kind === META_ALTER_PARTITION && !partitions.length ? -1 : r.broker;
  return { ...r, broker, partitions };
}

function projectKRaft(k: KRaftState, p: number): KRaftState {
  return {
    ...k,
    voters: k.voters.map((v) => ({ ...v, log: v.log.map((r) => projectRecord(r, p)) })),
    committed: k.committed.map((r) => projectRecord(r, p)),
  };
}

/**
 * ZooKeeper mode: the controller epoch a broker that hosts no replica of the partition holds in the
 * projection, where no request ever reaches it — 1 as it started, 0 once it restarted (a restart gives it
 * a new broker epoch and forgets the epoch; `restartBroker`). Such a broker reads its controller epoch
 * only to fence requests about other partitions, and the projection of a partition it hosts keeps it.
 */
function untouchedSeen(br: Broker, b: number): number {
  return br.epoch === initialBrokerEpoch(b) ? 1 : 0;
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
    const want = key(part, t);
    const reaches = (x: ClusterState): boolean => key(part, projectState(full.config, x, p)) === want;
    const direct = fullSteps(full, s, a, p);
    const run = typeof direct === 'string' ? null : replaySteps(full, s, direct);
    const found =
      run && reaches(run.at(-1) ?? s) ? { steps: direct as number[], states: run } : searchSteps(full, s, reaches);
    if (!found)
      return `step ${k} (${a.kind}): ${typeof direct === 'string' ? direct : `the full cluster's partition ${p} differs from the one-partition cluster's`}`;
    out.push(...found.steps);
    states.push(...found.states);
    s = found.states.at(-1) ?? s;
  }
  return { path: out, states };
}

/** The states `steps` (action indices) lead through from s. */
function replaySteps(full: KafkaModel, s: ClusterState, steps: readonly number[]): ClusterState[] {
  const states: ClusterState[] = [];
  let x = s;
  for (const i of steps) {
    x = full.next(x, full.actions(x)[i] as Action) ?? x;
    states.push(x);
  }
  return states;
}

/**
 * The shortest sequence of at most `SEARCH_DEPTH` full-cluster steps from s to a state `reaches`
 * accepts: how a step is lifted when it has no one-to-one counterpart (a KRaft batch whose other
 * partitions' choices the projection does not see, or another partition's record, which that
 * partition's own steps must write).
 */
function searchSteps(
  full: KafkaModel,
  s: ClusterState,
  reaches: (x: ClusterState) => boolean,
): { steps: number[]; states: ClusterState[] } | null {
  let layer: { state: ClusterState; steps: number[]; states: ClusterState[] }[] = [{ state: s, steps: [], states: [] }];
  for (let depth = 0; depth < SEARCH_DEPTH; depth++) {
    const nextLayer: typeof layer = [];
    for (const node of layer)
      full.actions(node.state).forEach((act, i) => {
        const x = full.next(node.state, act);
        if (x) nextLayer.push({ state: x, steps: [...node.steps, i], states: [...node.states, x] });
      });
    const hit = nextLayer.find((n) => reaches(n.state));
    if (hit) return { steps: hit.steps, states: hit.states };
    layer = nextLayer;
  }
  return null;
}

const SEARCH_DEPTH = 3;

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
