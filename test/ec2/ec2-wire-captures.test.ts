import assert from 'node:assert/strict';
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { ec2Options } from '../../src/core/ec2/options.js';
import { Ec2Service } from '../../src/core/ec2/ec2-service.js';
import { ManualClock } from '../../src/core/shared/clock.js';
import { seededRandom } from '../../src/core/shared/random.js';
import { MemoryEc2Store } from '../../src/storage/memory/memory-ec2-store.js';
import { createEc2QueryHandler } from '../../src/wire/services/ec2.js';
import { ACCOUNT, RecordingSink, seedSnapshot } from './helpers.js';
import { serve, type TestServer } from './http-harness.js';

/**
 * The requests the AWS CLI v2 (`cli-`), CLI v1 (`cli1-`) and the JS SDK v3 (`sdk-`) really sent
 * (shared/wire, copied to fixtures/wire), replayed byte for byte against the ec2 handler.
 */
const SEEDED = 'ami-0123456789abcdef0';
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false });

function loadCapture(file: string): { headers: Record<string, string>; body: Buffer } {
  const raw = readFileSync(new URL(`./fixtures/wire/${file}`, import.meta.url));
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, split).toString('latin1').split('\r\n').slice(1);
  const headers = Object.fromEntries(head.map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]));
  return { headers, body: raw.subarray(split + 4) };
}

function replay(url: string, file: string): Promise<{ status: number; type: string; xml: Record<string, any> }> {
  const { headers, body } = loadCapture(file);
  delete headers.Connection;
  return new Promise((resolve, reject) => {
    const req = request(`${url}/`, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: String(res.headers['content-type']),
          xml: parser.parse(Buffer.concat(chunks).toString('utf8')),
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

for (const client of ['cli', 'cli1', 'sdk']) {
  describe(`wire captures from ${client}`, () => {
    let server: TestServer;
    const store = new MemoryEc2Store();
    const clock = new ManualClock();
    const service = new Ec2Service({ store, sink: new RecordingSink(), clock, random: seededRandom(3), options: ec2Options() });

    before(async () => {
      // The snapshot the captured RegisterImage names.
      await seedSnapshot(store);
      // The image the captured CopyImage/DeregisterImage name.
      await store.putImage({
        imageId: SEEDED,
        accountId: ACCOUNT,
        region: 'us-east-1',
        name: 'seeded',
        state: 'available',
        origin: 'CreateImage',
        requestId: 'seed',
        creationDate: '2026-01-01T00:00:00.000Z',
        imageLocation: `${ACCOUNT}/seeded`,
        imageType: 'machine',
        architecture: 'x86_64',
        platformDetails: 'Linux/UNIX',
        usageOperation: 'RunInstances',
        rootDeviceType: 'ebs',
        rootDeviceName: '/dev/xvda',
        blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { snapshotId: 'snap-0123456789abcdef0', volumeSize: 8 } }],
        virtualizationType: 'hvm',
        hypervisor: 'xen',
        enaSupport: true,
        launchPermissions: [],
        tags: [{ key: 'k', value: 'v & <w>' }],
      });
      server = await serve(createEc2QueryHandler(service), { accountId: ACCOUNT, region: 'us-east-1' });
    });
    after(() => server.close());

    it('DescribeImages (Owner.1=self, state=available) lists the seeded image', async () => {
      const r = await replay(server.url, `${client}-ec2-DescribeImages.http`);
      assert.equal(r.status, 200);
      assert.equal(r.type, 'text/xml;charset=UTF-8');
      const root = r.xml.DescribeImagesResponse;
      assert.equal(root['@_xmlns'], 'http://ec2.amazonaws.com/doc/2016-11-15/');
      assert.match(root.requestId, /^[0-9a-f-]{36}$/);
      const item = root.imagesSet.item;
      assert.equal(item.imageId, SEEDED);
      assert.equal(item.imageState, 'available');
      assert.equal(item.imageOwnerId, ACCOUNT);
      assert.equal(item.isPublic, 'false');
      assert.equal(item.blockDeviceMapping.item.ebs.snapshotId, 'snap-0123456789abcdef0');
      assert.equal(item.tagSet.item.value, 'v & <w>');
    });

    it("CreateImage with InstanceId=i-123 gets AWS's malformed-id error", async () => {
      const r = await replay(server.url, `${client}-ec2-CreateImage.http`);
      assert.equal(r.status, 400);
      assert.equal(r.xml.Response.Errors.Error.Code, 'InvalidInstanceID.Malformed');
      assert.equal(r.xml.Response.Errors.Error.Message, 'Invalid id: "i-123"');
      assert.match(r.xml.Response.RequestID, /^[0-9a-f-]{36}$/);
    });

    it('CopyImage, RegisterImage and CreateRestoreImageTask answer an imageId', async () => {
      for (const op of ['CopyImage', 'RegisterImage', 'CreateRestoreImageTask']) {
        const r = await replay(server.url, `${client}-ec2-${op}.http`);
        assert.equal(r.status, 200, op);
        assert.match(r.xml[`${op}Response`].imageId, /^ami-[0-9a-f]{17}$/, op);
      }
      const listed = await service.describeImages({ accountId: ACCOUNT, region: 'us-east-1', requestId: 'check' }, { Owners: ['self'] });
      const byName = Object.fromEntries((listed.Images ?? []).map((i) => [i.Name, i]));
      assert.equal(byName['x-copy']?.SourceImageId, SEEDED);
      assert.equal(byName['x-reg']?.Architecture, 'x86_64');
      assert.equal(byName['x-reg']?.EnaSupport, true);
      assert.equal(byName['x-reg']?.BlockDeviceMappings?.[0]?.DeviceName, '/dev/xvda');
      assert.equal(byName['x-restored']?.State, 'pending');
    });

    it('DeregisterImage answers <return>true</return>', async () => {
      const r = await replay(server.url, `${client}-ec2-DeregisterImage.http`);
      assert.equal(r.status, 200);
      assert.equal(r.xml.DeregisterImageResponse.return, 'true');
      const again = await replay(server.url, `${client}-ec2-DeregisterImage.http`);
      assert.equal(again.status, 400);
      assert.equal(again.xml.Response.Errors.Error.Code, 'InvalidAMIID.Unavailable');
    });
  });
}
