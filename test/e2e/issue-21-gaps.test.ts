import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, it } from 'node:test';
import { DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateTopicCommand,
  ListTagsForResourceCommand,
  PublishCommand,
  SubscribeCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type SNSClient,
} from '@aws-sdk/client-sns';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import type { App } from '../../src/server/app.js';
import { awsCliEnv, awsCliSkip, awsCliV2 as AWS } from '../support/aws-cli.js';
import { inProcess } from '../support/in-process.js';
import { snsClient, sqsClient } from '../notify/helpers.js';
import { startTestServer } from './helpers.js';

/** SNS, EC2 and routing gaps an outside test suite found (issue 21), each through a real client. */
let app: App;
let sns: SNSClient;
before(async () => {
  app = await startTestServer();
  sns = snsClient(app);
});
after(async () => {
  sns.destroy();
  await app.close();
});

const rejects = (p: Promise<unknown>, code: string, message: string) =>
  assert.rejects(p, (e: Error) => (assert.equal(e.name, code), assert.equal(e.message, message), true));

it('SNS: SMS needs an E.164 number and at most 1,600 characters', async () => {
  await rejects(
    sns.send(new PublishCommand({ PhoneNumber: '0123456', Message: 'hi' })),
    'InvalidParameterException',
    'Invalid parameter: PhoneNumber Reason: 0123456 is not valid to publish to',
  );
  await rejects(
    sns.send(new PublishCommand({ PhoneNumber: '+15555550100', Message: 'x'.repeat(1601) })),
    'InvalidParameterException',
    'Invalid parameter: Message too long',
  );
  assert.ok((await sns.send(new PublishCommand({ PhoneNumber: '+15555550100', Message: 'x'.repeat(1600) }))).MessageId);
});

it('SNS: tag calls on a missing topic say ResourceNotFound', async () => {
  const ResourceArn = 'arn:aws:sns:us-east-1:000000000000:nope';
  await rejects(
    sns.send(new TagResourceCommand({ ResourceArn, Tags: [{ Key: 'a', Value: 'b' }] })),
    'ResourceNotFoundException',
    'Resource does not exist',
  );
  await rejects(
    sns.send(new UntagResourceCommand({ ResourceArn, TagKeys: ['a'] })),
    'ResourceNotFoundException',
    'Resource does not exist',
  );
  await rejects(sns.send(new ListTagsForResourceCommand({ ResourceArn })), 'ResourceNotFoundException', 'Resource does not exist');
});

it('SNS: subscribing an endpoint again with different attributes is refused', async () => {
  const sqs = sqsClient(app);
  await sqs.send(new CreateQueueCommand({ QueueName: 'resub' }));
  sqs.destroy();
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'resub' }));
  const Endpoint = 'arn:aws:sqs:us-east-1:000000000000:resub';
  const first = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint, Attributes: { RawMessageDelivery: 'true' } }));
  const same = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint, Attributes: { RawMessageDelivery: 'true' } }));
  assert.equal(same.SubscriptionArn, first.SubscriptionArn, 'the same attributes: the same subscription');
  await rejects(
    sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint, Attributes: { RawMessageDelivery: 'false' } })),
    'InvalidParameterException',
    'Invalid parameter: Attributes Reason: Subscription already exists with different attributes',
  );
});

it('EC2: DescribeImages with several unknown ids uses the plural text', async () => {
  const ec2 = new EC2Client(inProcess(app));
  await rejects(
    ec2.send(new DescribeImagesCommand({ ImageIds: ['ami-0000000000000000a', 'ami-0000000000000000b'] })),
    'InvalidAMIID.NotFound',
    "The image ids '[ami-0000000000000000a, ami-0000000000000000b]' do not exist",
  );
  await rejects(
    ec2.send(new DescribeImagesCommand({ ImageIds: ['ami-0000000000000000a'] })),
    'InvalidAMIID.NotFound',
    "The image id '[ami-0000000000000000a]' does not exist",
  );
  ec2.destroy();
});

it('a query-protocol request for a service amiwatch does not serve gets an XML error the client can parse', {
  skip: awsCliSkip,
}, async () => {
  // The AWS CLI's CloudFormation client speaks awsQuery; the CLI prints the parsed code and text.
  const run = promisify(execFile)(AWS, ['--endpoint-url', app.url, 'cloudformation', 'list-stacks'], { env: awsCliEnv() });
  await assert.rejects(
    run,
    (e: Error & { stderr: string }) => (
      assert.match(
        e.stderr,
        /\(InvalidAction\) when calling the ListStacks operation: The action ListStacks is not valid for this web service\./,
      ),
      true
    ),
  );
});
