/**
 * Preloaded into each `kafka-mc check` child of `bench/scale.ts` (`node --import …/peakRss.js`): when
 * the process exits, it writes its peak resident set size (`process.resourceUsage().maxRSS`, KiB, the
 * whole process with its worker threads) to stderr as one marked line, which the benchmark reads.
 */
import { writeSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import { PEAK_RSS_MARK } from './peakRssMark.js';

if (isMainThread)
  process.on('exit', () => {
    writeSync(2, `\n${PEAK_RSS_MARK}${process.resourceUsage().maxRSS}\n`);
  });
