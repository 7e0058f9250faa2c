import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { processesWithEnv } from '../support/function-processes.js';
import { after, before, describe, it } from 'node:test';
import {
  AddPermissionCommand,
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  GetPolicyCommand,
  InvokeCommand,
  ListFunctionsCommand,
  RemovePermissionCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  GetFunctionConfigurationCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';
import { lambdaClient, queueIdle, ROLE, TUTORIAL_FUNCTION, until, zipOf } from './helpers.js';

/**
 * The real `@aws-sdk/client-lambda` against a real server: REST-JSON paths, status codes,
 * headers (X-Amz-Function-Error, X-Amz-Log-Result) and error shapes as the SDK parses them;
 * functions run in real child processes (short timeouts keep it quick).
 */
let app: App;
let lambda: LambdaClient;
const text = (p: Uint8Array | undefined) => Buffer.from(p ?? []).toString('utf8');
const create = (name: string, files: Record<string, string>, extra: Record<string, unknown> = {}) =>
  lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs20.x',
      Role: ROLE,
      Handler: 'index.handler',
      Code: { ZipFile: zipOf(files) },
      ...extra,
    }),
  );
const invoke = async (name: string, payload: unknown, extra: Record<string, unknown> = {}) => {
  const r = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(payload)), ...extra }));
  return { ...r, body: text(r.Payload), log: Buffer.from(r.LogResult ?? '', 'base64').toString('utf8') };
};

before(async () => {
  app = await startTestServer();
  lambda = lambdaClient(app);
});
after(async () => {
  lambda.destroy();
  await app.close();
});

describe('Lambda API through the AWS SDK', () => {
  it('creates the tutorial function from a zip, invokes it with a Lambda-shaped log, and reuses the warm process', async () => {
    const created = await create('LogEC2InstanceStateChange', { 'index.js': TUTORIAL_FUNCTION });
    assert.equal(created.FunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:LogEC2InstanceStateChange');
    assert.equal(created.Timeout, 3);
    assert.equal(created.MemorySize, 128);
    assert.equal(created.State, 'Active');
    const r = await invoke('LogEC2InstanceStateChange', { hello: 'world' }, { LogType: 'Tail' });
    assert.equal(r.StatusCode, 200);
    assert.equal(r.FunctionError, undefined);
    assert.equal(r.ExecutedVersion, '$LATEST');
    assert.equal(r.body, '"Finished"');
    assert.match(r.log, /^START RequestId: [0-9a-f-]{36} Version: \$LATEST\n/);
    assert.match(r.log, /\tINFO\tLogEC2InstanceStateChange\n/);
    assert.match(r.log, /Received event: \{\n {2}"hello": "world"\n\}/);
    assert.match(r.log, /REPORT RequestId: .*Duration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB/);
    const page = await lambda.send(new ListFunctionsCommand({}));
    assert.deepEqual(
      page.Functions?.map((f) => f.FunctionName),
      ['LogEC2InstanceStateChange'],
    );
  });

  it('passes the event, a Lambda context and the environment; keeps the process warm', async () => {
    await create(
      'ctx',
      {
        'index.mjs': `export const handler = async (event, context) => ({
        event, pid: process.pid, name: context.functionName, arn: context.invokedFunctionArn, id: context.awsRequestId,
        memory: context.memoryLimitInMB, remaining: context.getRemainingTimeInMillis(), env: process.env.GREETING,
        region: process.env.AWS_REGION, leaked: process.env.HOME ?? null,
        endpoint: process.env.AWS_ENDPOINT_URL, key: process.env.AWS_ACCESS_KEY_ID });`,
      },
      { Environment: { Variables: { GREETING: 'hi' } }, MemorySize: 256, Timeout: 5 },
    );
    const a = JSON.parse((await invoke('ctx', { n: 1 })).body);
    const b = JSON.parse((await invoke('ctx', { n: 2 })).body);
    assert.deepEqual(a.event, { n: 1 });
    assert.equal(a.name, 'ctx');
    assert.equal(a.arn, 'arn:aws:lambda:us-east-1:000000000000:function:ctx');
    assert.match(a.id, /^[0-9a-f-]{36}$/);
    assert.equal(a.memory, '256');
    assert.ok(a.remaining > 3000 && a.remaining <= 5000, `remaining ${a.remaining}`);
    assert.equal(a.env, 'hi');
    assert.equal(a.region, 'us-east-1');
    assert.equal(a.leaked, null, "the server's environment is not passed on");
    assert.equal(a.endpoint, app.url, 'an AWS SDK in the function calls amiwatch');
    assert.equal(a.key, '000000000000', "and acts in the function's account");
    assert.equal(a.pid, b.pid, 'the second invocation reuses the warm process');
    assert.notEqual(a.pid, process.pid);
  });

  it('reports a throwing function as Lambda does: 200, X-Amz-Function-Error Unhandled, the error object', async () => {
    await create('thrower', { 'index.js': 'exports.handler = async () => { throw new TypeError("no such image"); };' });
    const r = await invoke('thrower', {}, { LogType: 'Tail' });
    assert.equal(r.StatusCode, 200);
    assert.equal(r.FunctionError, 'Unhandled');
    const err = JSON.parse(r.body);
    assert.equal(err.errorType, 'TypeError');
    assert.equal(err.errorMessage, 'no such image');
    assert.ok(Array.isArray(err.trace));
    assert.match(r.log, /\tERROR\tInvoke Error/);
  });

  it('kills a function at its timeout and reports Sandbox.Timedout; the next invocation starts afresh', async () => {
    // A token per process: inside its sandbox a function's PID is its namespace's, not the host's.
    const mark = randomUUID();
    await create(
      'sleeper',
      {
        'index.js':
          'const me = Math.random(); exports.handler = async (e) => { if (e.sleep) await new Promise((r) => setTimeout(r, 10000)); return me; };',
      },
      { Timeout: 1, Environment: { Variables: { MARK: mark } } },
    );
    const warm = JSON.parse((await invoke('sleeper', {})).body);
    assert.ok(processesWithEnv('MARK', mark).length > 0);
    const started = Date.now();
    const r = await invoke('sleeper', { sleep: true }, { LogType: 'Tail' });
    assert.ok(Date.now() - started < 4000, 'answered at the timeout, not when the sleep ended');
    assert.equal(r.FunctionError, 'Unhandled');
    assert.equal(JSON.parse(r.body).errorType, 'Sandbox.Timedout');
    assert.match(r.log, /Task timed out after 1\.00 seconds/);
    const gone = () => (processesWithEnv('MARK', mark).length === 0 ? true : undefined);
    assert.equal(await until(gone, 3000), true, 'the timed-out process was killed');
    const again = JSON.parse((await invoke('sleeper', {})).body);
    assert.notEqual(again, warm);
  });

  it('limits memory: a function that outgrows its heap fails as Runtime.OutOfMemory, the server lives on', async () => {
    await create(
      'hog',
      { 'index.js': 'exports.handler = async () => { const a = []; for (;;) a.push(new Array(1e6).fill(1)); };' },
      { Timeout: 20 },
    );
    const r = await invoke('hog', {});
    assert.equal(r.FunctionError, 'Unhandled');
    assert.equal(JSON.parse(r.body).errorType, 'Runtime.OutOfMemory');
    assert.equal((await fetch(`${app.url}/_amiwatch/health`)).status, 200);
  });

  it('keeps raw stdout/stderr writes in the log; a function that exits the process fails as Runtime.ExitError', async () => {
    await create('writer', {
      'index.js': `exports.handler = (e, ctx, cb) => {
      process.stdout.write(Buffer.from('raw bytes\\n'));
      process.stderr.write('to stderr\\n', () => (e.exit ? process.exit(3) : cb(null, 'ok')));
    };`,
    });
    const r = await invoke('writer', {}, { LogType: 'Tail' });
    assert.equal(r.body, '"ok"');
    assert.match(r.log, /raw bytes\nto stderr\n/);
    const crashed = await invoke('writer', { exit: true }, { LogType: 'Tail' });
    assert.equal(crashed.FunctionError, 'Unhandled');
    assert.deepEqual(JSON.parse(crashed.body).errorType, 'Runtime.ExitError');
    assert.match(JSON.parse(crashed.body).errorMessage, /Runtime exited with error: exit status 3/);
    assert.equal(JSON.parse((await invoke('writer', {})).body), 'ok', 'a fresh process takes the next invocation');
  });

  it('bounds what one invocation may print and return', { timeout: 20_000 }, async () => {
    await create(
      'flood',
      {
        'index.js':
          'exports.handler = async (e) => { if (e.big) return "x".repeat(7e6); for (let i = 0; i < 30000; i++) console.log("x".repeat(100)); return "done"; };',
      },
      { Timeout: 10 },
    );
    const r = await invoke('flood', {});
    assert.equal(r.body, '"done"');
    const logs = (await (await fetch(`${app.url}/_amiwatch/functions/flood/logs`)).json()) as { events: { message: string }[] };
    const log = logs.events[0]!.message;
    assert.ok(log.length < 1.1 * 1024 * 1024, `log kept: ${log.length} chars`);
    const dropped = log.indexOf('[amiwatch: output beyond 1 MB for this invocation was dropped]');
    assert.ok(dropped > 0 && dropped < log.indexOf('END RequestId'), 'the log says what was dropped, and still ends as Lambda logs do');
    const big = await invoke('flood', { big: true });
    assert.equal(JSON.parse(big.body).errorType, 'Function.ResponseSizeTooLarge');
  });

  it('Event answers 202 and runs in the background; DryRun answers 204 and runs nothing', async () => {
    await create('events', { 'index.js': 'exports.handler = async (e) => { console.log("got", e.n); };' });
    assert.equal((await invoke('events', { n: 1 }, { InvocationType: 'Event' })).StatusCode, 202);
    assert.equal((await invoke('events', { n: 2 }, { InvocationType: 'DryRun' })).StatusCode, 204);
    await queueIdle(app);
    const logs = (await (await fetch(`${app.url}/_amiwatch/functions/events/logs`)).json()) as { events: { message: string }[] };
    assert.equal(logs.events.length, 1);
    assert.match(logs.events[0]!.message, /INFO\tgot 1\n/);
  });

  it('updates code and configuration; the new code runs at once', async () => {
    await create('versioned', { 'index.js': 'exports.handler = async () => "v1";' });
    assert.equal((await invoke('versioned', {})).body, '"v1"');
    const code = await lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: 'versioned', ZipFile: zipOf({ 'app.js': 'exports.main = async () => "v2";' }) }),
    );
    assert.ok(code.CodeSha256);
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'versioned', Handler: 'app.main', Timeout: 7 }));
    assert.equal((await invoke('versioned', {})).body, '"v2"');
    const got = await lambda.send(new GetFunctionCommand({ FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:versioned' }));
    assert.equal(got.Configuration?.Handler, 'app.main');
    assert.equal(got.Configuration?.Timeout, 7);
    assert.equal(got.Configuration?.CodeSha256, code.CodeSha256);
  });

  it('keeps a resource policy: AddPermission, GetPolicy, RemovePermission', async () => {
    await create('guarded', { 'index.js': 'exports.handler = async () => 1;' });
    const added = await lambda.send(
      new AddPermissionCommand({
        FunctionName: 'guarded',
        StatementId: 'events',
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
        SourceArn: 'arn:aws:events:us-east-1:000000000000:rule/ami-available',
      }),
    );
    assert.deepEqual(JSON.parse(added.Statement!), {
      Sid: 'events',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'lambda:InvokeFunction',
      Resource: 'arn:aws:lambda:us-east-1:000000000000:function:guarded',
      Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:events:us-east-1:000000000000:rule/ami-available' } },
    });
    await assert.rejects(
      lambda.send(
        new AddPermissionCommand({
          FunctionName: 'guarded',
          StatementId: 'events',
          Action: 'lambda:InvokeFunction',
          Principal: 'sns.amazonaws.com',
        }),
      ),
      { name: 'ResourceConflictException' },
    );
    const policy = JSON.parse((await lambda.send(new GetPolicyCommand({ FunctionName: 'guarded' }))).Policy!);
    assert.equal(policy.Version, '2012-10-17');
    assert.equal(policy.Statement.length, 1);
    await lambda.send(new RemovePermissionCommand({ FunctionName: 'guarded', StatementId: 'events' }));
    await assert.rejects(lambda.send(new GetPolicyCommand({ FunctionName: 'guarded' })), { name: 'ResourceNotFoundException' });
    await assert.rejects(lambda.send(new RemovePermissionCommand({ FunctionName: 'guarded', StatementId: 'events' })), {
      name: 'ResourceNotFoundException',
    });
  });

  it('answers bad input with AWS-shaped errors', async () => {
    await assert.rejects(
      create('rb', { 'index.rb': 'def handler(event:, context:) end' }, { Runtime: 'ruby3.3', Handler: 'index.handler' }),
      (e: Error) => {
        assert.equal(e.name, 'InvalidParameterValueException');
        assert.match(e.message, /ruby3\.3 is not supported.*nodejs20\.x.*python3\.11/);
        return true;
      },
    );
    // nodejs18.x is deprecated: Lambda blocks creating and updating functions with it, in its own words.
    const blocked =
      'The runtime parameter of nodejs18.x is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.';
    await assert.rejects(create('old', { 'index.js': '' }, { Runtime: 'nodejs18.x' }), {
      name: 'InvalidParameterValueException',
      message: blocked,
    });
    await assert.rejects(
      lambda.send(new InvokeCommand({ FunctionName: 'missing' })),
      (e: Error & { $metadata: { httpStatusCode?: number } }) => {
        assert.equal(e.name, 'ResourceNotFoundException');
        assert.equal(e.message, 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:missing');
        assert.equal(e.$metadata.httpStatusCode, 404);
        return true;
      },
    );
    await create('dup', { 'index.js': 'exports.handler = async () => 1;' });
    await assert.rejects(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'dup', Runtime: 'nodejs18.x' })), {
      name: 'InvalidParameterValueException',
      message: /nodejs18\.x is no longer supported/,
    });
    assert.equal((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'dup' }))).Runtime, 'nodejs20.x');
    await assert.rejects(create('dup', { 'index.js': '' }), { name: 'ResourceConflictException', message: 'Function already exist: dup' });
    await assert.rejects(create('badzip', {}, { Code: { ZipFile: Buffer.from('not a zip') } }), { name: 'InvalidParameterValueException' });
    await assert.rejects(create('badtimeout', { 'index.js': '' }, { Timeout: 901 }), { name: 'ValidationException' });
    await assert.rejects(create('badrole', { 'index.js': '' }, { Role: 'admin' }), { name: 'ValidationException' });
    await assert.rejects(lambda.send(new InvokeCommand({ FunctionName: 'dup', Payload: Buffer.from('{not json') })), {
      name: 'InvalidRequestContentException',
    });
    await assert.rejects(lambda.send(new InvokeCommand({ FunctionName: 'dup', Qualifier: '3' })), { name: 'ResourceNotFoundException' });
    // A missing module and a missing export are failed invocations, not API errors.
    await create('nomodule', { 'other.js': '' });
    assert.equal(JSON.parse((await invoke('nomodule', {})).body).errorType, 'Runtime.ImportModuleError');
    await create('noexport', { 'index.js': 'exports.other = 1;' });
    assert.equal(JSON.parse((await invoke('noexport', {})).body).errorType, 'Runtime.HandlerNotFound');
  });

  it('deletes a function', async () => {
    await create('doomed', { 'index.js': 'exports.handler = async () => 1;' });
    await invoke('doomed', {});
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'doomed' }));
    await create('doomed', { 'index.js': 'exports.handler = async () => 2;' });
    const logs = (await (await fetch(`${app.url}/_amiwatch/functions/doomed/logs`)).json()) as { events: unknown[] };
    // As on AWS, the log group /aws/lambda/doomed outlives the function: the new one's page shows the old run.
    assert.equal(logs.events.length, 1, 'the log group outlives the function');
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'doomed' }));
    await assert.rejects(lambda.send(new GetFunctionCommand({ FunctionName: 'doomed' })), { name: 'ResourceNotFoundException' });
    await assert.rejects(lambda.send(new DeleteFunctionCommand({ FunctionName: 'doomed' })), { name: 'ResourceNotFoundException' });
  });
});
