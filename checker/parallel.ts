import { Worker, MessageChannel, type MessagePort } from 'node:worker_threads';
import { availableParallelism, tmpdir } from 'node:os';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CheckResult, IncompleteReason, PropertyOutcome, Stats } from './result.js';
import { verdict } from './result.js';
import type { ProgressListener } from './reporter.js';
import { collisionProbability } from './fingerprint.js';
import { SharedFingerprintTable, TraceReader } from './sharedTable.js';
import { SharedLevelTable } from './levelTable.js';
import {
  CTL_COUNT,
  CTL_GROW,
  CTL_STEAL,
  CTL_STOP,
  CTL_WORDS,
  PROGRESS_SLOTS,
  type FromWorker,
  type LevelTableBuffers,
  type ModelSpec,
  type PropertyMeta,
  type ToWorker,
  type WorkerInit,
} from './parallelProtocol.js';

import {
  beginCheckpoint,
  commitCheckpoint,
  loadCheckpoint,
  lockCheckpointDir,
  writeFramed,
  type CheckpointLabel,
  type CheckpointMeta,
  type Found,
} from './checkpointStore.js';

export type { ModelSpec, ModelBundle } from './parallelProtocol.js';
export {
  CheckpointError,
  readCheckpoint,
  type CheckpointInfo,
  type CheckpointLabel,
  type CheckpointSearchOptions,
} from './checkpointStore.js';

/** A checkpoint file that could not be written (the search goes on without checkpoints). */
class CheckpointWriteError extends Error {}

/** Options of the parallel exhaustive search (breadth-first only). */
export interface ParallelOptions {
  /** Worker threads (default `os.availableParallelism()`). */
  readonly workers?: number;
  /** States at this depth are checked but not expanded. */
  readonly maxDepth?: number;
  /** Stop after this many distinct states. */
  readonly maxStates?: number;
  /** Stop after this many milliseconds of wall time. */
  readonly timeLimitMs?: number;
  /** Stop at the first counterexample (default true); otherwise record the first per property. */
  readonly stopOnViolation?: boolean;
  /** Seed of the fingerprint hash. */
  readonly hashSeed?: number;
  /** Presize the fingerprint table for this many states. */
  readonly expectedStates?: number;
  /** Report a state without successors as a violation of `deadlock-free`. */
  readonly deadlock?: boolean;
  /**
   * Highest load of the fingerprint table before it grows (default 0.9). Higher saves memory per
   * state, lower shortens probe sequences.
   */
  readonly maxLoad?: number;
  /** Growth factor of the fingerprint table (default 2). */
  readonly growth?: number;
  /**
   * Write a checkpoint into `dir` at level barriers, at most every `everyMs` (default 60 000; 0: at
   * every level). `label` (JSON data) is stored with it for the caller to recognise its run by
   * (`readCheckpoint(dir).label`); a resumed run keeps the checkpoint's label unless given another.
   */
  readonly checkpoint?: { readonly dir: string; readonly everyMs?: number; readonly label?: CheckpointLabel };
  /**
   * Keep each worker's BFS levels mostly on disk: segments of `segmentSize` states (default 16,384)
   * beyond the first `memorySegments` (default 2) of a level are written (v8 structured-clone format)
   * to a file under `dir` (default: the OS temp dir). For state spaces whose widest level does not fit
   * in memory; the fingerprint table and trace records stay in memory.
   */
  readonly spill?: { readonly dir?: string; readonly segmentSize?: number; readonly memorySegments?: number };
  /**
   * Called once if a checkpoint cannot be written (a full disk, a directory removed…): the search goes
   * on without further checkpoints; the last complete checkpoint stays in place.
   */
  readonly onCheckpointError?: (message: string) => void;
  /** After a time limit or abort, how long to wait for workers stuck in model code (default 10 s). */
  readonly stopGraceMs?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: ProgressListener;
  readonly progressIntervalMs?: number;
}

/** Where the compiled worker entry is: next to this module, or under dist/ when running from sources. */
function workerUrl(): URL {
  const here = new URL('./parallelWorker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const dist = new URL('../dist/checker/parallelWorker.js', import.meta.url);
  if (existsSync(fileURLToPath(dist))) return dist;
  throw new Error(
    `parallel engine: cannot find the compiled worker (${fileURLToPath(here)}); run \`npm run build\` first`,
  );
}

class Mailbox {
  private readonly items: { w: number; m: FromWorker }[] = [];
  private waiter: { resolve: (x: { w: number; m: FromWorker }) => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;

  push(w: number, m: FromWorker): void {
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = undefined;
      waiter.resolve({ w, m });
    } else this.items.push({ w, m });
  }

  fail(e: Error): void {
    this.failure ??= e;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.reject(this.failure);
  }

  next(): Promise<{ w: number; m: FromWorker }> {
    const x = this.items.shift();
    if (x) return Promise.resolve(x);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }
}

/**
 * Exhaustive breadth-first search on `workers` threads; the same verdicts, distinct-state counts,
 * counterexamples and reachability examples (paths included) as `check()` with `strategy: 'bfs'`,
 * whatever the number of workers and the timing; `maxStates: N` visits exactly N states.
 *
 * The model is named by a `ModelSpec` (a module and a factory), because functions cannot be sent to
 * threads; every worker builds its own copy. Algorithm:
 * - level-synchronous BFS: all workers expand level k, meet at a barrier, then start level k+1. A
 *   property is checked when a state is discovered, so a counterexample found in level k has length
 *   k and every shorter state was checked before: counterexamples are shortest, as with `check()`;
 * - the order of the single-threaded search, without its sequence: a state of level k has a rank (its
 *   position in that search's level k); a successor discovered from it by action index a gets the key
 *   rank · 2^16 + a. The states of the level being built are offered to a shared `SharedLevelTable`
 *   with their keys, and keep the smallest (lock-free); at the barrier each worker keeps its
 *   discoveries whose key won, the keys are sorted into the new level's ranks, and the level moves into
 *   the fingerprint table, which holds the earlier levels (read-only while a level runs). So each state
 *   keeps the parent and representative `check()` gives it, and the findings of a pass are decided by
 *   their keys: the first violation in that order, and what was found before it. A level in which a
 *   violation shows up is finished first (a run stopped by a bound or a signal is not: it keeps what
 *   it has);
 * - work sharing: each worker keeps the states it discovered; at the barrier the coordinator moves
 *   states (structured clones, over direct worker-to-worker channels) from the fullest workers to
 *   the emptiest until the next level is balanced;
 * - trace records (parent id, action index) live in per-worker shared chunks; global id = local id ·
 *   workers + worker, so the coordinator rebuilds counterexample paths without asking anyone;
 * - the level table grows at a safe point: a worker that sees too little room pauses, the others pause
 *   at their next chunk boundary, the workers rehash slices of the old table into a bigger one, resume;
 *   the fingerprint table grows at a barrier.
 *
 * States must be plain data (structured-cloneable; checked on the initial states). A throwing model, a
 * worker that dies, or a worker stuck in model code after a time limit yields `kind: 'error'` with the
 * message — never a hang. With `checkpoint`, the frontier, table and traces are written at level
 * barriers; `resumeParallel(dir)` continues a killed run to the same counts.
 */
export function checkParallel(spec: ModelSpec, options: ParallelOptions = {}): Promise<CheckResult> {
  return run(spec, options, undefined);
}

/** Options of `resumeParallel`. */
export interface ResumeOptions extends ParallelOptions {
  /**
   * Build the model from this spec instead of the one recorded in the checkpoint (e.g. when the
   * factory module moved); it must build the same model, or the counts are meaningless.
   */
  readonly spec?: ModelSpec;
}

/**
 * Continues the run whose checkpoint is in `dir` (written by `checkParallel` with `checkpoint`). The
 * model spec, worker count and search options come from the checkpoint; `options` may change limits,
 * progress reporting and further checkpointing. A missing or damaged checkpoint rejects with a
 * `CheckpointError` before anything is read into the engine or written.
 */
export function resumeParallel(dir: string, options: ResumeOptions = {}): Promise<CheckResult> {
  let loaded: { where: string; meta: CheckpointMeta };
  try {
    loaded = loadCheckpoint(dir);
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
  const { spec, ...rest } = options;
  return run(spec ?? loaded.meta.spec, rest, loaded);
}

/** Runs the search; with checkpoints, holds the checkpoint directory's lock while it runs. */
async function run(
  spec: ModelSpec,
  options: ParallelOptions,
  resume: { meta: CheckpointMeta; where: string } | undefined,
): Promise<CheckResult> {
  const dir = options.checkpoint?.dir;
  if (dir !== undefined) mkdirSync(dir, { recursive: true });
  const unlock = dir !== undefined ? lockCheckpointDir(dir) : undefined;
  try {
    return await search(spec, options, resume);
  } finally {
    unlock?.();
  }
}

async function search(
  spec: ModelSpec,
  options: ParallelOptions,
  resume: { meta: CheckpointMeta; where: string } | undefined,
): Promise<CheckResult> {
  const meta = resume?.meta;
  const W = meta?.workers ?? Math.max(1, Math.floor(options.workers ?? availableParallelism()));
  const maxLoad = meta?.options.maxLoad ?? options.maxLoad ?? 0.9;
  const growth = Math.max(1.25, options.growth ?? 2);
  const hashSeed = meta?.options.hashSeed ?? options.hashSeed ?? 0;
  const maxDepth = options.maxDepth ?? meta?.options.maxDepth ?? Infinity;
  const maxStates = options.maxStates ?? meta?.options.maxStates ?? Infinity;
  const deadlock = meta?.options.deadlock ?? options.deadlock ?? false;
  const stopOnViolation = meta?.options.stopOnViolation ?? options.stopOnViolation ?? true;
  const graceMs = options.stopGraceMs ?? 10_000;
  const start = Date.now() - (meta?.elapsedMs ?? 0);

  const ctlBuf = new SharedArrayBuffer(CTL_WORDS * 4);
  const ctl = new Int32Array(ctlBuf);
  const progressBuf = new SharedArrayBuffer(W * PROGRESS_SLOTS * 8);
  const progress = new Float64Array(progressBuf);
  const reader = new TraceReader(W);
  let table: SharedFingerprintTable;
  const resumeChunks: SharedArrayBuffer[][] = [];
  if (resume && meta) {
    const bytes = readFileSync(join(resume.where, 'table.bin'));
    const buf = new SharedArrayBuffer(bytes.byteLength);
    new Uint8Array(buf).set(bytes);
    table = new SharedFingerprintTable(buf);
    for (let w = 0; w < W; w++) {
      // trace-w.bin: per chunk, [u32 little-endian byte length][chunk bytes]
      const data = readFileSync(join(resume.where, `trace-${w}.bin`));
      const chunks: SharedArrayBuffer[] = [];
      for (let off = 0; off < data.byteLength;) {
        const len = data.readUInt32LE(off);
        const b = new SharedArrayBuffer(len);
        new Uint8Array(b).set(data.subarray(off + 4, off + 4 + len));
        reader.setChunk(w, chunks.length, b);
        chunks.push(b);
        off += 4 + len;
      }
      resumeChunks.push(chunks);
    }
    Atomics.store(ctl, CTL_COUNT, meta.count | 0);
  } else {
    table = SharedFingerprintTable.create(
      SharedFingerprintTable.capacityFor(Math.max(16, options.expectedStates ?? 1 << 18), maxLoad),
    );
  }

  // The states of the level being built, with the smallest order key each was discovered with.
  let levelTable = SharedLevelTable.create(
    SharedLevelTable.capacityFor(
      Math.max(16, (options.expectedStates ?? 1 << 18) >>> 2, (meta?.count ?? 0) >>> 1),
      maxLoad,
    ),
  );

  // One channel per pair of workers for work sharing.
  const peers: (MessagePort | null)[][] = Array.from({ length: W }, () => Array<MessagePort | null>(W).fill(null));
  for (let i = 0; i < W; i++)
    for (let j = i + 1; j < W; j++) {
      const ch = new MessageChannel();
      (peers[i] as (MessagePort | null)[])[j] = ch.port1;
      (peers[j] as (MessagePort | null)[])[i] = ch.port2;
    }

  const mailbox = new Mailbox();
  const url = workerUrl();
  // one directory for this run's spill files, removed at the end whatever happens
  const spillDir = options.spill ? mkdtempSync(join(options.spill.dir ?? tmpdir(), 'kafka-mc-spill-')) : undefined;
  let shuttingDown = false;
  const workers: Worker[] = [];
  for (let w = 0; w < W; w++) {
    const ports = peers[w] as (MessagePort | null)[];
    const traceChunks = resumeChunks[w];
    const data: WorkerInit = {
      index: w,
      workers: W,
      spec,
      hashSeed,
      maxDepth,
      maxStates,
      maxLoad,
      deadlock,
      stopOnViolation,
      ctl: ctlBuf,
      progress: progressBuf,
      table: table.buffer,
      levelTable: { buffer: levelTable.buffer, keyBuffer: levelTable.keyBuffer },
      peers: ports,
      ...(options.spill && spillDir !== undefined
        ? {
            spill: {
              dir: spillDir,
              segmentSize: options.spill.segmentSize ?? 16_384,
              memorySegments: options.spill.memorySegments ?? 2,
            },
          }
        : {}),
      ...(resume && meta && traceChunks
        ? {
            resume: {
              traceChunks,
              traceSize: meta.traceSizes[w] ?? 0,
              frontierFile: join(resume.where, `frontier-${w}.bin`),
              keyBase: w * 2 ** 40,
            },
          }
        : {}),
    };
    const worker = new Worker(url, {
      workerData: data,
      // workers inherit node's flags; --input-type (for `node -e`) would make them fail to start
      ...(process.execArgv.some((a) => a.startsWith('--input-type'))
        ? { execArgv: process.execArgv.filter((a) => !a.startsWith('--input-type')) }
        : {}),
      transferList: ports.filter((p): p is MessagePort => p !== null),
    });
    worker.on('message', (m: FromWorker) => mailbox.push(w, m));
    worker.on('error', (e: Error) => mailbox.fail(new Error(`worker ${w} crashed: ${e.stack ?? e.message}`)));
    worker.on('exit', (code) => {
      if (!shuttingDown) mailbox.fail(new Error(`worker ${w} exited unexpectedly (exit code ${code})`));
    });
    workers.push(worker);
  }

  const reasons = new Set<IncompleteReason>(meta?.reasons ?? []);
  const found = new Map<string, Found>();
  for (const f of meta?.found ?? []) found.set(f.meta.id, f);
  let props: readonly PropertyMeta[] = [];
  let generated = meta?.generated ?? 0;
  let deepest = meta?.deepest ?? 0;
  let level = meta?.level ?? 0;
  let queued = 0;
  let stoppedByViolation = false;
  /** This pass's best finding per property (the smallest key), decided at the barrier. */
  const pending = new Map<string, Found & { readonly key: number }>();
  /** States of the level being expanded that a stop left unexpanded. */
  let leftInLevel = 0;
  let stopAskedAt: number | undefined;
  const traceSizes: number[] = [...(meta?.traceSizes ?? Array<number>(W).fill(0))];
  const sizes: number[] = [...(meta?.sizes ?? Array<number>(W).fill(0))];

  const requestStop = (reason: IncompleteReason): void => {
    reasons.add(reason);
    Atomics.store(ctl, CTL_STOP, 1);
    stopAskedAt ??= Date.now();
  };

  const interval = options.progressIntervalMs ?? 1000;
  let lastProgress = Date.now();
  const timer = setInterval(
    () => {
      const now = Date.now();
      if (options.timeLimitMs !== undefined && now - start >= options.timeLimitMs && !reasons.has('time-limit'))
        requestStop('time-limit');
      if (options.signal?.aborted && !reasons.has('interrupted')) requestStop('interrupted');
      if (stopAskedAt !== undefined && now - stopAskedAt > graceMs)
        mailbox.fail(
          new Error(
            `workers did not stop within ${graceMs} ms of the stop request; the model is probably stuck in an infinite loop in actions() or next()`,
          ),
        );
      if (options.onProgress && now - lastProgress >= interval) {
        lastProgress = now;
        let gen = generated;
        for (let w = 0; w < W; w++) gen += progress[w * PROGRESS_SLOTS] ?? 0;
        const distinct = Atomics.load(ctl, CTL_COUNT) >>> 0;
        const el = now - start;
        options.onProgress({
          generated: gen,
          distinct,
          depth: level,
          queued: sizes.reduce((a, b) => a + b, 0),
          elapsedMs: el,
          statesPerSecond: (distinct * 1000) / Math.max(1, el),
        });
      }
    },
    Math.min(100, interval),
  );

  const send = (w: number, m: ToWorker): void => (workers[w] as Worker).postMessage(m);
  const broadcast = (m: ToWorker): void => {
    for (let w = 0; w < W; w++) send(w, m);
  };

  /** Next message that is not a chunk or a property report (those are absorbed here). */
  const nextMessage = async (): Promise<{ w: number; m: FromWorker }> => {
    for (;;) {
      const x = await mailbox.next();
      const m = x.m;
      if (m.type === 'chunk') reader.setChunk(x.w, m.index, m.buffer);
      else if (m.type === 'spilled') reader.setSpilled(x.w, m.index, m.where);
      else if (m.type === 'found') {
        const prev = pending.get(m.id);
        if (!prev || m.key < prev.key)
          pending.set(m.id, {
            meta: { id: m.id, title: m.title, kind: m.kind },
            status: m.status,
            gid: m.gid,
            depth: m.depth,
            key: m.key,
            ...(m.detail !== undefined ? { detail: m.detail } : {}),
          });
      } else if (m.type === 'error') throw new Error(m.message);
      else return x;
    }
  };

  const expectAll = async (type: FromWorker['type'], n: number): Promise<FromWorker[]> => {
    const got: FromWorker[] = [];
    while (got.length < n) {
      const { w, m } = await nextMessage();
      if (m.type !== type)
        throw new Error(`parallel engine: worker ${w} sent "${m.type}" while "${type}" was expected`);
      got.push(m);
    }
    return got;
  };

  /** Sends each worker its slice of `capacity` slots. */
  const sendSlices = (capacity: number, make: (from: number, to: number) => ToWorker): void => {
    const step = Math.ceil(capacity / W);
    for (let w = 0; w < W; w++) send(w, make(Math.min(capacity, w * step), Math.min(capacity, (w + 1) * step)));
  };
  const buffersOf = (t: SharedLevelTable): LevelTableBuffers => ({ buffer: t.buffer, keyBuffer: t.keyBuffer });

  /** The level table grows while every worker is paused (its new states are offered to it). */
  const growLevelTable = async (): Promise<void> => {
    const old = levelTable;
    const fresh = SharedLevelTable.create(Math.ceil(old.capacity * growth));
    sendSlices(old.capacity, (from, to) => ({
      type: 'rehashLevel',
      old: buffersOf(old),
      fresh: buffersOf(fresh),
      from,
      to,
    }));
    await expectAll('rehashed', W);
    levelTable = fresh;
    Atomics.store(ctl, CTL_GROW, 0);
    broadcast({ type: 'levelTable', fresh: buffersOf(fresh) });
  };

  /** The fingerprint table grows at a barrier, before the level table moves into it, to hold `states`. */
  const growTable = async (states: number): Promise<void> => {
    if (states <= Math.floor(table.capacity * maxLoad)) return;
    const old = table;
    const fresh = SharedFingerprintTable.create(
      Math.max(Math.ceil(old.capacity * growth), SharedFingerprintTable.capacityFor(states, maxLoad)),
    );
    sendSlices(old.capacity, (from, to) => ({ type: 'rehash', old: old.buffer, fresh: fresh.buffer, from, to }));
    await expectAll('rehashed', W);
    table = fresh;
    broadcast({ type: 'table', buffer: fresh.buffer });
  };

  /** Tells every worker the ranks of the level just built (with `filter`, it keeps its winners). */
  const rank = async (ranks: readonly SharedArrayBuffer[], filter: boolean): Promise<void> => {
    broadcast({ type: 'ranks', ranks, filter });
    for (let n = 0; n < W; n++) {
      const { w, m } = await nextMessage();
      if (m.type !== 'ranked')
        throw new Error(`parallel engine: worker ${w} sent "${m.type}" while "ranked" was expected`);
      sizes[w] = m.next;
    }
  };

  /**
   * Decides this pass's findings as the single-threaded search would: with `stopOnViolation`, the first
   * violation in its order (the smallest key) and whatever it found before it; otherwise all.
   */
  const decide = (): void => {
    let first = Infinity;
    if (stopOnViolation) for (const f of pending.values()) if (f.status === 'violated') first = Math.min(first, f.key);
    for (const { key, ...f } of pending.values()) if (key <= first && !found.has(f.meta.id)) found.set(f.meta.id, f);
    if (first < Infinity) stoppedByViolation = true;
    pending.clear();
  };

  /**
   * The barrier after a pass: each discovery that won (the smallest key for its state) stays in the next
   * level, ranked; the findings are decided; the level table moves into the fingerprint table. A pass a
   * stop cut short keeps its discoveries as they are (the run ends).
   */
  const barrier = async (): Promise<void> => {
    if (Atomics.load(ctl, CTL_STOP) !== 0) {
      broadcast({ type: 'report' });
      await expectAll('reported', W);
    } else {
      sendSlices(levelTable.capacity, (from, to) => ({ type: 'keys', from, to }));
      const ranks = (await expectAll('keys', W)).map((m) => (m as { buffer: SharedArrayBuffer }).buffer);
      await rank(ranks, true);
      await growTable(Atomics.load(ctl, CTL_COUNT) >>> 0);
      sendSlices(levelTable.capacity, (from, to) => ({ type: 'merge', from, to }));
      await expectAll('merged', W);
    }
    decide();
    queued = leftInLevel + sizes.reduce((a, b) => a + b, 0);
  };

  /**
   * Runs one phase (init or a level) to its barrier. A worker is finished when it has reported `done`
   * once more than the donations announced to it; finished workers ask busy ones for work (one steal
   * request at a time in `CTL_STEAL`). When a worker pauses for growth, the table grows as soon as
   * every worker is paused or finished (a worker with a donation in flight is neither).
   */
  const phase = async (m: ToWorker): Promise<void> => {
    broadcast(m);
    const dones = Array<number>(W).fill(0);
    const announced = Array<number>(W).fill(0);
    const paused = new Set<number>();
    const hungry: number[] = [];
    const finished = (w: number): boolean => (dones[w] as number) >= 1 + (announced[w] as number);
    let popped = 0;
    queued = 0;
    while (!dones.every((_, w) => finished(w))) {
      const { w, m: r } = await nextMessage();
      if (r.type === 'done') {
        dones[w] = (dones[w] as number) + 1;
        paused.delete(w);
        sizes[w] = r.next;
        generated += r.generated;
        popped += r.expanded;
        queued += r.remaining;
        traceSizes[w] = r.traceSize;
        for (const x of r.reasons) reasons.add(x);
        if (finished(w) && m.type === 'level' && W > 1) hungry.push(w);
      } else if (r.type === 'donated') announced[r.to] = (announced[r.to] as number) + 1;
      else if (r.type === 'paused') paused.add(w);
      else throw new Error(`parallel engine: unexpected "${r.type}" from worker ${w}`);
      if (Atomics.load(ctl, CTL_STEAL) === 0 && Atomics.load(ctl, CTL_STOP) === 0) {
        const h = hungry.findIndex((x) => finished(x));
        if (h >= 0 && !dones.every((_, x) => finished(x))) {
          Atomics.store(ctl, CTL_STEAL, (hungry[h] as number) + 1);
          hungry.splice(0, h + 1);
        }
      }
      if (paused.size > 0 && dones.every((_, x) => paused.has(x) || finished(x))) {
        await growLevelTable();
        paused.clear();
      }
    }
    Atomics.store(ctl, CTL_STEAL, 0);
    leftInLevel = queued;
    if (m.type === 'level' && popped > 0) deepest = Math.max(deepest, m.level);
  };

  /** Moves states from the fullest workers to the emptiest. */
  const rebalance = async (): Promise<void> => {
    const total = sizes.reduce((a, b) => a + b, 0);
    const max = Math.max(...sizes);
    const min = Math.min(...sizes);
    if (W < 2 || max - min < 2 || max - min <= (total / W) * 0.05) return;
    const target = sizes.map((_, w) => Math.floor(total / W) + (w < total % W ? 1 : 0));
    const surplus = sizes.map((s, w) => s - (target[w] as number));
    const donors = surplus.map((s, w) => ({ w, s })).filter((x) => x.s > 0);
    const takers = surplus.map((s, w) => ({ w, s: -s })).filter((x) => x.s > 0);
    let transfers = 0;
    let t = 0;
    for (const d of donors) {
      while (d.s > 0 && t < takers.length) {
        const k = takers[t] as { w: number; s: number };
        const n = Math.min(d.s, k.s);
        send(d.w, { type: 'send', to: k.w, count: n });
        transfers++;
        d.s -= n;
        k.s -= n;
        sizes[d.w] = (sizes[d.w] as number) - n;
        sizes[k.w] = (sizes[k.w] as number) + n;
        if (k.s === 0) t++;
      }
    }
    await expectAll('received', transfers);
  };

  let lastCheckpoint = Date.now();
  /** Why checkpoints stopped being written (a failed write ends checkpointing, never the search). */
  let checkpointFailure: string | undefined;
  const checkpoint = async (dir: string): Promise<void> => {
    const tmp = beginCheckpoint(dir);
    for (let w = 0; w < W; w++) send(w, { type: 'save', file: join(tmp, `frontier-${w}.bin`) });
    for (const m of await expectAll('saved', W))
      if (m.type === 'saved' && m.error !== undefined) throw new CheckpointWriteError(m.error);
    writeFileSync(join(tmp, 'table.bin'), new Uint8Array(table.buffer));
    for (let w = 0; w < W; w++)
      writeFramed(
        join(tmp, `trace-${w}.bin`),
        Array.from({ length: reader.chunkCount(w) }, (_, c) => reader.chunkBytes(w, c)),
      );
    const label = options.checkpoint?.label ?? meta?.label;
    commitCheckpoint(dir, tmp, {
      version: 2,
      ...(label !== undefined ? { label } : {}),
      spec,
      workers: W,
      level,
      count: Atomics.load(ctl, CTL_COUNT) >>> 0,
      generated,
      deepest,
      elapsedMs: Date.now() - start,
      traceSizes,
      sizes,
      found: [...found.values()],
      reasons: [...reasons],
      options: {
        hashSeed,
        maxDepth: Number.isFinite(maxDepth) ? maxDepth : null,
        maxStates: Number.isFinite(maxStates) ? maxStates : null,
        deadlock,
        stopOnViolation,
        maxLoad,
      },
    });
    lastCheckpoint = Date.now();
  };
  /** Writes a checkpoint when one is due; a failure is reported and ends checkpointing. */
  const maybeCheckpoint = async (): Promise<void> => {
    const c = options.checkpoint;
    if (!c || checkpointFailure !== undefined || Date.now() - lastCheckpoint < (c.everyMs ?? 60_000)) return;
    try {
      await checkpoint(c.dir);
    } catch (e) {
      // a file that cannot be written; anything else (a worker that died) ends the run as before
      if (!(e instanceof CheckpointWriteError) && (e as NodeJS.ErrnoException).code === undefined) throw e;
      checkpointFailure = e instanceof Error ? e.message : String(e);
      options.onCheckpointError?.(checkpointFailure);
    }
  };

  let error: string | undefined;
  try {
    const ready = await expectAll('ready', W);
    const first = ready[0];
    if (first?.type === 'ready') props = first.props;
    if (!resume) {
      await phase({ type: 'init', levelStart: 0 });
      await barrier();
    } else {
      // rank the checkpointed frontier again (ranks are not stored)
      broadcast({ type: 'frontierKeys' });
      await rank(
        (await expectAll('keys', W)).map((m) => (m as { buffer: SharedArrayBuffer }).buffer),
        false,
      );
    }
    for (;;) {
      if (options.timeLimitMs !== undefined && Date.now() - start >= options.timeLimitMs) requestStop('time-limit');
      if (options.signal?.aborted) requestStop('interrupted');
      if (Atomics.load(ctl, CTL_STOP) !== 0 || stoppedByViolation || sizes.every((s) => s === 0)) break;
      await rebalance();
      await maybeCheckpoint();
      const levelStart = Atomics.load(ctl, CTL_COUNT) >>> 0;
      await phase({ type: 'level', level, levelStart, resolved: [...found.keys()] });
      await barrier();
      level++;
    }
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  } finally {
    clearInterval(timer);
    if (spillDir !== undefined && error === undefined) {
      // let workers close their spill files (file descriptors are per process, not per thread)
      broadcast({ type: 'close' });
      let timeout: NodeJS.Timeout | undefined;
      await Promise.race([
        expectAll('closed', W).catch(() => undefined),
        new Promise((resolve) => (timeout = setTimeout(resolve, 2000))),
      ]);
      clearTimeout(timeout);
    }
    shuttingDown = true;
    await Promise.all(workers.map((w) => w.terminate()));
  }
  try {
    return finish();
  } finally {
    reader.close();
    if (spillDir !== undefined) rmSync(spillDir, { recursive: true, force: true });
  }

  /** Builds the result once the workers are gone (paths are read from the trace chunks). */
  function finish(): CheckResult {
    const durationMs = Date.now() - start;
    const distinct = Atomics.load(ctl, CTL_COUNT) >>> 0;
    const stats: Stats = {
      generated,
      distinct,
      maxDepth: deepest,
      queued,
      durationMs,
      statesPerSecond: Math.round((distinct * 1000) / Math.max(1, durationMs)),
      collisionProbability: collisionProbability(distinct, generated),
      bytesPerState: distinct ? (table.buffer.byteLength + reader.bytesUsed()) / distinct : 0,
    };
    if (error !== undefined) {
      const outcomes = props.map((p): PropertyOutcome => ({
        id: p.id,
        title: p.title,
        kind: p.kind,
        status: 'unknown',
      }));
      return { kind: 'error', stats, outcomes, message: error };
    }
    if (stoppedByViolation && queued > 0 && !reasons.has('max-states')) {
      // Stopped at a counterexample: the unexplored rest does not make the run "incomplete".
    } else if (queued > 0 && !reasons.size) reasons.add('interrupted');
    const complete = reasons.size === 0 && !stoppedByViolation && !reasons.has('max-states');
    const outcomeOf = (f: Found): PropertyOutcome => ({
      id: f.meta.id,
      title: f.meta.title,
      kind: f.meta.kind,
      status: f.status,
      path: reader.pathTo(f.gid),
      ...(f.detail !== undefined ? { detail: f.detail } : {}),
    });
    const outcomes: PropertyOutcome[] = [];
    const dl = found.get('deadlock-free');
    if (deadlock && dl) outcomes.push(outcomeOf(dl));
    for (const p of props) {
      const f = found.get(p.id);
      if (f) outcomes.push(outcomeOf(f));
      else
        outcomes.push({
          id: p.id,
          title: p.title,
          kind: p.kind,
          status: complete ? (p.kind === 'sometimes' ? 'vacuous' : 'holds') : 'unknown',
        });
    }
    return verdict(stats, outcomes, [...reasons]);
  }
}
