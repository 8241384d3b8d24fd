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
export interface ElectionView {
  /** Why the election runs. */
  readonly reason: 'offline' | 'preferred' | 'controlled-shutdown';
  readonly partition: number;
  /** Replica list in assignment order; the first is the preferred replica. */
  readonly assignment: readonly number[];
  /** ISR as the controller knows it, in assignment order. */
  readonly isr: readonly number[];
  /** Replicas the controller considers live, in assignment order (excludes a broker shutting down). */
  readonly live: readonly number[];
  /** The current leader, or -1. */
  readonly currentLeader: number;
  /** `unclean.leader.election.enable` for this topic. */
  readonly uncleanEnabled: boolean;
  /** Each replica's log end offset as last reported (what an "unclean recovery" rule may use), by broker id. */
  readonly logEndOffsets: readonly number[];
}

export interface ElectionRule {
  /** Kebab-case id used on the command line. */
  readonly name: string;
  /** One line. */
  readonly description: string;
  /**
   * Brokers that may become leader, a subset of `view.live`; empty = the partition stays offline.
   * Must be pure and deterministic.
   */
  eligibleLeaders(view: ElectionView): readonly number[];
  /** Property ids this rule is known to violate (the rule lab checks that each is found). */
  readonly expectedViolations?: readonly string[];
}
