import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, it } from 'node:test';
import { promisify } from 'node:util';
import { PutRuleCommand, PutTargetsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { App } from '../../src/server/app.js';
import { delivered, type DeliveryRequest } from '../../src/delivery/transport.js';
import { sdkClient, startTestServer } from '../e2e/helpers.js';
import { boto3Env, boto3Skip } from '../support/boto3.js';

/**
 * The bake flow with boto3 (python3 with a current boto3: AWS_ENDPOINT_URL support), as a
 * pipeline script runs it: launch from the public Amazon Linux image, stop, image, wait, tag,
 * terminate — and the guide's rule receives the baked image's `available` event.
 */
const run = promisify(execFile);
const script = fileURLToPath(new URL('./fixtures/boto3-bake.py', import.meta.url));
const received: DeliveryRequest[] = [];
let app: App;
let eb: EventBridgeClient;

before(async () => {
  app = await startTestServer(
    { amiDurations: { CreateImage: 300, CopyImage: 300, RegisterImage: 300, CreateRestoreImageTask: 300 } },
    { transports: { sqs: { deliver: async (r) => (received.push(r), delivered) } } },
  );
  eb = sdkClient(app);
});
after(async () => {
  eb?.destroy();
  await app?.close();
});

it('boto3: source lookup, run, stop, create-image, wait, tag, terminate; the guide rule gets the event', {
  skip: boto3Skip,
  timeout: 90_000,
}, async () => {
  await eb.send(
    new PutRuleCommand({
      Name: 'ami-available',
      EventPattern: '{"source":["aws.ec2"],"detail-type":["EC2 AMI State Change"],"detail":{"State":["available"]}}',
    }),
  );
  await eb.send(new PutTargetsCommand({ Rule: 'ami-available', Targets: [{ Id: 'q', Arn: 'arn:aws:sqs:us-east-1:000000000000:amis' }] }));
  const { stdout } = await run('python3', [script], { env: boto3Env(app.url), timeout: 80_000 });
  const seen = JSON.parse(stdout) as {
    image: string;
    instance: string;
    imageState: string;
    sourceInstance: string;
    tags: unknown[];
    devices: string[];
    final: string;
  };
  assert.equal(seen.imageState, 'available');
  assert.equal(seen.sourceInstance, seen.instance);
  assert.deepEqual(seen.tags, [{ Key: 'pipeline', Value: 'boto3' }]);
  assert.deepEqual(seen.devices, ['/dev/xvda']);
  assert.equal(seen.final, 'terminated');
  const deadline = Date.now() + 5000;
  while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  const events = received.map((r) => JSON.parse(r.payload) as { detail: { ImageId: string; State: string } });
  assert.deepEqual(
    events.map((e) => [e.detail.ImageId, e.detail.State]),
    [[seen.image, 'available']],
  );
});
