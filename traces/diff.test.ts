import fc from 'fast-check';
import { it } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import type { Json } from './diff.js';
import { applyChanges, diffJson, jsonEqual, parseChangePath } from './diff.js';

const json: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer({ min: -3, max: 3 }),
    fc.constantFrom('a', 'b', ''),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('x', 'y', 'log', 'a b', 'isr'), tie('value'), { maxKeys: 3 }),
  ),
})).value;

describe('diffJson / applyChanges', () => {
  it.prop([json, json], { seed: 424242, numRuns: 400 })(
    'applying the diff of a and b to a gives b, and the diff of equal values is empty',
    (a, b) => {
      const changes = diffJson(a, b);
      const r = applyChanges(a, changes);
      if (!r.ok) throw new Error(r.error);
      expect(jsonEqual(r.value, b)).toBe(true);
      expect(diffJson(a, a)).toEqual([]);
      expect(changes.length === 0).toBe(jsonEqual(a, b));
    },
  );

  it('does not touch its input', () => {
    const a = { x: [1, 2], y: { z: 1 } };
    const copy = structuredClone(a);
    const r = applyChanges(a, [{ path: 'y.z', old: 1, new: 2 }]);
    expect(r.ok && r.value).toEqual({ x: [1, 2], y: { z: 2 } });
    expect(a).toEqual(copy);
  });

  it('names paths as brokers[1].replicas[0].log and parses them back', () => {
    const a = { brokers: [{ r: [{ log: [] as Json[] }] }, { r: [{ log: [] as Json[] }] }] };
    const b = { brokers: [{ r: [{ log: [] as Json[] }] }, { r: [{ log: [{ epoch: 0, id: 1 }] }] }] };
    const [c] = diffJson(a, b);
    expect(c).toEqual({ path: 'brokers[1].r[0].log', old: [], new: [{ epoch: 0, id: 1 }] });
    expect(parseChangePath('brokers[1].r[0].log')).toEqual(['brokers', 1, 'r', 0, 'log']);
    expect(parseChangePath('a["b c"][2]')).toEqual(['a', 'b c', 2]);
    expect(parseChangePath('a..b')).toBeUndefined();
  });

  it('compares flat records in arrays and arrays of primitives as wholes', () => {
    expect(diffJson({ log: [{ epoch: 0, id: 1 }] }, { log: [{ epoch: 1, id: 2 }] })).toEqual([
      { path: 'log[0]', old: { epoch: 0, id: 1 }, new: { epoch: 1, id: 2 } },
    ]);
    expect(diffJson({ leo: [0, 0, 0] }, { leo: [0, 1, 0] })).toEqual([{ path: 'leo', old: [0, 0, 0], new: [0, 1, 0] }]);
  });

  it('reports a change that does not fit the value', () => {
    const r = applyChanges({ a: 1 }, [{ path: 'b.c', new: 1 }]);
    expect(r).toEqual({ ok: false, error: 'change path "b.c" does not exist in the state' });
  });
});
