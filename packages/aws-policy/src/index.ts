/**
 * @amiwatch/aws-policy: what amiwatch's server, console and CLI need to agree on about Lambda's
 * resource-based policies. No dependencies and no I/O (the caller's client does the calls), so
 * the browser bundle and the Node.js server import the same code.
 */
export { allowsService } from './allows-service.js';
export { arnLike } from './arn-like.js';
export { allowsRule, grantInvoke, isFunctionArn, type PolicyApi } from './grant-invoke.js';
export { EVENTS_PRINCIPAL, type PolicyStatement } from './policy-statement.js';
export { MAX_STATEMENT_ID, statementId } from './statement-id.js';
