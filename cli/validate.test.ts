import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDirs } from './testSupport.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/validate/', import.meta.url));
const REGRESSIONS = fileURLToPath(new URL('../traces/regressions/', import.meta.url));
const dirs = tempDirs('validate');
afterAll(() => dirs.cleanup());

describe('kafka-mc validate', () => {
  it('exit 0 on a conforming log, with a verdict per partition', async () => {
    const r = await runCli(['validate', join(FIXTURES, 'kafka-19522-fenced-last-known-leader.fixed.txt')], dirs.make());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}orders-0 {2}conforms {2}5 change\(s\)$/m);
    expect(r.stdout).toMatch(/^CONFORMS: 5 partition change\(s\) in 1 partition\(s\)/m);
    expect(r.stdout).toMatch(/^Not checkable from the metadata log: data-plane properties no-data-loss/m);
  });

  it('exit 1 on a violation, naming the first non-conforming record, what was found and what was expected', async () => {
    const r = await runCli(['validate', join(FIXTURES, 'kafka-19522-fenced-last-known-leader.txt')], dirs.make());
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('First non-conforming record: offset 23 (line 33), PARTITION_CHANGE_RECORD');
    expect(r.stdout).toContain('  orders-0 before it: leader -1, ISR [], ELR [], last known ELR [1]');
    expect(r.stdout).toContain('✗ leader-active: leader 1 of orders-0 is fenced (broker epoch 42)');
    expect(r.stdout).toContain(
      '      on the controller re-electing after the batch unfences broker 2: no record (nothing changes)',
    );
    expect(r.stdout).toMatch(/^VIOLATION: 1 of 1 partition\(s\) break a rule; the first record is offset 23$/m);
  });

  it('--html writes the log as a timeline in the viewer page, the first violation selected; never replaces a file', async () => {
    const cwd = dirs.make();
    const dump = join(FIXTURES, 'kafka-19522-fenced-last-known-leader.txt');
    const r = await runCli(['validate', dump, '--html', 'log.html'], cwd);
    expect(r.code).toBe(1);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('wrote the timeline to log.html');
    const html = readFileSync(join(cwd, 'log.html'), 'utf8');
    const rows = [...html.matchAll(/<g class="(row[^"]*)" data-step="(\d+)"><title>offset (\d+) /g)];
    const json = JSON.parse((await runCli(['validate', dump, '--json'], cwd)).stdout) as { records: number };
    expect(rows).toHaveLength(json.records);
    // only the record that broke a rule is red, and the page opens on it (the viewer selects g.row.violation)
    expect(rows.filter((m) => m[1] === 'row violation').map((m) => m[3])).toEqual(['23']);
    const k = rows.find((m) => m[3] === '23')?.[2];
    const step = html.slice(
      html.indexOf(`<template id="step-${k}">`),
      html.indexOf(`<template id="step-${Number(k) + 1}">`),
    );
    expect(step).toContain(
      '<p class="violation-note">✗ leader-active: leader 1 of orders-0 is fenced (broker epoch 42)</p>',
    );
    expect(step).toContain(
      '<h3>orders-0 before it</h3><p class="log">leader -1, ISR [], ELR [], last known ELR [1]</p>',
    );
    expect(step).toContain('&quot;leader&quot;:1'); // payloads are escaped
    expect(html).toContain('<script>');
    // deterministic: the same log gives the same page
    expect((await runCli(['validate', dump, '--html', 'again.html'], cwd)).code).toBe(1);
    expect(readFileSync(join(cwd, 'again.html'), 'utf8')).toBe(html);
    writeFileSync(join(cwd, 'mine.html'), 'mine');
    const refused = await runCli(['validate', dump, '--html', 'mine.html'], cwd);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /mine\.html already exists; choose another --html \(validate never replaces a file\)/,
    );
    expect(readFileSync(join(cwd, 'mine.html'), 'utf8')).toBe('mine');
  });

  it('--json carries the verdict, the exit code and the first record', async () => {
    const r = await runCli(['validate', join(FIXTURES, 'elr-isr-overlap.txt'), '--json'], dirs.make());
    const j = JSON.parse(r.stdout) as { verdict: string; exitCode: number; first: { offset: number; check: string }[] };
    expect([r.code, j.verdict, j.exitCode]).toEqual([1, 'violation', 1]);
    expect(j.first.map((f) => [f.offset, f.check])).toEqual([
      [15, 'controller-conformance'],
      [15, 'isr-elr-disjoint'],
      [15, 'elr-only-below-min-isr'],
    ]);
  });

  it('exit 2 for unreadable input, naming the line', async () => {
    const cwd = dirs.make();
    const good = readFileSync(join(FIXTURES, 'elr-isr-overlap.fixed.txt'), 'utf8').split('\n');
    writeFileSync(join(cwd, 'cut.txt'), [...good.slice(0, 5), good[5]?.slice(0, 140)].join('\n'));
    const r = await runCli(['validate', 'cut.txt'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cut\.txt: line 6: the payload of offset 2 is not JSON/);
    const missing = await runCli(['validate', 'nope.txt'], cwd);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringMatching(/cannot read nope\.txt: ENOENT/)]);
  });
});

describe('kafka-mc export-metadata', () => {
  it('writes a KRaft trace as a dump that validates, and never replaces a file', async () => {
    const cwd = dirs.make();
    const trace = join(REGRESSIONS, 'kraft-split-brain.trace.json');
    const r = await runCli(['export-metadata', trace, '--out', 'split.txt'], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('wrote split.txt: 15 records in 4 batches (validate it with: kafka-mc validate split.txt)\n');
    expect(readFileSync(join(cwd, 'split.txt'), 'utf8')).toBe(
      readFileSync(join(FIXTURES, 'exported/kraft-split-brain.metadata.txt'), 'utf8'),
    );
    expect((await runCli(['validate', 'split.txt'], cwd)).code).toBe(0);
    writeFileSync(join(cwd, 'keep.txt'), 'mine');
    const again = await runCli(['export-metadata', trace, '--out', 'keep.txt'], cwd);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(
      /keep\.txt already exists; choose another --out \(export-metadata never replaces a file\)/,
    );
    expect(readFileSync(join(cwd, 'keep.txt'), 'utf8')).toBe('mine');
  });

  it('a KAFKA-19522 counterexample, exported, is flagged at the record electing the fenced broker (exit 1)', async () => {
    const cwd = dirs.make();
    const trace = join(REGRESSIONS, 'kafka-19522-fenced-last-known-leader.trace.json');
    expect((await runCli(['export-metadata', trace, '--out', 'lkl.txt'], cwd)).code).toBe(0);
    const r = await runCli(['validate', 'lkl.txt', '--json'], cwd);
    const j = JSON.parse(r.stdout) as { verdict: string; first: { offset: number; check: string; message: string }[] };
    expect([r.code, j.verdict]).toEqual([1, 'violation']);
    expect(j.first.map((f) => [f.offset, f.check])).toEqual([
      [14, 'controller-conformance'],
      [14, 'leader-active'],
      [14, 'isr-members-active'],
    ]);
    expect(j.first[1]?.message).toBe('leader 0 of kafka-mc-0 is fenced (broker epoch 3)');
  });

  it('refuses a ZooKeeper-mode trace', async () => {
    const r = await runCli(
      ['export-metadata', join(REGRESSIONS, 'unclean-election-data-loss.trace.json')],
      dirs.make(),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is a ZooKeeper-mode trace: only KRaft mode has a metadata log/);
  });
});

describe('kafka-mc validate --snapshot', () => {
  const trace = join(REGRESSIONS, 'kafka-19522-fenced-last-known-leader.trace.json');

  it('export-metadata --snapshot-at splits the log; validate --snapshot flags the same record (exit 1)', async () => {
    const cwd = dirs.make();
    const r = await runCli(
      ['export-metadata', trace, '--out', 'tail.txt', '--snapshot-at', '11', '--snapshot-out', 'snap.txt'],
      cwd,
    );
    expect(r.stdout).toBe(
      'wrote snap.txt: the snapshot at offset 11 (kafka-dump-log text), and tail.txt: the records from offset 11 on (validate them with: kafka-mc validate --snapshot snap.txt tail.txt)\n',
    );
    expect(readFileSync(join(cwd, 'snap.txt'), 'utf8').split('\n').slice(0, 2)).toEqual([
      'Dumping 00000000000000000011-0000000001.checkpoint',
      'Snapshot end offset: 11, epoch: 1',
    ]);
    const v = await runCli(['validate', '--snapshot', 'snap.txt', 'tail.txt'], cwd);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain(
      'Started from the snapshot (kafka-dump-log.sh text) with end offset 11, epoch 1: 2 broker(s), 1 partition(s)',
    );
    expect(v.stdout).toContain(
      '  the history before offset 11 is not checked: only the state the snapshot holds (its invariants) and the records from offset 11 on',
    );
    expect(v.stdout).toContain('First non-conforming record: offset 14 (line 8), PARTITION_CHANGE_RECORD');
    // the whole log as the dump: its records before offset 11 are skipped, the timeline shows those after
    expect((await runCli(['export-metadata', trace, '--out', 'whole.txt'], cwd)).code).toBe(0);
    const h = await runCli(['validate', '--snapshot', 'snap.txt', 'whole.txt', '--html', 't.html', '--json'], cwd);
    const j = JSON.parse(h.stdout) as {
      snapshotFile: string;
      snapshot: { skippedBefore: number };
      records: number;
      batches: number;
      leaderChanges: number;
    };
    // what the run read: from offset 11 on (the leader change at offset 10 is before it)
    expect([h.code, j.snapshotFile, j.snapshot.skippedBefore, j.records, j.batches, j.leaderChanges]).toEqual([
      1,
      'snap.txt',
      10,
      4,
      2,
      0,
    ]);
    const rows = [
      ...readFileSync(join(cwd, 't.html'), 'utf8').matchAll(
        /<g class="(row[^"]*)" data-step="\d+"><title>offset (\d+) /g,
      ),
    ];
    expect(rows.map((m) => [m[2], m[1]])).toEqual([
      ['11', 'row'],
      ['12', 'row'],
      ['13', 'row'],
      ['14', 'row violation'],
    ]);
  });

  it('the metadata shell format needs --snapshot-end-offset; a gap is exit 2 naming both offsets', async () => {
    const cwd = dirs.make();
    const args = ['--out', 'tail.txt', '--snapshot-at', '13', '--snapshot-out', 'tree.txt'];
    const r = await runCli(['export-metadata', trace, ...args, '--snapshot-format', 'kafka-metadata-shell'], cwd);
    expect(r.stdout).toMatch(
      /validate them with: kafka-mc validate --snapshot tree\.txt --snapshot-end-offset 13 tail\.txt/,
    );
    const missing = await runCli(['validate', '--snapshot', 'tree.txt', 'tail.txt'], cwd);
    expect([missing.code, missing.stdout]).toEqual([2, '']);
    expect(missing.stderr).toMatch(
      /tree\.txt: line 1: this is kafka-metadata-shell output, which does not print the snapshot's end offset/,
    );
    const ok = await runCli(
      ['validate', '--snapshot', 'tree.txt', '--snapshot-end-offset', '13', 'tail.txt', '--json'],
      cwd,
    );
    const j = JSON.parse(ok.stdout) as { snapshot: unknown; first: { offset: number }[] };
    expect(j.snapshot).toEqual({
      format: 'kafka-metadata-shell',
      endOffset: 13,
      epoch: 1,
      brokers: 2,
      partitions: 1,
      skippedBefore: 0,
    });
    expect(j.first.map((f) => f.offset)).toEqual([14, 14, 14]);
    const gap = await runCli(['validate', '--snapshot', 'tree.txt', '--snapshot-end-offset', '12', 'tail.txt'], cwd);
    expect([gap.code, gap.stdout]).toEqual([2, '']);
    expect(gap.stderr).toMatch(
      /tail\.txt: line 3: the snapshot ends before offset 12 but the dump's first record after it is at offset 13: offsets 12-12 are missing/,
    );
  });

  it('bad flags are exit 2 and write nothing', async () => {
    const cwd = dirs.make();
    const inside = await runCli(['export-metadata', trace, '--snapshot-at', '5', '--out', 'a.txt'], cwd);
    expect(inside.code).toBe(2);
    expect(inside.stderr).toMatch(
      /--snapshot-at 5: offset 5 is not a batch boundary after the first batch; the batches start at offsets 10, 11, 13/,
    );
    const same = await runCli(
      ['export-metadata', trace, '--snapshot-at', '11', '--out', 'a.txt', '--snapshot-out', 'a.txt'],
      cwd,
    );
    expect(same.stderr).toMatch(/--snapshot-out and --out name the same file/);
    const fmt = await runCli(
      ['export-metadata', trace, '--snapshot-at', '11', '--out', 'a.txt', '--snapshot-format', 'xml'],
      cwd,
    );
    expect(fmt.stderr).toMatch(/--snapshot-format xml: expected kafka-dump-log or kafka-metadata-shell/);
    expect(readdirSync(cwd)).toEqual([]);
    const noSnap = await runCli(['validate', '--snapshot-end-offset', '3', join(FIXTURES, 'elr-isr-overlap.txt')], cwd);
    expect([noSnap.code, noSnap.stderr]).toEqual([2, expect.stringMatching(/pass --snapshot <file> too/)]);
    const notSnap = await runCli(
      ['validate', '--snapshot', join(FIXTURES, 'elr-isr-overlap.txt'), join(FIXTURES, 'elr-isr-overlap.txt')],
      cwd,
    );
    expect([notSnap.code, notSnap.stderr]).toEqual([
      2,
      expect.stringMatching(/elr-isr-overlap\.txt: line 1: expected a "Snapshot end offset: N, epoch: E" line/),
    ]);
  });
});
