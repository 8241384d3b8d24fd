/**
 * The package's root entry point (`exports['.']` → `dist/index.js`): it re-exports every layer's public
 * API unchanged, and `import 'kafka-mc'` runs a check.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as api from './index.js';
import * as checker from './checker/index.js';
import * as model from './model/index.js';
import * as properties from './properties/index.js';
import * as lab from './lab/index.js';
import * as traces from './traces/index.js';
import * as validate from './validate/index.js';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The 2-broker config whose 2,733 states model/kafkaModel.test.ts pins; 911 with partial-order
 * reduction, which these properties allow (they ignore the network, so the split is left out).
 */
const SMALL: api.ConfigInput = {
  brokers: 2,
  replicationFactor: 2,
  minInsyncReplicas: 1,
  bounds: { records: 1, leaderEpochs: 2 },
};

describe('the root index', () => {
  const layers = { checker, model, properties, lab, traces, validate };
  for (const [name, layer] of Object.entries(layers))
    it(`re-exports every value ${name}/index.ts exports, as it is`, () => {
      const names = Object.keys(layer);
      expect(names.length).toBeGreaterThan(5);
      const exported: Record<string, unknown> = api;
      for (const n of names) expect(exported[n], n).toBe((layer as Record<string, unknown>)[n]);
    });

  it('exports nothing the layers do not (no name is lost to an ambiguous export *)', () => {
    const all = new Set(Object.values(layers).flatMap((l) => Object.keys(l)));
    expect(Object.keys(api).sort()).toEqual([...all].sort());
  });

  it('runs a check with nothing but its exports', () => {
    const cfg = api.resolveConfig(SMALL);
    const r = api.check(api.kafkaModel(cfg, api.clean), api.safetyProperties(cfg));
    expect(r.kind).toBe('ok');
    expect(r.stats.distinct).toBe(911);
  });
});

describe("import 'kafka-mc' (the package's own name, resolved by node through package.json exports)", () => {
  it('points at the compiled root index', () => {
    const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
      name: string;
      exports: Record<string, string>;
    };
    expect(pkg.name).toBe('kafka-mc');
    expect(pkg.exports['.']).toBe('./dist/index.js');
  });

  it('loads the build (`npm test` builds dist/ first) and runs a check', () => {
    const script = `
      const { check, kafkaModel, resolveConfig, clean, safetyProperties } = await import('kafka-mc');
      const cfg = resolveConfig(${JSON.stringify(SMALL)});
      const r = check(kafkaModel(cfg, clean), safetyProperties(cfg));
      process.stdout.write(JSON.stringify({ kind: r.kind, distinct: r.stats.distinct }));
    `;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ kind: 'ok', distinct: 911 });
  });
});
