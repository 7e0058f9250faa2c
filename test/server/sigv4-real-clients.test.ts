import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateFunctionCommand, GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SignatureV4 } from '@smithy/signature-v4';
import type { App } from '../../src/server/app.js';
import { NodeSha256 } from '../../src/wire/sigv4/canonical-request.js';
import { startTestServer } from '../e2e/helpers.js';
import { ROLE, zipOf } from '../lambda/helpers.js';
import { awsCliEnv, awsCliSkip, awsCliV2 } from '../support/aws-cli.js';

/**
 * Signatures verified for real (a credentials file), driven by real clients: the AWS CLI v1
 * (pip, `aws` on PATH), the AWS CLI v2 (/usr/bin/aws), the AWS SDK for JavaScript v3 and its
 * signer, and botocore's presigner. Issue 22, findings 7 and 8.
 */
const dir = mkdtempSync(join(tmpdir(), 'amiwatch-sigv4-'));
const credentialsFile = join(dir, 'credentials.json');
writeFileSync(
  credentialsFile,
  JSON.stringify({ credentials: [{ accessKeyId: 'test', secretAccessKey: 'test', accountId: '222233334444' }] }),
);
let app: App;
let functionArn = '';
const keys = { accessKeyId: 'test', secretAccessKey: 'test' };

before(async () => {
  app = await startTestServer({ credentialsFile });
  const lambda = new LambdaClient({ endpoint: app.url, region: 'us-east-1', credentials: keys, maxAttempts: 1 });
  const created = await lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'by-arn',
      Runtime: 'nodejs20.x',
      Role: ROLE,
      Handler: 'index.handler',
      Code: { ZipFile: zipOf({ 'index.js': 'exports.handler = async () => 1;' }) },
    }),
  );
  functionArn = created.FunctionArn!;
  lambda.destroy();
});
after(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The pip CLI v1 comes first on PATH here (ENVIRONMENT.md); elsewhere its test is skipped. */
const v1 = spawnSync('aws', ['--version'], { encoding: 'utf8' });
const awsCliV1Skip = /aws-cli\/1\./.test(`${v1.stdout ?? ''}${v1.stderr ?? ''}`) ? false : 'no AWS CLI v1 (pip) as `aws` on PATH';

type Run = { code: number; stdout: string; stderr: string };
const run = (cli: string, args: string[], env: Record<string, string> = {}): Promise<Run> =>
  promisify(execFile)(cli, ['--endpoint-url', app.url, '--output', 'json', ...args], { env: { ...awsCliEnv(), ...env } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: Run) => e,
  );

test('finding 7: SDK v3 gets a function by its ARN (the path signed double-encoded)', async () => {
  assert.match(functionArn, /^arn:aws:lambda:us-east-1:222233334444:function:by-arn$/);
  const lambda = new LambdaClient({ endpoint: app.url, region: 'us-east-1', credentials: keys, maxAttempts: 1 });
  const out = await lambda.send(new GetFunctionCommand({ FunctionName: functionArn }));
  assert.equal(out.Configuration?.FunctionArn, functionArn);
  // A partial ARN (account:function:name) has colons too.
  const partial = await lambda.send(new GetFunctionCommand({ FunctionName: '222233334444:function:by-arn' }));
  assert.equal(partial.Configuration?.FunctionName, 'by-arn');
  lambda.destroy();
});

for (const [name, cli, skip] of [
  ['CLI v1 (aws on PATH)', 'aws', awsCliV1Skip],
  ['CLI v2', awsCliV2, awsCliSkip],
] as const) {
  test(`finding 7: ${name} gets a function by its ARN`, { skip }, async () => {
    const r = await run(cli, ['lambda', 'get-function', '--function-name', functionArn]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { Configuration: { FunctionArn: string } }).Configuration.FunctionArn, functionArn);
  });
}

test('finding 8: each protocol answers authentication failures with its own codes (CLI v2)', { skip: awsCliSkip }, async () => {
  const badSecret = { AWS_SECRET_ACCESS_KEY: 'nope' };
  const unknownKey = { AWS_ACCESS_KEY_ID: 'AKIDUNKNOWN' };
  const cases: [string[], Record<string, string>, RegExp][] = [
    [['sns', 'list-topics'], badSecret, /\(SignatureDoesNotMatch\).*The request signature we calculated does not match/],
    [['sns', 'list-topics'], unknownKey, /\(InvalidClientTokenId\).*The security token included in the request is invalid/],
    [['sqs', 'list-queues'], badSecret, /\(SignatureDoesNotMatch\)/],
    [
      ['ec2', 'describe-images', '--owners', 'self'],
      badSecret,
      /\(AuthFailure\).*AWS was not able to validate the provided access credentials/,
    ],
    [['ec2', 'describe-images', '--owners', 'self'], unknownKey, /\(AuthFailure\)/],
  ];
  for (const [args, env, expected] of cases) {
    const r = await run(awsCliV2, args, env);
    assert.notEqual(r.code, 0, `${args.join(' ')} succeeded with bad credentials`);
    assert.match(r.stderr, expected, args.join(' '));
  }
});

test('finding 8: the SDK reads the query and JSON auth codes (SNS query, SQS JSON 1.0)', async () => {
  const sns = new SNSClient({
    endpoint: app.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
  await assert.rejects(sns.send(new ListTopicsCommand({})), (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(e.name, 'InvalidClientTokenId');
    assert.equal(e.$metadata?.httpStatusCode, 403);
    return true;
  });
  const sqs = new SQSClient({
    endpoint: app.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'nope' },
    maxAttempts: 1,
  });
  // JSON 1.0 with awsQueryCompatible: the SDK takes the query code from x-amzn-query-error.
  await assert.rejects(sqs.send(new ListQueuesCommand({})), (e: Error) => e.name === 'SignatureDoesNotMatch');
  sns.destroy();
  sqs.destroy();
});

const signer = (service: string) => new SignatureV4({ service, region: 'us-east-1', credentials: keys, sha256: NodeSha256 });

test('finding 8: a presigned (query-string) request signed by the SDK is accepted; expired or altered, refused', async () => {
  const url = new URL(app.url);
  const request = {
    method: 'GET',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    query: { Action: 'ListTopics', Version: '2010-03-31' },
    headers: { host: url.host },
  };
  const toUrl = (q: Record<string, unknown>) => `${app.url}/?${new URLSearchParams(q as Record<string, string>)}`;
  const presigned = await signer('sns').presign(request, { expiresIn: 300 });
  const ok = await fetch(toUrl(presigned.query!));
  assert.equal(ok.status, 200, await ok.clone().text());
  assert.match(await ok.text(), /<ListTopicsResponse/);
  const old = await signer('sns').presign(request, { expiresIn: 60, signingDate: new Date(Date.now() - 120_000) });
  const expired = await fetch(toUrl(old.query!));
  assert.equal(expired.status, 400);
  assert.match(await expired.text(), /<Code>RequestExpired<\/Code><Message>Request has expired\.<\/Message>/);
  const altered = await fetch(toUrl({ ...presigned.query, Action: 'ListSubscriptions' }));
  assert.equal(altered.status, 403);
  assert.match(await altered.text(), /<Code>SignatureDoesNotMatch<\/Code>/);
  const tooLong = await signer('sns').presign(request, { expiresIn: 604_800 });
  assert.equal((await fetch(toUrl({ ...tooLong.query, 'X-Amz-Expires': '604801' }))).status, 400);
});

test("finding 8: botocore's presigned URL (CLI v1's library) is accepted", { skip: awsCliV1Skip }, async () => {
  const script = [
    'import sys, botocore.session',
    "c = botocore.session.get_session().create_client('sns', region_name='us-east-1', endpoint_url=sys.argv[1], aws_access_key_id='test', aws_secret_access_key='test')",
    // Signed for the operation's own method (POST, awsQuery's) unless told otherwise.
    "print(c.generate_presigned_url('list_topics', ExpiresIn=120))",
    "print(c.generate_presigned_url('list_topics', ExpiresIn=120, HttpMethod='GET'))",
  ].join('\n');
  const { stdout } = await promisify(execFile)('python3', ['-c', script, app.url], { env: awsCliEnv() });
  const [post, get] = stdout.trim().split('\n') as [string, string];
  for (const [url, method] of [
    [post, 'POST'],
    [get, 'GET'],
  ] as const) {
    const res = await fetch(url, { method });
    assert.equal(res.status, 200, `${method}: ${await res.clone().text()}`);
    assert.match(await res.text(), /<ListTopicsResponse/);
  }
  // The same URL with the other method is another request: its signature does not hold.
  assert.equal((await fetch(post, { method: 'GET' })).status, 403);
});

test('finding 8: UNSIGNED-PAYLOAD, an unsigned host and a scope for another service are refused', async () => {
  const url = new URL(app.url);
  const body = JSON.stringify({});
  const base = { method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', body };
  const eventsHeaders = { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.ListRules' };
  const send = async (signed: { headers: Record<string, string> }, sentBody = body) => {
    const res = await fetch(app.url, { method: 'POST', headers: signed.headers, body: sentBody });
    return { status: res.status, json: (await res.json()) as { __type: string; message: string } };
  };
  // Signed as S3 would allow: the payload left out of the signature, then the body swapped.
  const unsigned = await signer('events').sign({ ...base, headers: { ...eventsHeaders, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
  const swapped = await send(unsigned as { headers: Record<string, string> }, JSON.stringify({ NamePrefix: 'x' }));
  assert.equal(swapped.status, 403);
  assert.equal(swapped.json.__type, 'InvalidSignatureException');
  // The same request signed over its real body works: the refusal above is the payload's.
  assert.equal(
    (await send((await signer('events').sign({ ...base, headers: eventsHeaders })) as { headers: Record<string, string> })).status,
    200,
  );
  const { host: _host, ...noHost } = eventsHeaders;
  const hostless = await send((await signer('events').sign({ ...base, headers: noHost })) as { headers: Record<string, string> });
  assert.equal(hostless.status, 403);
  assert.equal(hostless.json.message, "'Host' must be a 'SignedHeader' in the AWS Authorization.");
  const otherService = await send((await signer('sns').sign({ ...base, headers: eventsHeaders })) as { headers: Record<string, string> });
  assert.equal(otherService.status, 403);
  assert.equal(otherService.json.message, "Credential should be scoped to correct service: 'events'. ");
  const badRegion = await send(
    (await new SignatureV4({ service: 'events', region: 'nowhere', credentials: keys, sha256: NodeSha256 }).sign({
      ...base,
      headers: eventsHeaders,
    })) as { headers: Record<string, string> },
  );
  assert.equal(badRegion.status, 403);
  assert.equal(badRegion.json.message, "Credential should be scoped to a valid region, not 'nowhere'. ");
});
