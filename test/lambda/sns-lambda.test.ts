import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { AddPermissionCommand, CreateFunctionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';
import { lambdaClient, ROLE, until, zipOf } from './helpers.js';

/**
 * SNS `lambda` subscriptions against the real Lambda service: SNS calls as `sns.amazonaws.com`
 * with the topic as its source ARN, so the permission AWS's tutorials add
 * (`add-permission --principal sns.amazonaws.com --source-arn TOPIC_ARN`) lets that topic in and
 * no other.
 */
let app: App;
let lambda: LambdaClient;
let sns: SNSClient;

before(async () => {
  app = await startTestServer();
  lambda = lambdaClient(app);
  sns = new SNSClient({ endpoint: app.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
});
after(async () => {
  lambda.destroy();
  sns.destroy();
  await app.close();
});

interface Delivery {
  readonly topicArn: string;
  readonly protocol: string;
  readonly status: string;
  readonly error?: string;
}

it("a function allowed for one topic by --source-arn gets that topic's messages, and refuses another topic's", {
  timeout: 30_000,
}, async () => {
  const handler = "exports.handler = async (event) => { console.log('got', event.Records[0].Sns.Message); };";
  const { FunctionArn } = await lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'on-ami',
      Runtime: 'nodejs20.x',
      Role: ROLE,
      Handler: 'index.handler',
      Code: { ZipFile: zipOf({ 'index.js': handler }) },
    }),
  );
  const allowed = (await sns.send(new CreateTopicCommand({ Name: 'ami-events' }))).TopicArn!;
  const other = (await sns.send(new CreateTopicCommand({ Name: 'other-events' }))).TopicArn!;
  await lambda.send(
    new AddPermissionCommand({
      FunctionName: 'on-ami',
      StatementId: 'sns',
      Action: 'lambda:InvokeFunction',
      Principal: 'sns.amazonaws.com',
      SourceArn: allowed,
    }),
  );
  for (const TopicArn of [allowed, other]) await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: FunctionArn! }));

  await sns.send(new PublishCommand({ TopicArn: allowed, Message: 'from the allowed topic' }));
  await sns.send(new PublishCommand({ TopicArn: other, Message: 'from another topic' }));

  const settled = await until(async () => {
    const log = (await (await fetch(`${app.url}/_amiwatch/sns/deliveries`)).json()) as { deliveries: Delivery[] };
    const ours = log.deliveries.filter((d) => d.protocol === 'lambda');
    return ours.length === 2 ? ours : undefined;
  });
  const outcome = (topicArn: string) => settled.find((d) => d.topicArn === topicArn);
  assert.equal(outcome(allowed)?.status, 'delivered', outcome(allowed)?.error);
  assert.equal(outcome(other)?.status, 'failed');
  assert.match(outcome(other)?.error ?? '', /^NO_PERMISSIONS/);
  // SNS hands the message to Lambda's asynchronous queue (delivered once queued, as on AWS): the run follows.
  const text = await until(async () => {
    const logs = (await (await fetch(`${app.url}/_amiwatch/functions/on-ami/logs`)).json()) as { events: { message: string }[] };
    return logs.events.length > 0 ? logs.events.map((e) => e.message).join('') : undefined;
  });
  assert.match(text, /got from the allowed topic/);
  assert.doesNotMatch(text, /from another topic/);
});
