import type {
  Action,
  BrokerRegistration,
  ClusterState,
  MetadataRecord,
  ModelConfig,
  Voter,
} from '../../model/index.js';
import {
  META_LEADER_CHANGE,
  NO_LAST_KNOWN_LEADER,
  VOTER_LEADER,
  formatRecord,
  formatSet,
  has,
  metadataImage,
  newerEpochLed,
  quorumLeaderFor,
  reachable,
  recordName,
  sameRecord,
  voterNode,
} from '../../model/index.js';
import type { StateChange } from '../diff.js';
import { changeLines } from '../renderTrace.js';
import type { Trace } from '../Trace.js';
import { dataPlaneMarks } from './dataPlaneMarks.js';
import type { DiagramView, Mark } from './diagram.js';
import { LANE_W } from './diagram.js';
import type { Cell } from './html.js';
import { brokerName as b, cell, changeTable, esc } from './html.js';
import { REPLICA_HEAD, leaderBadges, replicaCells } from './zkView.js';

/**
 * KRaft mode in the viewer. Lanes: each controller voter (`c0`…, its role and Raft epoch as a badge where
 * they change, its metadata log's high watermark and length beside it, the quorum leader drawn thick),
 * then each broker (thick while it leads a partition, orange while the committed metadata has it fenced,
 * dotted while its process is not registered, dashed while down). Arrows: votes to a candidate, requests
 * from a broker to the active controller (registration, AlterPartition, controlled shutdown), and
 * metadata records from the quorum leader to the voters that replicate them and the brokers that fetch
 * them. A network split shades every lane by its side, so the two sets of nodes read off each row.
 *
 * What the model does not keep is not shown: a broker's applied metadata offset is not part of the
 * state (`KRaftBroker.caughtUp`: only whether it has applied its own registration), and the viewer says
 * so rather than inventing one.
 */

const ROW_H = 46;
/** Arrows and marks sit below the centre of a row, under the band of badges at its top. */
const CENTRE = 30;
const TOP = 74;

const ROLES = ['unattached', 'follower', 'candidate', 'leader', 'resigned'] as const;
const ROLE_LETTER = ['U', 'F', 'C', 'L', 'R'] as const;
const roleName = (x: Voter): string => ROLES[x.role] ?? String(x.role);
const voterName = (v: number): string => (v < 0 ? 'none' : `c${v}`);

const registrationText = (r: BrokerRegistration): string =>
  `broker epoch ${r.epoch}, ${r.inControlledShutdown ? 'in controlled shutdown' : r.fenced ? 'fenced' : 'unfenced'}`;

/** A metadata log as `[LeaderChange@e1 Fence(b0)@e1 | Register(b0)@e1]`, `|` at the high watermark. */
export function metadataLogText(log: readonly MetadataRecord[], hw: number): string {
  const parts = log.map((r) => `${recordName(r)}@e${r.epoch}`);
  parts.splice(Math.min(hw, parts.length), 0, '|');
  return `[${parts.join(' ')}]`;
}

/**
 * A voter's metadata log as record chips with its high watermark: committed (below its HW) in green, and
 * in red a record that differs from the one the cluster committed at that offset (a lost commit).
 */
function metadataLogHtml(
  log: readonly MetadataRecord[],
  hw: number,
  committed: readonly MetadataRecord[],
  n: number,
): string {
  const cells: string[] = [];
  const hwMark = '<span class="hw" title="high watermark">HW</span>';
  log.forEach((r, i) => {
    if (i === hw) cells.push(hwMark);
    const was = committed[i];
    const lost = was !== undefined && !sameRecord(was, r);
    const title = `offset ${i}: ${formatRecord(r, n)}, Raft epoch ${r.epoch}${lost ? ` — replaces the committed ${formatRecord(was, n)}` : ''}`;
    cells.push(
      `<span class="rec meta-rec${i < hw ? ' committed' : ''}${lost ? ' lost' : ''}" title="${esc(title)}">${esc(recordName(r))}<sub>e${r.epoch}</sub></span>`,
    );
  });
  if (hw >= log.length) cells.push(hwMark);
  return `<span class="log metadata-log" data-log="${esc(metadataLogText(log, hw))}">${cells.join('')}</span>`;
}

/** `{c0, b0}`: a set of network nodes (brokers are nodes 0..B-1, voter v is node B+v), voters first as the lanes are. */
function nodeSet(mask: number, brokers: number, voters: number): string {
  const laneOrder = [
    ...Array.from({ length: voters }, (_, v) => brokers + v),
    ...Array.from({ length: brokers }, (_, br) => br),
  ];
  const name = (node: number): string => (node < brokers ? `b${node}` : `c${node - brokers}`);
  return formatSet(mask, laneOrder, { name, separator: ', ' });
}

/** The two sides of a split: the nodes of its bitmask (`ClusterState.split`), then the others. */
function splitSides(split: number, brokers: number, voters: number): readonly [string, string] {
  const all = (1 << (brokers + voters)) - 1;
  return [nodeSet(split, brokers, voters), nodeSet(~split & all, brokers, voters)];
}

/** Whether the two logs differ (length or any record). */
function logChanged(a: readonly MetadataRecord[], b: readonly MetadataRecord[]): boolean {
  return a.length !== b.length || a.some((r, i) => !sameRecord(r, b[i] as MetadataRecord));
}

/** The quorum leader that appended a controller record in this step, or -1. */
function appender(s: ClusterState, next: ClusterState): number {
  const before = s.kraft?.voters ?? [];
  const after = next.kraft?.voters ?? [];
  return after.findIndex((x, v) => {
    const was = before[v];
    const rec = x.log[was?.log.length ?? 0];
    return (
      !!was && was.role === VOTER_LEADER && x.log.length > was.log.length && !!rec && rec.kind !== META_LEADER_CHANGE
    );
  });
}

/** Voters other than L whose log or high watermark changed in the step and that now follow L. */
function replicatedTo(s: ClusterState, next: ClusterState, L: number): number[] {
  const before = s.kraft?.voters ?? [];
  const after = next.kraft?.voters ?? [];
  const out: number[] = [];
  after.forEach((x, v) => {
    const was = before[v];
    if (v === L || !was || x.leader !== L) return;
    if (logChanged(was.log, x.log) || was.hw !== x.hw || was.leader !== L || was.epoch !== x.epoch) out.push(v);
  });
  return out;
}

/** Voters that granted candidate c their vote in this step. */
function grantsTo(s: ClusterState, next: ClusterState, c: number): number[] {
  const before = s.kraft?.voters ?? [];
  const after = next.kraft?.voters ?? [];
  const epoch = after[c]?.epoch ?? -1;
  const out: number[] = [];
  after.forEach((x, w) => {
    const was = before[w];
    if (w !== c && was && x.votedFor === c && x.epoch === epoch && (was.votedFor !== c || was.epoch !== epoch))
      out.push(w);
  });
  return out;
}

/** The KRaft-mode diagram: the controller voters' lanes, then the brokers'. */
export function kraftDiagramView(cfg: ModelConfig, states: readonly ClusterState[]): DiagramView {
  const V = cfg.voters;
  const B = cfg.brokers;
  const lanes = V + B;
  const brokerLane = (br: number): number => V + br;
  const nodeOfLane = (l: number): number => (l < V ? B + l : l - V);
  const regs = states.map((s) => metadataImage(cfg, s.kraft?.committed ?? []).brokers);

  /** Arrows from quorum leader L to the voters that took its records; the first one carries `label`. */
  const replication = (s: ClusterState, next: ClusterState, L: number, slot?: 'lower', label = ''): Mark[] =>
    replicatedTo(s, next, L).map((v, i) => ({
      kind: 'arrow',
      from: L,
      to: v,
      label: i === 0 ? label : '',
      cls: 'meta',
      ...(slot ? { slot } : {}),
    }));

  /** A broker's request to the active controller and the replication of the record it appended. */
  const request = (s: ClusterState, next: ClusterState, br: number, label: string): Mark[] => {
    const c = appender(s, next);
    if (c < 0) return [{ kind: 'mark', lane: brokerLane(br), symbol: '●', label, cls: 'ctl' }];
    return [
      { kind: 'arrow', from: brokerLane(br), to: c, label, cls: 'ctl', slot: 'upper' },
      ...replication(s, next, c, 'lower'),
    ];
  };

  /**
   * A controller's own decision: a mark on its lane and the replication of the record it appended, the
   * first arrow labelled (the mark, when no other voter takes the record in this step).
   */
  const decision = (s: ClusterState, next: ClusterState, c: number, symbol: string, label: string): Mark[] => {
    const rec = next.kraft?.voters[c]?.log[s.kraft?.voters[c]?.log.length ?? 0];
    const arrows = replication(s, next, c, undefined, rec ? recordName(rec) : label);
    return [{ kind: 'mark', lane: c, symbol, label: arrows.length ? '' : label, cls: 'ctl' }, ...arrows];
  };

  function marks(a: Action, s: ClusterState, next: ClusterState): Mark[] {
    const after = next.kraft?.voters ?? [];
    switch (a.kind) {
      case 'raft-timeout': {
        const x = after[a.voter];
        const won = x?.role === VOTER_LEADER;
        const epoch = (s.kraft?.voters[a.voter]?.epoch ?? 0) + 1;
        const votes = grantsTo(s, next, a.voter);
        const label = won ? '' : `stands in Raft epoch ${epoch}`;
        return [
          { kind: 'mark', lane: a.voter, symbol: '◆', label: votes.length ? '' : label, cls: 'ctl' },
          ...votes.map((w): Mark => ({ kind: 'arrow', from: w, to: a.voter, label: '', cls: 'vote', slot: 'upper' })),
          ...(won ? replication(s, next, a.voter, 'lower') : []),
        ];
      }
      case 'raft-vote': {
        const granted = after[a.voter]?.votedFor === a.candidate;
        const won = after[a.candidate]?.role === VOTER_LEADER && s.kraft?.voters[a.candidate]?.role !== VOTER_LEADER;
        return [
          {
            kind: 'arrow',
            from: a.voter,
            to: a.candidate,
            label: granted ? 'vote ✓' : 'vote ✗',
            cls: granted ? 'vote' : 'vote refused',
            slot: 'upper',
          },
          ...(won ? replication(s, next, a.candidate, 'lower') : []),
        ];
      }
      case 'raft-replicate':
        return [
          { kind: 'mark', lane: a.leader, symbol: '⇉', label: '', cls: 'meta' },
          ...replication(s, next, a.leader),
        ];
      case 'raft-resign':
        return [{ kind: 'mark', lane: a.leader, symbol: '↓', label: 'resigns (check quorum)', cls: 'ctl' }];
      case 'register-broker':
        return request(s, next, a.broker, 'register');
      case 'shrink-isr':
        return request(s, next, a.leader, `AlterPartition p${a.partition} − b${a.follower}`);
      case 'expand-isr':
        return request(s, next, a.leader, `AlterPartition p${a.partition} + b${a.follower}`);
      case 'controlled-shutdown':
        return [
          { kind: 'mark', lane: brokerLane(a.broker), symbol: '⊖', label: '', cls: 'fault' },
          ...request(s, next, a.broker, 'controlled shutdown'),
        ];
      case 'fence-broker':
        return decision(s, next, a.controller, '⊘', `fences b${a.broker}`);
      case 'unfence-broker':
        return decision(s, next, a.controller, '⊕', `unfences b${a.broker}`);
      case 'leader-election':
        return decision(s, next, a.controller, '★', `${a.election} election p${a.partition}: b${a.leader}`);
      case 'auto-rebalance':
        return decision(s, next, a.controller, '★', 'auto leader rebalance');
      case 'fetch-metadata': {
        const L = quorumLeaderFor(s, { cfg }, a.broker);
        const hw = s.kraft?.voters[L]?.hw;
        return L < 0
          ? [{ kind: 'mark', lane: brokerLane(a.broker), symbol: '○', label: 'metadata', cls: 'meta' }]
          : [
              {
                kind: 'arrow',
                from: L,
                to: brokerLane(a.broker),
                label: `metadata HW ${hw ?? '?'}`,
                cls: 'meta',
              },
            ];
      }
      case 'crash-voter':
        return [{ kind: 'mark', lane: a.voter, symbol: '✕', label: 'crash', cls: 'fault' }];
      case 'restart-voter':
        return [{ kind: 'mark', lane: a.voter, symbol: '↻', label: 'restart', cls: 'recover' }];
      case 'partition-network': {
        const [one, other] = splitSides(a.side, B, V);
        return [
          {
            kind: 'band',
            label: `network split ${one} | ${other}`,
            cls: 'fault',
            html: `network split <tspan class="side-a-text">${one}</tspan> | <tspan class="side-b-text">${other}</tspan>`,
          },
        ];
      }
      default:
        return withSideEffects(dataPlaneMarks(a, s, next, brokerLane) ?? [], s, next);
    }
  }

  /**
   * A data-plane step can send a request to the controller in the same step (a fetch that lets the
   * leader propose an ISR expansion sends its AlterPartition at once): the step's own arrows move to the
   * lower half and the request and its replication are drawn as well.
   */
  function withSideEffects(own: Mark[], s: ClusterState, next: ClusterState): Mark[] {
    const c = appender(s, next);
    const rec = next.kraft?.voters[c]?.log[s.kraft?.voters[c]?.log.length ?? 0];
    if (c < 0 || !rec) return own;
    const label = rec.partitions
      .map((pc) => `${recordName(rec).replace(/\(.*\)$/, '')} p${pc.partition} ISR ${formatSet(pc.isr, B)}`)
      .join('; ');
    const by: Mark[] =
      rec.broker >= 0
        ? [{ kind: 'arrow', from: brokerLane(rec.broker), to: c, label, cls: 'ctl', slot: 'upper' }]
        : [{ kind: 'mark', lane: c, symbol: '●', label, cls: 'ctl' }];
    return [
      ...own.map((m): Mark => (m.kind === 'arrow' && !m.slot ? { ...m, slot: 'lower' } : m)),
      ...by,
      ...replication(s, next, c, 'lower'),
    ];
  }

  return {
    lanes,
    rowHeight: ROW_H,
    top: TOP,
    centre: CENTRE,
    heads: (x) => {
      const mid = (from: number, to: number): number => (x(from) + x(to)) / 2;
      const span = (from: number, to: number): string =>
        `x1="${x(from) - LANE_W / 2 + 6}" x2="${x(to) + LANE_W / 2 - 6}" y1="${TOP - 36}" y2="${TOP - 36}"`;
      return [
        `<text class="group-head" x="${mid(0, V - 1)}" y="${TOP - 42}">${V > 1 ? 'controller quorum' : 'controller'}</text>`,
        `<line class="group-rule" ${span(0, V - 1)}/>`,
        `<text class="group-head" x="${mid(V, lanes - 1)}" y="${TOP - 42}">brokers</text>`,
        `<line class="group-rule" ${span(V, lanes - 1)}/>`,
        ...Array.from({ length: V }, (_, v) => `<text class="lane-head" x="${x(v)}" y="${TOP - 20}">c${v}</text>`),
        ...Array.from(
          { length: B },
          (_, br) => `<text class="lane-head" x="${x(brokerLane(br))}" y="${TOP - 20}">b${br}</text>`,
        ),
      ];
    },
    rowClasses: (s) => (s.split ? ['split'] : []),
    row(all, k, x, y0) {
      const s = all[k] as ClusterState;
      const prev = k > 0 ? all[k - 1] : undefined;
      const out: string[] = [];
      const y1 = y0 + ROW_H;
      if (s.split)
        for (let l = 0; l < lanes; l++)
          out.push(
            `<rect class="side ${has(s.split, nodeOfLane(l)) ? 'side-a' : 'side-b'}" x="${x(l) - LANE_W / 2 + 6}" y="${y0}" width="${LANE_W - 12}" height="${ROW_H}"/>`,
          );
      s.kraft?.voters.forEach((x0, v) => {
        const was = prev?.kraft?.voters[v];
        const cls = ['lane', 'voter', x0.alive ? roleName(x0) : 'down'].join(' ');
        out.push(`<line class="${cls}" x1="${x(v)}" y1="${y0}" x2="${x(v)}" y2="${y1}"/>`);
        if (!x0.alive) return;
        if (!was || !was.alive || was.role !== x0.role || was.epoch !== x0.epoch)
          out.push(
            `<text class="voter-badge ${roleName(x0)}" x="${x(v) - 5}" y="${y0 + 10}" text-anchor="end"><title>${esc(`c${v}: ${roleName(x0)} in Raft epoch ${x0.epoch}`)}</title>${ROLE_LETTER[x0.role] ?? '?'}·e${x0.epoch}</text>`,
          );
        if (!was || !was.alive || was.hw !== x0.hw || logChanged(was.log, x0.log))
          out.push(
            `<text class="log-note" x="${x(v) + 5}" y="${y0 + 10}"><title>${esc(`c${v}: metadata log of ${x0.log.length} record(s), high watermark ${x0.hw}`)}</title>${x0.hw}/${x0.log.length}</text>`,
          );
      });
      s.brokers.forEach((br, i) => {
        const reg = regs[k]?.[i];
        const kb = s.kraft?.brokers[i];
        const cls = [
          'lane',
          br.alive ? 'up' : 'down',
          reg?.fenced ? 'fenced' : '',
          br.alive && kb?.epoch === 0 ? 'unregistered' : '',
          br.replicas.some((r) => r?.role === 1) && br.alive ? 'leads' : '',
        ]
          .filter(Boolean)
          .join(' ');
        const xl = x(brokerLane(i));
        out.push(`<line class="${cls}" x1="${xl}" y1="${y0}" x2="${xl}" y2="${y1}"/>`);
        out.push(...leaderBadges(all, k, i, xl, y0 + 10));
        const old = k > 0 ? regs[k - 1]?.[i] : undefined;
        if (
          reg &&
          old &&
          (old.epoch !== reg.epoch ||
            old.fenced !== reg.fenced ||
            old.inControlledShutdown !== reg.inControlledShutdown)
        )
          out.push(
            `<text class="reg-note ${reg.fenced ? 'fenced' : 'unfenced'}" x="${xl + 5}" y="${y0 + 10}"><title>${esc(`committed registration of b${i}: ${registrationText(reg)}`)}</title>${reg.inControlledShutdown ? 'shutting down' : reg.fenced ? 'fenced' : 'unfenced'}${old.epoch !== reg.epoch ? ` e${reg.epoch}` : ''}</text>`,
          );
      });
      return out;
    },
    marks,
  };
}

/** What the fields of `ClusterState.zk` mean when it holds KRaft's committed metadata image. */
const IMAGE_FIELDS: Readonly<Record<string, string>> = {
  controllerEpoch: 'Raft epoch of the newest committed record',
  nextCzxid: 'the broker epoch the next registration gets',
  brokerEpochs: 'registered broker epochs',
};

/** What changed, in KRaft's words: network nodes by name, and `zk` read as the committed metadata image. */
export function kraftChangeLines(c: StateChange, s: ClusterState): string[] {
  const B = s.brokers.length;
  const V = s.kraft?.voters.length ?? 0;
  if (c.path === 'split' && typeof c.old === 'number' && typeof c.new === 'number') {
    const side = (m: number): string => (m === 0 ? 'connected' : splitSides(m, B, V).join(' | '));
    return [`split: ${side(c.old)} → ${side(c.new)}`];
  }
  const lines = changeLines(c, B);
  if (!c.path.startsWith('zk.')) return lines;
  const meaning = IMAGE_FIELDS[c.path.slice(3)];
  return lines.map((l) =>
    l.replace(/^zk\.([A-Za-z]+)/, meaning ? `committed image.$1 (${meaning})` : 'committed image.$1'),
  );
}

/** What the KRaft diagram's lanes, badges, arrows and shading mean. */
export function kraftLegend(): string {
  return `<p class="legend" id="legend">Voters: <b>L</b> leader · <b>C</b> candidate · <b>F</b> follower · <b>U</b> unattached · <b>R</b> resigned, <b>·eN</b> Raft epoch N, <b>h/n</b> metadata log of n records with high watermark h; the quorum leader is drawn thick. Brokers: <b>L·eN</b> partition leader in leader epoch N (thick), <span class="swatch fenced"></span> fenced in the committed metadata, <span class="swatch unregistered"></span> not registered, dashed: down. Arrows: <span class="swatch meta"></span> metadata records from the quorum leader, <span class="swatch vote"></span> votes, <span class="swatch ctl"></span> requests to the active controller, <span class="swatch data"></span> partition fetches. A network split shades its two sides <span class="swatch side-a"></span> <span class="swatch side-b"></span>.</p>`;
}

function voterRows(s: ClusterState): Cell[][] {
  const k = s.kraft;
  if (!k) return [];
  const n = s.brokers.length;
  return k.voters.map((x, v) => {
    const ends = x.alive && x.role === VOTER_LEADER ? x.endOffsets.map((e, w) => `c${w}: ${e < 0 ? '?' : e}`) : [];
    return [
      cell(`c${v}`),
      cell(x.alive ? 'up' : 'DOWN'),
      cell(roleName(x)),
      cell(String(x.epoch)),
      cell(voterName(x.votedFor)),
      cell(voterName(x.leader)),
      cell(metadataLogHtml(x.log, x.hw, k.committed, n), metadataLogText(x.log, x.hw)),
      cell(String(x.hw)),
      cell(ends.length ? ends.join(', ') : '—'),
    ];
  });
}

function brokerRows(s: ClusterState, cfg: ModelConfig): Cell[][] {
  const n = s.brokers.length;
  const regs = metadataImage(cfg, s.kraft?.committed ?? []).brokers;
  const rows: Cell[][] = [];
  s.brokers.forEach((br, i) => {
    const kb = s.kraft?.brokers[i];
    const reg = regs[i];
    const process = !br.alive ? '—' : kb && kb.epoch > 0 ? `registered, broker epoch ${kb.epoch}` : 'not registered';
    const committed = reg ? registrationText(reg) : '—';
    const meta = !br.alive ? '—' : kb?.caughtUp ? 'caught up' : 'not caught up';
    const L = br.alive && s.kraft ? quorumLeaderFor(s, { cfg }, i) : -1;
    const source = s.kraft?.voters[L];
    const deposed = source && s.kraft && newerEpochLed(s.kraft, source.epoch);
    const own = [
      cell(`b${i}`),
      cell(br.alive ? 'up' : 'DOWN'),
      cell(esc(process)),
      cell(esc(committed)),
      cell(esc(meta)),
      cell(
        !br.alive
          ? '—'
          : deposed
            ? `${voterName(L)} <span class="bad" title="a newer Raft epoch has a leader">(deposed)</span>`
            : voterName(L),
        br.alive ? `${voterName(L)}${deposed ? ' (deposed)' : ''}` : '—',
      ),
    ];
    const replicas = br.replicas.flatMap((r, p) => (r ? [replicaCells(r, p, n)] : []));
    if (replicas.length === 0) rows.push([...own, ...REPLICA_HEAD.map(() => cell('—'))]);
    for (const r of replicas) rows.push([...own, ...r]);
  });
  return rows;
}

/** The KRaft-mode sections of step k's details: the quorum, the brokers, the committed image, the network. */
export function kraftSections(trace: Trace, states: readonly ClusterState[], k: number): string[] {
  const s = states[k] as ClusterState;
  const prev = k > 0 ? states[k - 1] : undefined;
  const q = s.kraft;
  if (!q) return [];
  const cfg = trace.config;
  const n = s.brokers.length;
  const V = q.voters.length;
  const out: string[] = [];

  out.push('<h3>Controller quorum</h3>');
  const leaders = q.voters.flatMap((x, v) => {
    if (!x.alive || x.role !== VOTER_LEADER) return [];
    const side = q.voters.filter((_, w) => reachable(s, voterNode(s, v), voterNode(s, w))).length;
    const active = x.hw > x.epochStart ? 'its LeaderChange is committed' : 'its LeaderChange is not committed yet';
    const cut = side * 2 <= V ? `; it reaches only ${side} of ${V} voters` : '';
    return [`<b>c${v}</b> leads Raft epoch ${x.epoch} (${active}${cut})`];
  });
  out.push(
    `<p class="quorum">${leaders.length ? leaders.join('; ') : 'no quorum leader'} · ${q.committed.length} metadata record(s) committed${q.lostCommit ? ' · <span class="bad">a committed record has been replaced</span>' : ''}</p>`,
  );
  out.push(
    changeTable(
      'voters',
      [
        'voter',
        'status',
        'role',
        'Raft epoch',
        'voted for',
        'leader',
        'metadata log (HW)',
        'HW',
        'end offsets (leader view)',
      ],
      voterRows(s),
      prev ? voterRows(prev) : undefined,
      1,
    ),
  );

  out.push('<h3>Brokers</h3>');
  out.push(
    changeTable(
      'brokers kraft',
      [
        'broker',
        'status',
        'this process',
        'committed registration',
        'metadata applied',
        'fetches metadata from',
        ...REPLICA_HEAD,
      ],
      brokerRows(s, cfg),
      prev ? brokerRows(prev, cfg) : undefined,
      1,
    ),
  );
  out.push(
    '<p class="note">The model keeps no applied metadata offset per broker: “caught up” means the broker has applied committed metadata that holds its own registration (<code>KRaftBroker.caughtUp</code>, the condition for unfencing), and its view of each partition (role, leader, leader epoch, partition epoch) is what it last applied. A fetch is a step only when it changes one of these, so the offset it would have reached is not part of the state.</p>',
  );

  out.push('<h3>Committed metadata image</h3>');
  const last = q.committed[q.committed.length - 1];
  out.push(
    `<p class="image">${q.committed.length} record(s) committed${last ? `, the last in Raft epoch ${last.epoch}` : ''}: ${esc(metadataLogText(q.committed, q.committed.length).slice(1, -3))}</p>`,
  );
  const changes = new Map<number, MetadataRecord['partitions'][number]>();
  for (const r of q.committed) for (const c of r.partitions) changes.set(c.partition, c);
  const elrHead = cfg.elr ? '<th>ELR</th><th>last known leader</th>' : '';
  out.push(
    `<table class="partitions"><thead><tr><th>partition</th><th>leader</th><th>leader epoch</th><th>ISR</th>${elrHead}<th>partition epoch</th><th>last changed in Raft epoch</th></tr></thead><tbody>${s.zk.partitions
      .map((ps, p) => {
        const c = changes.get(p);
        const elr = cfg.elr
          ? `<td>${formatSet(c?.elr ?? 0, n)}</td><td>${c && c.lastKnownLeader !== NO_LAST_KNOWN_LEADER ? b(c.lastKnownLeader) : 'none'}</td>`
          : '';
        return `<tr><td>p${p}</td><td>${b(ps.leader)}</td><td>${ps.leaderEpoch}</td><td>${formatSet(ps.isr, n)}</td>${elr}<td>${ps.version}</td><td>${ps.controllerEpoch}</td></tr>`;
      })
      .join('')}</tbody></table>`,
  );

  out.push('<h3>Network</h3>');
  if (s.split) {
    const [one, other] = splitSides(s.split, n, V);
    out.push(
      `<p class="net">split into two sets of nodes: <span class="side-a-text">${one}</span> | <span class="side-b-text">${other}</span></p>`,
    );
  } else out.push('<p class="net">connected</p>');
  return out;
}

/** Style of the KRaft lanes, badges, arrows, legend and tables (added to the page in KRaft mode only). */
export const KRAFT_CSS = `
.group-head { font-size: 11px; text-anchor: middle; fill: var(--muted); text-transform: uppercase; letter-spacing: .06em; }
.group-rule { stroke: var(--line); stroke-width: 1; }
.lane.voter { stroke: #8a93a3; stroke-width: 2; }
.lane.voter.leader { stroke: var(--ctl); stroke-width: 5; } .lane.voter.candidate { stroke: #ef6c00; stroke-width: 3; }
.lane.voter.unattached { stroke-dasharray: 1 3; } .lane.voter.resigned { stroke-dasharray: 6 3; }
.lane.voter.down { stroke: #c3c8d1; stroke-dasharray: 3 4; stroke-width: 2; }
.lane.fenced { stroke: #ef6c00; } .lane.unregistered { stroke-dasharray: 1 3; } .lane.leads { stroke-width: 4; }
.voter-badge { font-size: 9px; font-weight: 700; fill: var(--muted); } .voter-badge.leader { fill: var(--ctl); } .voter-badge.candidate { fill: #ef6c00; }
.log-note { font-size: 9px; fill: var(--msg); font-family: ui-monospace, Menlo, Consolas, monospace; }
.reg-note { font-size: 9px; font-weight: 600; } .reg-note.fenced { fill: #ef6c00; } .reg-note.unfenced { fill: var(--good); }
.arrow.meta { stroke: var(--msg); } .arrow.vote { stroke: var(--good); stroke-dasharray: 5 2; } .arrow.vote.refused { stroke: var(--bad); }
.mark.meta { fill: var(--msg); } .label { paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
.side { pointer-events: none; } .side-a { fill: #1565c0; fill-opacity: .13; } .side-b { fill: #ef6c00; fill-opacity: .15; }
.side-a-text { fill: #1565c0; color: #1565c0; font-weight: 600; } .side-b-text { fill: #c25400; color: #c25400; font-weight: 600; }
.row.split .hit { fill: #fdf6f6; }
.legend { margin: 4px 0 2px; color: var(--muted); font-size: 12px; } .legend b { color: var(--fg); }
.swatch { display: inline-block; width: 18px; height: 0; border-top: 3px solid; vertical-align: middle; margin: 0 2px; }
.swatch.fenced { border-color: #ef6c00; } .swatch.unregistered { border-top-style: dotted; border-color: #5b6475; }
.swatch.meta { border-color: var(--msg); } .swatch.vote { border-color: var(--good); border-top-style: dashed; }
.swatch.ctl { border-color: var(--ctl); } .swatch.data { border-color: var(--data); }
.swatch.side-a { height: 12px; border: 0; background: rgba(21, 101, 192, .18); } .swatch.side-b { height: 12px; border: 0; background: rgba(239, 108, 0, .22); }
.rec.meta-rec { font-size: 12px; } .rec.lost { background: #fdecea; border-color: var(--bad); color: var(--bad); }
.note { color: var(--muted); font-size: 12px; max-width: 980px; } .bad { color: var(--bad); font-weight: 600; }
`;
