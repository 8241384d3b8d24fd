import type { Action, ClusterState } from '../../model/index.js';
import { SPLIT_CUTS_ZOOKEEPER, formatSet } from '../../model/index.js';
import { logText } from '../renderTrace.js';
import { dataPlaneMarks } from './dataPlaneMarks.js';
import type { DiagramView, Mark } from './diagram.js';
import type { Cell } from './html.js';
import { brokerName as b, cell, changeTable, esc, logHtml } from './html.js';

/**
 * ZooKeeper mode in the viewer: one lane for ZooKeeper and one per broker (dashed while down, thick
 * while holding `/controller`), controller requests and LeaderAndIsr as arrows; in the details, each
 * broker's replicas and controller view, ZooKeeper's state, the network and the requests in flight.
 */

const ZK = 0;
const lane = (broker: number): number => broker + 1;

/** One side of a ZooKeeper-mode split: brokers, and ZooKeeper (node n) when it is on that side. */
function splitSide(mask: number, n: number): string {
  const brokers = formatSet(mask & ((1 << n) - 1), n);
  return mask & (1 << n) ? `${brokers} + ZooKeeper` : brokers;
}

function zkMarks(a: Action, s: ClusterState, next: ClusterState): Mark[] {
  const n = s.brokers.length;
  switch (a.kind) {
    case 'elect-controller':
      return [
        {
          kind: 'arrow',
          from: lane(a.broker),
          to: ZK,
          label: `/controller (epoch ${next.zk.controllerEpoch})`,
          cls: 'ctl',
        },
      ];
    case 'resign-controller':
      return [{ kind: 'mark', lane: lane(a.broker), symbol: '↓', label: 'resigns as controller', cls: 'ctl' }];
    case 'observe-brokers':
      return [{ kind: 'arrow', from: ZK, to: lane(a.controller), label: 'broker change', cls: 'ctl' }];
    case 'elect-leader': {
      const ps = next.zk.partitions[a.partition];
      return [
        {
          kind: 'arrow',
          from: lane(a.controller),
          to: ZK,
          label: `p${a.partition} leader ${b(a.leader)}, epoch ${ps?.leaderEpoch ?? '?'}`,
          cls: next.ghost.uncleanElection && !s.ghost.uncleanElection ? 'unclean' : 'ctl',
        },
      ];
    }
    case 'remove-from-isr':
      return [
        { kind: 'arrow', from: lane(a.controller), to: ZK, label: `p${a.partition} ISR − b${a.broker}`, cls: 'ctl' },
      ];
    case 'leader-election':
      return [
        {
          kind: 'arrow',
          from: lane(a.controller),
          to: ZK,
          label: `p${a.partition} ${a.election} election: ${b(a.leader)}`,
          cls: a.election === 'unclean' ? 'unclean' : 'ctl',
        },
      ];
    case 'auto-rebalance':
      return [{ kind: 'arrow', from: lane(a.controller), to: ZK, label: 'auto leader rebalance', cls: 'ctl' }];
    case 'controlled-shutdown':
      return [{ kind: 'mark', lane: lane(a.broker), symbol: '⊖', label: 'controlled shutdown', cls: 'fault' }];
    case 'deliver':
      return [
        {
          kind: 'arrow',
          from: lane(a.message.from),
          to: lane(a.message.to),
          label: `LeaderAndIsr p${a.message.partition} ${b(a.message.leader)} e${a.message.leaderEpoch}`,
          cls: 'msg',
        },
      ];
    case 'drop':
      return [
        {
          kind: 'arrow',
          from: lane(a.message.from),
          to: lane(a.message.to),
          label: `lost: LeaderAndIsr p${a.message.partition}`,
          cls: 'lost',
        },
      ];
    case 'shrink-isr':
      return [
        {
          kind: 'arrow',
          from: lane(a.leader),
          to: ZK,
          label: `AlterPartition p${a.partition} − b${a.follower}`,
          cls: 'ctl',
        },
      ];
    case 'expand-isr':
      return [
        {
          kind: 'arrow',
          from: lane(a.leader),
          to: ZK,
          label: `AlterPartition p${a.partition} + b${a.follower}`,
          cls: 'ctl',
        },
      ];
    case 'expire-session':
      return [
        { kind: 'mark', lane: ZK, symbol: '⊘', label: `session of b${a.broker} expires`, cls: 'fault' },
        { kind: 'mark', lane: lane(a.broker), symbol: '⊘', label: '', cls: 'fault' },
      ];
    case 'reconnect':
      return [{ kind: 'arrow', from: lane(a.broker), to: ZK, label: 'new session', cls: 'recover' }];
    case 'partition-network':
      return [
        {
          kind: 'band',
          label:
            a.side & SPLIT_CUTS_ZOOKEEPER
              ? `network split ${splitSide(a.side, n)} | ${splitSide(~a.side & ((1 << (n + 1)) - 1), n)}`
              : `network split ${formatSet(a.side, n)} | ${formatSet(~a.side & ((1 << n) - 1), n)}`,
          cls: 'fault',
        },
      ];
    default:
      // the data plane; KRaft's actions never occur in ZooKeeper mode
      return dataPlaneMarks(a, s, next, lane) ?? [];
  }
}

/** The ZooKeeper-mode diagram: ZooKeeper's lane, then one lane per broker. */
export function zkDiagramView(brokers: number): DiagramView {
  return {
    lanes: brokers + 1,
    rowHeight: 32,
    top: 56,
    heads: (x) => [
      `<text class="lane-head" x="${x(ZK)}" y="${56 - 24}">ZooKeeper</text>`,
      ...Array.from(
        { length: brokers },
        (_, br) => `<text class="lane-head" x="${x(lane(br))}" y="${56 - 24}">broker ${br}</text>`,
      ),
    ],
    rowClasses: (s) => (s.split ? ['split'] : []),
    row(states, k, x, y0) {
      const s = states[k] as ClusterState;
      const out: string[] = [];
      out.push(`<line class="lane zk" x1="${x(ZK)}" y1="${y0}" x2="${x(ZK)}" y2="${y0 + 32}"/>`);
      s.brokers.forEach((br, i) => {
        const lc = ['lane', br.alive ? 'up' : 'down', s.zk.controller === i ? 'controller' : '']
          .filter(Boolean)
          .join(' ');
        out.push(`<line class="${lc}" x1="${x(lane(i))}" y1="${y0}" x2="${x(lane(i))}" y2="${y0 + 32}"/>`);
        out.push(...leaderBadges(states, k, i, x(lane(i)), y0 + 11));
      });
      return out;
    },
    marks: zkMarks,
  };
}

/** A badge (baseline y) where broker i starts acting as a partition's leader (or leads in a new leader epoch). */
export function leaderBadges(states: readonly ClusterState[], k: number, i: number, x: number, y: number): string[] {
  const s = states[k] as ClusterState;
  const br = s.brokers[i];
  if (!br) return [];
  const out: string[] = [];
  br.replicas.forEach((r, p) => {
    const was = k > 0 ? states[k - 1]?.brokers[i] : undefined;
    const wr = was?.replicas[p];
    const same = was?.alive && wr && wr.role === 1 && r && wr.leaderEpoch === r.leaderEpoch;
    if (r && r.role === 1 && br.alive && !same)
      out.push(
        `<text class="leader-badge" x="${x - 5}" y="${y}" text-anchor="end">L${s.zk.partitions.length > 1 ? `p${p}` : ''}·e${r.leaderEpoch}</text>`,
      );
  });
  return out;
}

function brokerRows(s: ClusterState): Cell[][] {
  const n = s.brokers.length;
  const rows: Cell[][] = [];
  s.brokers.forEach((br, i) => {
    const status = `${br.alive ? 'up' : 'DOWN'}${br.alive && !br.session ? ', no ZK session' : ''}`;
    const ctl = br.controller
      ? `controller, epoch ${br.controller.epoch}; sees live ${formatSet(br.controller.live, n)}`
      : '—';
    br.replicas.forEach((r, p) => {
      if (!r) return;
      rows.push([cell(`b${i}`), cell(esc(status)), cell(esc(ctl)), ...replicaCells(r, p, n)]);
    });
  });
  return rows;
}

/** A replica's columns in the brokers table: partition, role, leader, leader epoch, log, ISR, partition epoch. */
export function replicaCells(
  r: NonNullable<ClusterState['brokers'][number]['replicas'][number]>,
  p: number,
  n: number,
): Cell[] {
  const role = r.role === 1 ? 'leader' : r.role === 2 ? 'follower' : 'none';
  return [
    cell(`p${p}`),
    cell(role),
    cell(b(r.leader)),
    cell(String(r.leaderEpoch)),
    cell(logHtml(r.log, r.hw), logText(r.log, r.hw)),
    cell(r.role === 1 ? formatSet(r.isr, n) : '—'),
    cell(String(r.zkVersion)),
  ];
}

/** The replica columns' headings (see `replicaCells`). */
export const REPLICA_HEAD = [
  'partition',
  'role',
  'leader',
  'leader epoch',
  'log (HW)',
  'ISR (leader view)',
  'partition epoch',
] as const;

/** The ZooKeeper-mode sections of a step's details: brokers, ZooKeeper, the network and requests in flight. */
export function zkSections(s: ClusterState, prev: ClusterState | undefined): string[] {
  const n = s.brokers.length;
  const out: string[] = [];
  out.push('<h3>Brokers</h3>');
  out.push(
    changeTable(
      'brokers',
      ['broker', 'status', 'controller view', ...REPLICA_HEAD],
      brokerRows(s),
      prev ? brokerRows(prev) : undefined,
      1,
    ),
  );

  out.push('<h3>ZooKeeper</h3>');
  const registered = s.zk.brokerEpochs.flatMap((e, i) => (e ? [`b${i} (broker epoch ${e})`] : []));
  out.push(
    `<p class="zk">/controller: <b>${b(s.zk.controller)}</b>, controller epoch ${s.zk.controllerEpoch}; registered: ${registered.length ? registered.join(', ') : 'none'}</p>`,
  );
  out.push(
    `<table class="partitions"><thead><tr><th>partition</th><th>leader</th><th>leader epoch</th><th>ISR</th><th>partition epoch</th><th>written by controller epoch</th></tr></thead><tbody>${s.zk.partitions
      .map(
        (ps, p) =>
          `<tr><td>p${p}</td><td>${b(ps.leader)}</td><td>${ps.leaderEpoch}</td><td>${formatSet(ps.isr, n)}</td><td>${ps.version}</td><td>${ps.controllerEpoch}</td></tr>`,
      )
      .join('')}</tbody></table>`,
  );

  out.push('<h3>Network and requests</h3>');
  out.push(
    `<p class="net">${s.split ? `split: ${formatSet(s.split, n)} | ${formatSet(~s.split & ((1 << n) - 1), n)}` : 'connected'}</p>`,
  );
  out.push(
    s.inFlight.length
      ? `<ul class="inflight">${s.inFlight
          .map(
            (m) =>
              `<li>LeaderAndIsr(p${m.partition}: leader ${b(m.leader)}, leader epoch ${m.leaderEpoch}, ISR ${formatSet(m.isr, n)}, controller epoch ${m.controllerEpoch}) b${m.from} → b${m.to}</li>`,
          )
          .join('')}</ul>`
      : '<p class="inflight">no LeaderAndIsr requests in flight</p>',
  );
  return out;
}
