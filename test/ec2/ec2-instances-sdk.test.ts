import assert from 'node:assert/strict';
import { createHash, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateKeyPairCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  RevokeSecurityGroupIngressCommand,
  CreateTagsCommand,
  DeleteKeyPairCommand,
  DescribeKeyPairsCommand,
  ImportKeyPairCommand,
  DescribeAvailabilityZonesCommand,
  DescribeRegionsCommand,
  DescribeSubnetsCommand,
  DescribeVolumesCommand,
  DescribeVpcsCommand,
  DescribeImagesCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeInstanceStatusCommand,
  DescribeTagsCommand,
  EC2Client,
  ModifyInstanceAttributeCommand,
  RebootInstancesCommand,
  RegisterImageCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  waitUntilImageAvailable,
  waitUntilInstanceRunning,
  waitUntilInstanceStopped,
  waitUntilInstanceTerminated,
  paginateDescribeInstances,
} from '@aws-sdk/client-ec2';
import { PutRuleCommand, PutTargetsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { App } from '../../src/server/app.js';
import { delivered, type DeliveryRequest } from '../../src/delivery/transport.js';
import { sdkClient, startTestServer } from '../e2e/helpers.js';
import { snapshotOf } from '../support/ec2-instance.js';
import { inProcess } from '../support/in-process.js';

/**
 * Instances through the whole server, in-process: the SDK's own serializer, XML parser and
 * waiters, and the "EC2 Instance State-change Notification" events reaching a rule of the
 * default bus (the companion tutorial "Log the state of an Amazon EC2 instance using EventBridge").
 */
const received: DeliveryRequest[] = [];
let app: App;
let ec2: EC2Client;
let eb: EventBridgeClient;
const fast = { minDelay: 1, maxDelay: 1, maxWaitTime: 20 };

before(async () => {
  app = await startTestServer(
    {
      amiDurations: { CreateImage: 300, CopyImage: 300, RegisterImage: 100, CreateRestoreImageTask: 300 },
      instanceDurations: { pending: 200, stopping: 200, 'shutting-down': 200 },
    },
    { transports: { sqs: { deliver: async (r) => (received.push(r), delivered) } } },
  );
  ec2 = new EC2Client(inProcess(app));
  eb = sdkClient(app);
});
after(async () => {
  ec2.destroy();
  eb.destroy();
  await app.close();
});

describe('instances with the AWS SDK v3 (in-process)', () => {
  it('launch, wait running, stop, start, reboot, terminate — every state change reaches the rule', { timeout: 60_000 }, async () => {
    // The snapshot to register from is made first: its instance's events come before the rule.
    const { snapshotId } = await snapshotOf(ec2);
    await eb.send(
      new PutRuleCommand({
        Name: 'instance-states',
        EventPattern: '{"source":["aws.ec2"],"detail-type":["EC2 Instance State-change Notification"]}',
      }),
    );
    await eb.send(
      new PutTargetsCommand({ Rule: 'instance-states', Targets: [{ Id: 'q', Arn: 'arn:aws:sqs:us-east-1:000000000000:states' }] }),
    );
    const { ImageId } = await ec2.send(
      new RegisterImageCommand({
        Name: 'sdk-base',
        RootDeviceName: '/dev/xvda',
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: snapshotId, VolumeSize: 12 } }],
      }),
    );
    await waitUntilImageAvailable({ client: ec2, ...fast }, { ImageIds: [ImageId!] });

    await ec2.send(new CreateKeyPairCommand({ KeyName: 'bake-key' }));
    const { GroupId: groupId } = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'bake-sg', Description: 'ssh for the bake' }));
    const run = await ec2.send(
      new RunInstancesCommand({
        ImageId,
        MinCount: 1,
        MaxCount: 1,
        InstanceType: 't3.micro',
        KeyName: 'bake-key',
        UserData: 'IyEvYmluL3NoCg==',
        SecurityGroupIds: [groupId!],
        IamInstanceProfile: { Arn: 'arn:aws:iam::000000000000:instance-profile/bake' },
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'sdk-instance' }] }],
        BlockDeviceMappings: [{ DeviceName: '/dev/xvdb', Ebs: { VolumeSize: 20, VolumeType: 'gp3' } }],
      }),
    );
    const i = run.Instances![0]!;
    const id = i.InstanceId!;
    assert.match(id, /^i-[0-9a-f]{17}$/);
    assert.deepEqual(i.State, { Code: 0, Name: 'pending' });
    assert.equal(i.InstanceType, 't3.micro');
    assert.equal(i.KeyName, 'bake-key');
    assert.deepEqual(
      i.SecurityGroups!.map((g) => g.GroupId),
      [groupId],
    );
    assert.equal(i.IamInstanceProfile!.Arn, 'arn:aws:iam::000000000000:instance-profile/bake');
    assert.deepEqual(
      i.BlockDeviceMappings!.map((b) => b.DeviceName),
      ['/dev/xvda', '/dev/xvdb'],
    );
    assert.match(i.BlockDeviceMappings![0]!.Ebs!.VolumeId!, /^vol-[0-9a-f]{17}$/);
    assert.match(i.PrivateDnsName!, /^ip-172-31-\d+-\d+\.ec2\.internal$/);
    assert.match(i.VpcId!, /^vpc-[0-9a-f]{17}$/);
    assert.equal(i.Placement!.AvailabilityZone, 'us-east-1a');
    assert.ok(i.LaunchTime instanceof Date);
    assert.equal(run.OwnerId, '000000000000');

    await waitUntilInstanceRunning({ client: ec2, ...fast }, { InstanceIds: [id] });
    const { Volumes } = await ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [id] }] }));
    assert.deepEqual(Volumes!.map((v) => [v.Size, v.VolumeType, v.State, v.Attachments![0]!.Device, v.Attachments![0]!.State]).sort(), [
      [12, 'gp2', 'in-use', '/dev/xvda', 'attached'],
      [20, 'gp3', 'in-use', '/dev/xvdb', 'attached'],
    ]);
    assert.equal(Volumes!.find((v) => v.Attachments![0]!.Device === '/dev/xvda')!.SnapshotId, snapshotId);
    const status = await ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [id] }));
    assert.equal(status.InstanceStatuses![0]!.InstanceState!.Name, 'running');
    assert.equal(status.InstanceStatuses![0]!.SystemStatus!.Status, 'ok');
    await ec2.send(new RebootInstancesCommand({ InstanceIds: [id] }));
    const stop = await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    assert.deepEqual(stop.StoppingInstances, [
      { InstanceId: id, CurrentState: { Code: 64, Name: 'stopping' }, PreviousState: { Code: 16, Name: 'running' } },
    ]);
    await waitUntilInstanceStopped({ client: ec2, ...fast }, { InstanceIds: [id] });
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: 't3.small' } }));
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, Attribute: 'disableApiTermination', Value: 'true' }));
    const attr = await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: 'instanceType' }));
    assert.equal(attr.InstanceType!.Value, 't3.small');
    const bdm = await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: 'blockDeviceMapping' }));
    assert.equal(bdm.BlockDeviceMappings!.length, 2);
    await assert.rejects(ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] })), { name: 'OperationNotPermitted' });
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, DisableApiTermination: { Value: false } }));
    const start = await ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
    assert.equal(start.StartingInstances![0]!.CurrentState!.Name, 'pending');
    await waitUntilInstanceRunning({ client: ec2, ...fast }, { InstanceIds: [id] });
    const term = await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    assert.equal(term.TerminatingInstances![0]!.CurrentState!.Name, 'shutting-down');
    await waitUntilInstanceTerminated({ client: ec2, ...fast }, { InstanceIds: [id] });

    const expected = ['pending', 'running', 'stopping', 'stopped', 'pending', 'running', 'shutting-down', 'terminated'];
    const deadline = Date.now() + 10_000;
    while (received.length < expected.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    const events = received.map((r) => JSON.parse(r.payload));
    assert.deepEqual(
      events.map((e) => e.detail.state),
      expected,
    );
    for (const e of events) {
      assert.equal(e['detail-type'], 'EC2 Instance State-change Notification');
      assert.deepEqual(e.detail, { 'instance-id': id, state: e.detail.state });
      assert.deepEqual(e.resources, [`arn:aws:ec2:us-east-1:000000000000:instance/${id}`]);
    }
  });

  it('DescribeInstances pages with the SDK paginator; filters and tags; errors carry AWS codes', async () => {
    const { snapshotId } = await snapshotOf(ec2);
    const { ImageId } = await ec2.send(
      new RegisterImageCommand({
        Name: 'sdk-paging',
        RootDeviceName: '/dev/xvda',
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: snapshotId } }],
      }),
    );
    await waitUntilImageAvailable({ client: ec2, ...fast }, { ImageIds: [ImageId!] });
    const run = await ec2.send(new RunInstancesCommand({ ImageId, MinCount: 6, MaxCount: 6, InstanceType: 't3.nano' }));
    const ids = run.Instances!.map((x) => x.InstanceId!).sort();
    const seen: string[] = [];
    for await (const page of paginateDescribeInstances(
      { client: ec2, pageSize: 5 },
      { Filters: [{ Name: 'image-id', Values: [ImageId!] }] },
    )) {
      seen.push(...page.Reservations!.flatMap((r) => r.Instances!.map((x) => x.InstanceId!)));
    }
    assert.deepEqual(seen, ids);
    await ec2.send(new CreateTagsCommand({ Resources: [ids[0]!], Tags: [{ Key: 'role', Value: 'builder' }] }));
    const tags = await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [ids[0]!] }] }));
    assert.deepEqual(tags.Tags, [{ ResourceId: ids[0], ResourceType: 'instance', Key: 'role', Value: 'builder' }]);
    const tagged = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:role', Values: ['builder'] }] }));
    assert.equal(tagged.Reservations![0]!.Instances![0]!.Tags![0]!.Value, 'builder');
    await assert.rejects(ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0000000000000000f'] })), (e: Error) => {
      assert.equal(e.name, 'InvalidInstanceID.NotFound');
      assert.equal(e.message, "The instance ID 'i-0000000000000000f' does not exist");
      return true;
    });
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: ids }));
  });

  it('the default network: one default VPC, a default subnet per zone, the zones and the regions; RunInstances lands in the subnet asked for', async () => {
    const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }));
    assert.equal(Vpcs!.length, 1);
    const vpc = Vpcs![0]!;
    assert.match(vpc.VpcId!, /^vpc-[0-9a-f]{17}$/);
    assert.equal(vpc.CidrBlock, '172.31.0.0/16');
    assert.equal(vpc.State, 'available');
    assert.equal(vpc.IsDefault, true);
    assert.equal(vpc.OwnerId, '000000000000');
    const { Subnets } = await ec2.send(
      new DescribeSubnetsCommand({
        Filters: [
          { Name: 'vpc-id', Values: [vpc.VpcId!] },
          { Name: 'default-for-az', Values: ['true'] },
        ],
      }),
    );
    assert.deepEqual(
      Subnets!.map((s) => [s.AvailabilityZone, s.CidrBlock, s.State]),
      [
        ['us-east-1a', '172.31.0.0/20', 'available'],
        ['us-east-1b', '172.31.16.0/20', 'available'],
        ['us-east-1c', '172.31.32.0/20', 'available'],
      ],
    );
    const { AvailabilityZones } = await ec2.send(new DescribeAvailabilityZonesCommand({}));
    assert.deepEqual(
      AvailabilityZones!.map((z) => [z.ZoneName, z.ZoneId, z.State]),
      [
        ['us-east-1a', 'use1-az1', 'available'],
        ['us-east-1b', 'use1-az2', 'available'],
        ['us-east-1c', 'use1-az3', 'available'],
      ],
    );
    const { Regions } = await ec2.send(new DescribeRegionsCommand({ RegionNames: ['eu-west-1', 'us-east-1'] }));
    assert.deepEqual(
      Regions!.map((r) => [r.RegionName, r.Endpoint]),
      [
        ['eu-west-1', 'ec2.eu-west-1.amazonaws.com'],
        ['us-east-1', 'ec2.us-east-1.amazonaws.com'],
      ],
    );
    await assert.rejects(ec2.send(new DescribeVpcsCommand({ VpcIds: ['vpc-0000000000000000a'] })), {
      name: 'InvalidVpcID.NotFound',
      message: "The vpc ID 'vpc-0000000000000000a' does not exist",
    });
    const zoneB = Subnets!.find((s) => s.AvailabilityZone === 'us-east-1b')!;
    const { Images } = await ec2.send(
      new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['amzn2-ami-kernel-5.10-hvm-*'] }] }),
    );
    const run = await ec2.send(
      new RunInstancesCommand({ ImageId: Images![0]!.ImageId, MinCount: 1, MaxCount: 1, SubnetId: zoneB.SubnetId }),
    );
    const i = run.Instances![0]!;
    assert.equal(i.SubnetId, zoneB.SubnetId);
    assert.equal(i.VpcId, vpc.VpcId);
    assert.equal(i.Placement!.AvailabilityZone, 'us-east-1b');
    assert.match(i.PrivateIpAddress!, /^172\.31\.(1[6-9]|2\d|3[01])\.\d+$/);
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [i.InstanceId!] }));
  });

  it('key pairs: CreateKeyPair returns a real RSA private key whose fingerprint EC2 shows; import, describe, delete', async () => {
    const created = await ec2.send(
      new CreateKeyPairCommand({
        KeyName: 'sdk-key',
        TagSpecifications: [{ ResourceType: 'key-pair', Tags: [{ Key: 'team', Value: 'bake' }] }],
      }),
    );
    assert.match(created.KeyMaterial!, /^-----BEGIN RSA PRIVATE KEY-----\n[\s\S]+\n-----END RSA PRIVATE KEY-----$/);
    const privateKey = createPrivateKey(created.KeyMaterial!);
    assert.equal(privateKey.asymmetricKeyDetails!.modulusLength, 2048);
    // EC2's fingerprint of a key it created: SHA-1 of the DER PKCS#8 private key.
    const sha1 = createHash('sha1')
      .update(privateKey.export({ type: 'pkcs8', format: 'der' }))
      .digest('hex')
      .match(/../g)!
      .join(':');
    assert.equal(created.KeyFingerprint, sha1);
    assert.match(created.KeyPairId!, /^key-[0-9a-f]{17}$/);
    await assert.rejects(ec2.send(new CreateKeyPairCommand({ KeyName: 'sdk-key' })), {
      name: 'InvalidKeyPair.Duplicate',
      message: "The keypair 'sdk-key' already exists.",
    });

    // An imported RSA key: fingerprint = MD5 of the DER public key.
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = publicKey.export({ format: 'jwk' });
    const field = (b: Buffer) => {
      const n = Buffer.alloc(4);
      n.writeUInt32BE(b.length);
      return Buffer.concat([n, b]);
    };
    const mp = (b: Buffer) => field(b[0]! & 0x80 ? Buffer.concat([Buffer.alloc(1), b]) : b);
    const openssh = `ssh-rsa ${Buffer.concat([field(Buffer.from('ssh-rsa')), mp(Buffer.from(jwk.e!, 'base64url')), mp(Buffer.from(jwk.n!, 'base64url'))]).toString('base64')} me@laptop`;
    const imported = await ec2.send(new ImportKeyPairCommand({ KeyName: 'laptop', PublicKeyMaterial: Buffer.from(openssh) }));
    assert.equal(
      imported.KeyFingerprint,
      createHash('md5')
        .update(publicKey.export({ type: 'spki', format: 'der' }))
        .digest('hex')
        .match(/../g)!
        .join(':'),
    );
    await assert.rejects(ec2.send(new ImportKeyPairCommand({ KeyName: 'bad', PublicKeyMaterial: Buffer.from('not a key') })), {
      name: 'InvalidKey.Format',
      message: 'Key is not in valid OpenSSH public key format',
    });

    const described = await ec2.send(new DescribeKeyPairsCommand({ KeyNames: ['laptop', 'sdk-key'], IncludePublicKey: true }));
    assert.deepEqual(
      described.KeyPairs!.map((k) => [k.KeyName, k.KeyType]),
      [
        ['laptop', 'rsa'],
        ['sdk-key', 'rsa'],
      ],
    );
    assert.equal(described.KeyPairs![0]!.PublicKey, `${openssh.split(' ').slice(0, 2).join(' ')} laptop`);
    assert.deepEqual(described.KeyPairs![1]!.Tags, [{ Key: 'team', Value: 'bake' }]);
    await assert.rejects(ec2.send(new DescribeKeyPairsCommand({ KeyNames: ['gone'] })), {
      name: 'InvalidKeyPair.NotFound',
      message: "The key pair 'gone' does not exist",
    });
    await ec2.send(new DeleteKeyPairCommand({ KeyName: 'laptop' }));
    await ec2.send(new DeleteKeyPairCommand({ KeyName: 'laptop' })); // idempotent, as on AWS
    const left = await ec2.send(new DescribeKeyPairsCommand({ Filters: [{ Name: 'key-name', Values: ['laptop', 'sdk-key'] }] }));
    assert.deepEqual(
      left.KeyPairs!.map((k) => k.KeyName),
      ['sdk-key'],
    );
  });

  it('security groups: the default group, create, authorize/revoke ingress and egress, describe, delete (refused while used)', async () => {
    const { SecurityGroups: defaults } = await ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: ['default'] }));
    assert.equal(defaults![0]!.GroupName, 'default');
    assert.deepEqual(
      defaults![0]!.IpPermissionsEgress!.map((p) => [p.IpProtocol, p.IpRanges![0]!.CidrIp]),
      [['-1', '0.0.0.0/0']],
    );
    const { GroupId } = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: 'packer_temp', Description: 'Temporary group for Packer' }),
    );
    assert.match(GroupId!, /^sg-[0-9a-f]{17}$/);
    await assert.rejects(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'packer_temp', Description: 'again' })), {
      name: 'InvalidGroup.Duplicate',
    });
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }, { CidrIp: '10.0.0.0/8' }] }],
      }),
    );
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({ GroupId, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '10.0.0.0/8' }),
    );
    await assert.rejects(
      ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' })),
      {
        name: 'InvalidPermission.Duplicate',
        message: 'the specified rule "peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW" already exists',
      },
    );
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '10.0.0.0/8' }));
    await assert.rejects(
      ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '10.0.0.0/8' })),
      { name: 'InvalidPermission.NotFound' },
    );
    const { SecurityGroups } = await ec2.send(
      new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['packer_*'] }] }),
    );
    assert.equal(SecurityGroups!.length, 1);
    assert.equal(SecurityGroups![0]!.Description, 'Temporary group for Packer');
    assert.deepEqual(
      SecurityGroups![0]!.IpPermissions!.map((p) => [p.IpProtocol, p.FromPort, p.ToPort, p.IpRanges!.map((r) => r.CidrIp)]),
      [
        ['tcp', 22, 22, ['0.0.0.0/0']],
        ['tcp', 443, 443, ['10.0.0.0/8']],
      ],
    );
    const { Images } = await ec2.send(
      new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-2023.*-x86_64'] }] }),
    );
    const run = await ec2.send(
      new RunInstancesCommand({ ImageId: Images![0]!.ImageId, MinCount: 1, MaxCount: 1, SecurityGroupIds: [GroupId!] }),
    );
    await assert.rejects(ec2.send(new DeleteSecurityGroupCommand({ GroupId })), {
      name: 'DependencyViolation',
      message: `resource ${GroupId} has a dependent object`,
    });
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [run.Instances![0]!.InstanceId!] }));
    await waitUntilInstanceTerminated({ client: ec2, ...fast }, { InstanceIds: [run.Instances![0]!.InstanceId!] });
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId }));
    await assert.rejects(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [GroupId!] })), {
      name: 'InvalidGroup.NotFound',
      message: `The security group '${GroupId}' does not exist`,
    });
    await assert.rejects(ec2.send(new DeleteSecurityGroupCommand({ GroupName: 'default' })), { name: 'CannotDelete' });
    await assert.rejects(
      ec2.send(new RunInstancesCommand({ ImageId: Images![0]!.ImageId, MinCount: 1, MaxCount: 1, SecurityGroupIds: [GroupId!] })),
      { name: 'InvalidGroup.NotFound' },
    );
  });
});
