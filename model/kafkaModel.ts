import { Immer } from 'immer';
import type { Model } from '../checker/index.js';
import type { ModelConfig } from './config.js';
import type { ElectionRule } from './election/ElectionRule.js';
import type { Action } from './actions.js';
import { actionFamily } from './actions.js';
import type { ClusterState } from './state.js';
import { SPLIT_CUTS_ZOOKEEPER, cloneState, initialState, reachesZk } from './state.js';
import type { Draft } from 'immer';
import type { Ctx } from './transitions/common.js';
import { isChannelHead } from './transitions/common.js';
import {
  actingController,
  canDeliver,
  canPreferredElect,
  controlledShutdown,
  deliver,
  drop,
  electController,
  electLeader,
  observeBrokers,
  observationChanges,
  offlineCandidates,
  preferredElection,
  removableFromIsr,
  removeFromIsr,
  restartBroker,
  stopBroker,
  zkControlPlane,
} from './transitions/controller.js';
import {
  dataPlaneActions,
  expandIsr,
  checkpointHw,
  fetch,
  fetchTarget,
  flush,
  syncCheckpoints,
  produce,
  shrinkIsr,
} from './transitions/replication.js';
import { kraftControlPlane } from './transitions/kraft/kraftController.js';
import { kraftControlActions, kraftFaultActions, kraftMutate } from './transitions/kraft/kraftSteps.js';
import { splitActions } from './transitions/faults.js';
import { voterSymmetry } from './symmetry.js';
import { encodeState } from './encode.js';
import { decodeState } from './decode.js';
import { formatAction, formatState } from './format.js';

export interface KafkaModelOptions {
  /**
   * How successor states are built. `clone` (default, the search loop's fast path) deep-copies the
   * state and runs the transitions on the copy; `immer` runs the same transitions on an immer draft
   * (structural sharing, no-op detection) — profiling showed immer's proxies dominating the search loop.
   */
  readonly engine?: 'clone' | 'immer';
  /** With `engine: 'immer'`: freeze produced states (catches accidental mutation; tests use it). */
  readonly freeze?: boolean;
}

/** The Kafka model as a checker `Model`. Pure and deterministic for a given config and rule. */
export type KafkaModel = Model<ClusterState, Action> & { readonly config: ModelConfig; readonly rule: ElectionRule };

/**
 * Builds the Kafka model for a validated config and an election rule: ZooKeeper mode (`KafkaController`)
 * or KRaft mode (a Raft controller quorum and metadata log), over one shared partition data plane.
 */
export function kafkaModel(cfg: ModelConfig, rule: ElectionRule, opts: KafkaModelOptions = {}): KafkaModel {
  const kraft = cfg.mode === 'kraft';
  const ctx: Ctx = { cfg, rule, plane: kraft ? kraftControlPlane : zkControlPlane };
  const immer = new Immer({ autoFreeze: opts.freeze ?? false });
  const B = cfg.brokers;
  const P = cfg.partitions;

  function actions(s: ClusterState): Action[] {
    if (kraft) {
      const out: Action[] = [];
      kraftControlActions(s, ctx, out);
      dataPlaneActions(s, ctx, out);
      kraftFaultActions(s, ctx, out);
      return out;
    }
    return zkActions(s);
  }

  function zkActions(s: ClusterState): Action[] {
    const out: Action[] = [];
    // control plane
    if (s.zk.controller < 0 && s.zk.controllerEpoch < cfg.bounds.controllerEpochs)
      for (let b = 0; b < B; b++) {
        const br = s.brokers[b];
        if (br && br.alive && br.session && reachesZk(s, b)) out.push({ kind: 'elect-controller', broker: b });
      }
    for (let c = 0; c < B; c++) {
      const cc = actingController(s, c);
      if (!cc) continue;
      if (s.zk.controller !== c) out.push({ kind: 'resign-controller', broker: c });
      if (observationChanges(s, ctx, c)) out.push({ kind: 'observe-brokers', controller: c });
      for (let p = 0; p < P; p++) {
        for (const leader of offlineCandidates(s, ctx, c, p))
          out.push({ kind: 'elect-leader', controller: c, partition: p, leader });
        for (const b of removableFromIsr(s, ctx, c, p))
          out.push({ kind: 'remove-from-isr', controller: c, partition: p, broker: b });
        if (canPreferredElect(s, ctx, c, p)) out.push({ kind: 'preferred-election', controller: c, partition: p });
      }
    }
    s.inFlight.forEach((m, i) => {
      if (isChannelHead(s.inFlight, i) && canDeliver(s, m)) out.push({ kind: 'deliver', message: m });
    });
    dataPlaneActions(s, ctx, out);
    // faults
    const bud = s.budget;
    for (let b = 0; b < B; b++) {
      const br = s.brokers[b];
      if (!br) continue;
      if (br.alive) {
        if (bud.crashes > 0) out.push({ kind: 'crash', broker: b });
        if (bud.uncleanShutdowns > 0) out.push({ kind: 'unclean-shutdown', broker: b });
        // A session expires by a fault (a long GC pause, from the budget) or because a network split cut
        // the broker off ZooKeeper for longer than zookeeper.session.timeout.ms (no budget: the split is the fault).
        if (br.session && (bud.sessionExpiries > 0 || !reachesZk(s, b)))
          out.push({ kind: 'expire-session', broker: b });
        if (!br.session && reachesZk(s, b)) out.push({ kind: 'reconnect', broker: b });
        if (
          bud.controlledShutdowns > 0 &&
          br.session &&
          reachesZk(s, b) &&
          s.zk.controller >= 0 &&
          s.zk.controller !== b
        )
          out.push({ kind: 'controlled-shutdown', broker: b });
      } else {
        out.push({ kind: 'restart', broker: b });
      }
    }
    // Nodes are the brokers (and ZooKeeper with `splitZooKeeper`); one side always holds broker 0, so each
    // split is listed once.
    if (s.split === 0 && bud.networkPartitions > 0)
      if (cfg.splitZooKeeper) splitActions(B + 1, cfg.networkSplits, out, SPLIT_CUTS_ZOOKEEPER);
      else splitActions(B, cfg.networkSplits, out);
    if (s.split !== 0) out.push({ kind: 'heal' });
    if (bud.messageLosses > 0) for (const m of s.inFlight) out.push({ kind: 'drop', message: m });
    return out;
  }

  const useImmer = opts.engine === 'immer';

  function apply(s: ClusterState, a: Action): ClusterState {
    if (useImmer)
      return immer.produce(s, (d) => {
        mutate(d, s, a);
        syncCheckpoints(d, ctx);
      });
    const d = cloneState(s) as Draft<ClusterState>;
    mutate(d, s, a);
    syncCheckpoints(d, ctx);
    return d as ClusterState;
  }

  function mutate(d: Draft<ClusterState>, s: ClusterState, a: Action): void {
    if (kraft) {
      switch (a.kind) {
        case 'produce':
        case 'fetch':
        case 'shrink-isr':
        case 'expand-isr':
        case 'flush':
        case 'checkpoint-hw':
        case 'partition-network':
        case 'heal':
          break; // shared with ZooKeeper mode
        default:
          if (!kraftMutate(d, s, ctx, a)) throw new Error(`model bug: ${a.kind} is not a KRaft-mode action`);
          return;
      }
    }
    switch (a.kind) {
      case 'elect-controller':
        return void electController(d, ctx, a.broker);
      case 'resign-controller': {
        const br = d.brokers[a.broker];
        if (br) br.controller = null;
        return;
      }
      case 'observe-brokers':
        return void observeBrokers(d, ctx, a.controller);
      case 'elect-leader':
        return void electLeader(d, ctx, a.controller, a.partition, a.leader);
      case 'remove-from-isr':
        return void removeFromIsr(d, ctx, a.controller, a.partition, a.broker);
      case 'preferred-election':
        return void preferredElection(d, ctx, a.controller, a.partition);
      case 'controlled-shutdown':
        return void controlledShutdown(d, ctx, a.broker);
      case 'deliver':
        return void deliver(d, ctx, a.message);
      case 'produce':
        return void produce(d, ctx, a.broker, a.partition);
      case 'fetch':
        return void fetch(d, ctx, a.follower, a.partition, fetchTarget(s, ctx, a.follower, a.partition));
      case 'shrink-isr':
        return void shrinkIsr(d, ctx, a.leader, a.partition, a.follower);
      case 'expand-isr':
        return void expandIsr(d, ctx, a.leader, a.partition, a.follower);
      case 'flush':
        return void flush(d, a.broker, a.partition);
      case 'checkpoint-hw':
        return void checkpointHw(d, ctx, a.broker);
      case 'crash':
        d.budget.crashes--;
        return void stopBroker(d, ctx, a.broker, 'crash');
      case 'unclean-shutdown':
        d.budget.uncleanShutdowns--;
        return void stopBroker(d, ctx, a.broker, 'unclean');
      case 'restart':
        return void restartBroker(d, ctx, a.broker);
      case 'expire-session': {
        if (reachesZk(s, a.broker)) d.budget.sessionExpiries--;
        const br = d.brokers[a.broker];
        if (br) br.session = false;
        d.zk.brokerEpochs[a.broker] = 0;
        if (d.zk.controller === a.broker) d.zk.controller = -1;
        return;
      }
      case 'reconnect': {
        // `KafkaZkClient.registerBroker` on the new session: a new znode, so a new broker epoch (KIP-380).
        const br = d.brokers[a.broker];
        const epoch = d.zk.nextCzxid++;
        if (br) {
          br.session = true;
          br.epoch = epoch;
        }
        d.zk.brokerEpochs[a.broker] = epoch;
        return;
      }
      case 'partition-network':
        d.budget.networkPartitions--;
        d.split = a.side;
        return;
      case 'heal':
        d.split = 0;
        return;
      case 'drop':
        return void drop(d, a.message);
      default:
        throw new Error(`model bug: ${a.kind} is not a ZooKeeper-mode action`);
    }
  }

  /** The successor a KRaft action leads to, so its description can name the record it appends. */
  function successorForFormat(s: ClusterState, a: Action): ClusterState | undefined {
    try {
      return apply(s, a);
    } catch {
      return undefined; // an action that does not belong to `s`: describe it without the outcome
    }
  }

  const sym = kraft && cfg.voters >= 3 ? voterSymmetry(cfg.voters) : undefined;
  const symmetry = sym ? { canonicalize: (s: ClusterState) => sym.canonicalize(s) } : {};
  const encode = sym ? sym.encode : encodeState;
  return {
    ...symmetry,
    name: `kafka-${cfg.mode}`,
    config: cfg,
    rule,
    initStates: () => [initialState(cfg)],
    actions,
    next(s, a) {
      const n = apply(s, a);
      return n === s ? undefined : n;
    },
    encode: (s, sink) => encode(s, sink),
    decode: (encoded) => decodeState(cfg, encoded),
    formatAction: (a, s) => formatAction(a, s, kraft ? successorForFormat(s, a) : undefined, cfg),
    formatState: (s) => formatState(s, cfg),
    withinBoundary: (s) => s.inFlight.length <= cfg.bounds.inFlight,
    actionFamily: (a) => actionFamily(a),
  };
}
