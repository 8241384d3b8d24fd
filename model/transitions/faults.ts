import type { Action } from '../actions.js';
import { popcount } from '../state.js';

/**
 * The splits of `n` network nodes a partition fault may make, each listed once (the side holding node
 * 0): every division, or only those cutting off a single node.
 */
export function splitActions(n: number, which: 'any' | 'one-node', out: Action[], mark = 0): void {
  const all = (1 << n) - 1;
  for (let k = 0; k < (1 << (n - 1)) - 1; k++) {
    const side = (k << 1) | 1;
    const other = all & ~side;
    if (which === 'one-node' && popcount(side) !== 1 && popcount(other) !== 1) continue;
    out.push({ kind: 'partition-network', side: side | mark });
  }
}
