import { esc } from '../traces/viewer/html.js';
import { viewerPage } from '../traces/viewer/renderHtml.js';
import { CHECKS } from './checks.js';
import type { DumpEntry, ParsedDump } from './parseDumpLog.js';
import type { RecordFinding, ValidationReport } from './validateLog.js';

/**
 * `kafka-mc validate --html`: the validated metadata log as a timeline in the trace viewer's page
 * (`viewerPage`): one row per record (offset, Raft epoch of its batch, type, payload), records where a
 * rule broke in red, and for the selected record its batch, its payload and every finding at it — the
 * partition before it, what was found and what the model's controller could have written instead.
 * The first non-conforming record is selected when the page opens. Deterministic; every text from the
 * dump is HTML-escaped.
 */

const ROW_H = 24;
const TOP = 34;
const LEFT = 64;
const WIDTH = 980;

export function renderValidationHtml(
  dump: ParsedDump,
  report: ValidationReport,
  source: string,
  generator: string,
): string {
  const findings = new Map<number, RecordFinding[]>();
  for (const f of report.partitions.flatMap((p) => p.findings))
    findings.set(f.offset, [...(findings.get(f.offset) ?? []), f]);
  const bad = report.verdict === 'violation';
  const first = report.first[0];
  const header = `  <h1><span class="${bad ? 'bad' : 'good'}">${bad ? '✗' : '✓'}</span> ${esc(`kafka-mc validate ${source}`)}</h1>
  <p class="verdict">${bad ? `Violation: the first non-conforming record is offset ${first?.offset ?? '?'}` : 'The log conforms'}${first ? `: <b id="fact">${esc(`${first.check}: ${first.message}`)}</b>` : ''}</p>
  <p class="meta">${esc(`${report.records} metadata records in ${report.batches} batches, ${report.leaderChanges} Raft leader change(s); ELR ${report.elr ? 'on' : 'off'}; election rule ${report.rule}`)}</p>
  ${report.partitions.map((p) => `<p class="meta">${esc(`${p.partition}: ${p.verdict === 'conforms' ? 'conforms' : `violation at offset ${p.findings[0]?.offset ?? '?'}`}, ${p.changes} change(s)`)}</p>`).join('')}
  <p class="meta">${esc(`Not checkable from the metadata log: ${report.notCheckable.map((n) => n.split(':')[0]).join(', ')}`)}</p>
  <p class="help">Click a record, or use ← → (or j / k) to move; Home / End jump to the first / last record.</p>`;
  return viewerPage({
    title: `${bad ? 'violation' : 'conforms'} — kafka-mc validate ${source}`,
    generator,
    css: '',
    header,
    diagramLabel: 'metadata log timeline',
    diagram: timeline(dump, findings),
    steps: dump.entries.map((e) => details(dump, e, findings.get(e.offset) ?? [])),
  });
}

function timeline(dump: ParsedDump, findings: ReadonlyMap<number, readonly RecordFinding[]>): string {
  const height = TOP + dump.entries.length * ROW_H + 8;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}">`,
    `<text class="lane-head step-head" x="${LEFT - 10}" y="${TOP - 14}">offset</text>`,
    `<text class="lane-head action-head" x="${LEFT + 8}" y="${TOP - 14}">epoch · record</text>`,
  ];
  dump.entries.forEach((e, k) => {
    const y0 = TOP + k * ROW_H;
    const epoch = dump.batches[e.batch]?.epoch ?? -1;
    const text = `e${epoch} · ${e.record.type} ${e.payload}`;
    const hit = findings.get(e.offset);
    out.push(`<g class="row${hit ? ' violation' : ''}" data-step="${k}">`);
    out.push(`<title>${esc(`offset ${e.offset} (line ${e.line}): ${e.record.type}`)}</title>`);
    out.push(`<rect class="hit" x="0" y="${y0}" width="${WIDTH}" height="${ROW_H}"/>`);
    out.push(`<text class="step-no" x="${LEFT - 10}" y="${y0 + 16}">${e.offset}</text>`);
    out.push(
      `<text class="action" x="${LEFT + 8}" y="${y0 + 16}">${esc(text.length > 130 ? `${text.slice(0, 129)}…` : text)}</text>`,
    );
    out.push('</g>');
  });
  out.push('</svg>');
  return out.join('');
}

function details(dump: ParsedDump, e: DumpEntry, fs: readonly RecordFinding[]): string {
  const b = dump.batches[e.batch];
  const out = [
    `<h2>${esc(`Offset ${e.offset} (line ${e.line}): ${e.record.type}`)}</h2>`,
    `<p class="kind">${esc(`batch at offset ${b?.baseOffset ?? '?'}, written in Raft epoch ${b?.epoch ?? '?'} (line ${b?.line ?? '?'})`)}</p>`,
    `<h3>Record</h3><pre class="log">${esc(e.payload)}</pre>`,
  ];
  if (fs[0]?.before) out.push(`<h3>${esc(fs[0].partition)} before it</h3><p class="log">${esc(fs[0].before)}</p>`);
  for (const f of fs) {
    out.push(`<p class="violation-note">${esc(`✗ ${f.check}: ${f.message}`)}</p>`);
    if (CHECKS[f.check]) out.push(`<p class="kind">${esc(`rule: ${CHECKS[f.check]}`)}</p>`);
    if (f.found) out.push(`<p class="log">${esc(`found: ${f.found}`)}</p>`);
    if (f.expected?.length)
      out.push(
        "<h3>What the model's controller could have written</h3>",
        `<ul class="changes">${f.expected.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>`,
      );
  }
  if (!fs.length) out.push('<p class="kind">No finding at this record.</p>');
  return out.join('\n');
}
