import {
  CreateSnapshotCommand,
  DescribeImagesCommand,
  DescribeVolumesCommand,
  RunInstancesCommand,
  waitUntilInstanceRunning,
  type EC2Client,
} from '@aws-sdk/client-ec2';

/**
 * A running instance to image, as a user gets one: the region's public Amazon Linux 2023 image
 * (found with `--owners amazon` and a name filter), RunInstances, the SDK's own waiter.
 */
export async function runningInstance(ec2: EC2Client): Promise<string> {
  const { Images } = await ec2.send(
    new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-2023.*-x86_64'] }] }),
  );
  const { Instances } = await ec2.send(
    new RunInstancesCommand({ ImageId: Images![0]!.ImageId, MinCount: 1, MaxCount: 1, InstanceType: 't3.micro' }),
  );
  const id = Instances![0]!.InstanceId!;
  await waitUntilInstanceRunning({ client: ec2, minDelay: 1, maxDelay: 1, maxWaitTime: 30 }, { InstanceIds: [id] });
  return id;
}

/**
 * A snapshot to register an image from, as a user makes one: CreateSnapshot of the root volume of
 * a running instance (DescribeVolumes). It may still be `pending`: RegisterImage accepts that.
 */
export async function snapshotOf(ec2: EC2Client): Promise<{ snapshotId: string; volumeId: string; instanceId: string }> {
  const instanceId = await runningInstance(ec2);
  const { Volumes } = await ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [instanceId] }] }));
  const volumeId = Volumes![0]!.VolumeId!;
  const { SnapshotId } = await ec2.send(new CreateSnapshotCommand({ VolumeId: volumeId }));
  return { snapshotId: SnapshotId!, volumeId, instanceId };
}

/** The same through the app's EC2 service (no client): for tests that drive a browser. */
export async function runningInstanceIn(
  app: { ec2: import('../../src/core/ec2/ec2-service.js').Ec2Service },
  accountId = '000000000000',
  region = 'us-east-1',
): Promise<string> {
  const ctx = { accountId, region, requestId: 'test-launch' };
  const { Images } = await app.ec2.describeImages(ctx, {
    Owners: ['amazon'],
    Filters: [{ Name: 'name', Values: ['al2023-ami-2023.*-x86_64'] }],
  });
  const id = (await app.ec2.runInstances(ctx, { ImageId: Images![0]!.ImageId!, MinCount: 1, MaxCount: 1 })).Instances![0]!.InstanceId!;
  for (let i = 0; i < 300; i++) {
    const state = (await app.ec2.describeInstances(ctx, { InstanceIds: [id] })).Reservations![0]!.Instances![0]!.State!.Name;
    if (state === 'running') return id;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`instance ${id} did not reach running`);
}
