import type { Bounds, ModelConfig } from './config.js';
import { BOUND_MODES } from './config.js';
import type { Action } from './actions.js';
import type { ClusterState, KRaftState, LeaderAndIsr, MetadataRecord, PartitionChange, Replica } from './state.js';
import {
  META_ALTER_PARTITION,
  META_ELECTION,
  META_FENCE,
  META_LEADER_CHANGE,
  META_REGISTER,
  META_SHUTDOWN,
  META_UNFENCE,
  NO_LAST_KNOWN_LEADER,
  NO_LEADER,
  VOTER_CANDIDATE,
  VOTER_FOLLOWER,
  VOTER_LEADER,
  VOTER_RESIGNED,
  has,
  members,
  SPLIT_CUTS_ZOOKEEPER,
  reachesZk as reachesZkOf,
} from './state.js';

/** How `formatSet` spells a set. */
export interface SetStyle {
  /** A member's name (default: its number). */
  readonly name?: (i: number) => string;
  /** What goes between two members (default `,`). */
  readonly separator?: string;
}

/**
 * A set the model stores as a bitmask (brokers, voters, a side of a network split), as text: `{0,2}`
 * for 0b101. `universe` is the member count n (members 0..n-1) or the members in the order to list
 * them; bits outside it are not shown.
 */
export function formatSet(mask: number, universe: number | readonly number[], style: SetStyle = {}): string {
  const ids = typeof universe === 'number' ? members(mask, universe) : universe.filter((i) => has(mask, i));
  return `{${ids.map(style.name ?? ((i) => String(i))).join(style.separator ?? ',')}}`;
}

const b = (id: number): string => (id === NO_LEADER ? 'none' : `b${id}`);

function message(m: LeaderAndIsr, n: number): string {
  return `LeaderAndIsr(p${m.partition}: leader ${b(m.leader)}, leader epoch ${m.leaderEpoch}, ISR ${formatSet(m.isr, n)}, controller epoch ${m.controllerEpoch}) from b${m.from} to b${m.to}`;
}

/** The newest quorum leader broker b can reach (what it fetches metadata from), or -1. */
function quorumLeaderOf(s: ClusterState, b: number): number {
  let best = -1;
  s.kraft?.voters.forEach((x, v) => {
    const node = s.brokers.length + v;
    const ok = s.split === 0 || ((s.split >> b) & 1) === ((s.split >> node) & 1);
    if (x.alive && x.role === VOTER_LEADER && ok && x.epoch > (s.kraft?.voters[best]?.epoch ?? -1)) best = v;
  });
  return best;
}

/** KRaft voter names: c0, c1, … (controller nodes, separate from brokers). */
const voter = (v: number): string => `c${v}`;

/** `{b0,c1}`: a side of a network split over brokers and (KRaft) voters. */
function nodes(mask: number, s: ClusterState): string {
  const B = s.brokers.length;
  const nodeCount = s.kraft ? B + s.kraft.voters.length : B + 1;
  return formatSet(mask, nodeCount, { name: (n) => (n < B ? `b${n}` : s.kraft ? voter(n - B) : 'ZooKeeper') });
}

function partitionChange(c: PartitionChange, n: number): string {
  const elr = c.elr ? `, ELR ${formatSet(c.elr, n)}` : '';
  const lkl = c.lastKnownLeader !== NO_LAST_KNOWN_LEADER ? `, last known leader b${c.lastKnownLeader}` : '';
  return `p${c.partition}: leader ${b(c.leader)} (leader epoch ${c.leaderEpoch}), ISR ${formatSet(c.isr, n)}${elr}${lkl}`;
}

/** A metadata record batch in Kafka's words. */
export function formatRecord(r: MetadataRecord, n = 8): string {
  const parts = r.partitions.map((c) => partitionChange(c, n));
  const tail = parts.length ? `; ${parts.join('; ')}` : '';
  switch (r.kind) {
    case META_LEADER_CHANGE:
      return `LeaderChange(epoch ${r.epoch})`;
    case META_REGISTER:
      return `RegisterBroker(b${r.broker}, broker epoch ${r.brokerEpoch}, fenced)${tail}`;
    case META_FENCE:
      return `FenceBroker(b${r.broker})${tail}`;
    case META_UNFENCE:
      return `UnfenceBroker(b${r.broker})${tail}`;
    case META_SHUTDOWN:
      return `ControlledShutdown(b${r.broker})${tail}`;
    case META_ALTER_PARTITION:
      return `AlterPartition from b${r.broker}${tail}`;
    case META_ELECTION:
      return `ElectLeaders${tail}`; // an admin election or an auto rebalance
  }
}

/** A metadata record batch in a few characters, for a drawn log: `LeaderChange`, `Fence(b0)`, `AlterPartition(p0)`. */
export function recordName(r: MetadataRecord): string {
  const parts = r.partitions.map((c) => `p${c.partition}`).join(',');
  switch (r.kind) {
    case META_LEADER_CHANGE:
      return 'LeaderChange';
    case META_REGISTER:
      return `Register(b${r.broker})`;
    case META_FENCE:
      return `Fence(b${r.broker})`;
    case META_UNFENCE:
      return `Unfence(b${r.broker})`;
    case META_SHUTDOWN:
      return `Shutdown(b${r.broker})`;
    case META_ALTER_PARTITION:
      return `AlterPartition(${parts})`;
    case META_ELECTION:
      return `Election(${parts})`;
  }
}

/** The record a controller step appended, read from the successor state when the caller has it. */
function appended(k: KRaftState, next: ClusterState | undefined, c: number, n: number): string {
  const before = k.voters[c]?.log.length ?? 0;
  const rec = next?.kraft?.voters[c]?.log[before];
  return rec ? `: ${formatRecord(rec, n)}` : '';
}

function formatKRaftAction(a: Action, s: ClusterState, k: KRaftState, next: ClusterState | undefined): string | null {
  const n = s.brokers.length;
  const vx = (v: number): string => `${voter(v)} (Raft epoch ${k.voters[v]?.epoch ?? '?'})`;
  switch (a.kind) {
    case 'raft-timeout': {
      const e = (k.voters[a.voter]?.epoch ?? 0) + 1;
      const after = next?.kraft?.voters[a.voter];
      const votes = after
        ? formatSet(
            after.role === VOTER_LEADER
              ? (next?.kraft?.voters.reduce(
                  (m, x, i) => (x.votedFor === a.voter && x.epoch === e ? m | (1 << i) : m),
                  0,
                ) ?? 0)
              : after.votes,
            k.voters.length,
            { name: voter },
          )
        : '';
      const outcome = !after
        ? ''
        : after.role === VOTER_LEADER
          ? `: wins with the votes of ${votes} and leads the quorum`
          : after.epoch > e
            ? ': a voter is in a newer epoch, it steps down'
            : after.role === VOTER_CANDIDATE
              ? `: votes ${votes}, no majority`
              : '';
      return `${voter(a.voter)} times out and stands for election in Raft epoch ${e}${outcome}`;
    }
    case 'raft-vote': {
      const after = next?.kraft;
      const granted = after?.voters[a.voter]?.votedFor === a.candidate;
      const won = after?.voters[a.candidate]?.role === VOTER_LEADER;
      const stepDown = after && (after.voters[a.candidate]?.epoch ?? 0) > (k.voters[a.candidate]?.epoch ?? 0);
      const result = stepDown
        ? `refuses: it is in a newer epoch, ${voter(a.candidate)} steps down`
        : granted
          ? won
            ? `grants it; ${voter(a.candidate)} wins and leads the quorum`
            : 'grants it'
          : 'refuses';
      return `${vx(a.candidate)} asks ${voter(a.voter)} for its vote: ${voter(a.voter)} ${result}`;
    }
    case 'raft-replicate': {
      const after = next?.kraft;
      const who = after
        ? k.voters
            .map((x, v) =>
              v !== a.leader && after.voters[v]?.leader === a.leader && after.voters[v]?.role === VOTER_FOLLOWER
                ? voter(v)
                : '',
            )
            .filter(Boolean)
        : [];
      const truncated =
        after && k.voters.some((x, v) => (after.voters[v]?.log.length ?? 0) < x.log.length)
          ? ', truncating a diverging suffix'
          : '';
      const hw = after?.voters[a.leader]?.hw;
      return `${who.length ? who.join(', ') : 'voters'} fetch the metadata log from quorum leader ${vx(a.leader)}${truncated}${hw !== undefined ? ` (high watermark ${hw})` : ''}`;
    }
    case 'raft-resign':
      return `quorum leader ${vx(a.leader)} resigns: fewer than a majority of voters fetched from it within the check-quorum timeout (KAFKA-15489)`;
    case 'register-broker': {
      const c = next?.kraft?.voters.findIndex((v, i) => v.log.length > (k.voters[i]?.log.length ?? 0)) ?? -1;
      return `b${a.broker} registers with the active controller${c >= 0 ? ` ${voter(c)}${appended(k, next, c, n)}` : ''}`;
    }
    case 'fence-broker':
      return `controller ${vx(a.controller)} fences b${a.broker} (heartbeat session expired)${appended(k, next, a.controller, n)}`;
    case 'unfence-broker':
      return `controller ${vx(a.controller)} unfences b${a.broker} (caught up with the metadata log)${appended(k, next, a.controller, n)}`;
    case 'fetch-metadata': {
      const L = s.kraft ? quorumLeaderOf(s, a.broker) : -1;
      const hw = k.voters[L]?.hw;
      return `b${a.broker} applies the committed metadata${hw !== undefined ? ` up to offset ${hw} from quorum leader ${voter(L)}` : ''}`;
    }
    case 'crash-voter':
      return `controller ${voter(a.voter)} crashes (its metadata log and quorum state survive)`;
    case 'restart-voter':
      return `controller ${voter(a.voter)} restarts`;
    case 'leader-election':
      return `${adminElectionText(a)} on controller ${vx(a.controller)}${appended(k, next, a.controller, n)}`;
    case 'auto-rebalance':
      return `controller ${vx(a.controller)} rebalances leaders to their preferred replicas (auto.leader.rebalance.enable)${appended(k, next, a.controller, n)}`;
    case 'restart':
      return `b${a.broker} restarts (a new incarnation: it must register again)`;
    case 'partition-network': {
      const all = (1 << (s.brokers.length + k.voters.length)) - 1;
      return `network splits nodes into ${nodes(a.side, s)} | ${nodes(~a.side & all, s)}`;
    }
    default:
      return null; // worded as in ZooKeeper mode (controlled shutdown, crash, the data plane)
  }
}

/** `kafka-leader-election.sh` for one partition, in Kafka's words. */
function adminElectionText(a: Extract<Action, { kind: 'leader-election' }>): string {
  const type = a.election === 'preferred' ? 'PREFERRED' : 'UNCLEAN';
  return `admin runs kafka-leader-election.sh --election-type ${type} for p${a.partition}: b${a.leader} elected`;
}

/**
 * An action in Kafka's words, given the state it is taken in (and, when the caller has it, the state
 * it leads to: KRaft controller steps then name the record they append).
 */
export function formatAction(a: Action, s: ClusterState, next?: ClusterState, cfg?: ModelConfig): string {
  if (s.kraft) {
    const text = formatKRaftAction(a, s, s.kraft, next);
    if (text !== null) return text;
  }
  const ctrl = (c: number): string => `controller b${c} (epoch ${s.brokers[c]?.controller?.epoch ?? '?'})`;
  switch (a.kind) {
    case 'elect-controller':
      return `b${a.broker} wins the /controller znode (controller epoch ${s.zk.controllerEpoch + 1})`;
    case 'resign-controller':
      return `b${a.broker} learns it is no longer controller and resigns`;
    case 'observe-brokers':
      return `${ctrl(a.controller)} processes a broker change (registered: ${formatSet(
        s.zk.brokerEpochs.reduce((m, e, i) => (e ? m | (1 << i) : m), 0),
        s.brokers.length,
      )})${a.deferred ? `; it takes ${formatSet(a.deferred, s.brokers.length)} back later: another partition still owes work for them` : ''}`;
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
    case 'leader-election':
      return `${adminElectionText(a)} on ${ctrl(a.controller)}`;
    case 'auto-rebalance': {
      const moved = (next?.zk.partitions ?? [])
        .map((ps, p) => (ps.leader !== s.zk.partitions[p]?.leader ? `p${p} → b${ps.leader}` : ''))
        .filter(Boolean);
      return `${ctrl(a.controller)} rebalances leaders to their preferred replicas (auto.leader.rebalance.enable)${moved.length ? `: ${moved.join(', ')}` : ''}`;
    }
    case 'controlled-shutdown':
      return `b${a.broker} shuts down in a controlled way (leadership moved, log flushed)${s.zk.controller === a.broker && !s.kraft ? '; it is the controller, so it resigns and /controller is free' : ''}`;
    case 'deliver': {
      const m = a.message;
      const to = s.brokers[m.to];
      const r = to?.replicas[m.partition];
      // What the broker will make of it (the model's `deliver` rules, in the same order).
      const on = (k: keyof ModelConfig['mechanisms']): boolean => cfg?.mechanisms[k] ?? true;
      let outcome = '';
      if (to && on('brokerEpochCheck') && m.brokerEpoch > 0 && m.brokerEpoch < to.epoch)
        outcome = ' — rejected: it was meant for an earlier incarnation (STALE_BROKER_EPOCH, KIP-380)';
      else if (to && on('controllerEpochFencing') && m.controllerEpoch < to.controllerEpochSeen)
        outcome = ' — rejected: STALE_CONTROLLER_EPOCH';
      else if (r && on('leaderEpochFencing') && m.leaderEpoch <= r.leaderEpoch)
        outcome = ' — ignored: its leader epoch is not newer';
      else if (m.leader !== m.to && !m.leaderLive) outcome = ' — ignored: the leader it names is not alive';
      return `deliver ${message(m, s.brokers.length)}${outcome}`;
    }
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
    case 'expand-isr': {
      const before = s.brokers[a.leader]?.replicas[a.partition];
      const after = next?.brokers[a.leader]?.replicas[a.partition];
      if (before?.pendingIsr && after && (after.isr & (1 << a.follower)) === 0)
        return `the controller rejects leader b${a.leader}'s AlterPartition adding b${a.follower} to the ISR of p${a.partition} (INELIGIBLE_REPLICA: b${a.follower} is not live for it); the leader drops the proposal`;
      return `leader b${a.leader} adds caught-up b${a.follower} to the ISR of p${a.partition} (AlterPartition)`;
    }
    case 'flush': {
      const r = s.brokers[a.broker]?.replicas[a.partition];
      return `b${a.broker} flushes its log of p${a.partition} to disk (offsets ${r?.flushed ?? '?'}..${(r?.log.length ?? 0) - 1} are now durable)`;
    }
    case 'checkpoint-hw': {
      const hws = (s.brokers[a.broker]?.replicas ?? [])
        .map((r, p) => (r ? `p${p} ${r.hw}` : ''))
        .filter((x) => x)
        .join(', ');
      return `b${a.broker} writes its high-watermark checkpoint (${hws})`;
    }
    case 'crash':
      return `b${a.broker} crashes (process dies; its log survives)`;
    case 'unclean-shutdown':
      return `b${a.broker} loses power (unclean shutdown: unflushed records are lost)`;
    case 'restart':
      return `b${a.broker} restarts and registers with ZooKeeper`;
    case 'expire-session':
      return `b${a.broker}'s ZooKeeper session expires${s.split !== 0 && !reachesZkOf(s, a.broker) ? ' (cut off from ZooKeeper by the network split)' : ''} (it keeps running: a zombie)`;
    case 'reconnect':
      return `b${a.broker} opens a new ZooKeeper session and re-registers`;
    case 'partition-network': {
      if (!(a.side & SPLIT_CUTS_ZOOKEEPER))
        return `network splits brokers into ${formatSet(a.side, s.brokers.length)} | ${formatSet(~a.side & ((1 << s.brokers.length) - 1), s.brokers.length)} (ZooKeeper reachable from both sides)`;
      const all = (1 << (s.brokers.length + 1)) - 1;
      return `network splits nodes into ${nodes(a.side & all, s)} | ${nodes(~a.side & all, s)}`;
    }
    case 'heal':
      return 'network heals';
    case 'drop':
      return `lose ${message(a.message, s.brokers.length)}`;
    case 'other-partition-on-wire':
      return `${message(a.message, s.brokers.length)} died with its sender's queue: a request about another partition was on the wire`;
    case 'other-partition-request':
      return `a LeaderAndIsr request about another partition, from controller epoch ${a.controllerEpoch}, reaches b${a.broker} (it now fences older controllers)`;
    case 'other-partition-record':
      return a.election
        ? `controller c${a.controller} writes an admin ${a.election} election of another partition`
        : `controller c${a.controller} writes an AlterPartition of another partition`;
    case 'raft-timeout':
    case 'raft-vote':
    case 'raft-replicate':
    case 'raft-resign':
    case 'register-broker':
    case 'fence-broker':
    case 'unfence-broker':
    case 'fetch-metadata':
    case 'crash-voter':
    case 'restart-voter':
      return `${a.kind} (KRaft action in a ZooKeeper-mode state)`;
  }
}

function replicaLine(id: number, r: Replica, n: number): string {
  const role = r.role === 1 ? 'leader' : r.role === 2 ? `follower of ${b(r.leader)}` : 'no role';
  const log = r.log.map((e) => `r${e.id}@e${e.epoch}`).join(' ');
  const pending = r.pendingIsr ? ` (AlterPartition ${formatSet(r.pendingIsr, n)} pending)` : '';
  return `b${id} ${role}, leader epoch ${r.leaderEpoch}, log [${log}] hw ${r.hw}${r.role === 1 ? `, ISR ${formatSet(r.isr, n)}${pending}` : ''}`;
}

const VOTER_ROLES = ['unattached', 'follower', 'candidate', 'leader', 'resigned'];

function kraftLines(s: ClusterState, k: KRaftState, n: number): string[] {
  const lines: string[] = [];
  k.voters.forEach((x, v) => {
    const role =
      x.role === VOTER_FOLLOWER
        ? `follower of ${voter(x.leader)}`
        : x.role === VOTER_CANDIDATE
          ? `candidate (votes ${formatSet(x.votes, k.voters.length)})`
          : x.role === VOTER_RESIGNED
            ? 'resigned'
            : (VOTER_ROLES[x.role] ?? '?');
    const voted = x.votedFor >= 0 && x.role !== VOTER_LEADER ? `, voted for ${voter(x.votedFor)}` : '';
    const log = x.log.map((r, i) => `${i}:${formatRecord(r, n)}@e${r.epoch}`).join(' | ');
    lines.push(`${voter(v)}: ${x.alive ? 'up' : 'DOWN'}, Raft epoch ${x.epoch}, ${role}${voted}, hw ${x.hw}`);
    lines.push(`  log [${log}]`);
  });
  lines.push(
    `committed: ${k.committed.length} record(s)${k.lostCommit ? ' (A COMMITTED RECORD WAS REPLACED)' : ''}${k.minorityCommit ? ' (A MINORITY COMMITTED)' : ''}; brokers: ${k.brokers
      .map((kb, i) => `b${i} epoch ${kb.epoch || '-'}${kb.epoch && !kb.caughtUp ? ' (catching up)' : ''}`)
      .join(', ')}`,
  );
  return lines;
}

/** A multi-line rendering of the whole state. */
export function formatState(s: ClusterState, cfg: ModelConfig): string {
  const lines: string[] = [];
  if (s.kraft) {
    lines.push(...kraftLines(s, s.kraft, cfg.brokers));
    lines.push('committed metadata image:');
  } else
    lines.push(
      `ZooKeeper: controller ${b(s.zk.controller)} (epoch ${s.zk.controllerEpoch}); registered ${formatSet(
        s.zk.brokerEpochs.reduce((m, e, i) => (e ? m | (1 << i) : m), 0),
        cfg.brokers,
      )}`,
    );
  s.zk.partitions.forEach((ps, p) =>
    lines.push(
      `  p${p}: leader ${b(ps.leader)}, leader epoch ${ps.leaderEpoch}, ISR ${formatSet(ps.isr, cfg.brokers)}, ${s.kraft ? 'partition epoch' : 'version'} ${ps.version}`,
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
      if (r) lines.push(`  p${p}: ${replicaLine(i, r, cfg.brokers)}`);
    });
  });
  if (s.split && s.kraft) {
    const all = (1 << (cfg.brokers + s.kraft.voters.length)) - 1;
    lines.push(`network split: ${nodes(s.split, s)} | ${nodes(~s.split & all, s)}`);
  } else if (s.split)
    // Brokers, and (with `splitZooKeeper`) the ZooKeeper node numbered after them.
    lines.push(
      `network split: ${formatSet(s.split, cfg.brokers + 1)} | ${formatSet(~s.split & ((1 << cfg.brokers) - 1), cfg.brokers)}`,
    );
  if (s.inFlight.length) lines.push(`in flight: ${s.inFlight.map((m) => message(m, cfg.brokers)).join('; ')}`);
  if (s.ghost.acked.length)
    lines.push(`acknowledged: ${s.ghost.acked.map((a) => `r${a.id} (p${a.partition} offset ${a.offset})`).join(', ')}`);
  return lines.join('\n');
}

/** `n word`, with an "s" unless n is 1. */
const count = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;

/** Each bound in words, in the order they are listed. */
const BOUND_TEXT: { readonly [K in keyof Bounds]: (n: number) => string } = {
  records: (n) => count(n, 'record'),
  leaderEpochs: (n) => `leader epoch ≤ ${n}`,
  partitionEpochs: (n) => `partition epoch ≤ ${n}`,
  controllerEpochs: (n) => `controller epoch ≤ ${n}`,
  raftEpochs: (n) => `Raft epoch ≤ ${n}`,
  metadataRecords: (n) => count(n, 'metadata record'),
  inFlight: (n) => `${count(n, 'request')} in flight`,
};

/**
 * The config in one line: the model a run checks (the `kafka-mc check` header, a trace's `config:`
 * line, the trace viewer), e.g. "ZooKeeper mode, 3 brokers, 1 partition (RF 3: p0 on {0,1,2}), …;
 * faults: 1 crash; bounds: …". Only the bounds of the config's mode are listed.
 */
export function describeConfig(c: ModelConfig, preset?: string): string {
  const f = c.faults;
  const splits = c.networkSplits === 'any' ? 'any two sides' : 'one node cut off';
  const faults = [
    f.crashes && count(f.crashes, 'crash', 'crashes'),
    f.uncleanShutdowns && count(f.uncleanShutdowns, 'unclean shutdown'),
    f.networkPartitions && `${count(f.networkPartitions, 'network partition')} (${splits})`,
    f.messageLosses && count(f.messageLosses, 'message loss', 'message losses'),
    f.sessionExpiries && count(f.sessionExpiries, 'session expiry', 'session expiries'),
    f.controlledShutdowns && count(f.controlledShutdowns, 'controlled shutdown'),
    f.preferredElections && count(f.preferredElections, 'preferred election'),
    f.uncleanElections && count(f.uncleanElections, 'admin unclean election'),
  ].filter((x): x is string => typeof x === 'string');
  const off = Object.entries(c.mechanisms)
    .filter(([, on]) => !on)
    .map(([k]) => k);
  const assignment = c.assignment.map((rs, p) => `p${p} on {${rs.join(',')}}`).join(', ');
  // A trace file's config may lack a bound (the trace schema asks for none); it is left out then.
  const bounds = (Object.keys(BOUND_TEXT) as (keyof Bounds)[])
    .filter((k) => BOUND_MODES[k].includes(c.mode) && typeof c.bounds[k] === 'number')
    .map((k) => BOUND_TEXT[k](c.bounds[k]));
  const parts = [
    c.mode === 'zk'
      ? 'ZooKeeper mode'
      : `KRaft mode (${count(c.voters, 'controller voter')}${c.preVote ? ', pre-vote' : ''}${c.elr ? ', ELR' : ''})`,
    count(c.brokers, 'broker'),
    `${count(c.partitions, 'partition')} (RF ${c.replicationFactor}: ${assignment})`,
    `min.insync.replicas ${c.minInsyncReplicas}`,
    `acks=${c.acks}`,
    ...(c.uncleanLeaderElection ? ['unclean elections'] : []),
    `rule ${c.electionRule}`,
    `${c.truncation} truncation`,
    ...(c.backgroundFlush ? ['background flush'] : []),
    ...(c.fetchMaxRecords > 0 ? [`fetches of ≤ ${count(c.fetchMaxRecords, 'record')}`] : []),
    ...(c.autoLeaderRebalance
      ? [`auto leader rebalance${c.mode === 'zk' ? ` above ${c.leaderImbalancePercentage}% imbalance` : ''}`]
      : []),
  ];
  const tail = [
    `faults: ${faults.length ? faults.join(', ') : 'none'}`,
    ...(off.length ? [`mechanisms off: ${off.join(', ')}`] : []),
    `bounds: ${bounds.join(', ')}`,
  ];
  return `${preset ? `${preset}: ` : ''}${parts.join(', ')}; ${tail.join('; ')}`;
}
