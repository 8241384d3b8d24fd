import type { EncodeSink } from '../checker/index.js';
import type { ClusterState, KRaftState, LogEntry, MetadataRecord, PartitionState, Voter } from './state.js';

/** Log entries pack as epoch·64 + id (epochs and record ids are small by the bounds). */
const entry = (e: LogEntry): number => e.epoch * 64 + e.id;

function partitionState(ps: PartitionState, sink: EncodeSink): void {
  sink.push(ps.leader);
  sink.push(ps.leaderEpoch);
  sink.push(ps.isr);
  sink.push(ps.version);
  sink.push(ps.controllerEpoch);
}

/**
 * Where the parts of a state's encoding that name voters lie (for `voterSymmetry`): the `split` word,
 * and the voters' block `[votersStart, votersEnd)` (each voter's words, then its log). Nothing else in
 * the encoding names a voter.
 */
export interface VoterMarks {
  split: number;
  votersStart: number;
  votersEnd: number;
}

/**
 * The integer encoding of a cluster state: every field in a fixed order, lists length-prefixed.
 * Equal states encode equally; any field a transition or property reads is included. With `marks`, also
 * records where the voter-naming words went.
 */
export function encodeState(s: ClusterState, sink: EncodeSink, marks?: VoterMarks): void {
  for (const b of s.brokers) {
    sink.push((b.alive ? 1 : 0) | (b.session ? 2 : 0) | (b.controller ? 4 : 0));
    sink.push(b.controllerEpochSeen | (b.epoch << 8));
    if (b.controller) {
      sink.push(b.controller.epoch);
      sink.push(b.controller.live | (b.controller.offline << 8));
      for (const e of b.controller.brokerEpochs) sink.push(e);
    }
    for (const r of b.replicas) {
      if (!r) continue;
      sink.push(r.log.length);
      for (const e of r.log) sink.push(entry(e));
      sink.push(r.hw | (r.hwCheckpoint << 16));
      sink.push(r.flushed);
      sink.push(r.role | (r.mustTruncate ? 4 : 0));
      sink.push(r.leader);
      sink.push(r.leaderEpoch);
      sink.push(r.isr | (r.pendingIsr << 8));
      sink.push(r.zkVersion);
      sink.push(r.epochStart);
      for (const x of r.followerLeo) sink.push(x);
      if (s.kraft) for (const x of r.followerEpoch) sink.push(x);
    }
  }
  const zk = s.zk;
  sink.push(zk.controller);
  sink.push(zk.controllerEpoch);
  for (const e of zk.brokerEpochs) sink.push(e);
  sink.push(zk.nextCzxid);
  for (const ps of zk.partitions) partitionState(ps, sink);
  if (marks) marks.split = sink.len;
  sink.push(s.split);
  sink.push(s.inFlight.length);
  for (const m of s.inFlight) {
    sink.push(m.from | (m.to << 4) | (m.partition << 8) | ((m.leader + 1) << 12) | (m.controllerEpoch << 16));
    sink.push(m.leaderEpoch | (m.isr << 8) | (m.version << 16) | (m.leaderLive ? 1 << 30 : 0));
    sink.push(m.brokerEpoch);
  }
  for (const n of s.produced) sink.push(n);
  sink.push(s.pending.length);
  for (const q of s.pending)
    sink.push(q.partition | (q.broker << 4) | (q.offset << 8) | (q.id << 16) | (q.leaderEpoch << 24));
  const bud = s.budget;
  sink.push(
    bud.crashes |
      (bud.uncleanShutdowns << 4) |
      (bud.networkPartitions << 8) |
      (bud.messageLosses << 12) |
      (bud.sessionExpiries << 16) |
      (bud.controlledShutdowns << 20) |
      (bud.preferredElections << 24) |
      (bud.uncleanElections << 28),
  );
  sink.push(s.ghost.acked.length);
  for (const a of s.ghost.acked)
    sink.push(a.partition | (a.id << 4) | (a.offset << 10) | (a.leaderEpoch << 16) | (a.by << 24));
  sink.push(
    (s.ghost.staleControllerWrite ? 1 : 0) |
      (s.ghost.uncleanElection ? 2 : 0) |
      (s.ghost.hwPassedIsr ? 4 : 0) |
      (s.ghost.ackBelowMinIsr ? 8 : 0) |
      (s.ghost.exposedChanged ? 16 : 0),
  );
  for (let p = 0; p < s.ghost.exposed.length; p++) {
    const ex = s.ghost.exposed[p] as readonly LogEntry[];
    sink.push(ex.length | (((s.ghost.exposedBy[p] as number) + 1) << 8));
    for (const e of ex) sink.push(entry(e));
  }
  if (s.kraft) encodeKRaft(s.kraft, sink, marks);
}

/** A metadata batch: epoch, kind, broker and broker epoch in one integer, then each partition change in two. */
function record(r: MetadataRecord, sink: EncodeSink): void {
  sink.push(r.epoch | (r.kind << 8) | ((r.broker + 1) << 12) | (r.brokerEpoch << 16));
  sink.push(r.partitions.length);
  for (const c of r.partitions) {
    sink.push(c.partition | ((c.leader + 1) << 4) | (c.leaderEpoch << 8) | (c.partitionEpoch << 16));
    sink.push(c.isr | (c.elr << 8) | ((c.lastKnownLeader + 1) << 16));
  }
}

/** One voter's first two words, with the voter ids it names (votedFor, leader, votes) given, so a renaming can pass them. */
export function encodeVoter(v: Voter, sink: EncodeSink, votedFor: number, leader: number, votes: number): void {
  sink.push((v.alive ? 1 : 0) | (v.role << 1) | ((votedFor + 1) << 4) | ((leader + 1) << 8) | (votes << 12));
  sink.push(v.epoch | (v.hw << 8) | (v.epochStart << 16));
}

/** A voter's log, as the encoding has it after its end offsets. */
export function encodeVoterLog(v: Voter, sink: EncodeSink): void {
  sink.push(v.log.length);
  for (const r of v.log) record(r, sink);
}

function encodeKRaft(k: KRaftState, sink: EncodeSink, marks?: VoterMarks): void {
  if (marks) marks.votersStart = sink.len;
  for (const v of k.voters) {
    encodeVoter(v, sink, v.votedFor, v.leader, v.votes);
    sink.push(v.endOffsets.length);
    for (const o of v.endOffsets) sink.push(o);
    encodeVoterLog(v, sink);
  }
  if (marks) marks.votersEnd = sink.len;
  for (const b of k.brokers) sink.push(b.epoch | (b.caughtUp ? 1 << 16 : 0));
  sink.push(k.committed.length);
  for (const r of k.committed) record(r, sink);
  for (const e of k.committedBy) sink.push(e);
  sink.push(k.leaderEpochs | (k.lostCommit ? 1 << 16 : 0) | (k.minorityCommit ? 1 << 17 : 0));
}
