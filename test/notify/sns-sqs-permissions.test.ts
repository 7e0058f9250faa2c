import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, it } from 'node:test';
import {
  AddPermissionCommand as SnsAddPermission,
  CreateTopicCommand,
  GetTopicAttributesCommand,
  RemovePermissionCommand as SnsRemovePermission,
  type SNSClient,
} from '@aws-sdk/client-sns';
import {
  AddPermissionCommand as SqsAddPermission,
  CreateQueueCommand,
  GetQueueAttributesCommand,
  RemovePermissionCommand as SqsRemovePermission,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';
import { awsCliEnv, awsCliSkip, awsCliV2 as AWS } from '../support/aws-cli.js';
import { snsClient, sqsClient } from './helpers.js';

/** SNS and SQS AddPermission / RemovePermission through the real SDK clients and the AWS CLI. */
let app: App;
let sns: SNSClient;
let sqs: SQSClient;
before(async () => {
  app = await startTestServer();
  sns = snsClient(app);
  sqs = sqsClient(app);
});
after(async () => {
  sns.destroy();
  sqs.destroy();
  await app.close();
});

const rejects = (p: Promise<unknown>, code: string, message: string) =>
  assert.rejects(p, (e: Error) => (assert.equal(e.name, code), assert.equal(e.message, message), true));
type Statement = { Sid: string; Principal: { AWS: string | string[] }; Action: string | string[]; Resource: string };

it('SNS: AddPermission adds a statement to the topic policy (beside the default one); RemovePermission takes it out', async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'shared' }));
  await sns.send(
    new SnsAddPermission({ TopicArn, Label: 'partners', AWSAccountId: ['111122223333', '444455556666'], ActionName: ['Publish'] }),
  );
  const policy = async () =>
    JSON.parse((await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes!.Policy!) as { Statement: Statement[] };
  const added = (await policy()).Statement.find((s) => s.Sid === 'partners')!;
  assert.deepEqual(added, {
    Sid: 'partners',
    Effect: 'Allow',
    Principal: { AWS: ['arn:aws:iam::111122223333:root', 'arn:aws:iam::444455556666:root'] },
    Action: 'SNS:Publish',
    Resource: TopicArn,
  } as unknown as Statement);
  assert.ok(
    (await policy()).Statement.some((s) => s.Sid === '__default_statement_ID'),
    'the default statement stays',
  );
  await rejects(
    sns.send(new SnsAddPermission({ TopicArn, Label: 'partners', AWSAccountId: ['111122223333'], ActionName: ['Publish'] })),
    'InvalidParameterException',
    'Invalid parameter: Statement already exists',
  );
  await rejects(
    sns.send(new SnsAddPermission({ TopicArn, Label: 'x', AWSAccountId: ['111122223333'], ActionName: ['CreateTopic'] })),
    'InvalidParameterException',
    'Invalid parameter: Policy statement action out of service scope!',
  );
  await sns.send(new SnsRemovePermission({ TopicArn, Label: 'partners' }));
  assert.equal(
    (await policy()).Statement.some((s) => s.Sid === 'partners'),
    false,
  );
  await rejects(
    sns.send(
      new SnsAddPermission({
        TopicArn: 'arn:aws:sns:us-east-1:000000000000:nope',
        Label: 'x',
        AWSAccountId: ['111122223333'],
        ActionName: ['Publish'],
      }),
    ),
    'NotFoundException',
    'Topic does not exist',
  );
});

it("SQS: AddPermission writes the queue Policy as SQS does; errors in SQS's words; the last RemovePermission removes the policy", async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'shared' }));
  await sqs.send(
    new SqsAddPermission({ QueueUrl, Label: 'senders', AWSAccountIds: ['111122223333'], Actions: ['SendMessage', 'GetQueueAttributes'] }),
  );
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['Policy'] }));
  const policy = JSON.parse(attrs.Attributes!.Policy!) as { Id: string; Statement: Statement[] };
  assert.equal(policy.Id, 'arn:aws:sqs:us-east-1:000000000000:shared/SQSDefaultPolicy');
  assert.deepEqual(policy.Statement[0], {
    Sid: 'senders',
    Effect: 'Allow',
    Principal: { AWS: 'arn:aws:iam::111122223333:root' },
    Action: ['SQS:SendMessage', 'SQS:GetQueueAttributes'],
    Resource: 'arn:aws:sqs:us-east-1:000000000000:shared',
  } as unknown as Statement);
  await rejects(
    sqs.send(new SqsAddPermission({ QueueUrl, Label: 'senders', AWSAccountIds: ['111122223333'], Actions: ['SendMessage'] })),
    'InvalidParameterValue',
    'Value senders for parameter Label is invalid. Reason: Already exists.',
  );
  await rejects(
    sqs.send(new SqsAddPermission({ QueueUrl, Label: 'owner', AWSAccountIds: ['111122223333'], Actions: ['DeleteQueue'] })),
    'InvalidParameterValue',
    'Value SQS:DeleteQueue for parameter ActionName is invalid. Reason: Only the queue owner is allowed to invoke this action.',
  );
  await sqs.send(new SqsRemovePermission({ QueueUrl, Label: 'senders' }));
  assert.equal((await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['Policy'] }))).Attributes?.Policy, undefined);
  await rejects(
    sqs.send(new SqsRemovePermission({ QueueUrl, Label: 'senders' })),
    'InvalidParameterValue',
    "Value senders for parameter Label is invalid. Reason: can't find label on existing policy.",
  );
});

it('both through the AWS CLI (awsQuery)', { skip: awsCliSkip }, async () => {
  const run = (...args: string[]) =>
    promisify(execFile)(AWS, ['--endpoint-url', app.url, '--output', 'json', ...args], { env: awsCliEnv() });
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'cli-shared' }));
  await run(
    'sqs',
    'add-permission',
    '--queue-url',
    QueueUrl!,
    '--label',
    'cli',
    '--aws-account-ids',
    '111122223333',
    '--actions',
    'SendMessage',
  );
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'cli-shared' }));
  await run(
    'sns',
    'add-permission',
    '--topic-arn',
    TopicArn!,
    '--label',
    'cli',
    '--aws-account-id',
    '111122223333',
    '--action-name',
    'Publish',
  );
  assert.match(
    (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['Policy'] }))).Attributes!.Policy!,
    /"Sid":"cli"/,
  );
  assert.match((await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes!.Policy!, /"Sid":"cli"/);
  await run('sqs', 'remove-permission', '--queue-url', QueueUrl!, '--label', 'cli');
  await run('sns', 'remove-permission', '--topic-arn', TopicArn!, '--label', 'cli');
});
