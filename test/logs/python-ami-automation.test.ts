import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateImageCommand, DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { PutRuleCommand, PutTargetsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { AddPermissionCommand, CreateFunctionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import {
  CloudWatchLogsClient,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { parseAmiDurations } from '../../src/server/config.js';
import type { App } from '../../src/server/app.js';
import { sdkClient, startTestServer } from '../e2e/helpers.js';
import { lambdaClient, ROLE, until, zipOf } from '../lambda/helpers.js';
import { inProcess } from '../support/in-process.js';
import { runningInstance } from '../support/ec2-instance.js';

const GUIDE_PATTERN = '{"source":["aws.ec2"],"detail-type":["EC2 AMI State Change"],"detail":{"State":["available"]}}';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/** The canonical AMI automation function, as written for AWS: nothing amiwatch-specific in it. */
const AMI_FUNCTION = `import boto3

ec2 = boto3.client('ec2')

def lambda_handler(event, context):
    image_id = event['detail']['ImageId']
    ec2.create_tags(Resources=[image_id], Tags=[{'Key': 'Validated', 'Value': 'true'}])
    name = ec2.describe_images(ImageIds=[image_id])['Images'][0]['Name']
    west = boto3.client('ec2', region_name='us-west-2')
    copy = west.copy_image(SourceImageId=image_id, SourceRegion=event['region'], Name=name + '-us-west-2')
    print(f"copied {image_id} to us-west-2 as {copy['ImageId']}")
    return copy['ImageId']
`;

describe('the canonical Python AMI function: on available, tag the image and copy it to us-west-2 (boto3, real processes, real socket)', () => {
  let app: App;
  let eb: EventBridgeClient;
  let lambda: LambdaClient;
  let ec2: EC2Client;
  let west: EC2Client;
  let logs: CloudWatchLogsClient;
  before(async () => {
    app = await startTestServer({ amiDurations: parseAmiDurations('300ms') });
    eb = sdkClient(app);
    lambda = lambdaClient(app);
    ec2 = new EC2Client({ endpoint: app.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    west = new EC2Client({ endpoint: app.url, region: 'us-west-2', credentials, maxAttempts: 1 });
    logs = new CloudWatchLogsClient(inProcess(app));
  });
  after(async () => {
    for (const c of [eb, lambda, ec2, west, logs]) c.destroy();
    await app.close();
  });

  it("CreateImage → the guide's rule → the function tags the image and copies it; its log is in /aws/lambda/NAME; the rule's log-group target has the event", {
    timeout: 60_000,
  }, async () => {
    const fn = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'ami-promote',
        Runtime: 'python3.12',
        Role: ROLE,
        Handler: 'lambda_function.lambda_handler',
        Timeout: 30,
        MemorySize: 256,
        Code: { ZipFile: zipOf({ 'lambda_function.py': AMI_FUNCTION }) },
      }),
    );
    const { RuleArn } = await eb.send(new PutRuleCommand({ Name: 'ami-available', EventPattern: GUIDE_PATTERN }));
    await lambda.send(
      new AddPermissionCommand({
        FunctionName: 'ami-promote',
        StatementId: 'events',
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
        SourceArn: RuleArn,
      }),
    );
    await eb.send(
      new PutTargetsCommand({
        Rule: 'ami-available',
        Targets: [
          { Id: 'fn', Arn: fn.FunctionArn },
          { Id: 'log', Arn: 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/events/ami-available' },
        ],
      }),
    );
    const { ImageId } = await ec2.send(new CreateImageCommand({ InstanceId: await runningInstance(ec2), Name: 'web-server-v1' }));

    const tagged = await until(async () => {
      const image = (await ec2.send(new DescribeImagesCommand({ ImageIds: [ImageId!] }))).Images?.[0];
      return image?.Tags?.find((t) => t.Key === 'Validated') ? image : undefined;
    }, 45_000);
    assert.deepEqual(tagged.Tags, [{ Key: 'Validated', Value: 'true' }]);
    const copy = await until(
      async () =>
        (await west.send(new DescribeImagesCommand({ Filters: [{ Name: 'name', Values: ['web-server-v1-us-west-2'] }] }))).Images?.[0],
      20_000,
    );
    assert.match(copy.ImageId!, /^ami-[0-9a-f]{17}$/);
    assert.equal(copy.SourceImageId, ImageId);
    assert.equal(copy.SourceImageRegion, 'us-east-1');

    const lines = await until(async () => {
      const events = (await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/ami-promote' }))).events ?? [];
      return events.some((e) => e.message!.startsWith('REPORT ')) ? events : undefined;
    }, 20_000);
    assert.match(lines[0]!.message!, /^START RequestId: [0-9a-f-]{36} Version: \$LATEST$/);
    assert.ok(lines.some((e) => e.message === `copied ${ImageId} to us-west-2 as ${copy.ImageId}`));
    assert.ok(lines.some((e) => /^END RequestId: /.test(e.message!)));
    const streams = (await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/lambda/ami-promote' }))).logStreams!;
    assert.equal(streams.length, 1);
    assert.match(streams[0]!.logStreamName!, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);

    const ruleLog = await until(
      async () => (await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/events/ami-available' }))).events?.[0],
      20_000,
    );
    const event = JSON.parse(ruleLog.message!) as { id: string; time: string; detail: { ImageId: string; State: string } };
    assert.equal(event.detail.ImageId, ImageId);
    assert.equal(event.detail.State, 'available');
    assert.equal(ruleLog.logStreamName, event.id);
    assert.equal(ruleLog.timestamp, Date.parse(event.time));
    const one = await logs.send(
      new GetLogEventsCommand({ logGroupName: '/aws/events/ami-available', logStreamName: event.id, startFromHead: true }),
    );
    assert.equal(one.events!.length, 1);
  });
});
