import { describe, expect, it } from 'vitest';
import { DumpParseError, parseDumpLog } from './parseDumpLog.js';

const BATCH = (base: number, last: number, epoch: number, control = false): string =>
  `baseOffset: ${base} lastOffset: ${last} count: ${last - base + 1} baseSequence: -1 lastSequence: -1 producerId: -1 producerEpoch: -1 partitionLeaderEpoch: ${epoch} isTransactional: false isControl: ${control} deleteHorizonMs: OptionalLong.empty position: 0 CreateTime: 1 size: 100 magic: 2 compresscodec: none crc: 1 isvalid: true`;
const REC = (offset: number, payload: string): string =>
  `| offset: ${offset} CreateTime: 1 keySize: -1 valueSize: 30 sequence: -1 headerKeys: [] payload: ${payload}`;
const TOPIC = '{"type":"TOPIC_RECORD","version":0,"data":{"name":"t","topicId":"AAAAAAAAAAAAAAAAAAAAAQ"}}';

function errorOf(text: string): DumpParseError {
  try {
    parseDumpLog(text);
  } catch (e) {
    if (e instanceof DumpParseError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('parseDumpLog', () => {
  it('reads batch lines, record lines and control records as DumpLogSegments prints them', () => {
    const d = parseDumpLog(
      [
        'Dumping /var/kafka/__cluster_metadata-0/00000000000000000000.log',
        'Log starting offset: 0',
        BATCH(0, 0, 3, true),
        '| offset: 0 CreateTime: 1 keySize: 4 valueSize: 19 sequence: -1 headerKeys: [] controlType: LEADER_CHANGE(2)',
        BATCH(1, 2, 3),
        REC(1, TOPIC),
        REC(2, '{"type":"FEATURE_LEVEL_RECORD","version":0,"data":{"name":"metadata.version","featureLevel":21}}'),
      ].join('\n'),
    );
    expect(d.batches.map((b) => [b.baseOffset, b.epoch, b.isControl])).toEqual([
      [0, 3, true],
      [1, 3, false],
    ]);
    expect(d.entries.map((e) => [e.offset, e.line, e.batch, e.record.type])).toEqual([
      [1, 6, 1, 'TOPIC_RECORD'],
      [2, 7, 1, 'FEATURE_LEVEL_RECORD'],
    ]);
    expect(d.leaderChanges).toBe(1);
    expect(d.skipped).toEqual([]);
  });

  it('reads a snapshot dump (.checkpoint): header, KRaft control records, then full-state records', () => {
    const d = parseDumpLog(
      [
        'Dumping /var/kafka/__cluster_metadata-0/00000000000000000412-0000000003.checkpoint',
        'Snapshot end offset: 412, epoch: 3',
        BATCH(0, 0, 3, true),
        '| offset: 0 CreateTime: 1 keySize: 4 valueSize: 11 sequence: -1 headerKeys: [] SnapshotHeader {"version":0,"lastContainedLogTimestamp":10000}',
        '| offset: 1 CreateTime: 1 keySize: 4 valueSize: 5 sequence: -1 headerKeys: [] KRaftVersion {"version":0,"kRaftVersion":1}',
        BATCH(2, 2, 3),
        REC(2, TOPIC),
        BATCH(3, 3, 3, true),
        '| offset: 3 CreateTime: 1 keySize: 4 valueSize: 9 sequence: -1 headerKeys: [] SnapshotFooter {"version":0}',
      ].join('\n'),
    );
    expect([d.controlRecords, d.leaderChanges, d.entries.length, d.skipped.length]).toEqual([3, 0, 1, 0]);
  });

  it('numbers records from the batch base offset under --skip-record-metadata', () => {
    const d = parseDumpLog([BATCH(40, 41, 2), ` payload: ${TOPIC}`, ` payload: ${TOPIC}`].join('\n'));
    expect(d.entries.map((e) => e.offset)).toEqual([40, 41]);
  });

  it('reports unknown types, unknown versions and records the tool could not decode, and skips them', () => {
    const d = parseDumpLog(
      [
        BATCH(0, 3, 1),
        REC(0, '{"type":"SHINY_NEW_RECORD","version":0,"data":{}}'),
        REC(1, '{"type":"PARTITION_CHANGE_RECORD","version":9,"data":{}}'),
        REC(2, 'Error at 2, skipping. Unknown metadata id 99'),
        REC(3, TOPIC),
        REC(4, '{"type":"PRODUCER_IDS_RECORD","version":0,"data":{}}'),
      ].join('\n'),
    );
    expect(d.skipped.map((s) => s.what)).toEqual([
      'unknown record type SHINY_NEW_RECORD v0',
      'PARTITION_CHANGE_RECORD version 9 (known: 0-2)',
      'undecodable record (Error at 2, skipping. Unknown metadata id 99)',
    ]);
    expect(d.entries.map((e) => e.offset)).toEqual([3]);
  });

  it('reads tagged fields at their defaults as absent (PartitionChangeRecord: no change)', () => {
    const d = parseDumpLog(
      REC(0, '{"type":"PARTITION_CHANGE_RECORD","version":0,"data":{"partitionId":0,"topicId":"x"}}'),
    );
    expect(d.entries[0]?.record).toEqual({
      type: 'PARTITION_CHANGE_RECORD',
      partitionId: 0,
      topicId: 'x',
      isr: null,
      leader: -2,
      replicas: null,
      leaderRecoveryState: -1,
      eligibleLeaderReplicas: null,
      lastKnownElr: null,
    });
  });

  it('names the line of a damaged input', () => {
    expect(errorOf([BATCH(0, 0, 1), REC(0, TOPIC), 'garbage here'].join('\n')).lineNumber).toBe(3);
    const cut = errorOf([BATCH(0, 0, 1), REC(0, '{"type":"TOPIC_RECORD","vers')].join('\n'));
    expect(cut.message).toMatch(/^line 2: the payload of offset 0 is not JSON .*is the line cut short\?$/);
    const shape = errorOf(
      REC(7, '{"type":"PARTITION_RECORD","version":0,"data":{"partitionId":0,"topicId":"x","replicas":"1,2"}}'),
    );
    expect(shape.message).toBe(
      'line 1: PARTITION_RECORD at offset 7: field "replicas" must be a list of broker ids, got "1,2"',
    );
    expect(errorOf('Dumping x.log\nLog starting offset: 0\n').message).toMatch(/no metadata records found/);
  });
});
