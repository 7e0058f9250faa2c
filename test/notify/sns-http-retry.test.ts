import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { ManualClock } from '../../src/core/shared/clock.js';
import { seededRandom } from '../../src/core/shared/random.js';
import type { SubscriptionDoc, TopicDoc } from '../../src/core/sns/model.js';
import type { SqsMessages } from '../../src/core/sqs/messages.js';
import { SnsDeliveryLog } from '../../src/delivery/sns/delivery-log.js';
import { retryDelay, retryPolicyFor } from '../../src/delivery/sns/http-driver.js';
import { missingLambda } from '../../src/delivery/sns/lambda-invoker.js';
import type { Outbox } from '../../src/delivery/sns/outbox.js';
import { rsaSigner } from '../../src/delivery/sns/signing-key.js';
import { PendingDeliveries } from '../../src/delivery/sns/pending-deliveries.js';
import { SnsEndpointDrivers, type SnsDriversOptions } from '../../src/delivery/sns/sns-endpoints.js';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';

/** HTTP delivery retries follow the delivery policy; waits are recorded, not slept. */
const topic: TopicDoc = {
  name: 't',
  arn: 'arn:aws:sns:us-east-1:000000000000:t',
  account: '000000000000',
  region: 'us-east-1',
  attributes: {},
  tags: {},
  createdAt: 0,
};

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });

function drivers(o: Partial<SnsDriversOptions> & Pick<SnsDriversOptions, 'pending' | 'log'>): SnsEndpointDrivers {
  return new SnsEndpointDrivers({
    clock: new ManualClock(),
    random: seededRandom(1),
    signer: rsaSigner({ keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, certPem: '' }, 'http://x/cert.pem'),
    links: { subscribeUrl: () => 'http://x/s', unsubscribeUrl: () => 'http://x/u', confirmPageUrl: () => 'http://x/c' },
    sqs: {} as SqsMessages,
    mail: { send: async () => {} },
    mailFrom: 'a@b',
    outbox: {} as Outbox,
    lambda: missingLambda,
    ...o,
  });
}

/** An endpoint answering 503 to its first `failures` posts, then 200. */
async function flakyEndpoint(failures: number) {
  let calls = 0;
  const server = createServer((req, res) => {
    req.resume();
    calls++;
    res.writeHead(calls <= failures ? 503 : 200).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, calls: () => calls, close: () => server.close() };
}

const httpSub = (endpoint: string): SubscriptionDoc => ({
  arn: `${topic.arn}:1`,
  topicArn: topic.arn,
  account: '000000000000',
  protocol: 'http',
  confirmed: true,
  createdAt: 0,
  endpoint,
  attributes: {
    DeliveryPolicy: JSON.stringify({
      healthyRetryPolicy: { numRetries: 3, minDelayTarget: 1, maxDelayTarget: 5, numNoDelayRetries: 1, backoffFunction: 'linear' },
    }),
  },
});
const note = { messageId: 'm1', topicArn: topic.arn, message: 'hi', attributes: {}, timestamp: 0 };

describe('SNS HTTP delivery policy', () => {
  it('retries a failing endpoint per healthyRetryPolicy, then records the outcome', async () => {
    const endpoint = await flakyEndpoint(2);
    const waits: number[] = [];
    const log = new SnsDeliveryLog();
    const pending = new PendingDeliveries(new SqliteStore({ path: ':memory:' }));
    const d = drivers({ log, pending, sleep: async (ms) => void waits.push(ms) });
    await d.deliver(httpSub(endpoint.url), topic, note);
    assert.equal((await pending.all()).length, 1, 'recorded before deliver() resolved');
    await d.idle();
    endpoint.close();
    assert.equal(endpoint.calls(), 3);
    assert.deepEqual(waits, [0, 1000], 'one immediate retry, then the minimum delay');
    assert.deepEqual(
      log.list().map((r) => [r.status, r.attempts]),
      [
        ['delivered', 3],
        ['retrying', 2],
        ['retrying', 1],
      ],
    );
    assert.deepEqual(await pending.all(), [], 'settled deliveries are removed');
  });

  it('a delivery waiting to retry survives a restart: the next process resumes it at the attempt it had reached', async () => {
    const endpoint = await flakyEndpoint(1);
    const store = new SqliteStore({ path: ':memory:' });
    const first = drivers({ log: new SnsDeliveryLog(), pending: new PendingDeliveries(store), sleep: () => new Promise(() => {}) }); // dies while waiting
    await first.deliver(httpSub(endpoint.url), topic, note);
    for (let i = 0; i < 200 && (await new PendingDeliveries(store).all())[0]?.attempts !== 1; i++)
      await new Promise((r) => setTimeout(r, 5));
    const [saved] = await new PendingDeliveries(store).all();
    assert.equal(saved?.attempts, 1, 'the failed first attempt is on record');
    const log = new SnsDeliveryLog();
    const waits: number[] = [];
    const second = drivers({ log, pending: new PendingDeliveries(store), sleep: async (ms) => void waits.push(ms) });
    assert.equal(await second.resume(), 1);
    await second.idle();
    endpoint.close();
    assert.equal(endpoint.calls(), 2);
    assert.deepEqual(
      log.list().map((r) => [r.status, r.attempts, r.messageId]),
      [['delivered', 2, 'm1']],
    );
    assert.deepEqual(await new PendingDeliveries(store).all(), []);
  });

  it('a delivery whose subscription was deleted while it waited is dropped, not sent', async () => {
    const endpoint = await flakyEndpoint(1);
    const log = new SnsDeliveryLog();
    const pending = new PendingDeliveries(new SqliteStore({ path: ':memory:' }));
    let subscribed = true;
    // The subscription goes away during the wait before the second attempt.
    const d = drivers({ log, pending, subscribed: () => subscribed, sleep: async () => void (subscribed = false) });
    await d.deliver(httpSub(endpoint.url), topic, note);
    await d.idle();
    endpoint.close();
    assert.equal(endpoint.calls(), 1, 'no attempt after the subscription was deleted');
    assert.deepEqual(
      log.list().map((r) => [r.status, r.attempts, r.error]),
      [
        ['failed', 1, 'The subscription was deleted before the message was delivered'],
        ['retrying', 1, 'HTTP 503'],
      ],
    );
    assert.deepEqual(await pending.all(), [], 'the dropped delivery is no longer pending');
  });

  it('mail is tried 3 times, then given up and removed', async () => {
    const log = new SnsDeliveryLog();
    const pending = new PendingDeliveries(new SqliteStore({ path: ':memory:' }));
    let tries = 0;
    const d = drivers({
      log,
      pending,
      sleep: async () => {},
      mail: {
        send: async () =>
          void (tries++,
          (() => {
            throw new Error('SMTP down');
          })()),
      },
    });
    await d.deliver({ ...httpSub('ops@example.com'), protocol: 'email' }, topic, note);
    await d.idle();
    assert.equal(tries, 3);
    assert.deepEqual(
      log.list().map((r) => [r.status, r.attempts]),
      [
        ['failed', 3],
        ['retrying', 2],
        ['retrying', 1],
      ],
    );
    assert.deepEqual(await pending.all(), []);
  });

  it('defaults to AWS: 3 retries, 20 s apart; the subscription overrides the topic', () => {
    const sub = { attributes: {} } as unknown as SubscriptionDoc;
    const d = retryPolicyFor(sub, topic);
    assert.equal(d.retry.numRetries, 3);
    assert.deepEqual(
      [1, 2, 3].map((n) => retryDelay(d.retry, n)),
      [20, 20, 20],
    );
    assert.equal(d.contentType, 'text/plain; charset=UTF-8');
    const t2 = {
      ...topic,
      attributes: {
        DeliveryPolicy: JSON.stringify({
          http: {
            defaultHealthyRetryPolicy: { numRetries: 5, minDelayTarget: 2, maxDelayTarget: 10 },
            defaultRequestPolicy: { headerContentType: 'application/json' },
          },
        }),
      },
    };
    const p = retryPolicyFor(sub, t2);
    assert.deepEqual(
      [1, 5].map((n) => retryDelay(p.retry, n)),
      [2, 10],
    );
    assert.equal(p.contentType, 'application/json');
  });
});
