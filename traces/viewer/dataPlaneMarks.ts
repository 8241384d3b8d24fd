import type { Action, ClusterState } from '../../model/index.js';
import { NO_LEADER } from '../../model/index.js';
import type { Mark } from './diagram.js';

/**
 * What the partition data plane's steps draw, in both modes (they share it): produce, fetch, flush,
 * high-watermark checkpoint, broker crash, power loss and restart. `lane` maps a broker to its lane; undefined for any other action.
 */
export function dataPlaneMarks(
  a: Action,
  s: ClusterState,
  next: ClusterState,
  lane: (broker: number) => number,
): Mark[] | undefined {
  switch (a.kind) {
    case 'produce':
      return [
        {
          kind: 'mark',
          lane: lane(a.broker),
          symbol: '●',
          label: `produce r${(s.produced[a.partition] ?? 0) + 1}`,
          cls: 'data',
        },
      ];
    case 'fetch': {
      const leader = s.brokers[a.follower]?.replicas[a.partition]?.leader ?? NO_LEADER;
      return leader === NO_LEADER
        ? [{ kind: 'mark', lane: lane(a.follower), symbol: '○', label: `fetch p${a.partition}`, cls: 'data' }]
        : [{ kind: 'arrow', from: lane(leader), to: lane(a.follower), label: `fetch p${a.partition}`, cls: 'data' }];
    }
    case 'crash':
      return [{ kind: 'mark', lane: lane(a.broker), symbol: '✕', label: 'crash', cls: 'fault' }];
    case 'unclean-shutdown':
      return [{ kind: 'mark', lane: lane(a.broker), symbol: '✕', label: 'power loss', cls: 'fault' }];
    case 'flush':
      return [
        {
          kind: 'mark',
          lane: lane(a.broker),
          symbol: '⤓',
          label: `flush p${a.partition} to offset ${next.brokers[a.broker]?.replicas[a.partition]?.flushed ?? '?'}`,
          cls: 'data',
        },
      ];
    case 'checkpoint-hw':
      return [{ kind: 'mark', lane: lane(a.broker), symbol: '⤓', label: 'high-watermark checkpoint', cls: 'data' }];
    case 'restart':
      return [{ kind: 'mark', lane: lane(a.broker), symbol: '↻', label: 'restart', cls: 'recover' }];
    case 'heal':
      return [{ kind: 'band', label: 'network heals', cls: 'recover' }];
    default:
      return undefined;
  }
}
