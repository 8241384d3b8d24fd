import { describe, expect, it } from 'vitest';
import { always, check, type Model, type Property } from './index.js';

/**
 * The checker's partial-order reduction on small models whose independence is plain to see: what it
 * saves, that verdicts stay, that the cycle proviso stops an action being ignored around a cycle, and
 * that a model breaking the contract is told so.
 */

/** n counters that count to k on their own, and a flag set once counters 0 and 1 are both at k. */
interface Counters {
  readonly c: readonly number[];
  readonly flag: boolean;
}
type CounterAction = { readonly inc: number } | 'set-flag';

function counters(n: number, k: number, reduce: boolean): Model<Counters, CounterAction> {
  const enabled = (s: Counters): CounterAction[] => {
    const out: CounterAction[] = [];
    s.c.forEach((v, i) => v < k && out.push({ inc: i }));
    if (!s.flag && s.c[0] === k && s.c[1] === k) out.push('set-flag');
    return out;
  };
  return {
    name: 'counters',
    initStates: () => [{ c: Array<number>(n).fill(0), flag: false }],
    actions: enabled,
    next: (s, a) =>
      a === 'set-flag' ? { ...s, flag: true } : { ...s, c: s.c.map((v, i) => (i === a.inc ? v + 1 : v)) },
    encode: (s, sink) => {
      for (const v of s.c) sink.push(v);
      sink.push(s.flag ? 1 : 0);
    },
    ...(reduce
      ? {
          reduction: {
            writes: ['counters'],
            summary: 'one counter at a time',
            // inc i is independent of every other inc; set-flag reads counters 0 and 1 but cannot happen
            // before inc 0 (or inc 1) while that counter is below k. So {inc i} of the first counter
            // below k is persistent, and invisible to properties that read only the flag.
            persistent: (_s, acts) => {
              const i = acts.findIndex((a) => a !== 'set-flag');
              return i < 0 ? undefined : [i];
            },
            fullyExpands: (s) => s.c.every((v) => v === k),
          },
        }
      : {}),
  };
}

const flagNeverSet: Property<Counters> = { ...always('flag-never-set', 't', (s) => !s.flag), ignores: ['counters'] };
const belowTwo: Property<Counters> = { ...always('flag-or-low', 't', (s) => s.flag || true), ignores: ['counters'] };

describe('persistent sets', () => {
  it('explore one interleaving of independent counters and keep the verdict', () => {
    const full = check(counters(4, 2, false), [flagNeverSet]);
    const reduced = check(counters(4, 2, true), [flagNeverSet]);
    expect(full.kind).toBe('violation');
    expect(reduced.kind).toBe('violation');
    expect(full.stats.reduction).toBeUndefined();
    expect(reduced.stats.reduction).toMatchObject({ used: true, detail: 'one counter at a time' });
    // the shortest counterexample: counters 0 and 1 to 2, then the flag (the initial state's index and 5 steps)
    expect(full.kind === 'violation' && full.violation.path?.length).toBe(6);
    expect(reduced.stats.distinct).toBeLessThan(full.stats.distinct);
  });

  it('pin the reduced state count of a passing run', () => {
    const full = check(counters(3, 2, false), [belowTwo]);
    const reduced = check(counters(3, 2, true), [belowTwo]);
    expect(full.kind).toBe('ok');
    expect(reduced.kind).toBe('ok');
    // all 3^3 counter vectors, each with the flag off, plus the 3 with counters 0 and 1 at 2 and the flag set
    expect(full.stats.distinct).toBe(30);
    // counter 0 to 2, then counter 1, then counter 2 (7 states), and the flag set at the end (1 more):
    // set-flag commutes with counter 2's steps, so it is taken only once they are done
    expect(reduced.stats.distinct).toBe(8);
    expect(reduced.stats.reduction?.reducedStates).toBeGreaterThan(0);
  });

  it('are not used for a property that may read what they write, nor with partialOrder false', () => {
    const plain = always<Counters>('reads-all', 't', (s) => !s.flag);
    expect(check(counters(3, 1, true), [plain]).stats.reduction?.used).toBe(false);
    expect(check(counters(3, 1, true), [flagNeverSet], { partialOrder: false }).stats.reduction).toMatchObject({
      used: false,
      detail: 'turned off (--no-por)',
    });
  });
});

/** A toggles x for ever; B, once, sets the flag. Taking only A's step would ignore B around A's cycle. */
interface Toggle {
  readonly x: number;
  readonly flag: boolean;
}
function toggle(): Model<Toggle, 'a' | 'b'> {
  return {
    name: 'toggle',
    initStates: () => [{ x: 0, flag: false }],
    actions: (s) => (s.flag ? ['a'] : ['a', 'b']),
    next: (s, a) => (a === 'a' ? { ...s, x: 1 - s.x } : { ...s, flag: true }),
    encode: (s, sink) => {
      sink.push(s.x);
      sink.push(s.flag ? 1 : 0);
    },
    reduction: {
      writes: ['x'],
      summary: 'A first',
      persistent: (_s, acts) => (acts.length > 1 ? [0] : undefined),
      fullyExpands: (s) => s.flag,
    },
  };
}

describe('the cycle proviso', () => {
  const noFlag: Property<Toggle> = { ...always('no-flag', 't', (s) => !s.flag), ignores: ['x'] };

  it('expands fully a state whose persistent successor was seen, so B is not ignored', () => {
    const r = check(toggle(), [noFlag]);
    expect(r.kind).toBe('violation');
    expect(r.stats.reduction?.provisoExpansions).toBe(1);
  });

  it('also depth-first', () => {
    const r = check(toggle(), [noFlag], { strategy: 'dfs' });
    expect(r.kind).toBe('violation');
  });
});

describe('the contract', () => {
  it('a model whose fullyExpands is true where it offers a persistent set is told so', () => {
    const m = toggle();
    const broken: Model<Toggle, 'a' | 'b'> = {
      ...m,
      reduction: { ...(m.reduction as NonNullable<typeof m.reduction>), fullyExpands: () => true },
    };
    expect(() => check(broken, [{ ...always<Toggle>('p', 't', () => true), ignores: ['x'] }])).toThrow(
      /Reduction.fullyExpands is true for a state whose persistent set is \[0\]/,
    );
  });

  it('skipped actions are counted and never followed', () => {
    const m = counters(2, 1, false);
    const skipping: Model<Counters, CounterAction> = {
      ...m,
      reduction: {
        writes: ['counters'],
        summary: 'counter 1 never moves',
        persistent: () => undefined,
        fullyExpands: () => true,
        skip: (a) => a !== 'set-flag' && a.inc === 1,
      },
    };
    const r = check(skipping, [flagNeverSet]);
    expect(r.kind).toBe('ok');
    expect(r.stats.distinct).toBe(2);
    expect(r.stats.reduction?.skippedActions).toBe(2);
    // with deadlock detection the state whose only step is skipped would look dead: no reduction then
    const d = check(skipping, [flagNeverSet], { deadlock: true });
    expect(d.stats.reduction?.detail).toBe('deadlock detection is on, and a skipped step may be the only one');
    expect(d.kind).toBe('violation'); // counter 1 moves again, and the flag is set
  });
});
