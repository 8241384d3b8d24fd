/**
 * No module imports itself through others. A cycle makes ES module evaluation order depend on which
 * module is loaded first (a binding read before its module ran is in its temporal dead zone); the one
 * between cli/checkpoint.ts and cli/program.ts was broken by moving `version` to cli/version.ts, and
 * this keeps it, and any other, from coming back. Type-only imports count too (as madge counts them).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LAYERS = ['checker', 'model', 'properties', 'traces', 'validate', 'cli', 'lab', 'bench'];

/** Every .ts source file (tests included) under the layers, and the root index, relative to the root. */
function sources(): string[] {
  const out = ['index.ts'];
  const walk = (dir: string): void => {
    for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && e.name !== 'dist') walk(path);
      } else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(path);
    }
  };
  for (const layer of LAYERS) walk(layer);
  return out;
}

/** `import … from './x.js'`, `export … from './x.js'` and `import './x.js'` (dynamic imports do not count). */
const IMPORT = /^(?:import|export)\b(?:[^;]*?\bfrom)?\s*'(\.[^']+)'/gms;

/** The relative imports of each file (`./x.js` → `dir/x.ts`), as a graph over file names. */
function importGraph(files: readonly string[]): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const deps: string[] = [];
    for (const m of readFileSync(join(ROOT, file), 'utf8').matchAll(IMPORT)) {
      const target = normalize(join(dirname(file), m[1] as string)).replace(/\.js$/, '.ts');
      if (known.has(target)) deps.push(target);
    }
    graph.set(file, deps);
  }
  return graph;
}

/** The strongly connected groups of more than one file (Tarjan), each sorted; self-imports too. */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v) as number);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) !== index.get(v)) return;
    const group: string[] = [];
    for (;;) {
      const w = stack.pop() as string;
      onStack.delete(w);
      group.push(w);
      if (w === v) break;
    }
    if (group.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(group.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

describe('import cycles', () => {
  it('the cycle finder finds a cycle, only the cycle, and a self-import', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c', 'd']],
      ['c', ['a']],
      ['d', []],
      ['e', ['e']],
    ]);
    expect(cycles(g)).toEqual([['a', 'b', 'c'], ['e']]);
    expect(
      cycles(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
    ).toEqual([]);
  });

  it('the import graph sees cli/checkpoint.ts import cli/version.ts (the module that broke the cycle)', () => {
    const graph = importGraph(sources());
    expect(graph.size).toBeGreaterThan(150);
    expect(graph.get(join('cli', 'checkpoint.ts'))).toContain(join('cli', 'version.ts'));
    expect(graph.get(join('cli', 'program.ts'))).toContain(join('cli', 'version.ts'));
    expect(graph.get(join('cli', 'version.ts'))).not.toContain(join('cli', 'program.ts'));
  });

  it('no source file imports itself through others', () => {
    const found = cycles(importGraph(sources()));
    expect(
      found.map((group) => group.join(', ')),
      'files that import one another',
    ).toEqual([]);
  });
});
