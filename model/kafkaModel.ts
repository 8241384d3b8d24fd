import { Immer } from 'immer';
import type { Model } from '../checker/index.js';
import type { ModelConfig } from './config.js';
import type { ElectionRule } from './election/ElectionRule.js';
import type { Action } from './actions.js';
import { actionFamily } from './actions.js';
import type { ClusterState } from './state.js';
import { cloneState, initialState } from './state.js';
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
  offlineCandidates,
  preferredElection,
  registered,
  removableFromIsr,
  removeFromIsr,
  restartBroker,
  stopBroker,
  zkControlPlane,
} from './transitions/controller.js';
import {
  canProduce,
  expandIsr,
  fetch,
  fetchTarget,
  produce,
  shrinkCandidates,
  shrinkIsr,
} from './transitions/replication.js';
import { encodeState } from './encode.js';
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
 * Builds the ZooKeeper-mode Kafka model for a validated config and an election rule.
 */
export function kafkaModel(cfg: ModelConfig, rule: ElectionRule, opts: KafkaModelOptions = {}): KafkaModel {
  const ctx: Ctx = { cfg, rule, plane: zkControlPlane };
  const immer = new Immer({ autoFreeze: opts.freeze ?? false });
  const B = cfg.brokers;
  const P = cfg.partitions;

  function actions(s: ClusterState): Action[] {
    const out: Action[] = [];
    // control plane
    if (s.zk.controller < 0 && s.zk.controllerEpoch < cfg.bounds.controllerEpochs)
      for (let b = 0; b < B; b++) {
        const br = s.brokers[b];
        if (br && br.alive && br.session) out.push({ kind: 'elect-controller', broker: b });
      }
    for (let c = 0; c < B; c++) {
      const cc = actingController(s, c);
      if (!cc) continue;
      if (s.zk.controller !== c) out.push({ kind: 'resign-controller', broker: c });
      if (observationChanges(s, c)) out.push({ kind: 'observe-brokers', controller: c });
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
    // data plane
    for (let p = 0; p < P; p++)
      for (let b = 0; b < B; b++) {
        if (canProduce(s, ctx, b, p)) out.push({ kind: 'produce', partition: p, broker: b });
        if (fetchTarget(s, ctx, b, p) >= 0) out.push({ kind: 'fetch', partition: p, follower: b });
        for (const f of shrinkCandidates(s, ctx, b, p))
          out.push({ kind: 'shrink-isr', partition: p, leader: b, follower: f });
      }
    // faults
    const bud = s.budget;
    for (let b = 0; b < B; b++) {
      const br = s.brokers[b];
      if (!br) continue;
      if (br.alive) {
        if (bud.crashes > 0) out.push({ kind: 'crash', broker: b });
        if (bud.uncleanShutdowns > 0) out.push({ kind: 'unclean-shutdown', broker: b });
        if (bud.sessionExpiries > 0 && br.session) out.push({ kind: 'expire-session', broker: b });
        if (!br.session) out.push({ kind: 'reconnect', broker: b });
        if (bud.controlledShutdowns > 0 && br.session && s.zk.controller >= 0 && s.zk.controller !== b)
          out.push({ kind: 'controlled-shutdown', broker: b });
      } else {
        out.push({ kind: 'restart', broker: b });
      }
    }
    if (s.split === 0 && bud.networkPartitions > 0)
      // one side always holds broker 0, so each split is listed once
      for (let k = 0; k < (1 << (B - 1)) - 1; k++) out.push({ kind: 'partition-network', side: (k << 1) | 1 });
    if (s.split !== 0) out.push({ kind: 'heal' });
    if (bud.messageLosses > 0) for (const m of s.inFlight) out.push({ kind: 'drop', message: m });
    return out;
  }

  /** Whether observe-brokers would change controller c's view. */
  function observationChanges(s: ClusterState, c: number): boolean {
    const cc = s.brokers[c]?.controller;
    if (!cc) return false;
    const reg = registered(s);
    for (let b = 0; b < B; b++) {
      const zkEpoch = s.zk.brokerEpochs[b] as number;
      if (has(cc.live, b) !== has(reg, b) || cc.brokerEpochs[b] !== zkEpoch) return true;
    }
    return false;
  }

  const useImmer = opts.engine === 'immer';

  function apply(s: ClusterState, a: Action): ClusterState {
    if (useImmer) return immer.produce(s, (d) => mutate(d, s, a));
    const d = cloneState(s) as Draft<ClusterState>;
    mutate(d, s, a);
    return d as ClusterState;
  }

  function mutate(d: Draft<ClusterState>, s: ClusterState, a: Action): void {
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
      case 'crash':
        d.budget.crashes--;
        return void stopBroker(d, ctx, a.broker, 'crash');
      case 'unclean-shutdown':
        d.budget.uncleanShutdowns--;
        return void stopBroker(d, ctx, a.broker, 'unclean');
      case 'restart':
        return void restartBroker(d, ctx, a.broker);
      case 'expire-session': {
        d.budget.sessionExpiries--;
        const br = d.brokers[a.broker];
        if (br) br.session = false;
        d.zk.brokerEpochs[a.broker] = 0;
        if (d.zk.controller === a.broker) d.zk.controller = -1;
        return;
      }
      case 'reconnect': {
        const br = d.brokers[a.broker];
        if (br) br.session = true;
        d.zk.brokerEpochs[a.broker] = d.zk.nextCzxid++;
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
    }
  }

  return {
    name: `kafka-${cfg.mode}`,
    config: cfg,
    rule,
    initStates: () => [initialState(cfg)],
    actions,
    next(s, a) {
      const n = apply(s, a);
      return n === s ? undefined : n;
    },
    encode: (s, sink) => encodeState(s, sink),
    formatAction: (a, s) => formatAction(a, s),
    formatState: (s) => formatState(s, cfg),
    withinBoundary: (s) => s.inFlight.length <= cfg.bounds.inFlight,
    actionFamily: (a) => actionFamily(a),
  };
}

function has(mask: number, b: number): boolean {
  return (mask & (1 << b)) !== 0;
}
