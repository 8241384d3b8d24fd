/**
 * Messages and shared-memory layout between the parallel engine's coordinator (parallel.ts) and its
 * workers (parallelWorker.ts). Internal to the checker.
 */
import type { ReductionStats } from './reduction.js';
import type { MessagePort } from 'node:worker_threads';
import type { Model, ModelSpec } from './Model.js';
import type { Property } from './Property.js';
import type { IncompleteReason } from './result.js';
import type { SpilledChunk } from './sharedTable.js';

export type { ModelSpec } from './Model.js';

/** A `CutTally`'s arrays, as sent between threads and stored in checkpoints. */
export interface CutCounts {
  readonly counts: readonly number[];
  readonly ids: readonly number[];
  readonly keys: readonly number[];
}
/** What a `ModelSpec` factory returns. */
export interface ModelBundle<S, A> {
  readonly model: Model<S, A>;
  readonly properties: readonly Property<S>[];
}

/** Indices into the shared control `Int32Array`. */
export const CTL_STOP = 0;
export const CTL_GROW = 1;
export const CTL_COUNT = 2;
/** 0, or 1 + the index of an idle worker that asks a busy one for half of its current level. */
export const CTL_STEAL = 3;
/** Length of the control array. */
export const CTL_WORDS = 4;
/** Per-worker progress slots in a shared `Float64Array`: generated, expanded. */
export const PROGRESS_SLOTS = 2;

/** Worker options fixed for the whole run (sent in `workerData`). */
export interface WorkerInit {
  readonly index: number;
  readonly workers: number;
  readonly spec: ModelSpec;
  /** Check only these properties of the bundle, by id, in this order (default: all it builds). */
  readonly properties?: readonly string[];
  readonly hashSeed: number;
  readonly maxDepth: number;
  readonly maxStates: number;
  readonly maxLoad: number;
  readonly deadlock: boolean;
  readonly stopOnViolation: boolean;
  /** Partial-order reduction allowed (`SearchBounds.partialOrder`); each worker plans it for its bundle. */
  readonly partialOrder: boolean;
  readonly ctl: SharedArrayBuffer;
  readonly progress: SharedArrayBuffer;
  readonly table: SharedArrayBuffer;
  /** The level table (`SharedLevelTable`): the states of the level being built, with their keys. */
  readonly levelTable: { readonly buffer: SharedArrayBuffer; readonly keyBuffer: SharedArrayBuffer };
  /** `peers[j]` talks to worker j (`null` at the worker's own index). */
  readonly peers: readonly (MessagePort | null)[];
  /** Set when levels spill to disk (see `SpillingLevel`). */
  readonly spill?: { readonly dir: string; readonly segmentSize: number; readonly memorySegments: number };
  /** Set when resuming from a checkpoint. */
  readonly resume?: {
    readonly traceChunks: readonly SharedArrayBuffer[];
    readonly traceSize: number;
    readonly frontierFile: string;
    /** Keys for a frontier file of checkpoint format 1, which has none. */
    readonly keyBase: number;
  };
}

/** Property metadata the coordinator needs to build outcomes. */
export interface PropertyMeta {
  readonly id: string;
  readonly title: string;
  readonly kind: 'always' | 'sometimes' | 'eventually';
}

/** A `SharedLevelTable`'s buffers. */
export interface LevelTableBuffers {
  readonly buffer: SharedArrayBuffer;
  readonly keyBuffer: SharedArrayBuffer;
}

export type ToWorker =
  /** Discover the initial states (level 0); `levelStart`: distinct states before it (0). */
  | { readonly type: 'init'; readonly levelStart: number }
  /** Expand level `level` into the next; `resolved`: properties decided already (not checked again). */
  | {
      readonly type: 'level';
      readonly level: number;
      readonly levelStart: number;
      readonly resolved: readonly string[];
    }
  /** Send the sorted keys of slots `[from, to)` of the level table (`keys`). */
  | { readonly type: 'keys'; readonly from: number; readonly to: number }
  /** Send the sorted keys of the states queued for the next level (`keys`; after a resume). */
  | { readonly type: 'frontierKeys' }
  /**
   * The sorted keys of every state of the level just built, in pieces: they rank that level's states.
   * With `filter`, keep only the states whose key is among them (the discoveries that won), report the
   * best property findings that won (`found`), then answer `ranked`.
   */
  | { readonly type: 'ranks'; readonly ranks: readonly SharedArrayBuffer[]; readonly filter: boolean }
  /** The run stopped inside a level: report the best property findings as they are, then `reported`. */
  | { readonly type: 'report' }
  /** Move slots `[from, to)` of the level table into the fingerprint table (`merged`). */
  | { readonly type: 'merge'; readonly from: number; readonly to: number }
  | {
      readonly type: 'rehash';
      readonly old: SharedArrayBuffer;
      readonly fresh: SharedArrayBuffer;
      readonly from: number;
      readonly to: number;
    }
  | {
      readonly type: 'rehashLevel';
      readonly old: LevelTableBuffers;
      readonly fresh: LevelTableBuffers;
      readonly from: number;
      readonly to: number;
    }
  | { readonly type: 'table'; readonly buffer: SharedArrayBuffer }
  /** The level table grew: use `fresh` and resume. */
  | { readonly type: 'levelTable'; readonly fresh: LevelTableBuffers }
  | { readonly type: 'send'; readonly to: number; readonly count: number }
  | { readonly type: 'save'; readonly file: string }
  /** Release files (spilled levels) before the thread is terminated. */
  | { readonly type: 'close' };

export type FromWorker =
  | {
      readonly type: 'ready';
      readonly name: string;
      readonly props: readonly PropertyMeta[];
      /** The model's `boundNames`, to name its cuts. */
      readonly boundNames?: readonly string[];
    }
  /** Trace chunk `index` of this worker is (now) `buffer`. */
  | { readonly type: 'chunk'; readonly index: number; readonly buffer: SharedArrayBuffer }
  /** Trace chunk `index` of this worker moved to a file. */
  | { readonly type: 'spilled'; readonly index: number; readonly where: SpilledChunk }
  | {
      readonly type: 'found';
      readonly id: string;
      readonly title: string;
      readonly kind: 'always' | 'sometimes' | 'eventually';
      readonly status: 'violated' | 'found';
      readonly gid: number;
      readonly depth: number;
      /** Where the single-threaded search would have met it in this pass (the smallest wins). */
      readonly key: number;
      readonly detail?: string;
    }
  | {
      readonly type: 'done';
      /** States queued for the next level. */
      readonly next: number;
      /** States of this level left unexpanded (the run was stopped). */
      readonly remaining: number;
      readonly generated: number;
      readonly expanded: number;
      readonly reasons: readonly IncompleteReason[];
      readonly traceSize: number;
      /** The states bounds cut in this phase, per bound bit (see `CutTally`). */
      readonly cuts: CutCounts;
      /** What partial-order reduction did in this phase (counts), and its plan. */
      readonly reduction: ReductionStats;
    }
  | { readonly type: 'paused' }
  | { readonly type: 'rehashed' }
  | { readonly type: 'keys'; readonly buffer: SharedArrayBuffer }
  /** The next level is filtered: `next` states of it are this worker's. */
  | { readonly type: 'ranked'; readonly next: number }
  | { readonly type: 'reported' }
  | { readonly type: 'merged' }
  | { readonly type: 'received'; readonly count: number }
  /** This worker answered a steal request: `count` states of the current level go to worker `to`. */
  | { readonly type: 'donated'; readonly to: number; readonly count: number }
  /** The level is saved (or could not be: `error` says why). */
  | { readonly type: 'saved'; readonly traceSize: number; readonly error?: string }
  | { readonly type: 'closed' }
  | { readonly type: 'error'; readonly message: string };

/**
 * States moved between workers: `next` when the coordinator rebalances the next level at a barrier,
 * `level` when a busy worker donates part of the level being expanded to an idle one.
 */
export interface Transfer {
  readonly kind: 'next' | 'level';
  readonly level: number;
  readonly states: readonly unknown[];
  readonly ids: readonly number[];
  readonly keys: readonly number[];
}
