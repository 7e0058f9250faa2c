import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Filter } from '@aws-sdk/client-ec2';
import { ACCOUNT, ctx, harness, OTHER_ACCOUNT, rejectsWith, instanceOf, withSnapshot } from './helpers.js';

/**
 * A small estate: three own images (available web-1, failed web-2, pending db-1), a registered
 * arm64 paravirtual one, a public image of another account, and a private one of that account.
 */
const h = harness();
const ids: Record<string, string> = {};
/** The estate's names; the region's public `amazon` images (public-images.ts) have their own test. */
const names = async (filters: Filter[], extra = {}) =>
  ((await h.service.describeImages(ctx(), { Filters: filters, ...extra })).Images ?? [])
    .filter((i) => i.ImageOwnerAlias !== 'amazon')
    .map((i) => i.Name)
    .sort();

before(async () => {
  await withSnapshot(h);
  const create = async (name: string, tags: Record<string, string> = {}, accountId = ACCOUNT, description?: string) => {
    const TagSpecifications = [{ ResourceType: 'image' as const, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }];
    ids[name] = (
      await h.service.createImage(ctx({ accountId }), {
        InstanceId: await instanceOf(h, { accountId }),
        Name: name,
        Description: description,
        TagSpecifications,
      })
    ).ImageId!;
  };
  await create('web-1', { role: 'web', env: 'prod' }, ACCOUNT, 'Web server v1');
  await create('web-2', { role: 'web', 'amiwatch:fail': 'Quota exceeded' }, ACCOUNT, 'Web server v2');
  await create('shared-pub', {}, OTHER_ACCOUNT);
  await create('other-private', {}, OTHER_ACCOUNT);
  ids['arm-reg'] = (
    await h.service.registerImage(ctx(), {
      Name: 'arm-reg',
      Architecture: 'arm64',
      RootDeviceName: '/dev/sda1',
      BlockDeviceMappings: [{ DeviceName: '/dev/sda1', Ebs: { SnapshotId: 'snap-0123456789abcdef0', VolumeSize: 20, VolumeType: 'gp2' } }],
    })
  ).ImageId!;
  h.clock.advance(3000);
  await h.service.modifyImageAttribute(ctx({ accountId: OTHER_ACCOUNT }), {
    ImageId: ids['shared-pub'],
    LaunchPermission: { Add: [{ Group: 'all' }] },
  });
  await create('db-1', { role: 'db' });
  ids['copy-1'] = (await h.service.copyImage(ctx(), { SourceImageId: ids['web-1'], SourceRegion: 'us-east-1', Name: 'copy-1' })).ImageId!;
});

describe('DescribeImages', () => {
  it('default scope: own images, public ones and shared ones, never other private ones', async () => {
    assert.deepEqual(await names([]), ['arm-reg', 'copy-1', 'db-1', 'shared-pub', 'web-1', 'web-2']);
  });

  it('Owners: self, account ids; ExecutableUsers: all', async () => {
    assert.deepEqual(await names([], { Owners: ['self'] }), ['arm-reg', 'copy-1', 'db-1', 'web-1', 'web-2']);
    assert.deepEqual(await names([], { Owners: [OTHER_ACCOUNT] }), ['shared-pub']);
    assert.deepEqual(await names([], { ExecutableUsers: ['all'] }), ['shared-pub']);
  });

  it('filters: state, name and description with wildcards', async () => {
    assert.deepEqual(await names([{ Name: 'state', Values: ['available'] }]), ['arm-reg', 'shared-pub', 'web-1']);
    assert.deepEqual(await names([{ Name: 'state', Values: ['pending', 'failed'] }]), ['copy-1', 'db-1', 'web-2']);
    assert.deepEqual(await names([{ Name: 'name', Values: ['web-*'] }]), ['web-1', 'web-2']);
    assert.deepEqual(await names([{ Name: 'name', Values: ['???-1'] }]), ['web-1']);
    assert.deepEqual(await names([{ Name: 'description', Values: ['*v2'] }]), ['web-2']);
    assert.deepEqual(
      await names([
        { Name: 'name', Values: ['web-*'] },
        { Name: 'state', Values: ['available'] },
      ]),
      ['web-1'],
    );
  });

  it('filters: ids, owner, architecture, types, public, devices, sources, reasons, tags', async () => {
    assert.deepEqual(await names([{ Name: 'image-id', Values: [ids['db-1']!] }]), ['db-1']);
    assert.deepEqual(await names([{ Name: 'owner-id', Values: [OTHER_ACCOUNT] }]), ['shared-pub']);
    assert.deepEqual(await names([{ Name: 'architecture', Values: ['arm64'] }]), ['arm-reg']);
    assert.deepEqual(await names([{ Name: 'image-type', Values: ['kernel'] }]), []);
    assert.deepEqual((await names([{ Name: 'image-type', Values: ['machine'] }])).length, 6);
    assert.deepEqual(await names([{ Name: 'is-public', Values: ['true'] }]), ['shared-pub']);
    assert.deepEqual(
      await names([
        { Name: 'root-device-type', Values: ['ebs'] },
        { Name: 'virtualization-type', Values: ['paravirtual'] },
      ]),
      ['arm-reg'],
    );
    assert.deepEqual(
      await names([
        { Name: 'source-instance-id', Values: [await instanceOf(h)] },
        { Name: 'owner-id', Values: [ACCOUNT] },
      ]),
      ['db-1', 'web-1', 'web-2'],
    );
    assert.deepEqual(await names([{ Name: 'source-image-id', Values: [ids['web-1']!] }]), ['copy-1']);
    assert.deepEqual(await names([{ Name: 'state-reason-code', Values: ['Server.InternalError'] }]), ['web-2']);
    assert.deepEqual(await names([{ Name: 'state-reason-message', Values: ['Quota*'] }]), ['web-2']);
    assert.deepEqual(await names([{ Name: 'tag:role', Values: ['web'] }]), ['web-1', 'web-2']);
    assert.deepEqual(await names([{ Name: 'tag:env', Values: ['prod', 'dev'] }]), ['web-1']);
    assert.deepEqual(await names([{ Name: 'tag-key', Values: ['env'] }]), ['web-1']);
    assert.deepEqual(await names([{ Name: 'block-device-mapping.volume-size', Values: ['20'] }]), ['arm-reg']);
  });

  it('accepts the documented filters for what amiwatch does not model (aliases, product codes, Free Tier, Allowed AMIs): no image has a value', async () => {
    // The EC2 API Reference lists them among DescribeImages' filters; they used to be "invalid".
    for (const name of ['owner-alias', 'product-code', 'product-code.type', 'free-tier-eligible', 'image-allowed']) {
      assert.deepEqual(await names([{ Name: name, Values: ['*'] }]), [], name);
    }
  });

  it('public images owned by amazon, in every region: --owners amazon, name and owner-alias filters', async () => {
    const amazon = async (region: string, filters: Filter[] = []) =>
      (await h.service.describeImages(ctx({ region }), { Owners: ['amazon'], Filters: filters })).Images ?? [];
    const all = await amazon('us-east-1');
    assert.deepEqual(all.map((i) => i.Name).sort(), [
      'Windows_Server-2022-English-Full-Base-2024.12.13',
      'al2023-ami-2023.6.20241212.0-kernel-6.1-arm64',
      'al2023-ami-2023.6.20241212.0-kernel-6.1-x86_64',
      'amzn2-ami-kernel-5.10-hvm-2.0.20241217.0-x86_64-gp2',
    ]);
    for (const i of all) {
      assert.equal(i.ImageOwnerAlias, 'amazon');
      assert.equal(i.Public, true);
      assert.equal(i.State, 'available');
      assert.match(i.OwnerId!, /^(137112412989|801119661308)$/);
    }
    const al2023 = await amazon('us-east-1', [
      { Name: 'name', Values: ['al2023-ami-2023.*-x86_64'] },
      { Name: 'architecture', Values: ['x86_64'] },
    ]);
    assert.deepEqual(
      al2023.map((i) => i.Name),
      ['al2023-ami-2023.6.20241212.0-kernel-6.1-x86_64'],
    );
    assert.equal((await names([{ Name: 'owner-alias', Values: ['amazon'] }])).length, 0, 'the estate has no alias');
    const eu = await amazon('eu-west-1', [{ Name: 'name', Values: ['al2023-ami-2023.*-x86_64'] }]);
    assert.equal(eu.length, 1);
    assert.notEqual(eu[0]!.ImageId, al2023[0]!.ImageId, 'each region has its own ids');
    assert.equal(
      (await amazon('eu-west-1', [{ Name: 'name', Values: ['al2023-ami-2023.*-x86_64'] }]))[0]!.ImageId,
      eu[0]!.ImageId,
      'stable',
    );
  });

  it('refuses unknown filters', async () => {
    await rejectsWith(
      h.service.describeImages(ctx(), { Filters: [{ Name: 'colour', Values: ['red'] }] }),
      'InvalidParameterValue',
      "The filter 'colour' is invalid",
    );
  });

  it('ImageIds: exact images; unknown and malformed ids are errors', async () => {
    const { Images } = await h.service.describeImages(ctx(), { ImageIds: [ids['web-1']!, ids['shared-pub']!] });
    assert.deepEqual(
      Images?.map((i) => i.Name),
      ['web-1', 'shared-pub'],
    );
    await rejectsWith(
      h.service.describeImages(ctx(), { ImageIds: [ids['web-1']!, 'ami-0000000000000000f', 'ami-00000001'] }),
      'InvalidAMIID.NotFound',
      "The image ids '[ami-0000000000000000f, ami-00000001]' do not exist",
    );
    await rejectsWith(h.service.describeImages(ctx(), { ImageIds: [ids['other-private']!] }), 'InvalidAMIID.NotFound');
    await rejectsWith(h.service.describeImages(ctx(), { ImageIds: ['ami-nothex'] }), 'InvalidAMIID.Malformed');
    await rejectsWith(h.service.describeImages(ctx(), { ImageIds: [ids['web-1']!], MaxResults: 5 }), 'InvalidParameterCombination');
  });

  it('MaxResults/NextToken pages through everything once, in order', async () => {
    const seen: string[] = [];
    let NextToken: string | undefined;
    let pages = 0;
    do {
      const page = await h.service.describeImages(ctx(), { MaxResults: 5, NextToken });
      seen.push(...(page.Images ?? []).map((i) => i.ImageId!));
      NextToken = page.NextToken;
      pages++;
    } while (NextToken);
    assert.equal(pages, 2);
    const all = ((await h.service.describeImages(ctx(), {})).Images ?? []).map((i) => i.ImageId!);
    assert.deepEqual(seen, all);
    await rejectsWith(
      h.service.describeImages(ctx(), { MaxResults: 4 }),
      'InvalidParameterValue',
      'Value ( 4 ) for parameter maxResults is invalid. Parameter must be between 5 and 1000.',
    );
    await rejectsWith(h.service.describeImages(ctx(), { NextToken: 'garbage!' }), 'InvalidPaginationToken');
  });

  it('an image carries every field DescribeImages returns', async () => {
    const image = (await h.service.describeImages(ctx(), { ImageIds: [ids['web-1']!] })).Images![0]!;
    assert.equal(image.ImageId, ids['web-1']);
    assert.equal(image.OwnerId, ACCOUNT);
    assert.equal(image.State, 'available');
    assert.equal(image.Public, false);
    assert.equal(image.ImageLocation, `${ACCOUNT}/web-1`);
    assert.equal(image.CreationDate, '2026-01-01T00:00:00.000Z');
    assert.equal(image.RootDeviceName, '/dev/xvda');
    assert.match(image.BlockDeviceMappings![0]!.Ebs!.SnapshotId!, /^snap-[0-9a-f]{17}$/);
    assert.deepEqual(
      image.Tags?.sort((a, b) => a.Key!.localeCompare(b.Key!)),
      [
        { Key: 'env', Value: 'prod' },
        { Key: 'role', Value: 'web' },
      ],
    );
    for (const k of [
      'Architecture',
      'ImageType',
      'VirtualizationType',
      'Hypervisor',
      'EnaSupport',
      'PlatformDetails',
      'UsageOperation',
      'SourceInstanceId',
      'Description',
    ]) {
      assert.notEqual((image as Record<string, unknown>)[k], undefined, k);
    }
  });
});

describe('image attributes and tags', () => {
  it('DescribeImageAttribute / ModifyImageAttribute: description and launch permissions', async () => {
    const ImageId = ids['arm-reg']!;
    await h.service.modifyImageAttribute(ctx(), { ImageId, Description: { Value: 'ARM build' } });
    assert.deepEqual(await h.service.describeImageAttribute(ctx(), { ImageId, Attribute: 'description' }), {
      ImageId,
      Description: { Value: 'ARM build' },
    });
    await h.service.modifyImageAttribute(ctx(), { ImageId, Attribute: 'launchPermission', OperationType: 'add', UserIds: [OTHER_ACCOUNT] });
    await h.service.modifyImageAttribute(ctx(), { ImageId, LaunchPermission: { Add: [{ Group: 'all' }] } });
    assert.deepEqual((await h.service.describeImageAttribute(ctx(), { ImageId, Attribute: 'launchPermission' })).LaunchPermissions, [
      { UserId: OTHER_ACCOUNT },
      { Group: 'all' },
    ]);
    await h.service.modifyImageAttribute(ctx(), { ImageId, LaunchPermission: { Remove: [{ Group: 'all' }] } });
    assert.deepEqual((await h.service.describeImageAttribute(ctx(), { ImageId, Attribute: 'launchPermission' })).LaunchPermissions, [
      { UserId: OTHER_ACCOUNT },
    ]);
    assert.deepEqual(await names([], { Owners: [ACCOUNT], ExecutableUsers: [OTHER_ACCOUNT] }), ['arm-reg']);
    await rejectsWith(h.service.describeImageAttribute(ctx(), { ImageId, Attribute: 'colour' as never }), 'InvalidParameterValue');
    await rejectsWith(
      h.service.modifyImageAttribute(ctx(), { ImageId, LaunchPermission: { Add: [{ UserId: '12' }] } }),
      'InvalidUserID.Malformed',
    );
    await rejectsWith(
      h.service.modifyImageAttribute(ctx(), { ImageId, LaunchPermission: { Add: [{ Group: 'friends' as never }] } }),
      'InvalidParameterValue',
    );
    await rejectsWith(
      h.service.modifyImageAttribute(ctx(), { ImageId: ids['shared-pub'], Description: { Value: 'mine now' } }),
      'InvalidAMIID.NotFound',
    );
  });

  it('CreateTags / DeleteTags / DescribeTags', async () => {
    const ImageId = ids['db-1']!;
    await h.service.createTags(ctx(), {
      Resources: [ImageId],
      Tags: [
        { Key: 'tier', Value: 'data' },
        { Key: 'role', Value: 'database' },
      ],
    });
    const mine = await h.service.describeTags(ctx(), { Filters: [{ Name: 'resource-id', Values: [ImageId] }] });
    assert.deepEqual(mine.Tags, [
      { ResourceId: ImageId, ResourceType: 'image', Key: 'role', Value: 'database' },
      { ResourceId: ImageId, ResourceType: 'image', Key: 'tier', Value: 'data' },
    ]);
    await h.service.deleteTags(ctx(), { Resources: [ImageId], Tags: [{ Key: 'role', Value: 'other' }, { Key: 'tier' }] });
    assert.deepEqual(
      (await h.service.describeTags(ctx(), { Filters: [{ Name: 'resource-id', Values: [ImageId] }] })).Tags?.map((t) => t.Key),
      ['role'],
    );
    assert.deepEqual(await names([{ Name: 'tag:role', Values: ['database'] }]), ['db-1']);
    const byKey = await h.service.describeTags(ctx(), {
      Filters: [
        { Name: 'key', Values: ['role'] },
        { Name: 'resource-type', Values: ['image'] },
      ],
    });
    assert.ok((byKey.Tags ?? []).length >= 3);
  });
});
