import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClusterState } from '../model/index.js';
import type { OutBatch } from './dumpWriter.js';
import { formatDump } from './dumpWriter.js';
import type { SnapshotFormat } from './exportMetadata.js';
import { SNAPSHOT_FORMATS, batchOffsets, exportBatches, splitAtSnapshot } from './exportMetadata.js';
import { topicConfigRecord } from './kafkaJson.js';
import { MIN_ISR_CONFIG } from './kafkaRecords.js';
import { DumpParseError, parseDumpLog } from './parseDumpLog.js';
import { readSnapshot } from './snapshot.js';
import { counterexampleEnd } from './testing/counterexamples.js';
import { electOutsideIsr } from './testing/corrupt.js';
import { kraftWalkConfig, walkEnds } from './testing/walks.js';
import type { ValidationReport } from './validateLog.js';
import { validateLog } from './validateLog.js';

/**
 * `validate --snapshot`: a log split into a snapshot and the records after it validates as the whole
 * log does. The split is `export-metadata --snapshot-at`'s (`splitAtSnapshot`), in both snapshot formats.
 */

/** Findings without their line (the line is the tail's, not the whole dump's). */
const unlined = (fs: ValidationReport['first']): unknown[] => fs.map(({ line: _line, ...f }) => f);

/** Validates (snapshot at `at`) + (records from `at` on). */
function validateSplit(batches: readonly OutBatch[], at: number, format: SnapshotFormat): ValidationReport {
  const { snapshot, tail } = splitAtSnapshot(batches, at, format);
  return validateLog(parseDumpLog(tail), { snapshot: readSnapshot(snapshot, at) });
}

/** Batch boundaries after the first batch with at least one metadata record after them. */
function boundaries(batches: readonly OutBatch[]): number[] {
  const offsets = batchOffsets(batches);
  return offsets.filter((o, i) => i > 0 && batches.slice(i).some((b) => b.records !== 'leader-change'));
}

describe('snapshot + tail gives the whole log’s verdict (fast-check)', () => {
  for (const preset of ['kafka-3.x-kraft', 'kafka-4.x-kraft-elr'] as const)
    it(`${preset}: 150 seeded walks, each split at a random batch boundary, in a random snapshot format`, () => {
      const cfg = kraftWalkConfig(preset);
      let split = 0;
      let tailChanges = 0;
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          fc.nat(),
          fc.constantFrom(...SNAPSHOT_FORMATS),
          (seed, pick, format) => {
            const [end] = walkEnds(cfg, seed, 1, 40);
            const batches = exportBatches(cfg, 'clean', end as ClusterState);
            const whole = validateLog(parseDumpLog(formatDump(batches)));
            const bs = boundaries(batches);
            if (!bs.length) return;
            const at = bs[pick % bs.length] as number;
            const r = validateSplit(batches, at, format);
            split++;
            tailChanges += r.partitions.reduce((n, p) => n + p.changes, 0);
            expect([r.verdict, unlined(r.first)]).toEqual([whole.verdict, unlined(whole.first)]);
            expect(r.snapshot?.endOffset).toBe(at);
            // the tail's partition changes are the whole log's from offset `at` on
            const wholeAfter = parseDumpLog(formatDump(batches)).entries.filter(
              (e) => e.offset >= at && e.record.type === 'PARTITION_CHANGE_RECORD',
            ).length;
            expect(r.partitions.reduce((n, p) => n + p.changes, 0)).toBe(wholeAfter);
          },
        ),
        { numRuns: 150, seed: 2121 },
      );
      expect(split).toBeGreaterThan(140); // 150 measured: every walk has a boundary
      // the tails do hold partition changes to check: 252 and 411 measured
      expect(tailChanges).toBeGreaterThan(preset === 'kafka-3.x-kraft' ? 200 : 350);
    });
});

describe('a corrupted log, started from a snapshot before the corruption, is flagged at the same record (fast-check)', () => {
  it('kafka-4.x-kraft-elr: 100 seeded walks with a leader elected outside its new ISR', () => {
    const cfg = kraftWalkConfig('kafka-4.x-kraft-elr');
    let checked = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.nat(), (seed, pick) => {
        const [end] = walkEnds(cfg, seed, 1, 40);
        const batches = exportBatches(cfg, 'clean', end as ClusterState);
        const at = electOutsideIsr(batches);
        const before = boundaries(batches).filter((o) => o <= at);
        if (at < 0 || !before.length) return;
        const whole = validateLog(parseDumpLog(formatDump(batches)));
        expect(whole.first[0]?.offset).toBe(at);
        const k = before[pick % before.length] as number;
        const r = validateSplit(batches, k, pick % 2 ? 'kafka-dump-log' : 'kafka-metadata-shell');
        expect(unlined(r.first)).toEqual(unlined(whole.first));
        checked++;
      }),
      { numRuns: 100, seed: 7 },
    );
    expect(checked).toBeGreaterThan(70); // 85 measured
  });
});

/** The KAFKA-19522 catalog counterexample as exported batches (flagged at offset 14 when whole). */
function kafka19522Batches(): OutBatch[] {
  const { cfg, end } = counterexampleEnd('kafka-19522-fenced-last-known-leader');
  return exportBatches(cfg, cfg.electionRule, end);
}

describe('the KAFKA-19522 counterexample, started from a snapshot', () => {
  const batches = kafka19522Batches();
  const whole = validateLog(parseDumpLog(formatDump(batches)));

  it('the whole log is flagged at offset 14', () => {
    expect(whole.first.map((f) => [f.offset, f.check])).toEqual([
      [14, 'controller-conformance'],
      [14, 'leader-active'],
      [14, 'isr-members-active'],
    ]);
  });

  for (const format of SNAPSHOT_FORMATS)
    it(`${format}: every snapshot before offset 14 still flags offset 14, with the same findings`, () => {
      const before = batchOffsets(batches).filter((o) => o > 0 && o <= 14);
      expect(before).toEqual([10, 11, 13]); // after the bootstrap, the leader change, the fencing
      for (const at of before) {
        const r = validateSplit(batches, at, format);
        expect(unlined(r.first)).toEqual(unlined(whole.first));
        expect(r.snapshot?.skippedBefore).toBe(0);
      }
    });

  it('a snapshot after offset 14 holds the fenced leader: flagged at the snapshot (offset 14, its last)', () => {
    // one more batch after the counterexample: a config of another topic, which changes nothing here
    const longer = [...batches, { epoch: 2, records: [topicConfigRecord('other', MIN_ISR_CONFIG, '1')] }];
    expect(validateLog(parseDumpLog(formatDump(longer))).first.map((f) => f.offset)).toEqual([14, 14, 14]);
    for (const format of SNAPSHOT_FORMATS) {
      const r = validateSplit(longer, 15, format);
      expect(r.verdict).toBe('violation');
      expect(r.first.map((f) => [f.offset, f.check, f.message])).toEqual([
        [14, 'leader-active', 'leader 0 of kafka-mc-0 is fenced (broker epoch 3)'],
        [14, 'isr-members-active', 'ISR [0] of kafka-mc-0 holds fenced broker 0'],
      ]);
      expect(r.first[0]?.payload).toMatch(
        /^kafka-mc-0 as the snapshot holds it \(snapshot line \d+\): leader 0, ISR \[0\], ELR \[\], last known ELR \[\]$/,
      );
    }
  });
});

describe('snapshot and dump must fit', () => {
  const batches = kafka19522Batches();
  const whole = formatDump(batches);
  const snap = (at: number): ReturnType<typeof readSnapshot> =>
    readSnapshot(splitAtSnapshot(batches, at, 'kafka-dump-log').snapshot);

  it('records of the dump before the end offset are skipped, and said so', () => {
    const r = validateLog(parseDumpLog(whole), { snapshot: snap(13) });
    expect(r.snapshot).toEqual({
      format: 'kafka-dump-log',
      endOffset: 13,
      epoch: 1,
      brokers: 2,
      partitions: 1,
      skippedBefore: 12,
    });
    expect(r.first.map((f) => f.offset)).toEqual([14, 14, 14]);
  });

  it('a dump without batch lines (an excerpt) has no known boundaries: it is cut at the end offset', () => {
    const excerpt = whole
      .split('\n')
      .filter((l) => !l.startsWith('baseOffset: '))
      .join('\n');
    const r = validateLog(parseDumpLog(excerpt), { snapshot: snap(13) });
    expect([r.snapshot?.skippedBefore, r.first.map((f) => [f.offset, f.check])]).toEqual([
      12,
      [
        [14, 'controller-conformance'],
        [14, 'leader-active'],
        [14, 'isr-members-active'],
      ],
    ]);
    const late = excerpt.split('\n').filter((l) => !/^\| offset: (1[0-2]|[0-9]) /.test(l));
    expect(() => validateLog(parseDumpLog(late.join('\n')), { snapshot: snap(11) })).toThrow(
      /the snapshot ends before offset 11 but the dump's first record after it is at offset 13: offsets 11-12 are missing/,
    );
  });

  it('a gap between the snapshot and the dump is an error naming both offsets', () => {
    const tail = splitAtSnapshot(batches, 13, 'kafka-dump-log').tail;
    expect(() => validateLog(parseDumpLog(tail), { snapshot: snap(11) })).toThrow(
      /line 3: the snapshot ends before offset 11 but the dump's first record after it is at offset 13: offsets 11-12 are missing/,
    );
  });

  it('a dump that ends before the snapshot is an error naming both offsets', () => {
    const head = formatDump(batches.slice(0, 1));
    expect(() => validateLog(parseDumpLog(head), { snapshot: snap(11) })).toThrow(
      /the dump ends at offset 9, before the snapshot's end offset 11: nothing after the snapshot to validate/,
    );
  });

  it("a snapshot ending inside one of the dump's batches is an error", () => {
    const cut = splitAtSnapshot(batches, 11, 'kafka-dump-log').snapshot.replace(
      'Snapshot end offset: 11',
      'Snapshot end offset: 5',
    );
    expect(() => validateLog(parseDumpLog(whole), { snapshot: readSnapshot(cut) })).toThrow(
      /line 3: the batch at offsets 0-9 holds the snapshot's end offset 5, but Kafka writes snapshots at batch boundaries/,
    );
  });

  it('a snapshot dumped into the same file as the segments is refused: its offsets are not the log’s', () => {
    const { snapshot, tail } = splitAtSnapshot(batches, 13, 'kafka-dump-log');
    expect(() => validateLog(parseDumpLog(snapshot + tail))).toThrow(
      /^line 2: the dump holds a snapshot \(end offset 13\), whose records are numbered inside the .checkpoint file, not by the log: pass its dump with --snapshot <file>/,
    );
  });

  it('--snapshot-at must be a batch boundary', () => {
    expect(() => splitAtSnapshot(batches, 5, 'kafka-dump-log')).toThrow(
      /offset 5 is not a batch boundary after the first batch; the batches start at offsets 10, 11, 13/,
    );
  });
});

describe('reading snapshots', () => {
  const batches = kafka19522Batches();

  it('a dump-log snapshot cut before its SnapshotFooter is refused, naming the line', () => {
    const text = splitAtSnapshot(batches, 13, 'kafka-dump-log').snapshot;
    const cut = text.split('\n').slice(0, -3).join('\n');
    expect(() => readSnapshot(cut)).toThrow(DumpParseError);
    expect(() => readSnapshot(cut)).toThrow(/the snapshot ends without its SnapshotFooter control record/);
  });

  it('a snapshot dump followed by segments, passed as the snapshot, is refused at the first record after the footer', () => {
    const { snapshot, tail } = splitAtSnapshot(batches, 13, 'kafka-dump-log');
    const footer = snapshot.split('\n').length - 1;
    expect(() => readSnapshot(snapshot + tail)).toThrow(
      new RegExp(`^line ${footer + 4}: a record after the snapshot's SnapshotFooter \\(line ${footer}\\)`),
    );
  });

  it('a .log segment dump is not a snapshot', () => {
    expect(() => readSnapshot(formatDump(batches))).toThrow(
      /line 1: expected a "Snapshot end offset: N, epoch: E" line, which kafka-dump-log.sh prints for a snapshot file/,
    );
  });

  it('the metadata shell text needs the end offset, and the two formats give the same cluster', () => {
    const shell = splitAtSnapshot(batches, 13, 'kafka-metadata-shell').snapshot;
    expect(() => readSnapshot(shell)).toThrow(/pass --snapshot-end-offset N/);
    const fromShell = readSnapshot(shell, 13);
    const fromDump = readSnapshot(splitAtSnapshot(batches, 13, 'kafka-dump-log').snapshot);
    expect(fromShell.format).toBe('kafka-metadata-shell');
    expect(fromShell.cluster).toEqual(fromDump.cluster);
    expect(() => readSnapshot(splitAtSnapshot(batches, 13, 'kafka-dump-log').snapshot, 12)).toThrow(
      /the snapshot's end offset is 13, not 12 as --snapshot-end-offset says/,
    );
  });

  it('neither format: says what was expected', () => {
    expect(() => readSnapshot('hello\nworld\n')).toThrow(/line 1: not a snapshot: expected the output of/);
  });
});
