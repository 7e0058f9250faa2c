import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { CreateImageCommand, DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { PutRuleCommand, PutTargetsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { parseAmiDurations } from '../../src/server/config.js';
import type { App } from '../../src/server/app.js';
import { sdkClient, startTestServer } from '../e2e/helpers.js';
import { awsCliEnv, awsCliJson, awsCliSkip as skip, awsCliV2 } from '../support/aws-cli.js';
import { runningInstance } from '../support/ec2-instance.js';
import { allowEventsToQueue } from '../support/target-policies.js';
import { ROLE, until, zipOf } from './helpers.js';

/**
 * The other half of how AMI automation is wired on AWS: the guide's rule sends AMI events to an
 * SQS queue, and a Python function (boto3 inside, talking back to amiwatch) consumes the queue
 * through an event source mapping. Everything through real clients over a real socket — the AWS
 * CLI v2 for Lambda and CloudWatch Logs, the SDK v3 for EC2, EventBridge and SQS — with real
 * processes (the function runs in the sandbox on this machine's Python) and SQS's own clock.
 */
const ACCOUNT = '000000000000';
const GUIDE_PATTERN = '{"source":["aws.ec2"],"detail-type":["EC2 AMI State Change"],"detail":{"State":["available"]}}';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const run = promisify(execFile);
const qArn = (name: string) => `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`;

/** As written for AWS: nothing amiwatch-specific. A record it cannot handle is reported, not raised. */
const SCANNER = `import json
import logging

import boto3

logger = logging.getLogger()
logger.setLevel(logging.INFO)
ec2 = boto3.client('ec2')


def lambda_handler(event, context):
    records = event['Records']
    logger.info('batch of %d', len(records))
    failures = []
    for record in records:
        try:
            image_id = json.loads(record['body'])['detail']['ImageId']
            ec2.create_tags(Resources=[image_id], Tags=[{'Key': 'Scanned', 'Value': context.aws_request_id}])
            print(f"tagged {image_id} (message {record['messageId']}, receive {record['attributes']['ApproximateReceiveCount']})")
        except Exception as err:
            logger.error('cannot handle %s: %s', record['messageId'], err)
            failures.append({'itemIdentifier': record['messageId']})
    return {'batchItemFailures': failures}
`;

describe('an SQS-triggered Python function (boto3) behind the guide’s rule: batches, partial failures, DLQ, CloudWatch Logs', {
  skip,
}, () => {
  let app: App;
  let dir: string;
  let eb: EventBridgeClient;
  let ec2: EC2Client;
  let sqs: SQSClient;
  const aws = awsCliJson(
    () => app.url,
    () => dir,
  );
  const depth = async (url: string) => {
    const names = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] as const;
    const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: [...names] }))).Attributes!;
    return Number(a.ApproximateNumberOfMessages) + Number(a.ApproximateNumberOfMessagesNotVisible);
  };

  before(async () => {
    app = await startTestServer({ amiDurations: parseAmiDurations('300ms') });
    dir = await mkdtemp(join(tmpdir(), 'amiwatch-python-sqs-'));
    await writeFile(join(dir, 'scanner.zip'), zipOf({ 'scanner.py': SCANNER }));
    eb = sdkClient(app);
    ec2 = new EC2Client({ endpoint: app.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    sqs = new SQSClient({ endpoint: app.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  });
  after(async () => {
    for (const c of [eb, ec2, sqs]) c?.destroy();
    await app?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('AMI events queued by the rule are tagged in batches of 2; the poison message is retried and lands in the DLQ; the logs are in /aws/lambda/ami-scanner', {
    timeout: 150_000,
  }, async () => {
    const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'ami-events-dlq' }))).QueueUrl!;
    const url = (
      await sqs.send(
        new CreateQueueCommand({
          QueueName: 'ami-events',
          Attributes: {
            VisibilityTimeout: '3',
            RedrivePolicy: JSON.stringify({ deadLetterTargetArn: qArn('ami-events-dlq'), maxReceiveCount: 2 }),
          },
        }),
      )
    ).QueueUrl!;
    const { RuleArn } = await eb.send(new PutRuleCommand({ Name: 'ami-available', EventPattern: GUIDE_PATTERN }));
    await allowEventsToQueue(sqs, url, RuleArn);
    await eb.send(new PutTargetsCommand({ Rule: 'ami-available', Targets: [{ Id: 'scan', Arn: qArn('ami-events') }] }));

    const fn = await aws(
      'lambda',
      'create-function',
      '--function-name',
      'ami-scanner',
      '--runtime',
      'python3.12',
      '--handler',
      'scanner.lambda_handler',
      '--timeout',
      '3',
      '--role',
      ROLE,
      '--zip-file',
      'fileb://scanner.zip',
    );
    assert.equal(fn.code, 0, fn.stderr);
    const esm = await aws(
      'lambda',
      'create-event-source-mapping',
      '--function-name',
      'ami-scanner',
      '--event-source-arn',
      qArn('ami-events'),
      '--batch-size',
      '2',
      '--function-response-types',
      'ReportBatchItemFailures',
      '--no-enabled',
    );
    assert.equal(esm.code, 0, esm.stderr);
    assert.deepEqual([esm.out.State, esm.out.BatchSize, esm.out.FunctionResponseTypes], ['Creating', 2, ['ReportBatchItemFailures']]);

    // Three images become available while the mapping is off: their events wait in the queue.
    const instance = await runningInstance(ec2);
    const images: string[] = [];
    for (const name of ['web-v1', 'web-v2', 'web-v3'])
      images.push((await ec2.send(new CreateImageCommand({ InstanceId: instance, Name: name }))).ImageId!);
    const poison = await sqs.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: JSON.stringify({ detail: { ImageId: 'ami-0123456789abcdef0' } }) }),
    );
    await until(async () => ((await depth(url)) === 4 ? true : undefined), 20_000);

    // As infrastructure code does it: the function's log group made beforehand, with a retention
    // (Lambda writes into it; without it `logs tail` would find no group until the first run).
    assert.equal((await aws('logs', 'create-log-group', '--log-group-name', '/aws/lambda/ami-scanner')).code, 0);
    const kept = await aws('logs', 'put-retention-policy', '--log-group-name', '/aws/lambda/ami-scanner', '--retention-in-days', '14');
    assert.equal(kept.code, 0, kept.stderr);
    // The author watches the function's log live while the mapping starts.
    const follow = spawn(
      awsCliV2,
      ['--endpoint-url', app.url, 'logs', 'tail', '/aws/lambda/ami-scanner', '--follow', '--format', 'short'],
      {
        env: { ...awsCliEnv(), PYTHONUNBUFFERED: '1' },
      },
    );
    let followed = '';
    follow.stdout.on('data', (d: Buffer) => (followed += d.toString('utf8')));
    follow.stderr.on('data', (d: Buffer) => (followed += d.toString('utf8')));
    const on = await aws('lambda', 'update-event-source-mapping', '--uuid', esm.out.UUID, '--enabled');
    assert.equal(on.code, 0, on.stderr);
    try {
      await until(() => (images.every((id) => followed.includes(`tagged ${id} `)) ? true : undefined), 45_000);
      assert.match(followed, /cannot handle/);
    } finally {
      follow.kill('SIGKILL');
    }

    const dead = await until(async () => (await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl }))).Messages?.[0], 30_000);
    assert.equal(dead.MessageId, poison.MessageId, 'the reported failure went to the DLQ after maxReceiveCount receives');
    assert.equal(await depth(url), 0, 'the handled messages were deleted from the queue');
    const described = (await ec2.send(new DescribeImagesCommand({ ImageIds: images }))).Images!;
    assert.equal(described.length, 3);
    for (const image of described) {
      const tag = image.Tags?.find((t) => t.Key === 'Scanned');
      assert.match(tag?.Value ?? '', /^[0-9a-f-]{36}$/, `${image.ImageId} was tagged by the function through boto3`);
    }
    const got = await aws('lambda', 'get-event-source-mapping', '--uuid', esm.out.UUID);
    assert.deepEqual([got.out.State, got.out.LastProcessingResult], ['Enabled', 'OK']);

    // The function's log, read as its author reads it.
    const filtered = await aws('logs', 'filter-log-events', '--log-group-name', '/aws/lambda/ami-scanner');
    assert.equal(filtered.code, 0, filtered.stderr);
    const messages: string[] = filtered.out.events.map((e: { message: string }) => e.message);
    const batches = messages.flatMap((m) => /^\[INFO\]\t\S+\t[0-9a-f-]{36}\tbatch of (\d+)$/.exec(m)?.[1] ?? []).map(Number);
    assert.ok(Math.max(...batches) === 2, `no batch is larger than BatchSize, and the queued messages came two at a time: ${batches}`);
    for (const id of images) assert.equal(messages.filter((m) => m.startsWith(`tagged ${id} `)).length, 1, `${id} handled once`);
    const errors = messages.filter((m) => m.startsWith('[ERROR]'));
    assert.equal(errors.length, 2, 'the poison message was received maxReceiveCount (2) times');
    assert.match(
      errors[0]!,
      new RegExp(`^\\[ERROR\\]\\t\\S+Z\\t[0-9a-f-]{36}\\tcannot handle ${poison.MessageId}: .*InvalidAMIID\\.NotFound`),
    );
    assert.ok(messages.some((m) => m.startsWith('REPORT RequestId: ')));
    const tail = await run(awsCliV2, ['--endpoint-url', app.url, 'logs', 'tail', '/aws/lambda/ami-scanner', '--since', '10m'], {
      env: awsCliEnv(),
    });
    assert.equal(tail.stdout.split('cannot handle').length - 1, 2, tail.stdout);
    assert.match(tail.stdout, new RegExp(`tagged ${images[0]} `));
    const group = await aws('logs', 'describe-log-groups', '--log-group-name-prefix', '/aws/lambda/ami-scanner');
    assert.deepEqual(
      group.out.logGroups.map((g: { logGroupName: string; retentionInDays: number }) => [g.logGroupName, g.retentionInDays]),
      [['/aws/lambda/ami-scanner', 14]],
      'the function wrote into the group made for it, whose retention stays',
    );
    const streams = await aws('logs', 'describe-log-streams', '--log-group-name', '/aws/lambda/ami-scanner');
    for (const s of streams.out.logStreams) assert.match(s.logStreamName, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
  });
});
