import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { Ec2Service } from '../../src/core/ec2/ec2-service.js';
import { ManualClock } from '../../src/core/shared/clock.js';
import { seededRandom } from '../../src/core/shared/random.js';
import { MemoryEc2Store } from '../../src/storage/memory/memory-ec2-store.js';
import { createEc2QueryHandler, ec2Input } from '../../src/wire/services/ec2.js';
import { ctx, harness, RecordingSink } from './helpers.js';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false });
const form = (action: string, body: string) => ec2Input(action, body);

describe('ec2 query decoding', () => {
  it('lists are 1-based and flattened, in index order, gaps allowed; spaces as + or %20', () => {
    const input = form(
      'DescribeImages',
      'Action=DescribeImages&Filter.2.Name=name&Filter.2.Value.1=my+image&Filter.2.Value.3=my%20other&Filter.1.Name=state' +
        '&Filter.1.Value.1=available&ImageId.10=ami-0000000b&ImageId.2=ami-0000000a&Owner.1=self&ExecutableBy.1=all&IncludeDisabled=true&MaxResults=50',
    );
    assert.deepEqual(input, {
      ImageIds: ['ami-0000000a', 'ami-0000000b'],
      Owners: ['self'],
      ExecutableUsers: ['all'],
      IncludeDisabled: true,
      MaxResults: 50,
      Filters: [
        { Name: 'state', Values: ['available'] },
        { Name: 'name', Values: ['my image', 'my other'] },
      ],
    });
  });

  it('nested structures: tag specifications, block device mappings, launch permissions', () => {
    assert.deepEqual(
      form(
        'CreateImage',
        'InstanceId=i-12345678&Name=n1&NoReboot=false&TagSpecification.1.ResourceType=image&TagSpecification.1.Tag.1.Key=a' +
          '&TagSpecification.1.Tag.1.Value=b&BlockDeviceMapping.1.DeviceName=%2Fdev%2Fsdb&BlockDeviceMapping.1.Ebs.VolumeSize=100&BlockDeviceMapping.1.Ebs.Encrypted=true',
      ),
      {
        InstanceId: 'i-12345678',
        Name: 'n1',
        NoReboot: false,
        BlockDeviceMappings: [{ DeviceName: '/dev/sdb', Ebs: { VolumeSize: 100, Encrypted: true } }],
        TagSpecifications: [{ ResourceType: 'image', Tags: [{ Key: 'a', Value: 'b' }] }],
      },
    );
    assert.deepEqual(
      form(
        'ModifyImageAttribute',
        'ImageId=ami-12345678&LaunchPermission.Add.1.Group=all&LaunchPermission.Remove.1.UserId=123456789012&Description.Value=d+1',
      ),
      {
        ImageId: 'ami-12345678',
        Description: { Value: 'd 1' },
        LaunchPermission: { Add: [{ Group: 'all' }], Remove: [{ UserId: '123456789012' }] },
      },
    );
    assert.deepEqual(form('CreateTags', 'ResourceId.1=ami-12345678&Tag.1.Key=k&Tag.1.Value='), {
      Resources: ['ami-12345678'],
      Tags: [{ Key: 'k', Value: '' }],
    });
  });

  it('bad booleans and integers are refused', () => {
    assert.throws(() => form('DeregisterImage', 'ImageId=ami-12345678&DryRun=yes'), {
      code: 'InvalidParameterValue',
      message: 'Value (yes) for parameter DryRun is invalid.',
    });
    assert.throws(() => form('DescribeImages', 'MaxResults=ten'), { code: 'InvalidParameterValue' });
  });
});

describe('ec2 query handler', () => {
  const h = harness();
  const handler = createEc2QueryHandler(h.service);
  const send = async (body: string, method = 'POST', url = '/') => {
    const r = await handler({ method, url, headers: {}, body: Buffer.from(body), context: ctx({ requestId: 'fixed-request-id' }) });
    return { ...r, xml: parser.parse(String(r.body)) };
  };

  it('unknown or missing Action → EC2 error XML with status 400', async () => {
    const unknown = await send('Action=LaunchRockets&Version=2016-11-15');
    assert.equal(unknown.status, 400);
    assert.deepEqual(unknown.xml.Response.Errors.Error, {
      Code: 'InvalidAction',
      Message: 'The action LaunchRockets is not valid for this web service.',
    });
    assert.equal(unknown.xml.Response.RequestID, 'fixed-request-id');
    assert.equal((await send('Version=2016-11-15')).xml.Response.Errors.Error.Code, 'MissingAction');
  });

  it('answers GET query strings too, and empty lists as empty elements', async () => {
    const r = await send('', 'GET', '/?Action=DescribeImages&Version=2016-11-15&Owner.1=self');
    assert.equal(r.status, 200);
    assert.equal(r.xml.DescribeImagesResponse.requestId, 'fixed-request-id');
    assert.equal(r.xml.DescribeImagesResponse.imagesSet, '');
  });

  it('DryRun is status 412; DescribeImageAttribute uses the ImageAttribute element names', async () => {
    const dry = await send('Action=DescribeImages&Owner.1=self&DryRun=true');
    assert.equal(dry.status, 412);
    assert.equal(dry.xml.Response.Errors.Error.Code, 'DryRunOperation');
    const created = await send('Action=RegisterImage&Name=attr-1&ImageLocation=b%2Fm.xml&KernelId=aki-12345678');
    const imageId = created.xml.RegisterImageResponse.imageId as string;
    const attr = await send(`Action=DescribeImageAttribute&ImageId=${imageId}&Attribute=kernel`);
    assert.deepEqual(attr.xml.DescribeImageAttributeResponse.kernel, { value: 'aki-12345678' });
    const modified = await send(`Action=ModifyImageAttribute&ImageId=${imageId}&Description.Value=hello`);
    assert.equal(modified.xml.ModifyImageAttributeResponse.return, 'true');
  });

  it('an unexpected failure is a 500 InternalError that reveals nothing, and is reported', async () => {
    const store = new MemoryEc2Store();
    store.listImages = async () => {
      throw new Error('disk on fire');
    };
    const reported: unknown[] = [];
    const broken = createEc2QueryHandler(
      new Ec2Service({ store, sink: new RecordingSink(), clock: new ManualClock(), random: seededRandom(1) }),
      { onInternalError: (e) => reported.push(e) },
    );
    const r = await broken({ method: 'POST', url: '/', headers: {}, body: Buffer.from('Action=DescribeImages'), context: ctx() });
    assert.equal(r.status, 500);
    const xml = parser.parse(String(r.body));
    assert.deepEqual(xml.Response.Errors.Error, { Code: 'InternalError', Message: 'An internal error has occurred' });
    assert.equal((reported[0] as Error).message, 'disk on fire');
  });
});
