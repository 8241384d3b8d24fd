import type { Progress, ProgressListener } from '../checker/index.js';
import type { OutStream } from './Io.js';
import { formatCount, formatDuration } from './format.js';

/** What the progress display knows about the run's end. */
export interface ProgressGoal {
  /** Fuzzing: the number of runs (the display counts runs done from `queued`). */
  readonly runs?: number;
  /** A time limit, shown as a bar when nothing better is known. */
  readonly timeLimitMs?: number;
}

/**
 * Progress of a long run on stderr. On a terminal: one status line redrawn in place (states, states/s,
 * depth, queue, elapsed; a bar when the run's end is known), shown only after the first second so that
 * short runs stay quiet, and erased when the run ends. Elsewhere (CI logs, pipes): a plain line every
 * `plainEveryMs` (10 s by default).
 *
 * Hand-written rather than cli-progress: the exhaustive search has no known total, so a bar library's
 * main feature does not apply; a single redrawn line, its erasure and the non-TTY fallback are a few
 * lines, and the display stays testable against a captured stream.
 */
export class ProgressDisplay {
  private readonly started = Date.now();
  private lastDraw = 0;
  private drawn = false;
  private readonly plainEveryMs: number;

  constructor(
    private readonly stream: OutStream,
    private readonly goal: ProgressGoal = {},
    options: { readonly plainEveryMs?: number; readonly noun?: string } = {},
  ) {
    this.plainEveryMs = options.plainEveryMs ?? 10_000;
    this.noun = options.noun ?? 'states';
  }

  private readonly noun: string;

  /** The listener to hand to the engine. */
  readonly listener: ProgressListener = (p) => this.update(p);

  update(p: Progress): void {
    const now = Date.now();
    if (this.stream.isTTY) {
      if (now - this.started < 1000 || now - this.lastDraw < 100) return;
      this.lastDraw = now;
      const line = this.line(p, true);
      const width = Math.max(20, (this.stream.columns ?? 80) - 1);
      this.stream.write(`\r\x1b[K${line.length > width ? line.slice(0, width) : line}`);
      this.drawn = true;
    } else {
      if (now - this.lastDraw < this.plainEveryMs || now - this.started < this.plainEveryMs) return;
      this.lastDraw = now;
      this.stream.write(`progress: ${this.line(p, false)}\n`);
    }
  }

  /** Erases the status line (call before printing results). */
  done(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }

  /** The status text of one progress event. */
  line(p: Progress, bar: boolean): string {
    const parts: string[] = [];
    const fraction = this.fraction(p);
    if (bar && fraction !== undefined) {
      const n = 20;
      const full = Math.round(fraction * n);
      parts.push(`[${'#'.repeat(full)}${'-'.repeat(n - full)}] ${Math.floor(fraction * 100)}%`);
    }
    if (this.goal.runs !== undefined)
      parts.push(`runs ${formatCount(Math.max(0, this.goal.runs - p.queued))}/${formatCount(this.goal.runs)}`);
    parts.push(`${formatCount(p.distinct)} distinct ${this.noun}`);
    parts.push(`${formatCount(Math.round(p.statesPerSecond))}/s`);
    parts.push(`depth ${p.depth}`);
    if (this.goal.runs === undefined) parts.push(`queue ${formatCount(p.queued)}`);
    parts.push(formatDuration(p.elapsedMs));
    return parts.join('  ');
  }

  private fraction(p: Progress): number | undefined {
    if (this.goal.runs !== undefined && this.goal.runs > 0)
      return Math.min(1, Math.max(0, (this.goal.runs - p.queued) / this.goal.runs));
    if (this.goal.timeLimitMs !== undefined && this.goal.timeLimitMs > 0)
      return Math.min(1, p.elapsedMs / this.goal.timeLimitMs);
    return undefined;
  }
}
