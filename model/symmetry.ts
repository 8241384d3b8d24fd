import { EncodeSink } from '../checker/index.js';
import type { ClusterState, KRaftState, Voter } from './state.js';
import { encodeState, encodeVoter, encodeVoterLog, type VoterMarks } from './encode.js';

/**
 * Symmetry reduction for KRaft mode: voters 1..n-1 start alike (followers of voter 0) and nothing in the
 * model tells them apart but their ids, so renaming them maps behaviours to behaviours. The canonical
 * representative is the renaming with the smallest encoding. Every property is invariant under it (none
 * names a voter). Used only for fingerprints: explored states keep their real names, so paths replay.
 */

/** Every ordering of `xs`, the identity first. */
export function permutations(xs: readonly number[]): number[][] {
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
export function renameVoters(s: ClusterState, k: KRaftState, pi: readonly number[]): ClusterState {
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
  return { ...s, split: renameSplit(s.split, s.brokers.length, pi), kraft: { ...k, voters } };
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

/**
 * The voters' block of `s`'s encoding under the renaming `pi` (inverse `inv`): what
 * `encodeState(renameVoters(s, k, pi))` writes between `votersStart` and `votersEnd`, without building
 * the renamed state. Voter j of the renamed state is voter inv[j]; its end offsets are indexed by new ids.
 */
function encodeRenamedVoters(k: KRaftState, pi: readonly number[], inv: readonly number[], sink: EncodeSink): void {
  for (let j = 0; j < inv.length; j++) {
    const v = k.voters[inv[j] as number] as Voter;
    encodeVoter(v, sink, mapId(pi, v.votedFor), mapId(pi, v.leader), mapMask(pi, v.votes));
    const n = v.endOffsets.length;
    sink.push(n);
    for (let w = 0; w < n; w++) sink.push(w < inv.length ? (v.endOffsets[inv[w] as number] as number) : -1);
    encodeVoterLog(v, sink);
  }
}

/** `split` with voter bits (above the B broker bits) renamed by `pi`. */
function renameSplit(split: number, brokers: number, pi: readonly number[]): number {
  let out = split & ((1 << brokers) - 1);
  pi.forEach((to, from) => {
    if (split & (1 << (brokers + from))) out |= 1 << (brokers + to);
  });
  return out;
}

/**
 * Builds the canonicalizer for `voters` voters (identity below 3 voters). Pure.
 *
 * The representative is the renaming whose encoding is least. Only two parts of the encoding name
 * voters (`VoterMarks`: the split word and the voters' block), and everything before the split word and
 * between the two is the same under every renaming, so renamings are compared on (split word, voters'
 * block) alone, and the winner's full encoding is spliced from the state's own. Only a winning renaming
 * other than the identity is built as a state.
 */
export function voterSymmetry(voters: number): VoterSymmetry {
  if (voters < 3) return { canonicalize: (s) => s, encode: encodeState };
  const perms = permutations(Array.from({ length: voters - 1 }, (_, i) => i + 1))
    .map((p) => [0, ...p])
    .slice(1);
  const invs = perms.map((pi) => {
    const inv: number[] = [];
    pi.forEach((to, from) => (inv[to] = from));
    return inv;
  });
  const ident = new EncodeSink();
  const best = new EncodeSink();
  const bestVoters = new EncodeSink();
  const cur = new EncodeSink();
  const marks: VoterMarks = { split: 0, votersStart: 0, votersEnd: 0 };
  // The last state canonicalized (encoded in `ident`) and its representative (in `ident` or `best`).
  // States are never changed once built, so the same object has the same encoding.
  let lastState: ClusterState | undefined;
  let lastChosen: ClusterState | undefined;
  let chosenIsIdent = true;

  /** Compares `cur` with the voters' block of the best renaming so far (the identity's is in `ident`). */
  const compareBlock = (bestIndex: number): number => {
    const [buf, from, len] =
      bestIndex < 0
        ? [ident.buf, marks.votersStart, marks.votersEnd - marks.votersStart]
        : [bestVoters.buf, 0, bestVoters.len];
    const n = Math.min(cur.len, len);
    for (let i = 0; i < n; i++) {
      const d = (cur.buf[i] as number) - (buf[from + i] as number);
      if (d !== 0) return d;
    }
    return cur.len - len;
  };

  return {
    canonicalize(s) {
      const k = s.kraft;
      lastState = lastChosen = s;
      chosenIsIdent = true;
      ident.reset();
      encodeState(s, ident, k ? marks : undefined);
      if (!k) return s;
      const B = s.brokers.length;
      let bestIndex = -1;
      let bestSplit = s.split;
      perms.forEach((pi, i) => {
        const split = renameSplit(s.split, B, pi);
        if (split > bestSplit) return;
        cur.reset();
        encodeRenamedVoters(k, pi, invs[i] as number[], cur);
        if (split < bestSplit || compareBlock(bestIndex) < 0) {
          bestIndex = i;
          bestSplit = split;
          bestVoters.reset();
          bestVoters.append(cur);
        }
      });
      if (bestIndex < 0) return s;
      const { split, votersStart, votersEnd } = marks;
      best.reset();
      best.appendRange(ident.buf, 0, split);
      best.push(bestSplit);
      best.appendRange(ident.buf, split + 1, votersStart);
      best.append(bestVoters);
      best.appendRange(ident.buf, votersEnd, ident.len);
      chosenIsIdent = false;
      lastChosen = renameVoters(s, k, perms[bestIndex] as number[]);
      return lastChosen;
    },
    encode(s, sink) {
      if (s === lastChosen) sink.append(chosenIsIdent ? ident : best);
      else if (s === lastState) sink.append(ident);
      else encodeState(s, sink);
    },
  };
}
