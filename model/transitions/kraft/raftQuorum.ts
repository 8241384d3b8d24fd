import type { Draft } from 'immer';
import type { ClusterState, KRaftState, MetadataRecord, Voter } from '../../state.js';
import {
  META_LEADER_CHANGE,
  VOTER_CANDIDATE,
  VOTER_FOLLOWER,
  VOTER_LEADER,
  VOTER_RESIGNED,
  VOTER_UNATTACHED,
  newerEpochLed,
  popcount,
  reachable,
  voterNode,
} from '../../state.js';
import { epochCache, latestEpoch, truncationOffset } from '../../log.js';
import type { Ctx, D } from '../common.js';
import { CUT_RAFT_EPOCHS, cutBy } from '../common.js';
import { projectCommitted } from './committedImage.js';
import { sameRecord } from './metadataImage.js';

/**
 * The KRaft controller quorum: Raft over the `__cluster_metadata` log (KIP-595), as `QuorumState` and
 * `KafkaRaftClient` implement it (verified against apache/kafka `raft/`).
 *
 * Abstraction (atomic steps keep the state space small):
 * - an election timeout is one step; with pre-vote (KIP-996) it is taken only when a majority would
 *   grant a pre-vote right now (pre-votes change no receiver state, so the round is one step);
 * - a Vote request and its response are one step (`raft-vote`);
 * - a replication round is one step (`raft-replicate`): every voter that can reach the leader fetches
 *   from it at once (see `replicate`), and the leader advances its high watermark;
 * - followers and observers learn higher epochs only through these steps, so a deposed leader keeps
 *   acting (and appending records that can never commit) until a vote or fetch reaches it.
 */

type DVoter = Draft<Voter>;

function kraftOf(s: ClusterState): KRaftState {
  if (!s.kraft) throw new Error('model bug: KRaft transition in ZooKeeper mode');
  return s.kraft;
}

function voterOf(d: D, v: number): DVoter {
  const x = d.kraft?.voters[v];
  if (!x) throw new Error(`model bug: no voter ${v}`);
  return x;
}

/** Whether voters a and b can talk. */
export function votersReachable(s: ClusterState, a: number, b: number): boolean {
  return reachable(s, voterNode(s, a), voterNode(s, b));
}

const majority = (voters: number): number => Math.floor(voters / 2) + 1;

/** Whether log a is at least as up to date as log b: (last epoch, end offset) compared lexicographically. */
export function isUpToDate(a: readonly MetadataRecord[], b: readonly MetadataRecord[]): boolean {
  const ea = latestEpoch(a);
  const eb = latestEpoch(b);
  return ea > eb || (ea === eb && a.length >= b.length);
}

/**
 * Whether voter w would grant a pre-vote to v now (KIP-996, `unattachedOrProspectiveCanGrantVote`,
 * `FollowerState.canGrantVote`): v's epoch is not older and its log is up to date, and w is not a
 * follower still fetching from a live leader, nor a leader itself.
 */
function grantsPreVote(s: ClusterState, ctx: Ctx, v: number, w: number): boolean {
  const k = kraftOf(s);
  const cand = k.voters[v] as Voter;
  const x = k.voters[w];
  if (!x || !x.alive || !votersReachable(s, v, w)) return false;
  if (x.epoch > cand.epoch || x.role === VOTER_LEADER) return false;
  if (ctx.cfg.mechanisms.upToDateVoteCheck && !isUpToDate(cand.log, x.log)) return false;
  if (x.role === VOTER_FOLLOWER) {
    const L = k.voters[x.leader];
    if (L && L.alive && L.role === VOTER_LEADER && L.epoch === x.epoch && votersReachable(s, w, x.leader)) return false;
  }
  return true;
}

/** Whether voter v may time out and start an election (`transitionToCandidate`; with pre-vote, `Prospective`). */
export function canTimeout(s: ClusterState, ctx: Ctx, v: number): boolean {
  const k = kraftOf(s);
  const x = k.voters[v];
  if (!x || !x.alive || x.role === VOTER_LEADER) return false;
  if (ctx.cfg.preVote) {
    let grants = 1;
    for (let w = 0; w < k.voters.length; w++) if (w !== v && grantsPreVote(s, ctx, v, w)) grants++;
    if (grants < majority(k.voters.length)) return false;
  }
  return x.epoch >= ctx.cfg.bounds.raftEpochs ? cutBy(ctx, CUT_RAFT_EPOCHS, false) : true;
}

/**
 * Election timeout: epoch + 1, vote for itself, and the Vote requests to the voters it can reach with
 * their responses, in the same step (a voter that is down or cut off answers later, `raft-vote`); a
 * majority of grants makes it leader at once.
 */
export function timeout(d: D, s: ClusterState, ctx: Ctx, v: number): void {
  const x = voterOf(d, v);
  x.epoch++;
  x.role = VOTER_CANDIDATE;
  x.votedFor = v;
  x.leader = -1;
  x.votes = 1 << v;
  x.endOffsets = [];
  x.epochStart = 0;
  if (popcount(x.votes) >= majority(ctx.cfg.voters)) return becomeLeader(d, s, ctx, v);
  // The requests go out together and each voter decides on its own state, so the round does not depend
  // on the order of the responses: grants are recorded, then a newer epoch seen in any response wins
  // over the election (the candidate steps down), else a majority of grants elects it.
  const now = d as unknown as ClusterState;
  const asked: number[] = [];
  for (let w = 0; w < ctx.cfg.voters; w++) if (canVote(now, ctx, v, w)) asked.push(w);
  const newest = Math.max(x.epoch, ...asked.map((w) => voterOf(d, w).epoch));
  for (const w of asked) {
    const y = voterOf(d, w);
    if (y.epoch > x.epoch) continue;
    if (voteOutcome(now, ctx, v, w).grant) {
      if (y.epoch < x.epoch) toUnattached(y, x.epoch);
      y.votedFor = v;
      x.votes |= 1 << w;
    } else if (y.epoch < x.epoch) toUnattached(y, x.epoch);
  }
  if (newest > x.epoch) toUnattached(x, newest);
  else if (popcount(x.votes) >= majority(ctx.cfg.voters)) becomeLeader(d, s, ctx, v);
}

/** Voter x moves to a newer epoch it has just learned, without a known leader (`transitionToUnattached`). */
function toUnattached(x: DVoter, epoch: number): void {
  x.epoch = epoch;
  x.role = VOTER_UNATTACHED;
  x.votedFor = -1;
  x.leader = -1;
  x.votes = 0;
  x.endOffsets = [];
  x.epochStart = 0;
}

/** What a Vote request from candidate c to voter w decides (`KafkaRaftClient.handleVoteRequest`). */
function voteOutcome(s: ClusterState, ctx: Ctx, c: number, w: number): { grant: boolean; changes: boolean } {
  const k = kraftOf(s);
  const cand = k.voters[c] as Voter;
  const x = k.voters[w] as Voter;
  if (cand.epoch < x.epoch) return { grant: false, changes: true }; // FENCED_LEADER_EPOCH: c learns x's epoch
  const newer = cand.epoch > x.epoch; // x first moves to the candidate's epoch (unattached)
  const role = newer ? VOTER_UNATTACHED : x.role;
  const votedFor = newer ? -1 : x.votedFor;
  const upToDate = !ctx.cfg.mechanisms.upToDateVoteCheck || isUpToDate(cand.log, x.log);
  // UnattachedState.canGrantVote: at most one vote per epoch; Follower/Leader/Candidate/Resigned refuse.
  const grant = role === VOTER_UNATTACHED && (votedFor === c || (votedFor === -1 && upToDate));
  return { grant, changes: newer || grant };
}

/** Whether a Vote round trip from candidate c to voter w changes anything. */
export function canVote(s: ClusterState, ctx: Ctx, c: number, w: number): boolean {
  const k = kraftOf(s);
  const cand = k.voters[c];
  const x = k.voters[w];
  if (c === w || !cand || !x || !cand.alive || !x.alive || cand.role !== VOTER_CANDIDATE) return false;
  if (!votersReachable(s, c, w) || (cand.votes & (1 << w)) !== 0) return false;
  return voteOutcome(s, ctx, c, w).changes;
}

export function vote(d: D, s: ClusterState, ctx: Ctx, c: number, w: number): void {
  const { grant } = voteOutcome(s, ctx, c, w);
  const cand = voterOf(d, c);
  const x = voterOf(d, w);
  if (cand.epoch < x.epoch) {
    toUnattached(cand, x.epoch);
    return;
  }
  if (cand.epoch > x.epoch) toUnattached(x, cand.epoch);
  if (!grant) return;
  x.votedFor = c;
  cand.votes |= 1 << w;
  if (popcount(cand.votes) >= majority(ctx.cfg.voters)) becomeLeader(d, s, ctx, c);
}

/**
 * `onBecomeLeader`: the epoch starts at the log end; the leader appends a LeaderChange record in its
 * epoch and does not inherit a high watermark (it becomes the active controller only once that record
 * commits: `ListenerContext.maybeFireLeaderChange` waits until the listener passes the epoch start).
 * Its BeginQuorumEpoch requests and the first fetches of the voters it reaches are part of the same
 * step (a replication round), so a majority that can reach the new leader commits its LeaderChange at once.
 */
function becomeLeader(d: D, s: ClusterState, ctx: Ctx, c: number): void {
  const x = voterOf(d, c);
  const k = d.kraft as Draft<KRaftState>;
  x.role = VOTER_LEADER;
  x.leader = c;
  x.votes = 0;
  x.hw = 0;
  x.epochStart = x.log.length;
  x.endOffsets = Array<number>(ctx.cfg.voters).fill(-1);
  x.log.push({ epoch: x.epoch, kind: META_LEADER_CHANGE, broker: -1, brokerEpoch: 0, partitions: [] });
  // single-controller: two quorum leaders in one Raft epoch.
  if ((k.leaderEpochs & (1 << x.epoch)) !== 0) d.ghost.staleControllerWrite = true;
  k.leaderEpochs |= 1 << x.epoch;
  replicateFrom(d, d as unknown as ClusterState, ctx, c);
}

/**
 * `LeaderState.maybeUpdateHighWatermark`: the offset a majority of voters (the leader included) has
 * reached, once it passes the epoch start (the leader must commit a record of its own epoch first).
 */
export function updateHighWatermark(d: D, ctx: Ctx, L: number): void {
  const x = voterOf(d, L);
  const offsets: number[] = [];
  for (let w = 0; w < ctx.cfg.voters; w++) offsets.push(w === L ? x.log.length : Math.max(0, x.endOffsets[w] ?? 0));
  offsets.sort((a, b) => b - a);
  const candidate = Math.min(offsets[Math.floor(ctx.cfg.voters / 2)] as number, x.log.length);
  if (candidate > x.epochStart && candidate > x.hw) {
    const from = x.hw;
    x.hw = candidate;
    recordCommit(d, ctx, L, from, candidate);
  }
}

/**
 * Ghost bookkeeping when leader L commits [from, to): extends the committed prefix, flags a committed
 * record replaced by another, flags a commit by a deposed leader (single-controller), and refreshes the
 * committed image properties read.
 */
function recordCommit(d: D, ctx: Ctx, L: number, from: number, to: number): void {
  const k = d.kraft as Draft<KRaftState>;
  const x = voterOf(d, L);
  const now = d as unknown as ClusterState;
  let side = 0;
  for (let v = 0; v < ctx.cfg.voters; v++) if (votersReachable(now, L, v)) side++;
  if (side < majority(ctx.cfg.voters)) k.minorityCommit = true;
  let grew = false;
  for (let i = from; i < to; i++) {
    const rec = x.log[i] as MetadataRecord;
    const known = k.committed[i] as MetadataRecord | undefined;
    if (known) {
      if (!sameRecord(known, rec)) k.lostCommit = true;
      continue;
    }
    k.committed.push(rec as Draft<MetadataRecord>);
    k.committedBy.push(x.epoch);
    grew = true;
    if (newerEpochLed(k, x.epoch)) d.ghost.staleControllerWrite = true;
  }
  if (grew) projectCommitted(d, ctx);
}

/**
 * Whether voter v would fetch from leader L now. With Raft epoch fencing a voter follows only a leader
 * of its epoch or a newer one (an older leader's responses are FENCED_LEADER_EPOCH), and a voter that
 * already follows a leader of that epoch only that one.
 */
function fetchesFrom(s: ClusterState, ctx: Pick<Ctx, 'cfg'>, v: number, L: number): boolean {
  const k = kraftOf(s);
  const x = k.voters[v];
  const l = k.voters[L] as Voter;
  if (v === L || !x || !x.alive || !votersReachable(s, v, L)) return false;
  if (!ctx.cfg.mechanisms.raftEpochFencing) return true;
  if (l.epoch < x.epoch) return false;
  return !(l.epoch === x.epoch && (x.role === VOTER_LEADER || (x.role === VOTER_FOLLOWER && x.leader !== L)));
}

/** Whether a replication round of leader L changes anything (see `replicate`). */
export function canReplicate(s: ClusterState, ctx: Ctx, L: number): boolean {
  const k = kraftOf(s);
  const l = k.voters[L];
  if (!l || !l.alive || l.role !== VOTER_LEADER) return false;
  const cache = epochCache(l.log);
  for (let v = 0; v < k.voters.length; v++) {
    if (!fetchesFrom(s, ctx, v, L)) continue;
    const x = k.voters[v] as Voter;
    if (x.role !== VOTER_FOLLOWER || x.leader !== L || x.epoch !== l.epoch) return true;
    if (Math.min(truncationOffset(x.log, x.hw, cache, l.log.length), l.log.length) < x.log.length) return true;
    if (x.log.length !== l.log.length) return true;
    if (l.endOffsets[v] !== x.log.length || x.hw !== Math.min(Math.max(x.hw, l.hw), x.log.length)) return true;
  }
  return false;
}

/**
 * One replication round of leader L: every voter that can reach L and accepts it (see `fetchesFrom`)
 * completes a Fetch round trip — it learns L (BeginQuorumEpoch / discovery; a deposed leader steps
 * down here), truncates a diverging suffix (DivergingEpoch, the KIP-279 iteration), appends L's
 * records — then L advances its high watermark and the fetchers learn it.
 *
 * Abstraction: followers that can reach the leader fetch together, so two reachable followers never
 * hold different prefixes of the leader's log; a follower lags only while it is down or cut off.
 */
export function replicate(d: D, s: ClusterState, ctx: Ctx, L: number): void {
  replicateFrom(d, s, ctx, L);
}

/** `replicate`, reading the leader's log and the voters' reachability from `s` (the draft itself after an election or append). */
export function replicateFrom(d: D, s: ClusterState, ctx: Ctx, L: number): void {
  const source = kraftOf(s).voters[L] as Voter;
  const l = voterOf(d, L);
  const fetchers: number[] = [];
  for (let v = 0; v < ctx.cfg.voters; v++) {
    if (!fetchesFrom(s, ctx, v, L)) continue;
    fetchers.push(v);
    const x = voterOf(d, v);
    if (x.epoch < source.epoch || x.role !== VOTER_FOLLOWER || x.leader !== L) {
      if (x.epoch < source.epoch) x.votedFor = -1;
      x.epoch = Math.max(x.epoch, source.epoch);
      x.role = VOTER_FOLLOWER;
      x.leader = L;
      x.votes = 0;
      x.endOffsets = [];
      x.epochStart = 0;
    }
    // A log longer than the leader's is cut to it (OFFSET_OUT_OF_RANGE); only a follower of a deposed
    // leader, without the Raft epoch check, can have one.
    const to = Math.min(truncationOffset(x.log, x.hw, epochCache(source.log), source.log.length), source.log.length);
    if (x.log.length > to) x.log.splice(to);
    for (let i = x.log.length; i < source.log.length; i++) x.log.push(source.log[i] as Draft<MetadataRecord>);
    l.endOffsets[v] = x.log.length;
  }
  updateHighWatermark(d, ctx, L);
  // FollowerState.updateHighWatermark: monotonic, bounded by the local log.
  for (const v of fetchers) {
    const x = voterOf(d, v);
    x.hw = Math.min(Math.max(x.hw, l.hw), x.log.length);
  }
}

/** A voter process dies; its log and quorum-state file survive. */
export function crashVoter(d: D, v: number): void {
  const x = voterOf(d, v);
  x.alive = false;
  x.hw = 0;
  x.votes = 0;
  x.endOffsets = [];
  x.epochStart = 0;
}

/**
 * Restart from the persisted election state (`QuorumState.initialize`): a leader comes back Resigned in
 * its epoch (so it cannot vote again in it), a candidate as a candidate with only its own vote, others
 * as they were; the high watermark is not persisted.
 */
export function restartVoter(d: D, v: number): void {
  const x = voterOf(d, v);
  x.alive = true;
  if (x.role === VOTER_LEADER) x.role = VOTER_RESIGNED;
  if (x.role === VOTER_CANDIDATE) x.votes = 1 << v;
}

/**
 * Whether voter L leads the quorum in practice: it is an alive leader that has not resigned. A leader
 * cut off from the majority keeps acting until its check-quorum timer expires (`raft-resign`), or for
 * good without check quorum.
 */
export function isWorkingLeader(s: ClusterState, _ctx: Pick<Ctx, 'cfg'>, L: number): boolean {
  const x = kraftOf(s).voters[L];
  return !!x && x.alive && x.role === VOTER_LEADER;
}

/**
 * Check quorum (KAFKA-15489, `KafkaRaftClient.pollLeader` → `transitionToResigned` once
 * `LeaderState.timeUntilCheckQuorumExpires` reaches 0): a leader that fewer than a majority of voters
 * (itself included) fetch from resigns after 1.5 × `controller.quorum.fetch.timeout.ms`. The model keeps
 * the order of the timeouts, not their values: a follower's fetch timeout (1 ×) is shorter, so the
 * followers may elect a new leader before the old one resigns — a real window with two quorum leaders,
 * in which the old one can append but never commit (no majority fetches from it), so brokers beside it
 * see no new metadata; a broker session (`broker.session.timeout.ms`, 9 s by default, counted from the
 * new controller's activation) is longer, so the new controller fences no broker by timeout before the
 * old leader has resigned (`olderLeaderYetToResign`).
 */
export function canResign(s: ClusterState, ctx: Pick<Ctx, 'cfg'>, L: number): boolean {
  if (!ctx.cfg.mechanisms.checkQuorum || !isWorkingLeader(s, ctx, L)) return false;
  const k = kraftOf(s);
  let n = 1;
  for (let v = 0; v < k.voters.length; v++) if (fetchesFrom(s, ctx, v, L)) n++;
  return n < majority(k.voters.length);
}

/** `transitionToResigned`: the leader stops acting; it votes for no one and stands again after its election timeout. */
export function resign(d: D, L: number): void {
  const x = voterOf(d, L);
  x.role = VOTER_RESIGNED;
  x.votes = 0;
  x.endOffsets = [];
  x.epochStart = 0;
}

/**
 * Whether, with check quorum, a quorum leader of an older Raft epoch than voter c's is still to resign
 * (it can only be cut off from the majority, which follows c's epoch). Its check-quorum timeout is
 * shorter than any broker session c has to let expire, so c fences no broker by timeout before it resigns.
 */
export function olderLeaderYetToResign(s: ClusterState, ctx: Pick<Ctx, 'cfg'>, c: number): boolean {
  if (!ctx.cfg.mechanisms.checkQuorum) return false;
  const k = kraftOf(s);
  const epoch = k.voters[c]?.epoch ?? 0;
  return k.voters.some((x) => x.alive && x.role === VOTER_LEADER && x.epoch < epoch);
}

/** The working quorum leader with the newest epoch that network node `node` can reach, or -1. */
export function quorumLeaderFor(s: ClusterState, ctx: Pick<Ctx, 'cfg'>, node: number): number {
  const k = kraftOf(s);
  let best = -1;
  let bestEpoch = -1;
  k.voters.forEach((x, v) => {
    if (x.epoch > bestEpoch && reachable(s, node, voterNode(s, v)) && isWorkingLeader(s, ctx, v)) {
      best = v;
      bestEpoch = x.epoch;
    }
  });
  return best;
}

/**
 * Whether voter c acts as the active controller: it is a quorum leader whose LeaderChange record has
 * committed (`QuorumController.claim`). A deposed leader that has not learned of its successor still does.
 */
export function isActiveController(s: ClusterState, ctx: Pick<Ctx, 'cfg'>, c: number): boolean {
  const x = s.kraft?.voters[c];
  return !!x && x.hw > x.epochStart && isWorkingLeader(s, ctx, c);
}

/** The active controller a node's requests reach (the newest reachable quorum leader, if active), or -1. */
export function controllerFor(s: ClusterState, ctx: Ctx, node: number): number {
  const c = quorumLeaderFor(s, ctx, node);
  return c >= 0 && isActiveController(s, ctx, c) ? c : -1;
}

export { sameRecord };
