/**
 * CreateFunction's rules that the console checks as you type and the server enforces: one copy,
 * so what the form accepts is what the server accepts. The server's error texts stay in core
 * (src/core/lambda); the console words its own hints.
 */

/**
 * The runtimes amiwatch runs: Node.js on the server's own Node.js (functions are child processes
 * of the server) and Python on an interpreter the server finds at start (docs/lambda.md).
 */
export const NODE_RUNTIMES: readonly string[] = ['nodejs20.x', 'nodejs22.x', 'nodejs24.x'];
export const PYTHON_RUNTIMES: readonly string[] = ['python3.11', 'python3.12', 'python3.13'];
export const LAMBDA_RUNTIMES: readonly string[] = [...NODE_RUNTIMES, ...PYTHON_RUNTIMES];

export const isPythonRuntime = (runtime: string | undefined): boolean => runtime?.startsWith('python') === true;

/**
 * Runtimes Lambda has deprecated and no longer lets a function be created or updated with
 * (nodejs18.x: deprecated 2025-09-01; python3.8: deprecated 2024-10-14, creates and updates
 * blocked since). Core refuses them with Lambda's own text; a function stored earlier keeps running.
 */
export const DEPRECATED_LAMBDA_RUNTIMES: readonly string[] = [
  'nodejs',
  'nodejs4.3',
  'nodejs4.3-edge',
  'nodejs6.10',
  'nodejs8.10',
  'nodejs10.x',
  'nodejs12.x',
  'nodejs14.x',
  'nodejs16.x',
  'nodejs18.x',
  'python2.7',
  'python3.6',
  'python3.7',
  'python3.8',
];

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
