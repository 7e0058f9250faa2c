import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DescribeImageAttributeCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DeletePlatformApplicationCommand, CreateTopicCommand, TagResourceCommand } from '@aws-sdk/client-sns';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';
import { inProcess } from '../support/in-process.js';
import { queryCall, snsClient } from '../notify/helpers.js';

/**
 * The query protocols check the model's required members and constraints before the service
 * runs, in each service's words (src/wire/model/query-check.ts). SDK v3 sends what it is given
 * (no client-side validation), so it can send the bad input; SQS's awsQuery goes as a raw
 * signed form, as CLI v2.9 sends it.
 */
let app: App;
before(async () => {
  app = await startTestServer();
});
after(() => app.close());

const rejection = async (p: Promise<unknown>) => {
  const err = (await p.then(
    () => assert.fail('accepted'),
    (e: unknown) => e,
  )) as { name: string; message: string; $metadata: { httpStatusCode: number } };
  return { code: err.name, message: err.message, status: err.$metadata.httpStatusCode };
};

describe('EC2 query', () => {
  const ec2 = () => new EC2Client(inProcess(app));
  it('a required member left out is MissingParameter, named as on the wire', async () => {
    const got = await rejection(ec2().send(new DescribeImageAttributeCommand({ ImageId: 'ami-12345678' } as never)));
    assert.deepEqual(got, { code: 'MissingParameter', message: 'The request must contain the parameter Attribute', status: 400 });
  });
  it('a value outside the model range is InvalidParameterValue in EC2 words', async () => {
    const got = await rejection(ec2().send(new DescribeVpcsCommand({ MaxResults: 2 })));
    assert.equal(got.code, 'InvalidParameterValue');
    assert.equal(got.message, 'Value ( 2 ) for parameter maxResults is invalid. Parameter must be between 5 and 1000.');
  });
  it('an enum value outside the model is InvalidParameterValue listing the valid values', async () => {
    const got = await rejection(ec2().send(new DescribeImageAttributeCommand({ ImageId: 'ami-12345678', Attribute: 'colour' as never })));
    assert.equal(got.code, 'InvalidParameterValue');
    assert.match(got.message, /^Value \(colour\) for parameter attribute is invalid\. Valid values: description, kernel, /);
  });
});

describe('SNS awsQuery', () => {
  it('a required member left out is InvalidParameter "no value for required parameter"', async () => {
    const got = await rejection(snsClient(app).send(new DeletePlatformApplicationCommand({} as never)));
    assert.deepEqual(got, {
      code: 'InvalidParameterException', // the SDK's name for the code InvalidParameter
      message: 'Invalid parameter: PlatformApplicationArn Reason: no value for required parameter',
      status: 400,
    });
  });
  it('a tag key longer than the model allows is a ValidationException naming the member path', async () => {
    const sns = snsClient(app);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'validated' }));
    const key = 'k'.repeat(129);
    const got = await rejection(sns.send(new TagResourceCommand({ ResourceArn: TopicArn, Tags: [{ Key: key, Value: 'v' }] })));
    assert.equal(got.code, 'ValidationException');
    assert.equal(
      got.message,
      `1 validation error detected: Value '${key}' at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128`,
    );
  });
});

describe('SQS awsQuery', () => {
  const queue = async (QueueName: string) => {
    const made = await queryCall(app, 'sqs', { Action: 'CreateQueue', Version: '2012-11-05', QueueName });
    return /<QueueUrl>([^<]+)<\/QueueUrl>/.exec(made.body)![1]!;
  };
  it('a batch entry without its Id is MissingParameter naming the entry', async () => {
    const url = await queue('validated');
    const res = await queryCall(app, 'sqs', {
      Action: 'SendMessageBatch',
      Version: '2012-11-05',
      QueueUrl: url,
      'SendMessageBatchRequestEntry.1.MessageBody': 'hello',
    });
    assert.equal(res.status, 400);
    assert.match(res.body, /<Code>MissingParameter<\/Code>/);
    assert.match(res.body, /<Message>The request must contain the parameter SendMessageBatchRequestEntry\.1\.Id\.<\/Message>/);
  });
  it('ChangeMessageVisibility without VisibilityTimeout is MissingParameter', async () => {
    const url = await queue('validated2');
    const res = await queryCall(app, 'sqs', {
      Action: 'ChangeMessageVisibility',
      Version: '2012-11-05',
      QueueUrl: url,
      ReceiptHandle: 'x',
    });
    assert.equal(res.status, 400);
    assert.match(res.body, /<Message>The request must contain the parameter VisibilityTimeout\.<\/Message>/);
  });
});
