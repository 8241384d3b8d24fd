import { describe, expect, it } from 'vitest';
import type { OutBatch } from './dumpWriter.js';
import { formatDump } from './dumpWriter.js';
import {
  featureRecords,
  newPartitionRecord,
  record,
  registerBrokerRecord,
  registrationChangeRecord,
  topicConfigRecord,
} from './kafkaJson.js';
import { parseDumpLog } from './parseDumpLog.js';
import { validateLog } from './validateLog.js';

const T = 'dGVzdC10b3BpYy1pZC0wMA';
const pc = (p: number, data: Record<string, unknown>) =>
  record('PARTITION_CHANGE_RECORD', 0, { partitionId: p, topicId: T, ...data });
/** ELR off; brokers 1, 2, 3 (epochs 11, 12, 13); topic `t`, partitions 0 on [1, 2, 3] and 1 on [2, 3, 1]. */
const BOOT: OutBatch = {
  epoch: 1,
  records: [
    ...featureRecords(false),
    ...[1, 2, 3].flatMap((b) => [
      registerBrokerRecord(b, 10 + b, `aW5jYXJuYXRpb24tLS0tL${b}`),
      registrationChangeRecord(b, 10 + b, { fenced: -1 }),
    ]),
    record('TOPIC_RECORD', 0, { name: 't', topicId: T }),
    topicConfigRecord('t', 'min.insync.replicas', '2'),
    newPartitionRecord(false, T, 0, [1, 2, 3]),
    newPartitionRecord(false, T, 1, [2, 3, 1]),
  ],
};
const run = (...batches: OutBatch[]) => validateLog(parseDumpLog(formatDump([BOOT, ...batches])));

describe('validateLog', () => {
  it('a verdict per partition; the first finding is the lowest offset over all partitions', () => {
    const r = run(
      // fencing broker 1: t-0 moves to 2 (as Kafka elects), t-1 drops 1 from its ISR
      {
        epoch: 1,
        records: [
          pc(0, { leader: 2, isr: [2, 3] }),
          pc(1, { isr: [2, 3] }),
          registrationChangeRecord(1, 11, { fenced: 1 }),
        ],
      },
      // an AlterPartition that drops the leader itself from t-1's ISR
      { epoch: 1, records: [pc(1, { isr: [3] })] },
    );
    expect(r.partitions.map((p) => [p.partition, p.verdict, p.changes])).toEqual([
      ['t-0', 'conforms', 1],
      ['t-1', 'violation', 2],
    ]);
    expect(r.first.map((f) => [f.offset, f.check])).toEqual([
      [14, 'controller-conformance'],
      [14, 'leader-in-isr'],
    ]);
  });

  it('a state broken at the end of a batch is blamed on the partition change, not on the fencing after it', () => {
    // fencing the leader 1 of t-0 but leaving it leader and in the ISR: the change at offset 11 is at fault
    const r = run({ epoch: 1, records: [pc(0, { isr: [1, 2] }), registrationChangeRecord(1, 11, { fenced: 1 })] });
    expect(r.partitions.find((p) => p.partition === 't-0')?.findings.map((f) => [f.offset, f.check])).toEqual([
      [11, 'controller-conformance'],
      [11, 'leader-active'],
      [11, 'isr-members-active'],
    ]);
  });

  it('fencing a follower without taking it out of the ISR is flagged at the fencing record', () => {
    const r = run({ epoch: 1, records: [registrationChangeRecord(3, 13, { fenced: 1 })] });
    expect(r.first.map((f) => [f.offset, f.check, f.partition])).toEqual([
      [11, 'isr-members-active', 't-0'],
      [11, 'isr-members-active', 't-1'],
    ]);
  });
});
