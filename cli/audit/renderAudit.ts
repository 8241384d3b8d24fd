/** The audit's report: settings, model bounds, the table, then the notes behind its answers. */
import { formatCount } from '../format.js';
import { boundFlag } from '../boundCuts.js';
import { BOUND_MODES, type Bounds } from '../../model/index.js';
import { AUDIT_BOUNDS, type AuditSettings } from './auditSettings.js';
import { AUDIT_QUESTIONS, type AuditCell, type AuditRow } from './runAudit.js';

/** The settings block: each value with where it came from. */
export function renderSettings(s: AuditSettings): string {
  const mode = s.mode.value === 'kraft' ? 'KRaft' : 'ZooKeeper';
  const rows: [string, string, string][] = [
    ['controller mode', mode, s.mode.from],
    ['Kafka version', s.version.value, s.version.from],
    ['preset', s.preset.value, s.preset.from],
    ['replication factor', String(s.replicationFactor.value), s.replicationFactor.from],
    ['min.insync.replicas', String(s.minInsyncReplicas.value), s.minInsyncReplicas.from],
    ['unclean.leader.election.enable', String(s.uncleanLeaderElection.value), s.uncleanLeaderElection.from],
    ['producer acks', s.acks.value, s.acks.from],
    ['Eligible Leader Replicas', s.elr.value ? 'on' : 'off', s.elr.from],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  return rows.map(([k, v, from]) => `  ${k.padEnd(w0)}  ${v.padEnd(w1)}  ${from}`.trimEnd()).join('\n');
}

/** The bounds of every run, as the flags of `kafka-mc check` that set them. */
export function boundsText(mode: 'zk' | 'kraft'): string {
  return (Object.keys(AUDIT_BOUNDS) as (keyof Bounds)[])
    .filter((k) => BOUND_MODES[k].includes(mode))
    .map((k) => `${boundFlag(k)} ${AUDIT_BOUNDS[k]}`)
    .join(' ');
}

/** A row's bound note: the bounds that cut its run, shared by rows with the same cuts. */
function cutText(row: AuditRow): string {
  return row.cuts.map((c) => `${c.flag} ${c.value}`).join(', ');
}

/** The cell's text with its note marker: `(a)` for a bound note, `[1]` for a "no". */
function cellText(cell: AuditCell, boundNote: string, noNote: number | undefined): string {
  switch (cell.answer) {
    case 'yes':
      return `yes${cell.vacuous !== undefined ? ', vacuously' : ''}${boundNote ? ` (${boundNote})` : ''}`;
    case 'no':
      return `no [${noNote ?? 0}]`;
    case 'unknown':
      return `unknown (${cell.why === 'time-limit' ? 'time limit' : cell.why})`;
  }
}

/** The table and its notes. */
export function renderTable(rows: readonly AuditRow[]): string {
  const cutNotes: string[] = [];
  const noNotes: string[] = [];
  const lines: string[][] = [['fault class', ...AUDIT_QUESTIONS.map((q) => q.header), 'states']];
  for (const row of rows) {
    const cuts = cutText(row);
    if (cuts && row.cells.some((c) => c.answer === 'yes') && !cutNotes.includes(cuts)) cutNotes.push(cuts);
    const mark = cuts ? String.fromCharCode(97 + cutNotes.indexOf(cuts)) : '';
    const cells = row.cells.map((c, i) => {
      if (c.answer !== 'no') return cellText(c, mark, undefined);
      const q = AUDIT_QUESTIONS[i]?.header ?? '';
      const trace = c.trace !== undefined ? `\n    trace: ${c.trace}` : `\n    trace not saved: ${c.traceError ?? ''}`;
      noNotes.push(`${row.faultClass.label} — ${q} no: ${c.reason}${trace}`);
      return cellText(c, mark, noNotes.length);
    });
    lines.push([row.faultClass.label, ...cells, formatCount(row.states)]);
  }
  const widths = (lines[0] as string[]).map((_, i) => Math.max(...lines.map((l) => (l[i] ?? '').length)));
  const table = lines.map((l) =>
    l
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
  const notes = [
    ...cutNotes.map(
      (c, i) =>
        `(${String.fromCharCode(97 + i)}) yes within the model's bounds only: ${c} disabled steps the cluster could have taken`,
    ),
    ...vacuityNotes(rows),
    ...noNotes.map((n, i) => `[${i + 1}] ${n}`),
  ];
  return [...table, ...(notes.length ? ['', ...notes] : [])].join('\n');
}

/** The last line: how many answers were "no" and "unknown". */
export function summaryOf(rows: readonly AuditRow[]): string {
  const cells = rows.flatMap((r) => r.cells);
  const count = (a: AuditCell['answer']): number => cells.filter((c) => c.answer === a).length;
  const states = rows.reduce((n, r) => n + r.states, 0);
  return `${rows.length} fault class${rows.length === 1 ? '' : 'es'}, ${cells.length} answers: ${count('yes')} yes, ${count('no')} no, ${count('unknown')} unknown; ${formatCount(states)} states explored`;
}

/** What "vacuously" means for each row that has such a "yes". */
function vacuityNotes(rows: readonly AuditRow[]): string[] {
  const out: string[] = [];
  for (const row of rows)
    row.cells.forEach((c, i) => {
      if (c.answer === 'yes' && c.vacuous !== undefined)
        out.push(`vacuously: ${row.faultClass.label} — ${AUDIT_QUESTIONS[i]?.header ?? ''} ${c.vacuous}`);
    });
  return out;
}
