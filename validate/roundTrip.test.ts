import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClusterState } from '../model/index.js';
import { CATALOG } from '../model/index.js';
import { exportBatches, exportMetadataText } from './exportMetadata.js';
import { formatDump } from './dumpWriter.js';
import { counterexampleEnd } from './testing/counterexamples.js';
import { electOutsideIsr } from './testing/corrupt.js';
import { parseDumpLog } from './parseDumpLog.js';
import { kraftWalkConfig, walkEnds } from './testing/walks.js';
import { NOT_CHECKABLE, validateLog } from './validateLog.js';

/**
 * The round trip: a model behaviour exported with `export-metadata` is a metadata log `validate` reads.
 * Every passing model path conforms; every catalogued KRaft counterexample is either flagged or one the
 * metadata log cannot show (then it conforms and its property is listed as not checkable).
 */

const validateState = (cfg: ReturnType<typeof kraftWalkConfig>, s: ClusterState): ReturnType<typeof validateLog> =>
  validateLog(parseDumpLog(exportMetadataText(cfg, 'clean', s)));

describe('random passing KRaft model paths, exported, conform (fast-check)', () => {
  for (const preset of ['kafka-3.x-kraft', 'kafka-4.x-kraft-elr'] as const) {
    it(`${preset}: 1000 seeded walks of up to 80 steps`, () => {
      const cfg = kraftWalkConfig(preset);
      let changes = 0;
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
          const [end] = walkEnds(cfg, seed, 1);
          const r = validateState(cfg, end as ClusterState);
          changes += r.partitions.reduce((n, p) => n + p.changes, 0);
          expect(r.first).toEqual([]);
          expect(r.verdict).toBe('conforms');
        }),
        { numRuns: 1000, seed: 4242 },
      );
      // the walks do reach the controller: fencing, re-registration and elections write partition changes
      expect(changes).toBeGreaterThan(preset === 'kafka-3.x-kraft' ? 3000 : 4500); // 3510 and 5039 measured
    });
  }
});

describe('a corrupted export is flagged at the corrupted record (fast-check)', () => {
  it('a partition change electing a replica outside its new ISR: 300 seeded ELR walks', () => {
    const cfg = kraftWalkConfig('kafka-4.x-kraft-elr');
    let corrupted = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const [end] = walkEnds(cfg, seed, 1);
        const batches = exportBatches(cfg, 'clean', end as ClusterState);
        const at = electOutsideIsr(batches);
        if (at < 0) return;
        corrupted++;
        const r = validateLog(parseDumpLog(formatDump(batches)));
        expect(r.verdict).toBe('violation');
        expect(r.first[0]?.offset).toBe(at);
        expect(r.first.map((f) => f.check)).toContain('leader-in-isr');
      }),
      { numRuns: 300, seed: 99 },
    );
    expect(corrupted).toBeGreaterThan(100);
  });
});

/**
 * What each KRaft catalog counterexample looks like in its metadata log. Most are not visible there:
 * their violations live in partition logs (data plane) or in the Raft quorum, not in the committed
 * records; `validate` reports them as conforming and lists their property as not checkable.
 */
const NOT_VISIBLE: Readonly<Record<string, 'data-plane' | 'quorum'>> = {
  'kraft-split-brain': 'quorum',
  'last-replica-standing-kraft': 'data-plane',
  'kraft-vote-without-log-check': 'quorum',
  'kraft-3.5-last-replica-standing': 'data-plane',
};

/**
 * The KRaft catalog counterexamples a metadata log does show: `validate` must flag each at the record
 * (offset in the exported dump) that breaks the entry's property, under the check of the same name, and
 * say which record the model's controller would have written instead.
 */
interface Flagged {
  readonly offset: number;
  readonly checks: readonly string[];
  /** One of the records the model's (Kafka 4.1) controller would have written instead. */
  readonly instead: string;
}
const FLAGGED: Readonly<Record<string, Flagged>> = {
  // The re-registration batch's PartitionChangeRecord electing fenced b0 (bootstrap 11 records, the
  // leader change, the fencing batch's 2 records): Kafka 4.1's builder would leave p0 leaderless.
  'kafka-19522-fenced-last-known-leader': {
    offset: 14,
    checks: ['controller-conformance', 'leader-active', 'isr-members-active'],
    instead:
      'on the controller re-electing after the batch registers broker 0 (epoch 3): leader -1, ISR [], ELR [], last known ELR [0]',
  },
};

/** The catalog entry's counterexample, replayed and exported as dump-log text, then validated. */
function validateCounterexample(entry: (typeof CATALOG)[number]): ReturnType<typeof validateLog> {
  const { cfg, end } = counterexampleEnd(entry.id);
  return validateLog(parseDumpLog(exportMetadataText(cfg, cfg.electionRule, end)));
}

describe('catalogued KRaft counterexamples, exported and validated', () => {
  const kraft = CATALOG.filter((e) => e.config.mode === 'kraft');

  it('the tables above list exactly the catalog’s KRaft entries, each once', () => {
    const listed = [...Object.keys(NOT_VISIBLE), ...Object.keys(FLAGGED)].sort();
    expect(kraft.map((e) => e.id).sort()).toEqual(listed);
  });

  for (const entry of kraft.filter((e) => e.id in NOT_VISIBLE)) {
    it(`${entry.id} (${entry.property}): conforms, ${NOT_VISIBLE[entry.id]} property not checkable from the metadata log`, () => {
      const r = validateCounterexample(entry);
      expect(r.verdict).toBe('conforms');
      expect(NOT_CHECKABLE[entry.property]).toMatch(new RegExp(`^${NOT_VISIBLE[entry.id]} property`));
      expect(r.notCheckable).toContain(`${entry.property}: ${NOT_CHECKABLE[entry.property]}`);
    });
  }

  for (const entry of kraft.filter((e) => e.id in FLAGGED)) {
    const want = FLAGGED[entry.id] as Flagged;
    it(`${entry.id} (${entry.property}): flagged at offset ${want.offset} as ${entry.property}`, () => {
      const r = validateCounterexample(entry);
      expect(r.verdict).toBe('violation');
      expect(NOT_CHECKABLE[entry.property]).toBeUndefined();
      expect(r.first.map((f) => [f.offset, f.type, f.check])).toEqual(
        want.checks.map((c) => [want.offset, 'PARTITION_CHANGE_RECORD', c]),
      );
      // the model's property and validate's check are one rule under one name
      expect(r.first.map((f) => f.check)).toContain(entry.property);
      expect(r.first.find((f) => f.kind === 'conformance')?.expected).toContain(want.instead);
      expect(r.partitions.map((p) => [p.partition, p.verdict])).toEqual([['kafka-mc-0', 'violation']]);
    });
  }
});
