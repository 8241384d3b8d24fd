import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import { DiskQueue } from './diskQueue.js';

/** Where `LevelStore.shift` puts the entry it removes (reused, so popping allocates nothing). */
export interface LevelCursor<S> {
  s: S;
  id: number;
  key: number;
}

/** Entries moved as a batch: states, the global ids of their trace records, and their order keys. */
export interface LevelBatch<S> {
  readonly states: S[];
  readonly ids: number[];
  readonly keys: number[];
}

/**
 * One BFS level of a parallel worker: states with the global ids of their trace records and their
 * order keys (where the single-threaded search would have met them; see parallel.ts), in FIFO order.
 * `ArrayLevel` keeps them in memory; `SpillingLevel` writes all but a few segments to disk.
 */
export interface LevelStore<S> {
  readonly size: number;
  push(s: S, id: number, key: number): void;
  /** Removes the oldest entry into `out`; false when empty. */
  shift(out: LevelCursor<S>): boolean;
  /** Removes up to `k` entries (to give them to another worker). */
  take(k: number): LevelBatch<S>;
  /** Every entry in batches, oldest first, without removing anything. */
  forEachBatch(f: (batch: LevelBatch<S>) => void): void;
  /** Releases files. */
  close(): void;
}

/** A level in two parallel arrays; `take` removes from the end. */
export class ArrayLevel<S> implements LevelStore<S> {
  private head = 0;

  constructor(
    private states: (S | undefined)[] = [],
    private ids: number[] = [],
    private keys: number[] = [],
  ) {}

  get size(): number {
    return this.states.length - this.head;
  }

  push(s: S, id: number, key: number): void {
    this.states.push(s);
    this.ids.push(id);
    this.keys.push(key);
  }

  shift(out: LevelCursor<S>): boolean {
    if (this.head >= this.states.length) return false;
    out.s = this.states[this.head] as S;
    out.id = this.ids[this.head] as number;
    out.key = this.keys[this.head] as number;
    this.states[this.head++] = undefined; // let the state be collected
    if (this.head === this.states.length) this.close();
    return true;
  }

  take(k: number): LevelBatch<S> {
    const n = Math.min(k, this.size);
    const states = this.states.splice(this.states.length - n, n) as S[];
    const ids = this.ids.splice(this.ids.length - n, n);
    const keys = this.keys.splice(this.keys.length - n, n);
    if (this.head === this.states.length) this.close();
    return { states, ids, keys };
  }

  forEachBatch(f: (batch: LevelBatch<S>) => void): void {
    if (this.size)
      f({
        states: this.states.slice(this.head) as S[],
        ids: this.ids.slice(this.head),
        keys: this.keys.slice(this.head),
      });
  }

  /** Keeps only the entries whose key passes `keep`, in order (in place). */
  retain(keep: (key: number) => boolean): void {
    let n = 0;
    for (let i = this.head; i < this.states.length; i++) {
      const key = this.keys[i] as number;
      if (!keep(key)) continue;
      this.states[n] = this.states[i];
      this.ids[n] = this.ids[i] as number;
      this.keys[n++] = key;
    }
    this.states.length = n;
    this.ids.length = n;
    this.keys.length = n;
    this.head = 0;
  }

  close(): void {
    this.states = [];
    this.ids = [];
    this.keys = [];
    this.head = 0;
  }
}

/** A level in a `DiskQueue` of `[state, id, key]` triples; `take` removes from the front. */
export class SpillingLevel<S> implements LevelStore<S> {
  private readonly q: DiskQueue<readonly [S, number, number]>;

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

  push(s: S, id: number, key: number): void {
    this.q.push([s, id, key]);
  }

  shift(out: LevelCursor<S>): boolean {
    const e = this.q.pop();
    if (e === undefined) return false;
    out.s = e[0];
    out.id = e[1];
    out.key = e[2];
    return true;
  }

  take(k: number): LevelBatch<S> {
    const batch: LevelBatch<S> = { states: [], ids: [], keys: [] };
    for (let i = 0; i < k; i++) {
      const e = this.q.pop();
      if (e === undefined) break;
      batch.states.push(e[0]);
      batch.ids.push(e[1]);
      batch.keys.push(e[2]);
    }
    return batch;
  }

  forEachBatch(f: (batch: LevelBatch<S>) => void): void {
    this.q.forEachSegment((items) =>
      f({ states: items.map((e) => e[0]), ids: items.map((e) => e[1]), keys: items.map((e) => e[2]) }),
    );
  }

  close(): void {
    this.q.close();
  }
}

/**
 * Writes a level to `file` as a sequence of records `[u32 little-endian length][v8-serialized
 * { states, ids, keys }]`, one per batch, so a spilled level never has to fit in memory.
 */
export function saveLevel<S>(level: LevelStore<S>, file: string): void {
  const fd = openSync(file, 'w');
  try {
    const len = Buffer.alloc(4);
    level.forEachBatch((batch) => {
      const body = serialize(batch);
      len.writeUInt32LE(body.length, 0);
      writeAll(fd, len);
      writeAll(fd, body);
    });
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a file written by `saveLevel` into `level`. Files of checkpoint format 1 carry no keys: their
 * entries get `keyBase`, `keyBase + 1`, … (distinct, in file order).
 */
export function loadLevel<S>(file: string, level: LevelStore<S>, keyBase = 0): void {
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
      const batch = deserialize(body) as { states: S[]; ids: number[]; keys?: number[] };
      for (let i = 0; i < batch.states.length; i++)
        level.push(batch.states[i] as S, batch.ids[i] as number, batch.keys?.[i] ?? keyBase++);
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
