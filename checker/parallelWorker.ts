/**
 * Worker thread of the parallel engine (see parallel.ts for the algorithm). Runs as a `worker_threads`
 * entry point from the compiled `dist/checker/parallelWorker.js`; it imports the model through its
 * `ModelSpec`, expands the states of one BFS level at a time, inserts successors into the shared
 * fingerprint table and keeps its own part of the next level.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { isAbsolute, join, resolve } from 'node:path';
import type { Model } from './Model.js';
import type { Property } from './Property.js';
import type { IncompleteReason } from './result.js';
import { EncodeSink, fingerprintInto, type Fingerprint } from './fingerprint.js';
import { NO_PARENT_ID, SharedFingerprintTable, SharedTraceStore } from './sharedTable.js';
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

async function main(): Promise<void> {
  const { model, properties } = await load(init.spec);
  const W = init.workers;
  const me = init.index;
  const ctl = new Int32Array(init.ctl);
  const progress = new Float64Array(init.progress);
  let table = new SharedFingerprintTable(init.table);
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
  const reported = new Set<string>();
  const limitedStates = Number.isFinite(init.maxStates);

  const spill = init.spill;
  const newLevel = (): LevelStore<S> => (spill ? new SpillingLevel<S>(spill) : new ArrayLevel<S>());
  let next = newLevel();
  if (init.resume) loadLevel(init.resume.frontierFile, next);
  // per-level counters
  let generated = 0;
  let expanded = 0;
  let unpublished = 0;
  let reasons = new Set<IncompleteReason>();
  let maxSucc = 64;
  let resumeFromPause: (() => void) | undefined;

  const fingerprint = (s: S): void => {
    sink.reset();
    model.encode(canonicalize ? canonicalize(s) : s, sink);
    fingerprintInto(sink.buf, sink.len, seed, fp);
  };

  const report = (p: Property<S>, status: 'violated' | 'found', gid: number, depth: number, s: S): void => {
    if (reported.has(p.id)) return;
    reported.add(p.id);
    const detail = p.explain?.(s);
    post({
      type: 'found',
      id: p.id,
      title: p.title,
      kind: p.kind,
      status,
      gid,
      depth,
      ...(detail !== undefined ? { detail } : {}),
    });
    if (status === 'violated' && init.stopOnViolation) Atomics.store(ctl, CTL_STOP, 1);
  };

  const checkState = (s: S, gid: number, depth: number): void => {
    for (const p of safety) if (!reported.has(p.id) && !p.holds(s)) report(p, 'violated', gid, depth, s);
    for (const p of guards) if (!reported.has(p.id) && p.holds(s)) report(p, 'found', gid, depth, s);
  };

  const deadlockProp: Property<S> = {
    kind: 'always',
    id: 'deadlock-free',
    title: 'Every reachable state has a successor',
    holds: () => false,
  };

  /** Counts a new state; false if the state budget is exhausted (the run stops). */
  const admit = (): boolean => {
    if (!limitedStates) {
      unpublished++;
      return true;
    }
    const c = (Atomics.add(ctl, CTL_COUNT, 1) >>> 0) + 1;
    if (c > init.maxStates) {
      reasons.add('max-states');
      Atomics.store(ctl, CTL_STOP, 1);
      return false;
    }
    return true;
  };

  const publish = (): void => {
    if (unpublished) Atomics.add(ctl, CTL_COUNT, unpublished);
    unpublished = 0;
    progress[me * PROGRESS_SLOTS] = generated;
    progress[me * PROGRESS_SLOTS + 1] = expanded;
  };

  const discover = (s: S, parent: number, action: number, depth: number): void => {
    if (within && !within(s)) {
      reasons.add('state-constraint');
      return;
    }
    fingerprint(s);
    if (!table.insert(fp.hi, fp.lo)) return;
    if (!admit()) return;
    const gid = trace.append(parent, action);
    checkState(s, gid, depth);
    next.push(queued(s), gid);
  };

  const expand = (s: S, id: number, depth: number): void => {
    if (depth >= init.maxDepth) {
      reasons.add('max-depth');
      return;
    }
    expanded++;
    const acts = model.actions(s);
    let successors = 0;
    for (let k = 0; k < acts.length; k++) {
      const n = model.next(s, acts[k]);
      if (n === undefined) continue;
      successors++;
      generated++;
      discover(n, id, k, depth + 1);
      if (Atomics.load(ctl, CTL_STOP) !== 0) break;
    }
    if (acts.length > maxSucc) maxSucc = acts.length;
    if (successors === 0) {
      if (init.deadlock) report(deadlockProp, 'violated', id, depth, s);
      for (const p of liveness) if (!reported.has(p.id) && !p.holds(s)) report(p, 'violated', id, depth, s);
    }
  };

  /** States the next chunk may expand, or 0 when the table must grow first. */
  const chunkSize = (): number => {
    const limit = Math.floor(table.capacity * init.maxLoad);
    const room = limit - (Atomics.load(ctl, CTL_COUNT) >>> 0);
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
      discover(s, NO_PARENT_ID, i, 0);
    }
    done(0);
  };

  // The level being expanded (donations take from it too).
  let cur: LevelStore<S> = newLevel();
  let curLevel = 0;
  const cursor: LevelCursor<S> = { s: undefined, id: 0 };

  /** Gives half of the rest of the current level to the worker whose steal request we claim. */
  const maybeDonate = (): void => {
    const req = Atomics.load(ctl, CTL_STEAL);
    const left = cur.size;
    if (req === 0 || left < MIN_DONATION * 2) return;
    if (Atomics.compareExchange(ctl, CTL_STEAL, req, 0) !== req) return;
    const to = req - 1;
    const p = init.peers[to];
    if (!p) throw new Error(`no channel to worker ${to}`);
    const { states, ids } = cur.take(left >>> 1);
    // announce before sending, so the coordinator knows `to` is busy before `to` can report done
    post({ type: 'donated', to, count: states.length });
    const t: Transfer = { kind: 'level', level: curLevel, states, ids };
    p.postMessage(t);
  };

  /** Expands `cur` in chunks; pauses when the table must grow; reports `done`. */
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
        expand(unqueued(cursor.s), cursor.id, curLevel);
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
    const { states, ids } = next.take(count);
    const t: Transfer = { kind: 'next', level: curLevel, states, ids };
    p.postMessage(t);
  };

  const fail = (e: unknown): void => {
    Atomics.store(ctl, CTL_STOP, 1);
    post({ type: 'error', message: `worker ${me} (model "${model.name}"): ${messageOf(e)}` });
  };

  for (const p of init.peers) {
    p?.on('message', (t: Transfer) => {
      if (t.kind === 'next') {
        for (let i = 0; i < t.states.length; i++) next.push(t.states[i], t.ids[i] as number);
        post({ type: 'received', count: t.states.length });
        return;
      }
      cur.close();
      cur = new ArrayLevel<S>([...t.states], [...t.ids]);
      curLevel = t.level;
      work().catch(fail);
    });
  }

  const handle = async (m: ToWorker): Promise<void> => {
    switch (m.type) {
      case 'init':
        initStates();
        return;
      case 'level':
        cur.close();
        cur = next;
        next = newLevel();
        curLevel = m.level;
        await work();
        return;
      case 'rehash': {
        const fresh = new SharedFingerprintTable(m.fresh);
        fresh.rehashSlice(new SharedFingerprintTable(m.old), m.from, m.to);
        post({ type: 'rehashed' });
        return;
      }
      case 'table': {
        table = new SharedFingerprintTable(m.buffer);
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
