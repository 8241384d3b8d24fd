import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import fc from 'fast-check';
import { it } from '@fast-check/vitest';
import { afterAll, describe, expect } from 'vitest';
import type { PropertyOutcome } from '../checker/index.js';
import { clean, kafkaModel, resolveConfig } from '../model/index.js';
import { noDataLoss } from '../properties/index.js';
import { loadTrace, parseTrace, saveTrace, serializeTrace } from './io.js';
import type { RuleRef, Trace } from './Trace.js';
import { EXPECTATIONS, STRATEGIES, TRACE_FORMAT_VERSION, buildTrace, regressionsDir, toolVersion } from './Trace.js';
import { TRACE_SCHEMA } from './traceSchema.js';

const tmp = mkdtempSync(join(tmpdir(), 'kafka-mc-io-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const config = resolveConfig({ bounds: { records: 2, leaderEpochs: 2 }, faults: { crashes: 1, networkPartitions: 1 } });
const model = kafkaModel(config, clean);

/** A random behaviour of the model: each choice picks one of the enabled actions. */
function walk(choices: readonly number[]): number[] {
  const path = [0];
  let s = model.initStates()[0];
  for (const c of choices) {
    if (!s) break;
    const acts = model.actions(s);
    if (acts.length === 0) break;
    const i = c % acts.length;
    const n = model.next(s, acts[i] as (typeof acts)[number]);
    if (n === undefined) break;
    path.push(i);
    s = n;
  }
  return path;
}

const ruleRef: fc.Arbitrary<RuleRef> = fc.oneof(
  fc.constantFrom<RuleRef>({ name: 'clean' }, { name: 'unclean' }),
  fc.record({
    name: fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/),
    path: fc.string({ minLength: 1, unit: 'grapheme' }),
    sha256: fc.stringMatching(/^[0-9a-f]{64}$/),
  }),
);

const traceArb: fc.Arbitrary<Trace> = fc
  .record({
    choices: fc.array(fc.nat(), { maxLength: 14 }),
    commandLine: fc.array(fc.string({ unit: 'grapheme' }), { maxLength: 6 }),
    strategy: fc.constantFrom(...STRATEGIES),
    expectation: fc.constantFrom(...EXPECTATIONS),
    seed: fc.option(fc.integer({ min: 0, max: 0xffffffff }), { nil: undefined }),
    rule: ruleRef,
    detail: fc.option(fc.string({ unit: 'grapheme' }), { nil: undefined }),
    warnings: fc.option(fc.array(fc.string({ unit: 'grapheme' }), { minLength: 1, maxLength: 2 }), { nil: undefined }),
  })
  .map(({ choices, seed, detail, warnings, ...rest }) => {
    const outcome: PropertyOutcome = {
      id: noDataLoss.id,
      title: noDataLoss.title,
      kind: 'always',
      status: 'violated',
      path: walk(choices),
      ...(detail !== undefined ? { detail } : {}),
      ...(warnings !== undefined ? { warnings } : {}),
    };
    const built = buildTrace({
      model,
      config,
      outcome,
      property: noDataLoss,
      ...rest,
      ...(seed !== undefined ? { seed } : {}),
    });
    if (!built.ok) throw new Error(built.error);
    return built.value;
  });

let fileNo = 0;
const fresh = (): string => join(tmp, `t${fileNo++}.trace.json`);

describe('saveTrace / loadTrace', () => {
  it.prop([traceArb], { seed: 20261125, numRuns: 60 })(
    'round-trips random traces exactly, in canonical bytes',
    (trace) => {
      const f = fresh();
      const saved = saveTrace(f, trace);
      expect(saved).toEqual({ ok: true, value: f });
      const loaded = loadTrace(f);
      if (!loaded.ok) throw new Error(loaded.error);
      expect(loaded.value).toEqual(JSON.parse(JSON.stringify(trace)));
      expect(serializeTrace(loaded.value)).toBe(readFileSync(f, 'utf8'));
    },
  );

  it.prop([traceArb], { seed: 7, numRuns: 10 })(
    'writes the canonical key order whatever order the object was built in',
    (trace) => {
      const shuffled = Object.fromEntries(Object.entries(trace).reverse()) as unknown as Trace;
      expect(serializeTrace(shuffled)).toBe(serializeTrace(trace));
      expect(serializeTrace(trace).startsWith('{\n  "formatVersion": 1,\n  "tool": ')).toBe(true);
    },
  );

  it('never overwrites silently', () => {
    const trace = fc.sample(traceArb, { seed: 1, numRuns: 1 })[0] as Trace;
    const f = fresh();
    expect(saveTrace(f, trace).ok).toBe(true);
    const again = saveTrace(f, { ...trace, detail: 'changed' });
    expect(again.ok).toBe(false);
    if (!again.ok) {
      expect(again.error).toContain(f);
      expect(again.error).toContain('--force');
      expect(again.error).toContain('--out-dir');
    }
    expect(JSON.parse(readFileSync(f, 'utf8')).detail).toBe(trace.detail);
    expect(saveTrace(f, { ...trace, detail: 'changed' }, { overwrite: true }).ok).toBe(true);
    expect(JSON.parse(readFileSync(f, 'utf8')).detail).toBe('changed');
  });
});

describe('bad trace files are rejected with clear errors', () => {
  const good = serializeTrace(fc.sample(traceArb, { seed: 3, numRuns: 1 })[0] as Trace);
  const bad = (text: string): string => {
    const f = fresh();
    writeFileSync(f, text);
    const r = loadTrace(f);
    if (r.ok) throw new Error('accepted a bad file');
    return r.error;
  };

  it('a missing file', () => {
    const r = loadTrace(join(tmp, 'nope.trace.json'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/nope\.trace\.json does not exist/);
  });

  it('an empty file', () => {
    expect(bad('')).toMatch(/is empty/);
  });

  it('a truncated file, wherever it is cut', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: good.length - 3 }), (cut) => {
        const text = good.slice(0, cut);
        if (text.trim() === '') return;
        expect(bad(text)).toMatch(
          /is truncated: it ends .* at line \d+, column \d+; the write or copy was probably interrupted/,
        );
      }),
      { seed: 11, numRuns: 40 },
    );
  });

  it('malformed JSON, with line and column', () => {
    const e = bad(good.replace('"formatVersion": 1,', '"formatVersion": 1,,'));
    expect(e).toMatch(/is not valid JSON at line 2, column \d+/);
    expect(bad('{"formatVersion": 1}}')).toMatch(/is not valid JSON/);
  });

  it('a newer format version says which tool wrote it and to upgrade', () => {
    const newer = good
      .replace(`"formatVersion": ${TRACE_FORMAT_VERSION}`, `"formatVersion": ${TRACE_FORMAT_VERSION + 1}`)
      .replace(`"version": "${toolVersion()}"`, '"version": "9.9.9"');
    expect(bad(newer)).toBe(
      `${join(tmp, `t${fileNo - 1}.trace.json`)} was written by kafka-mc 9.9.9 (trace format ${TRACE_FORMAT_VERSION + 1}); this is kafka-mc ${toolVersion()}, which reads trace format ${TRACE_FORMAT_VERSION}: upgrade kafka-mc to read it`,
    );
  });

  it('not a trace at all', () => {
    expect(bad('[1, 2]')).toMatch(/is not a kafka-mc trace: expected a JSON object/);
    expect(bad('{"hello": "world"}')).toMatch(/is not a kafka-mc trace: it has no "formatVersion" field/);
  });

  it('a missing field is named', () => {
    const o = JSON.parse(good) as Record<string, unknown>;
    delete o['steps'];
    expect(bad(JSON.stringify(o))).toMatch(/is not a valid trace: the trace is missing the field "steps"/);
    const p = JSON.parse(good) as { property: Record<string, unknown> };
    delete p.property['id'];
    expect(bad(JSON.stringify(p))).toMatch(/property is missing the field "id"/);
  });

  it('a wrongly typed or unknown value is named with its location', () => {
    const o = JSON.parse(good) as { strategy: string; path: unknown[] };
    o.strategy = 'guess';
    o.path[0] = 'x';
    const e = bad(JSON.stringify(o));
    expect(e).toContain('strategy must be one of "bfs", "dfs", "simulation", "fuzz", "liveness" (got "guess")');
    expect(e).toContain('path[0] must be an integer (got "x")');
  });

  it('an inconsistent trace (steps vs path)', () => {
    const o = JSON.parse(good) as { path: number[] };
    o.path.push(0);
    expect(bad(JSON.stringify(o))).toMatch(
      /is inconsistent: its path has \d+ action\(s\) but it records \d+ step\(s\)/,
    );
  });

  it('parseTrace names its source', () => {
    const r = parseTrace('{', 'stdin');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^stdin is truncated/);
  });
});

describe('trace.schema.json', () => {
  const file = JSON.parse(readFileSync(new URL('./trace.schema.json', import.meta.url), 'utf8')) as unknown;

  it('is TRACE_SCHEMA written out (regenerate: see traceSchema.ts)', () => {
    expect(file).toEqual(JSON.parse(JSON.stringify(TRACE_SCHEMA)));
  });

  it('validates the committed regressions and random traces (compiled independently from the file)', () => {
    const validate = new Ajv({ allErrors: true, strict: true }).compile(file as object);
    const samples = fc.sample(traceArb, { seed: 5, numRuns: 20 }).map((t) => JSON.parse(serializeTrace(t)) as unknown);
    for (const name of ['acks1-leader-crash-data-loss', 'unclean-election-data-loss']) {
      samples.push(JSON.parse(readFileSync(join(regressionsDir(), `${name}.trace.json`), 'utf8')) as unknown);
    }
    for (const s of samples) expect(validate(s), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...(samples[0] as object), strategy: 'guess' })).toBe(false);
  });
});
