import type { Model } from '../Model.js';
import { always, type Property } from '../Property.js';

/** Die Hard's water jugs: a 3- and a 5-gallon jug; can you measure exactly 4 gallons? */
export interface Jugs {
  readonly small: number;
  readonly big: number;
}

export type JugAction = 'FillSmall' | 'FillBig' | 'EmptySmall' | 'EmptyBig' | 'SmallToBig' | 'BigToSmall';

const ACTIONS: readonly JugAction[] = ['FillSmall', 'FillBig', 'EmptySmall', 'EmptyBig', 'SmallToBig', 'BigToSmall'];

export const dieHardModel: Model<Jugs, JugAction> = {
  name: 'die-hard',
  initStates: () => [{ small: 0, big: 0 }],
  actions: () => ACTIONS,
  next(s, a) {
    let n: Jugs;
    switch (a) {
      case 'FillSmall':
        n = { small: 3, big: s.big };
        break;
      case 'FillBig':
        n = { small: s.small, big: 5 };
        break;
      case 'EmptySmall':
        n = { small: 0, big: s.big };
        break;
      case 'EmptyBig':
        n = { small: s.small, big: 0 };
        break;
      case 'SmallToBig': {
        const pour = Math.min(s.small, 5 - s.big);
        n = { small: s.small - pour, big: s.big + pour };
        break;
      }
      case 'BigToSmall': {
        const pour = Math.min(s.big, 3 - s.small);
        n = { small: s.small + pour, big: s.big - pour };
        break;
      }
    }
    return n.small === s.small && n.big === s.big ? undefined : n;
  },
  encode(s, sink) {
    sink.push(s.small * 8 + s.big);
  },
  formatAction: (a) => a,
  formatState: (s) => `small=${s.small} big=${s.big}`,
};

/** The "invariant" whose counterexample is the solution. */
export const notFour: Property<Jugs> = always('big-not-4', 'The big jug never holds 4 gallons', (s) => s.big !== 4);
