/**
 * amiwatch's exit codes, documented in `amiwatch --help` and docs/cli.md. Scripts branch on them,
 * so each number keeps its meaning across releases.
 */
export const exitCodes = {
  ok: 0,
  /** The answer is "no": the pattern does not match, the image failed, the server is unhealthy. */
  no: 1,
  /** The command line or an input is wrong (unknown flag, invalid pattern, unreadable file). */
  usage: 2,
  /** No amiwatch server answers at the endpoint. */
  unreachable: 3,
  /** The server refused a request (an AWS error such as ResourceNotFoundException). */
  refused: 4,
  /** A wait ran out of time (--timeout). */
  timeout: 5,
} as const;

export const exitCodeHelp = `Exit codes:
  0  success (test-pattern: the pattern matches)
  1  the answer is no: no match, the image failed, the server is unhealthy
  2  usage error: unknown flag, invalid pattern (AWS's message), unreadable file
  3  no amiwatch server answers at the endpoint (start one: amiwatch start)
  4  the server refused a request (the AWS error is printed)
  5  a wait ran out of time (--timeout)`;

/** An error the user can act on: what went wrong, what to do next, and the exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    readonly hint?: string,
  ) {
    super(message);
  }
}
