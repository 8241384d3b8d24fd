import type { Draft } from 'immer';
import type {
  ClusterState,
  KRaftBroker,
  MetadataRecord,
  PartitionChange,
  PartitionRegistration,
  Replica,
  Voter,
} from '../../state.js';
import {
  META_ALTER_PARTITION,
  META_FENCE,
  META_REGISTER,
  META_SHUTDOWN,
  META_UNFENCE,
  NO_LEADER,
  ROLE_FOLLOWER,
  ROLE_LEADER,
  brokerEpochAt,
  controllerRecordCount,
  has,
  voterNode,
} from '../../state.js';
import type { ControlPlane, Ctx, D } from '../common.js';
import { CUT_METADATA_RECORDS, cutBy, epochCut, replicaOf } from '../common.js';
import { makeFollower, makeLeader, resetReplicas, stopReplicas } from '../replication.js';
import type { MetadataImage } from './metadataImage.js';
import { activeBrokers, metadataImage } from './metadataImage.js';
import type { ChangeOutcome } from './partitionChange.js';
import {
  buildPartitionChange,
  combinations,
  leaderAndIsrUpdates,
  outsideIsr,
  pickCombination,
} from './partitionChange.js';
import {
  canResign,
  controllerFor,
  isActiveController,
  olderLeaderYetToResign,
  quorumLeaderFor,
  replicateFrom,
} from './raftQuorum.js';

/**
 * The KRaft active controller (`QuorumController`, `ClusterControlManager`, `ReplicationControlManager`,
 * `BrokerHeartbeatManager`) and the broker side of the metadata log (`BrokerLifecycleManager`,
 * `ReplicaManager.applyDelta`).
 *
 * The active controller's view is the image of its whole metadata log: committed records plus the ones
 * it appended itself and has not seen commit (`QuorumController` replays its own writes at once). Each
 * controller event appends one atomic batch; it takes effect for brokers once committed, when they fetch
 * it. Heartbeats are not steps: a broker's session with controller c is alive while the broker runs,
 * its requests reach c (c is the newest quorum leader it can reach), and c has its current registration;
 * otherwise c may fence it (the session timed out). A fault can also expire a healthy session
 * (`faults.sessionExpiries`: missed heartbeats, e.g. a long GC pause).
 */

function kraftBroker(s: ClusterState, b: number): KRaftBroker {
  const kb = s.kraft?.brokers[b];
  if (!kb) throw new Error(`model bug: no KRaft state for broker ${b}`);
  return kb;
}

export function voterAt(s: ClusterState, v: number): Voter {
  const x = s.kraft?.voters[v];
  if (!x) throw new Error(`model bug: no voter ${v}`);
  return x;
}

/** The image controller c acts on: every record in its log. */
export function controllerImage(s: ClusterState, ctx: Ctx, c: number): MetadataImage {
  return metadataImage(ctx.cfg, voterAt(s, c).log);
}

/**
 * `step` (a write controller c would make), unless c's log holds `bounds.metadataRecords` records: then
 * the step is not taken and the bound is recorded as its cut. Steps test this bound last, after
 * everything else that decides them.
 */
export function withinRecordBound<T>(s: ClusterState, ctx: Ctx, c: number, step: T | null): T | null {
  if (!step || hasRecordRoom(s, ctx, c)) return step;
  return cutBy(ctx, CUT_METADATA_RECORDS, null);
}

/** Whether controller c's log holds fewer controller records than `bounds.metadataRecords`. */
export function hasRecordRoom(s: ClusterState, ctx: Ctx, c: number): boolean {
  return controllerRecordCount(voterAt(s, c).log) < ctx.cfg.bounds.metadataRecords;
}

/**
 * Appends one batch to controller c's log, and the voters that can reach c fetch it in the same step
 * (`scheduleAtomicAppend`, then a replication round): the batch commits at once when c reaches a
 * majority, and stays uncommitted (and may be lost in a failover) only when it does not.
 */
export function append(d: D, ctx: Ctx, c: number, rec: MetadataRecord): void {
  const x = d.kraft?.voters[c];
  if (!x) return;
  x.log.push(rec as Draft<MetadataRecord>);
  replicateFrom(d, d as unknown as ClusterState, ctx, c);
}

/** The epoch bounds partition change `ch` would pass (the epochs it writes are already bumped). */
function changeCut(ctx: Ctx, ch: PartitionChange): number {
  return epochCut(ctx, ch.leaderEpoch - 1, ch.partitionEpoch - 1);
}

/** Whether broker b's heartbeats keep its session with controller c alive. */
function heartbeating(s: ClusterState, ctx: Ctx, c: number, b: number, img: MetadataImage): boolean {
  const br = s.brokers[b];
  const kb = kraftBroker(s, b);
  return !!br && br.alive && kb.epoch > 0 && kb.epoch === img.brokers[b]?.epoch && controllerFor(s, ctx, b) === c;
}

/**
 * Controller c's step with the per-partition `options` that `withinBounds` left, within the record
 * bound. When the epoch bounds took every outcome of some partition (null) the step is not taken; if
 * c's log is also full, the record bound is noted as well, since raising the epoch bounds alone would
 * not enable the step.
 */
export function boundedStep(
  s: ClusterState,
  ctx: Ctx,
  c: number,
  options: readonly (readonly ChangeOutcome[])[] | null,
): ControllerStep | null {
  if (options) return withinRecordBound(s, ctx, c, { controller: c, options });
  noteRecordBound(s, ctx, c);
  return null;
}

/** Notes the record bound as a cut if c's log is full, for a step another bound already stopped. */
export function noteRecordBound(s: ClusterState, ctx: Ctx, c: number): void {
  withinRecordBound(s, ctx, c, true);
}

/** Drops outcomes beyond the epoch bounds; null when some partition has none left (the step is not taken). */
export function withinBounds(ctx: Ctx, options: ChangeOutcome[][]): ChangeOutcome[][] | null {
  const out: ChangeOutcome[][] = [];
  for (const o of options) {
    // an outcome beyond the epoch bounds is a choice (an action) the bounds disabled
    const ok = o.filter((x) => {
      const cut = x.change ? changeCut(ctx, x.change) : 0;
      return cut === 0 || cutBy(ctx, cut, false);
    });
    if (o.length && !ok.length) return null;
    out.push(ok);
  }
  return out;
}

/** A controller step: which controller, and the per-partition outcomes it chooses among. */
export interface ControllerStep {
  readonly controller: number;
  readonly options: readonly (readonly ChangeOutcome[])[];
}

/** How many choices a step offers. */
export const stepChoices = (step: ControllerStep): number => combinations(step.options);

export const partitionsWhere = (ctx: Ctx, pred: (p: number) => boolean): number[] =>
  Array.from({ length: ctx.cfg.partitions }, (_, p) => p).filter(pred);

export function batch(
  s: ClusterState,
  c: number,
  kind: MetadataRecord['kind'],
  broker: number,
  step: ControllerStep,
  choice: number,
): { rec: MetadataRecord; unclean: boolean } {
  const picked = pickCombination(step.options, choice);
  const partitions: PartitionChange[] = [];
  let unclean = false;
  for (const o of picked)
    if (o.change) {
      partitions.push(o.change);
      unclean ||= outsideIsr(o);
    }
  const x = voterAt(s, c);
  const brokerEpoch = kind === META_REGISTER ? brokerEpochAt(x.log.length) : 0;
  return { rec: { epoch: x.epoch, kind, broker, brokerEpoch, partitions }, unclean };
}

/**
 * Broker b (re-)registers (`ClusterControlManager.registerBroker`): a fresh process has no registration
 * yet, and one whose registration the controller does not hold (its record was lost in a failover)
 * registers again. While the previous incarnation's session is alive the controller refuses
 * (DuplicateBrokerRegistrationException); in the model that session ends when the controller fences
 * it (session expiry and fencing are one step), so a new incarnation registers only once the old one is
 * fenced. It gets broker epoch = the record's offset and starts fenced; with ELR,
 * `handleBrokerUncleanShutdown` removes it from every ISR and ELR (the snapshot treats every new
 * incarnation so, whatever `PreviousBrokerEpoch` says).
 */
export function registerStep(s: ClusterState, ctx: Ctx, b: number): ControllerStep | null {
  const br = s.brokers[b];
  if (!br || !br.alive) return null;
  const c = controllerFor(s, ctx, b);
  if (c < 0 || !isActiveController(s, ctx, c)) return null;
  const img = controllerImage(s, ctx, c);
  const kb = kraftBroker(s, b);
  const reg = img.brokers[b];
  if (kb.epoch !== 0 && reg?.epoch === kb.epoch) return null;
  if (reg && !reg.fenced && ctx.cfg.mechanisms.heartbeatFencing) return null; // DuplicateBrokerRegistrationException
  if (!ctx.cfg.elr) return withinRecordBound(s, ctx, c, { controller: c, options: [] });
  const ps = partitionsWhere(ctx, (p) => {
    const reg = img.partitions[p];
    return !!reg && (has(reg.isr, b) || has(reg.elr, b));
  });
  const options = withinBounds(
    ctx,
    leaderAndIsrUpdates(s, ctx, img, ps, { remove: -1, add: -1, uncleanShutdown: b }, voterNode(s, c)),
  );
  return boundedStep(s, ctx, c, options);
}

export function register(d: D, s: ClusterState, ctx: Ctx, b: number, step: ControllerStep, choice: number): void {
  const { rec, unclean } = batch(s, step.controller, META_REGISTER, b, step, choice);
  append(d, ctx, step.controller, rec);
  if (unclean) d.ghost.uncleanElection = true;
  const kb = d.kraft?.brokers[b];
  if (kb) {
    kb.epoch = rec.brokerEpoch;
    kb.caughtUp = false;
  }
  const br = d.brokers[b];
  if (br) br.session = true;
}

/**
 * Controller c fences broker b (`handleBrokerFenced`: out of every ISR, leaderships re-elected, then the
 * fence record; KIP-841): its session expired, or a fault expires a healthy one.
 */
export function fenceStep(s: ClusterState, ctx: Ctx, c: number, b: number): ControllerStep | null {
  if (!ctx.cfg.mechanisms.heartbeatFencing || !isActiveController(s, ctx, c)) return null;
  const img = controllerImage(s, ctx, c);
  const reg = img.brokers[b];
  if (!reg || reg.fenced) return null;
  if (heartbeating(s, ctx, c, b, img) && s.budget.sessionExpiries <= 0) return null;
  // A broker session (broker.session.timeout.ms) outlives the check-quorum timeout: a cut-off older
  // leader resigns before c fences anyone, and a cut-off c resigns before any session it would have to
  // let expire after the split runs out.
  if (olderLeaderYetToResign(s, ctx, c) || canResign(s, ctx, c)) return null;
  const ps = partitionsWhere(ctx, (p) => has(img.partitions[p]?.isr ?? 0, b));
  const options = withinBounds(
    ctx,
    leaderAndIsrUpdates(s, ctx, img, ps, { remove: b, add: -1, uncleanShutdown: -1 }, voterNode(s, c)),
  );
  return boundedStep(s, ctx, c, options);
}

export function fence(d: D, s: ClusterState, ctx: Ctx, b: number, step: ControllerStep, choice: number): void {
  const img = controllerImage(s, ctx, step.controller);
  if (heartbeating(s, ctx, step.controller, b, img)) d.budget.sessionExpiries--;
  const { rec, unclean } = batch(s, step.controller, META_FENCE, b, step, choice);
  append(d, ctx, step.controller, rec);
  if (unclean) d.ghost.uncleanElection = true;
}

/**
 * Controller c unfences broker b (`BrokerHeartbeatManager.calculateNextBrokerState`: a fenced broker
 * heartbeating with its current epoch whose metadata offset reached its registration record), then
 * elects leaders for leaderless partitions with b acceptable (`handleBrokerUnfenced`).
 */
export function unfenceStep(s: ClusterState, ctx: Ctx, c: number, b: number): ControllerStep | null {
  if (!isActiveController(s, ctx, c)) return null;
  const img = controllerImage(s, ctx, c);
  const reg = img.brokers[b];
  if (!reg || !reg.fenced || reg.inControlledShutdown || !heartbeating(s, ctx, c, b, img)) return null;
  if (!kraftBroker(s, b).caughtUp) return null;
  const ps = partitionsWhere(ctx, (p) => img.partitions[p]?.leader === NO_LEADER);
  const options = withinBounds(
    ctx,
    leaderAndIsrUpdates(s, ctx, img, ps, { remove: -1, add: b, uncleanShutdown: -1 }, voterNode(s, c)),
  );
  return boundedStep(s, ctx, c, options);
}

export function unfence(d: D, s: ClusterState, ctx: Ctx, b: number, step: ControllerStep, choice: number): void {
  const { rec, unclean } = batch(s, step.controller, META_UNFENCE, b, step, choice);
  append(d, ctx, step.controller, rec);
  if (unclean) d.ghost.uncleanElection = true;
}

/**
 * Controlled shutdown (`BrokerHeartbeatManager`: CONTROLLED_SHUTDOWN → SHUTDOWN_NOW): the controller
 * writes the broker's shutdown state with its removal from every ISR and the re-elections
 * (`handleBrokerInControlledShutdown`, the rule asked with reason 'controlled-shutdown'); the broker
 * then stops cleanly. One step; the first election outcome is taken.
 */
export function controlledShutdownStep(s: ClusterState, ctx: Ctx, b: number): ControllerStep | null {
  const br = s.brokers[b];
  if (s.budget.controlledShutdowns <= 0 || !br || !br.alive) return null;
  const c = controllerFor(s, ctx, b);
  if (c < 0 || !isActiveController(s, ctx, c)) return null;
  const img = controllerImage(s, ctx, c);
  const reg = img.brokers[b];
  if (!reg || reg.fenced || reg.inControlledShutdown || reg.epoch !== kraftBroker(s, b).epoch) return null;
  const ps = partitionsWhere(ctx, (p) => has(img.partitions[p]?.isr ?? 0, b));
  const options = withinBounds(
    ctx,
    leaderAndIsrUpdates(
      s,
      ctx,
      img,
      ps,
      { remove: b, add: -1, uncleanShutdown: -1 },
      voterNode(s, c),
      'controlled-shutdown',
    ),
  );
  return boundedStep(s, ctx, c, options);
}

export function controlledShutdown(d: D, s: ClusterState, ctx: Ctx, b: number, step: ControllerStep): void {
  d.budget.controlledShutdowns--;
  const { rec } = batch(s, step.controller, META_SHUTDOWN, b, step, 0);
  append(d, ctx, step.controller, rec);
  stopKRaftBroker(d, ctx, b, 'clean');
}

/** The partition change AlterPartition from leader L proposing `newIsr` would commit, or null if rejected. */
function alterPartitionChange(
  s: ClusterState,
  ctx: Ctx,
  L: number,
  p: number,
  newIsr: number,
): { controller: number; change: PartitionChange } | null {
  const c = controllerFor(s, ctx, L);
  if (c < 0 || !isActiveController(s, ctx, c)) return null;
  const img = controllerImage(s, ctx, c);
  const cur = img.partitions[p];
  const lr = s.brokers[L]?.replicas[p] as Replica | null | undefined;
  if (!cur || !lr) return null;
  const m = ctx.cfg.mechanisms;
  // STALE_BROKER_EPOCH (`checkBrokerEpoch`, KIP-380/KIP-903).
  if (m.brokerEpochCheck && kraftBroker(s, L).epoch !== img.brokers[L]?.epoch) return null;
  // NOT_CONTROLLER / FENCED_LEADER_EPOCH / INVALID_REQUEST / INVALID_UPDATE_VERSION.
  if (
    m.zkVersionCheck &&
    (lr.leaderEpoch !== cur.leaderEpoch || L !== cur.leader || lr.zkVersion !== cur.partitionEpoch)
  )
    return null;
  // INELIGIBLE_REPLICA (KIP-841): every member registered, unfenced, not shutting down; with KIP-903 the
  // broker epoch the leader sends for it (its own, or what the member's last fetch carried; -1 unknown)
  // matches the registration.
  for (let r = 0; r < ctx.cfg.brokers; r++) {
    if (!has(newIsr, r)) continue;
    const reg = img.brokers[r];
    if (!reg || reg.fenced || reg.inControlledShutdown) return null;
    const sent = r === L ? kraftBroker(s, L).epoch : (lr.followerEpoch[r] ?? -1);
    if (m.brokerEpochCheck && sent !== -1 && sent !== reg.epoch) return null;
  }
  const outcome = buildPartitionChange(s, ctx, cur, {
    partition: p,
    targetIsr: newIsr,
    acceptable: activeBrokers(img),
    election: 'online',
    uncleanShutdown: 0,
    controllerNode: voterNode(s, c),
  })[0];
  const change = outcome?.change;
  if (!change) return null;
  const cut = changeCut(ctx, change);
  if (cut) {
    noteRecordBound(s, ctx, c);
    return cutBy(ctx, cut, null);
  }
  return withinRecordBound(s, ctx, c, { controller: c, change });
}

/**
 * KRaft mode's side of AlterPartition (`ReplicationControlManager.alterPartition`): the request reaches
 * the newest active controller the leader can reach, which validates it and appends the change; the
 * response comes only once the record commits (`QuorumController` completes write events at the high
 * watermark), so until the leader applies the committed change from metadata the proposal stays pending
 * (maximal ISR `isr | pendingIsr`).
 */
export const kraftControlPlane: ControlPlane = {
  acceptsAlterPartition(s, ctx, L, p, newIsr) {
    return alterPartitionChange(s, ctx, L, p, newIsr) !== null;
  },
  alterPartition(d, ctx, L, p, newIsr) {
    const s = d as unknown as ClusterState;
    const r = alterPartitionChange(s, ctx, L, p, newIsr);
    if (!r) return;
    const x = voterAt(s, r.controller);
    append(d, ctx, r.controller, {
      epoch: x.epoch,
      kind: META_ALTER_PARTITION,
      broker: L,
      brokerEpoch: 0,
      partitions: [r.change],
    });
    replicaOf(d, L, p).pendingIsr = newIsr;
  },
  fetchBrokerEpoch: (s, b) => s.kraft?.brokers[b]?.epoch ?? -1,
  delayedFetches: true,
  queuesAlterPartition: () => false,
};

/**
 * Whether registration `reg` changes broker b's view of a partition it replicates: a leader tracks the
 * leader epoch, ISR and partition epoch; a follower only whom it follows in which leader epoch
 * (`Partition.makeFollower` keeps no ISR and restarts fetchers only on a new leader epoch), so ISR-only
 * changes need not reach followers. A state older than the replica's partition epoch is skipped.
 */
function changesView(b: number, r: Replica, reg: PartitionRegistration): boolean {
  if (reg.partitionEpoch < r.zkVersion) return false;
  if (reg.leader === b)
    return r.role !== ROLE_LEADER || r.leaderEpoch !== reg.leaderEpoch || r.zkVersion !== reg.partitionEpoch;
  return r.role !== ROLE_FOLLOWER || r.leader !== reg.leader || r.leaderEpoch !== reg.leaderEpoch;
}

/**
 * The quorum leader broker b fetches metadata from, if the committed metadata there changes b's view
 * (see `changesView`, or its own registration not yet applied); else -1.
 */
export function metadataSource(s: ClusterState, ctx: Ctx, b: number): number {
  const br = s.brokers[b];
  const kb = kraftBroker(s, b);
  if (!br || !br.alive || kb.epoch === 0) return -1;
  const L = quorumLeaderFor(s, ctx, b);
  if (L < 0) return -1;
  const leader = voterAt(s, L);
  if (leader.hw === 0) return -1; // a new leader exposes nothing until it has committed in its epoch
  const img = metadataImage(ctx.cfg, leader.log, leader.hw);
  if (!kb.caughtUp && img.brokers[b]?.epoch === kb.epoch) return L;
  for (let p = 0; p < ctx.cfg.partitions; p++) {
    const r = br.replicas[p];
    const reg = img.partitions[p];
    if (r && reg && changesView(b, r, reg)) return L;
  }
  return -1;
}

/**
 * Broker b fetches the committed metadata from quorum leader L and applies it (`ReplicaManager.applyDelta`
 * → `Partition.makeLeader` / `makeFollower`). One step: the broker applies everything committed, so it
 * may skip intermediate images. This replaces LeaderAndIsr.
 */
export function fetchMetadata(d: D, s: ClusterState, ctx: Ctx, b: number, L: number): void {
  const leader = voterAt(s, L);
  const img = metadataImage(ctx.cfg, leader.log, leader.hw);
  const kb = d.kraft?.brokers[b];
  if (kb && img.brokers[b]?.epoch === kb.epoch) kb.caughtUp = true;
  for (let p = 0; p < ctx.cfg.partitions; p++) {
    const r = s.brokers[b]?.replicas[p];
    const reg = img.partitions[p];
    if (!r || !reg || !changesView(b, r, reg)) continue;
    if (reg.leader === b) makeLeader(d, ctx, b, p, reg.leaderEpoch, reg.isr, reg.partitionEpoch);
    else makeFollower(d, ctx, b, p, reg.leader, reg.leaderEpoch, 0, reg.partitionEpoch);
  }
}

/**
 * A KRaft broker process stops: its registration stays with the controller until it is fenced. The
 * replicas' in-memory views are forgotten now rather than at restart (nothing reads them meanwhile),
 * so stopped brokers that differ only in what they believed are one state.
 */
export function stopKRaftBroker(d: D, ctx: Ctx, b: number, how: 'clean' | 'crash' | 'unclean'): void {
  const br = d.brokers[b];
  if (!br) return;
  br.alive = false;
  br.session = false;
  stopReplicas(d, ctx, b, how);
  resetReplicas(d, ctx, b);
  const kb = d.kraft?.brokers[b];
  if (kb) {
    kb.epoch = 0;
    kb.caughtUp = false;
  }
}

/** A fresh broker process: knows no roles and no metadata until it registers and fetches. */
export function restartKRaftBroker(d: D, ctx: Ctx, b: number): void {
  const br = d.brokers[b];
  if (!br) return;
  br.alive = true;
  resetReplicas(d, ctx, b);
}
