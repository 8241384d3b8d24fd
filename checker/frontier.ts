import type { Model } from './Model.js';
import { EncodeSink } from './fingerprint.js';

/** How an engine keeps the states it queues (see `queueCodec`). */
export interface QueueCodec<S> {
  /** Whether queued states are encodings. */
  readonly encoded: boolean;
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
  if (!decode) return { encoded: false, queued: (s) => s, unqueued: (x) => x as S };
  const raw = model.canonicalize ? new EncodeSink() : sink;
  return {
    encoded: true,
    queued(s) {
      if (raw !== sink) {
        raw.reset();
        model.encode(s, raw);
      }
      return raw.buf.slice(0, raw.len);
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
