import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { CreateTopicCommand, PublishCommand, SubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { failure } from '../../src/delivery/transport.js';
import type { App } from '../../src/server/app.js';
import { sdkClient, startTestServer } from '../e2e/helpers.js';
import { snsClient, sqsClient, waitFor } from '../notify/helpers.js';

/** SNS's per-topic metrics and EventBridge's DLQ metrics, recorded by the services that own them. */
let app: App;
let eb: EventBridgeClient;
let sns: SNSClient;
let sqs: SQSClient;

before(async () => {
  // Lambda targets fail for good here, so that deliveries take the dead-letter way.
  app = await startTestServer({}, { transports: { lambda: { deliver: async () => failure(false, 'NO_RESOURCE', 'gone') } } });
  eb = sdkClient(app);
  sns = snsClient(app);
  sqs = sqsClient(app);
});
after(async () => {
  eb.destroy();
  sns.destroy();
  sqs.destroy();
  await app.close();
});

const total = async (query: string): Promise<number> => {
  const res = await fetch(`${app.url}/_amiwatch/metrics/series?${query}`);
  assert.equal(res.status, 200);
  return ((await res.json()) as { points: { value: number }[] }).points.reduce((s, p) => s + p.value, 0);
};

test('SNS counts published messages and delivered notifications per topic', async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'metered' }));
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'metered-q' }));
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: attrs.Attributes!.QueueArn }));
  for (let i = 0; i < 3; i++) await sns.send(new PublishCommand({ TopicArn, Message: `m${i}` }));
  assert.equal(await total('name=NumberOfMessagesPublished&topic=metered'), 3);
  await waitFor(
    async () => ((await total('name=NumberOfNotificationsDelivered&topic=metered')) === 3 ? true : undefined),
    'three deliveries counted',
  );
  assert.equal(await total('name=NumberOfNotificationsFailed&topic=metered'), 0);
});

test('a delivery that fails for good and reaches its DLQ counts as InvocationsSentToDlq', async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'dlq' }));
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  await eb.send(new PutRuleCommand({ Name: 'doomed', EventPattern: '{"source":["shop"]}' }));
  await eb.send(
    new PutTargetsCommand({
      Rule: 'doomed',
      Targets: [
        { Id: 'fn', Arn: 'arn:aws:lambda:us-east-1:000000000000:function:gone', DeadLetterConfig: { Arn: attrs.Attributes!.QueueArn } },
        {
          Id: 'fn2',
          Arn: 'arn:aws:lambda:us-east-1:000000000000:function:gone2',
          DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:000000000000:no-such-queue' },
        },
      ],
    }),
  );
  await eb.send(new PutEventsCommand({ Entries: [{ Source: 'shop', DetailType: 'o', Detail: '{}' }] }));
  const q = 'bus=default&rule=doomed';
  await waitFor(async () => ((await total(`name=DeadLetterInvocations&${q}`)) === 2 ? true : undefined), 'both deliveries given up');
  assert.equal(await total(`name=InvocationsSentToDlq&${q}`), 1);
  assert.equal(await total(`name=InvocationsFailedToBeSentToDlq&${q}`), 1);
});
