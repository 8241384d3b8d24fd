import type { EventuallyProperty, Property } from '../../checker/index.js';
import type { Action, ActionFamily, ClusterState, KafkaModel } from '../../model/index.js';
import { actionFamily } from '../../model/index.js';
import { KAFKA_FAIRNESS } from '../fairness.js';

/** A property failed in a fuzz run; thrown out of a command to stop the run. */
export class Violation extends Error {
  override readonly name = 'Violation';
  constructor(
    readonly property: Property<ClusterState>,
    /** Where the lasso's cycle starts (eventually properties: the last state, an empty cycle). */
    readonly loopStart: number | undefined,
    readonly detail: string | undefined,
  ) {
    super(`${property.id} violated`);
  }
}

/** What a world reports to the fuzz loop as it goes (coverage); all optional. */
export interface WorldObserver {
  /** A state was entered (the initial one, then after each step); `enabled` are its actions' families. */
  onState?(s: ClusterState, enabled: readonly ActionFamily[]): void;
  /** An action was taken. */
  onStep?(a: Action): void;
  /** A `sometimes` guard holds in the state just entered. */
  onGuard?(id: string, path: readonly number[]): void;
  /** A command (fault intent) is about to run; `label` is its `toString()`. */
  onIntent?(name: string, label: string): void;
}

const FAIR: ReadonlySet<string> = new Set(KAFKA_FAIRNESS.weak);

/** Whether an action belongs to a family the liveness properties assume fair (what `Tick` and settling take). */
export function isFairAction(a: Action): boolean {
  return FAIR.has(actionFamily(a));
}

/**
 * One fuzz run: the current cluster state, the action-index path that reached it (over the model's
 * canonical `actions(s)` order, so it replays with `replayPath` and converts to a trace), and the
 * property checks. Commands read it in `check` and advance it in `run`; a failed `always` property
 * throws `Violation`.
 */
export class World {
  private cur: ClusterState;
  private acts: readonly Action[] | undefined;
  private readonly visited: ClusterState[] = [];
  private readonly trail: number[] = [0];
  private readonly ran: string[] = [];
  private readonly safety: readonly Property<ClusterState>[];
  private readonly guards: readonly Property<ClusterState>[];
  private stutter: 'always' | 'deadlock' = 'always';

  constructor(
    readonly model: KafkaModel,
    properties: readonly Property<ClusterState>[],
    private readonly observer: WorldObserver = {},
  ) {
    this.safety = properties.filter((p) => p.kind === 'always');
    this.guards = properties.filter((p) => p.kind === 'sometimes');
    const init = model.initStates()[0];
    if (!init) throw new Error(`model "${model.name}" has no initial state`);
    this.cur = init;
  }

  /** Enters the initial state: checks it (may throw `Violation`). Call once, before any command. */
  begin(): void {
    if (this.visited.length === 0) this.enter(this.cur);
  }

  /** The current state. */
  get state(): ClusterState {
    return this.cur;
  }

  /** `[initIndex, a1, …]`: the path of the run so far. */
  get path(): readonly number[] {
    return this.trail;
  }

  /** Every state of the run so far, the initial one first. */
  get states(): readonly ClusterState[] {
    return this.visited;
  }

  /** Steps taken so far. */
  get steps(): number {
    return this.trail.length - 1;
  }

  /** The enabled actions of the current state, in the model's canonical order. */
  enabled(): readonly Action[] {
    this.acts ??= this.model.actions(this.cur);
    return this.acts;
  }

  /**
   * Index (in `enabled()`) of the `choice`-th enabled action matching `match`, counting modulo the
   * number of matches; -1 if none matches.
   */
  pick(match: (a: Action) => boolean, choice = 0): number {
    const acts = this.enabled();
    let n = 0;
    for (const a of acts) if (match(a)) n++;
    if (n === 0) return -1;
    let k = choice % n;
    for (let i = 0; i < acts.length; i++)
      if (match(acts[i] as Action)) {
        if (k === 0) return i;
        k--;
      }
    return -1;
  }

  /** Records that the fault intent `name` runs now (commands call it first). */
  noteIntent(name: string, label: string): void {
    this.ran.push(label);
    this.observer.onIntent?.(name, label);
  }

  /** The commands that ran so far, as their `toString()`. */
  get commands(): readonly string[] {
    return this.ran;
  }

  /** Takes the action at `index` of `enabled()`; returns false when it is a no-op. Throws `Violation`. */
  take(index: number): boolean {
    const a = this.enabled()[index];
    if (a === undefined) throw new Error(`internal error: action index ${index} is not enabled`);
    const n = this.model.next(this.cur, a);
    if (n === undefined) return false;
    this.observer.onStep?.(a);
    this.trail.push(index);
    this.cur = n;
    this.acts = undefined;
    this.enter(n);
    return true;
  }

  private enter(s: ClusterState): void {
    this.visited.push(s);
    if (this.observer.onState)
      this.observer.onState(
        s,
        this.enabled().map((a) => actionFamily(a)),
      );
    for (const g of this.guards) if (g.holds(s)) this.observer.onGuard?.(g.id, this.trail);
    for (const p of this.safety) if (!p.holds(s)) throw new Violation(p, undefined, p.explain?.(s));
  }

  /**
   * Lets the cluster settle: repeatedly takes the first enabled action of a fair family (canonical
   * order); with `stutter: 'deadlock'`, once none is left, the first enabled action of any family
   * (faults, restarts). Stops where the behaviour may stop forever — no fair action enabled
   * (`always`), no action at all (`deadlock`) — or after `limit` steps. Returns whether it stopped in
   * such a state.
   */
  settle(limit: number, stutter: 'always' | 'deadlock'): boolean {
    this.stutter = stutter;
    for (let k = 0; k < limit; k++) {
      let i = this.pick(isFairAction);
      if (i < 0 && stutter === 'deadlock') i = this.enabled().length ? 0 : -1;
      if (i < 0) return true;
      if (!this.take(i)) return false;
    }
    return this.pick(isFairAction) < 0 && (stutter === 'always' || this.enabled().length === 0);
  }

  /**
   * Judges an `eventually` property on a run that stopped in a state where the behaviour may stutter
   * forever: violated if some state after the last state where the goal held is a trigger state (or
   * the initial state, without a trigger). Also says whether the trigger held anywhere in the run.
   */
  judge(p: EventuallyProperty<ClusterState>): { readonly triggered: boolean; readonly violation?: Violation } {
    const states = this.visited;
    const triggered = p.trigger ? states.some((s) => p.trigger?.(s) === true) : true;
    for (let i = states.length - 1; i >= 0; i--) {
      const s = states[i] as ClusterState;
      if (p.holds(s)) return { triggered };
      if (p.trigger ? p.trigger(s) : i === 0) {
        const last = states[states.length - 1] as ClusterState;
        const why = p.explain?.(last);
        const stop = `the behaviour stops at step ${states.length - 1} (${
          this.stutter === 'always' ? 'no fair action is enabled there' : 'no action is enabled there'
        }) and never reaches the goal`;
        return {
          triggered,
          violation: new Violation(p, states.length - 1, why === undefined ? stop : `${why}; ${stop}`),
        };
      }
    }
    return { triggered };
  }
}
