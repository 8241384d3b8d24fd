import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTrace } from './io.js';
import { describeReplay, meetsExpectation, replayTrace } from './replay.js';
import { builtinRuleResolver } from './ruleRef.js';
import { regressionsDir } from './Trace.js';

// Every committed regression is replayed; adding a file (e.g. with `kafka-mc pin`) needs no code here.
const dir = regressionsDir();
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.trace.json'))
  .sort();

describe('traces/regressions', () => {
  it('holds the known bugs', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });

  it.each(files)('%s replays as its expectation says', async (file) => {
    const loaded = loadTrace(join(dir, file));
    if (!loaded.ok) throw new Error(loaded.error);
    const trace = loaded.value;
    const report = await replayTrace(trace, builtinRuleResolver);
    if (!meetsExpectation(report, trace.expectation))
      throw new Error(
        `${file} is expected to ${trace.expectation === 'fixed' ? 'no longer reproduce' : 'reproduce'}, but: ${describeReplay(report)}\n` +
          'If the model changed on purpose, re-record it (npx tsx traces/recordRegressions.ts --force, or kafka-mc check … and kafka-mc pin).',
      );
    // the failing part named at the end is still the recorded one
    if (report.kind === 'reproduces') expect(trace.detail.startsWith(report.detail.split('; ')[0] ?? '')).toBe(true);
  });
});
