import type { Action } from '../actions.js';
import type { Broker, ClusterState } from '../state.js';
import { popcount } from '../state.js';
import type { Ctx, D } from './common.js';

/**
 * The faults both modes share, listed and applied the same way; each mode adds its own (`zkSteps.ts`,
 * `kraft/kraftSteps.ts`).
 */

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

/** A mode's faults of running broker `br` (id `b`), listed after its crash and power loss. */
export type RunningBrokerFaults = (s: ClusterState, ctx: Ctx, b: number, br: Broker, out: Action[]) => void;

/**
 * Each broker's faults: a running broker may crash or lose power (each from its budget) and then take
 * the mode's own faults (`runningFaults`, a module-level function: nothing is allocated per state); a
 * stopped one may restart.
 */
export function brokerFaultActions(s: ClusterState, ctx: Ctx, out: Action[], runningFaults: RunningBrokerFaults): void {
  const bud = s.budget;
  for (let b = 0; b < ctx.cfg.brokers; b++) {
    const br = s.brokers[b];
    if (!br) continue;
    if (br.alive) {
      if (bud.crashes > 0) out.push({ kind: 'crash', broker: b });
      if (bud.uncleanShutdowns > 0) out.push({ kind: 'unclean-shutdown', broker: b });
      runningFaults(s, ctx, b, br, out);
    } else out.push({ kind: 'restart', broker: b });
  }
}

/**
 * A network split of `nodes` nodes (see `splitActions`, `mark` marking each split) while there is none
 * and the budget allows one; a heal while there is one.
 */
export function networkFaultActions(s: ClusterState, ctx: Ctx, nodes: number, out: Action[], mark = 0): void {
  if (s.split === 0 && s.budget.networkPartitions > 0) splitActions(nodes, ctx.cfg.networkSplits, out, mark);
  if (s.split !== 0) out.push({ kind: 'heal' });
}

/** How a mode stops a broker's process: a crash (the page cache survives) or a power loss. */
export type StopBroker = (d: D, ctx: Ctx, b: number, how: 'crash' | 'unclean') => void;
/** How a mode starts a stopped broker as a new incarnation. */
export type RestartBroker = (d: D, ctx: Ctx, b: number) => void;

/**
 * Applies a broker crash or power loss (each from its budget) or a restart with the mode's own `stop`
 * and `restart`; false for any other action.
 */
export function applyBrokerFault(d: D, ctx: Ctx, a: Action, stop: StopBroker, restart: RestartBroker): boolean {
  switch (a.kind) {
    case 'crash':
      d.budget.crashes--;
      stop(d, ctx, a.broker, 'crash');
      return true;
    case 'unclean-shutdown':
      d.budget.uncleanShutdowns--;
      stop(d, ctx, a.broker, 'unclean');
      return true;
    case 'restart':
      restart(d, ctx, a.broker);
      return true;
    default:
      return false;
  }
}
