import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultEc2Options, ec2Options } from '../../src/core/ec2/options.js';
import { checkImageName } from '../../src/core/ec2/validation.js';
import { wildcardMatches } from '../../src/core/ec2/wildcard.js';
import { ctx, harness, OTHER_ACCOUNT, rejectsWith, instanceOf } from './helpers.js';

const malformedName =
  "AMI names must be between 3 and 128 characters long, and may contain letters, numbers, '(', ')', '.', '-', '/' and '_'";

describe('EC2 parameter validation', () => {
  it('AMI names: 3-128 characters of the documented set', () => {
    for (const ok of ['abc', "My AMI (v1.2) [prod]/x-y_z'@", 'a'.repeat(128)]) assert.equal(checkImageName(ok), ok);
    for (const bad of ['ab', 'a'.repeat(129), 'bad!name', 'tab\tname', 'emoji-🙂', 'colon:name']) {
      assert.throws(
        () => checkImageName(bad),
        (e: Error & { code?: string }) => e.code === 'InvalidAMIName.Malformed' && e.message === malformedName,
      );
    }
    assert.throws(() => checkImageName(undefined), { code: 'MissingParameter', message: 'The request must contain the parameter Name' });
  });

  it("CreateImage: malformed instance ids get AWS's error; any well-formed one is accepted", async () => {
    const h = harness();
    await rejectsWith(
      h.service.createImage(ctx(), { InstanceId: 'i-123', Name: 'x-1' }),
      'InvalidInstanceID.Malformed',
      'Invalid id: "i-123"',
    );
    await rejectsWith(h.service.createImage(ctx(), { InstanceId: 'ami-12345678', Name: 'x-1' }), 'InvalidInstanceID.Malformed');
    await rejectsWith(
      h.service.createImage(ctx(), { InstanceId: undefined, Name: 'x-1' }),
      'MissingParameter',
      'The request must contain the parameter InstanceId',
    );
    await rejectsWith(
      h.service.createImage(ctx(), { InstanceId: await instanceOf(h), Name: 'x' }),
      'InvalidAMIName.Malformed',
      malformedName,
    );
    await rejectsWith(
      h.service.createImage(ctx(), { InstanceId: await instanceOf(h), Name: 'xyz', Description: 'd'.repeat(256) }),
      'InvalidParameterValue',
    );
    // Well-formed (short or long form) but not an instance of this account and region.
    await rejectsWith(
      h.service.createImage(ctx(), { InstanceId: 'i-12345678', Name: 'short-id' }),
      'InvalidInstanceID.NotFound',
      "The instance ID 'i-12345678' does not exist",
    );
    await rejectsWith(
      h.service.createImage(ctx({ accountId: OTHER_ACCOUNT }), { InstanceId: await instanceOf(h), Name: 'long-id' }),
      'InvalidInstanceID.NotFound',
    );
    assert.match((await h.service.createImage(ctx(), { InstanceId: await instanceOf(h), Name: 'long-id' })).ImageId!, /^ami-/);
  });

  it('names are unique per account and region; a deregistered image frees its name', async () => {
    const h = harness();
    const { ImageId } = await h.service.createImage(ctx(), { InstanceId: await instanceOf(h), Name: 'dup' });
    await rejectsWith(
      h.service.createImage(ctx(), { InstanceId: await instanceOf(h), Name: 'dup' }),
      'InvalidAMIName.Duplicate',
      `AMI name dup is already in use by AMI ${ImageId}`,
    );
    await h.service.createImage(ctx({ region: 'eu-west-1' }), { InstanceId: await instanceOf(h, { region: 'eu-west-1' }), Name: 'dup' });
    await h.service.createImage(ctx({ accountId: OTHER_ACCOUNT }), {
      InstanceId: await instanceOf(h, { accountId: OTHER_ACCOUNT }),
      Name: 'dup',
    });
    await h.service.deregisterImage(ctx(), { ImageId });
    await h.service.createImage(ctx(), { InstanceId: await instanceOf(h), Name: 'dup' });
  });

  it('DryRun answers DryRunOperation (HTTP 412) and creates nothing', async () => {
    const h = harness();
    await assert.rejects(h.service.createImage(ctx(), { InstanceId: await instanceOf(h), Name: 'dry', DryRun: true }), {
      code: 'DryRunOperation',
      status: 412,
      message: 'Request would have succeeded, but DryRun flag is set.',
    });
    await rejectsWith(h.service.describeImages(ctx(), { DryRun: true }), 'DryRunOperation');
    await rejectsWith(h.service.registerImage(ctx(), { Name: 'dry', ImageLocation: 'b/m.xml', DryRun: true }), 'DryRunOperation');
    assert.equal((await h.service.describeImages(ctx(), { Owners: ['self'] })).Images?.length, 0);
    // Validation comes first: a dry run of a bad request reports the bad request.
    await rejectsWith(h.service.createImage(ctx(), { InstanceId: 'i-1', Name: 'dry', DryRun: true }), 'InvalidInstanceID.Malformed');
  });

  it('RegisterImage: an EBS root needs a snapshot mapping; enums are checked; docs defaults apply', async () => {
    const h = harness();
    await rejectsWith(
      h.service.registerImage(ctx(), { Name: 'reg' }),
      'MissingParameter',
      'The request must contain the parameter ImageLocation',
    );
    await rejectsWith(
      h.service.registerImage(ctx(), { Name: 'reg', RootDeviceName: '/dev/xvda', BlockDeviceMappings: [{ DeviceName: '/dev/sdb' }] }),
      'InvalidBlockDeviceMapping',
    );
    await rejectsWith(
      h.service.registerImage(ctx(), {
        Name: 'reg',
        RootDeviceName: '/dev/xvda',
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: 'snap-1' } }],
      }),
      'InvalidSnapshotID.Malformed',
    );
    await rejectsWith(
      h.service.registerImage(ctx(), { Name: 'reg', ImageLocation: 'b/m.xml', Architecture: 'sparc' as never }),
      'InvalidParameterValue',
    );
    const { ImageId } = await h.service.registerImage(ctx(), { Name: 'reg', ImageLocation: 'my-bucket/image.manifest.xml' });
    const image = (await h.service.describeImages(ctx(), { ImageIds: [ImageId!] })).Images![0]!;
    assert.equal(image.Architecture, 'i386');
    assert.equal(image.VirtualizationType, 'paravirtual');
    assert.equal(image.RootDeviceType, 'instance-store');
    assert.equal(image.ImageLocation, 'my-bucket/image.manifest.xml');
  });

  it('CopyImage: source must exist in the source region and be visible', async () => {
    const h = harness();
    await rejectsWith(
      h.service.copyImage(ctx(), { SourceImageId: 'ami-0123456789abcdef0', SourceRegion: 'us-east-1', Name: 'c-1' }),
      'InvalidAMIID.NotFound',
      "The image id '[ami-0123456789abcdef0]' does not exist",
    );
    await rejectsWith(
      h.service.copyImage(ctx(), { SourceImageId: 'ami-1', SourceRegion: 'us-east-1', Name: 'c-1' }),
      'InvalidAMIID.Malformed',
    );
    await rejectsWith(
      h.service.copyImage(ctx(), { SourceImageId: 'ami-0123456789abcdef0', SourceRegion: 'mars', Name: 'c-1' }),
      'InvalidParameterValue',
    );
    await rejectsWith(
      h.service.copyImage(ctx(), { SourceImageId: 'ami-0123456789abcdef0', SourceRegion: undefined, Name: 'c-1' }),
      'MissingParameter',
    );
    const { ImageId } = await h.service.createImage(ctx({ accountId: OTHER_ACCOUNT }), {
      InstanceId: await instanceOf(h, { accountId: OTHER_ACCOUNT }),
      Name: 'private',
    });
    h.clock.advance(3000);
    await rejectsWith(
      h.service.copyImage(ctx(), { SourceImageId: ImageId, SourceRegion: 'us-east-1', Name: 'c-1' }),
      'InvalidAMIID.NotFound',
    );
    await h.service.modifyImageAttribute(ctx({ accountId: OTHER_ACCOUNT }), {
      ImageId,
      LaunchPermission: { Add: [{ UserId: '000000000000' }] },
    });
    assert.match((await h.service.copyImage(ctx(), { SourceImageId: ImageId, SourceRegion: 'us-east-1', Name: 'c-1' })).ImageId!, /^ami-/);
  });

  it('tags: limits, reserved prefix, unknown resources, all-or-nothing', async () => {
    const h = harness();
    const { ImageId } = await h.service.createImage(ctx(), { InstanceId: await instanceOf(h), Name: 'tagged' });
    await rejectsWith(
      h.service.createTags(ctx(), { Resources: [ImageId!], Tags: [{ Key: 'aws:x', Value: 'v' }] }),
      'InvalidParameterValue',
    );
    await rejectsWith(
      h.service.createTags(ctx(), { Resources: [ImageId!, 'ami-0000000000000000f'], Tags: [{ Key: 'a', Value: '1' }] }),
      'InvalidAMIID.NotFound',
    );
    await rejectsWith(h.service.createTags(ctx(), { Resources: ['vol-12345678'], Tags: [{ Key: 'a', Value: '1' }] }), 'InvalidID');
    const many = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await rejectsWith(h.service.createTags(ctx(), { Resources: [ImageId!], Tags: many }), 'TagLimitExceeded');
    const { Tags } = await h.service.describeTags(ctx(), {});
    assert.deepEqual(Tags, [], 'a refused CreateTags changed nothing');
  });

  it('options: defaults of a few seconds, overrides merged, nonsense refused at start-up', () => {
    assert.deepEqual(defaultEc2Options.durations, {
      CreateImage: 4000,
      CopyImage: 5000,
      RegisterImage: 2000,
      CreateRestoreImageTask: 5000,
    });
    const o = ec2Options({ durations: { CopyImage: 10 } });
    assert.equal(o.durations.CopyImage, 10);
    assert.equal(o.durations.CreateImage, 4000);
    assert.throws(() => ec2Options({ durations: { CreateImage: -1 } }), /durations.CreateImage must be a non-negative/);
    assert.throws(() => ec2Options({ deregisteredVisibleMs: Number.NaN }), /deregisteredVisibleMs/);
  });

  it('wildcards: * and ? with backslash escapes', () => {
    assert.ok(wildcardMatches('web-*', 'web-1'));
    assert.ok(wildcardMatches('web-?', 'web-1'));
    assert.ok(!wildcardMatches('web-?', 'web-10'));
    assert.ok(wildcardMatches('a.b', 'a.b'));
    assert.ok(!wildcardMatches('a.b', 'axb'));
    assert.ok(wildcardMatches('x\\*', 'x*'));
    assert.ok(!wildcardMatches('x\\*', 'xy'));
    assert.ok(!wildcardMatches('Web*', 'web-1'), 'case-sensitive');
  });
});
