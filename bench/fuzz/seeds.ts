import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where a request goes, and so which error shape it must get back. */
export type Protocol = 'json11' | 'json10' | 'query' | 'ec2' | 'rest-json' | 'control' | 'console';

export interface WireSeed {
  readonly name: string;
  readonly protocol: Protocol;
  readonly method: string;
  readonly path: string;
  /** Header names lowercased; no host or content-length (the sender sets them). */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** A raw HTTP request (request line, CRLF headers, body): header names lowercased, the body's bytes. */
export function parseHttp(raw: Buffer): { method: string; url: string; headers: Record<string, string>; body: Buffer } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, split).toString('latin1').split('\r\n');
  const [method, url] = head[0]!.split(' ') as [string, string];
  const headers: Record<string, string> = {};
  for (const line of head.slice(1)) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  return { method, url, headers, body: raw.subarray(split + 4) };
}

const SKIPPED = new Set(['host', 'content-length', 'connection']);

/** A capture file as a seed; its protocol told by its headers and body. */
export function parseCapture(name: string, raw: Buffer): WireSeed {
  const { method, url: path, headers: all, body: bytes } = parseHttp(raw);
  const headers = Object.fromEntries(Object.entries(all).filter(([k]) => !SKIPPED.has(k)));
  const body = bytes.toString('utf8');
  const protocol: Protocol = headers['x-amz-target'] ? 'json11' : body.includes('Version=2016-11-15') ? 'ec2' : 'query';
  return { name, protocol, method, path, headers, body };
}

/** The real CLI v1/v2 and SDK v3 captures (test/fixtures/wire): EventBridge, SNS, EC2. */
export function captureSeeds(dir: string): WireSeed[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.http'))
    .sort()
    .map((f) => parseCapture(f, readFileSync(join(dir, f))));
}

const scope = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=test/20261124/us-east-1/${service}/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=00`;
const FORM = 'application/x-www-form-urlencoded; charset=utf-8';
const date = { 'x-amz-date': '20261124T233401Z' };
const sqsJson = (op: string, body: object): WireSeed => ({
  name: `sqs-json-${op}`,
  protocol: 'json10',
  method: 'POST',
  path: '/',
  headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${op}`, authorization: scope('sqs'), ...date },
  body: JSON.stringify(body),
});
const sqsQuery = (params: string): WireSeed => ({
  name: `sqs-query-${params.split('&')[0]}`,
  protocol: 'query',
  method: 'POST',
  path: '/',
  headers: { 'content-type': FORM, authorization: scope('sqs'), ...date },
  body: `${params}&Version=2012-11-05`,
});
const lambda = (method: string, path: string, body = ''): WireSeed => ({
  name: `lambda-${method}-${path}`,
  protocol: 'rest-json',
  method,
  path,
  headers: { 'content-type': 'application/json', authorization: scope('lambda'), ...date },
  body,
});
const control = (method: string, path: string, body = ''): WireSeed => ({
  name: `control-${method}-${path}`,
  protocol: 'control',
  method,
  path,
  headers: body ? { 'content-type': 'application/json' } : {},
  body,
});
const QUEUE = 'http://127.0.0.1/000000000000/fuzz-q';
const FN_ARN = 'arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Afuzz-fn';

/**
 * Seeds for what the captures do not cover, written the way the clients write them: SQS in
 * JSON 1.0 (SDK v3) and awsQuery (CLI v2.9), Lambda's REST-JSON, and the control API.
 */
export const syntheticSeeds: readonly WireSeed[] = [
  sqsJson('CreateQueue', { QueueName: 'fuzz-q', Attributes: { VisibilityTimeout: '30' } }),
  sqsJson('SendMessage', { QueueUrl: QUEUE, MessageBody: 'hello', MessageAttributes: { a: { DataType: 'String', StringValue: 'b' } } }),
  sqsJson('ReceiveMessage', { QueueUrl: QUEUE, MaxNumberOfMessages: 2, WaitTimeSeconds: 0 }),
  sqsJson('SendMessageBatch', {
    QueueUrl: QUEUE,
    Entries: [
      { Id: '1', MessageBody: 'a' },
      { Id: '2', MessageBody: 'b' },
    ],
  }),
  sqsJson('ListQueues', {}),
  sqsQuery('Action=CreateQueue&QueueName=fuzz-q&Attribute.1.Name=DelaySeconds&Attribute.1.Value=0'),
  sqsQuery(
    `Action=SendMessage&QueueUrl=${encodeURIComponent(QUEUE)}&MessageBody=hi&MessageAttribute.1.Name=a&MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringValue=b`,
  ),
  sqsQuery(`Action=GetQueueAttributes&QueueUrl=${encodeURIComponent(QUEUE)}&AttributeName.1=All`),
  lambda('GET', '/2015-03-31/functions'),
  lambda('GET', `/2015-03-31/functions/${FN_ARN}`),
  lambda(
    'POST',
    '/2015-03-31/functions',
    JSON.stringify({
      FunctionName: 'fuzz-fn',
      Runtime: 'nodejs20.x',
      Role: 'arn:aws:iam::000000000000:role/r',
      Handler: 'index.handler',
      Code: { ZipFile: 'UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==' },
    }),
  ),
  lambda('POST', '/2015-03-31/functions/fuzz-fn/invocations', '{"a":1}'),
  lambda(
    'POST',
    '/2015-03-31/functions/fuzz-fn/policy',
    JSON.stringify({ StatementId: 's', Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com' }),
  ),
  lambda('DELETE', '/2015-03-31/functions/fuzz-fn'),
  control('GET', '/_amiwatch/health'),
  control('GET', '/_amiwatch/status'),
  control('GET', '/_amiwatch/events?limit=5&bus=default'),
  control('GET', '/_amiwatch/ec2/faults'),
  control('POST', '/_amiwatch/ec2/faults', JSON.stringify({ operation: 'CreateImage', namePrefix: 'x', outcome: 'failed' })),
  control('GET', '/_amiwatch/functions'),
  control('GET', '/_amiwatch/metrics?namespace=AWS/Events'),
  control('GET', '/_amiwatch/mailbox'),
  control('GET', '/_amiwatch/outbox'),
  control('GET', '/_amiwatch/sns/public/unsubscribe.html?SubscriptionArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3At%3Ax'),
];
