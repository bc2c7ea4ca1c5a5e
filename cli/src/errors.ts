/**
 * How the command fails. Both carry a message meant for the person at the terminal: it names the
 * input or option at fault and, where there is one, the fix.
 */

/** A problem with the inputs or the environment (missing file, unreadable S3 prefix, no credentials): exit 1. */
export class CliError extends Error {
  readonly exitCode: number = 1;
}

/**
 * The output is complete for what could be read, but some inputs could not be (they were named on standard
 * error as they failed): exit 3, so a script can tell a partial report from a whole one.
 */
export class IncompleteError extends CliError {
  override readonly exitCode: number = 3;
}

/** The command line itself is wrong (unknown option, bad value, missing argument): exit 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
}

/** A short description of any thrown value, for messages. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const name = error.name && error.name !== 'Error' ? `${error.name}: ` : '';
    return `${name}${error.message}`;
  }
  return String(error);
}
