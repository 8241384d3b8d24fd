import { PRUNED, type StateGraph } from './StateGraph.js';

/**
 * Iterative Tarjan over the CSR graph, restricted to the states `v` with `mark[v] === token`. Work
 * arrays are sized once per graph and reused (a generation stamp replaces clearing).
 */
export class SccWorkspace {
  /** Membership tokens; callers write them, `run` reads them. */
  readonly mark: Int32Array;
  private readonly stamp: Uint32Array;
  private readonly index: Int32Array;
  private readonly low: Int32Array;
  private readonly onStack: Uint8Array;
  private readonly stack: Int32Array;
  private readonly callV: Int32Array;
  private readonly callE: Uint32Array;
  private gen = 0;
  private tokens = 0;

  constructor(private readonly g: StateGraph) {
    const n = g.size;
    this.mark = new Int32Array(n);
    this.stamp = new Uint32Array(n);
    this.index = new Int32Array(n);
    this.low = new Int32Array(n);
    this.onStack = new Uint8Array(n);
    this.stack = new Int32Array(n);
    this.callV = new Int32Array(n);
    this.callE = new Uint32Array(n);
  }

  /** A token never used before. */
  newToken(): number {
    return ++this.tokens;
  }

  /**
   * Emits the SCCs reachable from `roots[0 … count-1]` inside the marked set, each as
   * `stack[from … to-1]` (valid only during the call), an SCC always after every SCC it can reach.
   */
  run(
    roots: Int32Array,
    count: number,
    token: number,
    emit: (stack: Int32Array, from: number, to: number) => void,
  ): void {
    const { rowStart, target } = this.g;
    const { mark, stamp, index, low, onStack, stack, callV, callE } = this;
    const gen = ++this.gen;
    let counter = 0;
    let sp = 0;
    let csp = 0;
    const enter = (w: number): void => {
      stamp[w] = gen;
      index[w] = low[w] = counter++;
      onStack[w] = 1;
      stack[sp++] = w;
      callV[csp] = w;
      callE[csp] = rowStart[w] as number;
      csp++;
    };
    for (let r = 0; r < count; r++) {
      const root = roots[r] as number;
      if (stamp[root] === gen || mark[root] !== token) continue;
      enter(root);
      while (csp > 0) {
        const v = callV[csp - 1] as number;
        let e = callE[csp - 1] as number;
        const end = rowStart[v + 1] as number;
        let descended = false;
        while (e < end) {
          const w = target[e++] as number;
          if (w === PRUNED || mark[w] !== token) continue;
          if (stamp[w] !== gen) {
            callE[csp - 1] = e;
            enter(w);
            descended = true;
            break;
          }
          if (onStack[w] && (index[w] as number) < (low[v] as number)) low[v] = index[w] as number;
        }
        if (descended) continue;
        csp--;
        if (low[v] === index[v]) {
          let from = sp;
          do {
            from--;
            onStack[stack[from] as number] = 0;
          } while (stack[from] !== v);
          emit(stack, from, sp);
          sp = from;
        }
        if (csp > 0) {
          const u = callV[csp - 1] as number;
          if ((low[v] as number) < (low[u] as number)) low[u] = low[v] as number;
        }
      }
    }
  }
}
