import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectGolden } from '../checker/testing/golden.js';
import { loadTrace, traceStates } from '../traces/index.js';
import type { ClusterState } from '../model/index.js';
import { formatDump } from './dumpWriter.js';
import { exportMetadataText } from './exportMetadata.js';
import { DumpParseError, parseDumpLog } from './parseDumpLog.js';
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
