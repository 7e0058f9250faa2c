import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { CloudWatchLogsClient, DescribeLogGroupsCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { startTestServer } from '../e2e/helpers.js';
import { lambdaClient, ROLE, zipOf } from '../lambda/helpers.js';
import { inProcess } from '../support/in-process.js';

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

it("a function's log group survives a restart (SQLite file) and the console's log endpoint reads it", { timeout: 30_000 }, async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'amiwatch-logs-restart-'));
  dirs.push(dataDir);
  let app = await startTestServer({ inMemory: false, dataDir });
  const lambda = lambdaClient(app);
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'py-keep',
      Runtime: 'python3.11',
      Role: ROLE,
      Handler: 'app.handler',
      Code: { ZipFile: zipOf({ 'app.py': 'def handler(e, c):\n    print("kept", e["n"])\n    return e["n"]\n' }) },
    }),
  );
  await lambda.send(new InvokeCommand({ FunctionName: 'py-keep', Payload: Buffer.from('{"n":7}') }));
  lambda.destroy();
  await app.close();

  app = await startTestServer({ inMemory: false, dataDir });
  const logs = new CloudWatchLogsClient(inProcess(app));
  try {
    assert.deepEqual(
      (await logs.send(new DescribeLogGroupsCommand({}))).logGroups!.map((g) => g.logGroupName),
      ['/aws/lambda/py-keep'],
    );
    const events = (await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/py-keep', filterPattern: 'kept' }))).events!;
    assert.deepEqual(
      events.map((e) => e.message),
      ['kept 7'],
    );
    const body = (await (await fetch(`${app.url}/_amiwatch/functions/py-keep/logs`)).json()) as { events: { message: string }[] };
    assert.equal(body.events.length, 1);
    assert.match(body.events[0]!.message, /^START RequestId: .*\nkept 7\nEND RequestId: .*\nREPORT RequestId: /);
  } finally {
    logs.destroy();
    await app.close();
  }
});
