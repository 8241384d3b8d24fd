import { CHECKS } from './checks.js';
import type { RecordFinding, SnapshotSummary, ValidationReport } from './validateLog.js';
import { NOT_CHECKABLE } from './validateLog.js';

/** `kafka-mc validate`'s text report: per-partition verdicts, the first non-conforming record, the verdict. */
export function renderReport(r: ValidationReport, source: string): string {
  const out: string[] = [
    `${source}: ${r.records} metadata records in ${r.batches} batches, ${r.leaderChanges} Raft leader change(s); ELR ${r.elr ? 'on' : 'off'}; election rule ${r.rule}`,
  ];
  if (r.snapshot) out.push(...renderSnapshot(r.snapshot));
  if (r.skipped.length) {
    out.push(`Skipped ${r.skipped.length} record(s) not interpreted:`);
    for (const s of r.skipped.slice(0, 10)) out.push(`  offset ${s.offset} (line ${s.line}): ${s.what}`);
    if (r.skipped.length > 10) out.push(`  … and ${r.skipped.length - 10} more (--json lists all)`);
  }
  for (const w of r.warnings) out.push(`warning: ${w}`);
  out.push('', 'Partitions:');
  const w = Math.max(0, ...r.partitions.map((p) => p.partition.length));
  for (const p of r.partitions) {
    const f = p.findings[0];
    out.push(
      `  ${p.partition.padEnd(w)}  ${p.verdict === 'conforms' ? 'conforms' : `VIOLATION at offset ${f?.offset ?? '?'} (${p.findings.map((x) => x.check).join(', ')})`}  ${p.changes} change(s)`,
    );
  }
  if (r.first.length) out.push('', ...renderFirst(r.first));
  const data = Object.keys(NOT_CHECKABLE).filter((k) => NOT_CHECKABLE[k]?.startsWith('data-plane'));
  const quorum = Object.keys(NOT_CHECKABLE).filter((k) => NOT_CHECKABLE[k]?.startsWith('quorum'));
  out.push(
    '',
    `Not checkable from the metadata log: data-plane properties ${data.join(', ')}; quorum properties ${quorum.join(', ')}.`,
  );
  const changes = r.partitions.reduce((n, p) => n + p.changes, 0);
  const bad = r.partitions.filter((p) => p.verdict === 'violation').length;
  out.push(
    r.verdict === 'conforms'
      ? `CONFORMS: ${changes} partition change(s) in ${r.partitions.length} partition(s), each one the model's KRaft controller could have written; every safety rule holds`
      : `VIOLATION: ${bad} of ${r.partitions.length} partition(s) break a rule; the first record is offset ${r.first[0]?.offset ?? '?'}`,
  );
  return `${out.join('\n')}\n`;
}

function renderSnapshot(s: SnapshotSummary): string[] {
  const tool = s.format === 'kafka-dump-log' ? 'kafka-dump-log.sh' : 'kafka-metadata-shell.sh';
  return [
    `Started from the snapshot (${tool} text) with end offset ${s.endOffset}${s.epoch !== undefined ? `, epoch ${s.epoch}` : ''}: ${s.brokers} broker(s), ${s.partitions} partition(s)${s.skippedBefore ? `; ${s.skippedBefore} record(s) of the dump before offset ${s.endOffset} skipped (the snapshot holds their effect)` : ''}`,
    `  the history before offset ${s.endOffset} is not checked: only the state the snapshot holds (its invariants) and the records from offset ${s.endOffset} on`,
  ];
}

function renderFirst(fs: readonly RecordFinding[]): string[] {
  const f = fs[0] as RecordFinding;
  const out = [`First non-conforming record: offset ${f.offset} (line ${f.line}), ${f.type}`, `  ${f.payload}`];
  if (f.before) out.push(`  ${f.partition} before it: ${f.before}`);
  for (const x of fs) {
    out.push(`  ✗ ${x.check}: ${x.message}`);
    if (CHECKS[x.check]) out.push(`    (rule: ${CHECKS[x.check]})`);
    if (x.found) out.push(`    found:    ${x.found}`);
    if (x.expected?.length) {
      out.push("    expected (what the model's controller could have written):");
      for (const e of x.expected) out.push(`      ${e}`);
    }
  }
  return out;
}
