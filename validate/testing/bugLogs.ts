import type { JsonRecord, OutBatch } from '../dumpWriter.js';
import { MIN_ISR_CONFIG, UNCLEAN_CONFIG } from '../kafkaRecords.js';
import {
  featureRecords,
  newPartitionRecord,
  record,
  registerBrokerRecord,
  registrationChangeRecord,
  topicConfigRecord,
} from '../kafkaJson.js';

/**
 * Hand-built metadata logs, one per bug pattern `kafka-mc validate` must flag, each with its fixed twin
 * (the records Kafka writes with the fix), which must conform. Brokers 1, 2, 3; topic `orders` with one
 * partition on [1, 2, 3]. Written to cli/fixtures/validate/ by validate/fixtures.test.ts.
 */

export interface BugLog {
  readonly name: string;
  /** The Kafka ticket or rule, and what the log shows. */
  readonly title: string;
  readonly buggy: readonly OutBatch[];
  readonly fixed: readonly OutBatch[];
  /** [batch, record] of the record that must be flagged, in `buggy`. */
  readonly at: readonly [number, number];
  /** Check ids the flagged record must carry. */
  readonly checks: readonly string[];
}

const TOPIC_ID = 'b3JkZXJzLXRvcGljLWlkAA';
const epochs: Record<number, number> = { 1: 3, 2: 5, 3: 7 };
const register = (b: number, epoch: number): JsonRecord => registerBrokerRecord(b, epoch, `b3JkZXJzLWJyb2tlci0${b}AA`);
const change = (b: number, epoch: number, fenced: number): JsonRecord => registrationChangeRecord(b, epoch, { fenced });
const config = (name: string, value: string): JsonRecord => topicConfigRecord('orders', name, value);
const pc = (elr: boolean, data: Record<string, unknown>): JsonRecord =>
  record('PARTITION_CHANGE_RECORD', elr ? 2 : 0, { partitionId: 0, topicId: TOPIC_ID, ...data });

function bootstrap(elr: boolean, minIsr: number, unclean: boolean): OutBatch {
  const records = featureRecords(elr);
  for (const b of [1, 2, 3]) records.push(register(b, epochs[b] as number), change(b, epochs[b] as number, -1));
  records.push(record('TOPIC_RECORD', 0, { name: 'orders', topicId: TOPIC_ID }));
  records.push(config(MIN_ISR_CONFIG, String(minIsr)), config(UNCLEAN_CONFIG, String(unclean)));
  records.push(newPartitionRecord(elr, TOPIC_ID, 0, [1, 2, 3]));
  return { epoch: 1, records };
}

/** Fences broker b after the partition changes its fencing makes (`handleBrokerFenced`). */
const fence = (b: number, ...changes: JsonRecord[]): OutBatch => ({
  epoch: 1,
  records: [...changes, change(b, epochs[b] as number, 1)],
});

/** ELR on, min ISR 2: 3, 2 and 1 fenced in turn; the ISR is empty, ELR [1, 2], last known leader 1. */
function allFenced(): OutBatch[] {
  return [
    bootstrap(true, 2, false),
    fence(3, pc(true, { isr: [1, 2] })),
    fence(2, pc(true, { isr: [1], eligibleLeaderReplicas: [2] })),
    fence(1, pc(true, { isr: [], leader: -1, eligibleLeaderReplicas: [1, 2], lastKnownElr: [1] })),
  ];
}

function kafka19522(bug: boolean): OutBatch[] {
  const elected = pc(true, { isr: [1], leader: 1, leaderRecoveryState: 1, lastKnownElr: [] });
  return [
    ...allFenced(),
    // brokers 2 and 1 come back from unclean shutdowns: KIP-966 takes them out of the ELR
    { epoch: 1, records: [register(2, 40), pc(true, { eligibleLeaderReplicas: [1] })] },
    { epoch: 1, records: [register(1, 42), pc(true, { eligibleLeaderReplicas: [] })] },
    // broker 2 is unfenced; the last known leader 1 is still fenced (it has not caught up)
    { epoch: 1, records: [change(2, 40, -1), ...(bug ? [elected] : [])] },
  ];
}

function kafka18940(bug: boolean): OutBatch[] {
  const data = { isr: [2], leader: 2, eligibleLeaderReplicas: [1], lastKnownElr: [] };
  return [
    ...allFenced(),
    { epoch: 1, records: [change(2, 5, -1), pc(true, bug ? { ...data, leaderRecoveryState: 1 } : data)] },
  ];
}

function kafka19212(bug: boolean): OutBatch[] {
  const data = { isr: [3], leader: 3 };
  return [
    bootstrap(false, 1, true),
    fence(3, pc(false, { isr: [1, 2] })),
    fence(2, pc(false, { isr: [1] })),
    // the last ISR member stays in the ISR (KIP-841) and the partition has no leader
    fence(1, pc(false, { leader: -1 })),
    { epoch: 1, records: [change(3, 7, -1), pc(false, bug ? data : { ...data, leaderRecoveryState: 1 })] },
  ];
}

function kafka16540(bug: boolean): OutBatch[] {
  return [
    bootstrap(true, 3, false),
    fence(3, pc(true, { isr: [1, 2], eligibleLeaderReplicas: [3] })),
    { epoch: 1, records: [config(MIN_ISR_CONFIG, '2'), ...(bug ? [] : [pc(true, { eligibleLeaderReplicas: [] })])] },
  ];
}

function overlap(bug: boolean): OutBatch[] {
  return [
    bootstrap(true, 3, false),
    fence(3, pc(true, { isr: [1, 2], eligibleLeaderReplicas: [3] })),
    { epoch: 1, records: [change(3, 7, -1)] },
    // leader 1's AlterPartition adds 3 back to the ISR
    { epoch: 1, records: [pc(true, bug ? { isr: [1, 2, 3] } : { isr: [1, 2, 3], eligibleLeaderReplicas: [] })] },
  ];
}

export const BUG_LOGS: readonly BugLog[] = [
  {
    name: 'kafka-19522-fenced-last-known-leader',
    title: 'KAFKA-19522: the last known leader is elected while it is fenced',
    buggy: kafka19522(true),
    fixed: kafka19522(false),
    at: [6, 1],
    checks: ['leader-active', 'isr-members-active', 'controller-conformance'],
  },
  {
    name: 'kafka-18940-elr-election-reported-unclean',
    title: 'KAFKA-18940: a clean election from the ELR is marked as an unclean one (LeaderRecoveryState RECOVERING)',
    buggy: kafka18940(true),
    fixed: kafka18940(false),
    at: [4, 1],
    checks: ['controller-conformance'],
  },
  {
    name: 'kafka-19212-unclean-election-reported-clean',
    title: 'KAFKA-19212: an unclean election is not marked as one (no LeaderRecoveryState RECOVERING)',
    buggy: kafka19212(true),
    fixed: kafka19212(false),
    at: [4, 1],
    checks: ['controller-conformance'],
  },
  {
    name: 'kafka-16540-min-isr-change-keeps-elr',
    title: 'KAFKA-16540: min.insync.replicas is lowered and the ELR is not cleaned',
    buggy: kafka16540(true),
    fixed: kafka16540(false),
    at: [2, 0],
    checks: ['elr-only-below-min-isr'],
  },
  {
    name: 'elr-isr-overlap',
    title: 'KIP-966: a PartitionChangeRecord puts a replica in both the ISR and the ELR',
    buggy: overlap(true),
    fixed: overlap(false),
    at: [3, 0],
    checks: ['isr-elr-disjoint', 'elr-only-below-min-isr', 'controller-conformance'],
  },
];

/** The offset of record `at` ([batch, record]) in `batches`. */
export function offsetOf(batches: readonly OutBatch[], at: readonly [number, number]): number {
  let offset = 0;
  for (let i = 0; i < at[0]; i++) {
    const b = batches[i] as OutBatch;
    offset += b.records === 'leader-change' ? 1 : b.records.length;
  }
  return offset + at[1];
}
