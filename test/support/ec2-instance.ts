import { DescribeImagesCommand, RunInstancesCommand, waitUntilInstanceRunning, type EC2Client } from '@aws-sdk/client-ec2';

/**
 * A running instance to image, as a user gets one: the region's public Amazon Linux 2023 image
 * (found with `--owners amazon` and a name filter), RunInstances, the SDK's own waiter.
 */
export async function runningInstance(ec2: EC2Client): Promise<string> {
  const { Images } = await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-2023.*-x86_64'] }] }));
  const { Instances } = await ec2.send(new RunInstancesCommand({ ImageId: Images![0]!.ImageId, MinCount: 1, MaxCount: 1, InstanceType: 't3.micro' }));
  const id = Instances![0]!.InstanceId!;
  await waitUntilInstanceRunning({ client: ec2, minDelay: 1, maxDelay: 1, maxWaitTime: 30 }, { InstanceIds: [id] });
  return id;
}
