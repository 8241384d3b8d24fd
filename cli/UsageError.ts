/**
 * A user error: bad flag value, unknown name, impossible config, unreadable file, misbehaving rule.
 * The CLI prints its message (and each listed problem) without a stack trace and exits with code 2.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** Every problem found, one line each (the message is the headline). */
  readonly problems: readonly string[];

  constructor(message: string, problems: readonly string[] = []) {
    super(message);
    this.problems = problems;
  }
}
