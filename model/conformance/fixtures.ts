import type { Draft } from 'immer';
import type { Action } from '../actions.js';
import type { ConfigInput, ModelConfig } from '../config.js';
import { resolveConfig } from '../config.js';
import type { ElectionRule } from '../election/ElectionRule.js';
import { clean } from '../election/builtins.js';
import { kafkaModel, type KafkaModel } from '../kafkaModel.js';
import type { ClusterState, LogEntry, MetadataRecord } from '../state.js';
import { META_LEADER_CHANGE, ROLE_FOLLOWER, ROLE_LEADER, cloneState, maskOf, members } from '../state.js';
import type { Ctx } from '../transitions/common.js';
import { zkControlPlane } from '../transitions/controller.js';
import { kraftControlPlane } from '../transitions/kraft/kraftController.js';

/**
 * Test support for conformance cases: configs, contexts and states built the way a Kafka test sets up
 * its scenario, and a path runner that takes only enabled actions.
 */

/** Broker ids of a bitmask, ascending. */
export const ids = (m: number): number[] => members(m, 31);

/** The bitmask of some broker ids. */
export const mask = (...bs: readonly number[]): number => maskOf(bs);

/**
 * A model config from a partial one, without validation: Kafka's tests use broker ids such as 4 with
 * few replicas, so a config may name more brokers than a checked run would allow.
 */
export const modelConfig = (input: ConfigInput): ModelConfig => resolveConfig(input);

/** What the transitions read besides the state, for `cfg`'s mode. */
export function contextFor(cfg: ModelConfig, rule: ElectionRule = clean): Ctx {
  return { cfg, rule, plane: cfg.mode === 'kraft' ? kraftControlPlane : zkControlPlane, cut: { mask: 0 } };
}

/** A partition log whose records carry these leader epochs (record ids 1, 2, …). */
export const records = (...epochs: readonly number[]): LogEntry[] => epochs.map((epoch, i) => ({ epoch, id: i + 1 }));

/** A metadata log of `n` batches written in Raft epoch `epoch` (their content does not matter here). */
export const metadataBatches = (epoch: number, n: number): MetadataRecord[] =>
  Array.from({ length: n }, () => ({ epoch, kind: META_LEADER_CHANGE, broker: -1, brokerEpoch: 0, partitions: [] }));

/** A copy of `s` changed by `f` (the same mutable-copy path the model's transitions run on). */
export function edit(s: ClusterState, f: (d: Draft<ClusterState>) => void): ClusterState {
  const d = cloneState(s) as Draft<ClusterState>;
  f(d);
  return d as ClusterState;
}

/** A draft replica, which must exist (a fixture bug otherwise). */
export function replicaIn(
  d: Draft<ClusterState>,
  b: number,
  p = 0,
): Draft<NonNullable<ClusterState['brokers'][number]['replicas'][number]>> {
  const r = d.brokers[b]?.replicas[p];
  if (!r) throw new Error(`fixture bug: broker ${b} holds no replica of partition ${p}`);
  return r;
}

type ActionOf<K extends Action['kind']> = Extract<Action, { kind: K }>;
type Shallow<T> = { readonly [P in keyof T]?: T[P] extends object ? Partial<T[P]> : T[P] };

/** An action to take, named by its kind and some of its fields (an object field matches on the fields given). */
export type Step = { [K in Action['kind']]: { readonly kind: K } & Shallow<Omit<ActionOf<K>, 'kind'>> }[Action['kind']];

function matches(a: Action, step: Step): boolean {
  const want = step as Record<string, unknown>;
  const got = a as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(want)) {
    const x = got[k];
    if (typeof v === 'object' && v !== null) {
      if (typeof x !== 'object' || x === null) return false;
      for (const [kk, vv] of Object.entries(v)) if ((x as Record<string, unknown>)[kk] !== vv) return false;
    } else if (x !== v) return false;
  }
  return true;
}

/**
 * Takes `steps` from `s` in order; each must match exactly one action the model lists as enabled
 * (so a case cannot take a step Kafka's scenario has but the model forbids). Throws, naming the step
 * and the enabled actions, otherwise.
 */
export function runPath(model: KafkaModel, s: ClusterState, steps: readonly Step[]): ClusterState {
  let cur = s;
  steps.forEach((step, i) => {
    const enabled = model.actions(cur);
    const found = enabled.filter((a) => matches(a, step));
    const list = (): string => enabled.map((a) => model.formatAction?.(a, cur) ?? a.kind).join('; ');
    if (found.length !== 1)
      throw new Error(
        `step ${i} ${JSON.stringify(step)}: ${found.length} enabled actions match (need exactly one); enabled: ${list()}`,
      );
    cur = model.next(cur, found[0] as Action) ?? cur;
  });
  return cur;
}

/** The model for `input` with the given rule (default `clean`). */
export const modelFor = (input: ConfigInput, rule: ElectionRule = clean): KafkaModel =>
  kafkaModel(modelConfig(input), rule);

/** One broker's replica of partition 0, as a Kafka test sets it up. */
export interface ReplicaSpec {
  /** The epochs of its records. */
  readonly log: readonly number[];
  readonly hw?: number;
  readonly leaderEpoch: number;
  readonly role: 'leader' | 'follower';
  /** A follower's leader. */
  readonly leader?: number;
  /** A leader's ISR (default: the partition's). */
  readonly isr?: readonly number[];
  /** A leader's epoch start offset (default: its log end). */
  readonly epochStart?: number;
  /** A leader's view of its followers' log end offsets, by broker (-1 unknown; default 0). */
  readonly followerLeo?: Readonly<Record<number, number>>;
  /** A leader's ISR change in flight (KRaft `PendingExpandIsr` / `PendingShrinkIsr`). */
  readonly pendingIsr?: readonly number[];
  /** A follower that must reconcile its log (OffsetsForLeaderEpoch) before fetching. */
  readonly mustTruncate?: boolean;
}

/**
 * `s` with partition 0 as the controller registered it (leader, leader epoch, ISR; the partition epoch
 * unchanged, so replicas' views stay current) and the given replicas' logs and views.
 */
export function withPartition(
  s: ClusterState,
  registered: { readonly leader: number; readonly leaderEpoch: number; readonly isr: readonly number[] },
  replicas: Readonly<Record<number, ReplicaSpec>>,
): ClusterState {
  return edit(s, (d) => {
    const ps = d.zk.partitions[0];
    if (!ps) throw new Error('fixture bug: no partition 0');
    ps.leader = registered.leader;
    ps.leaderEpoch = registered.leaderEpoch;
    ps.isr = mask(...registered.isr);
    for (const [key, spec] of Object.entries(replicas)) {
      const b = Number(key);
      const r = replicaIn(d, b);
      r.log = records(...spec.log);
      r.hw = spec.hw ?? 0;
      r.flushed = r.log.length;
      r.leaderEpoch = spec.leaderEpoch;
      r.role = spec.role === 'leader' ? ROLE_LEADER : ROLE_FOLLOWER;
      r.leader = spec.role === 'leader' ? b : (spec.leader ?? -1);
      r.isr = mask(...(spec.isr ?? registered.isr));
      r.epochStart = spec.epochStart ?? r.log.length;
      r.followerLeo = r.followerLeo.map((x, f) => spec.followerLeo?.[f] ?? x);
      r.pendingIsr = mask(...(spec.pendingIsr ?? []));
      r.mustTruncate = spec.mustTruncate ?? false;
    }
  });
}

/**
 * Takes enabled actions of the given kinds, always the first listed, until none is enabled: how a case
 * lets the controller finish processing an event (observations, elections, deliveries) without fixing
 * the model's exact step order. Throws if it does not settle within `max` steps.
 */
export function settle(model: KafkaModel, s: ClusterState, kinds: readonly Action['kind'][], max = 32): ClusterState {
  let cur = s;
  for (let i = 0; i < max; i++) {
    const a = model.actions(cur).find((x) => kinds.includes(x.kind));
    if (!a) return cur;
    cur = model.next(cur, a) ?? cur;
  }
  throw new Error(`no quiescence within ${max} steps of ${kinds.join(', ')}`);
}
