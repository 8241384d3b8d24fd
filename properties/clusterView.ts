import type { ClusterState, LogEntry, Replica } from '../model/index.js';
import { NO_LEADER, ROLE_LEADER, VOTER_LEADER, newerEpochLed } from '../model/index.js';

/**
 * Small read-only views of a `ClusterState` shared by the properties. Pure functions of the state;
 * transitions never call them.
 */

/** `b{id}`, or `none` for -1. */
export const brokerName = (b: number): string => (b === NO_LEADER ? 'none' : `b${b}`);

/** A record as the trace viewer prints it: `r2@e1` (record 2 written in leader epoch 1). */
export const entryName = (e: LogEntry | undefined): string => (e ? `r${e.id}@e${e.epoch}` : 'nothing');

/** Whether two log entries are the same record written in the same leader epoch. */
export const sameEntry = (a: LogEntry | undefined, b: LogEntry | undefined): boolean =>
  a !== undefined && b !== undefined && a.id === b.id && a.epoch === b.epoch;

/** A broker that runs and holds its ZooKeeper session (its `/brokers/ids/<id>` znode exists). */
export function isLive(s: ClusterState, b: number): boolean {
  const br = s.brokers[b];
  return br !== undefined && br.alive && br.session;
}

/** The replica of partition `p` on broker `b`, whether the broker runs or not (a stopped broker's log survives). */
export function replicaAt(s: ClusterState, b: number, p: number): Replica | null {
  return s.brokers[b]?.replicas[p] ?? null;
}

/** The replica of `p` on `b` if `b` runs and believes it leads `p`. */
export function actingLeaderReplica(s: ClusterState, b: number, p: number): Replica | null {
  const br = s.brokers[b];
  const r = br?.alive ? br.replicas[p] : null;
  return r && r.role === ROLE_LEADER ? r : null;
}

/** Brokers holding a replica of `p`, in broker-id order. */
export function replicaBrokers(s: ClusterState, p: number): number[] {
  const out: number[] = [];
  s.brokers.forEach((br, b) => {
    if (br.replicas[p]) out.push(b);
  });
  return out;
}

/**
 * The partition's working leader: the leader named in ZooKeeper, live, and acting as leader in
 * ZooKeeper's current leader epoch (it received the LeaderAndIsr). -1 if there is none.
 */
export function workingLeader(s: ClusterState, p: number): number {
  const ps = s.zk.partitions[p];
  if (!ps || ps.leader === NO_LEADER || !isLive(s, ps.leader)) return NO_LEADER;
  const r = actingLeaderReplica(s, ps.leader, p);
  return r && r.leaderEpoch === ps.leaderEpoch ? ps.leader : NO_LEADER;
}

/**
 * Whether a controller is in charge. ZooKeeper mode: `/controller` names a live broker that holds the
 * controller context of ZooKeeper's current controller epoch. KRaft mode: a running quorum leader has
 * committed the LeaderChange record of its epoch (it is the active controller:
 * `QuorumController` acts once `ListenerContext.maybeFireLeaderChange` fires) and no voter has led a
 * newer Raft epoch.
 */
export function hasWorkingController(s: ClusterState): boolean {
  if (s.kraft) return activeQuorumLeader(s) >= 0;
  const c = s.zk.controller;
  return c >= 0 && isLive(s, c) && s.brokers[c]?.controller?.epoch === s.zk.controllerEpoch;
}

/**
 * KRaft: the voter acting as active controller (see `hasWorkingController`), or -1. Its LeaderChange
 * record sits at `epochStart`, so it is committed once the high watermark passes it.
 */
export function activeQuorumLeader(s: ClusterState): number {
  const k = s.kraft;
  if (!k) return -1;
  return k.voters.findIndex(
    (x) => x.alive && x.role === VOTER_LEADER && x.hw > x.epochStart && !newerEpochLed(k, x.epoch),
  );
}
