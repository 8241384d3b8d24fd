/** A progress snapshot emitted while a run is under way. */
export interface Progress {
  readonly generated: number;
  readonly distinct: number;
  readonly depth: number;
  readonly queued: number;
  readonly elapsedMs: number;
  readonly statesPerSecond: number;
}

/** Receives progress events (the CLI's progress bar implements it). */
export type ProgressListener = (p: Progress) => void;
