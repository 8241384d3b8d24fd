/** What `kafka-mc explain <property>` prints beyond the property's id, title and kind. */
export interface PropertyDoc {
  /** The Kafka invariant in prose. */
  readonly invariant: string;
  /** The mechanisms that protect it, each with the flag that turns it off. */
  readonly protectedBy: readonly string[];
  /** How to see it fail (a command line). */
  readonly seeItFail?: string;
}

/**
 * Documentation of the built-in properties, by id. A property without an entry is still explained by
 * its title and kind.
 */
export const PROPERTY_DOCS: Readonly<Record<string, PropertyDoc>> = {
  'single-leader': {
    invariant:
      'For every partition and leader epoch at most one live broker acts as leader. A deposed leader may still believe it leads in an OLDER epoch (fencing and the ISR protect the data then), but two leaders in the SAME epoch mean the controller elected twice for one epoch and no fencing can tell them apart.',
    protectedBy: [
      'leader epochs bumped on every election and written conditionally to ZooKeeper (--no-zk-version-check)',
      'controller-epoch fencing of zombie controllers, KAFKA-6082 (--no-controller-epoch-fencing)',
      'brokers apply LeaderAndIsr only with a newer leader epoch (--no-leader-epoch-fencing)',
    ],
  },
  'no-data-loss': {
    invariant:
      'A record acknowledged to the producer is in the log of every later leader at the offset where it was acknowledged. Once a leader lacks an acknowledged record, followers truncate to match it and the record is gone from the partition.',
    protectedBy: [
      'acks=all with min.insync.replicas: a record is acknowledged only once the ISR has it (--acks 1 weakens it)',
      'clean elections choose only ISR members (--unclean-leader-election, --no-isr-only-election)',
      'truncation by leader epoch, KIP-101/KIP-279 (--truncation hw)',
      'fetch fencing by leader epoch, KIP-320 (--no-fetch-epoch-fencing)',
      'a follower rejoins the ISR only at the current leader epoch, KAFKA-7128 (--no-isr-join-requires-current-epoch)',
      'the high watermark waits for min.insync.replicas, KAFKA-15583 (--no-strict-min-isr)',
    ],
    seeItFail:
      'kafka-mc check --property no-data-loss --acks 1 --max-records 1 --max-leader-epochs 2 --max-partitions 0',
  },
  'log-matching': {
    invariant:
      'Replicas never build on different histories. A follower that has reconciled its log with its leader (truncated once, on becoming follower) holds the leader’s record at every offset both have, and any two replicas holding the same record at an offset hold the same records below it: a record is written once on top of its leader’s log and copied by fetching from where the copier’s log ends.',
    protectedBy: [
      'truncation by leader epoch, KIP-101/KIP-279 (--truncation hw)',
      'fetch fencing by leader epoch, KIP-320 (--no-fetch-epoch-fencing)',
      'a new leader epoch for every leader change, including a bounced leader (KIP-380)',
    ],
    seeItFail: 'kafka-mc catalog run kip-101-divergence',
  },
  'single-controller': {
    invariant:
      'Only the controller of the newest controller epoch changes partition state. A deposed controller (a zombie whose ZooKeeper session expired) may still believe it is in charge; every write it attempts must fail. KRaft mode: at most one quorum leader per Raft epoch, no deposed leader commits metadata, and no broker takes metadata from a deposed leader (the split brain of KAFKA-15489).',
    protectedBy: [
      'controller writes conditional on the /controller_epoch znode version, KAFKA-6082 (--no-controller-epoch-fencing)',
      'KRaft: Raft requests fenced by epoch, KIP-595 (--no-raft-epoch-fencing)',
      'KRaft: check quorum, a leader a majority stopped fetching from resigns, KAFKA-15489 (--no-check-quorum)',
    ],
  },
  'failover-happens': {
    invariant:
      'Reachability guard: some behaviour makes a broker other than the preferred replica leader. If no state reaches it, a passing safety check says nothing about failover.',
    protectedBy: [
      'needs a fault budget: --max-crashes, --max-unclean-shutdowns, --max-session-expiries or --max-partitions',
    ],
  },
  'isr-shrinks': {
    invariant:
      'Reachability guard: some partition’s ISR in ZooKeeper becomes smaller than its replica set, so ISR handling is exercised.',
    protectedBy: ['needs a fault or lag: any fault budget, or a follower that stops fetching'],
  },
  'record-acked': {
    invariant: 'Reachability guard: a producer receives an acknowledgement. Without it no-data-loss holds vacuously.',
    protectedBy: ['needs --max-records ≥ 1 and an ISR of at least min.insync.replicas'],
  },
};
