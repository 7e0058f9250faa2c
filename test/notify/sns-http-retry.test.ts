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
import { SnsEndpointDrivers } from '../../src/delivery/sns/sns-endpoints.js';

/** HTTP delivery retries follow the delivery policy; waits are recorded, not slept. */
const topic: TopicDoc = { name: 't', arn: 'arn:aws:sns:us-east-1:000000000000:t', account: '000000000000', region: 'us-east-1', attributes: {}, tags: {}, createdAt: 0 };

describe('SNS HTTP delivery policy', () => {
  it('retries a failing endpoint per healthyRetryPolicy, then records the outcome', async () => {
    let calls = 0;
    const server = createServer((req, res) => {
      req.resume();
      calls++;
      res.writeHead(calls <= 2 ? 503 : 200).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const waits: number[] = [];
    const log = new SnsDeliveryLog();
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const drivers = new SnsEndpointDrivers({
      clock: new ManualClock(),
      random: seededRandom(1),
      signer: rsaSigner({ keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, certPem: '' }, 'http://x/cert.pem'),
      links: { subscribeUrl: () => 'http://x/s', unsubscribeUrl: () => 'http://x/u', confirmPageUrl: () => 'http://x/c' },
      sqs: {} as SqsMessages,
      mail: { send: async () => {} },
      mailFrom: 'a@b',
      outbox: {} as Outbox,
      lambda: missingLambda,
      log,
      sleep: async (ms) => void waits.push(ms),
    });
    const sub: SubscriptionDoc = {
      arn: `${topic.arn}:1`, topicArn: topic.arn, account: '000000000000', protocol: 'http', confirmed: true, createdAt: 0,
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
      attributes: { DeliveryPolicy: JSON.stringify({ healthyRetryPolicy: { numRetries: 3, minDelayTarget: 1, maxDelayTarget: 5, numNoDelayRetries: 1, backoffFunction: 'linear' } }) },
    };
    await drivers.deliver(sub, topic, { messageId: 'm1', topicArn: topic.arn, message: 'hi', attributes: {}, timestamp: 0 });
    await drivers.idle();
    server.close();
    assert.equal(calls, 3);
    assert.deepEqual(waits, [0, 1000], 'one immediate retry, then the minimum delay');
    assert.deepEqual(log.list().map((r) => [r.status, r.attempts]), [['delivered', 3], ['retrying', 2], ['retrying', 1]]);
  });

  it('defaults to AWS: 3 retries, 20 s apart; the subscription overrides the topic', () => {
    const sub = { attributes: {} } as unknown as SubscriptionDoc;
    const d = retryPolicyFor(sub, topic);
    assert.equal(d.retry.numRetries, 3);
    assert.deepEqual([1, 2, 3].map((n) => retryDelay(d.retry, n)), [20, 20, 20]);
    assert.equal(d.contentType, 'text/plain; charset=UTF-8');
    const t2 = { ...topic, attributes: { DeliveryPolicy: JSON.stringify({ http: { defaultHealthyRetryPolicy: { numRetries: 5, minDelayTarget: 2, maxDelayTarget: 10 }, defaultRequestPolicy: { headerContentType: 'application/json' } } }) } };
    const p = retryPolicyFor(sub, t2);
    assert.deepEqual([1, 5].map((n) => retryDelay(p.retry, n)), [2, 10]);
    assert.equal(p.contentType, 'application/json');
  });
});
