import { CreateImageCommand, DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { startAmiwatch, type Amiwatch } from 'amiwatch';
import { afterAll, beforeAll, expect, test } from 'vitest';

let amiwatch: Amiwatch;
let ec2: EC2Client;

beforeAll(async () => {
  amiwatch = await startAmiwatch({ amiDuration: '1m' });
  ec2 = new EC2Client(amiwatch.clientConfig);
});

afterAll(async () => {
  ec2.destroy();
  await amiwatch.close();
});

test('a new image becomes available and emits its event', async () => {
  const { ImageId } = await ec2.send(new CreateImageCommand({ InstanceId: 'i-0123456789abcdef0', Name: 'web-v1' }));
  await amiwatch.advance(); // no need to wait out the minute
  const event = await amiwatch.waitForEvent<{ State: string }>({ pattern: { detail: { ImageId: [ImageId] } } });
  expect(event.detail.State).toBe('available');
  const { Images } = await ec2.send(new DescribeImagesCommand({ ImageIds: [ImageId!] }));
  expect(Images?.[0]?.State).toBe('available');
});

test('a fault rule makes the image fail with your message', async () => {
  await amiwatch.faults.add({ operation: 'CreateImage', name: 'nightly-*', message: 'Snapshot quota exceeded' });
  const { ImageId } = await ec2.send(new CreateImageCommand({ InstanceId: 'i-0123456789abcdef0', Name: 'nightly-1' }));
  await amiwatch.advance();
  const event = await amiwatch.waitForEvent<{ State: string; ErrorMessage: string }>({ pattern: { detail: { ImageId: [ImageId] } } });
  expect(event.detail).toMatchObject({ State: 'failed', ErrorMessage: 'Snapshot quota exceeded' });
});
