import { describe, expect, it } from 'vitest';
import { captureStream } from './Io.js';
import { ProgressDisplay } from './progress.js';
import { editDistance, nearest } from './suggest.js';
import { formatDuration, parseDuration } from './format.js';
import { mergeInputs } from './effectiveConfig.js';

describe('suggest', () => {
  it('edit distance and the nearest plausible name', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(nearest('no-dataloss', ['single-leader', 'no-data-loss'])).toBe('no-data-loss');
    expect(nearest('zzzzzz', ['single-leader', 'no-data-loss'])).toBeUndefined();
  });
});

describe('durations', () => {
  it('parses --time-limit values', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('90')).toBe(90_000);
    expect(parseDuration('5x')).toBeUndefined();
    expect(formatDuration(61_000)).toBe('1 min 01 s');
  });
});

describe('config merge', () => {
  it('later inputs win, nested groups merge key by key', () => {
    expect(
      mergeInputs({ brokers: 3, faults: { crashes: 1 } }, { faults: { networkPartitions: 2 } }, { brokers: 4 }),
    ).toEqual({
      brokers: 4,
      faults: { crashes: 1, networkPartitions: 2 },
    });
  });
});

describe('progress', () => {
  const p = { generated: 10, distinct: 1234, depth: 7, queued: 56, elapsedMs: 2500, statesPerSecond: 493.6 };

  it('formats states, rate, depth, queue and a bar when the end is known', () => {
    const d = new ProgressDisplay(captureStream(true), { timeLimitMs: 10_000 });
    expect(d.line(p, true)).toBe('[#####---------------] 25%  1,234 distinct states  494/s  depth 7  queue 56  2.5 s');
    expect(d.line(p, false)).toBe('1,234 distinct states  494/s  depth 7  queue 56  2.5 s');
  });

  it('stays quiet during the first second and erases its line when done', () => {
    const tty = captureStream(true);
    const d = new ProgressDisplay(tty);
    d.update(p);
    d.done();
    expect(tty.text()).toBe('');
  });
});
