import {
  CreateTopicCommand,
  ListSubscriptionsByTopicCommand,
  SetSubscriptionAttributesCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { after, before } from 'node:test';
import type { Clock } from '../../src/core/shared/clock.js';
import { startTestServer } from '../e2e/helpers.js';
import { createVerify, X509Certificate } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '../support/signed-fetch.js';
import type { App } from '../../src/server/app.js';
import { inProcess } from '../support/in-process.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/** SDK clients calling the server in-process (test/support/in-process.ts): behaviour, not sockets. */
export const snsClient = (app: App): SNSClient => new SNSClient(inProcess(app, 'us-east-1', credentials));
export const sqsClient = (app: App): SQSClient => new SQSClient(inProcess(app, 'us-east-1', credentials));

/** Polls `check` until it returns a value (not undefined) or the time runs out. */
export async function waitFor<T>(check: () => T | undefined | Promise<T | undefined>, what: string, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * A topic with one confirmed HTTP subscription (the endpoint must confirm it) whose delivery
 * policy is `linear` retries `delaySeconds` apart: for tests that act while a retry waits.
 */
export async function topicWithRetryingHttpSubscriber(
  sns: SNSClient,
  name: string,
  endpoint: string,
  retries: number,
  delaySeconds: number,
): Promise<{ TopicArn: string; SubscriptionArn: string }> {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: endpoint }));
  const SubscriptionArn = await waitFor(async () => {
    const { Subscriptions } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    return Subscriptions?.find((s) => s.SubscriptionArn?.startsWith('arn:'))?.SubscriptionArn;
  }, 'a confirmed subscription');
  const retry = {
    healthyRetryPolicy: {
      numRetries: retries,
      numNoDelayRetries: 0,
      minDelayTarget: delaySeconds,
      maxDelayTarget: delaySeconds,
      backoffFunction: 'linear',
    },
  };
  await sns.send(
    new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'DeliveryPolicy', AttributeValue: JSON.stringify(retry) }),
  );
  return { TopicArn: TopicArn!, SubscriptionArn };
}

/** A SigV4-signed awsQuery call (form in, XML out), as CLI v2.9 and older SDKs send them. */
export async function queryCall(
  app: App,
  service: 'sns' | 'sqs',
  params: Record<string, string>,
): Promise<{ status: number; body: string }> {
  const url = new URL(app.url);
  const body = new URLSearchParams(params).toString();
  const signer = new SignatureV4({ service, region: 'us-east-1', credentials, sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body,
  });
  const res = await fetch(`${app.url}/`, { method: 'POST', headers: signed.headers as Record<string, string>, body });
  return { status: res.status, body: await res.text() };
}

/** A POST an HTTP/S subscriber received, with the status it answered. */
export interface ReceivedPost {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly doc: Record<string, string>;
  readonly status: number;
}

export interface TestSubscriber {
  /** The endpoint to subscribe (`http://127.0.0.1:<port>/hook`). */
  readonly url: string;
  /** Every POST so far, in arrival order. */
  readonly posts: ReceivedPost[];
  close(): Promise<void>;
}

/**
 * An HTTP endpoint on 127.0.0.1 for SNS to post to. It keeps every POST and answers
 * `status(doc)` (200 unless told otherwise); with `confirm` it first follows each
 * SubscriptionConfirmation's SubscribeURL, as a subscriber that wants the messages does.
 */
export async function startSubscriber(
  options: { confirm?: boolean; status?: (doc: Record<string, string>) => number } = {},
): Promise<TestSubscriber> {
  const posts: ReceivedPost[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', async () => {
      const doc = JSON.parse(body) as Record<string, string>;
      if (options.confirm && doc.Type === 'SubscriptionConfirmation') await fetch(doc.SubscribeURL!);
      const status = options.status?.(doc) ?? 200;
      posts.push({ headers: req.headers, body, doc, status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    posts,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/**
 * Verifies an SNS message's signature the way a subscriber that trusts nothing of amiwatch's
 * code does, from AWS's documentation alone (sns-verify-signature-of-message): the string to sign
 * from the type's field list, the certificate fetched from SigningCertURL, SHA1withRSA or
 * SHA256withRSA by SignatureVersion.
 */
export async function verifiesSnsSignature(doc: Record<string, string>): Promise<boolean> {
  const fields =
    doc.Type === 'Notification'
      ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type']
      : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  const text = fields
    .filter((f) => doc[f] !== undefined)
    .map((f) => `${f}\n${doc[f]}\n`)
    .join('');
  const cert = new X509Certificate(await (await fetch(doc.SigningCertURL!)).text());
  return createVerify(doc.SignatureVersion === '2' ? 'RSA-SHA256' : 'RSA-SHA1')
    .update(text, 'utf8')
    .verify(cert.publicKey, doc.Signature!, 'base64');
}

/**
 * One server (on `clock`) for a test file's SQS tests: started before them, closed after them.
 * `use` receives it and an SQS client for it once it is up.
 */
export function sqsServerForTests(clock: Clock, use: (app: App, sqs: SQSClient) => void): void {
  let app: App | undefined;
  let sqs: SQSClient | undefined;
  before(async () => {
    app = await startTestServer({}, { clock });
    sqs = sqsClient(app);
    use(app, sqs);
  });
  after(async () => {
    sqs?.destroy();
    await app?.close();
  });
}

/** Creates a queue (with attributes, if given) and returns its URL. */
export async function createQueue(sqs: SQSClient, name: string, Attributes?: Record<string, string>): Promise<string> {
  return (await sqs.send(new CreateQueueCommand({ QueueName: name, ...(Attributes && { Attributes }) }))).QueueUrl!;
}

/** A real HTTP server standing in for the SMS/push provider (`--notify-webhook-url`): it keeps every JSON body POSTed to it. */
export async function startWebhook(): Promise<{ url: string; calls: Record<string, unknown>[]; close(): Promise<void> }> {
  const calls: Record<string, unknown>[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => (calls.push(JSON.parse(body) as Record<string, unknown>), res.writeHead(204).end()));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`,
    calls,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
