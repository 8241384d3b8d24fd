import type { CheckResult } from '../checker/index.js';

/**
 * The CLI's exit codes (documented in `--help` and the README):
 * 0 every property holds and every reachability guard was reached, 1 a violation (including a guard that
 * was never reached: a vacuous pass), 2 a usage or configuration error, 3 an incomplete run (a bound or
 * the time limit stopped the search before it covered the state space, or a bitstate search, which may
 * skip states, found no violation). A stop signal ends the process by
 * that signal once the partial results are printed: status 128 + its number (see lifecycle.ts).
 */
export const ExitCode = {
  ok: 0,
  violation: 1,
  usage: 2,
  incomplete: 3,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The exit code of a finished run. */
export function exitCodeOf(result: CheckResult, command: 'check' | 'fuzz'): number {
  switch (result.kind) {
    case 'ok':
      return ExitCode.ok;
    case 'violation':
      return ExitCode.violation;
    case 'incomplete':
      // A fuzz run that did all its runs is as complete as sampling gets.
      return command === 'fuzz' && result.reasons.every((r) => r === 'sampled') ? ExitCode.ok : ExitCode.incomplete;
    case 'error':
      return ExitCode.usage;
  }
}

/** The help text's exit-code section (one source for `--help` and the README). */
export const EXIT_CODES_HELP = `Exit codes:
  0  every property holds and every reachability guard was reached
  1  a property is violated (or a reachability guard was never reached: the pass would be vacuous)
  2  usage or configuration error (unknown flag, property, rule or preset; impossible config; bad rule file)
  3  incomplete: a bound (--max-depth, --max-states, a state constraint) or --time-limit stopped the
     search before it covered every reachable state, or a --bitstate search found no violation (it may
     have skipped states: never a proof)
  130, 143, 129  Ctrl-C (SIGINT), SIGTERM or SIGHUP stopped the search: what it found so far is printed,
     then kafka-mc ends by that signal (a second one quits at once)`;

/** `fuzz`'s exit codes: sampling all the requested runs counts as done. */
export const FUZZ_EXIT_CODES_HELP = `Exit codes:
  0  no violation in any of the runs (sampling: not a proof)
  1  a property is violated
  2  usage or configuration error
  3  incomplete: --time-limit stopped the runs early
  130, 143, 129  Ctrl-C (SIGINT), SIGTERM or SIGHUP stopped the runs: what they found is printed, then
     kafka-mc ends by that signal (a second one quits at once)`;
