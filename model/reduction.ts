import type { Reduction } from '../checker/index.js';
import type { Action, ActionKind } from './actions.js';
import type { ModelConfig } from './config.js';
import type { ElectionRule } from './election/ElectionRule.js';
import type { ClusterState } from './state.js';

/**
 * Partial-order reduction for the Kafka model (the checker's side, its contract and its soundness
 * argument are in `checker/reduction.ts`).
 *
 * The state component is the network: `split`, written only by `partition-network` and `heal`. The
 * declaration below says, for every action kind, how it uses the network:
 *
 *   none    it never reads `split`;
 *   guard   it reads `split` only to be enabled (a message, fetch or AlterPartition must reach its
 *           peer), so connecting more nodes never disables it, and what it does is the same either way;
 *   effect  what it does, or whether it is enabled, depends on the network otherwise.
 *
 * In a state with a split, `heal` commutes with every action of kind none or guard: heal writes only
 * `split`, which they do not read beyond a guard that healing keeps true, and they do not write it.
 * So when no action of kind `effect` can occur under the configuration, `{heal}` is a persistent set
 * in every state with a split: every action a heal-free path can take is of kind none or guard (a
 * second split cannot start while one stands). It is invisible: no safety property or guard reads
 * `split` (they declare `ignores: ['split']`, checked in `model/reduction.test.ts`). States without a
 * split are expanded fully, and `heal` leads to one, which is the cycle proviso.
 *
 * `partition-network` is skipped (`Reduction.skip`): a state simulates its split successor up to the
 * network. Whatever a split state can do, the same state unsplit can do too (guards only), reaching
 * the same state up to the split and the split budget, which no other step reads and no safety
 * property or guard reads either; a heal needs no step. So no state a property can tell apart is lost,
 * and in practice no split state is reached at all ({heal} above then never comes into play).
 *
 * What it means: in ZooKeeper mode with ZooKeeper reachable from both sides, a split only delays
 * LeaderAndIsr requests, fetches and AlterPartitions, and every behaviour that does anything during a
 * split reaches the same states, after the heal, without it. That rests on the ZooKeeper-mode fetch
 * being what Kafka's is: a fetch that catches a follower up puts the leader in `PendingExpandIsr` and
 * queues its AlterPartition whether or not a controller is reachable (`Partition.prepareIsrExpand`;
 * the answer is the later `expand-isr` step, a guard). Before the model had that state, the fetch
 * expanded the ISR in the same step only if the leader reached the controller, so with three brokers a
 * split that put the controller on the other side left a caught-up follower outside the ISR, a state no
 * split-free interleaving reached; the declaration check found it. That is still the model of Kafka
 * ≤ 2.6, whose leader wrote its ISR change itself (`--no-async-alter-partition`, the presets before
 * kafka-2.x-zk): there, with three or more brokers, the fetch is declared network-dependent and nothing
 * is reduced.
 *
 * `model/reduction.test.ts` checks the declaration where it matters: over the whole reachable state
 * space of ZooKeeper configurations with splits, heal commutes with every action enabled beside it
 * (which, taken over every reachable state with a split, is the persistence the argument needs, and
 * with the split budget read by no other step, the simulation).
 */

/** How an action kind uses the network, under a configuration and election rule. */
export type NetworkUse = { readonly use: 'none' | 'guard' } | { readonly use: 'effect'; readonly why: string };

const NONE: NetworkUse = { use: 'none' };
const GUARD: NetworkUse = { use: 'guard' };

/**
 * ZooKeeper reads and writes (`reachesZk`): never cut off unless `--split-zookeeper`, where a split
 * also expires the sessions of the brokers it cuts off — an action only a split enables.
 */
const zooKeeper = (cfg: ModelConfig): NetworkUse =>
  cfg.splitZooKeeper
    ? {
        use: 'effect',
        why: '--split-zookeeper: a split that cuts brokers off ZooKeeper expires their sessions, an action only the split enables',
      }
    : NONE;

/**
 * An election: the rule's view holds the log answers of the replicas that reach the controller
 * (`buildElectionView`), so it depends on the network unless the rule never reads them.
 */
const election = (_cfg: ModelConfig, rule: ElectionRule): NetworkUse =>
  rule.readsReplicaLogs === false
    ? NONE
    : {
        use: 'effect',
        why: `the election rule "${rule.name}" may read view.replicaLogs, the answers of the replicas that reach the controller (a rule declares readsReplicaLogs: false when it does not)`,
      };

/**
 * A fetch must reach the leader (`fetchTarget`). With KIP-497's asynchronous AlterPartition the expansion
 * a catching-up fetch triggers is queued whatever the network, and only its answer (`expand-isr`) needs
 * the controller. Without it (Kafka ≤ 2.6) the fetch expands the ISR in the same step only if the leader
 * reaches the controller: with a third broker a split can cut a leader and its follower off the
 * controller, and then the heal changes what the fetch does (model/reduction.test.ts finds exactly
 * this). With two, a split that cuts the leader off the controller cuts it off the only follower too.
 */
const fetchUse = (cfg: ModelConfig): NetworkUse =>
  cfg.mode === 'kraft'
    ? quorum
    : cfg.mechanisms.asyncAlterPartition || cfg.brokers <= 2
      ? GUARD
      : {
          use: 'effect',
          why: `without asynchronous AlterPartition (--no-async-alter-partition, Kafka ≤ 2.6) and with ${cfg.brokers} brokers, a split can cut a leader and its follower off the controller, and a fetch that catches the follower up expands the ISR only when the leader reaches the controller (alterPartitionTarget)`,
        };

const quorum: NetworkUse = {
  use: 'effect',
  why: 'KRaft mode: a broker takes its metadata from the newest quorum leader it reaches (quorumLeaderFor), and Raft timeouts and check quorum depend on who reaches whom',
};

type Use = NetworkUse | ((cfg: ModelConfig, rule: ElectionRule) => NetworkUse);

/** How each action kind uses the network (see the module comment); each entry says why. */
export const NETWORK_USE: Readonly<Record<ActionKind, Use>> = {
  // ZooKeeper-mode control plane: ZooKeeper's /controller, /brokers/ids and partition znodes
  'elect-controller': zooKeeper,
  'resign-controller': zooKeeper,
  'observe-brokers': zooKeeper,
  'remove-from-isr': zooKeeper,
  // elections (ZooKeeper and admin): the rule's view
  'elect-leader': election,
  'leader-election': election,
  'auto-rebalance': election,
  'controlled-shutdown': election,
  // a LeaderAndIsr request is delivered when the addressee runs and its controller reaches it (canDeliver)
  deliver: GUARD,
  // a projected cluster's environment (model/projection.ts): no peer is involved
  'other-partition-request': NONE,
  'other-partition-on-wire': NONE,
  'other-partition-record': quorum,
  // the data plane: a client produce reaches the leader's broker (clients are not split off); a fetch must
  // reach the leader (fetchTarget), and in ZooKeeper mode the expansion it triggers is queued whatever the
  // network (`queuesAlterPartition`), while in KRaft mode it is sent only if a quorum controller takes it;
  // an AlterPartition must reach the controller (alterPartitionTarget)
  produce: NONE,
  fetch: fetchUse,
  'shrink-isr': GUARD,
  'expand-isr': GUARD,
  flush: NONE,
  'checkpoint-hw': NONE,
  // faults: a process crash, a restart and a message loss touch no link; a session expiry is a budgeted
  // fault unless ZooKeeper can be split off
  crash: NONE,
  'unclean-shutdown': NONE,
  restart: NONE,
  drop: NONE,
  'expire-session': zooKeeper,
  reconnect: zooKeeper,
  // the network itself: a split starts only while none stands, so it never follows a split state
  'partition-network': NONE,
  heal: NONE,
  // KRaft
  'raft-timeout': quorum,
  'raft-vote': quorum,
  'raft-replicate': quorum,
  'raft-resign': quorum,
  'register-broker': quorum,
  'fence-broker': quorum,
  'unfence-broker': quorum,
  'fetch-metadata': quorum,
  'crash-voter': quorum,
  'restart-voter': quorum,
};

/** The action kinds a configuration can take (KRaft-only kinds in KRaft mode, ZooKeeper-only in ZooKeeper mode). */
const KRAFT_ONLY: ReadonlySet<ActionKind> = new Set<ActionKind>([
  'raft-timeout',
  'raft-vote',
  'raft-replicate',
  'raft-resign',
  'register-broker',
  'fence-broker',
  'unfence-broker',
  'fetch-metadata',
  'crash-voter',
  'restart-voter',
  'other-partition-record',
]);
const ZK_ONLY: ReadonlySet<ActionKind> = new Set<ActionKind>([
  'elect-controller',
  'resign-controller',
  'observe-brokers',
  'elect-leader',
  'remove-from-isr',
  'deliver',
  'other-partition-request',
  'other-partition-on-wire',
  'expire-session',
  'reconnect',
  'drop',
]);

/** The first action kind of this configuration whose network use is `effect`, with why; undefined when none. */
export function networkDependence(cfg: ModelConfig, rule: ElectionRule): string | undefined {
  const skip = cfg.mode === 'kraft' ? ZK_ONLY : KRAFT_ONLY;
  for (const [kind, use] of Object.entries(NETWORK_USE) as [ActionKind, Use][]) {
    if (skip.has(kind)) continue;
    const u = typeof use === 'function' ? use(cfg, rule) : use;
    if (u.use === 'effect') return `${kind}: ${u.why}`;
  }
  return undefined;
}

/** The state components splits and heals write, as properties name them in `ignores`: the split itself, and the split budget. */
export const NETWORK = 'split';
export const NETWORK_BUDGET = 'split-budget';

/** The Kafka model's reduction: `{heal}` in a state with a split, when the configuration allows it. */
export function kafkaReduction(cfg: ModelConfig, rule: ElectionRule): Reduction<ClusterState, Action> {
  const dependent = networkDependence(cfg, rule);
  const unavailable =
    dependent !== undefined
      ? `healing a split is not independent: ${dependent}`
      : cfg.faults.networkPartitions === 0
        ? 'no network split in the fault budget (--max-partitions 0): nothing to reduce'
        : undefined;
  return {
    writes: [NETWORK, NETWORK_BUDGET],
    summary:
      'network splits are not explored: in ZooKeeper mode every step uses the network only as a guard (a request, fetch or AlterPartition must reach its peer), so a split only delays what other interleavings already order, and a standing split is healed first',
    ...(unavailable !== undefined ? { unavailable } : {}),
    persistent(s, acts) {
      if (s.split === 0) return undefined;
      for (let i = acts.length - 1; i >= 0; i--) if ((acts[i] as Action).kind === 'heal') return [i];
      return undefined;
    },
    fullyExpands: (s) => s.split === 0,
    skip: (a) => a.kind === 'partition-network',
  };
}
