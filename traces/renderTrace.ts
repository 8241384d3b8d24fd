import type { ClusterState, MetadataRecord, ModelConfig } from '../model/index.js';
import {
  META_LEADER_CHANGE,
  NO_LEADER,
  VOTER_LEADER,
  describeConfig,
  formatRecord,
  formatSet,
  formatState,
} from '../model/index.js';
import { metricMovesAlong, metricsOf, metricsSummary } from '../properties/index.js';
import { isMetadataRecord, type Json, type StateChange } from './diff.js';
import type { Trace } from './Trace.js';
import { traceStates } from './Trace.js';

/** Options of `renderTrace`. */
export interface RenderOptions {
  /** 0: one line per step; 1 (default): plus what changed; 2: plus the whole state after each step. */
  readonly verbosity?: 0 | 1 | 2;
  /** Render each step as a per-broker table (alive, role, leader epoch, log with HW marker, ISR). */
  readonly table?: boolean;
  /** ANSI colours (default false). */
  readonly color?: boolean;
  /** Show the Kafka metrics that moved at each step (default true; see `properties/metrics.ts`). */
  readonly metrics?: boolean;
}

interface Paint {
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly red: (s: string) => string;
  readonly green: (s: string) => string;
  readonly yellow: (s: string) => string;
}
const ansi = (code: string) => (s: string) => `\u001b[${code}m${s}\u001b[0m`;
const PAINT: Paint = { bold: ansi('1'), dim: ansi('2'), red: ansi('31'), green: ansi('32'), yellow: ansi('33') };
const PLAIN: Paint = { bold: (s) => s, dim: (s) => s, red: (s) => s, green: (s) => s, yellow: (s) => s };

const isObj = (v: unknown): v is { readonly [k: string]: Json } =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const brokerText = (b: number): string => (b === NO_LEADER ? 'none' : `b${b}`);
const ROLES = ['none', 'leader', 'follower'];

const MASK_KEYS = new Set(['isr', 'live', 'split', 'side']);
const BROKER_KEYS = new Set(['leader', 'controller', 'from', 'to', 'by', 'broker']);

/** A log as `[r1@e0 r2@e0 | r3@e1]`, `|` marking the high watermark when given. */
export function logText(log: readonly { readonly epoch: number; readonly id: number }[], hw?: number): string {
  const parts = log.map((e) => `r${e.id}@e${e.epoch}`);
  if (hw !== undefined) parts.splice(Math.min(hw, parts.length), 0, '|');
  return `[${parts.join(' ')}]`;
}

/** A value of the Kafka state in words, knowing the field it sits in (`key`, e.g. `isr` → a broker set). */
export function valueText(v: Json | undefined, key: string, brokers: number): string {
  if (v === undefined) return '(absent)';
  if (typeof v === 'number') {
    if (MASK_KEYS.has(key)) return key === 'split' && v === 0 ? 'connected' : formatSet(v, brokers);
    if (key === 'role') return ROLES[v] ?? String(v);
    if (BROKER_KEYS.has(key)) return brokerText(v);
    return String(v);
  }
  if (Array.isArray(v)) {
    if (key === 'log' && v.every(isMetadataRecord))
      return `[${v.map((x) => recordText(x as { readonly [k: string]: Json }, brokers)).join(' ')}]`;
    if (key === 'log') return logText(v as unknown as { epoch: number; id: number }[]);
    return `[${v.map((x) => valueText(x, key, brokers)).join(', ')}]`;
  }
  if (isObj(v)) return recordText(v, brokers);
  return JSON.stringify(v);
}

/** Known records in Kafka words; any other record as `{field value, …}`. */
function recordText(o: { readonly [k: string]: Json }, brokers: number): string {
  const n = (k: string): number => (typeof o[k] === 'number' ? (o[k] as number) : NaN);
  const keys = Object.keys(o).sort().join(',');
  if (isMetadataRecord(o)) {
    const rec = o as unknown as MetadataRecord;
    return rec.kind === META_LEADER_CHANGE ? formatRecord(rec, brokers) : `${formatRecord(rec, brokers)}@e${rec.epoch}`;
  }
  if (keys === 'epoch,id') return `r${n('id')}@e${n('epoch')}`;
  if (
    keys === 'controllerEpoch,from,isr,leader,leaderEpoch,partition,to,version' ||
    keys === 'brokerEpoch,controllerEpoch,from,isr,leader,leaderEpoch,leaderLive,partition,to,version'
  )
    return `LeaderAndIsr(p${n('partition')}: leader ${brokerText(n('leader'))}${o['leaderLive'] === false && n('leader') >= 0 ? ' (dead)' : ''}, leader epoch ${n('leaderEpoch')}, ISR ${formatSet(n('isr'), brokers)}, controller epoch ${n('controllerEpoch')}${n('brokerEpoch') > 0 ? `, broker epoch ${n('brokerEpoch')}` : ''}) b${n('from')}→b${n('to')}`;
  if (keys === 'by,id,leaderEpoch,offset,partition')
    return `r${n('id')} (p${n('partition')} offset ${n('offset')}, acked by b${n('by')} in leader epoch ${n('leaderEpoch')})`;
  if (keys === 'broker,id,leaderEpoch,offset,partition')
    return `r${n('id')} (p${n('partition')} offset ${n('offset')} on b${n('broker')}, leader epoch ${n('leaderEpoch')})`;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${k} ${valueText(o[k], k, brokers)}`)
    .join(', ')}}`;
}

const lastKey = (path: string): string => {
  const m = /([A-Za-z_$][A-Za-z0-9_$]*)(?:\[\d+\])*$/.exec(path);
  return m?.[1] ?? path;
};

const arrowText = (a: number, b: number, paint: Paint): string =>
  `${paint.red(formatSet(a, 16))} → ${paint.green(formatSet(b, 16))}`;

const VOTER_ROLES = ['unattached', 'follower', 'candidate', 'leader', 'resigned'];

/** A field of a KRaft voter (`kraft.voters[1].role`) in words: voter ids as `c1`, roles by name. */
function voterFieldText(v: Json | undefined, key: string): string | undefined {
  if (typeof v !== 'number') return undefined;
  if (key === 'role') return VOTER_ROLES[v] ?? String(v);
  if (key === 'leader' || key === 'votedFor') return v < 0 ? 'none' : `c${v}`;
  return undefined;
}

/** One change in words: `path: old → new`, field by field for a record, `+`/`-` for a list of records. */
export function changeLines(c: StateChange, brokers: number, paint: Paint = PLAIN): string[] {
  const key = lastKey(c.path);
  if (c.path === 'kraft.leaderEpochs' && typeof c.old === 'number' && typeof c.new === 'number')
    return [`${paint.dim('kraft.leaderEpochs (Raft epochs that had a leader)')}: ${arrowText(c.old, c.new, paint)}`];
  if (/^kraft\.voters\[\d+\]\.[A-Za-z]+$/.test(c.path)) {
    const a = voterFieldText(c.old, key);
    const b = voterFieldText(c.new, key);
    if (a !== undefined && b !== undefined) return [`${paint.dim(c.path)}: ${paint.red(a)} → ${paint.green(b)}`];
  }
  const arrow = (a: string, b: string): string => `${paint.red(a)} → ${paint.green(b)}`;
  const { old: a, new: b } = c;
  const metadataLog = key === 'log' && Array.isArray(a) && Array.isArray(b) && [...a, ...b].every(isMetadataRecord);
  if (Array.isArray(a) && Array.isArray(b) && (key !== 'log' || metadataLog) && [...a, ...b].some(isObj)) {
    const rest = b.map((x) => JSON.stringify(x));
    const removed: string[] = [];
    for (const x of a) {
      const i = rest.indexOf(JSON.stringify(x));
      if (i >= 0) rest.splice(i, 1);
      else removed.push(valueText(x, key, brokers));
    }
    const added = rest.map((x) => valueText(JSON.parse(x) as Json, key, brokers));
    return [
      ...removed.map((x) => `${paint.dim(c.path)}  ${paint.red(`- ${x}`)}`),
      ...added.map((x) => `${paint.dim(c.path)}  ${paint.green(`+ ${x}`)}`),
    ];
  }
  if (isObj(a) && isObj(b) && recordText(a, brokers).startsWith('{')) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    const fields = keys
      .filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
      .map((k) => `${k} ${arrow(valueText(a[k], k, brokers), valueText(b[k], k, brokers))}`);
    return [`${paint.dim(c.path)}: ${fields.join(', ')}`];
  }
  return [`${paint.dim(c.path)}: ${arrow(valueText(a, key, brokers), valueText(b, key, brokers))}`];
}

/** The state in a line: controller, partitions, brokers down, network. */
function stateSummary(s: ClusterState): string {
  const n = s.brokers.length;
  const parts = [s.kraft ? quorumText(s) : `controller ${brokerText(s.zk.controller)} (epoch ${s.zk.controllerEpoch})`];
  s.zk.partitions.forEach((ps, p) =>
    parts.push(`p${p}: leader ${brokerText(ps.leader)}, leader epoch ${ps.leaderEpoch}, ISR ${formatSet(ps.isr, n)}`),
  );
  const down = s.brokers.flatMap((b, i) => (b.alive ? [] : [i]));
  parts.push(down.length ? `down: ${down.map(brokerText).join(', ')}` : 'all brokers up');
  if (s.split) parts.push(`network split ${formatSet(s.split, n)} | ${formatSet(~s.split & ((1 << n) - 1), n)}`);
  return parts.join('; ');
}

/** KRaft: the quorum in a phrase, e.g. `quorum leader c0 (Raft epoch 1)`, with voters down. */
function quorumText(s: ClusterState): string {
  const k = s.kraft;
  if (!k) return '';
  let leader = -1;
  k.voters.forEach((x, v) => {
    if (x.alive && x.role === VOTER_LEADER && (leader < 0 || x.epoch > (k.voters[leader]?.epoch ?? 0))) leader = v;
  });
  const down = k.voters.flatMap((x, v) => (x.alive ? [] : [`c${v}`]));
  const lead =
    leader >= 0 ? `quorum leader c${leader} (Raft epoch ${k.voters[leader]?.epoch ?? '?'})` : 'no quorum leader';
  return down.length ? `${lead}, voters down: ${down.join(', ')}` : lead;
}

/** Per-broker rows of one state, for `--table`; with `cfg`, a last row of Kafka's metrics. */
export function stateTable(s: ClusterState, cfg?: ModelConfig): string[] {
  const n = s.brokers.length;
  const head = ['broker', 'up', 'session', 'controller', 'part', 'role', 'leader', 'epoch', 'log (| = HW)', 'ISR view'];
  const rows: string[][] = [];
  s.brokers.forEach((br, b) => {
    const ctl = br.controller ? `yes (epoch ${br.controller.epoch})` : '-';
    br.replicas.forEach((r, p) => {
      if (!r) return;
      rows.push([
        `b${b}`,
        br.alive ? 'up' : 'DOWN',
        br.session ? 'yes' : 'no',
        ctl,
        `p${p}`,
        ROLES[r.role] ?? String(r.role),
        brokerText(r.leader),
        String(r.leaderEpoch),
        logText(r.log, r.hw),
        r.role === 1 ? formatSet(r.isr, n) : '-',
      ]);
    });
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd();
  const zk = s.zk.partitions
    .map(
      (ps, p) =>
        `p${p} leader ${brokerText(ps.leader)}, leader epoch ${ps.leaderEpoch}, ISR ${formatSet(ps.isr, n)}, version ${ps.version}`,
    )
    .join('; ');
  const out = [
    line(head),
    ...rows.map(line),
    s.kraft
      ? `KRaft: ${quorumText(s)}; ${s.kraft.committed.length} committed metadata records; committed image: ${zk}`
      : `ZooKeeper: /controller ${brokerText(s.zk.controller)} (epoch ${s.zk.controllerEpoch}); ${zk}`,
  ];
  if (s.split) out.push(`network split ${formatSet(s.split, n)} | ${formatSet(~s.split & ((1 << n) - 1), n)}`);
  if (s.inFlight.length) out.push(`in flight: ${s.inFlight.length} LeaderAndIsr request(s)`);
  if (cfg) out.push(`metrics: ${metricsSummary(metricsOf(s, cfg))}`);
  return out;
}

/**
 * For a detail that names a record ("record r2 (p0, …"), the step where that record was acknowledged,
 * read from the recorded changes of `ghost.acked`; undefined when the detail names none.
 */
export function ackedAtStep(trace: Trace): { readonly record: string; readonly step: number } | undefined {
  const m = /record r(\d+) \(p(\d+)/.exec(trace.detail);
  if (!m) return undefined;
  const id = Number(m[1]);
  const partition = Number(m[2]);
  const has = (v: Json | undefined): boolean =>
    Array.isArray(v) && v.some((r) => isObj(r) && r['id'] === id && r['partition'] === partition);
  for (const st of trace.steps)
    for (const c of st.changes)
      if (c.path.startsWith('ghost.acked') && has(c.new) && !has(c.old)) return { record: `r${id}`, step: st.step };
  return undefined;
}

const shellWord = (w: string): string => (/^[A-Za-z0-9_./:=@%+,-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`);

/**
 * A trace as text a person reads top to bottom: the verdict, the setting, numbered steps (the action in
 * Kafka's words and what it changed), a lasso's loop marked, and the violating fact at the end.
 * Deterministic: the same trace and options give the same text (golden files rely on it).
 */
export function renderTrace(trace: Trace, opts: RenderOptions = {}): string {
  const verbosity = opts.verbosity ?? 1;
  const paint = opts.color ? PAINT : PLAIN;
  const n = trace.config.brokers;
  const out: string[] = [];
  const violated = trace.status === 'violated';
  const verdict = violated
    ? trace.property.kind === 'eventually'
      ? 'violated (a lasso)'
      : 'violated'
    : 'example found';
  out.push(
    `${violated ? paint.red(paint.bold('✗')) : paint.green('✓')} ${paint.bold(trace.property.id)} ${verdict}: ${trace.property.title}`,
  );
  out.push(
    `  ${trace.steps.length} step(s), found by ${trace.strategy}${trace.seed !== undefined ? ` (seed ${trace.seed})` : ''}, election rule ${trace.rule.name}${'path' in trace.rule ? ` (${trace.rule.path})` : ''}, ${trace.tool.name} ${trace.tool.version}`,
  );
  out.push(`  config: ${describeConfig(trace.config)}`);
  if (trace.commandLine.length) out.push(`  command: ${trace.commandLine.map(shellWord).join(' ')}`);
  for (const w of trace.warnings ?? []) out.push(`  ${paint.yellow('warning:')} ${w}`);
  out.push('');

  const rebuilt = traceStates(trace);
  const states = rebuilt.ok ? rebuilt.value : undefined;
  const moves =
    states && (opts.metrics ?? true)
      ? metricMovesAlong(
          states,
          trace.steps.map((st) => st.action),
          trace.config,
        )
      : [];
  const width = String(trace.steps.length).length;
  const num = (k: number): string => paint.bold(String(k).padStart(width));
  const pad = ' '.repeat(width + 2);
  const init = trace.initialState;
  out.push(`${num(0)}  initial state${verbosity >= 1 || opts.table ? `: ${stateSummary(init)}` : ''}`);
  if (opts.table && states) for (const l of stateTable(init, trace.config)) out.push(`${pad}${l}`);
  else if (verbosity >= 2) for (const l of formatState(init, trace.config).split('\n')) out.push(`${pad}${l}`);

  for (const st of trace.steps) {
    if (trace.loopStart !== undefined && st.step === trace.loopStart + 1)
      out.push(paint.yellow(`${pad}── loop starts here (state after step ${trace.loopStart}) ──`));
    out.push(`${num(st.step)}  ${st.text}`);
    const state = states?.[st.step];
    if (opts.table && state) {
      for (const l of stateTable(state, trace.config)) out.push(`${pad}  ${l}`);
    } else {
      if (verbosity >= 1)
        for (const c of st.changes) for (const l of changeLines(c, n, paint)) out.push(`${pad}  ${l}`);
      if (verbosity >= 1) for (const l of moves[st.step - 1] ?? []) out.push(`${pad}  ${paint.yellow('metric')} ${l}`);
      if (verbosity >= 2 && state)
        for (const l of formatState(state, trace.config).split('\n')) out.push(`${pad}  | ${l}`);
    }
  }
  if (trace.loopStart !== undefined)
    out.push(
      paint.yellow(
        trace.loopStart === trace.steps.length
          ? `${pad}── the behaviour stays in this state forever ──`
          : `${pad}── back to the state after step ${trace.loopStart}: the loop repeats forever ──`,
      ),
    );
  out.push('');
  const last = trace.steps.length;
  const where =
    trace.loopStart === undefined
      ? `at step ${last}`
      : trace.loopStart === last
        ? `at step ${last}, where the behaviour stays forever`
        : `along the loop from step ${trace.loopStart + 1} to step ${last}`;
  out.push(
    violated
      ? `${paint.red(paint.bold(`✗ ${trace.property.id} fails ${where}:`))} ${trace.detail}`
      : `${paint.green(`✓ ${trace.property.id} is reached at step ${trace.steps.length}:`)} ${trace.detail}`,
  );
  const acked = violated ? ackedAtStep(trace) : undefined;
  if (acked) out.push(`  ${acked.record} was acknowledged to the producer at step ${acked.step}`);
  out.push(paint.dim(`  path ${trace.path.join('/')}`));
  if (!rebuilt.ok)
    out.push(paint.yellow(`  warning: the recorded changes do not fit the initial state (${rebuilt.error})`));
  return `${out.join('\n')}\n`;
}
