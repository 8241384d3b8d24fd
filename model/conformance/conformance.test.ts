import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AREAS, CONFORMANCE_CASES, NOT_EXPRESSIBLE } from './index.js';
import { expectGolden } from '../../checker/testing/golden.js';

/**
 * Runs every conformance case against the model. A case marked `disagrees` asserts the model's current
 * (different) outcome, so fixing the model makes it fail until the mark is removed; the summary lists
 * every disagreement and every scenario the model cannot express.
 */

describe('conformance with Apache Kafka unit tests', () => {
  for (const c of CONFORMANCE_CASES)
    it(`${c.id}: ${c.kafkaTest}${c.disagrees ? ' [DISAGREES]' : ''}`, () => {
      const got = c.run();
      if (c.disagrees) {
        expect(got, 'the model now agrees with Kafka: remove the `disagrees` mark').not.toEqual(c.expected);
        expect(got).toEqual(c.disagrees.model);
      } else expect(got).toEqual(c.expected);
    });

  it('summary: cases run, agreeing, disagreeing, not expressible', () => {
    const ids = CONFORMANCE_CASES.map((c) => c.id);
    expect(new Set(ids).size, 'case ids are unique').toBe(ids.length);
    const agree = CONFORMANCE_CASES.filter((c) => isDeepStrictEqual(c.run(), c.expected));
    const disagree = CONFORMANCE_CASES.filter((c) => c.disagrees);
    const lines: string[] = [];
    lines.push(
      `Kafka conformance: ${CONFORMANCE_CASES.length} cases run, ${agree.length} agree, ${disagree.length} disagree; ` +
        `${new Set(CONFORMANCE_CASES.map((c) => c.kafkaTest)).size} Kafka test methods; ${NOT_EXPRESSIBLE.length} scenarios not expressible`,
    );
    for (const a of AREAS) {
      const cs = CONFORMANCE_CASES.filter((c) => c.area === a);
      const ne = NOT_EXPRESSIBLE.filter((n) => n.area === a).length;
      lines.push(
        `  ${a.padEnd(20)} ${String(cs.length).padStart(3)} cases, ${String(cs.filter((c) => agree.includes(c)).length).padStart(3)} agree, ${String(cs.filter((c) => c.disagrees).length).padStart(2)} disagree, ${String(ne).padStart(2)} not expressible`,
      );
    }
    if (disagree.length) {
      lines.push('', `!!! ${disagree.length} DISAGREEMENT(S) WITH KAFKA !!!`);
      for (const c of disagree)
        lines.push(
          `  ${c.id} (${c.kafkaTest})`,
          `    Kafka: ${JSON.stringify(c.expected)}`,
          `    model: ${JSON.stringify(c.disagrees?.model)}`,
          `    why:   ${c.disagrees?.why ?? ''}`,
        );
    }
    lines.push('', 'Not expressible in the model:');
    for (const n of NOT_EXPRESSIBLE) lines.push(`  ${n.kafkaTest} [${n.area}]: ${n.reason}`);
    console.log(lines.join('\n'));
    expect(agree.length + disagree.length).toBe(CONFORMANCE_CASES.length);
    // The same summary is committed as SUMMARY.md (linked from the README), so the list a reader sees is
    // the list the suite runs; UPDATE_GOLDEN=1 rewrites it.
    const md = [
      '# Conformance summary',
      '',
      '(written by `conformance.test.ts`; `UPDATE_GOLDEN=1` rewrites it)',
      '',
      '```',
      ...lines,
      '```',
      '',
    ].join('\n');
    expectGolden(new URL('./SUMMARY.md', import.meta.url), md);
  });
});
