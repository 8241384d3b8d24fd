/** Where a CLI run writes and what it knows about its surroundings; tests pass captured streams. */
export interface Io {
  readonly stdout: OutStream;
  readonly stderr: OutStream;
  /** Directory relative paths are resolved against. */
  readonly cwd: string;
  /** Environment (NO_COLOR, CI, …). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * Aborted when a stop signal arrives during a search (its reason is the signal's name, e.g.
   * `'SIGTERM'`; any other reason counts as Ctrl-C): the search stops and reports what it has.
   */
  readonly signal?: AbortSignal;
  /**
   * Makes SIGINT, SIGTERM and SIGHUP abort `signal` instead of ending the process, until it ends.
   * Called when a search is about to start (the real CLI; tests abort `signal` themselves).
   */
  readonly catchSignals?: () => void;
  /**
   * Run single-threaded searches in a worker thread (default true in the real CLI) so that Ctrl-C can
   * reach a search loop that never yields; tests run them inline. Needs the compiled `dist/`.
   */
  readonly searchInWorker?: boolean;
  /** Opens a file in the user's browser (`view --open`); defaults to the platform's opener. */
  readonly openFile?: (path: string) => Promise<void>;
}

/** What every command gets: where to write, and the words it was called with (for traces). */
export interface CliContext {
  readonly io: Io;
  readonly argv: readonly string[];
}

/** ANSI colours on a terminal, unless NO_COLOR is set (https://no-color.org). */
export function useColor(io: Io): boolean {
  return io.stdout.isTTY && io.env['NO_COLOR'] === undefined;
}

/** A text sink with what a progress display needs to know about it. */
export interface OutStream {
  write(text: string): void;
  /** Whether it is an interactive terminal (progress bar vs. plain periodic lines). */
  readonly isTTY: boolean;
  /** Terminal width, when known. */
  readonly columns?: number;
}

/** A captured stream, for tests. */
export function captureStream(isTTY = false): OutStream & { readonly text: () => string } {
  const parts: string[] = [];
  return {
    isTTY,
    columns: 100,
    write: (t: string) => void parts.push(t),
    text: () => parts.join(''),
  };
}
