import type { Model } from './Model.js';
import { EncodeSink } from './fingerprint.js';

/** How an engine keeps the states it queues (see `queueCodec`). */
export interface QueueCodec<S> {
  /** Whether queued states are encodings. */
  readonly encoded: boolean;
  /**
   * The sink holding `s`'s queue encoding, for a frontier that copies it into its own arena (see
   * `EncodedFrontier`): the fingerprint sink itself unless the model canonicalizes. Only when `encoded`.
   */
  encoding(s: S): EncodeSink;
  /**
   * What to queue for `s`, a state whose fingerprint encoding was just written into the engine's sink
   * (that encoding is reused unless the model canonicalizes).
   */
  queued(s: S): S | Int32Array;
  /** A queued item as the model's state (an object queued without `decode` stays as it is). */
  unqueued(x: unknown): S;
}

/**
 * With `Model.decode`, queued states are their encodings: a few hundred bytes instead of an object graph
 * that survives into the old generation, and raw memory to copy between threads and to disk. A
 * canonicalizing model's fingerprint encodes the representative, so the state is encoded again (the
 * model may serve that from what its canonicalizer computed).
 * `sink` is the engine's fingerprint sink.
 */
export function queueCodec<S>(model: Model<S, unknown>, sink: EncodeSink): QueueCodec<S> {
  const decode = model.decode?.bind(model);
  if (!decode)
    return {
      encoded: false,
      encoding: () => {
        throw new Error('queueCodec: the model has no decode, so states are queued as objects');
      },
      queued: (s) => s,
      unqueued: (x) => x as S,
    };
  const raw = model.canonicalize ? new EncodeSink() : sink;
  const encoding = (s: S): EncodeSink => {
    if (raw !== sink) {
      raw.reset();
      model.encode(s, raw);
    }
    return raw;
  };
  return {
    encoded: true,
    encoding,
    queued(s) {
      const e = encoding(s);
      return e.buf.slice(0, e.len);
    },
    unqueued: (x) => (x instanceof Int32Array ? decode(x) : (x as S)),
  };
}

/**
 * The search frontier. One engine, two disciplines: a FIFO queue gives breadth-first search (and so
 * shortest counterexamples), a LIFO stack gives depth-first search (deep states, little memory).
 */
export interface Frontier<T> {
  push(x: T): void;
  pop(): T | undefined;
  readonly size: number;
}

/**
 * A frontier of encoded states kept in its own arena (see `EncodedQueue`, `EncodedStack`): the loop
 * copies a state's encoding straight from the fingerprint sink with `pushEncoded`, and `pop` hands it
 * back as a view, so no typed array or entry object per queued state outlives its expansion.
 */
export interface EncodedFrontier extends Frontier<{
  readonly s: unknown;
  readonly id: number;
  readonly depth: number;
}> {
  pushEncoded(buf: Int32Array, len: number, id: number, depth: number): void;
}

/**
 * The in-memory frontier for a search discipline: an arena of encodings when the model can decode its
 * states (`EncodedQueue`, `EncodedStack`), else a queue or stack of entries holding the state objects.
 */
export function memoryFrontier<T extends { readonly s: unknown; readonly id: number; readonly depth: number }>(
  model: Model<unknown, unknown>,
  discipline: 'bfs' | 'dfs',
): Frontier<T> {
  if (!model.decode) return discipline === 'dfs' ? new Stack<T>() : new Queue<T>();
  return (discipline === 'dfs' ? new EncodedStack() : new EncodedQueue()) as unknown as Frontier<T>;
}

/** Whether `f` keeps encodings in an arena. */
export function isEncodedFrontier(f: Frontier<unknown>): f is EncodedFrontier {
  return typeof (f as Partial<EncodedFrontier>).pushEncoded === 'function';
}

/** Ints per arena chunk (4 MiB); a larger entry gets a chunk of its own size. */
const CHUNK = 1 << 20;

/**
 * FIFO queue of encoded states in chunked `Int32Array`s, each entry stored as
 * `[len, id, depth, ...encoding]`: about 4 bytes per int of encoding plus 12, against an `Int32Array`
 * object and an entry object per state in `Queue` (and the garbage collector walking them all).
 * Breadth-first search on a model with `decode` queues here. Chunks are released as the head passes them.
 */
export class EncodedQueue implements EncodedFrontier {
  private chunks: Int32Array[] = [];
  /** Ints written into each chunk. */
  private used: number[] = [];
  /** Read position in the first chunk. */
  private headPos = 0;
  private n = 0;

  get size(): number {
    return this.n;
  }

  push(x: { readonly s: unknown; readonly id: number; readonly depth: number }): void {
    if (!(x.s instanceof Int32Array)) throw new TypeError('EncodedQueue holds encoded states only');
    this.pushEncoded(x.s, x.s.length, x.id, x.depth);
  }

  pushEncoded(buf: Int32Array, len: number, id: number, depth: number): void {
    const need = len + 3;
    let k = this.chunks.length - 1;
    let last = this.chunks[k];
    if (last === undefined || (this.used[k] as number) + need > last.length) {
      last = new Int32Array(Math.max(CHUNK, need));
      this.chunks.push(last);
      this.used.push(0);
      k++;
    }
    let at = this.used[k] as number;
    last[at++] = len;
    last[at++] = id;
    last[at++] = depth;
    last.set(buf.subarray(0, len), at);
    this.used[k] = at + len;
    this.n++;
  }

  pop(): { readonly s: Int32Array; readonly id: number; readonly depth: number } | undefined {
    if (this.n === 0) return undefined;
    if (this.headPos >= (this.used[0] as number)) {
      this.chunks.shift();
      this.used.shift();
      this.headPos = 0;
    }
    const c = this.chunks[0] as Int32Array;
    const at = this.headPos;
    const len = c[at] as number;
    const id = c[at + 1] as number;
    const depth = c[at + 2] as number;
    this.headPos = at + 3 + len;
    this.n--;
    const s = c.subarray(at + 3, at + 3 + len);
    if (this.n === 0) {
      // Views into the released chunks stay valid: nothing writes them again.
      this.chunks = [];
      this.used = [];
      this.headPos = 0;
    }
    return { s, id, depth };
  }
}

/**
 * LIFO stack of encoded states in chunked `Int32Array`s, each entry stored as
 * `[...encoding, len, id, depth]` so that `pop` reads it from the end. Depth-first search on a model with
 * `decode` stacks here. A popped view stays valid until the next push.
 */
export class EncodedStack implements EncodedFrontier {
  /** Chunks `0..top` hold entries; one chunk above `top` may be kept empty as a spare. */
  private chunks: Int32Array[] = [];
  /** Ints used in each chunk. */
  private used: number[] = [];
  private top = -1;
  private n = 0;

  get size(): number {
    return this.n;
  }

  push(x: { readonly s: unknown; readonly id: number; readonly depth: number }): void {
    if (!(x.s instanceof Int32Array)) throw new TypeError('EncodedStack holds encoded states only');
    this.pushEncoded(x.s, x.s.length, x.id, x.depth);
  }

  pushEncoded(buf: Int32Array, len: number, id: number, depth: number): void {
    const need = len + 3;
    let c = this.chunks[this.top];
    if (c === undefined || (this.used[this.top] as number) + need > c.length) {
      this.top++;
      c = this.chunks[this.top];
      if (c === undefined || c.length < need) {
        c = new Int32Array(Math.max(CHUNK, need));
        this.chunks[this.top] = c;
        this.chunks.length = this.top + 1;
      }
      this.used[this.top] = 0;
    }
    let at = this.used[this.top] as number;
    c.set(buf.subarray(0, len), at);
    at += len;
    c[at++] = len;
    c[at++] = id;
    c[at++] = depth;
    this.used[this.top] = at;
    this.n++;
  }

  pop(): { readonly s: Int32Array; readonly id: number; readonly depth: number } | undefined {
    if (this.n === 0) return undefined;
    const c = this.chunks[this.top] as Int32Array;
    const end = this.used[this.top] as number;
    const depth = c[end - 1] as number;
    const id = c[end - 2] as number;
    const len = c[end - 3] as number;
    const start = end - 3 - len;
    this.used[this.top] = start;
    this.n--;
    // The view is read (decoded) before the next push can overwrite it. An emptied chunk stays as the
    // one spare above the new top, so a search alternating at a chunk boundary allocates nothing.
    if (start === 0 && this.top > 0) {
      this.top--;
      this.chunks.length = this.top + 2;
      this.used.length = this.top + 2;
    }
    return { s: c.subarray(start, start + len), id, depth };
  }
}
const SEG = 4096;

/** FIFO queue in fixed-size segments: O(1) push/pop, memory released as it drains. */
export class Queue<T> implements Frontier<T> {
  private segs: (T | undefined)[][] = [[]];
  private head = 0;
  private n = 0;

  get size(): number {
    return this.n;
  }

  push(x: T): void {
    let last = this.segs[this.segs.length - 1] as (T | undefined)[];
    if (last.length === SEG) {
      last = [];
      this.segs.push(last);
    }
    last.push(x);
    this.n++;
  }

  pop(): T | undefined {
    if (this.n === 0) return undefined;
    let first = this.segs[0] as (T | undefined)[];
    if (this.head === SEG) {
      this.segs.shift();
      this.head = 0;
      first = this.segs[0] as (T | undefined)[];
    }
    const x = first[this.head];
    first[this.head++] = undefined;
    this.n--;
    if (this.n === 0) {
      this.segs = [[]];
      this.head = 0;
    }
    return x;
  }
}

/** LIFO stack. */
export class Stack<T> implements Frontier<T> {
  private items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  push(x: T): void {
    this.items.push(x);
  }

  pop(): T | undefined {
    return this.items.pop();
  }
}
