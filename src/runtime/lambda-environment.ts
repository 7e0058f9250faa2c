import { randomBytes } from 'node:crypto';
import type { RunnableFunction } from '../core/lambda/runner.js';

/**
 * A function process's environment: Lambda's defined runtime variables (lambda "Defined runtime
 * environment variables") and the function's own, and nothing inherited from the server, whose
 * environment may hold credentials a function must not see. With `endpointUrl`, an AWS SDK in the
 * function calls amiwatch; with `accountKeys` (a server that accepts any key) it gets the access
 * key `<its account id>`, so its calls act in the function's own account, as Lambda's execution
 * role credentials would.
 */
export function lambdaEnvironment(
  fn: RunnableFunction,
  codeDir: string,
  endpointUrl?: string,
  accountKeys = false,
): Record<string, string> {
  const now = new Date();
  const day = `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}/${String(now.getUTCDate()).padStart(2, '0')}`;
  return {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    NODE_PATH: codeDir,
    LAMBDA_TASK_ROOT: codeDir,
    LAMBDA_RUNTIME_DIR: codeDir,
    _HANDLER: fn.handler,
    AWS_REGION: fn.region,
    AWS_DEFAULT_REGION: fn.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_VERSION: fn.version ?? '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: `${day}/[${fn.version ?? '$LATEST'}]${randomBytes(16).toString('hex')}`,
    ...(endpointUrl !== undefined && { AWS_ENDPOINT_URL: endpointUrl }),
    ...(accountKeys && { AWS_ACCESS_KEY_ID: fn.accountId, AWS_SECRET_ACCESS_KEY: 'amiwatch' }),
    ...fn.environment,
  };
}
