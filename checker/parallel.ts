import { Worker, MessageChannel, type MessagePort } from 'node:worker_threads';
import { availableParallelism, tmpdir } from 'node:os';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CheckResult, IncompleteReason, PropertyOutcome } from './result.js';
import { verdict } from './result.js';
import type { SearchBounds } from './options.js';
import type { Model } from './Model.js';
import { CutTally, outcomesOf, searchStats } from './findings.js';
import { ReductionTally } from './reduction.js';
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
  readSharedData,
  writeSharedData,
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

/** Options of the parallel exhaustive search (breadth-first only): the shared bounds and the engine's own. */
export interface ParallelOptions extends SearchBounds {
  /** Worker threads (default `os.availableParallelism()`). */
  readonly workers?: number;
  /** Check only these properties of the model's bundle, by id, in this order (default: all it builds). */
  readonly properties?: readonly string[];
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
export function checkParallel<S, A>(
  target: ModelSpec | Model<S, A>,
  options: ParallelOptions = {},
): Promise<CheckResult> {
  let spec: ModelSpec;
  try {
    spec = specOf(target);
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
  return run(spec, options, undefined);
}

/** The spec that rebuilds `target` in a worker: itself, or a model's `origin`. */
function specOf<S, A>(target: ModelSpec | Model<S, A>): ModelSpec {
  if (!('initStates' in target)) return target;
  if (target.origin) return target.origin;
  throw new Error(
    `parallel engine: model "${target.name}" has no \`origin\`; worker threads rebuild the model from a module and factory (give the model \`origin: { module: import.meta.url, export: '<factory>', arg }\` where the factory returns { model, properties }), or run it single-threaded`,
  );
}

/**
 * The module a worker can import for `spec`: a TypeScript source file (a spec written from sources, as
 * under vitest) is replaced by its compiled twin under `dist/` when there is one.
 */
function loadableSpec(spec: ModelSpec): ModelSpec {
  const m = spec.module;
  if (!/\.ts$/.test(m) || !(m.startsWith('file:') || m.startsWith('/'))) return spec;
  const file = m.startsWith('file:') ? fileURLToPath(m) : m;
  // the package root: this module is <root>/checker/parallel.ts or <root>/dist/checker/parallel.js
  const here = fileURLToPath(new URL('../', import.meta.url));
  const root = /[\\/]dist[\\/]$/.test(here) ? fileURLToPath(new URL('../../', import.meta.url)) : here;
  if (!file.startsWith(root) || file.startsWith(join(root, 'dist'))) return spec;
  const twin = join(root, 'dist', file.slice(root.length).replace(/\.ts$/, '.js'));
  return existsSync(twin) ? { ...spec, module: pathToFileURL(twin).href } : spec;
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
    return await new Coordinator(loadableSpec(spec), options, resume).search();
  } finally {
    unlock?.();
  }
}

/** The search options of a run, settled: a resumed run takes most of them from its checkpoint. */
interface Settings {
  readonly W: number;
  readonly maxLoad: number;
  readonly growth: number;
  readonly hashSeed: number;
  readonly maxDepth: number;
  readonly maxStates: number;
  readonly deadlock: boolean;
  readonly stopOnViolation: boolean;
  readonly partialOrder: boolean;
  readonly graceMs: number;
}

function settle(options: ParallelOptions, meta: CheckpointMeta | undefined): Settings {
  return {
    W: meta?.workers ?? Math.max(1, Math.floor(options.workers ?? availableParallelism())),
    maxLoad: meta?.options.maxLoad ?? options.maxLoad ?? 0.9,
    growth: Math.max(1.25, options.growth ?? 2),
    hashSeed: meta?.options.hashSeed ?? options.hashSeed ?? 0,
    maxDepth: options.maxDepth ?? meta?.options.maxDepth ?? Infinity,
    maxStates: options.maxStates ?? meta?.options.maxStates ?? Infinity,
    deadlock: meta?.options.deadlock ?? options.deadlock ?? false,
    stopOnViolation: meta?.options.stopOnViolation ?? options.stopOnViolation ?? true,
    // a checkpoint from before the reduction existed explored without it
    partialOrder: meta ? (meta.options.partialOrder ?? false) : (options.partialOrder ?? true),
    graceMs: options.stopGraceMs ?? 10_000,
  };
}

/** One channel per pair of workers, for work sharing: `peers[i][j]` is i's end of the i-j channel. */
function peerChannels(W: number): (MessagePort | null)[][] {
  const peers = Array.from({ length: W }, () => Array<MessagePort | null>(W).fill(null));
  for (let i = 0; i < W; i++)
    for (let j = i + 1; j < W; j++) {
      const ch = new MessageChannel();
      (peers[i] as (MessagePort | null)[])[j] = ch.port1;
      (peers[j] as (MessagePort | null)[])[i] = ch.port2;
    }
  return peers;
}

/**
 * The coordinating thread of one parallel run: it starts the workers, runs each BFS level as a phase to
 * its barrier (ranking the level, deciding findings, merging the level into the fingerprint table),
 * grows the shared tables, rebalances the next level, writes checkpoints, and assembles the result.
 */
class Coordinator {
  private readonly set: Settings;
  private readonly meta: CheckpointMeta | undefined;
  private readonly start: number;
  private readonly ctl: Int32Array;
  private readonly progress: Float64Array;
  private readonly reader: TraceReader;
  private table: SharedFingerprintTable;
  /** The states of the level being built, with the smallest order key each was discovered with. */
  private levelTable: SharedLevelTable;
  private readonly mailbox = new Mailbox();
  private readonly workers: Worker[] = [];
  /** One directory for this run's spill files, removed at the end whatever happens. */
  private spillDir: string | undefined;
  private shuttingDown = false;
  private readonly reasons: Set<IncompleteReason>;
  private readonly found = new Map<string, Found>();
  private props: readonly PropertyMeta[] = [];
  private boundNames: readonly string[] | undefined;
  /** The states bounds cut, over all phases (see `Stats.cuts`). */
  private readonly cuts = new CutTally();
  /** What partial-order reduction did, summed over the workers' reports (its plan from the first). */
  private reduction: ReductionTally | undefined;
  private generated: number;
  private deepest: number;
  private level: number;
  private queued = 0;
  private stoppedByViolation = false;
  /** This pass's best finding per property (the smallest key), decided at the barrier. */
  private readonly pending = new Map<string, Found & { readonly key: number }>();
  /** States of the level being expanded that a stop left unexpanded. */
  private leftInLevel = 0;
  private stopAskedAt: number | undefined;
  private readonly traceSizes: number[];
  private readonly sizes: number[];
  private lastProgress = Date.now();
  private lastCheckpoint = Date.now();
  /** Why checkpoints stopped being written (a failed write ends checkpointing, never the search). */
  private checkpointFailure: string | undefined;
  private error: string | undefined;

  constructor(
    private readonly spec: ModelSpec,
    private readonly options: ParallelOptions,
    private readonly resume: { meta: CheckpointMeta; where: string } | undefined,
  ) {
    const meta = resume?.meta;
    this.meta = meta;
    this.set = settle(options, meta);
    const W = this.set.W;
    this.start = Date.now() - (meta?.elapsedMs ?? 0);
    this.ctl = new Int32Array(new SharedArrayBuffer(CTL_WORDS * 4));
    this.progress = new Float64Array(new SharedArrayBuffer(W * PROGRESS_SLOTS * 8));
    this.reader = new TraceReader(W);
    const expected = options.expectedStates ?? 1 << 18;
    this.table = SharedFingerprintTable.create(
      SharedFingerprintTable.capacityFor(Math.max(16, expected), this.set.maxLoad),
    );
    this.levelTable = SharedLevelTable.create(
      SharedLevelTable.capacityFor(Math.max(16, expected >>> 2, (meta?.count ?? 0) >>> 1), this.set.maxLoad),
    );
    this.reasons = new Set(meta?.reasons ?? []);
    for (const f of meta?.found ?? []) this.found.set(f.meta.id, f);
    if (meta?.cuts) this.cuts.merge(meta.cuts);
    this.generated = meta?.generated ?? 0;
    this.deepest = meta?.deepest ?? 0;
    this.level = meta?.level ?? 0;
    this.traceSizes = [...(meta?.traceSizes ?? Array<number>(W).fill(0))];
    this.sizes = [...(meta?.sizes ?? Array<number>(W).fill(0))];
  }

  /** Runs the whole search: workers up, levels to the end or a stop, workers down, the result. */
  async search(): Promise<CheckResult> {
    const traceChunks = this.resume ? this.loadResume(this.resume) : [];
    this.spawn(traceChunks);
    const timer = setInterval(() => this.tick(), Math.min(100, this.options.progressIntervalMs ?? 1000));
    try {
      await this.levels();
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    } finally {
      clearInterval(timer);
      await this.shutdown();
    }
    try {
      return this.finish();
    } finally {
      this.reader.close();
      if (this.spillDir !== undefined) rmSync(this.spillDir, { recursive: true, force: true });
    }
  }

  /** Loads the checkpointed table and traces; returns each worker's trace chunks. */
  private loadResume(resume: { meta: CheckpointMeta; where: string }): SharedArrayBuffer[][] {
    const { table, traceChunks } = readSharedData(resume.where, this.set.W);
    this.table = new SharedFingerprintTable(table);
    traceChunks.forEach((chunks, w) => chunks.forEach((b, c) => this.reader.setChunk(w, c, b)));
    Atomics.store(this.ctl, CTL_COUNT, resume.meta.count | 0);
    return traceChunks;
  }

  /** What worker `w` starts from. */
  private workerInit(
    w: number,
    ports: (MessagePort | null)[],
    traceChunks: SharedArrayBuffer[] | undefined,
  ): WorkerInit {
    const { options, resume, set } = this;
    const spill = options.spill;
    return {
      index: w,
      workers: set.W,
      spec: this.spec,
      ...(this.options.properties ? { properties: this.options.properties } : {}),
      hashSeed: set.hashSeed,
      maxDepth: set.maxDepth,
      maxStates: set.maxStates,
      maxLoad: set.maxLoad,
      deadlock: set.deadlock,
      stopOnViolation: set.stopOnViolation,
      partialOrder: set.partialOrder,
      ctl: this.ctl.buffer as SharedArrayBuffer,
      progress: this.progress.buffer as SharedArrayBuffer,
      table: this.table.buffer,
      levelTable: buffersOf(this.levelTable),
      peers: ports,
      ...(spill && this.spillDir !== undefined
        ? {
            spill: {
              dir: this.spillDir,
              segmentSize: spill.segmentSize ?? 16_384,
              memorySegments: spill.memorySegments ?? 2,
            },
          }
        : {}),
      ...(resume && traceChunks
        ? {
            resume: {
              traceChunks,
              traceSize: resume.meta.traceSizes[w] ?? 0,
              frontierFile: join(resume.where, `frontier-${w}.bin`),
              keyBase: w * 2 ** 40,
            },
          }
        : {}),
    };
  }

  /** Starts the worker threads; their messages go to the mailbox, a crash or an early exit fails it. */
  private spawn(traceChunks: SharedArrayBuffer[][]): void {
    const url = workerUrl();
    const peers = peerChannels(this.set.W);
    if (this.options.spill) this.spillDir = mkdtempSync(join(this.options.spill.dir ?? tmpdir(), 'kafka-mc-spill-'));
    // workers inherit node's flags; --input-type (for `node -e`) would make them fail to start
    const execArgv = process.execArgv.some((a) => a.startsWith('--input-type'))
      ? { execArgv: process.execArgv.filter((a) => !a.startsWith('--input-type')) }
      : {};
    for (let w = 0; w < this.set.W; w++) {
      const ports = peers[w] as (MessagePort | null)[];
      const worker = new Worker(url, {
        workerData: this.workerInit(w, ports, traceChunks[w]),
        ...execArgv,
        transferList: ports.filter((p): p is MessagePort => p !== null),
      });
      worker.on('message', (m: FromWorker) => this.mailbox.push(w, m));
      worker.on('error', (e: Error) => this.mailbox.fail(new Error(`worker ${w} crashed: ${e.stack ?? e.message}`)));
      worker.on('exit', (code) => {
        if (!this.shuttingDown) this.mailbox.fail(new Error(`worker ${w} exited unexpectedly (exit code ${code})`));
      });
      this.workers.push(worker);
    }
  }

  private requestStop(reason: IncompleteReason): void {
    this.reasons.add(reason);
    Atomics.store(this.ctl, CTL_STOP, 1);
    this.stopAskedAt ??= Date.now();
  }

  /** The timer: time limit, abort signal, stuck workers, progress events. */
  private tick(): void {
    const { options } = this;
    const now = Date.now();
    if (options.timeLimitMs !== undefined && now - this.start >= options.timeLimitMs && !this.reasons.has('time-limit'))
      this.requestStop('time-limit');
    if (options.signal?.aborted && !this.reasons.has('interrupted')) this.requestStop('interrupted');
    const graceMs = this.set.graceMs;
    if (this.stopAskedAt !== undefined && now - this.stopAskedAt > graceMs)
      this.mailbox.fail(
        new Error(
          `workers did not stop within ${graceMs} ms of the stop request; the model is probably stuck in an infinite loop in actions() or next()`,
        ),
      );
    if (!options.onProgress || now - this.lastProgress < (options.progressIntervalMs ?? 1000)) return;
    this.lastProgress = now;
    let generated = this.generated;
    for (let w = 0; w < this.set.W; w++) generated += this.progress[w * PROGRESS_SLOTS] ?? 0;
    const distinct = Atomics.load(this.ctl, CTL_COUNT) >>> 0;
    const elapsedMs = now - this.start;
    options.onProgress({
      generated,
      distinct,
      depth: this.level,
      queued: this.sizes.reduce((a, b) => a + b, 0),
      elapsedMs,
      statesPerSecond: (distinct * 1000) / Math.max(1, elapsedMs),
    });
  }

  private send(w: number, m: ToWorker): void {
    (this.workers[w] as Worker).postMessage(m);
  }

  private broadcast(m: ToWorker): void {
    for (let w = 0; w < this.set.W; w++) this.send(w, m);
  }

  /** Next message that is not a chunk or a property report (those are absorbed here). */
  private async nextMessage(): Promise<{ w: number; m: FromWorker }> {
    for (;;) {
      const x = await this.mailbox.next();
      const m = x.m;
      if (m.type === 'chunk') this.reader.setChunk(x.w, m.index, m.buffer);
      else if (m.type === 'spilled') this.reader.setSpilled(x.w, m.index, m.where);
      else if (m.type === 'found') this.pend(m);
      else if (m.type === 'error') throw new Error(m.message);
      else return x;
    }
  }

  /** Keeps a worker's finding if it is the best (smallest key) of its property in this pass. */
  private pend(m: Extract<FromWorker, { type: 'found' }>): void {
    const prev = this.pending.get(m.id);
    if (prev && prev.key <= m.key) return;
    this.pending.set(m.id, {
      meta: { id: m.id, title: m.title, kind: m.kind },
      status: m.status,
      gid: m.gid,
      depth: m.depth,
      key: m.key,
      ...(m.detail !== undefined ? { detail: m.detail } : {}),
    });
  }

  private async expectAll(type: FromWorker['type'], n: number): Promise<FromWorker[]> {
    const got: FromWorker[] = [];
    while (got.length < n) {
      const { w, m } = await this.nextMessage();
      if (m.type !== type)
        throw new Error(`parallel engine: worker ${w} sent "${m.type}" while "${type}" was expected`);
      got.push(m);
    }
    return got;
  }

  /** Sends each worker its slice of `capacity` slots. */
  private sendSlices(capacity: number, make: (from: number, to: number) => ToWorker): void {
    const W = this.set.W;
    const step = Math.ceil(capacity / W);
    for (let w = 0; w < W; w++) this.send(w, make(Math.min(capacity, w * step), Math.min(capacity, (w + 1) * step)));
  }

  /** The level table grows while every worker is paused (its new states are offered to it). */
  private async growLevelTable(): Promise<void> {
    const old = this.levelTable;
    const fresh = SharedLevelTable.create(Math.ceil(old.capacity * this.set.growth));
    this.sendSlices(old.capacity, (from, to) => ({
      type: 'rehashLevel',
      old: buffersOf(old),
      fresh: buffersOf(fresh),
      from,
      to,
    }));
    await this.expectAll('rehashed', this.set.W);
    this.levelTable = fresh;
    Atomics.store(this.ctl, CTL_GROW, 0);
    this.broadcast({ type: 'levelTable', fresh: buffersOf(fresh) });
  }

  /** The fingerprint table grows at a barrier, before the level table moves into it, to hold `states`. */
  private async growTable(states: number): Promise<void> {
    const { maxLoad, growth } = this.set;
    if (states <= Math.floor(this.table.capacity * maxLoad)) return;
    const old = this.table;
    const fresh = SharedFingerprintTable.create(
      Math.max(Math.ceil(old.capacity * growth), SharedFingerprintTable.capacityFor(states, maxLoad)),
    );
    this.sendSlices(old.capacity, (from, to) => ({ type: 'rehash', old: old.buffer, fresh: fresh.buffer, from, to }));
    await this.expectAll('rehashed', this.set.W);
    this.table = fresh;
    this.broadcast({ type: 'table', buffer: fresh.buffer });
  }

  /** Tells every worker the ranks of the level just built (with `filter`, it keeps its winners). */
  private async rank(ranks: readonly SharedArrayBuffer[], filter: boolean): Promise<void> {
    this.broadcast({ type: 'ranks', ranks, filter });
    for (let n = 0; n < this.set.W; n++) {
      const { w, m } = await this.nextMessage();
      if (m.type !== 'ranked')
        throw new Error(`parallel engine: worker ${w} sent "${m.type}" while "ranked" was expected`);
      this.sizes[w] = m.next;
    }
  }

  /** The key pieces the workers answer with (`keys` messages). */
  private async keyPieces(): Promise<SharedArrayBuffer[]> {
    return (await this.expectAll('keys', this.set.W)).map((m) => (m as { buffer: SharedArrayBuffer }).buffer);
  }

  /**
   * Decides this pass's findings as the single-threaded search would: with `stopOnViolation`, the first
   * violation in its order (the smallest key) and whatever it found before it; otherwise all.
   */
  private decide(): void {
    let first = Infinity;
    if (this.set.stopOnViolation)
      for (const f of this.pending.values()) if (f.status === 'violated') first = Math.min(first, f.key);
    for (const { key, ...f } of this.pending.values())
      if (key <= first && !this.found.has(f.meta.id)) this.found.set(f.meta.id, f);
    if (first < Infinity) this.stoppedByViolation = true;
    this.pending.clear();
  }

  /**
   * The barrier after a pass: each discovery that won (the smallest key for its state) stays in the next
   * level, ranked; the findings are decided; the level table moves into the fingerprint table. A pass a
   * stop cut short keeps its discoveries as they are (the run ends).
   */
  private async barrier(): Promise<void> {
    const W = this.set.W;
    if (Atomics.load(this.ctl, CTL_STOP) !== 0) {
      this.broadcast({ type: 'report' });
      await this.expectAll('reported', W);
    } else {
      this.sendSlices(this.levelTable.capacity, (from, to) => ({ type: 'keys', from, to }));
      await this.rank(await this.keyPieces(), true);
      await this.growTable(Atomics.load(this.ctl, CTL_COUNT) >>> 0);
      this.sendSlices(this.levelTable.capacity, (from, to) => ({ type: 'merge', from, to }));
      await this.expectAll('merged', W);
    }
    this.decide();
    this.queued = this.leftInLevel + this.sizes.reduce((a, b) => a + b, 0);
  }

  /**
   * Runs one phase (init or a level) to its barrier. A worker is finished when it has reported `done`
   * once more than the donations announced to it; finished workers ask busy ones for work (one steal
   * request at a time in `CTL_STEAL`). When a worker pauses for growth, the table grows as soon as
   * every worker is paused or finished (a worker with a donation in flight is neither).
   */
  private async phase(m: ToWorker): Promise<void> {
    const W = this.set.W;
    const ctl = this.ctl;
    this.broadcast(m);
    const dones = Array<number>(W).fill(0);
    const announced = Array<number>(W).fill(0);
    const paused = new Set<number>();
    const hungry: number[] = [];
    const finished = (w: number): boolean => (dones[w] as number) >= 1 + (announced[w] as number);
    const allFinished = (): boolean => dones.every((_, w) => finished(w));
    let popped = 0;
    this.queued = 0;
    while (!allFinished()) {
      const { w, m: r } = await this.nextMessage();
      if (r.type === 'done') {
        dones[w] = (dones[w] as number) + 1;
        paused.delete(w);
        popped += this.absorbDone(w, r);
        if (finished(w) && m.type === 'level' && W > 1) hungry.push(w);
      } else if (r.type === 'donated') announced[r.to] = (announced[r.to] as number) + 1;
      else if (r.type === 'paused') paused.add(w);
      else throw new Error(`parallel engine: unexpected "${r.type}" from worker ${w}`);
      if (Atomics.load(ctl, CTL_STEAL) === 0 && Atomics.load(ctl, CTL_STOP) === 0) {
        const h = hungry.findIndex((x) => finished(x));
        if (h >= 0 && !allFinished()) {
          Atomics.store(ctl, CTL_STEAL, (hungry[h] as number) + 1);
          hungry.splice(0, h + 1);
        }
      }
      if (paused.size > 0 && dones.every((_, x) => paused.has(x) || finished(x))) {
        await this.growLevelTable();
        paused.clear();
      }
    }
    Atomics.store(ctl, CTL_STEAL, 0);
    this.leftInLevel = this.queued;
    if (m.type === 'level' && popped > 0) this.deepest = Math.max(this.deepest, m.level);
  }

  /** Adds a worker's `done` report to the run's counters; returns the states it took from the level. */
  private absorbDone(w: number, r: Extract<FromWorker, { type: 'done' }>): number {
    this.sizes[w] = r.next;
    this.generated += r.generated;
    this.queued += r.remaining;
    this.traceSizes[w] = r.traceSize;
    for (const x of r.reasons) this.reasons.add(x);
    this.cuts.merge(r.cuts);
    this.reduction ??= new ReductionTally({ use: r.reduction.used, why: r.reduction.detail });
    this.reduction.add(r.reduction);
    return r.expanded;
  }

  /** Moves states from the fullest workers to the emptiest. */
  private async rebalance(): Promise<void> {
    const { sizes } = this;
    const W = this.set.W;
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
        this.send(d.w, { type: 'send', to: k.w, count: n });
        transfers++;
        d.s -= n;
        k.s -= n;
        sizes[d.w] = (sizes[d.w] as number) - n;
        sizes[k.w] = (sizes[k.w] as number) + n;
        if (k.s === 0) t++;
      }
    }
    await this.expectAll('received', transfers);
  }

  /** Writes a checkpoint into `dir`: each worker its frontier, then the tables, traces and meta.json. */
  private async checkpoint(dir: string): Promise<void> {
    const { set, reader } = this;
    const tmp = beginCheckpoint(dir);
    for (let w = 0; w < set.W; w++) this.send(w, { type: 'save', file: join(tmp, `frontier-${w}.bin`) });
    for (const m of await this.expectAll('saved', set.W))
      if (m.type === 'saved' && m.error !== undefined) throw new CheckpointWriteError(m.error);
    const chunks = Array.from({ length: set.W }, (_, w) =>
      Array.from({ length: reader.chunkCount(w) }, (_, c) => reader.chunkBytes(w, c)),
    );
    writeSharedData(tmp, this.table.buffer, chunks);
    const label = this.options.checkpoint?.label ?? this.meta?.label;
    commitCheckpoint(dir, tmp, {
      version: 2,
      ...(label !== undefined ? { label } : {}),
      spec: this.spec,
      workers: set.W,
      level: this.level,
      count: Atomics.load(this.ctl, CTL_COUNT) >>> 0,
      generated: this.generated,
      deepest: this.deepest,
      elapsedMs: Date.now() - this.start,
      traceSizes: this.traceSizes,
      sizes: this.sizes,
      found: [...this.found.values()],
      reasons: [...this.reasons],
      ...(this.cuts.counts.length
        ? { cuts: { counts: this.cuts.counts, ids: this.cuts.ids, keys: this.cuts.keys } }
        : {}),
      options: {
        hashSeed: set.hashSeed,
        maxDepth: Number.isFinite(set.maxDepth) ? set.maxDepth : null,
        maxStates: Number.isFinite(set.maxStates) ? set.maxStates : null,
        deadlock: set.deadlock,
        stopOnViolation: set.stopOnViolation,
        maxLoad: set.maxLoad,
        partialOrder: set.partialOrder,
      },
    });
    this.lastCheckpoint = Date.now();
  }

  /** Writes a checkpoint when one is due; a failure is reported and ends checkpointing. */
  private async maybeCheckpoint(): Promise<void> {
    const c = this.options.checkpoint;
    if (!c || this.checkpointFailure !== undefined || Date.now() - this.lastCheckpoint < (c.everyMs ?? 60_000)) return;
    try {
      await this.checkpoint(c.dir);
    } catch (e) {
      // a file that cannot be written; anything else (a worker that died) ends the run as before
      if (!(e instanceof CheckpointWriteError) && (e as NodeJS.ErrnoException).code === undefined) throw e;
      this.checkpointFailure = e instanceof Error ? e.message : String(e);
      this.options.onCheckpointError?.(this.checkpointFailure);
    }
  }

  /** The levels: the initial one (or the checkpointed frontier, ranked again), then one per pass until done. */
  private async levels(): Promise<void> {
    const { options, ctl } = this;
    const ready = await this.expectAll('ready', this.set.W);
    const first = ready[0];
    if (first?.type === 'ready') {
      this.props = first.props;
      this.boundNames = first.boundNames;
    }
    if (!this.resume) {
      await this.phase({ type: 'init', levelStart: 0 });
      await this.barrier();
    } else {
      // rank the checkpointed frontier again (ranks are not stored)
      this.broadcast({ type: 'frontierKeys' });
      await this.rank(await this.keyPieces(), false);
    }
    for (;;) {
      if (options.timeLimitMs !== undefined && Date.now() - this.start >= options.timeLimitMs)
        this.requestStop('time-limit');
      if (options.signal?.aborted) this.requestStop('interrupted');
      if (Atomics.load(ctl, CTL_STOP) !== 0 || this.stoppedByViolation || this.sizes.every((s) => s === 0)) break;
      await this.rebalance();
      await this.maybeCheckpoint();
      const levelStart = Atomics.load(ctl, CTL_COUNT) >>> 0;
      await this.phase({ type: 'level', level: this.level, levelStart, resolved: [...this.found.keys()] });
      await this.barrier();
      this.level++;
    }
  }

  /** Lets workers close their spill files (descriptors are per process, not per thread), then ends them. */
  private async shutdown(): Promise<void> {
    if (this.spillDir !== undefined && this.error === undefined) {
      this.broadcast({ type: 'close' });
      let timeout: NodeJS.Timeout | undefined;
      await Promise.race([
        this.expectAll('closed', this.set.W).catch(() => undefined),
        new Promise((resolve) => (timeout = setTimeout(resolve, 2000))),
      ]);
      clearTimeout(timeout);
    }
    this.shuttingDown = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  /** Builds the result once the workers are gone (paths are read from the trace chunks). */
  private finish(): CheckResult {
    const { reasons, reader, queued } = this;
    const distinct = Atomics.load(this.ctl, CTL_COUNT) >>> 0;
    const stats = searchStats({
      generated: this.generated,
      distinct,
      deepest: this.deepest,
      queued,
      durationMs: Date.now() - this.start,
      bytes: this.table.buffer.byteLength + reader.bytesUsed(),
      cuts: this.cuts.report(this.boundNames, (id) => reader.pathTo(id)),
      reduction: this.reduction?.stats(),
    });
    if (this.error !== undefined) {
      const outcomes = this.props.map((p): PropertyOutcome => ({ ...header(p), status: 'unknown' }));
      return { kind: 'error', stats, outcomes, message: this.error };
    }
    if (this.stoppedByViolation && queued > 0 && !reasons.has('max-states')) {
      // Stopped at a counterexample: the unexplored rest does not make the run "incomplete".
    } else if (queued > 0 && !reasons.size) reasons.add('interrupted');
    const complete = reasons.size === 0 && !this.stoppedByViolation;
    const outcomeOf = (f: Found): PropertyOutcome => ({
      ...header(f.meta),
      status: f.status,
      path: reader.pathTo(f.gid),
      ...(f.detail !== undefined ? { detail: f.detail } : {}),
    });
    const found = (id: string): PropertyOutcome | undefined => {
      const f = this.found.get(id);
      return f && outcomeOf(f);
    };
    return verdict(stats, outcomesOf(this.props, found, complete, this.set.deadlock), [...reasons]);
  }
}

/** A property's id, title and kind alone (a worker's `PropertyMeta` may carry nothing else, but be sure). */
function header(p: PropertyMeta): PropertyMeta {
  return { id: p.id, title: p.title, kind: p.kind };
}

function buffersOf(t: SharedLevelTable): LevelTableBuffers {
  return { buffer: t.buffer, keyBuffer: t.keyBuffer };
}
