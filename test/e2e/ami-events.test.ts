import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateImageCommand, DeregisterImageCommand, EC2Client } from '@aws-sdk/client-ec2';
import { PutRuleCommand, PutTargetsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { App } from '../../src/server/app.js';
import { delivered, type DeliveryRequest } from '../../src/delivery/transport.js';
import { sdkClient, startTestServer } from './helpers.js';
import { runningInstance } from '../support/ec2-instance.js';

/**
 * The guide end to end on one server: EC2 CreateImage → the image becomes available → the
 * "EC2 AMI State Change" event lands on the default bus → the guide's rule matches → the target
 * receives it. Deregistering emits `deregistered`, which the rule does not match.
 */
const received: DeliveryRequest[] = [];
let app: App;
let eb: EventBridgeClient;
let ec2: EC2Client;

before(async () => {
  app = await startTestServer({}, { transports: { sqs: { deliver: async (r) => (received.push(r), delivered) } } });
  eb = sdkClient(app);
  ec2 = new EC2Client({
    endpoint: app.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
});
after(async () => {
  eb.destroy();
  ec2.destroy();
  await app.close();
});

test("the guide's flow: an AMI becoming available reaches the rule's target", { timeout: 30_000 }, async () => {
  await eb.send(
    new PutRuleCommand({
      Name: 'ami-available',
      EventPattern: '{"source":["aws.ec2"],"detail-type":["EC2 AMI State Change"],"detail":{"State":["available"]}}',
    }),
  );
  await eb.send(new PutTargetsCommand({ Rule: 'ami-available', Targets: [{ Id: 'q', Arn: 'arn:aws:sqs:us-east-1:000000000000:ami' }] }));
  const { ImageId, $metadata } = await ec2.send(new CreateImageCommand({ InstanceId: await runningInstance(ec2), Name: 'web-server-v1' }));
  assert.match(ImageId!, /^ami-[0-9a-f]{17}$/);
  const deadline = Date.now() + 20_000;
  while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.equal(received.length, 1, 'delivered once');
  const event = JSON.parse(received[0]!.payload);
  assert.equal(event.source, 'aws.ec2');
  assert.equal(event['detail-type'], 'EC2 AMI State Change');
  assert.equal(event.detail.ImageId, ImageId);
  assert.equal(event.detail.State, 'available');
  assert.deepEqual(event.resources, [`arn:aws:ec2:us-east-1::image/${ImageId}`]);
  // The event's RequestId is the CreateImage call's, as the SDK reports it (x-amzn-requestid).
  assert.match($metadata.requestId ?? '', /^[0-9a-f-]{36}$/, 'the SDK sees the request id');
  assert.equal(event.detail.RequestId, $metadata.requestId);
  assert.equal(event.detail.ErrorMessage, '');

  const deregistered = await ec2.send(new DeregisterImageCommand({ ImageId }));
  await new Promise((r) => setTimeout(r, 300));
  const all = (await (await fetch(`${app.url}/_amiwatch/events?bus=default`)).json()) as {
    events: { event: { 'detail-type': string; detail: { State: string; RequestId: string } }; rules: string[] }[];
  };
  // The instance launched to image has its own state-change events on the bus; the rule ignores them.
  const history = { events: all.events.filter((e) => e.event['detail-type'] === 'EC2 AMI State Change') };
  assert.deepEqual(
    all.events.filter((e) => e.event['detail-type'] === 'EC2 Instance State-change Notification').map((e) => e.rules.length),
    [0, 0],
  );
  assert.deepEqual(
    history.events.map((e) => [e.event.detail.State, e.rules.length]),
    [
      ['deregistered', 0],
      ['available', 1],
    ],
  );
  assert.equal(
    history.events[0]!.event.detail.RequestId,
    deregistered.$metadata.requestId,
    "deregistered carries DeregisterImage's request id",
  );
  assert.equal(received.length, 1);
});
