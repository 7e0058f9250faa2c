import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { randomBytes } from 'node:crypto';
import AdmZip from 'adm-zip';
import {
  AddPermissionCommand,
  CreateFunctionCommand,
  InvokeCommand,
  ListFunctionsCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import type { App } from '../../src/server/app.js';
import { defaults } from '../../src/server/config.js';
import { checkZip, MAX_ZIP_BYTES } from '../../src/core/lambda/code-package.js';
import type { ServiceError } from '../../src/core/shared/service-error.js';
import { startTestServer } from '../e2e/helpers.js';
import { lambdaClient, queueIdle, ROLE, zipOf } from './helpers.js';

/**
 * Lambda's documented limits and constraints, through the real SDK against a server with its
 * default configuration: Invoke's payload sizes (Invoke API reference: 6 MB synchronous, 1 MB
 * asynchronous), the 50 MB zip of a direct upload (Lambda quotas), CreateFunction's name formats,
 * and the member constraints of the Lambda API model (Description, Handler, StatementId, MaxItems).
 */
let app: App;
let lambda: LambdaClient;
const MB = 1024 * 1024;
/** A JSON payload of exactly `bytes` bytes. */
const payload = (bytes: number) => Buffer.from(JSON.stringify({ s: 'x'.repeat(bytes - 8) }));
const status = (e: unknown) => (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

before(async () => {
  app = await startTestServer();
  lambda = lambdaClient(app);
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'sizes',
      Runtime: 'nodejs20.x',
      Role: ROLE,
      Handler: 'index.handler',
      Code: { ZipFile: zipOf({ 'index.js': 'exports.handler = async (e) => JSON.stringify(e).length;' }) },
    }),
  );
});
after(async () => {
  lambda.destroy();
  await app.close();
});

describe('Lambda limits', () => {
  it('takes asynchronous payloads up to 1 MB and refuses larger ones with RequestTooLargeException (413)', async () => {
    assert.equal(payload(MB).length, MB);
    const ok = await lambda.send(new InvokeCommand({ FunctionName: 'sizes', InvocationType: 'Event', Payload: payload(MB) }));
    assert.equal(ok.StatusCode, 202);
    await assert.rejects(
      lambda.send(new InvokeCommand({ FunctionName: 'sizes', InvocationType: 'Event', Payload: payload(MB + 1) })),
      (e: Error) => {
        assert.equal(e.name, 'RequestTooLargeException');
        assert.equal(status(e), 413);
        return true;
      },
    );
    await queueIdle(app);
  });

  it('runs synchronous payloads up to 6 MB, beyond --body-limit, and refuses larger ones with RequestTooLargeException (413)', {
    timeout: 30_000,
  }, async () => {
    const ok = await lambda.send(new InvokeCommand({ FunctionName: 'sizes', Payload: payload(6 * MB) }));
    assert.equal(ok.StatusCode, 200);
    assert.equal(Buffer.from(ok.Payload!).toString('utf8'), String(6 * MB), 'the function got the whole payload');
    await assert.rejects(lambda.send(new InvokeCommand({ FunctionName: 'sizes', Payload: payload(6 * MB + 1) })), (e: Error) => {
      assert.equal(e.name, 'RequestTooLargeException');
      assert.equal(status(e), 413);
      return true;
    });
  });

  it('takes a zip larger than --body-limit by direct upload (CreateFunction, UpdateFunctionCode)', { timeout: 30_000 }, async () => {
    const big = new AdmZip();
    big.addFile('index.js', Buffer.from('exports.handler = async () => "big";'));
    big.addFile('data.bin', randomBytes(10 * MB)); // random: the zip stays 10 MB
    const zip = big.toBuffer();
    assert.ok(zip.length > defaults.bodyLimit, 'the test means a zip beyond the server-wide limit');
    const created = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'bigzip',
        Runtime: 'nodejs20.x',
        Role: ROLE,
        Handler: 'index.handler',
        Code: { ZipFile: zip },
      }),
    );
    assert.equal(created.CodeSize, zip.length);
    const updated = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'bigzip', ZipFile: zip }));
    assert.equal(updated.CodeSize, zip.length);
    const r = await lambda.send(new InvokeCommand({ FunctionName: 'bigzip' }));
    assert.equal(Buffer.from(r.Payload!).toString('utf8'), '"big"');
  });
});

describe('CreateFunction names', () => {
  it('takes the function ARN and the partial ARN as FunctionName, as the API reference lists them', async () => {
    const code = { ZipFile: zipOf({ 'index.js': 'exports.handler = async () => 1;' }) };
    const byArn = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:by-arn',
        Runtime: 'nodejs20.x',
        Role: ROLE,
        Handler: 'index.handler',
        Code: code,
      }),
    );
    assert.equal(byArn.FunctionName, 'by-arn');
    assert.equal(byArn.FunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:by-arn');
    const byPartial = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: '000000000000:function:by-partial',
        Runtime: 'nodejs20.x',
        Role: ROLE,
        Handler: 'index.handler',
        Code: code,
      }),
    );
    assert.equal(byPartial.FunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:by-partial');
    await assert.rejects(
      lambda.send(
        new CreateFunctionCommand({ FunctionName: 'by-arn', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: code }),
      ),
      { name: 'ResourceConflictException' },
    );
    // Only in the caller's own account and Region.
    await assert.rejects(
      lambda.send(
        new CreateFunctionCommand({
          FunctionName: '111111111111:function:elsewhere',
          Runtime: 'nodejs20.x',
          Role: ROLE,
          Handler: 'index.handler',
          Code: code,
        }),
      ),
      { name: 'AccessDeniedException' },
    );
    await assert.rejects(
      lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'arn:aws:lambda:eu-west-1:000000000000:function:elsewhere',
          Runtime: 'nodejs20.x',
          Role: ROLE,
          Handler: 'index.handler',
          Code: code,
        }),
      ),
      { name: 'InvalidParameterValueException' },
    );
    for (const bad of [
      `000000000000:function:${'x'.repeat(65)}`,
      'arn:aws:lambda:us-east-1:000000000000:function:a b',
      'with-qualifier:1',
    ]) {
      await assert.rejects(
        lambda.send(
          new CreateFunctionCommand({ FunctionName: bad, Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: code }),
        ),
        { name: 'ValidationException' },
        bad,
      );
    }
  });
});

describe("the Lambda API model's constraints", () => {
  const refused = (e: unknown, message: string) => {
    assert.equal((e as Error).name, 'ValidationException');
    assert.equal((e as Error).message, `1 validation error detected: ${message}`);
    return true;
  };

  it('Description: at most 256 characters, at CreateFunction and UpdateFunctionConfiguration', async () => {
    const code = { ZipFile: zipOf({ 'index.js': 'exports.handler = async () => 1;' }) };
    const long = 'd'.repeat(257);
    const create = (Description: string) =>
      lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'described',
          Runtime: 'nodejs20.x',
          Role: ROLE,
          Handler: 'index.handler',
          Code: code,
          Description,
        }),
      );
    await assert.rejects(create(long), (e) =>
      refused(e, `Value '${long}' at 'description' failed to satisfy constraint: Member must have length less than or equal to 256`),
    );
    assert.equal((await create('d'.repeat(256))).Description, 'd'.repeat(256));
    await assert.rejects(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'described', Description: long })), {
      name: 'ValidationException',
    });
  });

  it('Handler: a handler over 128 characters is refused for its length', async () => {
    const long = `index.${'h'.repeat(123)}`;
    await assert.rejects(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'sizes', Handler: long })), (e) =>
      refused(e, `Value '${long}' at 'handler' failed to satisfy constraint: Member must have length less than or equal to 128`),
    );
  });

  it('AddPermission StatementId: letters, digits, hyphens and underscores (no dots), 1–100 characters', async () => {
    const add = (StatementId: string) =>
      lambda.send(
        new AddPermissionCommand({ FunctionName: 'sizes', StatementId, Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com' }),
      );
    await assert.rejects(add('with.dot'), (e) =>
      refused(
        e,
        "Value 'with.dot' at 'statementId' failed to satisfy constraint: Member must satisfy regular expression pattern: ([a-zA-Z0-9-_]+)",
      ),
    );
    await assert.rejects(add('s'.repeat(101)), (e) =>
      refused(
        e,
        `Value '${'s'.repeat(101)}' at 'statementId' failed to satisfy constraint: Member must have length less than or equal to 100`,
      ),
    );
    assert.ok((await add('s'.repeat(100))).Statement);
  });

  it('ListFunctions MaxItems: 1–10,000, a page still holding at most 50', async () => {
    await assert.rejects(lambda.send(new ListFunctionsCommand({ MaxItems: 0 })), (e) =>
      refused(e, "Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1"),
    );
    await assert.rejects(lambda.send(new ListFunctionsCommand({ MaxItems: 10_001 })), (e) =>
      refused(e, "Value '10001' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 10000"),
    );
    assert.ok((await lambda.send(new ListFunctionsCommand({ MaxItems: 10_000 }))).Functions!.length <= 50);
    assert.equal((await lambda.send(new ListFunctionsCommand({ MaxItems: 1 }))).Functions!.length, 1);
  });
});

describe('a zip over 50 MB', () => {
  it('is RequestEntityTooLargeException (413) naming the operation it came with', () => {
    const tooBig = new Uint8Array(MAX_ZIP_BYTES + 1);
    for (const operation of ['CreateFunction', 'UpdateFunctionCode'] as const) {
      assert.throws(
        () => checkZip(tooBig, {}, operation),
        (e: ServiceError) => {
          assert.equal(e.code, 'RequestEntityTooLargeException');
          assert.equal(e.status, 413);
          assert.equal(e.message, `Request must be smaller than ${MAX_ZIP_BYTES} bytes for the ${operation} operation`);
          return true;
        },
      );
    }
  });
});
