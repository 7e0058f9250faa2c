import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { App } from '../../src/server/app.js';
import { supportedEc2Actions } from '../../src/wire/services/ec2.js';
import { startTestServer } from '../e2e/helpers.js';
import { assertEc2Error, auth, form, FORM, fuzzOptions, index, internalErrors, oddKeys, parseXml } from './fuzz-support.js';
import { inProcessFetch } from '../support/in-process.js';

/**
 * EC2's query protocol: any Action it routes (and some it does not), indexed parameters with
 * wrong types, huge or missing indexes, parts left out — the answer is a success or EC2's
 * `<Response><Errors>` with a 4xx, never a 500; a refused write leaves the images and tags as
 * they were.
 */
let app: App;
/** Requests go to the server's socket-free handle (behaviour); the health checks use the socket. */
const send: ReturnType<typeof inProcessFetch> = (url, init) => inProcessFetch(app)(url, init);
const log: string[] = [];
const ACCOUNT = '000000000000';
let imageId = '';

async function call(body: string): Promise<{ status: number; text: string }> {
  const res = await send(app.url, { method: 'POST', headers: { 'content-type': FORM, authorization: auth('ec2') }, body });
  return { status: res.status, text: await res.text() };
}
const action = (name: string, params: readonly (readonly [string, string])[] = []) =>
  call(form([['Action', name], ['Version', '2016-11-15'], ...params]));

before(async () => {
  app = await startTestServer({}, { log: (m) => log.push(m) });
  // A real snapshot to register from: of the volume of an instance of a public image.
  const c = { accountId: ACCOUNT, region: 'us-east-1', requestId: 'setup' };
  const { Images } = await app.ec2.describeImages(c, { Owners: ['amazon'] });
  await app.ec2.runInstances(c, { ImageId: Images![0]!.ImageId!, MinCount: 1, MaxCount: 1 });
  const volumeId = (await app.ec2.describeVolumes(c, {})).Volumes![0]!.VolumeId!;
  const snapshotId = (await app.ec2.createSnapshot(c, { VolumeId: volumeId })).SnapshotId!;
  const reg = await action('RegisterImage', [
    ['Name', 'fuzz-image'],
    ['RootDeviceName', '/dev/xvda'],
    ['BlockDeviceMapping.1.DeviceName', '/dev/xvda'],
    ['BlockDeviceMapping.1.Ebs.SnapshotId', snapshotId],
  ]);
  assert.equal(reg.status, 200, reg.text);
  imageId = /<imageId>([^<]+)</.exec(reg.text)![1]!;
});
after(() => app.close());

const ACTIONS = supportedEc2Actions();
const WRITES = [
  'CreateImage',
  'CopyImage',
  'RegisterImage',
  'CreateRestoreImageTask',
  'CreateStoreImageTask',
  'DeregisterImage',
  'EnableImage',
  'DisableImage',
  'ModifyImageAttribute',
  'CreateTags',
  'DeleteTags',
  'CreateSnapshot',
  'CopySnapshot',
  'DeleteSnapshot',
];

const amiId = fc.oneof(
  fc.constant('REAL').map(() => imageId),
  fc.constantFrom(
    'ami-0123456789abcdef0',
    'ami-12345678',
    'ami-x',
    'ami-',
    'AMI-0123456789ABCDEF0',
    'i-123',
    'snap-0123456789abcdef0',
    '',
    ' ami-0123456789abcdef0',
  ),
);
const value = fc.oneof(
  amiId,
  fc.constantFrom('true', 'false', 'TRUE', 'yes', '0', '-1', '1.5', '99999999999999999999', '1e3', ''),
  fc.constantFrom(
    'i-1234567890abcdef0',
    'i-123',
    'us-east-1',
    'eu-west-1',
    'xx-nowhere-1',
    'fuzz-copy',
    'a',
    'x'.repeat(200),
    'my-bucket',
    'key.bin',
    '/dev/xvda',
    '/dev/sdb',
    'ephemeral0',
    'gp3',
    'io1',
    'standard',
    'x86_64',
    'arm64',
    'hvm',
    'paravirtual',
    'uefi',
    'legacy-bios',
    'v2.0',
    'image',
    'instance',
    'snapshot',
    'self',
    'all',
    'amazon',
    '123456789012',
    'description',
    'launchPermission',
    'imdsSupport',
    'productCodes',
    'kernel',
    'add',
    'remove',
    'state',
    'name',
    'tag:Name',
    'tag-key',
    'image-id',
    'owner-id',
    'available',
    'pending',
    'fuzz*',
    '*',
    '?',
    'Name',
    'Env',
  ),
  fc.constantFrom(...oddKeys),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
);
const top = [
  'InstanceId',
  'Name',
  'Description',
  'NoReboot',
  'SnapshotLocation',
  'BootModeOverride',
  'SourceImageId',
  'SourceRegion',
  'ClientToken',
  'Encrypted',
  'KmsKeyId',
  'CopyImageTags',
  'SnapshotCopyCompletionDurationMinutes',
  'DestinationAvailabilityZone',
  'ImageLocation',
  'Architecture',
  'KernelId',
  'RamdiskId',
  'RootDeviceName',
  'VirtualizationType',
  'SriovNetSupport',
  'EnaSupport',
  'BootMode',
  'TpmSupport',
  'UefiData',
  'ImdsSupport',
  'Bucket',
  'ObjectKey',
  'ImageId',
  'DeleteAssociatedSnapshots',
  'IncludeDeprecated',
  'IncludeDisabled',
  'MaxResults',
  'NextToken',
  'Attribute',
  'Value',
  'OperationType',
  'DryRun',
  'Version',
] as const;
const key = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...top) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom(
          'ImageId',
          'Owner',
          'ExecutableBy',
          'ResourceId',
          'UserId',
          'UserGroup',
          'ProductCode',
          'BillingProduct',
          'OrganizationArn',
        ),
        index,
      )
      .map(([k, n]) => `${k}.${n}`),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(index, fc.constantFrom('Name', 'Value.1', 'Value.2', 'Value', 'Value.0')).map(([n, k]) => `Filter.${n}.${k}`),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(index, fc.constantFrom('ResourceType', 'Tag.1.Key', 'Tag.1.Value', 'Tag.2.Key', 'Tag', 'Tag.0.Key'))
      .map(([n, k]) => `TagSpecification.${n}.${k}`),
  },
  { weight: 1, arbitrary: fc.tuple(index, fc.constantFrom('Key', 'Value')).map(([n, k]) => `Tag.${n}.${k}`) },
  { weight: 1, arbitrary: fc.tuple(index, fc.constantFrom('Key', 'Value')).map(([n, k]) => `S3ObjectTag.${n}.${k}`) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        index,
        fc.constantFrom(
          'DeviceName',
          'VirtualName',
          'NoDevice',
          'Ebs.SnapshotId',
          'Ebs.VolumeSize',
          'Ebs.VolumeType',
          'Ebs.Iops',
          'Ebs.Encrypted',
          'Ebs.DeleteOnTermination',
          'Ebs.Throughput',
          'Ebs',
          'Ebs.KmsKeyId',
        ),
      )
      .map(([n, k]) => `BlockDeviceMapping.${n}.${k}`),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('Add', 'Remove'), index, fc.constantFrom('UserId', 'Group', 'OrganizationArn'))
      .map(([op, n, k]) => `LaunchPermission.${op}.${n}.${k}`),
  },
  { weight: 1, arbitrary: fc.constantFrom('Description.Value', 'ImdsSupport.Value', ...oddKeys) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);
const params = fc.array(fc.tuple(key, value), { maxLength: 10 });
const actionName = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(...ACTIONS) },
  { weight: 1, arbitrary: fc.constantFrom('Nope', '', 'describeimages', 'RunInstances', ...oddKeys) },
);
const body = fc.oneof(
  { weight: 9, arbitrary: fc.tuple(actionName, params).map(([a, ps]) => form([['Action', a], ['Version', '2016-11-15'], ...ps])) },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }).map((s) => `Action=DescribeImages&Version=2016-11-15&${s}`) },
);

// Regression, from the fuzzer: an Action named like an Object.prototype member was looked up on
// the prototype (`valueOf` → a 500 "Cannot convert undefined or null to object").
test('an Action named like an Object.prototype member is InvalidAction, not a 500', async () => {
  for (const name of oddKeys) {
    const res = await action(name);
    assert.equal(res.status, 400, `${name}: ${res.text}`);
    assert.match(res.text, /<Code>InvalidAction<\/Code>/);
  }
  assert.deepEqual(internalErrors(log), []);
});

// Regression, from the fuzzer: a list index present with none of its members (`Filter.1.Value.0`)
// decoded to an `undefined` element, and DescribeTags/DescribeImages read `.Name` of it (a 500).
test('a list index with none of its members is refused in EC2 words, not a 500', async () => {
  for (const op of ['DescribeTags', 'DescribeImages', 'DescribeStoreImageTasks']) {
    const res = await action(op, [['Filter.1.Value.0', 'true']]);
    assert.equal(res.status, 400, `${op}: ${res.text}`);
    assert.match(res.text, /<Code>MissingParameter<\/Code><Message>The request must contain the parameter Filter.Name</);
  }
  const ids = await action('DescribeImages', [['ImageId.1.x', 'y']]);
  assert.equal(ids.status, 400, ids.text);
  assert.match(ids.text, /<Code>InvalidAMIID.Malformed<\/Code>/);
  assert.deepEqual(internalErrors(log), []);
});

// Regression, from the fuzzer: filter names were looked up on the extractor table's prototype
// (`Filter.1.Name=__proto__` → a 500 "extract is not a function").
test('a filter named like an Object.prototype member is an invalid filter, not a 500', async () => {
  for (const op of ['DescribeImages', 'DescribeTags', 'DescribeStoreImageTasks']) {
    for (const name of oddKeys) {
      const res = await action(op, [
        ['Filter.1.Name', name],
        ['Filter.1.Value.1', 'x'],
      ]);
      assert.equal(res.status, 400, `${op} ${name}: ${res.text}`);
      assert.match(res.text, /<Code>InvalidParameterValue<\/Code><Message>The filter &apos;[^&]+&apos; is invalid</);
    }
  }
  assert.deepEqual(internalErrors(log), []);
});

test('no EC2 request makes the server crash, answer 5xx, or answer anything but EC2 XML', async () => {
  await fc.assert(
    fc.asyncProperty(body, async (text) => {
      const res = await call(text);
      if (res.status === 200) parseXml(res.text, text);
      else assertEc2Error(res.status, res.text, text);
    }),
    fuzzOptions(300, 20261206),
  );
  assert.deepEqual(internalErrors(log), []);
  assert.equal((await fetch(`${app.url}/_amiwatch/health`)).status, 200);
});

/** Images (id, name, description, tags, launch permissions), snapshots and tags: what a refused write could have touched. */
async function snapshot(): Promise<string> {
  const ctx = { accountId: ACCOUNT, region: 'us-east-1', requestId: 'snapshot' };
  const { Images = [] } = await app.ec2.describeImages(ctx, { Owners: ['self'], IncludeDeprecated: true, IncludeDisabled: true });
  const images = Images.map((i) => [i.ImageId, i.Name, i.Description, i.Tags, i.Public]).sort();
  const tasks = (await app.ec2.describeStoreImageTasks(ctx, {})).StoreImageTaskResults?.map((t) => [t.AmiId, t.Bucket, t.S3objectKey]);
  const snapshots = (await app.ec2.describeSnapshots(ctx, {})).Snapshots?.map((s) => [s.SnapshotId, s.Description, s.Tags]);
  return JSON.stringify([images, tasks, snapshots, (await app.ec2.describeTags(ctx, {})).Tags]);
}

test('a refused EC2 write leaves nothing half-written', async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...WRITES), params, async (op, ps) => {
      const before = await snapshot();
      const res = await action(op, ps);
      if (res.status === 200) return;
      assertEc2Error(res.status, res.text, `${op} ${JSON.stringify(ps)}`);
      assert.equal(await snapshot(), before, `${op} ${JSON.stringify(ps)} was refused but changed state: ${res.text}`);
    }),
    fuzzOptions(150, 20261207),
  );
  assert.deepEqual(internalErrors(log), []);
});
