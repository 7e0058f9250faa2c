import { CreateImageCommand, DescribeImagesCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { startAmiwatch, type Amiwatch } from 'amiwatch';
import { afterAll, beforeAll, expect, test } from '@jest/globals';

let amiwatch: Amiwatch;
let ec2: EC2Client;
let instanceId: string;

beforeAll(async () => {
  amiwatch = await startAmiwatch({ amiDuration: '1m' });
  ec2 = new EC2Client(amiwatch.clientConfig);
  // CreateImage images a real instance: launch one from the public Amazon Linux 2023 image.
  const { Images } = await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-2023.*-x86_64'] }] }));
  const { Instances } = await ec2.send(new RunInstancesCommand({ ImageId: Images?.[0]?.ImageId, MinCount: 1, MaxCount: 1 }));
  instanceId = Instances?.[0]?.InstanceId ?? '';
  await amiwatch.advance(); // pending → running now
});

afterAll(async () => {
  ec2.destroy();
  await amiwatch.close();
});

test('a new image becomes available and emits its event', async () => {
  const { ImageId } = await ec2.send(new CreateImageCommand({ InstanceId: instanceId, Name: 'web-v1' }));
  await amiwatch.advance(); // no need to wait out the minute
  const event = await amiwatch.waitForEvent<{ State: string }>({ pattern: { detail: { ImageId: [ImageId] } } });
  expect(event.detail.State).toBe('available');
  const { Images } = await ec2.send(new DescribeImagesCommand({ ImageIds: [ImageId!] }));
  expect(Images?.[0]?.State).toBe('available');
});

test('a fault rule makes the image fail with your message', async () => {
  await amiwatch.faults.add({ operation: 'CreateImage', name: 'nightly-*', message: 'Snapshot quota exceeded' });
  const { ImageId } = await ec2.send(new CreateImageCommand({ InstanceId: instanceId, Name: 'nightly-1' }));
  await amiwatch.advance();
  const event = await amiwatch.waitForEvent<{ State: string; ErrorMessage: string }>({ pattern: { detail: { ImageId: [ImageId] } } });
  expect(event.detail).toMatchObject({ State: 'failed', ErrorMessage: 'Snapshot quota exceeded' });
});
