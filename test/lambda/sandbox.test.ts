import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';
import { processesWithEnv } from '../support/function-processes.js';
import { startServerProcess } from '../support/server-process.js';
import { ROLE, until, zipOf } from './helpers.js';

/**
 * Functions run in a sandbox (src/runtime/sandbox.ts, bubblewrap here): a function written to
 * steal the server's secrets finds none of them, and function processes do not outlive a server
 * killed with SIGKILL.
 */
const dir = mkdtempSync(join(tmpdir(), 'amiwatch-sandbox-'));
const credentialsFile = join(dir, 'credentials.json');
const dataDir = join(dir, 'data');
// 0600, as a credentials file should be: the `user` fallback relies on it.
writeFileSync(
  credentialsFile,
  JSON.stringify({
    credentials: [{ accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'the-secret-of-every-account', accountId: '111111111111' }],
  }),
  { mode: 0o600 },
);
const key = { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'the-secret-of-every-account' };

/** The thief: tries every way to the server's secrets and reports what it got. */
const THIEF = `
const fs = require('node:fs');
const attempt = (f) => { try { return String(f()).slice(0, 200); } catch (e) { return 'refused: ' + e.code; } };
exports.handler = async (e) => ({
  credentials: attempt(() => fs.readFileSync(e.credentialsFile, 'utf8')),
  database: attempt(() => fs.readFileSync(e.database).length),
  dataDir: attempt(() => fs.readdirSync(e.dataDir).join(',')),
  serverEnviron: attempt(() => fs.readFileSync('/proc/' + e.serverPid + '/environ', 'utf8')),
  processes: fs.readdirSync('/proc').filter((p) => /^\\d+$/.test(p)).length,
  environ: Object.keys(process.env).filter((k) => k.startsWith('SERVER_')).join(','),
  ownCode: attempt(() => fs.readFileSync('index.js', 'utf8').length > 0),
  tmp: attempt(() => { fs.writeFileSync('/tmp/x', 'y'); return fs.readFileSync('/tmp/x', 'utf8'); }),
});`;

let app: App;
let lambda: LambdaClient;
const logs: string[] = [];
before(async () => {
  process.env.SERVER_SECRET_FOR_TEST = 'server-only';
  app = await startTestServer({ credentialsFile, inMemory: false, dataDir }, { log: (m) => logs.push(m) });
  lambda = new LambdaClient({ endpoint: app.url, region: 'us-east-1', credentials: key, maxAttempts: 1 });
});
after(async () => {
  delete process.env.SERVER_SECRET_FOR_TEST;
  lambda.destroy();
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

test('with bubblewrap there is nothing to warn about at start', () => {
  assert.deepEqual(
    logs.filter((l) => l.startsWith('lambda:')),
    [],
  );
});

test('without bubblewrap the start log says how functions run instead', async () => {
  const lines: string[] = [];
  const weaker = await startTestServer({ functionSandbox: 'user' }, { log: (m) => lines.push(m) });
  await weaker.close();
  assert.ok(
    lines.some((l) => /lambda: functions run as the unprivileged user (amiwatch-fn|nobody)/.test(l)),
    lines.join('\n'),
  );
});

test("a function reads none of the server's secrets: credentials file, database, data dir, /proc of the server, its environment", async () => {
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'thief',
      Runtime: 'nodejs20.x',
      Role: ROLE,
      Handler: 'index.handler',
      Code: { ZipFile: zipOf({ 'index.js': THIEF }) },
    }),
  );
  const event = { credentialsFile, database: join(dataDir, 'amiwatch.db'), dataDir, serverPid: process.pid };
  const out = await lambda.send(new InvokeCommand({ FunctionName: 'thief', Payload: Buffer.from(JSON.stringify(event)) }));
  const got = JSON.parse(Buffer.from(out.Payload!).toString()) as Record<string, unknown>;
  assert.equal(out.FunctionError, undefined, JSON.stringify(got));
  assert.match(String(got.credentials), /^refused: ENOENT/);
  assert.match(String(got.database), /^refused: ENOENT/);
  assert.match(String(got.dataDir), /^refused: ENOENT/);
  assert.match(String(got.serverEnviron), /^refused: ENOENT/);
  assert.ok(Number(got.processes) <= 3, `sees ${got.processes} processes`);
  assert.equal(got.environ, '');
  // What a function does need still works.
  assert.equal(got.ownCode, 'true');
  assert.equal(got.tmp, 'y');
});

test("the fallback without bubblewrap: functions run as an unprivileged user who cannot read the server's secrets", async () => {
  const data = join(dir, 'user-mode');
  const server = await startTestServer({ credentialsFile, inMemory: false, dataDir: data, functionSandbox: 'user' });
  const client = new LambdaClient({ endpoint: server.url, region: 'us-east-1', credentials: key, maxAttempts: 1 });
  try {
    await client.send(
      new CreateFunctionCommand({
        FunctionName: 'thief',
        Runtime: 'nodejs20.x',
        Role: ROLE,
        Handler: 'index.handler',
        Code: { ZipFile: zipOf({ 'index.js': THIEF }) },
      }),
    );
    const event = { credentialsFile, database: join(data, 'amiwatch.db'), dataDir: data, serverPid: process.pid };
    const out = await client.send(new InvokeCommand({ FunctionName: 'thief', Payload: Buffer.from(JSON.stringify(event)) }));
    const got = JSON.parse(Buffer.from(out.Payload!).toString()) as Record<string, unknown>;
    assert.equal(out.FunctionError, undefined, JSON.stringify(got));
    for (const k of ['credentials', 'database', 'dataDir', 'serverEnviron'])
      assert.match(String(got[k]), /^refused: EACCES/, `${k}: ${String(got[k])}`);
    assert.equal(got.environ, '');
    assert.equal(got.ownCode, 'true');
  } finally {
    client.destroy();
    await server.close();
  }
});

/** The same thief in Python: boto3 must import (the interpreter's installation is bound in), the server's files must not open. */
const PY_THIEF = `
import os, sys, boto3
def attempt(f):
    try:
        return str(f())[:200]
    except OSError as e:
        return 'refused: %s' % type(e).__name__
def lambda_handler(e, c):
    return {
        'credentials': attempt(lambda: open(e['credentialsFile']).read()),
        'database': attempt(lambda: len(open(e['database'], 'rb').read())),
        'serverEnviron': attempt(lambda: open('/proc/%d/environ' % e['serverPid']).read()),
        'boto3': boto3.__version__,
        'taskRoot': os.environ.get('LAMBDA_TASK_ROOT'),
        'cwd': os.getcwd(),
    }
`;

test("a Python function runs inside bubblewrap too: boto3 imports from the chosen interpreter, the server's secrets stay closed", async () => {
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'py-thief',
      Runtime: 'python3.11',
      Role: ROLE,
      Handler: 'lambda_function.lambda_handler',
      Code: { ZipFile: zipOf({ 'lambda_function.py': PY_THIEF }) },
    }),
  );
  const event = { credentialsFile, database: join(dataDir, 'amiwatch.db'), serverPid: process.pid };
  const out = await lambda.send(new InvokeCommand({ FunctionName: 'py-thief', Payload: Buffer.from(JSON.stringify(event)) }));
  const got = JSON.parse(Buffer.from(out.Payload!).toString()) as Record<string, unknown>;
  assert.equal(out.FunctionError, undefined, JSON.stringify(got));
  for (const k of ['credentials', 'database', 'serverEnviron']) assert.match(String(got[k]), /^refused: /, `${k}: ${String(got[k])}`);
  assert.match(String(got.boto3), /^\d+\.\d+/);
  assert.equal(got.taskRoot, '/var/task');
  assert.equal(got.cwd, '/var/task');
});

test('the user fallback with a Python the function user cannot read (a pyenv under /root): said at start, not used', async (t) => {
  const { findPythons } = await import('../../src/runtime/python-interpreter.js');
  const closed = (await findPythons(null)).interpreters.find((p) => p.path.startsWith('/root/'));
  if (!closed || process.getuid?.() !== 0) return t.skip('needs a server run as root and a Python with boto3 under /root');
  const lines: string[] = [];
  const server = await startTestServer({ functionSandbox: 'user', python: closed.path }, { log: (m) => lines.push(m) });
  const client = new LambdaClient({ endpoint: server.url, region: 'us-east-1', credentials: key, maxAttempts: 1 });
  try {
    assert.ok(
      lines.some((l) => l.includes(`(${closed.path}) is not used for functions: the function user cannot run it`)),
      lines.join('\n'),
    );
    await client.send(
      new CreateFunctionCommand({
        FunctionName: 'py',
        Runtime: 'python3.11',
        Role: ROLE,
        Handler: 'lambda_function.lambda_handler',
        Code: { ZipFile: zipOf({ 'lambda_function.py': 'def lambda_handler(e, c):\n    return 1\n' }) },
      }),
    );
    const out = await client.send(new InvokeCommand({ FunctionName: 'py' }));
    assert.equal(out.FunctionError, 'Unhandled');
    assert.match(Buffer.from(out.Payload!).toString(), /Runtime\.InvalidRuntime/);
  } finally {
    client.destroy();
    await server.close();
  }
});

test('with credentials and no sandbox, functions do not run, and the start log says so', async () => {
  const lines: string[] = [];
  const bare = await startTestServer({ credentialsFile, functionSandbox: 'none' }, { log: (m) => lines.push(m) });
  const client = new LambdaClient({ endpoint: bare.url, region: 'us-east-1', credentials: key, maxAttempts: 1 });
  try {
    assert.ok(
      lines.some((l) => /amiwatch runs no Lambda functions: with --credentials-file they need a sandbox/.test(l)),
      lines.join('\n'),
    );
    await client.send(
      new CreateFunctionCommand({
        FunctionName: 'f',
        Runtime: 'nodejs20.x',
        Role: ROLE,
        Handler: 'index.handler',
        Code: { ZipFile: zipOf({ 'index.js': 'exports.handler = async () => 1' }) },
      }),
    );
    await assert.rejects(
      client.send(new InvokeCommand({ FunctionName: 'f' })),
      (e: Error) => e.name === 'ServiceException' && /need a sandbox/.test(e.message),
    );
  } finally {
    client.destroy();
    await bare.close();
  }
});

const startServer = (data: string) => startServerProcess(['--data-dir', data, '--credentials-file', credentialsFile]);

test('function processes die with the server, also on kill -9', { timeout: 60_000 }, async () => {
  const server = await startServer(join(dir, 'killed'));
  const client = new LambdaClient({ endpoint: server.url, region: 'us-east-1', credentials: key, maxAttempts: 1 });
  const mark = randomUUID();
  try {
    await client.send(
      new CreateFunctionCommand({
        FunctionName: 'forever',
        Runtime: 'nodejs20.x',
        Role: ROLE,
        Handler: 'index.handler',
        Timeout: 600,
        Environment: { Variables: { MARK: mark } },
        Code: { ZipFile: zipOf({ 'index.js': 'exports.handler = () => new Promise(() => setInterval(() => {}, 1000));' }) },
      }),
    );
    await client.send(new InvokeCommand({ FunctionName: 'forever', InvocationType: 'Event' }));
    await until(() => (processesWithEnv('MARK', mark).length > 0 ? true : undefined));
    server.child.kill('SIGKILL');
    await until(() => (processesWithEnv('MARK', mark).length === 0 ? true : undefined), 5_000);
  } finally {
    client.destroy();
    server.child.kill('SIGKILL');
  }
});
