import { readFileSync } from 'node:fs';

/** The project's README, read once (test support: the tests that check what it quotes). */
export const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/**
 * The state count the README quotes in the paragraph that contains `where` (the first "N distinct
 * states" there, N written with thousands separators), so a test can compare it with what a run found.
 */
export function readmeFigure(where: string): string {
  const para = README.split(/\n\n/)
    .map((p) => p.replace(/\s+/g, ' '))
    .find((p) => p.includes(where));
  const m = para && /(\d{1,3}(?:,\d{3})+) distinct states/.exec(para);
  if (!m?.[1]) throw new Error(`README: no "N distinct states" in the paragraph with "${where}"`);
  return m[1];
}

/**
 * The rows of the first ```text block after the README paragraph that contains `where`, each split into
 * its cells (runs of two or more spaces separate cells); the header row first.
 */
export function readmeTextTable(where: string): string[][] {
  const at = README.indexOf(where);
  if (at < 0) throw new Error(`README: no "${where}"`);
  const m = /^```text\n([^]*?)^```/m.exec(README.slice(at));
  if (!m?.[1]) throw new Error(`README: no text block after "${where}"`);
  return m[1]
    .trimEnd()
    .split('\n')
    .map((l) => l.trim().split(/\s{2,}/));
}
