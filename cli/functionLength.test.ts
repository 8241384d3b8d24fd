/**
 * Functions a reader can hold (issue 19): no function, method or arrow function in the non-test sources
 * of `checker/` and `cli/` is longer than 80 lines (the TypeScript parser finds them, nested ones
 * included, and measures from the first line of the declaration to its closing brace). A long function
 * is split into named steps rather than allowed here: the list of exceptions is empty on purpose.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LIMIT = 80;

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'fixtures' || e.name === 'golden' ? [] : sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** `file:line name (n lines)` for every function of source `text` (named `file`) longer than `LIMIT` lines. */
function longFunctions(file: string, text = readFileSync(join(ROOT, file), 'utf8')): string[] {
  const src = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n) && 'body' in n && n.body) {
      const first = src.getLineAndCharacterOfPosition(n.getStart()).line;
      const lines = src.getLineAndCharacterOfPosition(n.getEnd()).line - first + 1;
      const name =
        n.name?.getText(src) ?? (ts.isVariableDeclaration(n.parent) ? n.parent.name.getText(src) : '(anonymous)');
      if (lines > LIMIT) out.push(`${relative(ROOT, join(ROOT, file))}:${first + 1} ${name} (${lines} lines)`);
    }
    ts.forEachChild(n, visit);
  };
  visit(src);
  return out;
}

describe(`no function over ${LIMIT} lines`, () => {
  for (const dir of ['checker', 'cli'])
    it(`${dir}/`, () => {
      expect(sources(dir).flatMap((f) => longFunctions(f))).toEqual([]);
    });

  it('the measure finds long functions of every kind, nested ones too (so the check can fail)', () => {
    const body = (n: number): string => Array.from({ length: n }, (_, i) => `  const x${i} = ${i};`).join('\n');
    const text = [
      `function ok() {\n${body(LIMIT - 2)}\n}`,
      `function long() {\n${body(LIMIT - 1)}\n}`,
      `const arrow = () => {\n${body(LIMIT)}\n};`,
      `class C {\n  method() {\n    const inner = function () {\n${body(LIMIT)}\n    };\n  }\n}`,
    ].join('\n');
    expect(longFunctions('x.ts', text)).toEqual([
      `x.ts:${LIMIT + 1} long (${LIMIT + 1} lines)`,
      `x.ts:${2 * LIMIT + 2} arrow (${LIMIT + 2} lines)`,
      `x.ts:${3 * LIMIT + 5} method (${LIMIT + 4} lines)`,
      `x.ts:${3 * LIMIT + 6} inner (${LIMIT + 2} lines)`,
    ]);
  });
});
