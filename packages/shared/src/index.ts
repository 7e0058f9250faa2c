/**
 * @amiwatch/shared: what amiwatch's server, console and CLI must agree on, written once: Lambda's
 * resource-based policy rules (statement ids, the invoke check, granting) and CreateFunction's
 * constraints. No dependencies and no I/O (the caller's client does the calls), so the browser
 * bundle and the Node.js server import the same code.
 */
export { allowsService } from './allows-service.js';
export { arnLike } from './arn-like.js';
export { allowsRule, grantInvoke, isFunctionArn, type PolicyApi } from './grant-invoke.js';
export { EVENTS_PRINCIPAL, type PolicyStatement } from './policy-statement.js';
export { MAX_STATEMENT_ID, statementId } from './statement-id.js';
export {
  DEPRECATED_LAMBDA_RUNTIMES,
  ENV_KEY,
  FUNCTION_NAME,
  HANDLER,
  isPythonRuntime,
  LAMBDA_MEMORY,
  LAMBDA_RUNTIMES,
  LAMBDA_TIMEOUT,
  MAX_HANDLER,
  NODE_RUNTIMES,
  PYTHON_RUNTIMES,
  RESERVED_ENV_KEY,
} from './lambda-function-rules.js';
