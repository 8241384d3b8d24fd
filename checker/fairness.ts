import { NO_FAMILY, PRUNED, type StateGraph } from './StateGraph.js';
import type { SccWorkspace } from './scc.js';

/** The fair families of one property, as indices `0 … count-1`. */
export interface FairPlan {
  /** Family id → fair index, or -1 (65536 entries, so `NO_FAMILY` maps to -1 too). */
  readonly famToFair: Int16Array;
  /** Per fair index: 1 strong, 0 weak. */
  readonly strong: Uint8Array;
  readonly count: number;
  readonly unknown: readonly string[];
}

/** The fair families of `g` named by `weak` and `strong` (a family listed under both is strong). */
export function fairPlan(g: StateGraph, weak: readonly string[], strong: readonly string[]): FairPlan {
  const famToFair = new Int16Array(NO_FAMILY + 1).fill(-1);
  const kinds: number[] = [];
  const unknown: string[] = [];
  const ids = new Map(g.families.map((f, i) => [f, i]));
  const add = (name: string, isStrong: boolean): void => {
    const id = ids.get(name);
    if (id === undefined) {
      if (!unknown.includes(name)) unknown.push(name);
      return;
    }
    if ((famToFair[id] as number) >= 0) return;
    famToFair[id] = kinds.length;
    kinds.push(isStrong ? 1 : 0);
  };
  for (const f of strong) add(f, true);
  for (const f of weak) add(f, false);
  return { famToFair, strong: Uint8Array.from(kinds), count: kinds.length, unknown };
}

/** Whether some edge of state `v` belongs to a fair family. */
export function anyFairEnabled(g: StateGraph, famToFair: Int16Array, v: number): boolean {
  const { rowStart, family } = g;
  for (let e = rowStart[v] as number, end = rowStart[v + 1] as number; e < end; e++)
    if ((famToFair[family[e] as number] as number) >= 0) return true;
  return false;
}

/** What `FairRefiner.judge` concludes about a strongly connected set. */
const REJECTED = 0;
const FAIR = 1;
const SPLIT = 2;

/**
 * Finds fair strongly connected subgraphs of an SCC (Emerson–Lei / Streett refinement): weak families
 * enabled everywhere but never taken inside reject a set; strong families enabled somewhere but never
 * taken inside remove their enabling states, and the remaining sub-SCCs are examined (a worklist; no
 * recursion). Its per-family work arrays are allocated once per property.
 */
export class FairRefiner {
  /** Per fair family: the number of states of the set where it is enabled. */
  private readonly enabled: Int32Array;
  /** Per fair family: 1 if one of its edges stays inside the set. */
  private readonly taken: Uint8Array;
  /** Per fair family: 1 if it is strong, enabled in the set and never taken inside it. */
  private readonly failing: Uint8Array;
  /** Per fair family: the last state where it was counted as enabled. */
  private readonly seenAt: Int32Array;

  /** A found fair subgraph of SCC `k` gets `fairComp[v] = k` on its states. */
  constructor(
    private readonly g: StateGraph,
    private readonly plan: FairPlan,
    private readonly ws: SccWorkspace,
    private readonly fairComp: Int32Array,
  ) {
    const count = plan.count;
    this.enabled = new Int32Array(count);
    this.taken = new Uint8Array(count);
    this.failing = new Uint8Array(count);
    this.seenAt = new Int32Array(count);
  }

  /** Whether the SCC `X0` contains a fair strongly connected subgraph; if so its states get `fairComp[v] = k`. */
  refine(X0: Int32Array, k: number): boolean {
    const work: Int32Array[] = [X0];
    for (let X = work.pop(); X !== undefined; X = work.pop()) {
      const judged = this.judge(X);
      if (judged === REJECTED) continue;
      if (judged === FAIR) {
        for (const v of X) this.fairComp[v] = k;
        return true;
      }
      this.split(X, work);
    }
    return false;
  }

  /**
   * `REJECTED` if a weak family is enabled in every state of `X` but never taken inside it; else `FAIR`
   * if no strong family fails, else `SPLIT` (the failing strong families are in `failing`).
   */
  private judge(X: Int32Array): number {
    const { enabled, taken, failing, plan } = this;
    this.tally(X);
    let rejected = false;
    let anyFailing = false;
    for (let j = 0; j < plan.count; j++) {
      if (taken[j] || !enabled[j]) continue;
      if (plan.strong[j]) {
        failing[j] = 1;
        anyFailing = true;
      } else if (enabled[j] === X.length) rejected = true;
    }
    if (rejected) return REJECTED;
    return anyFailing ? SPLIT : FAIR;
  }

  /** Fills `enabled` and `taken` for the set `X` (marked with a fresh token) and clears `failing`. */
  private tally(X: Int32Array): void {
    const { rowStart, target, family } = this.g;
    const { famToFair } = this.plan;
    const { enabled, taken, failing, seenAt } = this;
    const mark = this.ws.mark;
    const t = this.ws.newToken();
    for (const v of X) mark[v] = t;
    enabled.fill(0);
    taken.fill(0);
    failing.fill(0);
    seenAt.fill(-1);
    for (const v of X)
      for (let e = rowStart[v] as number, end = rowStart[v + 1] as number; e < end; e++) {
        const j = famToFair[family[e] as number] as number;
        if (j < 0) continue;
        if (seenAt[j] !== v) {
          seenAt[j] = v;
          enabled[j] = (enabled[j] as number) + 1;
        }
        const w = target[e] as number;
        if (w !== PRUNED && mark[w] === t) taken[j] = 1;
      }
  }

  /** Removes from `X` the states where a failing family is enabled and queues the remaining sub-SCCs in `work`. */
  private split(X: Int32Array, work: Int32Array[]): void {
    const { rowStart, family } = this.g;
    const { famToFair } = this.plan;
    const { failing, ws } = this;
    const mark = ws.mark;
    const t2 = ws.newToken();
    const kept = new Int32Array(X.length);
    let nk = 0;
    outer: for (const v of X) {
      for (let e = rowStart[v] as number, end = rowStart[v + 1] as number; e < end; e++) {
        const j = famToFair[family[e] as number] as number;
        if (j >= 0 && failing[j]) continue outer;
      }
      mark[v] = t2;
      kept[nk++] = v;
    }
    ws.run(kept, nk, t2, (stack, from, to) => {
      if (to - from >= 2) work.push(stack.slice(from, to));
    });
  }
}
