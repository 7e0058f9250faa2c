/**
 * The wizard grants EventBridge the right to invoke a rule's Lambda targets as AWS's console does;
 * the statement ids and the "already allowed" check are the ones `amiwatch start --init` and the
 * server use, from the shared package.
 */
export { EVENTS_PRINCIPAL, allowsRule, grantInvoke, isFunctionArn, statementId, type PolicyApi } from '@amiwatch/shared';
