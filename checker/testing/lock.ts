import type { Model } from '../Model.js';
import { eventually, type EventuallyProperty, type Fairness } from '../Property.js';

/**
 * A lock shared by a polite client A and a greedy client B, for fairness tests. A can take the lock
 * only while it is free and then keeps it (A is done). B takes it, works while holding it (toggling
 * between reading and writing) and releases it. Four states: free, B reading, B writing, A.
 *
 * - A is enabled only when the lock is free, so B taking and releasing the lock forever is fair to A
 *   under WEAK fairness (A is not continuously enabled) but not under STRONG fairness.
 * - Under strong fairness for A alone, B may still keep the lock forever (working): also weak fairness
 *   of `release` is needed.
 */
export interface LockState {
  readonly lock: 'free' | 'A' | 'B';
  readonly writing: boolean;
}

export type LockAction = 'acquireA' | 'acquireB' | 'work' | 'release';

/** Families: `a` (A's acquire), `acquire` (B's), `work`, `release`. */
export const lockModel: Model<LockState, LockAction> = {
  name: 'lock',
  initStates: () => [{ lock: 'free', writing: false }],
  actions(s) {
    if (s.lock === 'free') return ['acquireA', 'acquireB'];
    if (s.lock === 'B') return ['work', 'release'];
    return [];
  },
  next(s, a) {
    switch (a) {
      case 'acquireA':
        return { lock: 'A', writing: false };
      case 'acquireB':
        return { lock: 'B', writing: false };
      case 'work':
        return { lock: 'B', writing: !s.writing };
      case 'release':
        return { lock: 'free', writing: false };
    }
  },
  encode(s, sink) {
    sink.push(s.lock === 'free' ? 0 : s.lock === 'A' ? 1 : 2);
    sink.bool(s.writing);
  },
  actionFamily: (a) => (a === 'acquireA' ? 'a' : a === 'acquireB' ? 'acquire' : a),
  formatAction: (a) => a,
  formatState: (s) => (s.lock === 'B' ? `B ${s.writing ? 'writing' : 'reading'}` : s.lock),
};

/** "A eventually gets the lock" under the given fairness. */
export function aGetsLock(fairness?: Fairness): EventuallyProperty<LockState> {
  return eventually('a-gets-lock', 'Client A eventually holds the lock', (s) => s.lock === 'A', {
    ...(fairness ? { fairness } : {}),
    explain: (s) => `the lock is ${s.lock === 'free' ? 'free' : `held by ${s.lock}`}`,
  });
}
