/**
 * CreateFunction's rules that the console checks as you type and the server enforces: one copy,
 * so what the form accepts is what the server accepts. The server's error texts stay in core
 * (src/core/lambda); the console words its own hints.
 */

/**
 * The runtimes amiwatch runs: Node.js only, since functions are child processes of the server on
 * its own Node.js (docs/lambda.md). Lambda's deprecated Node.js ids are refused by core.
 */
export const LAMBDA_RUNTIMES: readonly string[] = ['nodejs20.x', 'nodejs22.x', 'nodejs24.x'];

/** MemorySize, MB, and Timeout, seconds: Lambda API reference and "Lambda quotas". */
export const LAMBDA_MEMORY = { min: 128, max: 10_240, default: 128 } as const;
export const LAMBDA_TIMEOUT = { min: 1, max: 900, default: 3 } as const;

/** A bare function name as CreateFunction takes it: 1–64 letters, digits, hyphens, underscores. */
export const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** Handler: `[^\s]+` (the Lambda API model's Handler shape), at most 128 characters. */
export const HANDLER = /^[^\s]+$/;
export const MAX_HANDLER = 128;

/** Environment variable keys (the API model's map key pattern): a letter, then at least one more. */
export const ENV_KEY = /^[a-zA-Z]([a-zA-Z0-9_])+$/;

/** Keys Lambda sets itself and refuses in a function's configuration. */
export const RESERVED_ENV_KEY =
  /^(_HANDLER|_X_AMZN_TRACE_ID|AWS_REGION|AWS_EXECUTION_ENV|AWS_LAMBDA_[A-Z_]+|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|LAMBDA_TASK_ROOT|LAMBDA_RUNTIME_DIR)$/;
