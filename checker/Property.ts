/**
 * Properties the checker decides over a model's reachable states.
 *
 * - `always`: an invariant. A reachable state where `holds` is false is a counterexample.
 * - `sometimes`: a reachability guard. A reachable state where `holds` is true is an example; when
 *   a complete search finds none, the property fails as *vacuous* — it shows that a safety result is
 *   not passing merely because nothing interesting ever happened.
 * - `eventually`: a liveness property, "every behaviour that reaches a `trigger` state later reaches a
 *   `holds` state" (TLA+'s `trigger ~> holds`; with no trigger, from the initial states). It is decided
 *   by `checkLiveness` over the explored graph under the given fairness (see liveness.ts for the precise
 *   semantics); the exhaustive search itself only checks it on terminal states.
 */
export type Property<S> = AlwaysProperty<S> | SometimesProperty<S> | EventuallyProperty<S>;

interface PropertyBase<S> {
  /** Stable kebab-case id, e.g. `single-leader`. */
  readonly id: string;
  /** One sentence, e.g. "At most one leader per partition per leader epoch". */
  readonly title: string;
  /** The predicate over one state. Must be pure. */
  holds(s: S): boolean;
  /** Names the failing part of the property in `s` (which conjunct, which record/broker). */
  explain?(s: S): string;
  /**
   * State components (names from the model's `Reduction.writes`) that `holds` and `explain` never
   * read. Partial-order reduction needs every checked property to ignore what its independent actions
   * write; absent, the property may read everything and the run is not reduced.
   */
  readonly ignores?: readonly string[];
}

export interface AlwaysProperty<S> extends PropertyBase<S> {
  readonly kind: 'always';
}

export interface SometimesProperty<S> extends PropertyBase<S> {
  readonly kind: 'sometimes';
}

/** Fairness over named action families (see `Model.actionFamily`). */
export interface Fairness {
  /** Weak fairness: an action family continuously enabled from some point on is eventually taken. */
  readonly weak: readonly string[];
  /** Strong fairness: an action family enabled infinitely often is taken infinitely often. */
  readonly strong: readonly string[];
}

export interface EventuallyProperty<S> extends PropertyBase<S> {
  readonly kind: 'eventually';
  /** Leads-to premise; when absent the obligation starts in the initial states. */
  trigger?(s: S): boolean;
  /** Fairness assumed by this property (default: none). */
  readonly fairness?: Fairness;
}

/** Builds an `always` property. */
export function always<S>(
  id: string,
  title: string,
  holds: (s: S) => boolean,
  explain?: (s: S) => string,
): AlwaysProperty<S> {
  return explain ? { kind: 'always', id, title, holds, explain } : { kind: 'always', id, title, holds };
}

/** Builds a `sometimes` property. */
export function sometimes<S>(id: string, title: string, holds: (s: S) => boolean): SometimesProperty<S> {
  return { kind: 'sometimes', id, title, holds };
}

/** Builds an `eventually` (leads-to) property. */
export function eventually<S>(
  id: string,
  title: string,
  holds: (s: S) => boolean,
  opts: { trigger?: (s: S) => boolean; fairness?: Fairness; explain?: (s: S) => string } = {},
): EventuallyProperty<S> {
  return { kind: 'eventually', id, title, holds, ...opts };
}
