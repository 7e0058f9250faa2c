import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, it } from 'node:test';
import { promisify } from 'node:util';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';
import { boto3Env, boto3Skip } from '../support/boto3.js';

/**
 * Lambda's operations of issue 19 with boto3 (the system python3 with a current boto3, as the
 * other boto3 suites): event invoke configuration with OnSuccess/OnFailure queues and Invoke
 * `Event`, PublishVersion / ListVersionsByFunction, aliases with weighted routing, reserved
 * concurrency and its throttle, and SQS event source mappings. The script
 * (fixtures/boto3-lambda-ops.py) reports what it saw as JSON; this file judges it.
 */
const run = promisify(execFile);
const script = fileURLToPath(new URL('./fixtures/boto3-lambda-ops.py', import.meta.url));
const ARN = 'arn:aws:lambda:us-east-1:000000000000:function';
let app: App;

before(async () => {
  app = await startTestServer();
});
after(async () => {
  await app?.close();
});

it('boto3: event invoke config, Invoke Event with destinations, versions, weighted aliases, concurrency, event source mappings', {
  skip: boto3Skip,
  timeout: 120_000,
}, async () => {
  const { stdout } = await run('python3', [script], { env: boto3Env(app.url), timeout: 110_000 });
  const out = JSON.parse(stdout);

  // Event invoke configuration: Put replaces, Update merges, Lambda's validation text, Delete.
  assert.deepEqual(out.put, {
    FunctionArn: `${ARN}:boto-async:$LATEST`,
    MaximumRetryAttempts: 0,
    MaximumEventAgeInSeconds: 3600,
    DestinationConfig: {
      OnSuccess: { Destination: 'arn:aws:sqs:us-east-1:000000000000:boto-on-success' },
      OnFailure: { Destination: 'arn:aws:sqs:us-east-1:000000000000:boto-on-failure' },
    },
  });
  assert.equal(out.putLastModifiedType, 'datetime', 'boto3 parsed LastModified as a timestamp');
  assert.equal(out.badRetry.code, 'ValidationException');
  assert.match(
    out.badRetry.message,
    /Value '3' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2/,
  );
  assert.deepEqual(out.updated, [0, 600, ['OnFailure', 'OnSuccess']]);
  assert.equal(out.got, 600);
  assert.deepEqual(out.listed, [`${ARN}:boto-async:$LATEST`]);
  assert.deepEqual(out.afterDelete, {
    code: 'ResourceNotFoundException',
    message: `The function ${ARN}:boto-async:$LATEST doesn't have an EventInvokeConfig`,
    status: 404,
    reason: null,
  });
  assert.deepEqual(out.listedAfterDelete, []);

  // Invoke Event: 202, then Lambda's invocation records on the destinations.
  assert.deepEqual(out.eventStatus, [202, 202]);
  assert.equal(out.onSuccess.version, '1.0');
  assert.deepEqual(out.onSuccess.requestContext.condition, 'Success');
  assert.deepEqual(out.onSuccess.requestPayload, { image: 'ami-1' });
  assert.deepEqual(out.onSuccess.responsePayload, { promoted: 'ami-1' });
  assert.deepEqual(out.onFailure.requestContext.condition, 'RetriesExhausted');
  assert.equal(out.onFailure.requestContext.approximateInvokeCount, 1, 'MaximumRetryAttempts 0: one attempt');
  assert.equal(out.onFailure.requestContext.functionArn, `${ARN}:boto-async:$LATEST`);
  assert.equal(out.onFailure.responseContext.functionError, 'Unhandled');
  assert.equal(out.onFailure.responsePayload.errorType, 'ValueError');
  assert.equal(out.onFailure.responsePayload.errorMessage, 'cannot promote ami-2');
  assert.equal(out.onFailure.responsePayload.requestId, out.onFailure.requestContext.requestId, "the Python runtime's error object as is");
  assert.match(out.onFailure.responsePayload.stackTrace[0], /File "\/var\/task\/app\.py", line 3, in handler/);

  // Versions.
  assert.deepEqual(out.versions, ['1', '2', 'first']);
  assert.deepEqual(out.listedVersions, ['$LATEST', '1', '2']);
  assert.equal(out.staleSha.code, 'InvalidParameterValueException');
  assert.match(
    out.staleSha.message,
    /^CodeSHA256 \(x+\) is different from current CodeSHA256 in \$LATEST \(.+\)\. Please try again with the current CodeSHA256\.$/,
  );

  // Aliases: weight 1.0 sends everything to version 2, 0.5 splits, promotion routes to one.
  assert.deepEqual(out.alias, [`${ARN}:boto-ver:live`, '1', { AdditionalVersionWeights: { '2': 1 } }]);
  assert.deepEqual(out.allToTwo, [['2', 'two']]);
  assert.deepEqual(out.split, [
    ['1', 'one'],
    ['2', 'two'],
  ]);
  assert.equal(out.promoted[0], '2');
  assert.deepEqual(out.allToPromoted, [['2', 'two']]);
  assert.equal(out.badWeight.code, 'ValidationException');
  assert.match(out.badWeight.message, /routingConfig\.additionalVersionWeights/);
  assert.equal(out.gotAlias, '2');
  assert.deepEqual(out.aliases, ['canary', 'live']);
  assert.deepEqual(out.aliasesOfOne, ['canary']);
  assert.deepEqual(
    [out.aliasGone.code, out.aliasGone.status, out.aliasGone.message],
    ['ResourceNotFoundException', 404, `Alias not found: ${ARN}:boto-ver:canary`],
  );

  // Reserved concurrency: 0 stops synchronous calls with Lambda's throttle; the account keeps 100.
  assert.equal(out.noConcurrency, null);
  assert.deepEqual([out.putConcurrency, out.gotConcurrency], [0, 0]);
  assert.deepEqual(out.throttled, {
    code: 'TooManyRequestsException',
    message: 'Rate Exceeded.',
    status: 429,
    reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
  });
  assert.equal(out.tooMuch.code, 'InvalidParameterValueException');
  assert.match(out.tooMuch.message, /below its minimum value of \[100\]\.$/);
  assert.equal(out.afterConcurrencyDelete, 200);

  // Event source mappings on an alias.
  assert.deepEqual(out.mapping, {
    created: ['Creating', `${ARN}:boto-ver:live`, 5],
    got: ['Disabled', ['ReportBatchItemFailures']],
    updated: ['Updating', 8, { MaximumConcurrency: 4 }],
    listed: [true],
    deleted: 'Deleting',
  });
  assert.equal(out.mappingGone.code, 'ResourceNotFoundException');
});
