import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { Ec2Service } from '../../src/core/ec2/ec2-service.js';
import { ec2Options } from '../../src/core/ec2/options.js';
import { systemClock } from '../../src/core/shared/clock.js';
import { cryptoRandom } from '../../src/core/shared/random.js';
import { MemoryEc2Store } from '../../src/storage/memory/memory-ec2-store.js';
import { createEc2QueryHandler } from '../../src/wire/services/ec2.js';
import { ACCOUNT, RecordingSink, seedSnapshot } from './helpers.js';
import { serve, type TestServer } from './http-harness.js';
import { awsCliEnv, awsCliSkip as skip, awsCliV2 as AWS } from '../support/aws-cli.js';

/**
 * The AWS CLI v2 (Debian's /usr/bin/aws, installed by scripts/install-system-deps.sh) against the
 * ec2 handler. Each call costs ~1.6 s of Python start-up, so there are few.
 */
const run = promisify(execFile);

const sink = new RecordingSink();
const store = new MemoryEc2Store();
const service = new Ec2Service({
  store,
  sink,
  clock: systemClock,
  random: cryptoRandom,
  options: ec2Options({ durations: { CreateImage: 300 }, instanceDurations: { pending: 200, stopping: 200, 'shutting-down': 200 } }),
});
let server: TestServer;

async function aws(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = awsCliEnv();
  try {
    const { stdout, stderr } = await run(AWS, ['--endpoint-url', server.url, '--output', 'json', ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('AWS CLI v2', { skip }, () => {
  before(async () => {
    server = await serve(createEc2QueryHandler(service), { accountId: ACCOUNT, region: 'us-east-1' });
  });
  after(() => server?.close());

  it('create-image, wait image-available, describe-images with filters, and an error', async () => {
    const c = { accountId: ACCOUNT, region: 'us-east-1', requestId: 'r-launch' };
    const amazon = (
      await service.describeImages(c, { Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-2023.*-x86_64'] }] })
    ).Images![0]!.ImageId!;
    const instanceId = (await service.runInstances(c, { ImageId: amazon, MinCount: 1, MaxCount: 1 })).Instances![0]!.InstanceId!;
    await new Promise((r) => setTimeout(r, 300));
    const created = await aws(
      'ec2',
      'create-image',
      '--instance-id',
      instanceId,
      '--name',
      'cli image (1)',
      '--tag-specifications',
      'ResourceType=image,Tags=[{Key=team,Value=ops}]',
    );
    assert.equal(created.code, 0, created.stderr);
    const { ImageId } = JSON.parse(created.stdout) as { ImageId: string };
    assert.match(ImageId, /^ami-[0-9a-f]{17}$/);

    const waited = await aws('ec2', 'wait', 'image-available', '--image-ids', ImageId);
    assert.equal(waited.code, 0, waited.stderr);

    const described = await aws(
      'ec2',
      'describe-images',
      '--owners',
      'self',
      '--filters',
      'Name=state,Values=available',
      'Name=tag:team,Values=ops',
    );
    assert.equal(described.code, 0, described.stderr);
    const { Images } = JSON.parse(described.stdout) as { Images: Array<Record<string, unknown>> };
    assert.equal(Images.length, 1);
    assert.equal(Images[0]!.ImageId, ImageId);
    assert.equal(Images[0]!.State, 'available');
    assert.equal(Images[0]!.Name, 'cli image (1)');
    assert.equal(Images[0]!.Public, false);
    assert.deepEqual(Images[0]!.Tags, [{ Key: 'team', Value: 'ops' }]);
    assert.deepEqual(sink.states(), [`${ImageId}:available`]);

    const failed = await aws('ec2', 'deregister-image', '--image-id', 'ami-123');
    assert.equal(failed.code, 254);
    assert.match(
      failed.stderr,
      /\(InvalidAMIID\.Malformed\) when calling the DeregisterImage operation: Invalid id: "ami-123" \(expecting "ami-\.\.\."\)/,
    );
  });

  it('run-instances with the options a bake passes, describe-instances with a filter, stop with --force, terminate', async () => {
    await seedSnapshot(store);
    const { ImageId } = await service.registerImage(
      { accountId: ACCOUNT, region: 'us-east-1', requestId: 'r-cli' },
      {
        Name: 'cli-base',
        RootDeviceName: '/dev/xvda',
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: 'snap-0123456789abcdef0' } }],
      },
    );
    await service.createKeyPair({ accountId: ACCOUNT, region: 'us-east-1', requestId: 'r-key' }, { KeyName: 'packer_key' });
    const { GroupId } = await service.createSecurityGroup(
      { accountId: ACCOUNT, region: 'us-east-1', requestId: 'r-sg' },
      { GroupName: 'bake', Description: 'bake' },
    );
    await new Promise((r) => setTimeout(r, 2500));
    const ran = await aws(
      'ec2',
      'run-instances',
      '--image-id',
      ImageId!,
      '--count',
      '1',
      '--instance-type',
      't3.micro',
      '--key-name',
      'packer_key',
      '--security-group-ids',
      GroupId!,
      '--user-data',
      'echo hi',
      '--iam-instance-profile',
      'Name=builder',
      '--tag-specifications',
      'ResourceType=instance,Tags=[{Key=Name,Value=cli-bake}]',
      '--block-device-mappings',
      'DeviceName=/dev/xvda,Ebs={VolumeSize=16,VolumeType=gp3,DeleteOnTermination=true}',
    );
    assert.equal(ran.code, 0, ran.stderr);
    const { Instances } = JSON.parse(ran.stdout) as {
      Instances: Array<{ InstanceId: string; State: { Name: string }; KeyName: string; IamInstanceProfile: { Arn: string } }>;
    };
    const id = Instances[0]!.InstanceId;
    assert.equal(Instances[0]!.State.Name, 'pending');
    assert.equal(Instances[0]!.KeyName, 'packer_key');
    assert.equal(Instances[0]!.IamInstanceProfile.Arn, `arn:aws:iam::${ACCOUNT}:instance-profile/builder`);
    await new Promise((r) => setTimeout(r, 400));
    const described = await aws(
      'ec2',
      'describe-instances',
      '--filters',
      'Name=tag:Name,Values=cli-bake',
      'Name=instance-state-name,Values=running',
    );
    assert.equal(described.code, 0, described.stderr);
    const { Reservations } = JSON.parse(described.stdout) as {
      Reservations: Array<{ Instances: Array<{ InstanceId: string; BlockDeviceMappings: unknown[] }> }>;
    };
    assert.equal(Reservations[0]!.Instances[0]!.InstanceId, id);
    const stopped = await aws('ec2', 'stop-instances', '--instance-ids', id, '--force');
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.equal(
      (JSON.parse(stopped.stdout) as { StoppingInstances: Array<{ CurrentState: { Name: string } }> }).StoppingInstances[0]!.CurrentState
        .Name,
      'stopping',
    );
    const terminated = await aws('ec2', 'terminate-instances', '--instance-ids', id, 'i-0000000000000000f');
    assert.equal(terminated.code, 254);
    assert.match(
      terminated.stderr,
      /\(InvalidInstanceID\.NotFound\) when calling the TerminateInstances operation: The instance ID 'i-0000000000000000f' does not exist/,
    );
  });

  it('create-key-pair writes a usable private key; describe-subnets lists the default subnets', async () => {
    const key = await aws('ec2', 'create-key-pair', '--key-name', 'cli-key', '--query', 'KeyMaterial', '--output', 'text');
    assert.equal(key.code, 0, key.stderr);
    assert.match(key.stdout, /^-----BEGIN RSA PRIVATE KEY-----\n/);
    assert.equal(createPrivateKey(key.stdout).asymmetricKeyDetails!.modulusLength, 2048);
    const subnets = await aws(
      'ec2',
      'describe-subnets',
      '--filters',
      'Name=default-for-az,Values=true',
      '--query',
      'Subnets[].AvailabilityZone',
    );
    assert.equal(subnets.code, 0, subnets.stderr);
    assert.deepEqual((JSON.parse(subnets.stdout) as string[]).sort(), ['us-east-1a', 'us-east-1b', 'us-east-1c']);
  });
});
