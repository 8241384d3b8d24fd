/**
 * The CLI's exit codes (documented in `--help` and the README):
 * 0 every property holds and every reachability guard was reached, 1 a violation (including a guard that
 * was never reached: a vacuous pass), 2 a usage or configuration error, 3 an incomplete run (a bound, the
 * time limit or Ctrl-C stopped the search before it covered the state space).
 */
export const ExitCode = {
  ok: 0,
  violation: 1,
  usage: 2,
  incomplete: 3,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The help text's exit-code section (one source for `--help` and the README). */
export const EXIT_CODES_HELP = `Exit codes:
  0  every property holds and every reachability guard was reached
  1  a property is violated (or a reachability guard was never reached: the pass would be vacuous)
  2  usage or configuration error (unknown flag, property, rule or preset; impossible config; bad rule file)
  3  incomplete: a bound (--max-depth, --max-states, a state constraint), --time-limit or Ctrl-C stopped
     the search before it covered every reachable state`;

/** `fuzz`'s exit codes: sampling all the requested runs counts as done. */
export const FUZZ_EXIT_CODES_HELP = `Exit codes:
  0  no violation in any of the runs (sampling: not a proof)
  1  a property is violated
  2  usage or configuration error
  3  incomplete: --time-limit or Ctrl-C stopped the runs early`;
