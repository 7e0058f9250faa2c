import { DescribeImagesCommand, DescribeInstancesCommand, RunInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import type { CliContext } from './context.js';
import { print } from './context.js';
import { CliError, exitCodes } from './exit-codes.js';

/** The instance the quickstart images: tagged so that a second run finds it. */
export const quickstartInstanceName = 'amiwatch-quickstart';

/**
 * A running instance to image, as one would get it on AWS: the quickstart's own instance if it
 * is still there (running or stopped), else a new one launched from the region's public Amazon
 * Linux 2023 image, watched until `running`.
 */
export async function ensureInstance(ctx: CliContext, client: EC2Client, timeoutSeconds: number): Promise<string> {
  const s = ctx.style;
  const mine = await client.send(
    new DescribeInstancesCommand({
      Filters: [
        { Name: 'tag:Name', Values: [quickstartInstanceName] },
        { Name: 'instance-state-name', Values: ['pending', 'running', 'stopped'] },
      ],
    }),
  );
  const found = mine.Reservations?.flatMap((r) => r.Instances ?? [])[0];
  if (found?.InstanceId) {
    print(ctx, `${s.green('✔')} instance ${s.bold(found.InstanceId)} (${quickstartInstanceName}) exists already: not launching another`);
    return waitRunning(client, found.InstanceId, timeoutSeconds, found.State?.Name === 'stopped');
  }
  const { Images } = await client.send(
    new DescribeImagesCommand({
      Owners: ['amazon'],
      Filters: [
        { Name: 'name', Values: ['al2023-ami-2023.*-x86_64'] },
        { Name: 'state', Values: ['available'] },
      ],
    }),
  );
  const image = Images?.sort((a, b) => (a.CreationDate! < b.CreationDate! ? 1 : -1))[0];
  if (!image?.ImageId) throw new CliError('no public Amazon Linux 2023 image in this region to launch', exitCodes.refused);
  const run = await client.send(
    new RunInstancesCommand({
      ImageId: image.ImageId,
      MinCount: 1,
      MaxCount: 1,
      InstanceType: 't3.micro',
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: quickstartInstanceName }] }],
    }),
  );
  const id = run.Instances![0]!.InstanceId!;
  print(ctx, `${s.green('✔')} RunInstances from ${image.ImageId} (${image.Name}): ${s.bold(id)} is pending`);
  await waitRunning(client, id, timeoutSeconds, false);
  print(ctx, `${s.green('✔')} ${id} is running`);
  return id;
}

/** Polls DescribeInstances until the instance runs (a stopped one is fine to image as it is). */
async function waitRunning(client: EC2Client, id: string, timeoutSeconds: number, stoppedIsFine: boolean): Promise<string> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    const r = await client.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
    const state = r.Reservations?.[0]?.Instances?.[0]?.State?.Name;
    if (state === 'running' || (stoppedIsFine && state === 'stopped')) return id;
    if (state !== 'pending' && state !== 'stopped')
      throw new CliError(
        `instance ${id} is ${state}, not running`,
        exitCodes.no,
        'remove fault rules with `amiwatch faults remove --all` and run the quickstart again',
      );
    if (Date.now() > deadline) throw new CliError(`instance ${id} did not reach running within ${timeoutSeconds}s`, exitCodes.timeout);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
