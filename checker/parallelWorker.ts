/**
 * Worker thread of the parallel engine (see parallel.ts for the algorithm). Runs as a `worker_threads`
 * entry point from the compiled `dist/checker/parallelWorker.js`; it imports the model through its
 * `ModelSpec` and runs the checker's one exploration loop (`core.ts`) over one BFS level at a time, in
 * chunks: the frontier is this worker's share of the level, the visited store the shared tables (earlier
 * levels in the fingerprint table, the level being built in the level table with order keys), the trace
 * the worker's shared chunks. It keeps its own discoveries of the next level, and at the barrier keeps
 * those that won (the smallest key: where the single-threaded search meets the state).
 */
import { planReduction, type ReductionPlan } from './reduction.js';
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { isAbsolute, join, resolve } from 'node:path';
import type { Model } from './Model.js';
import type { Property } from './Property.js';
import type { IncompleteReason } from './result.js';
import { EncodeSink, fingerprintInto, type Fingerprint } from './fingerprint.js';
import { SharedFingerprintTable, SharedTraceStore } from './sharedTable.js';
import { OFFER_KEPT, OFFER_NEW, SharedLevelTable, lowerBound, sortedHas } from './levelTable.js';
import { queueCodec, type Frontier } from './frontier.js';
import { ArrayLevel, SpillingLevel, loadLevel, saveLevel, type LevelCursor, type LevelStore } from './levelStore.js';
import { Exploration, FULL, NEW, SEEN, type CoreEntry, type VisitedStore } from './core.js';
import { CutTally, PropertyChecks, type CheckedProperty, type FindingStatus } from './findings.js';
import {
  CTL_COUNT,
  CTL_GROW,
  CTL_STEAL,
  CTL_STOP,
  PROGRESS_SLOTS,
  type FromWorker,
  type ModelSpec,
  type ToWorker,
  type Transfer,
  type WorkerInit,
} from './parallelProtocol.js';

type S = unknown;
type A = unknown;

if (!parentPort) throw new Error('parallelWorker.js must run as a worker thread');
const port = parentPort;
const init = workerData as WorkerInit;
const post = (m: FromWorker): void => port.postMessage(m);
/** A busy worker donates only when at least twice this many states of its level are left. */
const MIN_DONATION = 128;
/** Keys of a state's successors: rank · 2^16 + action index; this one marks the state's own end. */
const KEY_SPAN = 65536;
const DEADLOCK_OFFSET = KEY_SPAN - 1;

/**
 * Loads `spec` and checks that it names a factory returning `{ model, properties }`; with `ids`, keeps
 * those properties in that order (each must be there).
 */
async function load(
  spec: ModelSpec,
  ids: readonly string[] | undefined,
): Promise<{ model: Model<S, A>; properties: readonly Property<S>[] }> {
  // a file URL or a bare package name as given; a path (absolute, or relative to the working directory)
  // as a file URL
  const m = spec.module;
  const url = m.startsWith('file:')
    ? m
    : isAbsolute(m)
      ? pathToFileURL(m).href
      : m.startsWith('.')
        ? pathToFileURL(resolve(m)).href
        : m;
  const mod = (await import(url)) as Record<string, unknown>;
  const factory = mod[spec.export];
  if (typeof factory !== 'function')
    throw new Error(
      `model spec: module ${spec.module} has no exported function "${spec.export}" (exports: ${Object.keys(mod).join(', ') || 'none'})`,
    );
  const bundle = (factory as (arg: unknown) => unknown)(spec.arg) as {
    model?: Model<S, A>;
    properties?: readonly Property<S>[];
  } | null;
  if (!bundle || typeof bundle.model?.actions !== 'function' || !Array.isArray(bundle.properties))
    throw new Error(`model spec: ${spec.export}(arg) must return { model, properties }`);
  if (!ids) return { model: bundle.model, properties: bundle.properties };
  const byId = new Map(bundle.properties.map((p) => [p.id, p]));
  const missing = ids.filter((id) => !byId.has(id));
  if (missing.length)
    throw new Error(
      `model spec: ${spec.export}(arg) builds no propert${missing.length > 1 ? 'ies' : 'y'} ${missing.map((m) => `"${m}"`).join(', ')} (it builds ${[...byId.keys()].join(', ') || 'none'}); the parallel engine checks the properties the model's factory builds`,
    );
  return { model: bundle.model, properties: ids.map((id) => byId.get(id) as Property<S>) };
}

function messageOf(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

/**
 * The engine moves states between threads as encodings (with `decode`) or by structured cloning: throws
 * unless `s` survives that as the same state (same fingerprint, same number of actions).
 */
function checkMovable(model: Model<S, A>, s: S): void {
  const sink = new EncodeSink();
  const codec = queueCodec(model, sink);
  const fp: Fingerprint = { hi: 0, lo: 0 };
  const print = (x: S): string => {
    sink.reset();
    model.encode(model.canonicalize ? model.canonicalize(x) : x, sink);
    fingerprintInto(sink.buf, sink.len, 0, fp);
    return `${fp.hi}:${fp.lo}`;
  };
  const before = print(s); // leaves s's encoding in the sink, where `queued` takes it from
  const moved = codec.encoded ? codec.unqueued(codec.queued(s)) : structuredClone(s);
  if (print(moved) !== before || model.actions(moved).length !== model.actions(s).length)
    throw new Error(
      codec.encoded
        ? `model "${model.name}": decode(encode(s)) is not the same state as s (another fingerprint or other actions); fix the model's decode, or drop it`
        : `model "${model.name}": a state changes when structured-cloned (class instances, getters or functions in the state?); the parallel engine moves states between threads, so states must be plain data`,
    );
}

/** The best finding of one property in this pass: the smallest key wins, as in the single-threaded search. */
interface Hit {
  readonly p: CheckedProperty<S>;
  readonly status: FindingStatus;
  readonly gid: number;
  readonly depth: number;
  readonly key: number;
  readonly state: S;
  /** Found on a discovered state (which may lose to another discovery), not on an expanded one. */
  readonly discovered: boolean;
}

/** One worker: its share of the current level, its discoveries of the next, and the exploration loop over them. */
class LevelWorker {
  private readonly W = init.workers;
  private readonly me = init.index;
  private readonly ctl = new Int32Array(init.ctl);
  private readonly progress = new Float64Array(init.progress);
  private table = new SharedFingerprintTable(init.table);
  private levelTable = new SharedLevelTable(init.levelTable.buffer, init.levelTable.keyBuffer);
  private readonly trace: SharedTraceStore;
  private readonly explorer: Exploration<S, A>;
  private readonly checks: PropertyChecks<S>;
  /** The level being expanded (donations take from it too) and the one being built. */
  private cur: LevelStore<S>;
  private next: LevelStore<S>;
  private curLevel = 0;
  private readonly cursor: LevelCursor<S> = { s: undefined, id: 0, key: 0 };
  /** Order key of the state being expanded's successors (`base + action`), and of the state being looked up. */
  private base = 0;
  private key = 0;
  /** Depth of the states being discovered. */
  private childDepth = 0;
  // per-level counters
  private expanded = 0;
  private unpublished = 0;
  private readonly reasons = new Set<IncompleteReason>();
  private maxSucc = 64;
  private resumeFromPause: (() => void) | undefined;
  /** Distinct states before the level being built (the level table holds the rest). */
  private levelStart = 0;
  /** Properties decided in an earlier pass. */
  private resolved = new Set<string>();
  /** The sorted keys of the level being expanded, in pieces: a key's rank is its position among them. */
  private ranks: Float64Array[] = [];
  private readonly hits = new Map<string, Hit>();
  /** The states bounds cut in this phase; the key orders them as the single-threaded search meets them. */
  private readonly cuts = new CutTally();
  /** Whether this run reduces (`planReduction` over the bundle, as `check` decides it). */
  private readonly plan: ReductionPlan;

  constructor(
    private readonly model: Model<S, A>,
    properties: readonly Property<S>[],
  ) {
    const me = this.me;
    this.plan = planReduction(model, properties, init.partialOrder, init.deadlock);
    this.trace = new SharedTraceStore(
      me,
      this.W,
      (index, buffer) => post({ type: 'chunk', index, buffer }),
      init.resume?.traceChunks ?? [],
      init.resume?.traceSize ?? 0,
      init.spill
        ? {
            file: join(init.spill.dir, `trace-${me}.bin`),
            onSpill: (index, where) => post({ type: 'spilled', index, where }),
          }
        : undefined,
    );
    this.cur = this.newLevel();
    this.next = this.newLevel();
    if (init.resume) loadLevel(init.resume.frontierFile, this.next, init.resume.keyBase);
    this.checks = new PropertyChecks<S>(
      properties,
      init.deadlock,
      (p, status, gid, state, atEnd) =>
        this.note({
          p,
          status,
          gid,
          state,
          depth: atEnd ? this.curLevel : this.childDepth,
          key: atEnd ? this.base + DEADLOCK_OFFSET : this.key,
          discovered: !atEnd,
        }),
      (id) => this.resolved.has(id),
    );
    this.explorer = new Exploration<S, A>(model, {
      frontier: this.frontier(),
      store: this.store(),
      trace: this.trace,
      control: { tick: () => undefined },
      canonicalize: true,
      hashSeed: init.hashSeed,
      maxDepth: init.maxDepth,
      maxStates: Infinity,
      visit: (s, id) => {
        this.checks.discovered(s, id);
        return true;
      },
      leaf: (s, id) => {
        this.checks.deadEnd(s, id);
        return true;
      },
      cut: (mask, id) => this.cuts.note(mask, id, this.curLevel * 2 ** 36 + this.base / KEY_SPAN),
      reduce: this.plan.use ? model.reduction : undefined,
      candidate: (k) => {
        if (k >= DEADLOCK_OFFSET)
          throw new RangeError(
            `model "${model.name}" enables ${k + 1} actions in one state; at most 65534 are supported`,
          );
        if (k >= this.maxSucc) this.maxSucc = k + 1;
        this.key = this.base + k;
      },
    });
  }

  private newLevel(): LevelStore<S> {
    return init.spill ? new SpillingLevel<S>(init.spill) : new ArrayLevel<S>();
  }

  /** The loop's frontier: pops from the current level (setting the order base), pushes to the next. */
  private frontier(): Frontier<CoreEntry<S>> {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the getter below reads the current level
    const w = this;
    return {
      pop: () => {
        if (!this.cur.shift(this.cursor)) return undefined;
        const { s, id, key } = this.cursor;
        this.cursor.s = undefined;
        this.expanded++;
        this.base = this.rankOf(key) * KEY_SPAN;
        this.childDepth = this.curLevel + 1;
        return { s: s as S | Int32Array, id, depth: this.curLevel };
      },
      push: (e) => this.next.push(e.s, e.id, this.key),
      get size() {
        return w.cur.size;
      },
    };
  }

  /**
   * The loop's visited store: a state of an earlier level is seen; otherwise it is offered to the level
   * table with its key, and is new to this worker when the offer added it (within the state budget) or
   * lowered its key (this discovery now wins).
   */
  private store(): VisitedStore {
    const ctl = this.ctl;
    return {
      lookup: (hi, lo) => {
        if (this.table.has(hi, lo)) return SEEN;
        const offered = this.levelTable.offer(hi, lo, this.key);
        if (offered === OFFER_KEPT) return SEEN;
        return offered === OFFER_NEW && !this.admit() ? FULL : NEW;
      },
      get size() {
        return Atomics.load(ctl, CTL_COUNT) >>> 0;
      },
      bytesUsed: () => 0,
    };
  }

  private rankOf(key: number): number {
    return this.ranks.reduce((r, a) => r + lowerBound(a, key), 0);
  }

  private isRanked(key: number): boolean {
    return this.ranks.some((a) => sortedHas(a, key));
  }

  private note(hit: Hit): void {
    const best = this.hits.get(hit.p.id);
    if (!best || hit.key < best.key) this.hits.set(hit.p.id, hit);
  }

  /** Posts the best hits (all, or those that won) and forgets them. */
  private reportHits(onlyWinners: boolean): void {
    for (const h of this.hits.values()) {
      if (onlyWinners && h.discovered && !this.isRanked(h.key)) continue;
      const detail = h.p.explain?.(h.state);
      post({
        type: 'found',
        id: h.p.id,
        title: h.p.title,
        kind: h.p.kind,
        status: h.status,
        gid: h.gid,
        depth: h.depth,
        key: h.key,
        ...(detail !== undefined ? { detail } : {}),
      });
    }
    this.hits.clear();
  }

  /** Counts a new state; false if the state budget is exhausted (the run stops with exactly that many). */
  private admit(): boolean {
    if (!Number.isFinite(init.maxStates)) {
      this.unpublished++;
      return true;
    }
    const c = (Atomics.add(this.ctl, CTL_COUNT, 1) >>> 0) + 1;
    if (c <= init.maxStates) return true;
    Atomics.sub(this.ctl, CTL_COUNT, 1);
    this.reasons.add('max-states');
    Atomics.store(this.ctl, CTL_STOP, 1);
    return false;
  }

  private publish(): void {
    if (this.unpublished) Atomics.add(this.ctl, CTL_COUNT, this.unpublished);
    this.unpublished = 0;
    this.progress[this.me * PROGRESS_SLOTS] = this.explorer.generated;
    this.progress[this.me * PROGRESS_SLOTS + 1] = this.expanded;
  }

  /** Reports the end of a phase (or of a donated batch) and resets the per-level counters. */
  private done(remaining: number): void {
    this.publish();
    const x = this.explorer;
    post({
      type: 'done',
      next: this.next.size,
      remaining,
      generated: x.generated,
      expanded: this.expanded,
      reasons: [...this.reasons, ...x.reasons],
      traceSize: this.trace.size,
      cuts: { counts: [...this.cuts.counts], ids: [...this.cuts.ids], keys: [...this.cuts.keys] },
      reduction: {
        used: this.plan.use,
        detail: this.plan.why,
        reducedStates: x.reducedStates,
        provisoExpansions: x.provisoExpansions,
        skippedActions: x.skippedActions,
      },
    });
    this.cuts.clear();
    x.generated = 0;
    x.reducedStates = 0;
    x.provisoExpansions = 0;
    x.skippedActions = 0;
    x.reasons.clear();
    this.expanded = 0;
    this.reasons.clear();
    this.publish();
  }

  /** Discovers this worker's share of the initial states (every W-th, from its index). */
  initStates(): void {
    const inits = this.model.initStates();
    const mine: number[] = [];
    for (let i = this.me; i < inits.length; i += this.W) {
      checkMovable(this.model, inits[i]);
      mine.push(i);
    }
    this.base = 0;
    this.childDepth = 0;
    this.explorer.seed(mine);
    this.done(0);
  }

  /** States the next chunk may expand, or 0 when the level table must grow first. */
  private chunkSize(): number {
    const limit = Math.floor(this.levelTable.capacity * init.maxLoad);
    const room = limit - ((Atomics.load(this.ctl, CTL_COUNT) >>> 0) - this.levelStart);
    const perState = this.W * this.maxSucc;
    if (room < perState * 16) return 0;
    return Math.max(1, Math.min(4096, Math.floor(room / perState)));
  }

  private async pause(): Promise<void> {
    Atomics.store(this.ctl, CTL_GROW, 1);
    post({ type: 'paused' });
    await new Promise<void>((r) => (this.resumeFromPause = r));
  }

  /** Gives half of the rest of the current level to the worker whose steal request we claim. */
  private maybeDonate(): void {
    const req = Atomics.load(this.ctl, CTL_STEAL);
    const left = this.cur.size;
    if (req === 0 || left < MIN_DONATION * 2) return;
    if (Atomics.compareExchange(this.ctl, CTL_STEAL, req, 0) !== req) return;
    const to = req - 1;
    const batch = this.cur.take(left >>> 1);
    // announce before sending, so the coordinator knows `to` is busy before `to` can report done
    post({ type: 'donated', to, count: batch.states.length });
    const t: Transfer = { kind: 'level', level: this.curLevel, ...batch };
    this.peer(to).postMessage(t);
  }

  private peer(to: number): NonNullable<WorkerInit['peers'][number]> {
    const p = init.peers[to];
    if (!p) throw new Error(`no channel to worker ${to}`);
    return p;
  }

  /** Expands `cur` in chunks; pauses when the level table must grow; reports `done`. */
  async work(): Promise<void> {
    while (this.cur.size > 0 && Atomics.load(this.ctl, CTL_STOP) === 0) {
      const n = Atomics.load(this.ctl, CTL_GROW) !== 0 ? 0 : this.chunkSize();
      if (n === 0) {
        this.publish();
        await this.pause();
        continue;
      }
      if (this.W > 1) this.maybeDonate();
      const goOn = this.explorer.run(n);
      this.publish();
      if (!goOn) break;
    }
    const remaining = this.cur.size;
    this.cur.close();
    this.cur = this.newLevel();
    this.done(remaining);
  }

  /** A batch from a peer: states for the next level (rebalancing) or part of the current one (a donation). */
  receive(t: Transfer): void {
    if (t.kind === 'next') {
      for (let i = 0; i < t.states.length; i++) this.next.push(t.states[i], t.ids[i] as number, t.keys[i] as number);
      post({ type: 'received', count: t.states.length });
      return;
    }
    this.cur.close();
    this.cur = new ArrayLevel<S>([...t.states], [...t.ids], [...t.keys]);
    this.curLevel = t.level;
    this.work().catch(fail);
  }

  /** The sorted keys of `next` (after a resume, to rank the level it holds). */
  private frontierKeys(): Float64Array {
    const keys: number[] = [];
    this.next.forEachBatch((b) => keys.push(...b.keys));
    return Float64Array.from(keys).sort();
  }

  /** Keeps the discoveries of `next` that won (their key ranks in the level). */
  private keepWinners(): void {
    if (this.next instanceof ArrayLevel) {
      this.next.retain((k) => this.isRanked(k));
      return;
    }
    const kept = this.newLevel();
    const c: LevelCursor<S> = { s: undefined, id: 0, key: 0 };
    while (this.next.shift(c)) if (this.isRanked(c.key)) kept.push(c.s, c.id, c.key);
    this.next.close();
    this.next = kept;
  }

  /** The coordinator's requests that run or end a phase. */
  async handlePhase(m: Extract<ToWorker, { type: 'init' | 'level' | 'ranks' | 'report' | 'close' }>): Promise<void> {
    switch (m.type) {
      case 'init':
        this.levelStart = m.levelStart;
        this.initStates();
        return;
      case 'level':
        this.cur.close();
        this.cur = this.next;
        this.next = this.newLevel();
        this.curLevel = m.level;
        this.levelStart = m.levelStart;
        this.resolved = new Set(m.resolved);
        await this.work();
        return;
      case 'ranks':
        this.ranks = m.ranks.map((b) => new Float64Array(b));
        if (m.filter) {
          this.keepWinners();
          this.reportHits(true);
        }
        post({ type: 'ranked', next: this.next.size });
        return;
      case 'report':
        this.reportHits(false);
        post({ type: 'reported' });
        return;
      case 'close':
        this.cur.close();
        this.next.close();
        post({ type: 'closed' });
        return;
    }
  }

  /** The coordinator's requests about the shared tables, transfers and checkpoints. */
  handleData(m: Exclude<ToWorker, { type: 'init' | 'level' | 'ranks' | 'report' | 'close' }>): void {
    switch (m.type) {
      case 'keys':
        return post({ type: 'keys', buffer: shared(this.levelTable.sortedKeys(m.from, m.to)) });
      case 'frontierKeys':
        return post({ type: 'keys', buffer: shared(this.frontierKeys()) });
      case 'merge':
        this.levelTable.moveSliceInto(this.table, m.from, m.to);
        return post({ type: 'merged' });
      case 'rehash':
        new SharedFingerprintTable(m.fresh).rehashSlice(new SharedFingerprintTable(m.old), m.from, m.to);
        return post({ type: 'rehashed' });
      case 'rehashLevel': {
        const fresh = new SharedLevelTable(m.fresh.buffer, m.fresh.keyBuffer);
        fresh.rehashSlice(new SharedLevelTable(m.old.buffer, m.old.keyBuffer), m.from, m.to);
        return post({ type: 'rehashed' });
      }
      case 'table':
        this.table = new SharedFingerprintTable(m.buffer);
        return;
      case 'levelTable': {
        this.levelTable = new SharedLevelTable(m.fresh.buffer, m.fresh.keyBuffer);
        const r = this.resumeFromPause;
        this.resumeFromPause = undefined;
        r?.();
        return;
      }
      case 'send': {
        const t: Transfer = { kind: 'next', level: this.curLevel, ...this.next.take(m.count) };
        return this.peer(m.to).postMessage(t);
      }
      case 'save':
        return this.save(m.file);
    }
  }

  /** Writes the next level to `file` for a checkpoint. */
  private save(file: string): void {
    try {
      saveLevel(this.next, file);
      post({ type: 'saved', traceSize: this.trace.size });
    } catch (e) {
      const error = `cannot write ${file}: ${e instanceof Error ? e.message : String(e)}`;
      post({ type: 'saved', traceSize: this.trace.size, error });
    }
  }
}

function shared(keys: Float64Array): SharedArrayBuffer {
  const b = new SharedArrayBuffer(keys.byteLength);
  new Float64Array(b).set(keys);
  return b;
}

let modelName = '?';
function fail(e: unknown): void {
  Atomics.store(new Int32Array(init.ctl), CTL_STOP, 1);
  post({ type: 'error', message: `worker ${init.index} (model "${modelName}"): ${messageOf(e)}` });
}

const PHASE = new Set<ToWorker['type']>(['init', 'level', 'ranks', 'report', 'close']);

async function main(): Promise<void> {
  const { model, properties } = await load(init.spec, init.properties);
  modelName = model.name;
  const worker = new LevelWorker(model, properties);
  for (const p of init.peers) p?.on('message', (t: Transfer) => worker.receive(t));
  port.on('message', (m: ToWorker) => {
    if (PHASE.has(m.type)) worker.handlePhase(m as Parameters<LevelWorker['handlePhase']>[0]).catch(fail);
    else {
      try {
        worker.handleData(m as Parameters<LevelWorker['handleData']>[0]);
      } catch (e) {
        fail(e);
      }
    }
  });
  post({
    type: 'ready',
    name: model.name,
    props: properties.map((p) => ({ id: p.id, title: p.title, kind: p.kind })),
    ...(model.boundNames ? { boundNames: model.boundNames } : {}),
  });
}

main().catch((e: unknown) => {
  post({ type: 'error', message: `worker ${init.index}: ${messageOf(e)}` });
});
