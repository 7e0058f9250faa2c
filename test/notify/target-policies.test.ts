import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { CreateTopicCommand, SetTopicAttributesCommand, type SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, ReceiveMessageCommand, SetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { App } from '../../src/server/app.js';
import { sdkClient, startTestServer } from '../e2e/helpers.js';
import { eventBridgeStatement } from '../support/target-policies.js';
import { snsClient, sqsClient, waitFor } from './helpers.js';

/**
 * EventBridge delivers to an SNS topic or SQS queue only when its resource policy allows
 * events.amazonaws.com (with aws:SourceArn = the rule where the policy says so), as AWS does:
 * otherwise the delivery fails, not retried, with NO_PERMISSIONS and the reason in the history.
 */
let app: App;
let eb: EventBridgeClient;
let sns: SNSClient;
let sqs: SQSClient;
before(async () => {
  app = await startTestServer();
  eb = sdkClient(app);
  sns = snsClient(app);
  sqs = sqsClient(app);
});
after(async () => {
  for (const c of [eb, sns, sqs]) c.destroy();
  await app.close();
});

const queueArn = (name: string) => `arn:aws:sqs:us-east-1:000000000000:${name}`;

/** One rule → one target; an event; the delivery once settled. */
async function deliverOnce(rule: string, arn: string) {
  await eb.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 't', Arn: arn }] }));
  const put = await eb.send(new PutEventsCommand({ Entries: [{ Source: `${rule}.app`, DetailType: 'X', Detail: '{}' }] }));
  const id = put.Entries![0]!.EventId!;
  return waitFor(async () => {
    const d = (await app.store.readEvents({ limit: 50 })).find((e) => e.eventId === id)?.deliveries[0];
    return d && d.status !== 'pending' ? d : undefined;
  }, 'the settled delivery');
}

it('a queue without a policy, or whose policy names another rule, refuses; the console statement admits', async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'guarded' }));
  const { RuleArn } = await eb.send(new PutRuleCommand({ Name: 'q', EventPattern: '{"source":["q.app"]}' }));
  const none = await deliverOnce('q', queueArn('guarded'));
  assert.equal(none.status, 'failed');
  assert.equal(none.attempts, 1, 'not retried');
  assert.match(none.lastError ?? '', /^NO_PERMISSIONS.*Access to the resource arn:aws:sqs:us-east-1:000000000000:guarded is denied/);

  const other = eventBridgeStatement('sqs:SendMessage', queueArn('guarded'), 'arn:aws:events:us-east-1:000000000000:rule/elsewhere');
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy: JSON.stringify({ Statement: [other] }) } }));
  assert.equal((await deliverOnce('q', queueArn('guarded'))).status, 'failed', 'aws:SourceArn of another rule');

  const mine = eventBridgeStatement('sqs:SendMessage', queueArn('guarded'), RuleArn);
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy: JSON.stringify({ Statement: [mine] }) } }));
  assert.equal((await deliverOnce('q', queueArn('guarded'))).status, 'delivered');
  assert.ok((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages?.[0]);

  const deny = { Effect: 'Deny', Principal: '*', Action: 'sqs:*', Resource: '*' };
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy: JSON.stringify({ Statement: [mine, deny] }) } }));
  assert.equal((await deliverOnce('q', queueArn('guarded'))).status, 'failed', 'an explicit Deny wins');
});

it('a topic with its default policy refuses; with the statement it delivers', async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'guarded' }));
  await eb.send(new PutRuleCommand({ Name: 't', EventPattern: '{"source":["t.app"]}' }));
  const refused = await deliverOnce('t', TopicArn!);
  assert.equal(refused.status, 'failed');
  assert.match(
    refused.lastError ?? '',
    /^NO_PERMISSIONS.*User: events\.amazonaws\.com is not authorized to perform: SNS:Publish on resource: arn:aws:sns:us-east-1:000000000000:guarded/,
  );
  const Policy = JSON.stringify({ Version: '2012-10-17', Statement: [eventBridgeStatement('sns:Publish', TopicArn!)] });
  await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'Policy', AttributeValue: Policy }));
  assert.equal((await deliverOnce('t', TopicArn!)).status, 'delivered');
});

it('--ignore-target-policies delivers regardless', async () => {
  const loose = await startTestServer({ enforceTargetPolicies: false });
  const e = sdkClient(loose);
  const q = sqsClient(loose);
  try {
    const { QueueUrl } = await q.send(new CreateQueueCommand({ QueueName: 'open' }));
    await e.send(new PutRuleCommand({ Name: 'o', EventPattern: '{"source":["o.app"]}' }));
    await e.send(new PutTargetsCommand({ Rule: 'o', Targets: [{ Id: 't', Arn: queueArn('open') }] }));
    await e.send(new PutEventsCommand({ Entries: [{ Source: 'o.app', DetailType: 'X', Detail: '{}' }] }));
    const got = await q.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 }));
    assert.ok(got.Messages?.[0]);
  } finally {
    e.destroy();
    q.destroy();
    await loose.close();
  }
});
