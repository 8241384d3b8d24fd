/**
 * How the `kafka-mc` process ends (see the README's exit codes): SIGINT (Ctrl-C), SIGTERM and SIGHUP
 * stop a running search, which then prints what it has; the process then ends by that same signal, so
 * a shell sees 128 + its number (130, 143, 129), whether kafka-mc was started with `node bin/…`, the
 * installed bin or `npx` (whose `sh -c` wrapper reports a Ctrl-C as 130 whatever its child does). A
 * second signal ends the process at once. Outside a search (before it starts, in commands that compute
 * synchronously) a signal has its default effect: the process ends by it at once.
 *
 * A process started by bin/kafka-mc.js (the launcher, which re-executes node with a bigger heap) also
 * watches its launcher from a thread of its own: if the launcher dies (even by `kill -9`), it stops as
 * on SIGHUP, however busy its main thread is.
 */
import { Worker } from 'node:worker_threads';
import { constants } from 'node:os';
import { releaseAllCheckpointLocks } from '../checker/index.js';

/** The signals that stop a search and let it print what it has. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** Whether `x` (an abort reason) names a stop signal. */
export function isStopSignal(x: unknown): x is StopSignal {
  return typeof x === 'string' && (STOP_SIGNALS as readonly string[]).includes(x);
}

/** The exit status a shell reports for a process ended by `sig`: 128 + its number (130 for SIGINT). */
export function signalExitCode(sig: StopSignal): number {
  return 128 + constants.signals[sig];
}

/**
 * The exit code of a run whose `signal` was aborted: 128 + the stop signal's number (its reason; any
 * other reason counts as Ctrl-C), or undefined when it was not aborted.
 */
export function interruptedExitCode(signal: AbortSignal | undefined): number | undefined {
  if (!signal?.aborted) return undefined;
  return signalExitCode(isStopSignal(signal.reason) ? signal.reason : 'SIGINT');
}

/** How the summary names what interrupted a run. */
export function interruptedBy(signal: AbortSignal | undefined): string {
  const reason: unknown = signal?.reason;
  return isStopSignal(reason) && reason !== 'SIGINT' ? reason : 'Ctrl-C';
}

/** What the stop message says the signal was. */
function signalWords(sig: StopSignal): string {
  return sig === 'SIGINT'
    ? 'Ctrl-C'
    : sig === 'SIGHUP'
      ? 'SIGHUP (the terminal closed, or the process that started kafka-mc is gone)'
      : sig;
}

/** The lifecycle of one CLI process (see the file comment). */
export interface Lifecycle {
  /** Aborted (with the signal's name as reason) when a stop signal arrives during a search. */
  readonly signal: AbortSignal;
  /**
   * Makes stop signals stop the search instead of ending the process, from now until the process ends
   * (call when a search is about to start).
   */
  readonly catchSignals: () => void;
  /**
   * Ends the run with `code`, or, if a stop signal arrived, by that signal (as the shell convention
   * wants) once stdout and stderr are flushed.
   */
  readonly finish: (code: number) => Promise<void>;
}

/**
 * Sets up the lifecycle of the `kafka-mc` process: the stop signals (caught only while a search runs)
 * and, when `KAFKA_MC_LAUNCHER_PID` names the launcher, a thread that watches it.
 */
export function startLifecycle(write: (text: string) => void): Lifecycle {
  const controller = new AbortController();
  let stoppedBy: StopSignal | undefined;

  const onSignal = (sig: StopSignal): void => {
    if (stoppedBy !== undefined) {
      write(`\n${signalWords(sig)} again: quitting at once\n`);
      dieBy(sig);
    }
    stoppedBy = sig;
    write(
      `\n${signalWords(sig)}: stopping the search (${sig === 'SIGINT' ? 'Ctrl-C' : 'the signal'} again to quit at once)…\n`,
    );
    controller.abort(sig);
  };

  let catching = false;
  const catchSignals = (): void => {
    if (catching) return;
    catching = true;
    for (const sig of STOP_SIGNALS) process.on(sig, () => onSignal(sig));
  };

  const launcher = Number(process.env['KAFKA_MC_LAUNCHER_PID']);
  if (Number.isInteger(launcher) && launcher > 0) watchLauncher(launcher);

  return {
    signal: controller.signal,
    catchSignals,
    finish: async (code) => {
      process.exitCode = code;
      if (stoppedBy === undefined) return;
      await flush();
      dieBy(stoppedBy);
    },
  };
}

/** Waits until stdout and stderr have handed over what was written to them. */
function flush(): Promise<void> {
  const drained = (s: NodeJS.WriteStream): Promise<void> => new Promise((resolve) => s.write('', () => resolve()));
  return Promise.all([drained(process.stdout), drained(process.stderr)]).then(() => undefined);
}

/** Ends the process by `sig` (its default effect), as a shell expects of a program that was interrupted. */
export function dieBy(sig: StopSignal): never {
  releaseAllCheckpointLocks(); // no \`finally\` runs when the signal ends the process
  process.removeAllListeners(sig);
  process.kill(process.pid, sig);
  // The default action of the stop signals ends the process; should the signal be ignored (nohup), exit.
  process.exit(signalExitCode(sig));
}

/**
 * Watches the launcher from a thread (its main thread may be busy for minutes): when this process's
 * parent is no longer `launcher`, it sends itself SIGHUP. During a search that stops the search
 * (which prints what it has); otherwise SIGHUP ends the process at once.
 */
function watchLauncher(launcher: number): void {
  const code = `
const launcher = ${launcher};
const timer = setInterval(() => {
  if (process.ppid !== launcher) {
    clearInterval(timer);
    process.kill(process.pid, 'SIGHUP');
  }
}, 200);`;
  const watcher = new Worker(code, { eval: true });
  watcher.unref();
}
