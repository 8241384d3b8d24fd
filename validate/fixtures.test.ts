import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectGolden } from '../checker/testing/golden.js';
import { loadTrace, traceStates } from '../traces/index.js';
import type { ClusterState } from '../model/index.js';
import { formatDump } from './dumpWriter.js';
import { exportMetadataText } from './exportMetadata.js';
import { record } from './kafkaJson.js';
import { DumpParseError, parseDumpLog } from './parseDumpLog.js';
import { readSnapshot } from './snapshot.js';
import { BUG_LOGS, offsetOf } from './testing/bugLogs.js';
import { kraftWalkConfig, walkEnds } from './testing/walks.js';
import { validateLog } from './validateLog.js';

const FIXTURES = new URL('../cli/fixtures/validate/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, FIXTURES), 'utf8');
const validateFile = (name: string): ReturnType<typeof validateLog> => validateLog(parseDumpLog(read(name)));

describe('hand-built logs, one per bug pattern (cli/fixtures/validate/)', () => {
  for (const bug of BUG_LOGS) {
    it(`${bug.name}: flagged at offset ${offsetOf(bug.buggy, bug.at)} (${bug.checks.join(', ')}); its fixed twin conforms`, () => {
      expectGolden(new URL(`${bug.name}.txt`, FIXTURES), formatDump(bug.buggy));
      expectGolden(new URL(`${bug.name}.fixed.txt`, FIXTURES), formatDump(bug.fixed));
      const r = validateFile(`${bug.name}.txt`);
      expect(r.verdict).toBe('violation');
      expect(r.first.map((f) => f.offset)[0]).toBe(offsetOf(bug.buggy, bug.at));
      expect(r.first.map((f) => f.check).sort()).toEqual([...bug.checks].sort());
      expect(validateFile(`${bug.name}.fixed.txt`).verdict).toBe('conforms');
    });
  }

  it('says what it expected, in Kafka words (KAFKA-19522)', () => {
    const r = validateFile('kafka-19522-fenced-last-known-leader.txt');
    const conf = r.first.find((f) => f.check === 'controller-conformance');
    expect(conf?.before).toBe('leader -1, ISR [], ELR [], last known ELR [1]');
    expect(conf?.found).toBe('leader 1, ISR [1], ELR [], last known ELR [] (LeaderRecoveryState RECOVERING)');
    expect(conf?.expected).toEqual([
      'on the controller re-electing after the batch unfences broker 2: no record (nothing changes)',
      'on a preferred leader election: no record (nothing changes)',
    ]);
    expect(conf?.message).toMatch(/KAFKA-19522/);
  });
});

describe('real dump-log excerpts (cli/fixtures/validate/real/)', () => {
  it("DumpLogSegmentsTest's metadata records: read, the change of an unknown topic skipped, nothing violated", () => {
    const r = validateFile('real/dumplogsegmentstest-metadata-records.txt');
    expect([r.records, r.batches, r.partitions.length, r.verdict]).toEqual([4, 1, 0, 'conforms']);
    expect(r.skipped.map((s) => [s.offset, s.what.split(':')[0]])).toEqual([
      [3, 'PARTITION_CHANGE_RECORD not applied'],
    ]);
    expect(r.warnings).toEqual([
      expect.stringMatching(/^1 record\(s\) name a broker, topic or partition the dump never created/),
    ]);
  });

  it('the snapshot dump of KAFKA-13845 (PR 12084): every line is read; it holds no metadata record', () => {
    expect(() => parseDumpLog(read('real/kafka-13845-snapshot-excerpt.txt'))).toThrow(DumpParseError);
    expect(() => parseDumpLog(read('real/kafka-13845-snapshot-excerpt.txt'))).toThrow(/no metadata records found/);
    // as a --snapshot, the same: the excerpt stops before the records
    expect(() => readSnapshot(read('real/kafka-13845-snapshot-excerpt.txt'))).toThrow(/no metadata records found/);
  });
});

describe('real snapshot output (cli/fixtures/validate/real/)', () => {
  const SNAPSHOT = 'real/dumplogsegmentstest-metadata-snapshot.txt';

  it("DumpLogSegmentsTest's snapshot dump: end offset, header, KRaft version and voters, footer read", () => {
    const d = parseDumpLog(read(SNAPSHOT));
    expect(d.snapshot).toEqual({ ends: [{ offset: 0, epoch: 0, line: 2 }], headerLine: 4, footerLine: 13 });
    expect([d.controlRecords, d.batches.map((b) => [b.baseOffset, b.lastOffset, b.isControl])]).toEqual([
      4,
      [
        [0, 2, true],
        [3, 6, false],
        [7, 7, true],
      ],
    ]);
    expect(d.entries.map((e) => [e.offset, e.record.type])).toEqual([
      [3, 'REGISTER_BROKER_RECORD'],
      [4, 'REGISTER_BROKER_RECORD'],
      [5, 'TOPIC_RECORD'],
      [6, 'PARTITION_CHANGE_RECORD'],
    ]);
  });

  it('as a --snapshot it is refused at its PartitionChangeRecord, which names a topic the snapshot never created', () => {
    expect(() => readSnapshot(read(SNAPSHOT))).toThrow(
      /^line 11: PARTITION_CHANGE_RECORD in the snapshot: PartitionChangeRecord for partition 0 of topic id Xr5xR0hYQ3GZ0c2h1Yb0ZQ, which no PartitionRecord created$/,
    );
    // --skip-record-metadata: no record or control-record lines, the batches and payloads are still read
    const skip = parseDumpLog(read('real/dumplogsegmentstest-metadata-snapshot.skip-record-metadata.txt'));
    expect([skip.snapshot, skip.entries.map((e) => e.offset)]).toEqual([
      { ends: [{ offset: 0, epoch: 0, line: 2 }] },
      [3, 4, 5, 6],
    ]);
  });

  it("kafka-metadata-shell's tree of the image-node tests' broker and partition: read, and its invariants checked", () => {
    const shell = read('real/image-node-tests.metadata-shell.txt');
    const s = readSnapshot(shell, 100);
    expect(s.format).toBe('kafka-metadata-shell');
    expect([...s.cluster.brokers.values()]).toEqual([
      { id: 1, epoch: 1001, fenced: false, inControlledShutdown: false },
    ]);
    expect([...s.cluster.partitions.values()]).toEqual([
      {
        topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
        name: 'topic-image-node-test-topic-0',
        topic: 'topic-image-node-test-topic',
        partitionId: 0,
        replicas: [2, 3, 4],
        isr: [2, 3],
        elr: [],
        lastKnownElr: [],
        leader: 2,
        leaderEpoch: 1,
        partitionEpoch: 345,
        leaderRecoveryState: 0,
      },
    ]);
    expect([...s.cluster.features]).toEqual([['metadata.version', 1]]);
    expect(s.epoch).toBe(-1);
    // the two tests' images are not one cluster: the partition's replicas are not registered brokers
    const tail = formatDump(
      [{ epoch: 1, records: [record('FEATURE_LEVEL_RECORD', 0, { name: 'metadata.version', featureLevel: 1 })] }],
      undefined,
      100,
    );
    const r = validateLog(parseDumpLog(tail), { snapshot: s });
    expect(r.first.map((f) => [f.offset, f.line, f.check, f.message])).toEqual([
      [99, 35, 'leader-active', 'leader 2 of topic-image-node-test-topic-0 is not a registered broker'],
      [
        99,
        35,
        'isr-members-active',
        'ISR [2, 3] of topic-image-node-test-topic-0 holds broker 2, which is not registered',
      ],
    ]);
  });

  it('the 3.6 layout (brokers right under cluster:, before KIP-919 added controllers) reads the same', () => {
    const shell = read('real/image-node-tests.metadata-shell.txt');
    const v36 = shell
      .replace('  brokers:\n', '')
      .replace('  controllers:\n', '')
      .replace(/^ {4}1:\n {6}/m, '  1:\n    ');
    expect(v36).toMatch(/^cluster:\n {2}1:\n {4}BrokerRegistration\(id=1, /m);
    expect(readSnapshot(v36, 100).cluster).toEqual(readSnapshot(shell, 100).cluster);
  });

  it('shell text that is not the whole image, or is mis-indented, is refused naming the line', () => {
    const shell = read('real/image-node-tests.metadata-shell.txt');
    const topicsOnly = shell.slice(shell.indexOf('topics:'));
    expect(() => readSnapshot(topicsOnly, 100)).toThrow(
      /no cluster:, configs:, features: node: expected the whole image as `kafka-metadata-shell.sh --snapshot <N>-<epoch>.checkpoint tree \/image` prints it/,
    );
    const lines = shell.split('\n');
    lines[5] = ` ${lines[5] ?? ''}`;
    expect(() => readSnapshot(lines.join('\n'), 100)).toThrow(/^line 6: indented 7 spaces, expected at most 6/);
    expect(() => readSnapshot(shell.replace('fenced=false, ', ''), 100)).toThrow(
      /^line 6: BrokerRegistration without fenced=$/,
    );
    expect(() => readSnapshot(shell.replaceAll('isr=[2, 3]', 'isr=2,3'), 100)).toThrow(
      /^line 35: isr must be a list like \[1, 2\], found "2,3"$/,
    );
  });
});

describe('logs written by export-metadata (cli/fixtures/validate/exported/)', () => {
  it('the kraft-split-brain regression trace conforms', () => {
    const trace = loadTrace(new URL('../traces/regressions/kraft-split-brain.trace.json', import.meta.url).pathname);
    if (!trace.ok) throw new Error(trace.error);
    const states = traceStates(trace.value);
    if (!states.ok) throw new Error(states.error);
    const text = exportMetadataText(trace.value.config, trace.value.rule.name, states.value.at(-1) as ClusterState);
    expectGolden(new URL('exported/kraft-split-brain.metadata.txt', FIXTURES), text);
    const r = validateFile('exported/kraft-split-brain.metadata.txt');
    expect([r.verdict, r.leaderChanges, r.partitions[0]?.changes]).toEqual(['conforms', 2, 1]);
  });

  it('a random ELR walk with fencing, re-registration and elections conforms (seed 21)', () => {
    const cfg = kraftWalkConfig('kafka-4.x-kraft-elr');
    const ends = walkEnds(cfg, 21, 40);
    const busiest = ends.reduce((a, b) =>
      (b.kraft?.committed.length ?? 0) > (a.kraft?.committed.length ?? 0) ? b : a,
    );
    const text = exportMetadataText(cfg, 'clean', busiest);
    expectGolden(new URL('exported/random-elr-walk.metadata.txt', FIXTURES), text);
    const r = validateFile('exported/random-elr-walk.metadata.txt');
    expect(r.verdict).toBe('conforms');
    expect(r.partitions.reduce((n, p) => n + p.changes, 0)).toBeGreaterThanOrEqual(3);
  });
});
