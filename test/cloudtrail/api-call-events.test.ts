import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  CloudTrailClient,
  CreateTrailCommand,
  DeleteTrailCommand,
  LookupEventsCommand,
  StartLoggingCommand,
  StopLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import { CreateImageCommand, DescribeImagesCommand, EC2Client, ModifyImageAttributeCommand } from '@aws-sdk/client-ec2';
import { DeleteRuleCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand, RemoveTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { App } from '../../src/server/app.js';
import { delivered, type DeliveryRequest } from '../../src/delivery/transport.js';
import { HIDDEN } from '../../src/core/cloudtrail/request-parameters.js';
import { startTestServer } from '../e2e/helpers.js';
import { inProcess } from '../support/in-process.js';
import { runningInstance } from '../support/ec2-instance.js';

/**
 * Issue 17's CloudTrail scenario end to end: with a trail logging, calls to every service become
 * CloudTrail records (LookupEvents) and "AWS API Call via CloudTrail" events on the default bus.
 */
const received: { rule: string; event: Record<string, any> }[] = [];
let app: App;
let ct: CloudTrailClient;
let ec2: EC2Client;
let eb: EventBridgeClient;
let sqs: SQSClient;

before(async () => {
  const capture = {
    deliver: async (r: DeliveryRequest) => (received.push({ rule: r.target.ruleName, event: JSON.parse(r.payload) }), delivered),
  };
  app = await startTestServer({}, { transports: { sqs: capture } });
  ct = new CloudTrailClient(inProcess(app));
  ec2 = new EC2Client(inProcess(app));
  eb = new EventBridgeClient(inProcess(app));
  sqs = new SQSClient(inProcess(app));
});
after(async () => {
  for (const c of [ct, ec2, eb, sqs]) c.destroy();
  await app.close();
});

const settle = async (count: number) => {
  const deadline = Date.now() + 10_000;
  while (received.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 100));
};

async function rule(name: string, pattern: object, state?: 'ENABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS') {
  await eb.send(new PutRuleCommand({ Name: name, EventPattern: JSON.stringify(pattern), ...(state && { State: state }) }));
  await eb.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'q', Arn: `arn:aws:sqs:us-east-1:000000000000:${name}` }] }));
}

async function dropRule(name: string) {
  await eb.send(new RemoveTargetsCommand({ Rule: name, Ids: ['q'] }));
  await eb.send(new DeleteRuleCommand({ Name: name }));
}

const lookup = async (key: 'EventName' | 'ReadOnly' | 'EventSource' | 'ResourceName', value: string) =>
  (await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: key, AttributeValue: value }] }))).Events ?? [];

describe('AWS API Call via CloudTrail', () => {
  beforeEach(() => {
    received.length = 0;
  });

  it('records nothing while no trail logs', async () => {
    await ec2.send(new DescribeImagesCommand({ Owners: ['self'] }));
    await ct.send(new CreateTrailCommand({ Name: 'audit', S3BucketName: 'audit-logs' }));
    assert.deepEqual(await lookup('EventSource', 'ec2.amazonaws.com'), []);
    assert.deepEqual(await lookup('EventName', 'CreateTrail'), [], 'not even the trail creation: nothing was logging yet');
  });

  it('an image made public reaches a rule on ModifyImageAttribute; the record is in LookupEvents', async () => {
    await ct.send(new StartLoggingCommand({ Name: 'audit' }));
    await rule('ami-made-public', {
      source: ['aws.ec2'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: { eventName: ['ModifyImageAttribute'] },
    });
    const { ImageId } = await ec2.send(new CreateImageCommand({ InstanceId: await runningInstance(ec2), Name: 'golden-image' }));
    const call = await ec2.send(new ModifyImageAttributeCommand({ ImageId, LaunchPermission: { Add: [{ Group: 'all' }] } }));
    await settle(1);
    assert.deepEqual(
      received.map((r) => r.rule),
      ['ami-made-public'],
    );
    const event = received[0]!.event;
    assert.equal(event.source, 'aws.ec2');
    assert.equal(event['detail-type'], 'AWS API Call via CloudTrail');
    assert.equal(event.account, '000000000000');
    assert.equal(event.region, 'us-east-1');
    const d = event.detail;
    assert.equal(d.eventVersion, '1.09');
    assert.deepEqual(d.userIdentity, {
      type: 'Root',
      principalId: '000000000000',
      arn: 'arn:aws:iam::000000000000:root',
      accountId: '000000000000',
      accessKeyId: 'test',
    });
    assert.equal(d.eventSource, 'ec2.amazonaws.com');
    assert.equal(d.eventName, 'ModifyImageAttribute');
    assert.equal(d.awsRegion, 'us-east-1');
    assert.equal(d.sourceIPAddress, '127.0.0.1');
    assert.match(d.userAgent, /aws-sdk-js/);
    assert.deepEqual(
      d.requestParameters,
      { imageId: ImageId, launchPermission: { add: { items: [{ group: 'all' }] } } },
      "EC2's lists as {items: [...]}",
    );
    assert.deepEqual(d.responseElements, { requestId: call.$metadata.requestId, _return: true });
    assert.equal(d.requestID, call.$metadata.requestId);
    assert.match(d.eventID, /^[0-9a-f-]{36}$/);
    assert.equal(d.readOnly, false);
    assert.equal(d.eventType, 'AwsApiCall');
    assert.equal(d.managementEvent, true);
    assert.equal(d.recipientAccountId, '000000000000');
    assert.match(d.eventTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const [found] = await lookup('EventName', 'ModifyImageAttribute');
    assert.equal(found?.EventId, d.eventID);
    assert.equal(found?.ReadOnly, 'false');
    assert.equal(found?.Username, 'root');
    assert.equal(found?.AccessKeyId, 'test');
    assert.deepEqual(found?.Resources, [{ ResourceType: 'AWS::EC2::Ami', ResourceName: ImageId }]);
    assert.deepEqual(JSON.parse(found!.CloudTrailEvent!), d, 'CloudTrailEvent is the record the bus carried');
    assert.equal((await lookup('ResourceName', ImageId!)).length, 2, 'CreateImage and ModifyImageAttribute name the image');
    await dropRule('ami-made-public');
  });

  it('a read-only call reaches only rules in state ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS', async () => {
    const pattern = { source: ['aws.ec2'], 'detail-type': ['AWS API Call via CloudTrail'], detail: { eventName: ['DescribeImages'] } };
    await rule('reads-enabled', pattern, 'ENABLED');
    await rule('reads-all', pattern, 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    await ec2.send(new DescribeImagesCommand({ Owners: ['self'] }));
    await settle(1);
    assert.deepEqual(
      received.map((r) => r.rule),
      ['reads-all'],
    );
    assert.equal(received[0]!.event.detail.readOnly, true);
    assert.equal(received[0]!.event.detail.responseElements, null, 'read-only calls record no response');
    assert.ok((await lookup('ReadOnly', 'true')).some((e) => e.EventName === 'DescribeImages'));
    await dropRule('reads-enabled');
    await dropRule('reads-all');
  });

  it('a mutating call reaches ENABLED rules too; errors are recorded with errorCode and errorMessage', async () => {
    const pattern = { source: ['aws.ec2'], 'detail-type': ['AWS API Call via CloudTrail'] };
    await rule('writes-enabled', pattern, 'ENABLED');
    await rule('writes-all', pattern, 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    await assert.rejects(
      ec2.send(new ModifyImageAttributeCommand({ ImageId: 'ami-0123456789abcdef0', LaunchPermission: { Add: [{ Group: 'all' }] } })),
    );
    await settle(2);
    assert.deepEqual(received.map((r) => r.rule).sort(), ['writes-all', 'writes-enabled']);
    const d = received[0]!.event.detail;
    assert.equal(d.errorCode, 'InvalidAMIID.NotFound');
    assert.match(d.errorMessage, /ami-0123456789abcdef0/);
    assert.equal(d.responseElements, null);
    await dropRule('writes-enabled');
    await dropRule('writes-all');
  });

  it('every service is recorded, with secrets hidden', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'jobs', Attributes: { VisibilityTimeout: '45' } }));
    const [createdQueue] = await lookup('EventName', 'CreateQueue');
    assert.deepEqual(
      JSON.parse(createdQueue!.CloudTrailEvent!).requestParameters,
      { queueName: 'jobs', attributes: { VisibilityTimeout: '45' } },
      "a map's keys are kept (the model says it is a map)",
    );
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'a secret payload' }));
    const [sent] = await lookup('EventName', 'SendMessage');
    const record = JSON.parse(sent!.CloudTrailEvent!);
    assert.equal(record.eventSource, 'sqs.amazonaws.com');
    assert.equal(record.requestParameters.messageBody, HIDDEN);
    assert.equal(record.requestParameters.queueUrl, QueueUrl);
    assert.deepEqual(sent!.Resources, [{ ResourceType: 'AWS::SQS::Queue', ResourceName: QueueUrl }]);
    assert.ok((await lookup('EventSource', 'events.amazonaws.com')).some((e) => e.EventName === 'PutRule'));
    assert.ok(
      (await lookup('EventSource', 'cloudtrail.amazonaws.com')).some((e) => e.EventName === 'LookupEvents'),
      'LookupEvents records itself',
    );
  });

  it('a call refused while its input is read is recorded with its error (no parameters)', async () => {
    await assert.rejects(eb.send(new PutRuleCommand({ Name: 'not a valid name!', EventPattern: '{"source":["x"]}' })), {
      name: 'ValidationException',
    });
    const [refused] = await lookup('EventName', 'PutRule').then((events) => events.filter((e) => JSON.parse(e.CloudTrailEvent!).errorCode));
    const record = JSON.parse(refused!.CloudTrailEvent!);
    assert.equal(record.errorCode, 'ValidationException');
    assert.match(record.errorMessage, /name/);
    assert.equal(record.requestParameters, null);
  });

  it('pages LookupEvents newest first', async () => {
    const all = (await ct.send(new LookupEventsCommand({}))).Events ?? [];
    assert.ok(all.length >= 5);
    const times = all.map((e) => e.EventTime!.getTime());
    assert.deepEqual(
      times,
      [...times].sort((a, b) => b - a),
    );
    const first = await ct.send(new LookupEventsCommand({ MaxResults: 2 }));
    assert.equal(first.Events?.length, 2);
    assert.ok(first.NextToken);
    const second = await ct.send(new LookupEventsCommand({ MaxResults: 2, NextToken: first.NextToken }));
    assert.equal(second.Events?.length, 2);
    assert.ok(!second.Events!.some((e) => first.Events!.some((f) => f.EventId === e.EventId)), 'pages do not overlap');
    await assert.rejects(
      ct.send(
        new LookupEventsCommand({
          MaxResults: 2,
          NextToken: first.NextToken,
          LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'true' }],
        }),
      ),
      { name: 'InvalidNextTokenException' },
      'a token is for its own query',
    );
  });

  it('stops recording when the trail stops logging (StopLogging itself is the last record)', async () => {
    await ct.send(new StopLoggingCommand({ Name: 'audit' }));
    const before = (await ct.send(new LookupEventsCommand({}))).Events!.length;
    await ec2.send(new DescribeImagesCommand({ Owners: ['self'] }));
    assert.equal((await ct.send(new LookupEventsCommand({}))).Events!.length, before);
    assert.equal((await lookup('EventName', 'StopLogging')).length, 1);
    await ct.send(new DeleteTrailCommand({ Name: 'audit' }));
  });
});
