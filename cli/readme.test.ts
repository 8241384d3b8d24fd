import { copyFileSync, cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { captureStream } from './Io.js';
import { main } from './program.js';
import { expectReadmeLatency, tempDirs } from './testSupport.js';
import { README, readmeFigure } from '../checker/testing/readme.js';
import { BUG_LOGS } from '../validate/testing/bugLogs.js';
import { formatDump } from '../validate/dumpWriter.js';
import { batchOffsets, clusterAfter, snapshotText } from '../validate/exportMetadata.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');

/**
 * Every `kafka-mc` command in the README's shell blocks runs here, in README order, in one fresh
 * directory — as a new user pastes them — and must do what the README says it does. A command added
 * to the README without an entry below fails this test, and so does an entry the README no longer has.
 *
 * Where running as written would take minutes, the entry adds a run bound (`--time-limit`,
 * `--max-states`) and says so; where it would write outside the directory (`pin` writes into
 * kafka-mc's own `traces/regressions/`) it adds `--dir`; `view --open` gets a recording opener.
 */

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

interface Entry {
  /** Arguments added to the README's command, and why. */
  readonly extra?: readonly string[];
  readonly why?: string;
  /** Puts in the directory what the command reads that the README has the user make elsewhere. */
  readonly before?: (cwd: string) => void;
  readonly expect: (r: Run, cwd: string) => void;
}

/** The shell blocks' `npx kafka-mc …` lines, comments and `npm ci &&` stripped, in README order. */
function readmeCommands(): string[] {
  const out: string[] = [];
  for (const block of README.matchAll(/^```sh\n([^]*?)^```/gm))
    for (const raw of (block[1] ?? '').split('\n')) {
      const line = raw.replace(/\s+#.*$/, '').trim();
      const m = /(?:^|&&\s*)npx kafka-mc( .*)?$/.exec(line);
      if (m) out.push(`kafka-mc${m[1] ?? ''}`);
    }
  return out;
}

/** The README's example rule file (the ts block that starts with `// longestLog.ts`). */
function readmeRule(): { name: string; text: string } {
  const m = /^```ts\n\/\/ (\S+\.ts)\n([^]*?)^```/m.exec(README);
  if (!m?.[1] || m[2] === undefined) throw new Error('README: no ts block starting with `// <file>.ts`');
  return { name: m[1], text: m[2] };
}

const ok = (r: Run): void => {
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  expect(r.code, r.stderr).toBe(0);
};

/** The audit's single faults, without the slow session expiry and the pairs (all ten take the full 60 s). */
const AUDIT_FAULTS = ['--faults', 'crash,power-loss,network-split'];
const AUDIT_WHY = 'all ten fault classes use the whole 60 s time budget; cli/audit.test.ts pins more of them';

const SAFETY_LINE = /^OK within bounds: 9 properties hold, 6 guards reached; ([\d,]+) distinct states/m;

/**
 * Both README snapshot commands validate the KAFKA-19522 log from the snapshot on: the report says where
 * it started (`started`) and flags the record at offset 12352, exit 1.
 */
function snapshotFlagsKafka19522(r: Run, started: string): void {
  expect(r.code, r.stderr).toBe(1);
  expect(r.stdout).toContain(started);
  expect(r.stdout).toMatch(/^VIOLATION: 1 of 1 partition\(s\) break a rule; the first record is offset 12352$/m);
}

/**
 * The README's snapshot example on a real cluster: `snapshot.txt` and `image.txt` (the two texts of
 * `00000000000000012345-0000000007.checkpoint`) and `segment.txt` (a segment dump from before that offset
 * on), made from the KAFKA-19522 bug log split at its batch at offset 16, offsets moved by 12345 - 16.
 */
function writeSnapshotAndSegment(cwd: string): void {
  const bug = BUG_LOGS.find((b) => b.name === 'kafka-19522-fenced-last-known-leader');
  if (!bug) throw new Error('KAFKA-19522 bug log missing');
  const i = batchOffsets(bug.buggy).indexOf(16);
  const cluster = clusterAfter(bug.buggy.slice(0, i));
  writeFileSync(join(cwd, 'snapshot.txt'), snapshotText(cluster, 12345, 7, 'kafka-dump-log'));
  writeFileSync(join(cwd, 'image.txt'), snapshotText(cluster, 12345, 7, 'kafka-metadata-shell'));
  writeFileSync(join(cwd, 'segment.txt'), formatDump(bug.buggy, '00000000000000012329.log', 12345 - 16));
}

const ENTRIES: Record<string, Entry> = {
  'kafka-mc check': {
    expect: (r) => {
      ok(r);
      // the figure the quick start quotes is the one the command prints
      expect(SAFETY_LINE.exec(r.stdout)?.[1]).toBe(readmeFigure('with no flags explores the default cluster'));
    },
  },
  'kafka-mc check --acks 1 --max-records 1 --max-leader-epochs 2 --max-partitions 0': {
    expect: (r) => {
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/✗ no-data-loss fails at step 6:/);
      expect(r.stdout).toContain('Trace saved to kafka-mc-traces/no-data-loss.trace.json');
    },
  },
  'kafka-mc check --max-unclean-elections 1 --brokers 2 --replication-factor 2 --min-isr 1 --max-crashes 2 --max-partitions 0 --max-records 1 --max-leader-epochs 2 --property no-data-loss':
    {
      expect: (r) => {
        expect(r.code).toBe(1);
        expect(r.stdout).toMatch(/✗ no-data-loss fails at step 7:/);
        expect(r.stdout).toContain('admin runs kafka-leader-election.sh --election-type UNCLEAN for p0: b1 elected');
      },
    },
  'kafka-mc check --auto-leader-rebalance --max-controlled-shutdowns 1 --max-records 0 --max-partitions 0 --quiet': {
    expect: (r) => {
      ok(r);
      // the figure the README quotes (77,541 without --auto-leader-rebalance)
      expect(r.stdout).toMatch(/^OK within bounds: 9 properties hold, 4 guards reached; 115,978 distinct states/m);
    },
  },
  'kafka-mc catalog run kip-101-two-brokers': {
    expect: (r) => {
      ok(r);
      expect(r.stdout).toMatch(/^Counterexample: 11 steps \(expected 11\)$/m);
      expect(r.stdout).toMatch(/^Fix \(.*\): holds$/m);
    },
  },
  'kafka-mc check --rule ./longestLog.ts': {
    expect: (r) => {
      ok(r);
      expect(r.stdout).toMatch(/rule longest-isr-log/);
      expect(r.stdout).toMatch(SAFETY_LINE);
    },
  },
  'kafka-mc check --rule ./longestLog.ts --max-crashes 2 --max-records 1 --max-leader-epochs 2 --max-partitions 0 --property no-data-loss':
    {
      expect: (r) => {
        ok(r);
        const n = /^OK within bounds: 1 property holds; ([\d,]+) distinct states/m.exec(r.stdout)?.[1];
        expect(Number(n?.replace(/,/g, ''))).toBeGreaterThan(1_600_000); // "1.7 million states" in the README (1,738,929)
        expect(Number(n?.replace(/,/g, ''))).toBeLessThan(1_800_000);
      },
    },
  'kafka-mc audit examples/recommended/server.properties --topic-config examples/recommended/orders-configs.txt --acks all':
    {
      extra: AUDIT_FAULTS,
      why: AUDIT_WHY,
      expect: (r, cwd) => {
        expect(r.code).toBe(1);
        expect(r.stdout).toMatch(/^broker crash +yes \(a\) +yes \(a\) +yes \(a\) /m);
        expect(r.stdout).toMatch(/^power loss +no \[1\] /m);
        expect(r.stdout).toMatch(/^\(a\) yes within the model's bounds only: --max-records 1/m);
        expect(existsSync(join(cwd, 'kafka-mc-traces/power-loss/no-data-loss.trace.json'))).toBe(true);
      },
    },
  'kafka-mc audit examples/rf2/server.properties --topic-config examples/rf2/orders-topic.txt --acks all': {
    extra: AUDIT_FAULTS,
    why: AUDIT_WHY,
    expect: (r) => {
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^broker crash +yes \(a\) +no \[1\] +no \[2\] /m);
      expect(r.stdout).toMatch(/fewer than min\.insync\.replicas=2: acks=all writes fail with NOT_ENOUGH_REPLICAS/);
    },
  },
  'kafka-mc audit examples/unclean/server.properties --acks all': {
    extra: AUDIT_FAULTS,
    why: AUDIT_WHY,
    expect: (r) => {
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^broker crash +no \[1\] +yes \(a\) +yes \(a\) /m);
      expect(r.stdout).toMatch(
        /an unclean election \(unclean\.leader\.election\.enable=true\) made a replica without it leader/,
      );
    },
  },
  'kafka-mc replay kafka-mc-traces/no-data-loss.trace.json': {
    expect: (r) => {
      ok(r);
      expect(r.stdout).toContain('REPRODUCES: no-data-loss still fails after 6 steps');
    },
  },
  'kafka-mc view kafka-mc-traces/no-data-loss.trace.json --open': {
    expect: (r, cwd) => {
      ok(r);
      expect(existsSync(join(cwd, 'kafka-mc-traces/no-data-loss.html'))).toBe(true);
    },
  },
  'kafka-mc pin kafka-mc-traces/no-data-loss.trace.json --name acks1-loss': {
    extra: ['--dir', 'regressions'],
    why: 'pin writes into kafka-mc’s own traces/regressions/ by default',
    expect: (r, cwd) => {
      ok(r);
      expect(existsSync(join(cwd, 'regressions/acks1-loss.trace.json'))).toBe(true);
    },
  },
  'kafka-mc explain kafka-mc-traces/no-data-loss.trace.json': {
    expect: (r) => {
      ok(r);
      expect(r.stdout).toContain(
        'no-data-loss fails after 6 step(s); the Kafka metrics an operator would have seen move:',
      );
      expect(r.stdout).toMatch(/^ +OfflinePartitionsCount 0→1 on b1$/m);
    },
  },
  'kafka-mc check --mode kraft --property active-controller-count': {
    expect: (r) => {
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/✗ active-controller-count fails at step 2: ActiveControllerCount is 1 on c0 and c1/);
    },
  },
  'kafka-mc check --max-records 1 --max-leader-epochs 2 --max-partitions 0 --save-examples': {
    expect: (r, cwd) => {
      ok(r);
      expect(r.stdout).toContain('Examples of reached guards (kafka-mc replay FILE, kafka-mc view FILE):');
      expect(existsSync(join(cwd, 'kafka-mc-traces/failover-happens.example.trace.json'))).toBe(true);
    },
  },
  'kafka-mc view kafka-mc-traces/failover-happens.example.trace.json': {
    expect: (r, cwd) => {
      ok(r);
      expect(existsSync(join(cwd, 'kafka-mc-traces/failover-happens.example.html'))).toBe(true);
    },
  },
  'kafka-mc check --property no-data-loss --acks 1 --max-records 0 --max-partitions 0 --grow-bounds': {
    expect: (r) => {
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^ {2}1\. --max-records 0 .*: ok within bounds, [\d,]+ states, cut by --max-records$/m);
      expect(r.stdout).toMatch(/^ {2}2\. --max-records 1 .*: violation/m);
      expect(r.stdout).toMatch(/^VIOLATION: no-data-loss violated after 6 steps/m);
    },
  },
  'kafka-mc validate metadata.txt': {
    why: 'metadata.txt comes from kafka-dump-log.sh on a real cluster: the KAFKA-19522 fixture stands in for it',
    before: (cwd) =>
      copyFileSync(
        fileURLToPath(new URL('./fixtures/validate/kafka-19522-fenced-last-known-leader.txt', import.meta.url)),
        join(cwd, 'metadata.txt'),
      ),
    expect: (r) => {
      expect(r.code, r.stderr).toBe(1);
      // the excerpt the README shows is what the command prints
      for (const line of [
        'First non-conforming record: offset 23 (line 33), PARTITION_CHANGE_RECORD',
        '  orders-0 before it: leader -1, ISR [], ELR [], last known ELR [1]',
        '    found:    leader 1, ISR [1], ELR [], last known ELR [] (LeaderRecoveryState RECOVERING)',
        '      on the controller re-electing after the batch unfences broker 2: no record (nothing changes)',
        '  ✗ leader-active: leader 1 of orders-0 is fenced (broker epoch 42)',
      ]) {
        expect(r.stdout).toContain(line);
        expect(README).toContain(line);
      }
    },
  },
  'kafka-mc validate --snapshot snapshot.txt segment.txt': {
    why: 'snapshot.txt and segment.txt come from a real cluster: the KAFKA-19522 bug log, split at its batch at offset 16, stands in (its offsets moved so that the snapshot is 00000000000000012345-0000000007.checkpoint)',
    before: writeSnapshotAndSegment,
    expect: (r) =>
      snapshotFlagsKafka19522(
        r,
        'Started from the snapshot (kafka-dump-log.sh text) with end offset 12345, epoch 7: 3 broker(s), 1 partition(s); 16 record(s) of the dump before offset 12345 skipped (the snapshot holds their effect)',
      ),
  },
  'kafka-mc validate --snapshot image.txt --snapshot-end-offset 12345 segment.txt': {
    expect: (r) =>
      snapshotFlagsKafka19522(
        r,
        'Started from the snapshot (kafka-metadata-shell.sh text) with end offset 12345, epoch 7: 3 broker(s), 1 partition(s)',
      ),
  },
  'kafka-mc catalog run kraft-split-brain': {
    expect: (r) => {
      ok(r);
      expect(r.stdout).toContain('Trace saved to kafka-mc-traces/single-controller.trace.json');
    },
  },
  'kafka-mc export-metadata kafka-mc-traces/single-controller.trace.json': {
    expect: (r, cwd) => {
      ok(r);
      expect(existsSync(join(cwd, 'kafka-mc-traces/single-controller.metadata.txt'))).toBe(true);
    },
  },
  'kafka-mc validate kafka-mc-traces/single-controller.metadata.txt': {
    expect: (r) => {
      ok(r);
      expect(r.stdout).toMatch(/^CONFORMS: 1 partition change\(s\) in 1 partition\(s\)/m);
      expect(r.stdout).toMatch(/^Not checkable from the metadata log: data-plane properties no-data-loss/m);
    },
  },
  'kafka-mc export-metadata kafka-mc-traces/single-controller.trace.json --snapshot-at 12 --out tail.txt --snapshot-out snapshot-12.txt':
    {
      expect: (r) => {
        ok(r);
        expect(r.stdout).toMatch(/^wrote snapshot-12\.txt: the snapshot at offset 12 \(kafka-dump-log text\)/);
      },
    },
  'kafka-mc validate --snapshot snapshot-12.txt tail.txt': {
    expect: (r) => {
      ok(r);
      expect(r.stdout).toContain('Started from the snapshot (kafka-dump-log.sh text) with end offset 12, epoch 1');
      expect(r.stdout).toMatch(/^CONFORMS: 1 partition change\(s\) in 1 partition\(s\)/m);
    },
  },
  'kafka-mc catalog': {
    expect: (r) => {
      ok(r);
      expect(r.stdout).toContain('kip-101-hw-truncation');
      expect(r.stdout).toContain('kraft-3.5-last-replica-standing');
    },
  },
  'kafka-mc catalog run kip-101-hw-truncation': {
    expect: (r) => {
      ok(r);
      expect(r.stdout).toMatch(/^Counterexample: 14 steps \(expected 14\)$/m);
    },
  },
  'kafka-mc rules compare --rules clean,unclean,elr,./longestLog.ts': {
    extra: ['--max-states', '20000', '--fuzz-runs', '200'],
    why: 'as written it searches up to 1,000,000 states per rule (about 45 s)',
    expect: (r) => {
      ok(r);
      expect(r.stdout).toMatch(/^Safety \(exhaustive, KRaft mode/m); // the elr column puts it in KRaft mode
      expect(r.stdout).toMatch(/unclean × leader-in-isr +kafka-mc-traces\/unclean\/leader-in-isr\.trace\.json/);
      expect(r.stdout).toMatch(/^longest-isr-log +\d/m);
    },
  },
  'kafka-mc rules compare --preset kafka-4.x-kraft-elr --liveness': {
    extra: ['--max-states', '20000', '--fuzz-runs', '200'],
    why: 'as written it searches up to 1,000,000 states per rule and property',
    expect: (r) => {
      ok(r);
      expect(r.stdout).toMatch(/eventually-leader/);
    },
  },
  'kafka-mc latency --brokers 3,4,5 --faults leader-crash,controller-crash,network --runs 200 --seed 1 --plot latency.svg':
    {
      expect: (r, cwd) => {
        ok(r);
        expectReadmeLatency(r.stdout, readFileSync(join(cwd, 'latency.svg'), 'utf8'));
      },
    },
  'kafka-mc mutate': {
    extra: ['--only', 'no-acks-all,no-check-quorum'],
    why: 'every mutant takes about 80 s; lab.test.ts kills all of them',
    expect: (r) => {
      ok(r);
      expect(r.stdout).toMatch(/no-acks-all.*no-data-loss/);
      expect(r.stdout).toMatch(/no-check-quorum.*single-controller/);
    },
  },
  'kafka-mc mutate --rule ./longestLog.ts --only no-isr-join-epoch-rule': {
    expect: (r) => {
      ok(r);
      expect(r.stdout).toMatch(/no-isr-join-epoch-rule.*log-consistency/);
    },
  },
};

const dirs = tempDirs('readme');
afterAll(() => dirs.cleanup());

describe('the README', () => {
  it('lists only commands this test runs, and this test runs only commands it lists', () => {
    const listed = [...new Set(readmeCommands())];
    expect(
      listed.filter((c) => !(c in ENTRIES)),
      'README commands with no entry here',
    ).toEqual([]);
    expect(
      Object.keys(ENTRIES).filter((c) => !listed.includes(c)),
      'entries the README no longer has',
    ).toEqual([]);
  });

  it('runs every command as a new user would, in order, in one directory', async () => {
    const cwd = dirs.make();
    const rule = readmeRule();
    writeFileSync(join(cwd, rule.name), rule.text);
    // the audit commands read the example configs, as in a checkout
    cpSync(join(ROOT, 'examples'), join(cwd, 'examples'), { recursive: true });
    for (const command of readmeCommands()) {
      const entry = ENTRIES[command];
      if (!entry) continue; // reported by the test above
      entry.before?.(cwd);
      const argv = [...command.split(' ').slice(1), ...(entry.extra ?? [])];
      const stdout = captureStream();
      const stderr = captureStream();
      const opened: string[] = [];
      const code = await main(argv, {
        stdout,
        stderr,
        cwd,
        env: {},
        openFile: (p: string) => {
          opened.push(p);
          return Promise.resolve();
        },
      });
      const r = { code, stdout: stdout.text(), stderr: stderr.text() };
      try {
        entry.expect(r, cwd);
      } catch (e) {
        throw new Error(
          `README command \`${command}\`${entry.extra ? ` (+ ${entry.extra.join(' ')})` : ''}: ${String(e)}\n--- stdout\n${r.stdout.slice(-3000)}\n--- stderr\n${r.stderr.slice(-2000)}`,
        );
      }
      if (command.includes('--open')) expect(opened).toHaveLength(1);
    }
    expect(existsSync(join(cwd, 'kafka-mc-traces'))).toBe(true);
  }, 900_000);
});
