import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateFunctionCommand, InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { App } from '../../src/server/app.js';
import { boto3Current, findPythons, interpreterFor, type PythonInterpreter } from '../../src/runtime/python-interpreter.js';
import { startTestServer } from '../e2e/helpers.js';
import { lambdaClient, ROLE, zipOf } from './helpers.js';

/**
 * Python functions through the real SDK: the bootstrap (src/runtime/python-bootstrap-source.ts)
 * run by the interpreter found on this machine, in real processes.
 */
let app: App;
let lambda: LambdaClient;
const create = (name: string, files: Record<string, string>, extra: Record<string, unknown> = {}) =>
  lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'python3.11',
      Role: ROLE,
      Handler: 'lambda_function.lambda_handler',
      Code: { ZipFile: zipOf(files) },
      ...extra,
    }),
  );
const invoke = async (name: string, payload: unknown) => {
  const r = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(payload)), LogType: 'Tail' }));
  return {
    ...r,
    body: JSON.parse(Buffer.from(r.Payload ?? []).toString('utf8')) as Record<string, unknown>,
    log: Buffer.from(r.LogResult ?? '', 'base64').toString('utf8'),
  };
};

before(async () => {
  app = await startTestServer();
  lambda = lambdaClient(app);
});
after(async () => {
  lambda.destroy();
  await app.close();
});

const ECHO = `import logging, os, sys
logger = logging.getLogger()
logger.setLevel(logging.INFO)
loads = 0

def lambda_handler(event, context):
    global loads
    loads += 1
    print('got', event['n'])
    sys.stdout.buffer.write(b'raw bytes\\n')
    logger.info('info line %s', event['n'])
    return {
        'n': event['n'], 'loads': loads, 'pid': os.getpid(),
        'name': context.function_name, 'version': context.function_version, 'arn': context.invoked_function_arn,
        'memory': context.memory_limit_in_mb, 'requestId': context.aws_request_id,
        'group': context.log_group_name, 'stream': context.log_stream_name,
        'remaining': context.get_remaining_time_in_millis(),
    }
`;

describe('Python runtime', () => {
  it('runs module.function with the event as a dict and a Lambda context, logs print and logging lines in Lambda format, and reuses the warm process', async () => {
    await create('py-echo', { 'lambda_function.py': ECHO }, { Timeout: 5 });
    const first = await invoke('py-echo', { n: 1 });
    assert.equal(first.FunctionError, undefined, JSON.stringify(first.body));
    assert.equal(first.body.n, 1);
    assert.equal(first.body.name, 'py-echo');
    assert.equal(first.body.version, '$LATEST');
    assert.equal(first.body.arn, 'arn:aws:lambda:us-east-1:000000000000:function:py-echo');
    assert.equal(first.body.memory, '128');
    assert.equal(first.body.group, '/aws/lambda/py-echo');
    assert.match(String(first.body.stream), /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    assert.ok(Number(first.body.remaining) > 3000 && Number(first.body.remaining) <= 5000);
    assert.match(first.log, /^START RequestId: [0-9a-f-]{36} Version: \$LATEST\n/);
    assert.match(first.log, /\ngot 1\nraw bytes\n/);
    assert.match(
      first.log,
      new RegExp(`\\n\\[INFO\\]\\t\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\\t${first.body.requestId}\\tinfo line 1\\n`),
    );
    assert.match(first.log, /Init Duration/);
    const second = await invoke('py-echo', { n: 2 });
    assert.equal(second.body.pid, first.body.pid);
    assert.equal(second.body.loads, 2);
    assert.doesNotMatch(second.log, /Init Duration/);
  });

  it('finds handlers in packages in subfolders, written with / or .', async () => {
    const files = {
      'pkg/__init__.py': '',
      'pkg/sub/__init__.py': '',
      'pkg/sub/app.py': 'def main(event, context):\n    return {"from": __name__}\n',
    };
    await create('py-slash', files, { Handler: 'pkg/sub/app.main' });
    await create('py-dots', files, { Handler: 'pkg.sub.app.main' });
    assert.deepEqual((await invoke('py-slash', {})).body, { from: 'pkg.sub.app' });
    assert.deepEqual((await invoke('py-dots', {})).body, { from: 'pkg.sub.app' });
  });

  it("reports an exception as Lambda's Python runtime does: errorMessage, errorType, requestId, stackTrace, and an [ERROR] line with the traceback", async () => {
    await create('py-raise', {
      'lambda_function.py': 'def lambda_handler(event, context):\n    raise ValueError("bad input " + event["x"])\n',
    });
    const r = await invoke('py-raise', { x: 'y' });
    assert.equal(r.FunctionError, 'Unhandled');
    assert.deepEqual(Object.keys(r.body), ['errorMessage', 'errorType', 'requestId', 'stackTrace']);
    assert.equal(r.body.errorMessage, 'bad input y');
    assert.equal(r.body.errorType, 'ValueError');
    assert.match(String(r.body.requestId), /^[0-9a-f-]{36}$/);
    const stack = r.body.stackTrace as string[];
    assert.equal(stack.length, 1);
    assert.match(stack[0]!, /^ {2}File ".*lambda_function\.py", line 2, in lambda_handler\n {4}raise ValueError/);
    assert.match(r.log, /\[ERROR\] ValueError: bad input y\nTraceback \(most recent call last\):\n {2}File /);
  });

  it('reports Runtime.ImportModuleError, Runtime.HandlerNotFound, Runtime.UserCodeSyntaxError and Runtime.MalformedHandlerName', async () => {
    await create('py-nomodule', { 'other.py': 'x = 1\n' });
    await create('py-nohandler', { 'lambda_function.py': 'def other(e, c):\n    return 1\n' });
    await create('py-syntax', { 'lambda_function.py': 'def lambda_handler(e, c)\n    return 1\n' });
    await create('py-badimport', { 'lambda_function.py': 'import requests_not_here\ndef lambda_handler(e, c):\n    return 1\n' });
    const a = await invoke('py-nomodule', {});
    assert.equal(a.body.errorType, 'Runtime.ImportModuleError');
    assert.equal(a.body.errorMessage, "Unable to import module 'lambda_function': No module named 'lambda_function'");
    assert.deepEqual(a.body.stackTrace, []);
    const b = await invoke('py-nohandler', {});
    assert.equal(b.body.errorType, 'Runtime.HandlerNotFound');
    assert.equal(b.body.errorMessage, "Handler 'lambda_handler' missing on module 'lambda_function'");
    const c = await invoke('py-syntax', {});
    assert.equal(c.body.errorType, 'Runtime.UserCodeSyntaxError');
    assert.match(String(c.body.errorMessage), /^Syntax error in module 'lambda_function': /);
    const d = await invoke('py-badimport', {});
    assert.equal(d.body.errorMessage, "Unable to import module 'lambda_function': No module named 'requests_not_here'");
    await create('py-malformed', { 'lambda_function.py': '' }, { Handler: 'lambda_function' });
    const e = await invoke('py-malformed', {});
    assert.equal(e.body.errorType, 'Runtime.MalformedHandlerName');
    assert.equal(e.body.errorMessage, "Bad handler 'lambda_function': not enough values to unpack (expected 2, got 1)");
  });

  it('times out a busy handler, kills a process past its MemorySize (Runtime.OutOfMemory), and starts a fresh one next time', async () => {
    await create(
      'py-slow',
      { 'lambda_function.py': 'import time\ndef lambda_handler(e, c):\n    while True:\n        time.sleep(0.01)\n' },
      { Timeout: 1 },
    );
    const t = await invoke('py-slow', {});
    assert.equal(t.FunctionError, 'Unhandled');
    assert.equal(t.body.errorType, 'Sandbox.Timedout');
    assert.match(String(t.body.errorMessage), /Task timed out after 1\.00 seconds/);
    await create(
      'py-hog',
      {
        'lambda_function.py':
          'import uuid\nkeep = []\nPROCESS = uuid.uuid4().hex\ndef lambda_handler(e, c):\n    if e.get("hog"):\n        for _ in range(400):\n            keep.append(bytearray(1048576))\n    return PROCESS\n',
      },
      { Timeout: 10 },
    );
    // A token made at import names the process (in bubblewrap every function process has the same pid).
    const pid = (await lambda.send(new InvokeCommand({ FunctionName: 'py-hog', Payload: Buffer.from('{}') }))).Payload;
    const oom = await invoke('py-hog', { hog: true });
    assert.equal(oom.body.errorType, 'Runtime.OutOfMemory');
    assert.match(String(oom.body.errorMessage), /Runtime exited with error: signal: killed/);
    const after = await lambda.send(new InvokeCommand({ FunctionName: 'py-hog', Payload: Buffer.from('{}') }));
    assert.notEqual(Buffer.from(after.Payload ?? []).toString(), Buffer.from(pid ?? []).toString());
  });

  it("runs python3.13 on the nearest installed Python with a note in the first log; refuses deprecated Python runtimes with Lambda's text", async () => {
    await create(
      'py-313',
      { 'lambda_function.py': 'import sys\ndef lambda_handler(e, c):\n    return "%d.%d" % sys.version_info[:2]\n' },
      { Runtime: 'python3.13' },
    );
    const r = await lambda.send(new InvokeCommand({ FunctionName: 'py-313', Payload: Buffer.from('{}'), LogType: 'Tail' }));
    const log = Buffer.from(r.LogResult ?? '', 'base64').toString('utf8');
    const ran = JSON.parse(Buffer.from(r.Payload ?? []).toString()) as string;
    if (ran !== '3.13')
      assert.match(
        log,
        new RegExp(
          `amiwatch: python3\\.13 requested; Python 3\\.13 is not installed here, running on Python ${ran.replace('.', '\\.')}\\.\\d+`,
        ),
      );
    await assert.rejects(create('py-38', { 'lambda_function.py': '' }, { Runtime: 'python3.8' }), {
      name: 'InvalidParameterValueException',
      message:
        'The runtime parameter of python3.8 is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.',
    });
  });
});

describe('interpreterFor', () => {
  const py = (version: string): PythonInterpreter => ({
    path: `/opt/py${version}`,
    version,
    minor: version.split('.').slice(0, 2).join('.'),
    boto3: '1.43.0',
  });
  it('takes the same minor version, else the nearest (newer on a tie) with a note', () => {
    const all = [py('3.13.1'), py('3.11.7')];
    assert.deepEqual(interpreterFor('python3.11', all), { interpreter: all[1], note: null });
    assert.equal(interpreterFor('python3.12', all)!.interpreter.version, '3.13.1');
    assert.match(
      interpreterFor('python3.12', all)!.note!,
      /python3\.12 requested; Python 3\.12 is not installed here, running on Python 3\.13\.1/,
    );
    assert.equal(interpreterFor('python3.12', []), null);
  });
});

describe('findPythons', () => {
  it("finds this machine's interpreter with a current boto3 (the pyenv Python first on PATH), and says clearly when a configured one does not qualify", async () => {
    const found = await findPythons(null);
    assert.ok(found.interpreters.length > 0, found.summary);
    assert.ok(found.interpreters.every((p) => boto3Current(p.boto3)));
    assert.match(found.summary, /^python functions run on Python 3\.\d+\.\d+ \(\/.+, boto3 \d+\.\d+\.\d+\)/);
    assert.equal(
      new Set(found.interpreters.map((p) => p.version)).size,
      found.interpreters.length,
      'python3 and python3.11 of one installation are listed once',
    );
    const none = await findPythons('/nonexistent/python3');
    assert.deepEqual(none.interpreters, []);
    assert.match(
      none.summary,
      /^python functions cannot run: no Python 3 with boto3 >= 1\.28\.57 found \(tried --python \/nonexistent\/python3\)\. Install one \(pip install boto3\) and point --python \/ AMIWATCH_PYTHON at it\.$/,
    );
    assert.equal(boto3Current('1.26.27'), false);
    assert.equal(boto3Current('1.28.57'), true);
    assert.equal(boto3Current('1.43.11'), true);
  });

  it('a server without a usable Python fails Python invocations with Runtime.InvalidRuntime, Node.js ones unaffected', async () => {
    const bare = await startTestServer({ python: '/nonexistent/python3' });
    const client = lambdaClient(bare);
    try {
      await client.send(
        new CreateFunctionCommand({
          FunctionName: 'py',
          Runtime: 'python3.12',
          Role: ROLE,
          Handler: 'lambda_function.lambda_handler',
          Code: { ZipFile: zipOf({ 'lambda_function.py': 'def lambda_handler(e, c):\n    return 1\n' }) },
        }),
      );
      const r = await client.send(new InvokeCommand({ FunctionName: 'py', Payload: Buffer.from('{}') }));
      assert.equal(r.FunctionError, 'Unhandled');
      const body = JSON.parse(Buffer.from(r.Payload ?? []).toString()) as { errorType: string; errorMessage: string };
      assert.equal(body.errorType, 'Runtime.InvalidRuntime');
      assert.match(body.errorMessage, /no Python interpreter with a current boto3 to run python3\.12/);
      await client.send(
        new CreateFunctionCommand({
          FunctionName: 'js',
          Runtime: 'nodejs20.x',
          Role: ROLE,
          Handler: 'index.handler',
          Code: { ZipFile: zipOf({ 'index.js': 'exports.handler = async () => 2;' }) },
        }),
      );
      assert.equal(Buffer.from((await client.send(new InvokeCommand({ FunctionName: 'js' }))).Payload ?? []).toString(), '2');
    } finally {
      client.destroy();
      await bare.close();
    }
  });
});
