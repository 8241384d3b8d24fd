import { it } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import fc from 'fast-check';
import { checkLiveness, type LivenessOptions } from './liveness.js';
import type { Model } from './Model.js';
import { always, eventually, sometimes, type EventuallyProperty, type Fairness } from './Property.js';
import type { PropertyOutcome } from './result.js';
import { replayPath } from './Path.js';
import { fingerprintOf } from './fingerprint.js';
import { graphModel } from './testing/graphModel.js';
import { aGetsLock, lockModel, type LockState } from './testing/lock.js';
import { twoPhaseModel, twoPhaseConsistent, twoPhaseAllCommit, type TwoPhaseState } from './testing/twoPhase.js';

/**
 * Independent check of a lasso counterexample: it replays, the cycle closes on the state at
 * `loopStart`, some trigger state is followed only by non-goal states, and the cycle (or the final
 * stuttering) is fair, with enabledness recomputed from the model.
 */
function expectValidLasso<S, A>(
  model: Model<S, A>,
  p: EventuallyProperty<S>,
  o: PropertyOutcome | undefined,
  stutter: LivenessOptions['stutter'] = 'deadlock',
): void {
  expect(o?.status).toBe('violated');
  const path = o?.path ?? [];
  const loopStart = o?.loopStart ?? -1;
  const replay = replayPath(model, path);
  expect(replay.ok).toBe(true);
  if (!replay.ok) return;
  const { states, actions } = replay.value;
  const last = states.length - 1;
  expect(loopStart).toBeGreaterThanOrEqual(0);
  expect(loopStart).toBeLessThanOrEqual(last);
  const fp = (s: S): string => fingerprintOf(model.encode.bind(model), s);
  expect(fp(states[last] as S)).toBe(fp(states[loopStart] as S));

  const trigger = p.trigger ?? ((s: S) => s === states[0]);
  const suffixBad = (i: number): boolean => states.slice(Math.min(i, loopStart)).every((s) => !p.holds(s));
  expect(states.some((s, i) => trigger(s) && suffixBad(i))).toBe(true);

  const family = (a: A): string | undefined => model.actionFamily?.(a);
  const enabled = (s: S, f: string): boolean =>
    model.actions(s).some((a) => {
      const n = model.next(s, a);
      return family(a) === f && n !== undefined && fp(n) !== fp(s);
    });
  const anyStep = (s: S): boolean =>
    model.actions(s).some((a) => {
      const n = model.next(s, a);
      return n !== undefined && fp(n) !== fp(s);
    });
  const weak = p.fairness?.weak ?? [];
  const strong = p.fairness?.strong ?? [];
  if (loopStart === last) {
    const s = states[last] as S;
    if (stutter === 'always') expect([...weak, ...strong].some((f) => enabled(s, f))).toBe(false);
    else expect(anyStep(s)).toBe(false);
    return;
  }
  const cycleStates = states.slice(loopStart, last);
  const cycleFamilies = new Set(actions.slice(loopStart).map(family));
  for (const f of strong) if (cycleStates.some((s) => enabled(s, f))) expect(cycleFamilies.has(f)).toBe(true);
  for (const f of weak) if (cycleStates.every((s) => enabled(s, f))) expect(cycleFamilies.has(f)).toBe(true);
}

const lockFamilies = ['a', 'acquire', 'work', 'release'];

describe('weak fairness: a cycle that starves A', () => {
  it('without fairness, B taking and releasing the lock forever is a counterexample: exact lasso', () => {
    const p = aGetsLock();
    const r = checkLiveness(lockModel, [p]);
    expect(r.kind).toBe('violation');
    const o = r.outcomes[0];
    expect(o).toMatchObject({ status: 'violated', path: [0, 1, 1], loopStart: 0 });
    expect(o?.detail).toBe(
      'the lock is free; from step 0 the behaviour repeats a fair cycle of 2 step(s) forever and never reaches the goal',
    );
    expect(o?.warnings).toBeUndefined();
    expectValidLasso(lockModel, p, o);
    const replay = replayPath(lockModel, o?.path ?? []);
    if (replay.ok) expect(replay.value.actions).toEqual(['acquireB', 'release']);
  });

  it('under weak fairness of every family the same cycle is still fair: A is never continuously enabled', () => {
    const p = aGetsLock({ weak: lockFamilies, strong: [] });
    const r = checkLiveness(lockModel, [p]);
    expect(r.outcomes[0]).toMatchObject({ status: 'violated', path: [0, 1, 1], loopStart: 0 });
    expectValidLasso(lockModel, p, r.outcomes[0]);
  });

  it('a cycle where the fair family is continuously enabled but never taken is rejected by weak fairness', () => {
    // 0 <-> 1 by `spin`; `finish` (0 -> 2 and 1 -> 2) is enabled in both states of the cycle.
    const m = graphModel(
      [0],
      [
        [0, 1, 'spin'],
        [0, 2, 'finish'],
        [1, 0, 'spin'],
        [1, 2, 'finish'],
      ],
    );
    const p = eventually('done', 'reaches 2', (s: number) => s === 2);
    const unfair = checkLiveness(m, [p]);
    expect(unfair.outcomes[0]).toMatchObject({ status: 'violated', path: [0, 0, 0], loopStart: 0 });
    expectValidLasso(m, p, unfair.outcomes[0]);

    const wf = { ...p, fairness: { weak: ['finish'], strong: [] } };
    const fair = checkLiveness(m, [wf]);
    expect(fair.kind).toBe('ok');
    expect(fair.outcomes[0]?.status).toBe('holds');
    expect(fair.outcomes[0]?.warnings).toEqual([
      'holds only under fairness: without the fairness assumptions (weak: finish) some behaviour would stay forever in states where the goal is false; every such cycle is unfair',
    ]);
  });
});

describe('strong fairness', () => {
  it('A needs strong fairness, and B must also be made to release the lock', () => {
    const sf = aGetsLock({ weak: [], strong: ['a'] });
    const r1 = checkLiveness(lockModel, [sf]);
    // Strong fairness for A removes the free state; B may still keep the lock forever by working.
    expect(r1.outcomes[0]).toMatchObject({ status: 'violated', path: [0, 1, 0, 0], loopStart: 1 });
    expectValidLasso(lockModel, sf, r1.outcomes[0]);

    const both = aGetsLock({ weak: ['release'], strong: ['a'] });
    const r2 = checkLiveness(lockModel, [both]);
    expect(r2.kind).toBe('ok');
    expect(r2.outcomes[0]?.status).toBe('holds');
    expect(r2.outcomes[0]?.warnings?.[0]).toMatch(/^holds only under fairness/);
  });

  it('weak fairness of every family is not enough; strong fairness of A plus weak fairness of release is', () => {
    const wfAll = aGetsLock({ weak: lockFamilies, strong: [] });
    const sfA = aGetsLock({ weak: ['acquire', 'work', 'release'], strong: ['a'] });
    expect(checkLiveness(lockModel, [wfAll]).outcomes[0]?.status).toBe('violated');
    expect(checkLiveness(lockModel, [sfA]).outcomes[0]?.status).toBe('holds');
  });

  it('a family listed as both weak and strong is strong', () => {
    const p = aGetsLock({ weak: ['a', 'release'], strong: ['a'] });
    expect(checkLiveness(lockModel, [p]).outcomes[0]?.status).toBe('holds');
  });

  it('the fair cycle takes an edge of every strong family enabled on it', () => {
    // SCC {0,1,2}: 0 -x-> 1 -y-> 2 -z-> 0 plus 0 <-> 1 by `w`; the goal 3 is reachable only by `g` from 2.
    const m = graphModel(
      [0],
      [
        [0, 1, 'w'],
        [0, 1, 'x'],
        [1, 0, 'w'],
        [1, 2, 'y'],
        [2, 0, 'z'],
        [2, 3, 'g'],
      ],
    );
    const p = eventually('goal', 'reaches 3', (s: number) => s === 3, {
      fairness: { weak: [], strong: ['y', 'z'] },
    });
    const r = checkLiveness(m, [p]);
    expect(r.outcomes[0]).toMatchObject({ status: 'violated', path: [0, 0, 1, 0], loopStart: 0 });
    expectValidLasso(m, p, r.outcomes[0]);
    // With strong fairness of g too, the only cycles through 2 are unfair and the rest (0 <-> 1) must
    // avoid y, which is enabled in 1: no fair cycle remains.
    const all = { ...p, fairness: { weak: [], strong: ['y', 'z', 'g'] } };
    expect(checkLiveness(m, [all]).outcomes[0]?.status).toBe('holds');
  });
});

describe('the lasso is short', () => {
  it('the prefix goes to the nearest fair cycle, not the first one in action order', () => {
    // Far cycle 6 <-> 7 behind 0 -b-> 4 -b-> 5 -b-> 6 (listed first); near cycle 2 <-> 3 behind 0 -a-> 1 -a-> 2.
    const m = graphModel(
      [0],
      [
        [0, 4, 'b'],
        [0, 1, 'a'],
        [4, 5, 'b'],
        [5, 6, 'b'],
        [6, 7, 'c'],
        [7, 6, 'c'],
        [1, 2, 'a'],
        [2, 3, 'c'],
        [3, 2, 'c'],
      ],
    );
    const p = eventually('never', 'never', () => false);
    const r = checkLiveness(m, [p]);
    expect(r.outcomes[0]).toMatchObject({ status: 'violated', path: [0, 1, 0, 0, 0], loopStart: 2 });
    expectValidLasso(m, p, r.outcomes[0]);
  });

  it('under weak fairness the cycle detours through a state where the fair family is disabled', () => {
    // SCC {0,1,2}: 0 <-> 1 by x, 0 <-> 2 by y; w (to the goal 9) is enabled in 0 and 1 but not in 2.
    const m = graphModel(
      [0],
      [
        [0, 1, 'x'],
        [0, 9, 'w'],
        [0, 2, 'y'],
        [1, 0, 'x'],
        [1, 9, 'w'],
        [2, 0, 'y'],
      ],
    );
    const none = eventually('goal', 'reaches 9', (s: number) => s === 9);
    expect(checkLiveness(m, [none]).outcomes[0]).toMatchObject({ path: [0, 0, 0], loopStart: 0 });
    const wf = { ...none, fairness: { weak: ['w'], strong: [] } };
    const r = checkLiveness(m, [wf]);
    expect(r.outcomes[0]).toMatchObject({ status: 'violated', path: [0, 2, 0], loopStart: 0 });
    expectValidLasso(m, wf, r.outcomes[0]);
    const sf = { ...none, fairness: { weak: [], strong: ['w'] } };
    expect(checkLiveness(m, [sf]).outcomes[0]?.status).toBe('holds');
  });
});

describe('terminal states', () => {
  const m = graphModel(
    [0],
    [
      [0, 1, 'send'],
      [1, 3, 'deliver'],
      [1, 2, 'drop'],
    ],
    'lossy',
  );
  const delivered = eventually('delivered', 'The message is delivered', (s: number) => s === 3, {
    fairness: { weak: ['send', 'deliver'], strong: ['drop'] },
  });

  it('a reachable state without successors where the goal is false is a counterexample, whatever the fairness', () => {
    const r = checkLiveness(m, [delivered]);
    expect(r.kind).toBe('violation');
    expect(r.outcomes[0]).toMatchObject({
      status: 'violated',
      path: [0, 0, 1],
      loopStart: 2,
      detail: 'the behaviour ends at step 2 in a state without successors and never reaches the goal',
    });
    expectValidLasso(m, delivered, r.outcomes[0]);
  });

  it('a self-loop is stuttering: a state whose only action leads back to itself is terminal', () => {
    const loop = graphModel([0], [[0, 0, 'tick']]);
    const p = eventually('never', 'never', (s: number) => s === 1, { fairness: { weak: ['tick'], strong: [] } });
    const r = checkLiveness(loop, [p], { deadlock: true });
    expect(r.outcomes.map((o) => o.id)).toEqual(['never']); // a self-loop is a successor for deadlock-free
    expect(r.outcomes[0]).toMatchObject({ status: 'violated', path: [0], loopStart: 0 });
  });

  it('deadlock option reports the first state without successors, as check() does', () => {
    const r = checkLiveness(m, [], { deadlock: true });
    expect(r.outcomes[0]).toMatchObject({ id: 'deadlock-free', status: 'violated', path: [0, 0, 0] });
  });
});

describe('leads-to with a trigger', () => {
  const holdsLock = (s: LockState): boolean => s.lock === 'B';
  it('whenever B holds the lock it eventually releases it, under weak fairness of release', () => {
    const p = eventually('b-releases', 'B eventually releases the lock', (s: LockState) => s.lock === 'free', {
      trigger: holdsLock,
      fairness: { weak: ['release'], strong: [] },
    });
    const r = checkLiveness(lockModel, [p]);
    expect(r.outcomes[0]?.status).toBe('holds');
  });

  it('without fairness B may work forever: the lasso starts at the trigger', () => {
    const p = eventually('b-releases', 'B eventually releases the lock', (s: LockState) => s.lock === 'free', {
      trigger: holdsLock,
    });
    const r = checkLiveness(lockModel, [p]);
    expect(r.outcomes[0]).toMatchObject({ status: 'violated', path: [0, 1, 0, 0], loopStart: 1 });
    expectValidLasso(lockModel, p, r.outcomes[0]);
  });

  it('the prefix may pass through goal states before the trigger', () => {
    // 0 (goal) -> 1 (goal) -> 2 (trigger, no goal) <-> 3; also 2 -> 4 (goal).
    const m = graphModel(
      [0],
      [
        [0, 1, 'a'],
        [1, 2, 'a'],
        [2, 3, 'spin'],
        [3, 2, 'spin'],
        [2, 4, 'exit'],
      ],
    );
    const p = eventually('exit', 'exits', (s: number) => s !== 2 && s !== 3, { trigger: (s: number) => s === 2 });
    const r = checkLiveness(m, [p]);
    expect(r.outcomes[0]).toMatchObject({ status: 'violated', path: [0, 0, 0, 0, 0], loopStart: 2 });
    expectValidLasso(m, p, r.outcomes[0]);
    // `exit` is enabled in 2 but not in 3, so weak fairness allows the cycle; strong fairness does not.
    const wf = { ...p, fairness: { weak: ['exit'], strong: [] } };
    expect(checkLiveness(m, [wf]).outcomes[0]).toMatchObject({ status: 'violated', path: [0, 0, 0, 0, 0] });
    const sf = { ...p, fairness: { weak: [], strong: ['exit'] } };
    expect(checkLiveness(m, [sf]).outcomes[0]?.status).toBe('holds');
  });

  it('an unreachable trigger makes the property hold vacuously, with a warning', () => {
    const p = eventually('vacuous', 'A writing leads to a free lock', (s: LockState) => s.lock === 'free', {
      trigger: (s: LockState) => s.lock === 'A' && s.writing,
    });
    const r = checkLiveness(lockModel, [p]);
    expect(r.kind).toBe('ok');
    expect(r.outcomes[0]).toEqual({
      id: 'vacuous',
      title: 'A writing leads to a free lock',
      kind: 'eventually',
      status: 'holds',
      warnings: ['vacuous: the trigger is never reached in the 4 reachable states, so the property holds trivially'],
    });
  });

  it('a trigger reached only where the goal already holds is reported too', () => {
    const p = eventually('trivial', 'A holding leads to A holding', (s: LockState) => s.lock === 'A', {
      trigger: (s: LockState) => s.lock === 'A',
    });
    expect(checkLiveness(lockModel, [p]).outcomes[0]?.warnings).toEqual([
      'vacuous: every reachable state where the trigger holds already satisfies the goal',
    ]);
  });

  it('a fairness family that no action belongs to is reported', () => {
    const p = aGetsLock({ weak: ['relase'], strong: [] });
    expect(checkLiveness(lockModel, [p]).outcomes[0]?.warnings).toEqual([
      'fairness names action family "relase", which no explored action belongs to (families: a, acquire, work, release); it constrains nothing',
    ]);
  });
});

describe('two-phase commit', () => {
  type TP = TwoPhaseState;
  const all: Fairness = {
    weak: ['TMRcvPrepared', 'TMCommit', 'TMAbort', 'RMPrepare', 'RMChooseToAbort', 'RMRcvCommitMsg', 'RMRcvAbortMsg'],
    strong: [],
  };
  const rmOnly: Fairness = { weak: ['RMPrepare', 'RMChooseToAbort', 'RMRcvCommitMsg', 'RMRcvAbortMsg'], strong: [] };
  const decided = (fairness?: Fairness): EventuallyProperty<TP> =>
    eventually(
      'all-decided',
      'Every resource manager ends committed or aborted',
      (s: TP) => s.rm.every((x) => x >= 2),
      {
        ...(fairness ? { fairness } : {}),
      },
    );

  // The graph of two-phase commit is acyclic (messages only accumulate, RM and TM states only advance),
  // and in every state without successors each RM is committed or aborted: TMAbort stays enabled until
  // the TM decides, and after a decision every RM can still receive it. So every maximal behaviour
  // decides — the property holds even without fairness under the default semantics, and there is no
  // cycle for fairness to reject (no warning).
  it('every RM is eventually committed or aborted: holds with weak fairness of all families, and without', () => {
    for (const f of [all, undefined]) {
      const r = checkLiveness(twoPhaseModel(3), [decided(f)]);
      expect(r.kind).toBe('ok');
      expect(r.stats.distinct).toBe(288);
      expect(r.outcomes[0]).toEqual({
        id: 'all-decided',
        title: 'Every resource manager ends committed or aborted',
        kind: 'eventually',
        status: 'holds',
      });
    }
  });

  it("with TLA+'s stuttering it needs fairness, and fairness of the RMs alone is not enough", () => {
    const opts = { stutter: 'always' } as const;
    const none = checkLiveness(twoPhaseModel(3), [decided()], opts);
    expect(none.outcomes[0]).toMatchObject({
      status: 'violated',
      path: [0],
      loopStart: 0,
      detail: 'the behaviour stutters forever at step 0: no fair action is enabled there and never reaches the goal',
    });

    const fair = checkLiveness(twoPhaseModel(3), [decided(all)], opts);
    expect(fair.outcomes[0]?.status).toBe('holds');
    expect(fair.outcomes[0]?.warnings).toEqual([
      'holds only under fairness: without the fairness assumptions (weak: TMRcvPrepared, TMCommit, TMAbort, RMPrepare, RMChooseToAbort, RMRcvCommitMsg, RMRcvAbortMsg) some behaviour would stay forever in states where the goal is false; every such cycle or stuttering state is unfair',
    ]);

    // With only the RMs fair, the TM may wait forever once every RM has prepared.
    const p = decided(rmOnly);
    const rm = checkLiveness(twoPhaseModel(3), [p], opts);
    expect(rm.outcomes[0]).toMatchObject({ status: 'violated', path: [0, 1, 2, 3], loopStart: 3 });
    expectValidLasso(twoPhaseModel(3), p, rm.outcomes[0], 'always');
    const replay = replayPath(twoPhaseModel(3), rm.outcomes[0]?.path ?? []);
    if (replay.ok) expect(replay.value.states.at(-1)?.rm).toEqual([1, 1, 1]);
  });

  it('a mix of always, sometimes and eventually is decided in one call', () => {
    const committed = eventually(
      'commit-propagates',
      'Once the TM commits, every RM commits',
      (s: TP) => s.rm.every((x) => x === 2),
      { trigger: (s: TP) => s.tm === 1, fairness: { weak: ['RMRcvCommitMsg'], strong: [] } },
    );
    const r = checkLiveness(twoPhaseModel(3), [twoPhaseConsistent, twoPhaseAllCommit, committed]);
    expect(r.kind).toBe('ok');
    expect(r.outcomes.map((o) => [o.id, o.status])).toEqual([
      ['consistent', 'holds'],
      ['all-commit', 'found'],
      ['commit-propagates', 'holds'],
    ]);
    expect(r.outcomes[1]?.path?.length).toBe(11); // 3 prepares, 3 receipts, commit, 3 receipts
  });

  it('an invariant violation stops the search by default; liveness is then unknown', () => {
    const noCommit = always('no-commit', 'nobody commits', (s: TP) => !s.rm.includes(2));
    const r = checkLiveness(twoPhaseModel(3), [noCommit, decided(all)]);
    expect(r.kind).toBe('violation');
    expect(r.outcomes[0]?.status).toBe('violated');
    expect(r.outcomes[1]?.status).toBe('unknown');
    expect(r.outcomes[1]?.warnings).toEqual([
      'the explored graph is incomplete (stopped at a counterexample of another property): no counterexample in the explored part, but liveness is not decided',
    ]);
    const go = checkLiveness(twoPhaseModel(3), [noCommit, decided(all)], { stopOnViolation: false });
    expect(go.outcomes.map((o) => o.status)).toEqual(['violated', 'holds']);
    const replay = replayPath(twoPhaseModel(3), r.outcomes[0]?.path ?? []);
    expect(replay.ok && replay.value.states.at(-1)?.rm.includes(2)).toBe(true);
  });

  it('7 RMs: 296,448 states, decided under weak fairness of all families', () => {
    const r = checkLiveness(twoPhaseModel(7), [decided(all)]);
    expect(r.kind).toBe('ok');
    expect(r.stats.distinct).toBe(296448);
    expect(r.outcomes[0]?.status).toBe('holds');
  });
});

describe('bounds: never holds on an incomplete graph', () => {
  it('a depth bound gives unknown with a warning', () => {
    const p = eventually('done', 'every RM decides', (s: TwoPhaseState) => s.rm.every((x) => x >= 2));
    const r = checkLiveness(twoPhaseModel(3), [p], { maxDepth: 4 });
    expect(r.kind).toBe('incomplete');
    expect(r.outcomes[0]?.status).toBe('unknown');
    expect(r.outcomes[0]?.warnings).toEqual([
      'the explored graph is incomplete (max-depth): no counterexample in the explored part, but liveness is not decided',
    ]);
  });

  it('a state constraint gives unknown; pruned successors still count as enabled', () => {
    // 0 <-> 1 by `spin`, `finish` from both to 2, but the constraint cuts state 2.
    const base = graphModel(
      [0],
      [
        [0, 1, 'spin'],
        [0, 2, 'finish'],
        [1, 0, 'spin'],
        [1, 2, 'finish'],
      ],
    );
    const m = { ...base, withinBoundary: (s: number) => s !== 2 };
    const wf = eventually('done', 'reaches 2', (s: number) => s === 2, { fairness: { weak: ['finish'], strong: [] } });
    const r = checkLiveness(m, [wf]);
    expect(r.kind).toBe('incomplete');
    if (r.kind === 'incomplete') expect(r.reasons).toEqual(['state-constraint']);
    expect(r.outcomes[0]?.status).toBe('unknown');
    // Without fairness the cycle is a real counterexample even in the cut graph.
    const none = eventually('done', 'reaches 2', (s: number) => s === 2);
    const r2 = checkLiveness(m, [none]);
    expect(r2.kind).toBe('violation');
    expect(r2.outcomes[0]).toMatchObject({ status: 'violated', path: [0, 0, 0], loopStart: 0 });
  });

  it('a state cut by the depth bound is never taken for a state without successors', () => {
    const m = graphModel(
      [0],
      [
        [0, 1, 'a'],
        [1, 2, 'a'],
      ],
    );
    const p = eventually('two', 'reaches 2', (s: number) => s === 2);
    expect(checkLiveness(m, [p], { maxDepth: 1 }).outcomes[0]?.status).toBe('unknown');
    expect(checkLiveness(m, [p]).outcomes[0]?.status).toBe('holds');
  });

  it('an aborted run gives unknown', () => {
    const ac = new AbortController();
    ac.abort();
    const p = eventually('done', 'every RM decides', (s: TwoPhaseState) => s.rm.every((x) => x >= 2));
    const r = checkLiveness(twoPhaseModel(5), [p], { signal: ac.signal });
    expect(r.kind).toBe('incomplete');
    if (r.kind === 'incomplete') expect(r.reasons).toEqual(['interrupted']);
    expect(r.outcomes[0]?.status).toBe('unknown');
  });

  it('a state bound gives unknown', () => {
    const p = eventually('done', 'every RM decides', (s: TwoPhaseState) => s.rm.every((x) => x >= 2));
    const r = checkLiveness(twoPhaseModel(3), [p, sometimes('x', 'x', () => false)], { maxStates: 50 });
    expect(r.kind).toBe('incomplete');
    expect(r.stats.distinct).toBe(50);
    expect(r.outcomes.map((o) => o.status)).toEqual(['unknown', 'unknown']);
  });
});

/**
 * Brute-force oracle on small explicit graphs, independent of the SCC algorithm: a counterexample
 * exists iff from some reachable trigger (or initial) state where the goal is false, a path through
 * goal-false states reaches a stuttering state or a set of goal-false states that is strongly connected
 * and fair (enumerated over all subsets).
 */
function oracle(
  n: number,
  edges: readonly (readonly [number, number, string])[],
  goal: (s: number) => boolean,
  trigger: ((s: number) => boolean) | undefined,
  fairness: Fairness,
  stutter: 'deadlock' | 'always',
): boolean {
  const real = edges.filter(([a, b]) => a !== b);
  const succ = (v: number, inSet: (w: number) => boolean): number[] =>
    real.filter(([a, b]) => a === v && inSet(b)).map(([, b]) => b);
  const closure = (from: number, inSet: (w: number) => boolean): Set<number> => {
    const seen = new Set([from]);
    const todo = [from];
    for (let v = todo.pop(); v !== undefined; v = todo.pop())
      for (const w of succ(v, inSet))
        if (!seen.has(w)) {
          seen.add(w);
          todo.push(w);
        }
    return seen;
  };
  const reach = closure(0, () => true);
  const bad = (s: number): boolean => reach.has(s) && !goal(s);
  const enabled = (v: number, f: string): boolean => real.some(([a, , g]) => a === v && g === f);
  const strong = new Set(fairness.strong);
  const weak = fairness.weak.filter((f) => !strong.has(f));
  const badStates = new Set<number>();
  for (let v = 0; v < n; v++) {
    if (!bad(v)) continue;
    const anyFair = [...weak, ...strong].some((f) => enabled(v, f));
    if (succ(v, () => true).length === 0 || (stutter === 'always' && !anyFair)) badStates.add(v);
  }
  for (let mask = 1; mask < 1 << n; mask++) {
    const ys = [...Array(n).keys()].filter((v) => mask & (1 << v));
    if (ys.length < 2 || !ys.every(bad)) continue;
    const inY = (w: number): boolean => (mask & (1 << w)) !== 0;
    if (!ys.every((v) => ys.every((w) => closure(v, inY).has(w)))) continue;
    const takenIn = (f: string): boolean => real.some(([a, b, g]) => g === f && inY(a) && inY(b));
    const fair =
      [...strong].every((f) => !ys.some((v) => enabled(v, f)) || takenIn(f)) &&
      weak.every((f) => !ys.every((v) => enabled(v, f)) || takenIn(f));
    if (fair) for (const v of ys) badStates.add(v);
  }
  for (let v = 0; v < n; v++) {
    if (!bad(v) || !(trigger ? trigger(v) : v === 0)) continue;
    const r = closure(v, bad);
    if ([...r].some((w) => badStates.has(w))) return true;
  }
  return false;
}

describe('agrees with a brute-force oracle on random small graphs', () => {
  const families = ['a', 'b', 'c'];
  const arb = fc.integer({ min: 1, max: 6 }).chain((n) =>
    fc.record({
      n: fc.constant(n),
      edges: fc.array(fc.tuple(fc.nat({ max: n - 1 }), fc.nat({ max: n - 1 }), fc.constantFrom(...families)), {
        maxLength: 14,
      }),
      goal: fc.nat({ max: (1 << n) - 1 }),
      trigger: fc.option(fc.nat({ max: (1 << n) - 1 }), { nil: undefined }),
      weak: fc.subarray(families),
      strong: fc.subarray(families),
      stutter: fc.constantFrom('deadlock' as const, 'always' as const),
    }),
  );
  it.prop([arb], { numRuns: 1500, seed: 20240611 })(
    'status matches and every counterexample is a valid fair lasso',
    ({ n, edges, goal, trigger, weak, strong, stutter }) => {
      const m = graphModel([0], edges);
      const fairness = { weak, strong };
      const holds = (s: number): boolean => (goal & (1 << s)) !== 0;
      const trig = trigger === undefined ? undefined : (s: number): boolean => (trigger & (1 << s)) !== 0;
      const p = eventually('p', 'p', holds, trig ? { trigger: trig, fairness } : { fairness });
      const r = checkLiveness(m, [p], { stutter });
      const expected = oracle(n, edges, holds, trig, fairness, stutter);
      expect(r.outcomes[0]?.status).toBe(expected ? 'violated' : 'holds');
      if (expected) expectValidLasso(m, p, r.outcomes[0], stutter);
    },
  );
});
