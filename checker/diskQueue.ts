import { closeSync, ftruncateSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { Frontier } from './frontier.js';

/** Options of a `DiskQueue`. */
export interface DiskQueueOptions {
  /** Where the spill file's own fresh directory is made (default: the OS temp dir). */
  readonly dir?: string;
  /** Items per segment (default 16,384). */
  readonly segmentSize?: number;
  /** Full segments kept in memory before further ones are written to disk (default 2). */
  readonly memorySegments?: number;
}

/** A segment between the head and the tail: in memory, or at [offset, offset + length) of the file. */
type Segment<T> = { readonly items: T[] } | { readonly offset: number; readonly length: number };

/**
 * A FIFO frontier that keeps at most a few segments in memory and writes the rest to one append-only
 * spill file, so a breadth-first level larger than memory can still be explored.
 *
 * Items are written with `v8.serialize` (the structured-clone format), so they must be plain data —
 * the same requirement the parallel engine already has; no `decode` is needed on the model. The head
 * segment (being popped) and the tail segment (being pushed) are always in memory; full segments in
 * between are kept in memory up to `memorySegments`, then spilled. The file is truncated whenever the
 * queue becomes empty and deleted by `close()`.
 */
export class DiskQueue<T> implements Frontier<T> {
  private head: T[] = [];
  private headPos = 0;
  private tail: T[] = [];
  private readonly middle: Segment<T>[] = [];
  private inMemory = 0;
  private n = 0;
  private fd: number | undefined;
  private fileEnd = 0;
  private ownDir: string | undefined;
  private readonly segmentSize: number;
  private readonly memorySegments: number;
  /** Bytes written to the spill file over the queue's life. */
  spilledBytes = 0;

  constructor(private readonly options: DiskQueueOptions = {}) {
    this.segmentSize = Math.max(1, options.segmentSize ?? 16_384);
    this.memorySegments = Math.max(0, options.memorySegments ?? 2);
  }

  get size(): number {
    return this.n;
  }

  /** Segments currently on disk. */
  get spilledSegments(): number {
    return this.middle.length - this.inMemory;
  }

  push(x: T): void {
    this.tail.push(x);
    this.n++;
    if (this.tail.length >= this.segmentSize) {
      const full = this.tail;
      this.tail = [];
      if (this.inMemory < this.memorySegments) {
        this.middle.push({ items: full });
        this.inMemory++;
      } else this.middle.push(this.write(full));
    }
  }

  pop(): T | undefined {
    if (this.n === 0) return undefined;
    if (this.headPos === this.head.length) this.advance();
    const x = this.head[this.headPos] as T;
    this.head[this.headPos++] = undefined as T; // let it be collected
    this.n--;
    if (this.n === 0) this.reset();
    return x;
  }

  /**
   * Calls `f` with every queued item's segment, oldest first, without removing anything (for
   * checkpoints: a segment at a time, so the queue never has to fit in memory).
   */
  forEachSegment(f: (items: readonly T[]) => void): void {
    if (this.headPos < this.head.length) f(this.head.slice(this.headPos));
    for (const seg of this.middle) f('items' in seg ? seg.items : this.read(seg));
    if (this.tail.length) f(this.tail);
  }

  /** Deletes the spill file and its directory; the queue stays usable (a new file is made on demand). */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    if (this.ownDir) rmSync(this.ownDir, { recursive: true, force: true });
    this.ownDir = undefined;
  }

  private advance(): void {
    const seg = this.middle.shift();
    if (seg === undefined) {
      this.head = this.tail;
      this.tail = [];
    } else if ('items' in seg) {
      this.head = seg.items;
      this.inMemory--;
    } else this.head = this.read(seg);
    this.headPos = 0;
  }

  private reset(): void {
    this.head = [];
    this.headPos = 0;
    this.tail = [];
    this.middle.length = 0;
    this.inMemory = 0;
    if (this.fd !== undefined && this.fileEnd > 0) ftruncateSync(this.fd, 0);
    this.fileEnd = 0;
  }

  private file(): number {
    if (this.fd === undefined) {
      const dir = mkdtempSync(join(this.options.dir ?? tmpdir(), 'kafka-mc-frontier-'));
      this.ownDir = dir;
      this.fd = openSync(join(dir, 'queue.bin'), 'w+');
    }
    return this.fd;
  }

  private write(items: T[]): Segment<T> {
    const buf = serialize(items);
    const fd = this.file();
    let done = 0;
    while (done < buf.length) done += writeSync(fd, buf, done, buf.length - done, this.fileEnd + done);
    const seg = { offset: this.fileEnd, length: buf.length };
    this.fileEnd += buf.length;
    this.spilledBytes += buf.length;
    return seg;
  }

  private read(seg: { offset: number; length: number }): T[] {
    const buf = Buffer.allocUnsafe(seg.length);
    let done = 0;
    while (done < seg.length) done += readSync(this.file(), buf, done, seg.length - done, seg.offset + done);
    return deserialize(buf) as T[];
  }
}
