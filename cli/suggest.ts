/** Levenshtein distance (insertions, deletions, substitutions; a transposition counts as 2). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const sub = (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      cur.push(Math.min(sub, (prev[j] as number) + 1, (cur[j - 1] as number) + 1));
    }
    prev = cur;
  }
  return prev[b.length] as number;
}

/**
 * The candidate nearest to `name` by edit distance (ties: the first in `candidates`), if it is close
 * enough to be a plausible typo: at most 40% of the longer name's characters differ, or one is a
 * prefix of the other.
 */
export function nearest(name: string, candidates: readonly string[]): string | undefined {
  const n = name.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(n, c.toLowerCase());
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  if (best === undefined) return undefined;
  const lc = best.toLowerCase();
  if (bestD <= Math.max(1, Math.floor(0.4 * Math.max(n.length, lc.length)))) return best;
  if (n.length >= 3 && (lc.startsWith(n) || n.startsWith(lc))) return best;
  return undefined;
}

/**
 * "unknown property "no-dataloss"; did you mean "no-data-loss"? Known: a, b, c" — the message for a
 * name that is not in `known`.
 */
export function unknownName(what: string, name: string, known: readonly string[], plural = `${what}s`): string {
  const guess = nearest(name, known);
  const hint = guess !== undefined ? `; did you mean "${guess}"?` : '.';
  return `unknown ${what} "${name}"${hint} Known ${plural}: ${known.join(', ')}`;
}
