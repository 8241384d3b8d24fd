/**
 * Worker thread of the parallel engine (see parallel.ts for the algorithm). Runs as a `worker_threads`
 * entry point from the compiled `dist/checker/parallelWorker.js`; it imports the model through its
 * `ModelSpec`, expands the states of one BFS level at a time, offers their successors to the shared
 * level table with their order keys, keeps its own discoveries of the next level, and at the barrier
 * keeps those that won (the smallest key: where the single-threaded search meets the state).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { isAbsolute, join, resolve } from 'node:path';
import type { Model } from './Model.js';
import type { Property } from './Property.js';
import type { IncompleteReason } from './result.js';
import { EncodeSink, fingerprintInto, type Fingerprint } from './fingerprint.js';
import { NO_PARENT_ID, SharedFingerprintTable, SharedTraceStore } from './sharedTable.js';
import { OFFER_KEPT, OFFER_NEW, SharedLevelTable, lowerBound, sortedHas } from './levelTable.js';
import { queueCodec } from './frontier.js';
import { ArrayLevel, SpillingLevel, loadLevel, saveLevel, type LevelCursor, type LevelStore } from './levelStore.js';
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

/** Loads `spec` and checks that it names a factory returning `{ model, properties }`. */
async function load(spec: ModelSpec): Promise<{ model: Model<S, A>; properties: readonly Property<S>[] }> {
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
  return { model: bundle.model, properties: bundle.properties };
}

function messageOf(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

/** The best finding of one property in this pass: the smallest key wins, as in the single-threaded search. */
interface Hit {
  readonly p: Property<S>;
  readonly status: 'violated' | 'found';
  readonly gid: number;
  readonly depth: number;
  readonly key: number;
  readonly state: S;
  /** Found on a discovered state (which may lose to another discovery), not on an expanded one. */
  readonly discovered: boolean;
}

/** Keys of a state's successors: rank · 2^16 + action index; this one marks the state's own end. */
const KEY_SPAN = 65536;
const DEADLOCK_OFFSET = KEY_SPAN - 1;

async function main(): Promise<void> {
  const { model, properties } = await load(init.spec);
  const W = init.workers;
  const me = init.index;
  const ctl = new Int32Array(init.ctl);
  const progress = new Float64Array(init.progress);
  let table = new SharedFingerprintTable(init.table);
  let levelTable = new SharedLevelTable(init.levelTable.buffer, init.levelTable.keyBuffer);
  const trace = new SharedTraceStore(
    me,
    W,
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
  const sink = new EncodeSink();
  const fp: Fingerprint = { hi: 0, lo: 0 };
  const seed = init.hashSeed;
  const canonicalize = model.canonicalize?.bind(model);
  // With `decode`, queued states are encodings: cheap to move between threads and to disk. Levels saved
  // before the model had `decode` hold objects, which `unqueued` passes through.
  const codec = queueCodec(model, sink);
  const { queued, unqueued } = codec;
  const within = model.withinBoundary?.bind(model);
  const safety = properties.filter((p) => p.kind === 'always');
  const guards = properties.filter((p) => p.kind === 'sometimes');
  const liveness = properties.filter((p) => p.kind === 'eventually');
  const limitedStates = Number.isFinite(init.maxStates);

  const spill = init.spill;
  const newLevel = (): LevelStore<S> => (spill ? new SpillingLevel<S>(spill) : new ArrayLevel<S>());
  let next = newLevel();
  if (init.resume) loadLevel(init.resume.frontierFile, next, init.resume.keyBase);
  // per-level counters
  let generated = 0;
  let expanded = 0;
  let unpublished = 0;
  let reasons = new Set<IncompleteReason>();
  let maxSucc = 64;
  let resumeFromPause: (() => void) | undefined;
  /** Distinct states before the level being built (the level table holds the rest). */
  let levelStart = 0;
  /** Properties decided in an earlier pass. */
  let resolved = new Set<string>();
  /** The sorted keys of the level being expanded, in pieces: a key's rank is its position among them. */
  let ranks: Float64Array[] = [];
  const hits = new Map<string, Hit>();

  const fingerprint = (s: S): void => {
    sink.reset();
    model.encode(canonicalize ? canonicalize(s) : s, sink);
    fingerprintInto(sink.buf, sink.len, seed, fp);
  };

  const rankOf = (key: number): number => ranks.reduce((r, a) => r + lowerBound(a, key), 0);
  const isRanked = (key: number): boolean => ranks.some((a) => sortedHas(a, key));

  const note = (hit: Hit): void => {
    const best = hits.get(hit.p.id);
    if (!best || hit.key < best.key) hits.set(hit.p.id, hit);
  };

  const checkState = (s: S, gid: number, depth: number, key: number): void => {
    for (const p of safety)
      if (!resolved.has(p.id) && !p.holds(s))
        note({ p, status: 'violated', gid, depth, key, state: s, discovered: true });
    for (const p of guards)
      if (!resolved.has(p.id) && p.holds(s)) note({ p, status: 'found', gid, depth, key, state: s, discovered: true });
  };

  /** Posts the best hits (all, or those that won) and forgets them. */
  const reportHits = (onlyWinners: boolean): void => {
    for (const h of hits.values()) {
      if (onlyWinners && h.discovered && !isRanked(h.key)) continue;
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
    hits.clear();
  };

  const deadlockProp: Property<S> = {
    kind: 'always',
    id: 'deadlock-free',
    title: 'Every reachable state has a successor',
    holds: () => false,
  };

  /** Counts a new state; false if the state budget is exhausted (the run stops with exactly that many). */
  const admit = (): boolean => {
    if (!limitedStates) {
      unpublished++;
      return true;
    }
    const c = (Atomics.add(ctl, CTL_COUNT, 1) >>> 0) + 1;
    if (c <= init.maxStates) return true;
    Atomics.sub(ctl, CTL_COUNT, 1);
    reasons.add('max-states');
    Atomics.store(ctl, CTL_STOP, 1);
    return false;
  };

  const publish = (): void => {
    if (unpublished) Atomics.add(ctl, CTL_COUNT, unpublished);
    unpublished = 0;
    progress[me * PROGRESS_SLOTS] = generated;
    progress[me * PROGRESS_SLOTS + 1] = expanded;
  };

  /** A successor (or initial state) discovered with order `key`: kept unless another discovery has a smaller one. */
  const discover = (s: S, parent: number, action: number, depth: number, key: number): void => {
    if (within && !within(s)) {
      reasons.add('state-constraint');
      return;
    }
    fingerprint(s);
    if (table.has(fp.hi, fp.lo)) return; // an earlier level's
    const offered = levelTable.offer(fp.hi, fp.lo, key);
    if (offered === OFFER_KEPT || (offered === OFFER_NEW && !admit())) return;
    const gid = trace.append(parent, action);
    checkState(s, gid, depth, key);
    next.push(queued(s), gid, key);
  };

  const expand = (s: S, id: number, depth: number, key: number): void => {
    if (depth >= init.maxDepth) {
      reasons.add('max-depth');
      return;
    }
    expanded++;
    const acts = model.actions(s);
    if (acts.length >= DEADLOCK_OFFSET)
      throw new RangeError(
        `model "${model.name}" enables ${acts.length} actions in one state; at most 65534 are supported`,
      );
    const base = rankOf(key) * KEY_SPAN;
    let successors = 0;
    for (let k = 0; k < acts.length; k++) {
      const n = model.next(s, acts[k]);
      if (n === undefined) continue;
      successors++;
      generated++;
      discover(n, id, k, depth + 1, base + k);
      if (Atomics.load(ctl, CTL_STOP) !== 0) break;
    }
    if (acts.length > maxSucc) maxSucc = acts.length;
    if (successors === 0) {
      const end = { gid: id, depth, key: base + DEADLOCK_OFFSET, state: s, discovered: false };
      if (init.deadlock) note({ p: deadlockProp, status: 'violated', ...end });
      for (const p of liveness) if (!resolved.has(p.id) && !p.holds(s)) note({ p, status: 'violated', ...end });
    }
  };

  /** States the next chunk may expand, or 0 when the level table must grow first. */
  const chunkSize = (): number => {
    const limit = Math.floor(levelTable.capacity * init.maxLoad);
    const room = limit - ((Atomics.load(ctl, CTL_COUNT) >>> 0) - levelStart);
    const perState = W * maxSucc;
    if (room < perState * 16) return 0;
    return Math.max(1, Math.min(4096, Math.floor(room / perState)));
  };

  const pause = async (): Promise<void> => {
    Atomics.store(ctl, CTL_GROW, 1);
    post({ type: 'paused' });
    await new Promise<void>((resolve) => (resumeFromPause = resolve));
  };

  const done = (remaining: number): void => {
    publish();
    post({
      type: 'done',
      next: next.size,
      remaining,
      generated,
      expanded,
      reasons: [...reasons],
      traceSize: trace.size,
    });
    generated = 0;
    expanded = 0;
    reasons = new Set();
    publish();
  };

  const initStates = (): void => {
    const inits = model.initStates();
    for (let i = me; i < inits.length; i += W) {
      const s = inits[i];
      generated++;
      // The engine moves states between threads as encodings (with `decode`) or by structured cloning:
      // check they survive it.
      fingerprint(s);
      const a = `${fp.hi}:${fp.lo}`;
      const moved = codec.encoded ? unqueued(queued(s)) : structuredClone(s);
      fingerprint(moved);
      if (`${fp.hi}:${fp.lo}` !== a || model.actions(moved).length !== model.actions(s).length)
        throw new Error(
          codec.encoded
            ? `model "${model.name}": decode(encode(s)) is not the same state as s (another fingerprint or other actions); fix the model's decode, or drop it`
            : `model "${model.name}": a state changes when structured-cloned (class instances, getters or functions in the state?); the parallel engine moves states between threads, so states must be plain data`,
        );
      discover(s, NO_PARENT_ID, i, 0, i);
    }
    done(0);
  };

  // The level being expanded (donations take from it too).
  let cur: LevelStore<S> = newLevel();
  let curLevel = 0;
  const cursor: LevelCursor<S> = { s: undefined, id: 0, key: 0 };

  /** Gives half of the rest of the current level to the worker whose steal request we claim. */
  const maybeDonate = (): void => {
    const req = Atomics.load(ctl, CTL_STEAL);
    const left = cur.size;
    if (req === 0 || left < MIN_DONATION * 2) return;
    if (Atomics.compareExchange(ctl, CTL_STEAL, req, 0) !== req) return;
    const to = req - 1;
    const p = init.peers[to];
    if (!p) throw new Error(`no channel to worker ${to}`);
    const batch = cur.take(left >>> 1);
    // announce before sending, so the coordinator knows `to` is busy before `to` can report done
    post({ type: 'donated', to, count: batch.states.length });
    const t: Transfer = { kind: 'level', level: curLevel, ...batch };
    p.postMessage(t);
  };

  /** Expands `cur` in chunks; pauses when the level table must grow; reports `done`. */
  const work = async (): Promise<void> => {
    while (cur.size > 0 && Atomics.load(ctl, CTL_STOP) === 0) {
      const n = Atomics.load(ctl, CTL_GROW) !== 0 ? 0 : chunkSize();
      if (n === 0) {
        publish();
        await pause();
        continue;
      }
      if (W > 1) maybeDonate();
      for (let k = 0; k < n && cur.shift(cursor); k++) {
        expand(unqueued(cursor.s), cursor.id, curLevel, cursor.key);
        cursor.s = undefined;
        if (Atomics.load(ctl, CTL_STOP) !== 0) break;
      }
      publish();
    }
    const remaining = cur.size;
    cur.close();
    cur = newLevel();
    done(remaining);
  };

  const send = (to: number, count: number): void => {
    const p = init.peers[to];
    if (!p) throw new Error(`no channel to worker ${to}`);
    const t: Transfer = { kind: 'next', level: curLevel, ...next.take(count) };
    p.postMessage(t);
  };

  /** The sorted keys of `next` (after a resume, to rank the level it holds). */
  const frontierKeys = (): Float64Array => {
    const keys: number[] = [];
    next.forEachBatch((b) => keys.push(...b.keys));
    return Float64Array.from(keys).sort();
  };

  /** Keeps the discoveries of `next` that won (their key ranks in the level). */
  const keepWinners = (): void => {
    if (next instanceof ArrayLevel) {
      next.retain(isRanked);
      return;
    }
    const kept = newLevel();
    const c: LevelCursor<S> = { s: undefined, id: 0, key: 0 };
    while (next.shift(c)) if (isRanked(c.key)) kept.push(c.s, c.id, c.key);
    next.close();
    next = kept;
  };

  const shared = (keys: Float64Array): SharedArrayBuffer => {
    const b = new SharedArrayBuffer(keys.byteLength);
    new Float64Array(b).set(keys);
    return b;
  };

  const fail = (e: unknown): void => {
    Atomics.store(ctl, CTL_STOP, 1);
    post({ type: 'error', message: `worker ${me} (model "${model.name}"): ${messageOf(e)}` });
  };

  for (const p of init.peers) {
    p?.on('message', (t: Transfer) => {
      if (t.kind === 'next') {
        for (let i = 0; i < t.states.length; i++) next.push(t.states[i], t.ids[i] as number, t.keys[i] as number);
        post({ type: 'received', count: t.states.length });
        return;
      }
      cur.close();
      cur = new ArrayLevel<S>([...t.states], [...t.ids], [...t.keys]);
      curLevel = t.level;
      work().catch(fail);
    });
  }

  const handle = async (m: ToWorker): Promise<void> => {
    switch (m.type) {
      case 'init':
        levelStart = m.levelStart;
        initStates();
        return;
      case 'level':
        cur.close();
        cur = next;
        next = newLevel();
        curLevel = m.level;
        levelStart = m.levelStart;
        resolved = new Set(m.resolved);
        await work();
        return;
      case 'keys':
        post({ type: 'keys', buffer: shared(levelTable.sortedKeys(m.from, m.to)) });
        return;
      case 'frontierKeys':
        post({ type: 'keys', buffer: shared(frontierKeys()) });
        return;
      case 'ranks':
        ranks = m.ranks.map((b) => new Float64Array(b));
        if (m.filter) {
          keepWinners();
          reportHits(true);
        }
        post({ type: 'ranked', next: next.size });
        return;
      case 'report':
        reportHits(false);
        post({ type: 'reported' });
        return;
      case 'merge':
        levelTable.moveSliceInto(table, m.from, m.to);
        post({ type: 'merged' });
        return;
      case 'rehash': {
        const fresh = new SharedFingerprintTable(m.fresh);
        fresh.rehashSlice(new SharedFingerprintTable(m.old), m.from, m.to);
        post({ type: 'rehashed' });
        return;
      }
      case 'rehashLevel': {
        const fresh = new SharedLevelTable(m.fresh.buffer, m.fresh.keyBuffer);
        fresh.rehashSlice(new SharedLevelTable(m.old.buffer, m.old.keyBuffer), m.from, m.to);
        post({ type: 'rehashed' });
        return;
      }
      case 'table':
        table = new SharedFingerprintTable(m.buffer);
        return;
      case 'levelTable': {
        levelTable = new SharedLevelTable(m.fresh.buffer, m.fresh.keyBuffer);
        const r = resumeFromPause;
        resumeFromPause = undefined;
        r?.();
        return;
      }
      case 'send':
        send(m.to, m.count);
        return;
      case 'save': {
        try {
          saveLevel(next, m.file);
          post({ type: 'saved', traceSize: trace.size });
        } catch (e) {
          post({
            type: 'saved',
            traceSize: trace.size,
            error: `cannot write ${m.file}: ${e instanceof Error ? e.message : String(e)}`,
          });
        }
        return;
      }
      case 'close':
        cur.close();
        next.close();
        post({ type: 'closed' });
        return;
    }
  };

  port.on('message', (m: ToWorker) => {
    handle(m).catch(fail);
  });
  post({
    type: 'ready',
    name: model.name,
    props: properties.map((p) => ({ id: p.id, title: p.title, kind: p.kind })),
  });
}

main().catch((e: unknown) => {
  post({ type: 'error', message: `worker ${init.index}: ${messageOf(e)}` });
});
