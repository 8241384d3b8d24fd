import { describe, expect, it } from 'vitest';
import { EncodeSink } from '../checker/index.js';
import { builtinRuleNames, clean, kafkaModel, resolveConfig, validateConfig, type ClusterState } from './index.js';
import { encodeState } from './encode.js';
import { permutations, renameVoters, voterSymmetry } from './symmetry.js';

/** The definition: the least encoding over every renaming of voters 1..n-1 (built as states). */
function leastEncoding(s: ClusterState, voters: number): number[] {
  let best: number[] | undefined;
  for (const p of permutations(Array.from({ length: voters - 1 }, (_, i) => i + 1))) {
    const sink = new EncodeSink();
    encodeState(renameVoters(s, s.kraft as NonNullable<ClusterState['kraft']>, [0, ...p]), sink);
    const e = [...sink.buf.subarray(0, sink.len)];
    if (best === undefined || lessThan(e, best)) best = e;
  }
  return best as number[];
}

function lessThan(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return (a[i] as number) < (b[i] as number);
  return a.length < b.length;
}

/** States along seeded pseudo-random walks of the KRaft model (a fixed linear congruential sequence). */
function walkStates(voters: number, walks: number, steps: number): ClusterState[] {
  const cfg = resolveConfig({ mode: 'kraft', voters, faults: { crashes: 1, networkPartitions: 1 } });
  const v = validateConfig(cfg, builtinRuleNames());
  if (!v.ok) throw new Error(v.errors.join('; '));
  const model = kafkaModel(cfg, clean);
  let x = 20261205;
  const rnd = (n: number): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x % n;
  };
  const out: ClusterState[] = [];
  for (let w = 0; w < walks; w++) {
    let s = model.initStates()[0] as ClusterState;
    for (let i = 0; i < steps; i++) {
      const acts = model.actions(s);
      if (acts.length === 0) break;
      const n = model.next(s, acts[rnd(acts.length)] as (typeof acts)[number]);
      if (n === undefined) continue;
      s = n;
      out.push(s);
    }
  }
  return out;
}

describe('voterSymmetry', () => {
  for (const voters of [3, 5]) {
    it(`with ${voters} voters gives each state the least encoding over all renamings, and a representative that encodes to it`, () => {
      const sym = voterSymmetry(voters);
      const states = walkStates(voters, 40, 40);
      let renamed = 0;
      for (const s of states) {
        const rep = sym.canonicalize(s);
        if (rep !== s) renamed++;
        const viaCache = new EncodeSink();
        sym.encode(rep, viaCache);
        const direct = new EncodeSink();
        encodeState(rep, direct);
        const want = leastEncoding(s, voters);
        expect([...viaCache.buf.subarray(0, viaCache.len)]).toEqual(want);
        expect([...direct.buf.subarray(0, direct.len)]).toEqual(want);
        const own = new EncodeSink();
        sym.encode(s, own);
        direct.reset();
        encodeState(s, direct);
        expect([...own.buf.subarray(0, own.len)]).toEqual([...direct.buf.subarray(0, direct.len)]);
      }
      // The walks must reach states whose representative is a renaming, or the test shows nothing.
      expect(states.length).toBeGreaterThan(500);
      expect(renamed).toBeGreaterThan(30);
    });
  }
});
