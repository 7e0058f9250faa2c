import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { Ec2Service } from '../../src/core/ec2/ec2-service.js';
import { ec2Options } from '../../src/core/ec2/options.js';
import { systemClock } from '../../src/core/shared/clock.js';
import { cryptoRandom } from '../../src/core/shared/random.js';
import { MemoryEc2Store } from '../../src/storage/memory/memory-ec2-store.js';
import { createEc2QueryHandler } from '../../src/wire/services/ec2.js';
import { ACCOUNT, RecordingSink } from './helpers.js';
import { serve, type TestServer } from './http-harness.js';
import { awsCliEnv, awsCliSkip as skip, awsCliV2 as AWS } from '../support/aws-cli.js';

/**
 * The AWS CLI v2 (Debian's /usr/bin/aws, installed by scripts/install-system-deps.sh) against the
 * ec2 handler. Each call costs ~1.6 s of Python start-up, so there are four.
 */
const run = promisify(execFile);

const sink = new RecordingSink();
const service = new Ec2Service({
  store: new MemoryEc2Store(), sink, clock: systemClock, random: cryptoRandom,
  options: ec2Options({ durations: { CreateImage: 300 } }),
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
    const created = await aws('ec2', 'create-image', '--instance-id', 'i-0123456789abcdef0', '--name', 'cli image (1)',
      '--tag-specifications', 'ResourceType=image,Tags=[{Key=team,Value=ops}]');
    assert.equal(created.code, 0, created.stderr);
    const { ImageId } = JSON.parse(created.stdout) as { ImageId: string };
    assert.match(ImageId, /^ami-[0-9a-f]{17}$/);

    const waited = await aws('ec2', 'wait', 'image-available', '--image-ids', ImageId);
    assert.equal(waited.code, 0, waited.stderr);

    const described = await aws('ec2', 'describe-images', '--owners', 'self', '--filters', 'Name=state,Values=available', 'Name=tag:team,Values=ops');
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
    assert.match(failed.stderr, /\(InvalidAMIID\.Malformed\) when calling the DeregisterImage operation: Invalid id: "ami-123" \(expecting "ami-\.\.\."\)/);
  });
});
