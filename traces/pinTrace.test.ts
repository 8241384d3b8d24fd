import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTrace } from './io.js';
import { pinTrace, regressionName } from './pinTrace.js';
import { regressionsDir } from './Trace.js';

const dir = mkdtempSync(join(tmpdir(), 'kafka-mc-pin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const source = join(dir, 'found.trace.json');
copyFileSync(join(regressionsDir(), 'acks1-leader-crash-data-loss.trace.json'), source);
const target = join(dir, 'regressions');

describe('pinTrace', () => {
  it('copies a trace into the regressions folder under a default name', () => {
    const r = pinTrace(source, { dir: target });
    const loaded = loadTrace(source);
    if (!loaded.ok) throw new Error(loaded.error);
    const name = regressionName(loaded.value);
    expect(name).toMatch(/^no-data-loss-clean-[0-9a-f]{8}$/);
    expect(r).toEqual({ ok: true, value: join(target, `${name}.trace.json`) });
    expect(readFileSync(join(target, `${name}.trace.json`), 'utf8')).toBe(readFileSync(source, 'utf8'));
  });

  it('never overwrites an existing regression', () => {
    const first = pinTrace(source, { dir: target, name: 'acks1' });
    expect(first.ok).toBe(true);
    const again = pinTrace(source, { dir: target, name: 'acks1', expectation: 'fixed' });
    expect(again.ok).toBe(false);
    if (!again.ok) expect(again.error).toMatch(/a regression named "acks1" already exists .*choose another --name/);
    const kept = loadTrace(join(target, 'acks1.trace.json'));
    expect(kept.ok && kept.value.expectation).toBe('reproduces');
  });

  it('records the expectation it is given', () => {
    const r = pinTrace(source, { dir: target, name: 'acks1-fixed', expectation: 'fixed' });
    if (!r.ok) throw new Error(r.error);
    const pinned = loadTrace(r.value);
    expect(pinned.ok && pinned.value.expectation).toBe('fixed');
  });

  it('rejects bad names and bad traces', () => {
    const bad = pinTrace(source, { dir: target, name: '../escape' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatch(/must be kebab-case/);
    const missing = pinTrace(join(dir, 'nope.json'), { dir: target });
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.error).toMatch(/does not exist/);
    expect(readdirSync(target).sort()).toEqual(expect.arrayContaining(['acks1.trace.json', 'acks1-fixed.trace.json']));
    expect(readdirSync(target).some((f) => f.endsWith('.tmp'))).toBe(false);
  });
});
