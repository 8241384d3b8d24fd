import type { EncodeSink } from './fingerprint.js';

/**
 * The one contract between a protocol and the checker.
 *
 * Purity and determinism contract — every method must be a pure function of its arguments:
 * - no clocks, no `Math.random`, no I/O, no hidden mutable state, no iteration over unordered
 *   collections whose order can vary between runs;
 * - `actions(s)` returns the actions enabled in `s` in one canonical order, the same on every call,
 *   because a counterexample is stored as the list of indices into that order and rebuilt by replay;
 * - `next(s, a)` returns a NEW state (never mutates `s`) or `undefined` when `a` turns out to be a
 *   no-op in `s` (the checker then ignores that edge);
 * - `encode(s, sink)` writes the same integers for equal states and different integers for states the
 *   model considers different; the checker hashes them to a 64-bit fingerprint.
 *
 * The checker verifies this contract when it replays a path (see `replayPath`) and explains the
 * probable cause when it is broken.
 */
export interface Model<S, A> {
  /** Short name, shown in summaries and written into traces. */
  readonly name: string;
  /** Initial states, in a fixed order (a path starts with an index into this list). */
  initStates(): readonly S[];
  /** Enabled actions of `s` in canonical order. */
  actions(s: S): readonly A[];
  /** Successor of `s` under `a`, or `undefined` if `a` changes nothing. */
  next(s: S, a: A): S | undefined;
  /** Writes an integer encoding of `s` for fingerprinting. */
  encode(s: S, sink: EncodeSink): void;
  /**
   * Optional inverse of `encode` (of the state as explored, not its canonical representative): a state
   * that `actions`, `next`, `encode` and the properties cannot tell from `s`, rebuilt from the integers
   * `encode(s)` wrote. With it the engines queue states as those integers — a few hundred bytes each,
   * copied between worker threads and to disk as raw memory instead of being serialized object by
   * object — and rebuild a state when they expand it. Without it they queue the objects.
   */
  decode?(encoded: Int32Array): S;
  /** Human-readable action, e.g. "crash broker 2". */
  formatAction?(a: A, s: S): string;
  /** Human-readable state (multi-line allowed). */
  formatState?(s: S): string;
  /**
   * State constraint (TLC's CONSTRAINT, Stateright's `within_boundary`). States outside it are
   * neither checked nor expanded; a run that pruned any state reports `incomplete`.
   */
  withinBoundary?(s: S): boolean;
  /**
   * Symmetry reduction: returns the canonical representative of `s`'s symmetry class. Only its
   * fingerprint is used; the explored state stays `s`, so paths replay without renaming.
   * Sound only when every checked property is invariant under the symmetry.
   */
  canonicalize?(s: S): S;
  /**
   * Partial-order reduction: the persistent sets of actions the model declares independent of the rest
   * (see `Reduction` below, and `checker/reduction.ts` for why it is sound). The safety engines use it unless
   * told not to; liveness never does.
   */
  readonly reduction?: Reduction<S, A>;
  /** Action family (e.g. "fetch", "crash"), used for fairness and coverage. */
  actionFamily?(a: A): string;
  /**
   * The model's bounds: constants that cut behaviour off (e.g. "records", "leader epochs"). Bit i of a
   * cut mask (see `actionsCut`) stands for `boundNames[i]`; at most 31 names.
   */
  readonly boundNames?: readonly string[];
  /**
   * `actions(s)`, and in `cut.mask` the bounds (bits, see `boundNames`) that disabled an action of `s`
   * that would otherwise have been enabled. With it every exhaustive engine counts, per bound, the
   * expanded states it cut, with a shortest example path, so that a pass can say which bounds limited
   * it (`Stats.cuts`). Must enable exactly the actions `actions(s)` enables.
   */
  actionsCut?(s: S, cut: { mask: number }): readonly A[];
  /**
   * How to build this model again in another thread (functions cannot be sent to one): a module, its
   * exported factory and the factory's argument. The parallel engine (`explore(model).workers(n)`,
   * `checkParallel(model)`) needs it; the other engines ignore it.
   */
  readonly origin?: ModelSpec;
}

/**
 * Names a model factory: a module, the name of an exported function returning `{ model, properties }`
 * (a `ModelBundle`), and its argument. Used to rebuild a model in worker threads and to record in a
 * checkpoint which model a run explored.
 */
export interface ModelSpec {
  /**
   * An ES module: a `file:` URL, an absolute path, a path relative to the working directory (starting
   * with `.`), or a package name. A TypeScript source file is replaced by its compiled twin under
   * `dist/` when there is one (workers run compiled code).
   */
  readonly module: string;
  /** Name of the exported factory function; it returns a `ModelBundle`. */
  readonly export: string;
  /** The factory's argument; must survive structured cloning (use JSON-like data). */
  readonly arg?: unknown;
}

/** What a model declares for partial-order reduction (the soundness argument is in `checker/reduction.ts`). */
export interface Reduction<S, A> {
  /**
   * The state components (names the model chooses) that actions of a persistent set, and skipped
   * actions, may write.
   */
  readonly writes: readonly string[];
  /** One line for the report: what the reduction does when used. */
  readonly summary: string;
  /**
   * Why this model, as configured, never offers a persistent set (shown to the user), or undefined
   * when it may.
   */
  readonly unavailable?: string;
  /**
   * Indices into `acts` (the state's enabled actions, in the model's order) of a persistent, invisible
   * subset, or undefined to expand `s` fully. Returning every index is the same as undefined.
   */
  persistent(s: S, acts: readonly A[]): readonly number[] | undefined;
  /**
   * Actions the engine never follows, because each only restricts what can happen next: for every
   * state s in which one is enabled, s simulates its successor t up to the components in `writes` —
   * every step t can take, s can take too (or needs no step for), reaching a state that differs from
   * t's successor only in those components. No property reads them, so every state reachable through
   * such an action agrees, on everything a property reads, with one reachable without it (by induction
   * along the path), and every violation and every guard's example stays reachable.
   */
  skip?(a: A): boolean;
  /**
   * True only for states for which `persistent` returns undefined (the engine checks it when it expands
   * one): lets a reduced state keep its reduction although its successor was seen before.
   */
  fullyExpands(s: S): boolean;
}
