import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { CreateTopicCommand, PublishCommand, SetTopicAttributesCommand, SubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { App } from '../../src/server/app.js';
import { sdkClient, startTestServer } from '../e2e/helpers.js';
import { allowEventsToQueue, allowEventsToTopic } from '../support/target-policies.js';
import { snsClient, sqsClient, startSubscriber, verifiesSnsSignature, waitFor, type ReceivedPost, type TestSubscriber } from './helpers.js';

/**
 * An HTTP subscriber that trusts nothing of amiwatch's code: it confirms through the SubscribeURL
 * and checks every signature itself (string to sign per sns-verify-signature-of-message, the
 * certificate fetched from SigningCertURL, SHA1withRSA or SHA256withRSA by SignatureVersion).
 */
let subscriber: TestSubscriber;
let received: ReceivedPost[];
let subscriberUrl: string;
let app: App;
let sns: SNSClient;
let sqs: SQSClient;
let eb: EventBridgeClient;

before(async () => {
  subscriber = await startSubscriber();
  received = subscriber.posts;
  subscriberUrl = subscriber.url;
  app = await startTestServer();
  sns = snsClient(app);
  sqs = sqsClient(app);
  eb = sdkClient(app);
});
after(async () => {
  sns.destroy();
  sqs.destroy();
  eb.destroy();
  await app.close();
  await subscriber.close();
});

describe('SNS → HTTP subscriber', () => {
  it('confirms via SubscribeURL; notifications arrive signed (v1 and v2), with AWS headers', { timeout: 20_000 }, async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'ami-http' }));
    const sub = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: subscriberUrl }));
    assert.equal(sub.SubscriptionArn, 'pending confirmation');
    const conf = await waitFor(() => received.find((r) => r.doc.Type === 'SubscriptionConfirmation'), 'SubscriptionConfirmation');
    assert.equal(conf.headers['x-amz-sns-message-type'], 'SubscriptionConfirmation');
    assert.equal(conf.headers['x-amz-sns-topic-arn'], TopicArn);
    assert.equal(conf.doc.SignatureVersion, '1');
    assert.ok(await verifiesSnsSignature(conf.doc), 'confirmation signature verifies');
    const tampered = { ...conf.doc, Message: conf.doc.Message + ' ' };
    assert.equal(await verifiesSnsSignature(tampered), false, 'a changed message does not verify');

    await sns.send(new PublishCommand({ TopicArn, Message: 'before confirming' }));
    const confirmed = await fetch(conf.doc.SubscribeURL!);
    assert.equal(confirmed.status, 200);
    assert.match(await confirmed.text(), /<ConfirmSubscriptionResult><SubscriptionArn>arn:aws:sns:us-east-1:000000000000:ami-http:/);

    await sns.send(
      new PublishCommand({
        TopicArn,
        Message: 'hello v1',
        Subject: 'Greeting',
        MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } },
      }),
    );
    const n1 = await waitFor(() => received.find((r) => r.doc.Message === 'hello v1'), 'notification v1');
    assert.equal(
      received.some((r) => r.doc.Message === 'before confirming'),
      false,
      'nothing before confirmation',
    );
    assert.equal(n1.headers['x-amz-sns-message-type'], 'Notification');
    assert.match(String(n1.headers['x-amz-sns-subscription-arn']), /^arn:aws:sns:us-east-1:000000000000:ami-http:/);
    assert.equal(n1.headers['content-type'], 'text/plain; charset=UTF-8');
    assert.equal(n1.doc.Subject, 'Greeting');
    assert.deepEqual(n1.doc.MessageAttributes, { k: { Type: 'String', Value: 'v' } } as unknown);
    assert.ok(await verifiesSnsSignature(n1.doc), 'v1 notification verifies');

    await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'SignatureVersion', AttributeValue: '2' }));
    await sns.send(new PublishCommand({ TopicArn, Message: 'hello v2' }));
    const n2 = await waitFor(() => received.find((r) => r.doc.Message === 'hello v2'), 'notification v2');
    assert.equal(n2.doc.SignatureVersion, '2');
    assert.ok(await verifiesSnsSignature(n2.doc), 'v2 notification verifies');
  });

  it("the guide's rule with an SNS topic and an SQS queue as targets: both get the event", { timeout: 20_000 }, async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'events-topic' }));
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'events-queue' }));
    const { QueueUrl: viaSns } = await sqs.send(new CreateQueueCommand({ QueueName: 'via-sns' }));
    const r = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:via-sns' }));
    assert.match(r.SubscriptionArn!, /^arn:aws:sns:/, 'sqs subscriptions in the same account need no confirmation');
    const { RuleArn } = await eb.send(new PutRuleCommand({ Name: 'orders', EventPattern: '{"source":["my.app"]}' }));
    // The statements AWS's console adds for a rule's topic and queue targets (enforced, as on AWS).
    await allowEventsToTopic(sns, TopicArn!, RuleArn);
    await allowEventsToQueue(sqs, QueueUrl!, RuleArn);
    await eb.send(
      new PutTargetsCommand({
        Rule: 'orders',
        Targets: [
          { Id: 't', Arn: TopicArn },
          { Id: 'q', Arn: 'arn:aws:sqs:us-east-1:000000000000:events-queue' },
        ],
      }),
    );
    await eb.send(new PutEventsCommand({ Entries: [{ Source: 'my.app', DetailType: 'Order', Detail: '{"id":1}' }] }));
    const direct = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 10 }));
    assert.equal(JSON.parse(direct.Messages![0]!.Body!).detail.id, 1);
    const wrapped = await sqs.send(new ReceiveMessageCommand({ QueueUrl: viaSns, WaitTimeSeconds: 10 }));
    const note = JSON.parse(wrapped.Messages![0]!.Body!);
    assert.equal(note.Type, 'Notification');
    assert.equal(note.TopicArn, TopicArn);
    assert.equal(note.Subject, undefined, 'EventBridge publishes without a Subject');
    assert.equal(JSON.parse(note.Message).detail.id, 1);
  });
});

describe('SNS → HTTPS subscriber (its certificate from a private CA, trusted with --subscriber-ca-file)', () => {
  it('confirms and receives a SignatureVersion 2 notification that verifies', { timeout: 30_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'amiwatch-https-'));
    try {
      await promisify(execFile)('openssl', [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ]);
      const got: Pick<ReceivedPost, 'headers' | 'doc'>[] = [];
      const server = createHttpsServer(
        { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
        (req, res) => {
          let body = '';
          req.on('data', (c: Buffer) => (body += c.toString('utf8')));
          req.on(
            'end',
            () => (got.push({ headers: req.headers, doc: JSON.parse(body) as Record<string, string> }), res.writeHead(200).end()),
          );
        },
      );
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const secure = await startTestServer({ subscriberCaFile: join(dir, 'cert.pem') });
      const client = snsClient(secure);
      try {
        const { TopicArn } = await client.send(new CreateTopicCommand({ Name: 'secure', Attributes: { SignatureVersion: '2' } }));
        await client.send(
          new SubscribeCommand({
            TopicArn,
            Protocol: 'https',
            Endpoint: `https://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
          }),
        );
        const conf = await waitFor(() => got.find((r) => r.doc.Type === 'SubscriptionConfirmation'), 'https confirmation');
        assert.ok(await verifiesSnsSignature(conf.doc));
        assert.equal((await fetch(conf.doc.SubscribeURL!)).status, 200);
        await client.send(new PublishCommand({ TopicArn, Message: 'over TLS' }));
        const n = await waitFor(() => got.find((r) => r.doc.Message === 'over TLS'), 'https notification');
        assert.equal(n.doc.SignatureVersion, '2');
        assert.ok(await verifiesSnsSignature(n.doc));
      } finally {
        client.destroy();
        await secure.close();
        server.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
