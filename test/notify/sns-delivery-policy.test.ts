import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import {
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { ManualClock } from '../../src/core/shared/clock.js';
import {
  retryDelaySeconds,
  AWS_MANAGED_POLICY,
  CUSTOMER_MANAGED_POLICY,
  httpDeliveryPolicy,
} from '../../src/delivery/sns/delivery-policy.js';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';
import { snsClient, sqsClient, startSubscriber, topicWithRetryingHttpSubscriber, waitFor } from './helpers.js';

/**
 * SNS deliveries on the one delivery engine (issue 20): HTTP/S retries by the subscription's
 * DeliveryPolicy, email by SNS's fixed policy for customer-managed endpoints, and what fails for
 * good in the subscription's dead-letter queue with SNS's attributes. Real SDK clients, a real
 * HTTP subscriber and a real SMTP server; time is a ManualClock read where each attempt lands,
 * never slept.
 */
const apps: App[] = [];
after(async () => {
  for (const a of apps) await a.close().catch(() => undefined);
});

async function server(clock: ManualClock, smtpUrl?: string): Promise<App> {
  const app = await startTestServer(smtpUrl ? { smtpUrl } : {}, { clock });
  apps.push(app);
  return app;
}

/** Moves the clock by `ms` and lets the server's worker run what became due. */
async function advance(app: App, clock: ManualClock, ms: number): Promise<void> {
  clock.advance(ms);
  app.worker.wake();
  await new Promise((r) => setTimeout(r, 20));
}

async function dlqFor(app: App, name: string, topicArn: string, subscriptionArn: string): Promise<{ arn: string; url: string }> {
  const sqs = sqsClient(app);
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  // As AWS asks of a subscription's DLQ: its policy lets sns.amazonaws.com send for the topic.
  const Policy = JSON.stringify({
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'SQS:SendMessage',
        Resource: arn,
        Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
      },
    ],
  });
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy } }));
  sqs.destroy();
  // The subscription's RedrivePolicy names it.
  const sns = snsClient(app);
  const RedrivePolicy = JSON.stringify({ deadLetterTargetArn: arn });
  await sns.send(
    new SetSubscriptionAttributesCommand({
      SubscriptionArn: subscriptionArn,
      AttributeName: 'RedrivePolicy',
      AttributeValue: RedrivePolicy,
    }),
  );
  sns.destroy();
  return { arn, url: QueueUrl! };
}

type DeliveryView = Awaited<ReturnType<App['store']['readEvents']>>[number]['deliveries'][number];

/**
 * Waits until the notifications' deliveries in the history satisfy `ok`: an attempt's outcome
 * (and its retry time, computed from the clock) must be written before the test moves the clock.
 */
async function deliveriesUntil(app: App, what: string, ok: (ds: DeliveryView[]) => boolean): Promise<void> {
  await waitFor(
    async () => {
      const events = await app.store.readEvents({ limit: 20 });
      const ds = events.flatMap((e) => e.deliveries).filter((d) => JSON.parse(d.target).kind === 'notification');
      return ds.length > 0 && ok(ds) ? true : undefined;
    },
    what,
    30_000,
  );
}

/** The single notification delivery has made `n` attempts and waits for its retry. */
const retrying = (n: number) => (ds: DeliveryView[]) => ds[0]!.status === 'pending' && ds[0]!.attempts === n;

describe('SNS delivery policies', () => {
  it('HTTP: 500 then 200 — one immediate retry, then the minimum delay, read from the clock', async () => {
    const clock = new ManualClock();
    const app = await server(clock);
    let failures = 2;
    const at: number[] = [];
    const subscriber = await startSubscriber({
      confirm: true,
      status: (doc) => (doc.Type !== 'Notification' ? 200 : (at.push(clock.now()), failures-- > 0 ? 500 : 200)),
    });
    try {
      const sns = snsClient(app);
      const { TopicArn, SubscriptionArn } = await topicWithRetryingHttpSubscriber(sns, 'policy', subscriber.url, 3, 5);
      const policy = {
        healthyRetryPolicy: { numRetries: 3, numNoDelayRetries: 1, minDelayTarget: 5, maxDelayTarget: 30, backoffFunction: 'linear' },
      };
      await sns.send(
        new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'DeliveryPolicy', AttributeValue: JSON.stringify(policy) }),
      );
      const t0 = clock.now();
      const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: 'ami-0123 is available' }));
      await waitFor(() => (at.length >= 2 ? true : undefined), 'the first attempt and the immediate retry');
      await deliveriesUntil(app, 'the second failure settled', retrying(2));
      await advance(app, clock, 4_999);
      assert.equal(at.length, 2, 'nothing before the minimum delay');
      await advance(app, clock, 1);
      await waitFor(() => subscriber.posts.find((p) => p.doc.MessageId === MessageId && p.status === 200), 'the third attempt');
      assert.deepEqual(at, [t0, t0, t0 + 5_000]);
      const [event] = await app.store.readEvents({ limit: 1 });
      assert.equal(event?.eventId, MessageId, 'the Publish is an event of the history');
      await waitFor(
        async () => ((await app.store.readEvents({ limit: 1 }))[0]?.deliveries[0]?.status === 'delivered' ? true : undefined),
        'settled',
      );
      const d = (await app.store.readEvents({ limit: 1 }))[0]!.deliveries[0]!;
      assert.equal(d.attempts, 3);
      assert.equal(JSON.parse(d.target).target.Id, SubscriptionArn);
      sns.destroy();
    } finally {
      await subscriber.close();
    }
  });

  it('HTTP: out of retries, the notification goes to the RedrivePolicy DLQ with RequestID, ErrorCode, ErrorMessage', async () => {
    const clock = new ManualClock();
    const app = await server(clock);
    const subscriber = await startSubscriber({ confirm: true, status: (doc) => (doc.Type === 'Notification' ? 503 : 200) });
    try {
      const sns = snsClient(app);
      const { TopicArn, SubscriptionArn } = await topicWithRetryingHttpSubscriber(sns, 'dead', subscriber.url, 2, 10);
      const dlq = await dlqFor(app, 'http-dlq', TopicArn, SubscriptionArn);
      const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: 'lost?' }));
      const notifications = () => subscriber.posts.filter((p) => p.doc.MessageId === MessageId).length;
      await waitFor(() => (notifications() === 1 ? true : undefined), 'the first attempt');
      await deliveriesUntil(app, 'the first failure settled', retrying(1));
      await advance(app, clock, 10_000);
      await waitFor(() => (notifications() === 2 ? true : undefined), 'the first retry');
      await deliveriesUntil(app, 'the second failure settled', retrying(2));
      await advance(app, clock, 10_000);
      await waitFor(() => (notifications() === 3 ? true : undefined), 'the second retry');
      const sqs = sqsClient(app);
      const got = await waitFor(async () => {
        const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.url, MessageAttributeNames: ['All'] }));
        return r.Messages?.[0];
      }, 'the message in the DLQ');
      const doc = JSON.parse(got.Body!) as Record<string, string>;
      assert.equal(doc.MessageId, MessageId);
      assert.equal(doc.Message, 'lost?');
      assert.equal(got.MessageAttributes?.ErrorCode?.StringValue, 'HTTP_SERVER_ERROR');
      assert.equal(got.MessageAttributes?.ErrorMessage?.StringValue, 'HTTP 503');
      assert.match(got.MessageAttributes?.RequestID?.StringValue ?? '', /^[0-9a-f-]{36}$/);
      const d = (await app.store.readEvents({ limit: 1 }))[0]!.deliveries[0]!;
      assert.equal(d.status, 'failed');
      assert.equal(d.lastError, `EXHAUSTED DeliveryPolicy after HTTP_SERVER_ERROR: HTTP 503 (sent to DLQ ${dlq.arn})`);
      const series = async (name: string) =>
        (
          (await (await fetch(`${app.url}/_amiwatch/metrics/series?name=${name}&topic=dead`)).json()) as { points: { value: number }[] }
        ).points.reduce((sum, p) => sum + p.value, 0);
      assert.equal(await series('NumberOfNotificationsRedrivenToDlq'), 1);
      assert.equal(await series('NumberOfNotificationsFailed'), 1);
      sqs.destroy();
      sns.destroy();
    } finally {
      await subscriber.close();
    }
  });

  it('HTTP: a 4xx is the subscriber refusing — no retry, straight to the DLQ', async () => {
    const clock = new ManualClock();
    const app = await server(clock);
    const subscriber = await startSubscriber({ confirm: true, status: (doc) => (doc.Type === 'Notification' ? 403 : 200) });
    try {
      const sns = snsClient(app);
      const { TopicArn, SubscriptionArn } = await topicWithRetryingHttpSubscriber(sns, 'refused', subscriber.url, 3, 1);
      const dlq = await dlqFor(app, 'refused-dlq', TopicArn, SubscriptionArn);
      const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: 'no thanks' }));
      const sqs = sqsClient(app);
      const got = await waitFor(
        async () => (await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.url, MessageAttributeNames: ['All'] }))).Messages?.[0],
        'the DLQ',
      );
      assert.equal(got.MessageAttributes?.ErrorCode?.StringValue, 'HTTP_CLIENT_ERROR');
      assert.equal(subscriber.posts.filter((p) => p.doc.MessageId === MessageId).length, 1);
      sqs.destroy();
      sns.destroy();
    } finally {
      await subscriber.close();
    }
  });

  it('HTTP: throttlePolicy.maxReceivesPerSecond spreads deliveries over seconds without spending attempts', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const app = await server(clock);
    const at: number[] = [];
    const subscriber = await startSubscriber({
      confirm: true,
      status: (doc) => (doc.Type === 'Notification' && at.push(clock.now()), 200),
    });
    try {
      const sns = snsClient(app);
      const { TopicArn, SubscriptionArn } = await topicWithRetryingHttpSubscriber(sns, 'throttled', subscriber.url, 3, 1);
      const policy = { throttlePolicy: { maxReceivesPerSecond: 2 } };
      await sns.send(
        new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'DeliveryPolicy', AttributeValue: JSON.stringify(policy) }),
      );
      for (let i = 0; i < 5; i++) await sns.send(new PublishCommand({ TopicArn, Message: `m${i}` }));
      await waitFor(() => (at.length === 2 ? true : undefined), 'the first second');
      const deferred = (n: number) => (ds: DeliveryView[]) =>
        ds.filter((d) => d.status === 'pending' && d.lastError?.startsWith('THROTTLED')).length === n;
      await deliveriesUntil(app, 'three waiting for their turn', deferred(3));
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(at.length, 2, 'two a second');
      await advance(app, clock, 1000);
      await waitFor(() => (at.length === 4 ? true : undefined), 'the second second');
      await deliveriesUntil(app, 'the last one waiting for its turn', deferred(1));
      await advance(app, clock, 1000);
      await waitFor(() => (at.length === 5 ? true : undefined), 'the third second');
      // Each settles once its subscriber answered.
      const attempts = await waitFor(async () => {
        const events = await app.store.readEvents({ limit: 10 });
        const ds = events.flatMap((e) => e.deliveries).filter((d) => JSON.parse(d.target).kind === 'notification');
        return ds.every((d) => d.status === 'delivered') ? ds.map((d) => d.attempts) : undefined;
      }, 'all five settled');
      assert.deepEqual(attempts, [1, 1, 1, 1, 1], 'waiting for a turn is not an attempt');
      sns.destroy();
    } finally {
      await subscriber.close();
    }
  });

  it('email: an SMTP server that refuses is retried 10 s later (SNS fixed policy, jittered), then delivered', async () => {
    const clock = new ManualClock();
    let refuse = 1;
    const at: number[] = [];
    let confirmation = '';
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _session, done) {
        simpleParser(stream).then((m) => {
          if (m.subject !== 'AMI') {
            confirmation = m.text ?? '';
            return done();
          }
          at.push(clock.now());
          if (refuse-- > 0) return done(Object.assign(new Error('mailbox busy, try later'), { responseCode: 451 }));
          done();
        }, done);
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    try {
      const app = await server(clock, `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`);
      const sns = snsClient(app);
      const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'mail' }));
      await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: 'ops@example.com' }));
      // Confirmed by the link of the confirmation mail, as its reader would.
      const link = await waitFor(() => /(http:\/\/\S+confirmation\.html\S+)/.exec(confirmation)?.[1], 'the confirmation mail', 30_000);
      assert.equal((await fetch(link)).status, 200);
      const t0 = clock.now();
      await sns.send(new PublishCommand({ TopicArn, Message: 'ami-1 is available', Subject: 'AMI' }));
      await waitFor(() => (at.length === 1 ? true : undefined), 'the refused attempt', 30_000);
      await deliveriesUntil(app, 'the refusal settled', retrying(1));
      await advance(app, clock, 8_999);
      assert.equal(at.length, 1, 'not before 9 s (10 s less up to 10% jitter)');
      await advance(app, clock, 1_001);
      await waitFor(() => (at.length === 2 ? true : undefined), 'the retry', 30_000);
      assert.deepEqual(at, [t0, t0 + 10_000]);
      sns.destroy();
    } finally {
      await new Promise<void>((r) => smtp.close(() => r()));
    }
  });
});

describe('RedrivePolicy as SNS checks it', () => {
  it('not JSON, no queue ARN, a standard queue for a FIFO topic: InvalidParameter with AWS texts; empty removes it', async () => {
    const app = await server(new ManualClock());
    const sns = snsClient(app);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'redrive' }));
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:q', ReturnSubscriptionArn: true }),
    );
    const set = (AttributeValue: string) =>
      sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'RedrivePolicy', AttributeValue }));
    await assert.rejects(set('{nope'), {
      name: 'InvalidParameterException',
      message: 'Invalid parameter: RedrivePolicy: failed to parse JSON.',
    });
    await assert.rejects(set('{"deadLetterTargetArn":"dlq"}'), {
      name: 'InvalidParameterException',
      message: 'Invalid parameter: RedrivePolicy: deadLetterTargetArn is an invalid arn',
    });
    await set('{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq"}');
    await set('');
    const attrs = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes ?? {};
    assert.equal(attrs.RedrivePolicy, undefined, 'an empty value removes it');
    const fifo = await sns.send(new CreateTopicCommand({ Name: 'redrive.fifo', Attributes: { FifoTopic: 'true' } }));
    await assert.rejects(
      sns.send(
        new SubscribeCommand({
          TopicArn: fifo.TopicArn,
          Protocol: 'sqs',
          Endpoint: 'arn:aws:sqs:us-east-1:000000000000:q.fifo',
          Attributes: { RedrivePolicy: '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq"}' },
        }),
      ),
      { name: 'InvalidParameterException', message: 'Invalid parameter: RedrivePolicy: must use a FIFO queue as DLQ for a FIFO topic' },
    );
    sns.destroy();
  });
});

describe('SNS fixed policies', () => {
  it('AWS-managed endpoints: 3 at once, 2 after 1 s, 10 backing off to 20 s, then 20 s apart (100,015 retries)', () => {
    const p = AWS_MANAGED_POLICY;
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map((n) => retryDelaySeconds(p, n)),
      [0, 0, 0, 1, 1, 1],
    );
    assert.equal(retryDelaySeconds(p, 15), 20);
    assert.equal(retryDelaySeconds(p, 16), 20);
    assert.equal(retryDelaySeconds(p, 100_015), 20);
    assert.equal(retryDelaySeconds(p, 100_016), null);
  });

  it('customer-managed endpoints: 2 after 10 s, 10 backing off to 600 s, 38 at 600 s (50 retries over hours)', () => {
    const p = CUSTOMER_MANAGED_POLICY;
    assert.deepEqual(
      [1, 2, 3].map((n) => retryDelaySeconds(p, n)),
      [10, 10, 10],
    );
    assert.equal(retryDelaySeconds(p, 12), 600);
    assert.equal(retryDelaySeconds(p, 50), 600);
    assert.equal(retryDelaySeconds(p, 51), null);
    let total = 0;
    for (let n = 1; n <= 50; n++) total += retryDelaySeconds(p, n)!;
    assert.ok(total > 6 * 3600, `${total} s: "over 6 hours"`);
  });

  it('HTTP/S: AWS defaults, topic defaults, subscription overrides, disableSubscriptionOverrides, the four backoff shapes', () => {
    const none = { attributes: {} };
    const d = httpDeliveryPolicy(none, none);
    assert.deepEqual(
      [1, 2, 3, 4].map((n) => retryDelaySeconds(d.retry, n)),
      [20, 20, 20, null],
    );
    assert.equal(d.contentType, 'text/plain; charset=UTF-8');
    const topic = {
      attributes: {
        DeliveryPolicy: JSON.stringify({
          http: {
            defaultHealthyRetryPolicy: { numRetries: 5, minDelayTarget: 2, maxDelayTarget: 10 },
            defaultRequestPolicy: { headerContentType: 'application/json' },
            defaultThrottlePolicy: { maxReceivesPerSecond: 7 },
          },
        }),
      },
    };
    const t = httpDeliveryPolicy(none, topic);
    assert.deepEqual(
      [1, 5].map((n) => retryDelaySeconds(t.retry, n)),
      [2, 10],
    );
    assert.equal(t.contentType, 'application/json');
    assert.equal(t.maxReceivesPerSecond, 7);
    const sub = {
      attributes: { DeliveryPolicy: JSON.stringify({ healthyRetryPolicy: { numRetries: 1, minDelayTarget: 3, maxDelayTarget: 3 } }) },
    };
    assert.equal(retryDelaySeconds(httpDeliveryPolicy(sub, topic).retry, 1), 3);
    const locked = {
      attributes: {
        DeliveryPolicy: JSON.stringify({
          http: { ...JSON.parse(topic.attributes.DeliveryPolicy).http, disableSubscriptionOverrides: true },
        }),
      },
    };
    assert.equal(httpDeliveryPolicy(sub, locked).retry.numRetries, 5, 'the topic forbids overrides');
    const shaped = (backoffFunction: string) =>
      [1, 2, 3].map((n) =>
        retryDelaySeconds(
          {
            numRetries: 5,
            numNoDelayRetries: 0,
            numMinDelayRetries: 1,
            numMaxDelayRetries: 1,
            minDelayTarget: 1,
            maxDelayTarget: 101,
            backoffFunction: backoffFunction as 'linear',
          },
          n + 1,
        ),
      );
    assert.deepEqual(shaped('linear'), [1, 51, 101]);
    const [, arithmetic] = shaped('arithmetic');
    const [, exponential] = shaped('exponential');
    const [, geometric] = shaped('geometric');
    assert.ok(51 > arithmetic! && arithmetic! > exponential! && exponential! > geometric!, 'ever steeper curves start lower');
  });
});
