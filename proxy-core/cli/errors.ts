// Two kinds of failure the CLI reports in words and an exit code, never a stack trace.

/** The command line itself is wrong (bad flag, bad value): exit 2, like most Unix tools. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly exitCode = 2;
}

/** The command line was fine but the work failed (port taken, file unreadable): exit 1. */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly exitCode = 1;
}
