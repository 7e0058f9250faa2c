import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';
import { TUTORIAL_FUNCTION, until, zipOf } from './helpers.js';
import { awsCliEnv, awsCliSkip as skip, awsCliV2 as AWS } from '../support/aws-cli.js';
import { EC2Client } from '@aws-sdk/client-ec2';
import { runningInstance } from '../support/ec2-instance.js';
import { inProcess } from '../support/in-process.js';

/**
 * The tutorial with the AWS CLI v2 (Debian's /usr/bin/aws): create-function from a zip file,
 * add-permission, the guide's rule and target, create-image, and invoke with a log tail. Each
 * call costs ~1.6 s of Python start-up: independent calls run side by side.
 */
const run = promisify(execFile);
let app: App;
let dir: string;

async function aws(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = awsCliEnv();
  try {
    const { stdout, stderr } = await run(AWS, ['--endpoint-url', app.url, '--output', 'json', ...args], { env, cwd: dir });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('AWS CLI v2: the tutorial "Log the state of an Amazon EC2 instance"', { skip }, () => {
  before(async () => {
    app = await startTestServer();
    dir = await mkdtemp(join(tmpdir(), 'amiwatch-lambda-cli-'));
    await writeFile(join(dir, 'function.zip'), zipOf({ 'index.js': TUTORIAL_FUNCTION }));
  });
  after(async () => {
    await app?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('create-function, add-permission, put-rule, put-targets, create-image → the log shows `available`; invoke --log-type Tail', {
    timeout: 60_000,
  }, async () => {
    const ruleArn = 'arn:aws:events:us-east-1:000000000000:rule/ami-available';
    const [fn, rule] = await Promise.all([
      aws(
        'lambda',
        'create-function',
        '--function-name',
        'LogEC2InstanceStateChange',
        '--runtime',
        'nodejs20.x',
        '--handler',
        'index.handler',
        '--role',
        'arn:aws:iam::000000000000:role/lambda-role',
        '--zip-file',
        'fileb://function.zip',
      ),
      aws(
        'events',
        'put-rule',
        '--name',
        'ami-available',
        '--event-pattern',
        '{"source":["aws.ec2"],"detail-type":["EC2 AMI State Change"],"detail":{"State":["available"]}}',
      ),
    ]);
    assert.equal(fn.code, 0, fn.stderr);
    assert.equal(rule.code, 0, rule.stderr);
    const functionArn = (JSON.parse(fn.stdout) as { FunctionArn: string }).FunctionArn;
    assert.equal((JSON.parse(rule.stdout) as { RuleArn: string }).RuleArn, ruleArn);
    const [perm, targets] = await Promise.all([
      aws(
        'lambda',
        'add-permission',
        '--function-name',
        'LogEC2InstanceStateChange',
        '--statement-id',
        'ami-available-event',
        '--action',
        'lambda:InvokeFunction',
        '--principal',
        'events.amazonaws.com',
        '--source-arn',
        ruleArn,
      ),
      aws('events', 'put-targets', '--rule', 'ami-available', '--targets', `Id=1,Arn=${functionArn}`),
    ]);
    assert.equal(perm.code, 0, perm.stderr);
    assert.equal(targets.code, 0, targets.stderr);
    const ec2 = new EC2Client(inProcess(app));
    const instanceId = await runningInstance(ec2);
    ec2.destroy();
    const [image, invoked, missing] = await Promise.all([
      aws('ec2', 'create-image', '--instance-id', instanceId, '--name', 'web-server-v1'),
      aws(
        'lambda',
        'invoke',
        '--function-name',
        'LogEC2InstanceStateChange',
        '--cli-binary-format',
        'raw-in-base64-out',
        '--payload',
        '{"detail":{"State":"test"}}',
        '--log-type',
        'Tail',
        'out.json',
      ),
      aws('lambda', 'invoke', '--function-name', 'nope', 'out-missing.json'),
    ]);
    assert.equal(image.code, 0, image.stderr);
    assert.equal(invoked.code, 0, invoked.stderr);
    const out = JSON.parse(invoked.stdout) as { StatusCode: number; LogResult: string; ExecutedVersion: string };
    assert.equal(out.StatusCode, 200);
    assert.equal(out.ExecutedVersion, '$LATEST');
    assert.match(Buffer.from(out.LogResult, 'base64').toString('utf8'), /"State": "test"/);
    assert.equal(await readFile(join(dir, 'out.json'), 'utf8'), '"Finished"');
    assert.equal(missing.code, 254);
    assert.match(missing.stderr, /ResourceNotFoundException.*Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope/);

    const { ImageId } = JSON.parse(image.stdout) as { ImageId: string };
    const log = await until(async () => {
      const body = (await (await fetch(`${app.url}/_amiwatch/functions/LogEC2InstanceStateChange/logs`)).json()) as {
        events: { message: string }[];
      };
      return body.events.map((e) => e.message).find((m) => m.includes('"State": "available"'));
    }, 20_000);
    assert.match(log, new RegExp(`"ImageId": "${ImageId}"`));
  });
});
