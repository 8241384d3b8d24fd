import type { Rng } from '../checker/index.js';
import {
  VOTER_FOLLOWER,
  VOTER_LEADER,
  reachable,
  reachesZk,
  voterNode,
  type Action,
  type ClusterState,
  type ModelConfig,
} from '../model/index.js';
import { messageLatency, uniform, type TimingConfig } from './timing.js';

/**
 * How the timed simulator treats each model action: a fault (taken only when the fault schedule injects
 * it), or a step that happens a drawn delay after it became enabled. The model lets timeouts expire at
 * any time (it is untimed); here each waits for its Kafka setting.
 */
export type ActionTiming =
  | { readonly kind: 'fault' }
  | {
      readonly kind: 'timed';
      /** Part of the action's key: a new phase re-arms its timer (e.g. a follower's leader just died). */
      readonly phase: string;
      /** Draws the delay from when the action became enabled, in ms (Infinity: it does not happen). */
      readonly delay: (rng: Rng) => number;
    };

/** What the timing of an action may depend on beyond the state: when ZooKeeper notices the last crash. */
export interface TimingContext {
  readonly cfg: ModelConfig;
  readonly timing: TimingConfig;
  /** ZooKeeper mode: crashes injected so far (a crash re-arms the actions that wait for ZooKeeper). */
  readonly crashes: number;
  /**
   * ZooKeeper mode: ms from now until ZooKeeper expires the session of the last crashed broker (0 when
   * none is pending). A crashed process's ephemeral znodes outlive it by `zookeeper.session.timeout.ms`,
   * which the model collapses into the crash step.
   */
  readonly zkNoticeInMs: number;
}

const FAULT: ActionTiming = { kind: 'fault' };

/** Faults whatever the state: the schedule injects them. */
const ALWAYS_FAULTS: ReadonlySet<Action['kind']> = new Set([
  'crash',
  'unclean-shutdown',
  'crash-voter',
  'partition-network',
  'controlled-shutdown',
  'leader-election',
  'drop',
]);

const timed = (phase: string, delay: (rng: Rng) => number): ActionTiming => ({ kind: 'timed', phase, delay });

/** Round trip: a request and its response. */
const roundTrip = (t: TimingConfig) => (rng: Rng) => messageLatency(t, rng) + messageLatency(t, rng);

/** The timing of action `a` in state `s`. */
export function actionTiming(a: Action, s: ClusterState, tc: TimingContext): ActionTiming {
  if (ALWAYS_FAULTS.has(a.kind)) return FAULT;
  const t = tc.timing;
  const rt = roundTrip(t);
  switch (a.kind) {
    case 'elect-controller':
    case 'observe-brokers':
      // The /controller and /brokers/ids watches fire once ZooKeeper expires the crashed broker's session.
      return timed(`c${tc.crashes}`, (rng) => Math.max(rt(rng), tc.zkNoticeInMs));
    case 'expire-session':
      // A broker cut off from ZooKeeper loses its session after zookeeper.session.timeout.ms; an expiry
      // of a broker that still reaches ZooKeeper is a fault (a long GC pause).
      return reachesZk(s, a.broker) ? FAULT : timed('', () => t.zookeeperSessionTimeoutMs);
    case 'produce':
      return timed('', () => t.produceIntervalMs);
    case 'shrink-isr':
      // `ReplicaManager.maybeShrinkIsr` runs every replica.lag.time.max.ms / 2 and drops a follower
      // that has not caught up for replica.lag.time.max.ms.
      return timed('', (rng) => t.replicaLagTimeMaxMs + uniform(rng, 0, t.replicaLagTimeMaxMs / 2) + rt(rng));
    case 'checkpoint-hw':
      return timed('', (rng) => uniform(rng, 0, t.highWatermarkCheckpointIntervalMs));
    case 'flush':
      // The OS writes dirty pages back within 30 s (Linux `dirty_expire_centisecs`); Kafka's own flush
      // intervals are unbounded by default.
      return timed('', (rng) => uniform(rng, 0, 30_000));
    case 'restart':
    case 'restart-voter':
      return timed('', () => t.restartAfterMs);
    case 'heal':
      return timed('', () => t.healAfterMs);
    case 'raft-timeout':
      return raftTimeout(s, a.voter, t);
    case 'raft-resign':
      // Check quorum: `LeaderState.CHECK_QUORUM_TIMEOUT_FACTOR` (1.5) × controller.quorum.fetch.timeout.ms.
      return timed('', () => 1.5 * t.controllerQuorumFetchTimeoutMs);
    case 'fence-broker':
      return fenceTiming(s, a.broker, a.controller, t);
    case 'unfence-broker':
      // The next heartbeat of a caught-up fenced broker unfences it (`BrokerHeartbeatManager`).
      return timed('', (rng) => uniform(rng, 0, t.brokerHeartbeatIntervalMs) + rt(rng));
    default:
      // deliver, fetch, expand-isr, elect-leader, remove-from-isr, resign-controller, reconnect,
      // raft-vote, raft-replicate, register-broker, fetch-metadata: a request and its answer.
      return timed('', rt);
  }
}

/**
 * KRaft: a voter stands for election once its fetch timeout (controller.quorum.fetch.timeout.ms) passes
 * without its leader (`FollowerState.hasFetchTimeoutExpired`), or, as a candidate, unattached or
 * resigned voter, after a randomized election timeout of 1 to 2 × controller.quorum.election.timeout.ms
 * (`QuorumState.randomElectionTimeoutMs`). A follower whose leader is alive and reachable never does.
 */
function raftTimeout(s: ClusterState, v: number, t: TimingConfig): ActionTiming {
  const voters = s.kraft?.voters ?? [];
  const x = voters[v];
  if (x && x.role === VOTER_FOLLOWER && x.leader >= 0) {
    const l = voters[x.leader];
    const healthy =
      !!l &&
      l.alive &&
      l.role === VOTER_LEADER &&
      l.epoch === x.epoch &&
      reachable(s, voterNode(s, v), voterNode(s, x.leader));
    if (healthy) return timed('healthy', () => Infinity);
    return timed(`follower${x.epoch}`, () => t.controllerQuorumFetchTimeoutMs);
  }
  const e = t.controllerQuorumElectionTimeoutMs;
  return timed(`standing${x?.epoch ?? 0}`, (rng) => e + uniform(rng, 0, e));
}

/**
 * KRaft: a broker that stopped heartbeating (it is down or cut off from controller c) is fenced once its
 * session (broker.session.timeout.ms) has passed since its last heartbeat, which was up to one
 * broker.heartbeat.interval.ms before it stopped (`BrokerHeartbeatManager`). Fencing a broker that
 * still heartbeats is a fault (a missed session, from the budget).
 */
function fenceTiming(s: ClusterState, b: number, c: number, t: TimingConfig): ActionTiming {
  const br = s.brokers[b];
  if (br?.alive && reachable(s, b, voterNode(s, c))) return FAULT;
  return timed('', (rng) => t.brokerSessionTimeoutMs - uniform(rng, 0, t.brokerHeartbeatIntervalMs));
}
