import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTrace } from './io.js';
import type { RenderOptions } from './renderTrace.js';
import { changeLines, renderTrace } from './renderTrace.js';
import type { Trace } from './Trace.js';
import { regressionsDir } from './Trace.js';
import { expectGolden } from '../checker/testing/golden.js';

function load(name: string): Trace {
  const l = loadTrace(join(regressionsDir(), `${name}.trace.json`));
  if (!l.ok) throw new Error(l.error);
  return l.value;
}

const acks1 = load('acks1-leader-crash-data-loss');

/** Compares with a committed golden file (see `expectGolden`). */
function golden(name: string, text: string): void {
  expectGolden(new URL(`./golden/${name}.golden.txt`, import.meta.url), text);
}

describe('renderTrace', () => {
  it.each<[string, RenderOptions]>([
    ['acks1-v1', {}],
    ['acks1-v0', { verbosity: 0 }],
    ['acks1-table', { table: true }],
  ])('matches the golden rendering %s', (name, opts) => {
    golden(name, renderTrace(acks1, opts));
  });

  it('numbers the steps, says each action in Kafka words and ends with the violating fact', () => {
    const text = renderTrace(acks1, { verbosity: 0 });
    const numbered = text.split('\n').filter((l) => /^\d+ {2}/.test(l));
    expect(numbered.map((l) => Number(l.split(' ')[0]))).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(text).toContain('1  producer writes record r1 to leader b0 of p0 at offset 0 (leader epoch 0)');
    expect(text).toContain('2  b0 crashes');
    expect(text.trimEnd().split('\n').at(-2)).toBe('  r1 was acknowledged to the producer at step 1');
    expect(text.trimEnd().split('\n').at(-3)).toBe(
      '✗ no-data-loss fails at step 6: record r1 (p0, offset 0, acknowledged by b0 in leader epoch 0) is missing from the log of leader b1 (leader epoch 1)',
    );
    expect(text.trimEnd().split('\n').at(-1)).toBe('  path 0/0/4/0/0/0/0');
  });

  it('shows only what changed, in Kafka terms (sets for ISR bitmasks, logs as records)', () => {
    const text = renderTrace(acks1);
    expect(text).toContain('brokers[0].replicas[0].log: [] → [r1@e0]');
    expect(text).toContain('brokers[1].replicas[0].isr: {0,1,2} → {1,2}');
    expect(text).toContain(
      'zk.partitions[0]: controllerEpoch 1 → 2, isr {0,1,2} → {1,2}, leader b0 → b1, leaderEpoch 0 → 1',
    );
    expect(text).toContain(
      'inFlight  + LeaderAndIsr(p0: leader b1, leader epoch 1, ISR {1,2}, controller epoch 2, broker epoch 3) b1→b2',
    );
    expect(text).not.toContain('brokers[2]'); // b2 does nothing in this trace
  });

  it('verbosity 2 adds the whole state after each step', () => {
    const text = renderTrace(acks1, { verbosity: 2 });
    expect(text.match(/\| ZooKeeper: controller/g)).toHaveLength(acks1.steps.length);
  });

  it('colours only when asked', () => {
    expect(renderTrace(acks1)).not.toContain('\u001b[');
    const c = renderTrace(acks1, { color: true });
    expect(c).toContain('\u001b[31m');
    expect(c.replace(/\u001b\[\d+m/g, '')).toBe(renderTrace(acks1));
  });

  it('--table shows each broker with its log and the HW marker', () => {
    const text = renderTrace(acks1, { table: true });
    expect(text).toMatch(/b0 +DOWN +no +- +p0 +none +b0 +0 +\[\| r1@e0\]/);
    expect(text).toMatch(/b1 +up +yes +yes \(epoch 2\) +p0 +leader +b1 +1 +\[\|\] +\{1,2\}/);
  });

  it('marks a lasso: prefix, "loop starts here", cycle', () => {
    const lasso: Trace = { ...acks1, property: { ...acks1.property, kind: 'eventually' }, loopStart: 4 };
    const lines = renderTrace(lasso, { verbosity: 0 }).split('\n');
    const at = lines.findIndex((l) => l.includes('loop starts here'));
    expect(lines[at - 1]).toMatch(/^4 {2}/);
    expect(lines[at + 1]).toMatch(/^5 {2}/);
    expect(lines.some((l) => l.includes('back to the state after step 4: the loop repeats forever'))).toBe(true);
  });

  it('renders a set-valued change of a whole record list as additions and removals', () => {
    const lines = changeLines(
      {
        path: 'ghost.acked',
        old: [],
        new: [{ by: 0, id: 1, leaderEpoch: 0, offset: 0, partition: 0 }],
      },
      3,
    );
    expect(lines).toEqual(['ghost.acked  + r1 (p0 offset 0, acked by b0 in leader epoch 0)']);
  });
});
