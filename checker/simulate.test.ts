import { describe, expect, it } from 'vitest';
import { simulate } from './simulate.js';
import { twoPhaseModel, twoPhaseConsistent } from './testing/twoPhase.js';
import { dieHardModel, notFour } from './testing/dieHard.js';
import { replayPath } from './Path.js';

function walks(seed: number): string[] {
  const out: string[] = [];
  simulate(twoPhaseModel(3), [twoPhaseConsistent], { seed, runs: 20, depth: 15, onWalk: (p) => out.push(p.join('/')) });
  return out;
}

describe('seeded simulation', () => {
  it('the same seed reproduces the same walks', () => {
    expect(walks(42)).toEqual(walks(42));
  });
  it('a different seed gives different walks', () => {
    expect(walks(42)).not.toEqual(walks(43));
  });
  it('pins the first walk of seed 7', () => {
    const out: string[] = [];
    simulate(dieHardModel, [], { seed: 7, runs: 1, depth: 6, onWalk: (p) => out.push(p.join('/')) });
    expect(out).toEqual(['0/1/0/2/5/3/4']);
  });
  it('finds a violation and its path replays to it', () => {
    const r = simulate(dieHardModel, [notFour], { seed: 1, runs: 500, depth: 30 });
    expect(r.kind).toBe('violation');
    if (r.kind !== 'violation') return;
    const replay = replayPath(dieHardModel, r.violation.path ?? []);
    expect(replay.ok && replay.value.states.at(-1)?.big).toBe(4);
  });
  it('without a violation the verdict is incomplete (sampling proves nothing)', () => {
    const r = simulate(twoPhaseModel(3), [twoPhaseConsistent], { seed: 3, runs: 50, depth: 20 });
    expect(r.kind).toBe('incomplete');
    if (r.kind === 'incomplete') expect(r.reasons).toEqual(['sampled']);
  });
});
