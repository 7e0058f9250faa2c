import { GetTopicAttributesCommand, SetTopicAttributesCommand, type SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { parseArn } from '../core/shared/arn.js';
import { allowsEventBridge } from '../core/events/target-access.js';
import { statementId } from '@amiwatch/shared';

/**
 * A rule's SNS topic or SQS queue target gets the statement AWS's console adds to its policy
 * ("Allow events.amazonaws.com sns:Publish / sqs:SendMessage, ArnEquals aws:SourceArn = the
 * rule"), unless a statement already allows it (the server's own check decides). Without it
 * every delivery fails with NO_PERMISSIONS, on AWS and on amiwatch.
 */
export type Grant = 'added' | 'present' | 'missing';

export async function grantTargetDelivery(
  topics: SNSClient,
  queues: SQSClient,
  targetArn: string,
  ruleArn: string,
  targetId: string,
): Promise<Grant | null> {
  const arn = parseArn(targetArn);
  if (!arn || (arn.service !== 'sns' && arn.service !== 'sqs')) return null;
  const account = parseArn(ruleArn)?.account ?? '';
  const sns = arn.service === 'sns';
  const action = sns ? 'sns:Publish' : 'sqs:SendMessage';
  const store = sns ? topicPolicy(topics, targetArn) : await queuePolicy(queues, arn.resource, arn.account);
  if (!store) return 'missing';
  const policy = await store.read();
  if (policy === null) return 'missing';
  if (allowsEventBridge(policy, { action, resourceArn: targetArn }, { ruleArn, account })) return 'present';
  const doc = policy ? (JSON.parse(policy) as { Version?: string; Statement?: unknown[] }) : { Version: '2012-10-17', Statement: [] };
  const statement = {
    Sid: statementId(ruleArn, targetId),
    Effect: 'Allow',
    Principal: { Service: 'events.amazonaws.com' },
    Action: action,
    Resource: targetArn,
    Condition: { ArnEquals: { 'aws:SourceArn': ruleArn } },
  };
  await store.write(JSON.stringify({ ...doc, Statement: [...(Array.isArray(doc.Statement) ? doc.Statement : []), statement] }));
  return 'added';
}

interface PolicyStore {
  /** The policy text ('' when none), or null when the resource does not exist. */
  read(): Promise<string | null>;
  write(policy: string): Promise<void>;
}

const notFound = (err: unknown, ...names: string[]) => names.includes((err as { name?: string }).name ?? '');

function topicPolicy(client: SNSClient, TopicArn: string): PolicyStore {
  return {
    read: () =>
      client.send(new GetTopicAttributesCommand({ TopicArn })).then(
        (r) => r.Attributes?.Policy ?? '',
        (err: unknown) => (notFound(err, 'NotFoundException', 'NotFound') ? null : Promise.reject(err)),
      ),
    write: async (Policy) =>
      void (await client.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'Policy', AttributeValue: Policy }))),
  };
}

async function queuePolicy(client: SQSClient, QueueName: string, owner: string): Promise<PolicyStore | null> {
  const url = await client.send(new GetQueueUrlCommand({ QueueName, QueueOwnerAWSAccountId: owner })).then(
    (r) => r.QueueUrl!,
    (err: unknown) => (notFound(err, 'QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue') ? null : Promise.reject(err)),
  );
  if (!url) return null;
  return {
    read: () =>
      client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Policy'] })).then((r) => r.Attributes?.Policy ?? ''),
    write: async (Policy) => void (await client.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy } }))),
  };
}
