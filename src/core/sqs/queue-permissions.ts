import type { AddPermissionRequest, RemovePermissionRequest } from '@aws-sdk/client-sqs';
import { accountPrincipal, hasStatement, oneOrMany, readPolicy } from '../shared/policy-statements.js';
import type { Clock } from '../shared/clock.js';
import type { RequestContext } from '../shared/request-context.js';
import type { QueueEntry, SqsState } from './sqs-state.js';
import { SqsErrors } from '../generated/errors.js';

/**
 * The actions AddPermission may share (AddPermission API reference: "Only you, the owner of the
 * queue, can grant or deny permissions"; the shareable ones are these, or `*`).
 */
const SHAREABLE = new Set([
  '*',
  'SendMessage',
  'ReceiveMessage',
  'DeleteMessage',
  'ChangeMessageVisibility',
  'GetQueueAttributes',
  'GetQueueUrl',
  'ListDeadLetterSourceQueues',
  'PurgeQueue',
  'ListQueueTags',
  'StartMessageMoveTask',
  'ListMessageMoveTasks',
  'CancelMessageMoveTask',
]);

/** "A policy can have up to 7 actions per statement" (AddPermission API reference). */
const MAX_ACTIONS = 7;

/**
 * AddPermission / RemovePermission on a queue: a statement per label in its `Policy` attribute,
 * written as SQS writes it (`Principal.AWS` the accounts' root ARNs, `Action` `SQS:<name>`).
 */
export class QueuePermissions {
  constructor(
    private readonly state: SqsState,
    private readonly clock: Clock,
    private readonly resolve: (url: string | undefined, ctx: RequestContext, operation: string) => QueueEntry,
  ) {}

  async addPermission(ctx: RequestContext, input: AddPermissionRequest): Promise<void> {
    const q = this.resolve(input.QueueUrl, ctx, 'AddPermission');
    const label = input.Label ?? '';
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(label))
      throw SqsErrors.InvalidParameterValue(
        `Value ${label} for parameter Label is invalid. Reason: Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length.`,
      );
    const accounts = input.AWSAccountIds ?? [];
    const actions = input.Actions ?? [];
    if (accounts.length === 0) throw SqsErrors.MissingParameter('The request must contain the parameter AWSAccountIds.');
    if (actions.length === 0) throw SqsErrors.MissingParameter('The request must contain the parameter Actions.');
    if (actions.length > MAX_ACTIONS) throw SqsErrors.OverLimit(`${actions.length} Actions were found, maximum allowed is ${MAX_ACTIONS}.`);
    const bad = actions.find((a) => !SHAREABLE.has(a));
    if (bad)
      throw SqsErrors.InvalidParameterValue(
        `Value SQS:${bad} for parameter ActionName is invalid. Reason: Only the queue owner is allowed to invoke this action.`,
      );
    const policy = readPolicy(q.doc.attributes.Policy, () => ({
      Version: '2012-10-17',
      Id: `${q.doc.arn}/SQSDefaultPolicy`,
      Statement: [],
    }));
    if (hasStatement(policy, label))
      throw SqsErrors.InvalidParameterValue(`Value ${label} for parameter Label is invalid. Reason: Already exists.`);
    policy.Statement.push({
      Sid: label,
      Effect: 'Allow',
      Principal: { AWS: oneOrMany(accounts.map(accountPrincipal)) },
      Action: oneOrMany(actions.map((a) => `SQS:${a}`)),
      Resource: q.doc.arn,
    });
    await this.state.putQueue({
      ...q.doc,
      attributes: { ...q.doc.attributes, Policy: JSON.stringify(policy) },
      updatedAt: this.clock.now(),
    });
  }

  async removePermission(ctx: RequestContext, input: RemovePermissionRequest): Promise<void> {
    const q = this.resolve(input.QueueUrl, ctx, 'RemovePermission');
    const label = input.Label ?? '';
    const policy = readPolicy(q.doc.attributes.Policy, () => ({ Statement: [] }));
    if (!hasStatement(policy, label))
      throw SqsErrors.InvalidParameterValue(`Value ${label} for parameter Label is invalid. Reason: can't find label on existing policy.`);
    const kept = policy.Statement.filter((s) => s.Sid !== label);
    const attributes = { ...q.doc.attributes };
    // The last statement gone, the queue has no policy again.
    if (kept.length === 0) delete attributes.Policy;
    else attributes.Policy = JSON.stringify({ ...policy, Statement: kept });
    await this.state.putQueue({ ...q.doc, attributes, updatedAt: this.clock.now() });
  }
}
