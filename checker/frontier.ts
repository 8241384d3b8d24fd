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
