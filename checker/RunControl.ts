import type { IncompleteReason } from './result.js';
import type { ProgressListener } from './reporter.js';

/** The counters a search reports in progress events. */
export interface SearchCounters {
  readonly generated: number;
  readonly distinct: number;
  readonly depth: number;
  readonly queued: number;
}

/**
 * The periodic housekeeping every search loop does: every 1024 expanded states it checks the time
 * limit and the abort signal and, at most once per interval, emits a progress event. One
 * implementation for the exhaustive engine and the graph explorer behind liveness.
 */
export class RunControl {
  readonly start = Date.now();
  private lastProgress = this.start;
  private sinceCheck = 0;

  constructor(
    private readonly options: {
      readonly timeLimitMs?: number;
      readonly signal?: AbortSignal;
      readonly onProgress?: ProgressListener;
      readonly progressIntervalMs?: number;
    },
  ) {}

  /** Call once per expanded state; returns why the search must stop now, if it must. */
  tick(counters: () => SearchCounters): IncompleteReason | undefined {
    if (++this.sinceCheck < 1024) return undefined;
    this.sinceCheck = 0;
    const now = Date.now();
    if (this.options.timeLimitMs !== undefined && now - this.start >= this.options.timeLimitMs) return 'time-limit';
    if (this.options.signal?.aborted) return 'interrupted';
    const interval = this.options.progressIntervalMs ?? 1000;
    if (this.options.onProgress && now - this.lastProgress >= interval) {
      this.lastProgress = now;
      const c = counters();
      const elapsedMs = now - this.start;
      this.options.onProgress({ ...c, elapsedMs, statesPerSecond: (c.distinct * 1000) / Math.max(1, elapsedMs) });
    }
    return undefined;
  }

  /** Milliseconds since the search started. */
  elapsed(): number {
    return Date.now() - this.start;
  }
}
