import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateFunctionCommand, InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';
import { lambdaClient, ROLE, zipOf } from './helpers.js';

/**
 * Lambda's documented limits, through the real SDK against a server with its default
 * configuration: Invoke's payload sizes (Invoke API reference: 6 MB synchronous, 1 MB
 * asynchronous) and the 50 MB zip of a direct upload (Lambda quotas).
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
  await lambda.send(new CreateFunctionCommand({
    FunctionName: 'sizes', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler',
    Code: { ZipFile: zipOf({ 'index.js': 'exports.handler = async (e) => JSON.stringify(e).length;' }) },
  }));
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
    await assert.rejects(lambda.send(new InvokeCommand({ FunctionName: 'sizes', InvocationType: 'Event', Payload: payload(MB + 1) })), (e: Error) => {
      assert.equal(e.name, 'RequestTooLargeException');
      assert.equal(status(e), 413);
      return true;
    });
    await app.lambda.invocations.idle();
  });
});
