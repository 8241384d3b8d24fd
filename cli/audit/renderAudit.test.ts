import { describe, expect, it } from 'vitest';
import { FAULT_CLASSES } from './faultClasses.js';
import { renderTable, summaryOf } from './renderAudit.js';
import type { AuditRow } from './runAudit.js';

const cls = (name: string) => {
  const c = FAULT_CLASSES.find((x) => x.name === name);
  if (!c) throw new Error(name);
  return c;
};
const cut = (flag: string, value: number) => ({ bound: flag, flag, value, states: 1, path: '0' });

describe('renderTable', () => {
  it('marks every yes with the bounds that cut its run (rows with the same cuts share a note), numbers each no, says unknown', () => {
    const rows: AuditRow[] = [
      {
        faultClass: cls('crash'),
        cells: [{ answer: 'yes' }, { answer: 'no', reason: 'offline', trace: 't/crash.json' }, { answer: 'yes' }],
        cuts: [cut('--max-records', 1)],
        states: 1234,
        durationMs: 1,
      },
      {
        faultClass: cls('power-loss'),
        cells: [
          { answer: 'yes', vacuous: 'no write is ever acknowledged, so none can be lost' },
          { answer: 'unknown', why: 'time-limit' },
          { answer: 'no', reason: 'stuck', traceError: 'disk full' },
        ],
        cuts: [cut('--max-records', 1)],
        states: 5,
        durationMs: 1,
      },
      {
        faultClass: cls('crash+network-split'),
        cells: [{ answer: 'yes' }, { answer: 'yes' }, { answer: 'yes' }],
        cuts: [],
        states: 7,
        durationMs: 1,
      },
    ];
    expect(renderTable(rows)).toBe(
      [
        'fault class                   acked writes safe?  partition available?  writes accepted?  states',
        'broker crash                  yes (a)             no [1]                yes (a)           1,234',
        'power loss                    yes, vacuously (a)  unknown (time limit)  no [2]            5',
        'broker crash + network split  yes                 yes                   yes               7',
        '',
        "(a) yes within the model's bounds only: --max-records 1 disabled steps the cluster could have taken",
        'vacuously: power loss — acked writes safe? no write is ever acknowledged, so none can be lost',
        '[1] broker crash — partition available? no: offline',
        '    trace: t/crash.json',
        '[2] power loss — writes accepted? no: stuck',
        '    trace not saved: disk full',
      ].join('\n'),
    );
    expect(summaryOf(rows)).toBe('3 fault classes, 9 answers: 6 yes, 2 no, 1 unknown; 1,246 states explored');
  });
});
