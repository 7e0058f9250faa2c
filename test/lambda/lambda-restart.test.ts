import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { AddPermissionCommand, CreateFunctionCommand, GetPolicyCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { startTestServer } from '../e2e/helpers.js';
import { lambdaClient, ROLE, zipOf } from './helpers.js';

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

it('functions, their code and policies survive a restart (SQLite file)', { timeout: 30_000 }, async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'amiwatch-lambda-restart-'));
  dirs.push(dataDir);
  let app = await startTestServer({ inMemory: false, dataDir });
  let client = lambdaClient(app);
  await client.send(
    new CreateFunctionCommand({
      FunctionName: 'keep',
      Runtime: 'nodejs22.x',
      Role: ROLE,
      Handler: 'index.handler',
      Code: { ZipFile: zipOf({ 'index.js': 'exports.handler = async (e) => e.n * 2;' }) },
    }),
  );
  await client.send(
    new AddPermissionCommand({ FunctionName: 'keep', StatementId: 's', Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com' }),
  );
  client.destroy();
  await app.close();

  app = await startTestServer({ inMemory: false, dataDir });
  client = lambdaClient(app);
  try {
    const r = await client.send(new InvokeCommand({ FunctionName: 'keep', Payload: Buffer.from('{"n":21}') }));
    assert.equal(Buffer.from(r.Payload!).toString(), '42');
    assert.equal(JSON.parse((await client.send(new GetPolicyCommand({ FunctionName: 'keep' }))).Policy!).Statement[0].Sid, 's');
  } finally {
    client.destroy();
    await app.close();
  }
});
