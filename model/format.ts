import type { ModelConfig } from './config.js';
import type { Action } from './actions.js';
import type { ClusterState, LeaderAndIsr, Replica } from './state.js';
import { NO_LEADER, members } from './state.js';

const set = (mask: number, n = 8): string => `{${members(mask, n).join(',')}}`;
const b = (id: number): string => (id === NO_LEADER ? 'none' : `b${id}`);

function message(m: LeaderAndIsr): string {
  return `LeaderAndIsr(p${m.partition}: leader ${b(m.leader)}, leader epoch ${m.leaderEpoch}, ISR ${set(m.isr)}, controller epoch ${m.controllerEpoch}) from b${m.from} to b${m.to}`;
}

/** An action in Kafka's words, given the state it is taken in. */
export function formatAction(a: Action, s: ClusterState): string {
  const ctrl = (c: number): string => `controller b${c} (epoch ${s.brokers[c]?.controller?.epoch ?? '?'})`;
  switch (a.kind) {
    case 'elect-controller':
      return `b${a.broker} wins the /controller znode (controller epoch ${s.zk.controllerEpoch + 1})`;
    case 'resign-controller':
      return `b${a.broker} learns it is no longer controller and resigns`;
    case 'observe-brokers':
      return `${ctrl(a.controller)} processes a broker change (registered: ${set(s.zk.brokerEpochs.reduce((m, e, i) => (e ? m | (1 << i) : m), 0))})`;
    case 'elect-leader': {
      const ps = s.zk.partitions[a.partition];
      const epoch = (ps?.leaderEpoch ?? 0) + 1;
      if (a.leader === NO_LEADER)
        return `${ctrl(a.controller)} finds no eligible leader: p${a.partition} goes offline (leader epoch ${epoch})`;
      const unclean = ps && (ps.isr & (1 << a.leader)) === 0 ? ' UNCLEAN (outside the ISR)' : '';
      return `${ctrl(a.controller)} elects b${a.leader} leader of p${a.partition}${unclean}, leader epoch ${epoch}`;
    }
    case 'remove-from-isr':
      return `${ctrl(a.controller)} removes dead b${a.broker} from the ISR of p${a.partition}`;
    case 'preferred-election':
      return `admin runs a preferred leader election for p${a.partition} on ${ctrl(a.controller)}`;
    case 'controlled-shutdown':
      return `b${a.broker} shuts down in a controlled way (leadership moved, log flushed)`;
    case 'deliver':
      return `deliver ${message(a.message)}`;
    case 'produce': {
      const r = s.brokers[a.broker]?.replicas[a.partition];
      return `producer writes record r${(s.produced[a.partition] ?? 0) + 1} to leader b${a.broker} of p${a.partition} at offset ${r?.log.length ?? '?'} (leader epoch ${r?.leaderEpoch ?? '?'})`;
    }
    case 'fetch': {
      const r = s.brokers[a.follower]?.replicas[a.partition];
      return `b${a.follower} fetches p${a.partition} from b${r?.leader ?? '?'} at offset ${r?.log.length ?? '?'}${r?.mustTruncate ? ' (after truncating by leader epoch)' : ''}`;
    }
    case 'shrink-isr':
      return `leader b${a.leader} removes lagging b${a.follower} from the ISR of p${a.partition} (AlterPartition)`;
    case 'expand-isr':
      return `leader b${a.leader} adds caught-up b${a.follower} to the ISR of p${a.partition} (AlterPartition)`;
    case 'crash':
      return `b${a.broker} crashes (process dies; its log survives)`;
    case 'unclean-shutdown':
      return `b${a.broker} loses power (unclean shutdown: unflushed records are lost)`;
    case 'restart':
      return `b${a.broker} restarts and registers with ZooKeeper`;
    case 'expire-session':
      return `b${a.broker}'s ZooKeeper session expires (it keeps running: a zombie)`;
    case 'reconnect':
      return `b${a.broker} opens a new ZooKeeper session and re-registers`;
    case 'partition-network':
      return `network splits brokers into ${set(a.side)} | ${set(~a.side & ((1 << s.brokers.length) - 1))}`;
    case 'heal':
      return 'network heals';
    case 'drop':
      return `lose ${message(a.message)}`;
  }
}

function replicaLine(id: number, r: Replica): string {
  const role = r.role === 1 ? 'leader' : r.role === 2 ? `follower of ${b(r.leader)}` : 'no role';
  const log = r.log.map((e) => `r${e.id}@e${e.epoch}`).join(' ');
  return `b${id} ${role}, leader epoch ${r.leaderEpoch}, log [${log}] hw ${r.hw}${r.role === 1 ? `, ISR ${set(r.isr)}` : ''}`;
}

/** A multi-line rendering of the whole state. */
export function formatState(s: ClusterState, cfg: ModelConfig): string {
  const lines: string[] = [];
  lines.push(
    `ZooKeeper: controller ${b(s.zk.controller)} (epoch ${s.zk.controllerEpoch}); registered ${set(s.zk.brokerEpochs.reduce((m, e, i) => (e ? m | (1 << i) : m), 0))}`,
  );
  s.zk.partitions.forEach((ps, p) =>
    lines.push(
      `  p${p}: leader ${b(ps.leader)}, leader epoch ${ps.leaderEpoch}, ISR ${set(ps.isr)}, version ${ps.version}`,
    ),
  );
  s.brokers.forEach((br, i) => {
    const flags = [
      br.alive ? 'up' : 'DOWN',
      br.session ? '' : 'no session',
      br.controller ? `controller(epoch ${br.controller.epoch})` : '',
    ]
      .filter(Boolean)
      .join(', ');
    lines.push(`b${i}: ${flags}`);
    br.replicas.forEach((r, p) => {
      if (r) lines.push(`  p${p}: ${replicaLine(i, r)}`);
    });
  });
  if (s.split) lines.push(`network split: ${set(s.split)} | ${set(~s.split & ((1 << cfg.brokers) - 1))}`);
  if (s.inFlight.length) lines.push(`in flight: ${s.inFlight.map(message).join('; ')}`);
  if (s.ghost.acked.length)
    lines.push(`acknowledged: ${s.ghost.acked.map((a) => `r${a.id} (p${a.partition} offset ${a.offset})`).join(', ')}`);
  return lines.join('\n');
}
