import { always, type AlwaysProperty } from '../checker/index.js';
import type { ClusterState, KRaftState, MetadataRecord, ModelConfig } from '../model/index.js';
import {
  DEFAULT_CONFIG,
  META_FENCE,
  META_REGISTER,
  META_UNFENCE,
  VOTER_LEADER,
  newerEpochLed,
  quorumLeaderFor,
} from '../model/index.js';
import { defineProperty, type PropertyInfo } from './propertyInfo.js';

/** The catalog entry of `single-controller`. */
export const singleControllerInfo: PropertyInfo = defineProperty({
  id: 'single-controller',
  title: 'Only the controller of the newest controller epoch changes partition state',
  kind: 'always',
  doc: {
    invariant:
      'ZooKeeper mode: only the controller of the newest controller epoch changes partition state in ZooKeeper. A deposed controller (its session expired) may still believe it is in charge; controller-epoch fencing (KAFKA-6082: every write is a multi-op checking /controller_epoch) must make each of its writes fail. Fails with controllerEpochFencing off and a session expiry. KRaft mode: at most one voter becomes quorum leader in any Raft epoch, no leader of an older epoch commits metadata once a newer epoch has a leader (KIP-595: a vote is granted once per epoch, and a majority must fetch from the leader to commit), and no running broker still takes its metadata from a deposed quorum leader after a controller of a newer Raft epoch has committed its fencing (the split brain of KAFKA-15489: the new controller moves the leaderships of brokers that keep acting on the old leader’s metadata). A deposed leader serving the brokers beside it until its check-quorum timeout is real and allowed: it cannot commit. Fails with raftEpochFencing off (voters keep following a deposed leader) and with checkQuorum off (a leader cut off by a network split never resigns, and the brokers on its side are fenced by the new controller while they still follow it). See also committed-metadata-durable.',
    protectedBy: [
      'controller writes conditional on the /controller_epoch znode version, KAFKA-6082 (--no-controller-epoch-fencing)',
      'KRaft: Raft requests fenced by epoch, KIP-595 (--no-raft-epoch-fencing)',
      'KRaft: check quorum, a leader a majority stopped fetching from resigns, KAFKA-15489 (--no-check-quorum)',
    ],
  },
  build: (cfg) => singleControllerFor(cfg),
});

/**
 * `single-controller`: only the controller of the newest controller epoch changes partition state.
 * A deposed controller (a zombie whose ZooKeeper session expired) may still believe it is in charge;
 * controller-epoch fencing (KAFKA-6082) must make every write it attempts fail.
 *
 * KRaft mode: at most one voter becomes quorum leader in any Raft epoch, and a leader of an older epoch
 * never commits metadata once a newer epoch has a leader (KIP-595, `QuorumState` /
 * `LeaderState.maybeUpdateHighWatermark`) — both through the same ghost flag, set by the Raft quorum —
 * and no running broker still takes its metadata from a deposed quorum leader after a controller of a
 * newer Raft epoch has committed its fencing: the split brain of KAFKA-15489, where the new controller
 * fences the brokers beside the cut-off leader (their heartbeats no longer reach it) and moves their
 * leaderships, while they keep acting on the old leader's metadata. A deposed leader serving the brokers
 * beside it for a while is real and harmless (until its check-quorum timeout it cannot commit, so they
 * see no new metadata); check quorum makes it resign before any broker session at the new controller
 * can expire.
 *
 * Whom a broker reaches depends on the configured mechanisms (check quorum), so the property is built
 * for a config; `singleController` is the one for the default mechanisms.
 */
export function singleControllerFor(cfg: ModelConfig): AlwaysProperty<ClusterState> {
  const ctx = { cfg };
  /** A running broker fenced by a newer epoch, still served by a deposed quorum leader: [broker, voter, epoch, fencer epoch]. */
  const staleServed = (s: ClusterState): [number, number, number, number] | undefined => {
    const k = s.kraft;
    // Only a running leader that a newer epoch deposed can serve stale metadata; usually there is none.
    if (!k || !k.voters.some((x) => x.alive && x.role === VOTER_LEADER && newerEpochLed(k, x.epoch))) return undefined;
    for (let b = 0; b < s.brokers.length; b++) {
      if (!s.brokers[b]?.alive) continue;
      const v = quorumLeaderFor(s, ctx, b);
      const x = k.voters[v];
      if (!x || !newerEpochLed(k, x.epoch)) continue;
      const fencer = committedFenceEpoch(k, b);
      if (fencer > x.epoch) return [b, v, x.epoch, fencer];
    }
    return undefined;
  };
  return always(
    singleControllerInfo.id,
    singleControllerInfo.title,
    (s) => !s.ghost.staleControllerWrite && staleServed(s) === undefined,
    (s) => {
      const d = staleServed(s);
      if (!s.ghost.staleControllerWrite && d)
        return `broker b${d[0]} still takes metadata from c${d[1]}, deposed quorum leader of Raft epoch ${d[2]}, after the controller of Raft epoch ${d[3]} fenced it: two controllers rule the brokers (split brain, KAFKA-15489)`;
      return s.kraft
        ? 'two voters led the controller quorum in one Raft epoch, or a deposed quorum leader committed metadata after a newer epoch had a leader'
        : 'a controller with an older controller epoch wrote partition state to ZooKeeper after a newer controller was elected';
    },
  );
}

/**
 * The Raft epoch of the leader that committed broker b's current fencing (the newest committed record
 * about b's registration is a `FenceBrokerRecord`), or -1 when b is not fenced in the committed metadata.
 */
function committedFenceEpoch(k: KRaftState, b: number): number {
  for (let i = k.committed.length - 1; i >= 0; i--) {
    const r = k.committed[i] as MetadataRecord;
    if (r.broker !== b) continue;
    if (r.kind === META_FENCE) return k.committedBy[i] ?? -1;
    if (r.kind === META_UNFENCE) return -1;
    if (r.kind === META_REGISTER) return -1; // a new registration starts fenced, not by a controller's decision
  }
  return -1;
}

/** `single-controller` for the default mechanisms (check quorum on); use `singleControllerFor(cfg)` for others. */
export const singleController: AlwaysProperty<ClusterState> = singleControllerFor(DEFAULT_CONFIG);
