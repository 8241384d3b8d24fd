import type { ElectionReason, ElectionRule, ElectionView, ReplicaLogInfo } from '../election/ElectionRule.js';
import { clean } from '../election/builtins.js';
import type { ClusterState, LogEntry } from '../state.js';
import { has, reachable } from '../state.js';
import type { Ctx } from './common.js';

/**
 * The one place an `ElectionView` is built, in both modes, from what the controller knows and nothing
 * else; and the one place a rule is asked.
 */

/** What the controller knows about a partition when it elects (bitmasks over brokers). */
export interface ControllerFacts {
  readonly reason: ElectionReason;
  readonly partition: number;
  /** ISR (KRaft: or ELR) as the controller's state has it. */
  readonly isr: number;
  /** Brokers the controller considers live (ZooKeeper: `ControllerContext.liveBrokerIds`; KRaft: acceptable leaders). */
  readonly live: number;
  readonly currentLeader: number;
  readonly uncleanEnabled: boolean;
  /** The controller's network node (ZooKeeper mode: its broker id; KRaft: the voter's node). */
  readonly controllerNode: number;
}

/** An election rule misbehaved (a user error, reported without a stack trace). */
export class RuleError extends Error {
  override readonly name = 'RuleError';
}

/**
 * A broker's answer to a log query from `controllerNode`, or null when it cannot answer: it is not
 * running, or the network separates it from the controller. Kafka's controller knows no log end
 * offsets; KIP-966's unclean recovery asks the live replicas (`GetReplicaLogInfo`) and hears only
 * from those that are up and reachable.
 */
function logInfo(s: ClusterState, b: number, p: number, controllerNode: number): ReplicaLogInfo | null {
  const br = s.brokers[b];
  const log = br?.replicas[p]?.log as readonly LogEntry[] | undefined;
  if (!br || !br.alive || !log || !reachable(s, controllerNode, b)) return null;
  const last = log[log.length - 1];
  return Object.freeze({ broker: b, logEndOffset: log.length, lastEpoch: last ? last.epoch : -1 });
}

/**
 * The frozen view a rule gets: the controller's facts in assignment order, and the log answers of the
 * brokers that are live in the controller's view and answer its query. Nothing else in `s` is read.
 */
export function buildElectionView(s: ClusterState, ctx: Ctx, f: ControllerFacts): ElectionView {
  const assignment = ctx.cfg.assignment[f.partition] as readonly number[];
  const replicaLogs: ReplicaLogInfo[] = [];
  for (const r of assignment) {
    const info = has(f.live, r) ? logInfo(s, r, f.partition, f.controllerNode) : null;
    if (info) replicaLogs.push(info);
  }
  return electionViewOf(assignment, f, replicaLogs);
}

/**
 * The frozen view for `facts` over `assignment`, with the given log answers (in assignment order): the
 * one constructor of an `ElectionView`, shared by the model and by `kafka-mc validate` (which knows no
 * log answers from a metadata log and passes none).
 */
export function electionViewOf(
  assignment: readonly number[],
  f: ControllerFacts,
  replicaLogs: readonly ReplicaLogInfo[],
): ElectionView {
  const live = assignment.filter((r) => has(f.live, r));
  return Object.freeze({
    reason: f.reason,
    partition: f.partition,
    assignment: Object.freeze([...assignment]),
    isr: Object.freeze(assignment.filter((r) => has(f.isr, r))),
    live: Object.freeze(live),
    currentLeader: f.currentLeader,
    uncleanEnabled: f.uncleanEnabled,
    replicaLogs: Object.freeze(replicaLogs),
  });
}

/** Whether `rule` decides elections for `reason` (a rule without `reasons` decides them all). */
export function ruleDecides(rule: ElectionRule, reason: ElectionReason): boolean {
  return !rule.reasons || rule.reasons.includes(reason);
}

/**
 * The leaders allowed for `view`, distinct and ascending: the configured rule's answer when it decides
 * `view.reason`, else Kafka's algorithm for that reason (`clean`, whose `eligibleLeaders` answers every
 * reason the ZooKeeper controller's way; KRaft's preferred election does not come here unless the rule
 * decides it). A broker outside `view.live` is the rule's error (`RuleError`).
 */
export function allowedLeaders(ctx: Ctx, view: ElectionView): number[] {
  return leadersAllowedBy(ctx.rule, view);
}

/** `allowedLeaders` for an explicit rule. */
export function leadersAllowedBy(configured: ElectionRule, view: ElectionView): number[] {
  const rule = ruleDecides(configured, view.reason) ? configured : clean;
  const chosen = rule.eligibleLeaders(rule.readsReplicaLogs === false ? withheldLogs(rule, view) : view);
  for (const x of chosen)
    if (!view.live.includes(x))
      throw new RuleError(
        `election rule "${rule.name}" returned broker ${x} for the ${view.reason} election of partition ${view.partition}, but the live replicas are [${view.live.join(', ')}] (ISR [${view.isr.join(', ')}]); a rule must return a subset of view.live`,
      );
  return [...new Set(chosen)].sort((a, b) => a - b);
}

const WITHHELD = new WeakMap<ElectionRule, readonly ReplicaLogInfo[]>();

/**
 * `view` with `replicaLogs` replaced by a list that throws a `RuleError` on any use (its length, an
 * element, iteration): the enforcement of `ElectionRule.readsReplicaLogs: false`, on which the
 * partial-order reduction relies. Copying the view (`{ ...view }`) does not use it.
 */
function withheldLogs(rule: ElectionRule, view: ElectionView): ElectionView {
  let logs = WITHHELD.get(rule);
  if (!logs) {
    const fail = (): never => {
      throw new RuleError(
        `election rule "${rule.name}" declares readsReplicaLogs: false but reads view.replicaLogs; declare readsReplicaLogs: true (partial-order reduction then leaves network heals alone)`,
      );
    };
    const note = '[withheld: readsReplicaLogs is false]';
    logs = new Proxy<readonly ReplicaLogInfo[]>([], {
      get: (_t, key) => (key === 'toJSON' ? () => note : fail()),
      has: fail,
      ownKeys: fail,
      getOwnPropertyDescriptor: fail,
    });
    WITHHELD.set(rule, logs);
  }
  return Object.freeze({ ...view, replicaLogs: logs });
}
