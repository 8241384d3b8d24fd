import { always, type AlwaysProperty } from '../checker/index.js';
import type { ClusterState, ModelConfig } from '../model/index.js';
import { DEFAULT_CONFIG, VOTER_LEADER, newerEpochLed, quorumLeaderFor } from '../model/index.js';

/**
 * `single-controller`: only the controller of the newest controller epoch changes partition state.
 * A deposed controller (a zombie whose ZooKeeper session expired) may still believe it is in charge;
 * controller-epoch fencing (KAFKA-6082) must make every write it attempts fail.
 *
 * KRaft mode: at most one voter becomes quorum leader in any Raft epoch, and a leader of an older epoch
 * never commits metadata once a newer epoch has a leader (KIP-595, `QuorumState` /
 * `LeaderState.maybeUpdateHighWatermark`) — both through the same ghost flag, set by the Raft quorum —
 * and no running broker takes metadata from, or sends requests to, a quorum leader of an older epoch
 * once a newer epoch has a leader: the split brain of KAFKA-15489, where brokers on the deposed
 * leader's side of a network split keep its stale metadata. Check quorum prevents it by making a leader
 * that a majority no longer fetches from resign (in the model before anything else times out, since it
 * does not tell a 3 s cut from a longer one).
 *
 * Whom a broker reaches depends on the configured mechanisms (check quorum), so the property is built
 * for a config; `singleController` is the one for the default mechanisms.
 */
export function singleControllerFor(cfg: ModelConfig): AlwaysProperty<ClusterState> {
  const ctx = { cfg };
  /** A running broker served by a quorum leader of an older Raft epoch than one that had a leader: [broker, voter, epoch]. */
  const staleServed = (s: ClusterState): [number, number, number] | undefined => {
    const k = s.kraft;
    // Only a running leader that a newer epoch deposed can serve stale metadata; usually there is none.
    if (!k || !k.voters.some((x) => x.alive && x.role === VOTER_LEADER && newerEpochLed(k, x.epoch))) return undefined;
    for (let b = 0; b < s.brokers.length; b++) {
      if (!s.brokers[b]?.alive) continue;
      const v = quorumLeaderFor(s, ctx, b);
      const x = k.voters[v];
      if (x && newerEpochLed(k, x.epoch)) return [b, v, x.epoch];
    }
    return undefined;
  };
  return always(
    'single-controller',
    'Only the controller of the newest controller epoch changes partition state',
    (s) => !s.ghost.staleControllerWrite && staleServed(s) === undefined,
    (s) => {
      const d = staleServed(s);
      if (!s.ghost.staleControllerWrite && d)
        return `broker b${d[0]} takes metadata from and sends its requests to c${d[1]}, quorum leader of Raft epoch ${d[2]}, after a newer epoch elected a leader: two controllers serve brokers (split brain, KAFKA-15489)`;
      return s.kraft
        ? 'two voters led the controller quorum in one Raft epoch, or a deposed quorum leader committed metadata after a newer epoch had a leader'
        : 'a controller with an older controller epoch wrote partition state to ZooKeeper after a newer controller was elected';
    },
  );
}

/** `single-controller` for the default mechanisms (check quorum on); use `singleControllerFor(cfg)` for others. */
export const singleController: AlwaysProperty<ClusterState> = singleControllerFor(DEFAULT_CONFIG);
