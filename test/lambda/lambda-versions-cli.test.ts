import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';
import { awsCliJson, awsCliSkip as skip } from '../support/aws-cli.js';
import { ROLE, until, zipOf } from './helpers.js';

/**
 * Versions, aliases and SQS event source mappings with the AWS CLI v2 over a real socket, ending
 * with an SQS message sent by the CLI and handled by the function through the mapping.
 */
let app: App;
let dir: string;

const aws = awsCliJson(
  () => app.url,
  () => dir,
);

describe('AWS CLI v2: versions, aliases, SQS event source mappings', { skip }, () => {
  before(async () => {
    app = await startTestServer();
    dir = await mkdtemp(join(tmpdir(), 'amiwatch-lambda-versions-cli-'));
    await writeFile(
      join(dir, 'v1.zip'),
      zipOf({ 'index.js': 'exports.handler = async (e) => { console.log("v1 got", JSON.stringify(e)); return "v1"; };' }),
    );
    await writeFile(join(dir, 'v2.zip'), zipOf({ 'index.js': 'exports.handler = async (e) => "v2";' }));
  });
  after(async () => {
    await app?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('publish-version, aliases, invoke by alias, and an SQS trigger', { timeout: 120_000 }, async () => {
    const created = await aws(
      'lambda',
      'create-function',
      '--function-name',
      'cli-ver',
      '--runtime',
      'nodejs20.x',
      '--handler',
      'index.handler',
      '--role',
      ROLE,
      '--zip-file',
      'fileb://v1.zip',
    );
    assert.equal(created.code, 0, created.stderr);
    const v1 = await aws(
      'lambda',
      'publish-version',
      '--function-name',
      'cli-ver',
      '--code-sha256',
      created.out.CodeSha256,
      '--description',
      'first',
    );
    assert.equal(v1.code, 0, v1.stderr);
    assert.equal(v1.out.Version, '1');
    assert.equal((await aws('lambda', 'update-function-code', '--function-name', 'cli-ver', '--zip-file', 'fileb://v2.zip')).code, 0);
    const [badSha, alias, queue] = await Promise.all([
      aws('lambda', 'publish-version', '--function-name', 'cli-ver', '--code-sha256', created.out.CodeSha256),
      aws('lambda', 'create-alias', '--function-name', 'cli-ver', '--name', 'live', '--function-version', '1'),
      aws('sqs', 'create-queue', '--queue-name', 'cli-trigger'),
    ]);
    assert.match(badSha.stderr, /InvalidParameterValueException.*is different from current CodeSHA256 in \$LATEST/);
    assert.equal(alias.out.AliasArn, 'arn:aws:lambda:us-east-1:000000000000:function:cli-ver:live');
    const [versions, aliases, got, upd] = await Promise.all([
      aws('lambda', 'list-versions-by-function', '--function-name', 'cli-ver'),
      aws('lambda', 'list-aliases', '--function-name', 'cli-ver'),
      aws('lambda', 'get-alias', '--function-name', 'cli-ver', '--name', 'live'),
      aws('lambda', 'update-alias', '--function-name', 'cli-ver', '--name', 'live', '--description', 'production'),
    ]);
    assert.deepEqual(
      versions.out.Versions.map((v: { Version: string }) => v.Version),
      ['$LATEST', '1'],
    );
    assert.deepEqual(
      aliases.out.Aliases.map((a: { Name: string }) => a.Name),
      ['live'],
    );
    assert.equal(got.out.FunctionVersion, '1');
    assert.equal(upd.out.Description, 'production');

    const inv = await aws(
      'lambda',
      'invoke',
      '--function-name',
      'cli-ver:live',
      '--cli-binary-format',
      'raw-in-base64-out',
      '--payload',
      '{}',
      'out.json',
    );
    assert.equal(inv.out.ExecutedVersion, '1');
    assert.equal(await readFile(join(dir, 'out.json'), 'utf8'), '"v1"');

    const esm = await aws(
      'lambda',
      'create-event-source-mapping',
      '--function-name',
      'cli-ver:live',
      '--event-source-arn',
      'arn:aws:sqs:us-east-1:000000000000:cli-trigger',
      '--batch-size',
      '5',
    );
    assert.equal(esm.code, 0, esm.stderr);
    assert.equal(esm.out.FunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:cli-ver:live');
    const [getEsm, listEsm] = await Promise.all([
      aws('lambda', 'get-event-source-mapping', '--uuid', esm.out.UUID),
      aws('lambda', 'list-event-source-mappings', '--function-name', 'cli-ver'),
    ]);
    assert.equal(getEsm.out.State, 'Enabled');
    assert.equal(listEsm.out.EventSourceMappings.length, 1);
    assert.equal((await aws('sqs', 'send-message', '--queue-url', queue.out.QueueUrl, '--message-body', 'ami-0cli')).code, 0);
    await until(async () => {
      const body = (await (await fetch(`${app.url}/_amiwatch/functions/cli-ver/logs`)).json()) as { events: { message: string }[] };
      return body.events.some((e) => e.message.includes('"body":"ami-0cli"') && e.message.includes('Version: 1')) ? true : undefined;
    }, 20_000);

    const [updEsm] = await Promise.all([aws('lambda', 'update-event-source-mapping', '--uuid', esm.out.UUID, '--no-enabled')]);
    assert.equal(updEsm.out.State, 'Updating');
    const [delEsm, delAlias] = await Promise.all([
      aws('lambda', 'delete-event-source-mapping', '--uuid', esm.out.UUID),
      aws('lambda', 'delete-alias', '--function-name', 'cli-ver', '--name', 'live'),
    ]);
    assert.equal(delEsm.out.State, 'Deleting');
    assert.equal(delAlias.code, 0, delAlias.stderr);
    const gone = await aws('lambda', 'get-alias', '--function-name', 'cli-ver', '--name', 'live');
    assert.match(gone.stderr, /ResourceNotFoundException.*Alias not found/);
  });
});
