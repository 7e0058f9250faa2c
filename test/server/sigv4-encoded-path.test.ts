import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { GetPolicyCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';
import { tempCredentialsFile } from '../support/credentials-file.js';

/**
 * A REST path with percent-encoded characters (Lambda's FunctionName given as an ARN: `arn%3Aaws…`)
 * is signed by AWS's clients with each segment encoded once more (`%253A`; only S3 is encoded
 * once). With a credentials file the server must verify it the same way, or every call that names
 * a function by its ARN is refused as a bad signature.
 */
const credentials = tempCredentialsFile([{ accessKeyId: 'test', secretAccessKey: 'test', accountId: '111111111111' }]);
let app: App;
let lambda: LambdaClient;

before(async () => {
  app = await startTestServer({ credentialsFile: credentials.file });
  lambda = new LambdaClient({ endpoint: app.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
});
after(async () => {
  lambda.destroy();
  await app.close();
  credentials.remove();
});

test('the SDK names a function by name or by ARN: both signatures verify', async () => {
  for (const name of ['absent', 'arn:aws:lambda:us-east-1:111111111111:function:absent']) {
    await assert.rejects(lambda.send(new GetPolicyCommand({ FunctionName: name })), { name: 'ResourceNotFoundException' }, name);
  }
});

test('a wrong secret is still refused on an encoded path', async () => {
  const wrong = new LambdaClient({
    endpoint: app.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'wrong' },
  });
  await assert.rejects(wrong.send(new GetPolicyCommand({ FunctionName: 'arn:aws:lambda:us-east-1:111111111111:function:absent' })), {
    name: 'InvalidSignatureException',
  });
  wrong.destroy();
});
