import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CopyImageCommand,
  CreateImageCommand,
  CreateRestoreImageTaskCommand,
  CreateStoreImageTaskCommand,
  CreateTagsCommand,
  DeregisterImageCommand,
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  DescribeStoreImageTasksCommand,
  DescribeTagsCommand,
  DisableImageCommand,
  EC2Client,
  EnableImageCommand,
  ModifyImageAttributeCommand,
  RegisterImageCommand,
  waitUntilImageAvailable,
} from '@aws-sdk/client-ec2';
import { Ec2Service } from '../../src/core/ec2/ec2-service.js';
import { ec2Options } from '../../src/core/ec2/options.js';
import { systemClock } from '../../src/core/shared/clock.js';
import { cryptoRandom } from '../../src/core/shared/random.js';
import { MemoryEc2Store } from '../../src/storage/memory/memory-ec2-store.js';
import { createEc2QueryHandler } from '../../src/wire/services/ec2.js';
import { ACCOUNT, assertGuideShape, RecordingSink } from './helpers.js';
import { serve, type TestServer } from './http-harness.js';
import { runningInstance, snapshotOf } from '../support/ec2-instance.js';

/**
 * The real `@aws-sdk/client-ec2` against the ec2 handler behind a bare HTTP server: its request
 * serializer, XML deserializer, error mapping and waiter are AWS's own. Real time, short durations.
 */
const sink = new RecordingSink();
const service = new Ec2Service({
  store: new MemoryEc2Store(),
  sink,
  clock: systemClock,
  random: cryptoRandom,
  options: ec2Options({
    durations: { CreateImage: 800, CopyImage: 800, RegisterImage: 300, CreateRestoreImageTask: 300 },
    storeTaskDurationMs: 300,
    instanceDurations: { pending: 100 },
  }),
});
let server: TestServer;
let ec2: EC2Client;
let eu: EC2Client;
let instanceId: string;
const waitFast = { minDelay: 1, maxDelay: 1, maxWaitTime: 20 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

before(async () => {
  server = await serve(createEc2QueryHandler(service), { accountId: ACCOUNT, region: 'us-east-1' });
  const config = { endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  ec2 = new EC2Client(config);
  eu = new EC2Client({ ...config, region: 'eu-west-1' });
  instanceId = await runningInstance(ec2);
});
after(async () => {
  ec2.destroy();
  eu.destroy();
  await server.close();
});

describe('AWS SDK for JavaScript v3 (EC2Client)', () => {
  it('CreateImage → pending → waitUntilImageAvailable → available, one event carrying the request id', async () => {
    const created = await ec2.send(
      new CreateImageCommand({
        InstanceId: instanceId,
        Name: 'sdk-web (v1)',
        Description: 'from the SDK',
        TagSpecifications: [{ ResourceType: 'image', Tags: [{ Key: 'env', Value: 'test' }] }],
      }),
    );
    const ImageId = created.ImageId!;
    const first = await ec2.send(new DescribeImagesCommand({ ImageIds: [ImageId] }));
    assert.equal(first.Images?.[0]?.State, 'pending');
    const result = await waitUntilImageAvailable({ client: ec2, ...waitFast }, { ImageIds: [ImageId] });
    assert.equal(result.state, 'SUCCESS');
    const { Images } = await ec2.send(
      new DescribeImagesCommand({
        Owners: ['self'],
        Filters: [
          { Name: 'state', Values: ['available'] },
          { Name: 'name', Values: ['sdk-web*'] },
          { Name: 'tag:env', Values: ['test'] },
        ],
      }),
    );
    assert.equal(Images?.length, 1);
    const image = Images![0]!;
    assert.equal(image.ImageId, ImageId);
    assert.equal(image.Name, 'sdk-web (v1)');
    assert.equal(image.Description, 'from the SDK');
    assert.equal(image.OwnerId, ACCOUNT);
    assert.equal(image.Public, false);
    assert.equal(image.EnaSupport, true);
    assert.equal(image.SourceInstanceId, instanceId);
    assert.deepEqual(image.Tags, [{ Key: 'env', Value: 'test' }]);
    assert.equal(image.BlockDeviceMappings?.[0]?.Ebs?.VolumeSize, 8);
    assert.equal(image.BlockDeviceMappings?.[0]?.Ebs?.DeleteOnTermination, true);
    const events = sink.events.filter((e) => e.detail.ImageId === ImageId);
    assert.equal(events.length, 1);
    assert.match(events[0]!.detail.RequestId, /^[0-9a-f-]{36}$/);
  });

  it('a failing image makes the waiter stop with FAILURE; StateReason is readable', async () => {
    const { ImageId } = await ec2.send(
      new CreateImageCommand({
        InstanceId: instanceId,
        Name: 'sdk-doomed',
        TagSpecifications: [{ ResourceType: 'image', Tags: [{ Key: 'amiwatch:fail', Value: 'Insufficient snapshot quota' }] }],
      }),
    );
    await assert.rejects(waitUntilImageAvailable({ client: ec2, ...waitFast }, { ImageIds: [ImageId!] }), /FAILURE/);
    const image = (await ec2.send(new DescribeImagesCommand({ ImageIds: [ImageId!] }))).Images![0]!;
    assert.equal(image.State, 'failed');
    assert.deepEqual(image.StateReason, { Code: 'Server.InternalError', Message: 'Insufficient snapshot quota' });
  });

  it("errors map to the SDK's error names", async () => {
    const fails = async (p: Promise<unknown>, name: string, status = 400) => {
      await assert.rejects(p, (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(e.name, name);
        assert.equal(e.$metadata?.httpStatusCode, status);
        return true;
      });
    };
    await fails(ec2.send(new DescribeImagesCommand({ ImageIds: ['ami-0000000000000000f'] })), 'InvalidAMIID.NotFound');
    await fails(ec2.send(new DeregisterImageCommand({ ImageId: 'ami-123' })), 'InvalidAMIID.Malformed');
    await fails(ec2.send(new CreateImageCommand({ InstanceId: 'i-123', Name: 'x' })), 'InvalidInstanceID.Malformed');
    await fails(ec2.send(new CreateImageCommand({ InstanceId: instanceId, Name: 'x' })), 'InvalidAMIName.Malformed');
    await fails(ec2.send(new CreateImageCommand({ InstanceId: instanceId, Name: 'sdk-web (v1)' })), 'InvalidAMIName.Duplicate');
    await fails(ec2.send(new CreateImageCommand({ InstanceId: instanceId, Name: 'dry-run', DryRun: true })), 'DryRunOperation', 412);
    await fails(ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'nope', Values: ['x'] }] })), 'InvalidParameterValue');
  });

  it('copy across regions, register, store/restore, disable/enable, attributes, tags, deregister', async () => {
    const source = (await ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'name', Values: ['sdk-web (v1)'] }] }))).Images![0]!
      .ImageId!;
    const { ImageId: copy } = await eu.send(new CopyImageCommand({ SourceImageId: source, SourceRegion: 'us-east-1', Name: 'sdk-copy' }));
    await waitUntilImageAvailable({ client: eu, ...waitFast }, { ImageIds: [copy!] });
    const copyEvent = sink.events.find((e) => e.detail.ImageId === copy)!;
    assert.equal(copyEvent.region, 'eu-west-1');

    const { snapshotId } = await snapshotOf(ec2);
    const { ImageId: reg } = await ec2.send(
      new RegisterImageCommand({
        Name: 'sdk-reg',
        Architecture: 'arm64',
        RootDeviceName: '/dev/xvda',
        VirtualizationType: 'hvm',
        EnaSupport: true,
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: snapshotId, VolumeSize: 16 } }],
      }),
    );
    await waitUntilImageAvailable({ client: ec2, ...waitFast }, { ImageIds: [reg!] });

    const { ObjectKey } = await ec2.send(new CreateStoreImageTaskCommand({ ImageId: reg, Bucket: 'sdk-bucket' }));
    assert.equal(ObjectKey, `${reg}.bin`);
    await sleep(400);
    const tasks = await ec2.send(new DescribeStoreImageTasksCommand({ ImageIds: [reg!] }));
    assert.equal(tasks.StoreImageTaskResults?.[0]?.StoreTaskState, 'Completed');
    assert.ok(tasks.StoreImageTaskResults?.[0]?.TaskStartTime instanceof Date);
    const { ImageId: restored } = await ec2.send(
      new CreateRestoreImageTaskCommand({ Bucket: 'sdk-bucket', ObjectKey, Name: 'sdk-restored' }),
    );
    await waitUntilImageAvailable({ client: ec2, ...waitFast }, { ImageIds: [restored!] });
    const restoredImage = (await ec2.send(new DescribeImagesCommand({ ImageIds: [restored!] }))).Images![0]!;
    assert.equal(restoredImage.Architecture, 'arm64');

    await ec2.send(
      new ModifyImageAttributeCommand({ ImageId: reg, LaunchPermission: { Add: [{ Group: 'all' }, { UserId: '123456789012' }] } }),
    );
    const perms = await ec2.send(new DescribeImageAttributeCommand({ ImageId: reg, Attribute: 'launchPermission' }));
    assert.deepEqual(perms.LaunchPermissions, [{ Group: 'all' }, { UserId: '123456789012' }]);
    await ec2.send(new ModifyImageAttributeCommand({ ImageId: reg, Description: { Value: 'now described' } }));
    assert.equal(
      (await ec2.send(new DescribeImageAttributeCommand({ ImageId: reg, Attribute: 'description' }))).Description?.Value,
      'now described',
    );

    await ec2.send(new CreateTagsCommand({ Resources: [reg!], Tags: [{ Key: 'team', Value: 'platform' }] }));
    const tags = await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [reg!] }] }));
    assert.deepEqual(tags.Tags, [{ ResourceId: reg, ResourceType: 'image', Key: 'team', Value: 'platform' }]);

    assert.equal((await ec2.send(new DisableImageCommand({ ImageId: reg }))).Return, true);
    assert.equal((await ec2.send(new EnableImageCommand({ ImageId: reg }))).Return, true);
    const dereg = await ec2.send(new DeregisterImageCommand({ ImageId: reg, DeleteAssociatedSnapshots: true }));
    assert.equal(dereg.Return, true);
    assert.equal(dereg.DeleteSnapshotResults?.[0]?.ReturnCode, 'success');
    assert.equal((await ec2.send(new DescribeImagesCommand({ ImageIds: [reg!] }))).Images?.[0]?.State, 'deregistered');
    const regEvents = sink.events.filter((e) => e.detail.ImageId === reg);
    assert.deepEqual(
      regEvents.map((e) => e.detail.State),
      ['available', 'disabled', 'available', 'deregistered'],
    );
    assertGuideShape(regEvents[3]!, {
      account: ACCOUNT,
      region: 'us-east-1',
      imageId: reg!,
      requestId: regEvents[3]!.detail.RequestId,
      state: 'deregistered',
    });
  });

  it('pages with MaxResults/NextToken through the SDK', async () => {
    for (let i = 0; i < 4; i++) await ec2.send(new CreateImageCommand({ InstanceId: instanceId, Name: `sdk-page-${i}` }));
    const all: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await ec2.send(new DescribeImagesCommand({ Owners: ['self'], MaxResults: 5, NextToken }));
      all.push(...(page.Images ?? []).map((i) => i.ImageId!));
      NextToken = page.NextToken;
    } while (NextToken);
    const everything = (await ec2.send(new DescribeImagesCommand({ Owners: ['self'] }))).Images!.map((i) => i.ImageId!);
    assert.ok(everything.length > 5);
    assert.deepEqual(all, everything);
  });
});
