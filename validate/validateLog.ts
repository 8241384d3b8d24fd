import type { ElectionRule } from '../model/index.js';
import { clean } from '../model/index.js';
import type { Finding } from './checks.js';
import { changeRules, partitionInvariants } from './checks.js';
import type { ClusterView, PartitionView } from './clusterState.js';
import { ReplayProblem, applyRecord, copyCluster, elrEnabled, emptyCluster, partitionKey } from './clusterState.js';
import type { BatchContext } from './conformance.js';
import { Dense, conformChange, describePartition } from './conformance.js';
import type { KafkaRecord } from './kafkaRecords.js';
import { MIN_ISR_CONFIG, RESOURCE_BROKER, RESOURCE_TOPIC } from './kafkaRecords.js';
import type { DumpEntry, ParsedDump, SkippedEntry } from './parseDumpLog.js';
import { DumpParseError } from './parseDumpLog.js';
import type { SnapshotStart } from './snapshot.js';

/**
 * `kafka-mc validate`: replays a parsed metadata log batch by batch, checks every partition change
 * against the safety rules (`checks.ts`) and the model's controller (`conformance.ts`), and gives a
 * verdict per partition and overall. A partition's first finding is its verdict; it is not checked
 * further (later records would only repeat the damage).
 */

/** One problem at one record. */
export interface RecordFinding extends Finding {
  /** `safety`: a rule on the rebuilt state; `conformance`: the model's controller would not write it. */
  readonly kind: 'safety' | 'conformance';
  readonly offset: number;
  readonly line: number;
  readonly type: string;
  readonly payload: string;
  /** The partition before the record (Kafka's words). */
  readonly before?: string;
  /** What the model's controller would have written instead (one line per request it may have served). */
  readonly expected?: readonly string[];
  readonly found?: string;
}

export interface PartitionVerdict {
  readonly partition: string;
  readonly verdict: 'conforms' | 'violation';
  /** PartitionChangeRecords applied to it. */
  readonly changes: number;
  readonly findings: readonly RecordFinding[];
}

export interface ValidationReport {
  readonly verdict: 'conforms' | 'violation';
  readonly records: number;
  readonly batches: number;
  /** Raft leader changes (`LEADER_CHANGE` control records) in the log. */
  readonly leaderChanges: number;
  readonly elr: boolean;
  readonly rule: string;
  readonly partitions: readonly PartitionVerdict[];
  /** The first non-conforming record (lowest offset) with everything found at it. */
  readonly first: readonly RecordFinding[];
  readonly skipped: readonly SkippedEntry[];
  readonly warnings: readonly string[];
  /** What a metadata log cannot show (always listed: a conforming log proves nothing about them). */
  readonly notCheckable: readonly string[];
  /** The snapshot the run started from (`--snapshot`); the history before its end offset is not checked. */
  readonly snapshot?: SnapshotSummary;
}

export interface SnapshotSummary {
  readonly format: SnapshotStart['format'];
  readonly endOffset: number;
  readonly epoch?: number;
  readonly brokers: number;
  readonly partitions: number;
  /** Records of the dump before the end offset: the snapshot holds their effect, they are not replayed. */
  readonly skippedBefore: number;
}

/** The model's properties a KRaft metadata log cannot show, and why. */
export const NOT_CHECKABLE: Readonly<Record<string, string>> = {
  'no-data-loss': 'data-plane property: acknowledged records live in partition logs, not in the metadata log',
  'log-consistency': 'data-plane property: what consumers read is not in the metadata log',
  'hw-never-passes-isr': 'data-plane property: high watermarks are not in the metadata log',
  'min-isr-respected': 'data-plane property: acks are not in the metadata log',
  'single-controller': 'quorum property: a cut-off controller writes nothing that commits; one log cannot show it',
  'committed-metadata-durable': 'quorum property: a lost commit leaves no trace in the log that survived',
};

interface Run {
  readonly cluster: ClusterView;
  readonly dense: Dense;
  readonly rule: ElectionRule;
  readonly verdicts: Map<string, { changes: number; findings: RecordFinding[] }>;
  readonly skipped: SkippedEntry[];
  readonly warnings: string[];
}

export function validateLog(
  dump: ParsedDump,
  opts: { readonly rule?: ElectionRule; readonly snapshot?: SnapshotStart } = {},
): ValidationReport {
  const start = opts.snapshot;
  const inside = dump.snapshot.ends[0];
  if (inside)
    throw new DumpParseError(
      inside.line,
      `the dump holds a snapshot (end offset ${inside.offset}), whose records are numbered inside the .checkpoint file, not by the log: pass its dump with --snapshot <file> and dump only the .log segments into the dump`,
    );
  const entries = start ? entriesAfter(dump, start.endOffset) : dump.entries;
  const cluster = start ? copyCluster(start.cluster) : emptyCluster();
  const dense = new Dense([...entries.flatMap((e) => brokerIds(e.record)), ...clusterIds(cluster)]);
  const run: Run = {
    cluster,
    dense,
    rule: opts.rule ?? clean,
    verdicts: new Map(),
    skipped: [...dump.skipped],
    warnings: [...dump.warnings],
  };
  if (dense.ids.length > 31)
    run.warnings.push(`${dense.ids.length} brokers: the model's bitmasks hold 31, conformance is not checked`);
  if (start) checkSnapshotState(run, start);
  for (const group of batchGroups(entries)) runBatch(run, group);
  const orphans = run.skipped.filter((s) => s.what.includes(' not applied: ')).length;
  if (orphans)
    run.warnings.push(
      `${orphans} record(s) name a broker, topic or partition the ${start ? 'snapshot and the ' : ''}dump never created: ${start ? 'is the snapshot of this cluster?' : 'it starts mid-log; start from the newest snapshot before it (validate --snapshot <dump of the …-<epoch>.checkpoint> <dump>)'}`,
    );
  const partitions = [...run.cluster.partitions.values()]
    .map((p) => {
      const v = run.verdicts.get(p.name) ?? { changes: 0, findings: [] };
      return { partition: p.name, verdict: v.findings.length ? 'violation' : 'conforms', ...v } as PartitionVerdict;
    })
    .sort((a, b) => a.partition.localeCompare(b.partition));
  const all = partitions.flatMap((p) => p.findings);
  const firstOffset = Math.min(...all.map((f) => f.offset));
  return {
    verdict: all.length ? 'violation' : 'conforms',
    records: entries.length,
    // from the snapshot's end offset on, what the run read
    batches: start ? dump.batches.filter((b) => b.lastOffset >= start.endOffset).length : dump.batches.length,
    leaderChanges: start ? dump.leaderChangeOffsets.filter((o) => o >= start.endOffset).length : dump.leaderChanges,
    elr: elrEnabled(run.cluster),
    rule: run.rule.name,
    partitions,
    first: all.filter((f) => f.offset === firstOffset),
    skipped: run.skipped.sort((a, b) => a.offset - b.offset),
    warnings: run.warnings,
    notCheckable: Object.entries(NOT_CHECKABLE).map(([id, why]) => `${id}: ${why}`),
    ...(start ? { snapshot: summary(start, dump.entries.length - entries.length) } : {}),
  };
}

function summary(s: SnapshotStart, skippedBefore: number): SnapshotSummary {
  return {
    format: s.format,
    endOffset: s.endOffset,
    ...(s.epoch !== undefined ? { epoch: s.epoch } : {}),
    brokers: s.cluster.brokers.size,
    partitions: s.cluster.partitions.size,
    skippedBefore,
  };
}

function clusterIds(c: ClusterView): number[] {
  return [...c.brokers.keys(), ...[...c.partitions.values()].flatMap((p) => [...p.replicas, ...p.isr, p.leader])];
}

/**
 * The dump's records from the snapshot's end offset on. Kafka writes a snapshot at a batch boundary
 * (`SnapshotGenerator.maybeScheduleEmit` skips an image that is not batch aligned), so a batch across
 * the end offset, or a gap between the end offset and the dump's first batch after it, means the
 * snapshot and the dump do not fit: a `DumpParseError` naming both offsets.
 */
export function entriesAfter(dump: ParsedDump, end: number): readonly DumpEntry[] {
  // batches the dump prints (a dump without batch lines has one implicit batch: its boundaries are unknown)
  const across = dump.batches.find((b) => b.line > 0 && b.baseOffset < end && b.lastOffset >= end);
  if (across)
    throw new DumpParseError(
      across.line,
      `the batch at offsets ${across.baseOffset}-${across.lastOffset} holds the snapshot's end offset ${end}, but Kafka writes snapshots at batch boundaries: is the snapshot of this log?`,
    );
  const records = [...dump.entries, ...dump.skipped];
  const after = [...dump.batches.map((b) => b.baseOffset), ...records.map((e) => e.offset)].filter((o) => o >= end);
  if (!after.length)
    throw new DumpParseError(
      dump.entries.at(-1)?.line ?? 1,
      `the dump ends at offset ${Math.max(...dump.batches.map((b) => b.lastOffset))}, before the snapshot's end offset ${end}: nothing after the snapshot to validate; dump the segments that hold offset ${end} and later`,
    );
  const first = Math.min(...after);
  if (first > end)
    throw new DumpParseError(
      dump.batches.find((b) => b.baseOffset === first && b.line > 0)?.line ??
        records.find((e) => e.offset === first)?.line ??
        1,
      `the snapshot ends before offset ${end} but the dump's first record after it is at offset ${first}: offsets ${end}-${first - 1} are missing (dump the segment that holds them, or a newer snapshot)`,
    );
  return dump.entries.filter((e) => e.offset >= end);
}

/**
 * The state the snapshot holds must keep the invariants too. A broken one is reported at the
 * snapshot (offset end - 1, the partition's line in the snapshot): the record that broke it is
 * before the snapshot, in history this run does not see.
 */
function checkSnapshotState(run: Run, s: SnapshotStart): void {
  for (const [key, p] of [...run.cluster.partitions].sort(([a], [b]) => a.localeCompare(b))) {
    const line = s.lines.get(key) ?? 0;
    const at: DumpEntry = {
      offset: s.endOffset - 1,
      line,
      batch: -1,
      version: 0,
      record: { type: 'PARTITION_RECORD', ...p, eligibleLeaderReplicas: p.elr },
      payload: `${p.name} as the snapshot holds it (snapshot line ${line}): ${describePartition(p)}`,
    };
    report(run, p.name, at, 'safety', partitionInvariants(run.cluster, p));
  }
}

function brokerIds(r: KafkaRecord): number[] {
  switch (r.type) {
    case 'REGISTER_BROKER_RECORD':
    case 'BROKER_REGISTRATION_CHANGE_RECORD':
    case 'UNREGISTER_BROKER_RECORD':
      return [r.brokerId];
    case 'FENCE_BROKER_RECORD':
    case 'UNFENCE_BROKER_RECORD':
      return [r.id];
    case 'PARTITION_RECORD':
      return [...r.replicas, ...r.isr, r.leader];
    case 'PARTITION_CHANGE_RECORD':
      return [...(r.replicas ?? []), ...(r.isr ?? []), r.leader];
    default:
      return [];
  }
}

function batchGroups(entries: readonly DumpEntry[]): DumpEntry[][] {
  const out: DumpEntry[][] = [];
  for (const e of entries) {
    const last = out.at(-1);
    if (last && last[0]?.batch === e.batch) last.push(e);
    else out.push([e]);
  }
  return out;
}

/** The batch's controller event: the cluster it leaves and the brokers and configs it changes. */
function batchContext(c: ClusterView, group: readonly DumpEntry[]): BatchContext {
  const after = copyCluster(c);
  const registered = new Set<number>();
  const removed = new Set<number>();
  const minIsrChanged = new Set<string>();
  const words: string[] = [];
  for (const { record: r } of group) {
    if (r.type === 'PARTITION_RECORD' || r.type === 'PARTITION_CHANGE_RECORD') continue;
    try {
      applyRecord(after, r);
    } catch (e) {
      if (!(e instanceof ReplayProblem)) throw e;
    }
    if (r.type === 'UNREGISTER_BROKER_RECORD') {
      removed.add(r.brokerId);
      words.push(`unregisters broker ${r.brokerId}`);
    } else if (r.type === 'REGISTER_BROKER_RECORD') {
      registered.add(r.brokerId);
      removed.add(r.brokerId);
      words.push(`registers broker ${r.brokerId} (epoch ${r.brokerEpoch})`);
    } else if (
      r.type === 'BROKER_REGISTRATION_CHANGE_RECORD' ||
      r.type === 'FENCE_BROKER_RECORD' ||
      r.type === 'UNFENCE_BROKER_RECORD'
    ) {
      const id = 'brokerId' in r ? r.brokerId : r.id;
      const fence =
        r.type === 'FENCE_BROKER_RECORD' || (r.type === 'BROKER_REGISTRATION_CHANGE_RECORD' && r.fenced === 1);
      const shutdown = r.type === 'BROKER_REGISTRATION_CHANGE_RECORD' && r.inControlledShutdown === 1;
      if (fence || shutdown) removed.add(id);
      words.push(
        shutdown ? `puts broker ${id} in controlled shutdown` : fence ? `fences broker ${id}` : `unfences broker ${id}`,
      );
    } else if (r.type === 'CONFIG_RECORD' && r.name === MIN_ISR_CONFIG) {
      if (r.resourceType === RESOURCE_TOPIC) minIsrChanged.add(r.resourceName);
      if (r.resourceType === RESOURCE_BROKER && r.resourceName === '') minIsrChanged.add('');
      words.push(`sets ${MIN_ISR_CONFIG}=${r.value ?? '(default)'} for ${r.resourceName || 'the cluster'}`);
    }
  }
  const brokersChanged = group.some((e) => brokerIds(e.record).length && !e.record.type.startsWith('PARTITION'));
  return {
    after,
    registered,
    removed,
    minIsrChanged,
    brokersChanged,
    event: words.length ? words.join(', ') : 'changes no broker',
  };
}

/** Partitions a record concerns (for attributing end-of-batch invariants). */
function touches(c: ClusterView, r: KafkaRecord, key: string | undefined): string[] {
  if (key) return [key];
  const ids = brokerIds(r);
  const out: string[] = [];
  for (const [k, p] of c.partitions) {
    if (ids.length && ids.some((b) => p.replicas.includes(b))) out.push(k);
    if (r.type === 'CONFIG_RECORD' && (r.resourceName === p.topic || r.resourceName === '')) out.push(k);
  }
  return out;
}

function runBatch(run: Run, group: readonly DumpEntry[]): void {
  const ctx = batchContext(run.cluster, group);
  const blame = new Map<string, DumpEntry>();
  for (const e of group) {
    const before = e.record.type === 'PARTITION_CHANGE_RECORD' ? partitionOf(run.cluster, e.record) : undefined;
    let key: string | undefined;
    try {
      key = applyRecord(run.cluster, e.record);
    } catch (err) {
      if (!(err instanceof ReplayProblem)) throw err;
      run.skipped.push({ offset: e.offset, line: e.line, what: `${e.record.type} not applied: ${err.message}` });
      continue;
    }
    // end-of-batch findings go to the partition's last change in the batch, else to the broker or config record
    for (const k of touches(run.cluster, e.record, key))
      if (key || !blame.get(k)?.record.type.startsWith('PARTITION')) blame.set(k, e);
    const after = key ? run.cluster.partitions.get(key) : undefined;
    if (e.record.type === 'PARTITION_CHANGE_RECORD' && before && after) checkChange(run, ctx, e, before, after);
  }
  for (const [k, e] of blame) {
    const p = run.cluster.partitions.get(k);
    if (p) report(run, p.name, e, 'safety', partitionInvariants(run.cluster, p));
  }
}

function partitionOf(
  c: ClusterView,
  r: { readonly topicId: string; readonly partitionId: number },
): PartitionView | undefined {
  return c.partitions.get(partitionKey(r.topicId, r.partitionId));
}

function checkChange(run: Run, ctx: BatchContext, e: DumpEntry, before: PartitionView, after: PartitionView): void {
  const v = verdictOf(run, after.name);
  v.changes++;
  if (v.findings.length || e.record.type !== 'PARTITION_CHANGE_RECORD') return;
  const state = describePartition(before);
  report(run, after.name, e, 'safety', changeRules(ctx.after, before, after, ctx.registered), state);
  if (run.dense.ids.length > 31) return;
  const c = conformChange(run.dense, run.rule, before, after, e.record, ctx);
  if (!c.ok)
    report(
      run,
      after.name,
      e,
      'conformance',
      [{ check: 'controller-conformance', partition: after.name, message: c.why }],
      state,
      c,
    );
}

function verdictOf(run: Run, name: string): { changes: number; findings: RecordFinding[] } {
  let v = run.verdicts.get(name);
  if (!v) run.verdicts.set(name, (v = { changes: 0, findings: [] }));
  return v;
}

/** Adds findings at record `e` unless the partition already failed at an earlier record. */
function report(
  run: Run,
  name: string,
  e: DumpEntry,
  kind: RecordFinding['kind'],
  fs: readonly Finding[],
  before?: string,
  c?: { readonly expected: readonly string[]; readonly found: string },
): void {
  const v = verdictOf(run, name);
  if (!fs.length || v.findings.some((f) => f.offset < e.offset)) return;
  for (const f of fs) {
    if (v.findings.some((x) => x.check === f.check)) continue;
    v.findings.push({
      ...f,
      kind,
      offset: e.offset,
      line: e.line,
      type: e.record.type,
      payload: e.payload,
      ...(before !== undefined ? { before } : {}),
      ...(c ? { expected: c.expected, found: c.found } : {}),
    });
  }
}
