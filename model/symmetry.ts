import { EncodeSink } from '../checker/index.js';
import type { ClusterState, KRaftState, Voter } from './state.js';
import { encodeState } from './encode.js';

/**
 * Symmetry reduction for KRaft mode: voters 1..n-1 start alike (followers of voter 0) and nothing in the
 * model tells them apart but their ids, so renaming them maps behaviours to behaviours. The canonical
 * representative is the renaming with the smallest encoding. Every property is invariant under it (none
 * names a voter). Used only for fingerprints: explored states keep their real names, so paths replay.
 */

function permutations(xs: readonly number[]): number[][] {
  if (xs.length <= 1) return [xs.slice()];
  const out: number[][] = [];
  xs.forEach((x, i) => {
    for (const rest of permutations([...xs.slice(0, i), ...xs.slice(i + 1)])) out.push([x, ...rest]);
  });
  return out;
}

const mapId = (pi: readonly number[], v: number): number => (v < 0 ? v : (pi[v] ?? v));

function mapMask(pi: readonly number[], mask: number): number {
  let out = 0;
  pi.forEach((to, from) => {
    if (mask & (1 << from)) out |= 1 << to;
  });
  return out;
}

/** State `s` with voter v renamed to pi[v]. */
function renameVoters(s: ClusterState, k: KRaftState, pi: readonly number[]): ClusterState {
  const voters: Voter[] = k.voters.slice();
  k.voters.forEach((x, v) => {
    const endOffsets: number[] = x.endOffsets.length ? Array<number>(x.endOffsets.length).fill(-1) : [];
    x.endOffsets.forEach((o, w) => {
      endOffsets[mapId(pi, w)] = o;
    });
    voters[mapId(pi, v)] = {
      ...x,
      votedFor: mapId(pi, x.votedFor),
      leader: mapId(pi, x.leader),
      votes: mapMask(pi, x.votes),
      endOffsets,
    };
  });
  const B = s.brokers.length;
  let split = s.split & ((1 << B) - 1);
  pi.forEach((to, from) => {
    if (s.split & (1 << (B + from))) split |= 1 << (B + to);
  });
  return { ...s, split, kraft: { ...k, voters } };
}

function compare(a: EncodeSink, b: EncodeSink): number {
  const n = Math.min(a.len, b.len);
  for (let i = 0; i < n; i++) {
    const d = (a.buf[i] as number) - (b.buf[i] as number);
    if (d !== 0) return d;
  }
  return a.len - b.len;
}

/** The canonicalizer of `voterSymmetry` and an `encode` that reuses the encodings it computed. */
export interface VoterSymmetry {
  canonicalize(s: ClusterState): ClusterState;
  /**
   * `encodeState`, except for the state last canonicalized and its representative, whose encodings
   * the canonicalizer already computed: the checker encodes the representative for the fingerprint
   * and the state itself for its queue, so each new state would otherwise be encoded twice more.
   */
  encode(s: ClusterState, sink: EncodeSink): void;
}

/** Builds the canonicalizer for `voters` voters (identity below 3 voters). Pure. */
export function voterSymmetry(voters: number): VoterSymmetry {
  if (voters < 3) return { canonicalize: (s) => s, encode: encodeState };
  const perms = permutations(Array.from({ length: voters - 1 }, (_, i) => i + 1)).map((p) => [0, ...p]);
  const ident = new EncodeSink();
  const best = new EncodeSink();
  const cur = new EncodeSink();
  // The last state canonicalized (encoded in `ident`) and its representative (in `ident` or `best`).
  // States are never changed once built, so the same object has the same encoding.
  let lastState: ClusterState | undefined;
  let lastChosen: ClusterState | undefined;
  let chosenIsIdent = true;
  return {
    canonicalize(s) {
      const k = s.kraft;
      if (!k) return s;
      let chosen = s;
      ident.reset();
      encodeState(s, ident);
      chosenIsIdent = true;
      for (const pi of perms.slice(1)) {
        const t = renameVoters(s, k, pi);
        cur.reset();
        encodeState(t, cur);
        if (compare(cur, chosenIsIdent ? ident : best) < 0) {
          chosen = t;
          chosenIsIdent = false;
          best.reset();
          best.append(cur);
        }
      }
      lastState = s;
      lastChosen = chosen;
      return chosen;
    },
    encode(s, sink) {
      if (s === lastChosen) sink.append(chosenIsIdent ? ident : best);
      else if (s === lastState) sink.append(ident);
      else encodeState(s, sink);
    },
  };
}
