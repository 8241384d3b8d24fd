/** The fault classes `kafka-mc audit` checks, each a fault budget of the model. */
import { NO_FAULTS, type FaultBudget } from '../../model/index.js';

/** One kind of fault, as an operator names it, and the budget it spends. */
interface FaultKind {
  readonly name: string;
  /** In the table, e.g. "1 crash". */
  readonly label: string;
  readonly budget: keyof FaultBudget;
}

/** The single faults, in the order the table lists them. */
export const FAULT_KINDS: readonly FaultKind[] = [
  { name: 'crash', label: 'broker crash', budget: 'crashes' },
  { name: 'power-loss', label: 'power loss', budget: 'uncleanShutdowns' },
  { name: 'network-split', label: 'network split', budget: 'networkPartitions' },
  { name: 'session-expiry', label: 'session expiry', budget: 'sessionExpiries' },
];

/** A fault class: one fault, or two of different kinds in the same behaviour. */
export interface FaultClass {
  /** `crash`, `crash+network-split`, … (what `--faults` takes). */
  readonly name: string;
  readonly label: string;
  readonly faults: FaultBudget;
}

function classOf(kinds: readonly FaultKind[]): FaultClass {
  const faults = { ...NO_FAULTS };
  for (const k of kinds) faults[k.budget] += 1;
  return { name: kinds.map((k) => k.name).join('+'), label: kinds.map((k) => k.label).join(' + '), faults };
}

/** Every fault class: each single fault, then each pair of two different ones. */
export const FAULT_CLASSES: readonly FaultClass[] = [
  ...FAULT_KINDS.map((k) => classOf([k])),
  ...FAULT_KINDS.flatMap((a, i) => FAULT_KINDS.slice(i + 1).map((b) => classOf([a, b]))),
];

/**
 * The classes `--faults` names (comma-separated; `a+b` in either order), in table order; an unknown
 * name is returned as a problem naming the known ones.
 */
export function selectFaultClasses(names: readonly string[]): { classes: FaultClass[] } | { problem: string } {
  if (!names.length) return { classes: [...FAULT_CLASSES] };
  const wanted = new Set<string>();
  for (const n of names) {
    const canon = n.split('+').map((p) => p.trim());
    const found = FAULT_CLASSES.find((c) => {
      const parts = c.name.split('+');
      return parts.length === canon.length && canon.every((p) => parts.includes(p));
    });
    if (!found)
      return {
        problem: `--faults: unknown fault class "${n}"; choose from ${FAULT_CLASSES.map((c) => c.name).join(', ')}`,
      };
    wanted.add(found.name);
  }
  return { classes: FAULT_CLASSES.filter((c) => wanted.has(c.name)) };
}
