/**
 * An election rule decides which replicas a controller may make leader of a partition. The model
 * branches over every broker the rule returns, so the checker explores each choice.
 *
 * A rule is a plain object; a user's rule file exports one (see the README):
 *
 * ```ts
 * import type { ElectionRule } from 'kafka-mc/rule';
 * export default { name: 'longest-log', description: '…', eligibleLeaders: (v) => … } satisfies ElectionRule;
 * ```
 */

/**
 * Why an election runs, named after Kafka's election strategies (ZooKeeper mode:
 * `PartitionLeaderElectionStrategy` in `PartitionStateMachine`; KRaft: `PartitionChangeBuilder.Election`):
 * - `offline`: the leader died or was fenced (`OfflinePartitionLeaderElectionStrategy`, `Election.ONLINE`);
 * - `controlled-shutdown`: the leader is shutting down cleanly and is excluded from `live`
 *   (`ControlledShutdownPartitionLeaderElectionStrategy`, KRaft `handleBrokerInControlledShutdown`);
 * - `preferred`: an admin's `kafka-leader-election.sh --election-type PREFERRED` or the auto rebalance
 *   (`PreferredReplicaPartitionLeaderElectionStrategy`, `Election.PREFERRED`);
 * - `unclean`: an admin's `kafka-leader-election.sh --election-type UNCLEAN` for a leaderless partition
 *   (`OfflinePartitionLeaderElectionStrategy(allowUnclean = true)`, `Election.UNCLEAN`); `uncleanEnabled`
 *   is true in its view.
 */
export type ElectionReason = 'offline' | 'controlled-shutdown' | 'preferred' | 'unclean';

/** Every election reason, in a fixed order. */
export const ELECTION_REASONS: readonly ElectionReason[] = ['offline', 'controlled-shutdown', 'preferred', 'unclean'];

/**
 * What a live replica answers when the controller asks for its log (KIP-966's unclean recovery asks the
 * live replicas with `GetReplicaLogInfo`): its log end offset and the leader epoch of its last record.
 */
export interface ReplicaLogInfo {
  readonly broker: number;
  readonly logEndOffset: number;
  /** Leader epoch of the last record, or -1 for an empty log. */
  readonly lastEpoch: number;
}

/**
 * Everything a rule sees, and only what the controller knows: a frozen object built from the
 * controller's own state (ZooKeeper mode: `ControllerContext` and the partition state it reads from
 * ZooKeeper; KRaft: the controller's metadata image). Kafka's controller does not know replicas' log
 * end offsets; `replicaLogs` holds the answers of a live query and so lists only brokers that answer —
 * running, reachable from the controller, and live in its view. A stopped broker's log, or a
 * partitioned one's, is not in the view.
 */
export interface ElectionView {
  /** Why the election runs. */
  readonly reason: ElectionReason;
  readonly partition: number;
  /** Replica list in assignment order; the first is the preferred replica. */
  readonly assignment: readonly number[];
  /** ISR as the controller knows it (KRaft: the ELR when the ISR is empty), in assignment order. */
  readonly isr: readonly number[];
  /** Replicas the controller considers live, in assignment order (excludes a broker shutting down). */
  readonly live: readonly number[];
  /** The current leader, or -1. */
  readonly currentLeader: number;
  /** `unclean.leader.election.enable` for this topic (true for an admin UNCLEAN election). */
  readonly uncleanEnabled: boolean;
  /** The live replicas' answers to a log query (KIP-966 `GetReplicaLogInfo`), in assignment order. */
  readonly replicaLogs: readonly ReplicaLogInfo[];
}

export interface ElectionRule {
  /** Kebab-case id used on the command line. */
  readonly name: string;
  /** One line. */
  readonly description: string;
  /**
   * Brokers that may become leader, a subset of `view.live`; empty = no leader is elected.
   * Must be pure and deterministic.
   */
  eligibleLeaders(view: ElectionView): readonly number[];
  /**
   * The election reasons this rule decides (default: every reason). For the others the controller
   * runs Kafka's own algorithm for that reason (the built-in `clean` rule).
   */
  readonly reasons?: readonly ElectionReason[];
  /**
   * Whether `eligibleLeaders` reads `view.replicaLogs` (default: assumed true). Those answers depend on
   * who reaches the controller, so only a rule that declares `false` lets partial-order reduction treat
   * healing a network split as independent of elections (`model/reduction.ts`). The declaration is
   * enforced: such a rule gets a `replicaLogs` that throws a `RuleError` when read.
   */
  readonly readsReplicaLogs?: boolean;
  /** Property ids this rule is known to violate (the rule lab checks that each is found). */
  readonly expectedViolations?: readonly string[];
}
