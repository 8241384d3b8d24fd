import { Immer } from 'immer';
import type { Model } from '../checker/index.js';
import type { ModelConfig } from './config.js';
import type { ElectionRule } from './election/ElectionRule.js';
import type { Action } from './actions.js';
import { actionFamily } from './actions.js';
import type { ClusterState } from './state.js';
import { cloneState, initialState } from './state.js';
import type { Draft } from 'immer';
import { CUT_BOUNDS, type Ctx } from './transitions/common.js';
import { zkControlPlane } from './transitions/controller.js';
import { dataPlaneActions, dataPlaneMutate, syncCheckpoints } from './transitions/replication.js';
import { kraftControlPlane } from './transitions/kraft/kraftController.js';
import { kraftControlActions, kraftFaultActions, kraftMutate } from './transitions/kraft/kraftSteps.js';
import { zkControlActions, zkFaultActions, zkMutate } from './transitions/zkSteps.js';
import { voterSymmetry } from './symmetry.js';
import { encodeState } from './encode.js';
import { decodeState } from './decode.js';
import { formatAction, formatState } from './format.js';
import { kafkaReduction } from './reduction.js';

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
  const ctx: Ctx = { cfg, rule, plane: kraft ? kraftControlPlane : zkControlPlane, cut: { mask: 0 } };
  const immer = new Immer({ autoFreeze: opts.freeze ?? false });

  function actions(s: ClusterState): Action[] {
    ctx.cut.mask = 0;
    const out: Action[] = [];
    if (kraft) {
      kraftControlActions(s, ctx, out);
      dataPlaneActions(s, ctx, out);
      kraftFaultActions(s, ctx, out);
    } else {
      zkControlActions(s, ctx, out);
      dataPlaneActions(s, ctx, out);
      zkFaultActions(s, ctx, out);
    }
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
    if (dataPlaneMutate(d, s, ctx, a)) return;
    if (kraft ? kraftMutate(d, s, ctx, a) : zkMutate(d, s, ctx, a)) return;
    throw new Error(`model bug: ${a.kind} is not a ${kraft ? 'KRaft' : 'ZooKeeper'}-mode action`);
  }

  /**
   * The successor a KRaft action (or an auto rebalance) leads to, so its description can name the record
   * it appends (the partitions it moves).
   */
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
    boundNames: CUT_BOUNDS,
    actionsCut(s, cut) {
      const out = actions(s);
      cut.mask = ctx.cut.mask;
      return out;
    },
    next(s, a) {
      const n = apply(s, a);
      return n === s ? undefined : n;
    },
    encode: (s, sink) => encode(s, sink),
    decode: (encoded) => decodeState(cfg, encoded),
    formatAction: (a, s) =>
      formatAction(a, s, kraft || a.kind === 'auto-rebalance' ? successorForFormat(s, a) : undefined, cfg),
    formatState: (s) => formatState(s, cfg),
    withinBoundary: (s) => s.inFlight.length <= cfg.bounds.inFlight,
    reduction: kafkaReduction(cfg, rule),
    actionFamily: (a) => actionFamily(a),
  };
}
