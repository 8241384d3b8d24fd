import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import { DiskQueue } from './diskQueue.js';

/** Where `LevelStore.shift` puts the entry it removes (reused, so popping allocates nothing). */
export interface LevelCursor<S> {
  s: S;
  id: number;
}

/**
 * One BFS level of a parallel worker: states with the global ids of their trace records, in FIFO
 * order. `ArrayLevel` keeps them in memory; `SpillingLevel` writes all but a few segments to disk.
 */
export interface LevelStore<S> {
  readonly size: number;
  push(s: S, id: number): void;
  /** Removes the oldest entry into `out`; false when empty. */
  shift(out: LevelCursor<S>): boolean;
  /** Removes up to `k` entries (to give them to another worker). */
  take(k: number): { states: S[]; ids: number[] };
  /** Every entry in batches, oldest first, without removing anything. */
  forEachBatch(f: (states: readonly S[], ids: readonly number[]) => void): void;
  /** Releases files. */
  close(): void;
}

/** A level in two parallel arrays; `take` removes from the end. */
export class ArrayLevel<S> implements LevelStore<S> {
  private head = 0;

  constructor(
    private states: (S | undefined)[] = [],
    private ids: number[] = [],
  ) {}

  get size(): number {
    return this.states.length - this.head;
  }

  push(s: S, id: number): void {
    this.states.push(s);
    this.ids.push(id);
  }

  shift(out: LevelCursor<S>): boolean {
    if (this.head >= this.states.length) return false;
    out.s = this.states[this.head] as S;
    out.id = this.ids[this.head] as number;
    this.states[this.head++] = undefined; // let the state be collected
    if (this.head === this.states.length) {
      this.states = [];
      this.ids = [];
      this.head = 0;
    }
    return true;
  }

  take(k: number): { states: S[]; ids: number[] } {
    const n = Math.min(k, this.size);
    const states = this.states.splice(this.states.length - n, n) as S[];
    const ids = this.ids.splice(this.ids.length - n, n);
    if (this.head === this.states.length) {
      this.states = [];
      this.ids = [];
      this.head = 0;
    }
    return { states, ids };
  }

  forEachBatch(f: (states: readonly S[], ids: readonly number[]) => void): void {
    if (this.size) f(this.states.slice(this.head) as S[], this.ids.slice(this.head));
  }

  close(): void {
    this.states = [];
    this.ids = [];
    this.head = 0;
  }
}

/** A level in a `DiskQueue` of `[state, id]` pairs; `take` removes from the front. */
export class SpillingLevel<S> implements LevelStore<S> {
  private readonly q: DiskQueue<readonly [S, number]>;

  constructor(options: { dir?: string; segmentSize?: number; memorySegments?: number }) {
    this.q = new DiskQueue(options);
  }

  get size(): number {
    return this.q.size;
  }

  /** Bytes this level wrote to disk. */
  get spilledBytes(): number {
    return this.q.spilledBytes;
  }

  push(s: S, id: number): void {
    this.q.push([s, id]);
  }

  shift(out: LevelCursor<S>): boolean {
    const e = this.q.pop();
    if (e === undefined) return false;
    out.s = e[0];
    out.id = e[1];
    return true;
  }

  take(k: number): { states: S[]; ids: number[] } {
    const states: S[] = [];
    const ids: number[] = [];
    for (let i = 0; i < k; i++) {
      const e = this.q.pop();
      if (e === undefined) break;
      states.push(e[0]);
      ids.push(e[1]);
    }
    return { states, ids };
  }

  forEachBatch(f: (states: readonly S[], ids: readonly number[]) => void): void {
    this.q.forEachSegment((items) =>
      f(
        items.map((e) => e[0]),
        items.map((e) => e[1]),
      ),
    );
  }

  close(): void {
    this.q.close();
  }
}

/**
 * Writes a level to `file` as a sequence of records `[u32 little-endian length][v8-serialized
 * { states, ids }]`, one per batch, so a spilled level never has to fit in memory.
 */
export function saveLevel<S>(level: LevelStore<S>, file: string): void {
  const fd = openSync(file, 'w');
  try {
    const len = Buffer.alloc(4);
    level.forEachBatch((states, ids) => {
      const body = serialize({ states, ids });
      len.writeUInt32LE(body.length, 0);
      writeAll(fd, len);
      writeAll(fd, body);
    });
  } finally {
    closeSync(fd);
  }
}

/** Reads a file written by `saveLevel` into `level`. */
export function loadLevel<S>(file: string, level: LevelStore<S>): void {
  const fd = openSync(file, 'r');
  try {
    const len = Buffer.alloc(4);
    let pos = 0;
    for (;;) {
      if (readAll(fd, len, pos) < 4) break;
      pos += 4;
      const body = Buffer.allocUnsafe(len.readUInt32LE(0));
      if (readAll(fd, body, pos) < body.length) throw new Error(`truncated frontier file ${file}`);
      pos += body.length;
      const batch = deserialize(body) as { states: S[]; ids: number[] };
      for (let i = 0; i < batch.states.length; i++) level.push(batch.states[i] as S, batch.ids[i] as number);
    }
  } finally {
    closeSync(fd);
  }
}

function writeAll(fd: number, buf: Buffer): void {
  let done = 0;
  while (done < buf.length) done += writeSync(fd, buf, done, buf.length - done);
}

function readAll(fd: number, buf: Buffer, position: number): number {
  let done = 0;
  while (done < buf.length) {
    const n = readSync(fd, buf, done, buf.length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}
