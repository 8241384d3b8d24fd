import type { Model } from '../Model.js';

/** One labelled edge of an explicit graph: an action from `from` to `to` in action family `family`. */
export interface GraphEdge {
  readonly from: number;
  readonly to: number;
  readonly family: string;
}

/**
 * A model given as an explicit graph over integer states, for liveness tests: `actions(s)` are the
 * edges leaving `s` in the order listed (so action indices are positions among `s`'s edges), `next`
 * follows the edge (an edge with `from === to` returns the same state: a stuttering step). The action
 * family is the edge's label.
 */
export function graphModel(
  init: readonly number[],
  edges: readonly (readonly [from: number, to: number, family: string])[],
  name = 'graph',
): Model<number, GraphEdge> {
  const out = new Map<number, GraphEdge[]>();
  for (const [from, to, family] of edges) {
    const list = out.get(from) ?? [];
    list.push({ from, to, family });
    out.set(from, list);
  }
  return {
    name,
    initStates: () => init,
    actions: (s) => out.get(s) ?? [],
    next: (_s, a) => a.to,
    encode: (s, sink) => sink.push(s),
    actionFamily: (a) => a.family,
    formatAction: (a) => `${a.from}->${a.to} (${a.family})`,
    formatState: (s) => String(s),
  };
}
