import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AddPermissionCommand, CreateFunctionCommand, GetPolicyCommand } from '@aws-sdk/client-lambda';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';
import { lambdaClient, ROLE, TUTORIAL_FUNCTION, zipOf } from './helpers.js';

/**
 * GET /_amiwatch/functions/NAME/policy: GetPolicy's document, or `policy: null` for a function
 * without one (GetPolicy answers that with a 404, which a browser logs as an error; the console
 * asks here). A missing function is still a 404.
 */
let app: App;
before(async () => {
  app = await startTestServer();
});
after(() => app.close());

const policyOf = async (name: string, query = '') => {
  const res = await fetch(`${app.url}/_amiwatch/functions/${name}/policy${query}`);
  return { status: res.status, body: (await res.json()) as { function?: string; policy?: string | null; error?: string } };
};

test("a function's policy through the control API: null before AddPermission, GetPolicy's document after", {
  timeout: 30_000,
}, async () => {
  const lambda = lambdaClient(app);
  try {
    const { FunctionArn } = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'guarded',
        Runtime: 'nodejs20.x',
        Role: ROLE,
        Handler: 'index.handler',
        Code: { ZipFile: zipOf({ 'index.js': TUTORIAL_FUNCTION }) },
      }),
    );
    const none = await policyOf('guarded');
    assert.equal(none.status, 200);
    assert.equal(none.body.function, FunctionArn);
    assert.equal(none.body.policy, null);
    await lambda.send(
      new AddPermissionCommand({
        FunctionName: 'guarded',
        StatementId: 'from-events',
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
        SourceArn: 'arn:aws:events:us-east-1:000000000000:rule/r',
      }),
    );
    const { Policy } = await lambda.send(new GetPolicyCommand({ FunctionName: 'guarded' }));
    assert.equal((await policyOf('guarded')).body.policy, Policy);
    const missing = await policyOf('no-such-function');
    assert.equal(missing.status, 404);
    assert.match(missing.body.error ?? '', /^ResourceNotFoundException: /);
    // Another region's function of that name is another function.
    assert.equal((await policyOf('guarded', '?region=eu-west-1')).status, 404);
  } finally {
    lambda.destroy();
  }
});
