import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildRecord } from '../../src/core/cloudtrail/cloudtrail-record.js';
import { isReadOnly } from '../../src/core/cloudtrail/read-only.js';
import { cloudTrailShape, HIDDEN } from '../../src/core/cloudtrail/request-parameters.js';

const ctx = { accountId: '123456789012', region: 'eu-west-1', requestId: 'req-1' };
const call = { accessKeyId: 'AKIDEXAMPLE', userAgent: 'aws-cli/2.9.19', sourceIp: '10.0.0.7' };

describe('CloudTrail record shape', () => {
  it('hides credentials, code zips, auth parameters, environment variables and message bodies', () => {
    const shaped = cloudTrailShape(
      {
        FunctionName: 'f',
        Code: { ZipFile: new Uint8Array([80, 75, 3, 4]) },
        Environment: { Variables: { DB_PASSWORD: 'hunter2', MODE: 'prod' } },
        AuthParameters: {
          BasicAuthParameters: { Username: 'u', Password: 'p' },
          ApiKeyAuthParameters: { ApiKeyName: 'x-key', ApiKeyValue: 'v' },
        },
        Credentials: { AccessKeyId: 'AKID', SecretAccessKey: 'shh', SessionToken: 'tok' },
        Payload: Buffer.from('{"a":1}'),
        Message: 'hello',
      },
      false,
    ) as Record<string, any>;
    assert.equal(shaped.code.zipFile, HIDDEN);
    assert.equal(Object.keys(shaped.environment.variables).length, 2);
    assert.ok(Object.values(shaped.environment.variables).every((v) => v === HIDDEN));
    assert.deepEqual(shaped.authParameters, {
      basicAuthParameters: { username: HIDDEN, password: HIDDEN },
      apiKeyAuthParameters: { apiKeyName: HIDDEN, apiKeyValue: HIDDEN },
    });
    assert.deepEqual(shaped.credentials, { accessKeyId: 'AKID', secretAccessKey: HIDDEN, sessionToken: HIDDEN });
    assert.equal(shaped.payload, HIDDEN);
    assert.equal(shaped.message, HIDDEN);
    assert.equal(shaped.functionName, 'f');
    assert.ok(!JSON.stringify(shaped).includes('hunter2') && !JSON.stringify(shaped).includes('shh'));
  });

  it("wraps EC2's lists in items, and only EC2's", () => {
    assert.deepEqual(cloudTrailShape({ ImageIds: ['ami-1'], Filters: [{ Name: 'state', Values: ['available'] }] }, true), {
      imageIds: { items: ['ami-1'] },
      filters: { items: [{ name: 'state', values: { items: ['available'] } }] },
    });
    assert.deepEqual(cloudTrailShape({ Targets: [{ Id: 'q' }] }, false), { targets: [{ id: 'q' }] });
  });

  it("keeps a map's keys as they are when the model says it is a map", () => {
    const leaf = { kind: 'other' as const, child: () => undefined };
    const map = { kind: 'map' as const, child: () => leaf };
    const input = {
      kind: 'structure' as const,
      child: (k: string) => (k === 'Attributes' || k === 'Variables' ? map : k === 'Environment' ? input : undefined),
    };
    assert.deepEqual(cloudTrailShape({ QueueName: 'q', Attributes: { VisibilityTimeout: '45' } }, false, input), {
      queueName: 'q',
      attributes: { VisibilityTimeout: '45' },
    });
    assert.deepEqual(cloudTrailShape({ Environment: { Variables: { DB_PASSWORD: 'x' } } }, false, input), {
      environment: { variables: { DB_PASSWORD: HIDDEN } },
    });
  });

  it('names read-only operations by their verb', () => {
    for (const op of ['DescribeImages', 'ListRules', 'GetQueueUrl', 'LookupEvents', 'TestEventPattern'])
      assert.equal(isReadOnly(op), true, op);
    for (const op of ['CreateImage', 'PutEvents', 'ModifyImageAttribute', 'Listen', 'Getaway', 'DeleteTrail'])
      assert.equal(isReadOnly(op), false, op);
  });

  it('builds a record with the caller, the time to the second, and no response for read-only calls', () => {
    const now = Date.UTC(2026, 5, 1, 12, 30, 15, 789);
    const { record, stored } = buildRecord(
      ctx,
      { ...call, service: 'events', operation: 'ListRules', input: { NamePrefix: 'ami-' }, output: { Rules: [] } },
      'ev-1',
      now,
    );
    assert.equal(record.eventTime, '2026-06-01T12:30:15Z');
    assert.equal(record.eventSource, 'events.amazonaws.com');
    assert.equal(record.sourceIPAddress, '10.0.0.7');
    assert.equal(record.awsRegion, 'eu-west-1');
    assert.equal(record.recipientAccountId, '123456789012');
    assert.deepEqual(record.requestParameters, { namePrefix: 'ami-' });
    assert.equal(record.responseElements, null);
    assert.equal(record.readOnly, true);
    assert.equal(stored.eventTime, Date.UTC(2026, 5, 1, 12, 30, 15));
    assert.equal(stored.accessKeyId, 'AKIDEXAMPLE');
    const created = buildRecord(
      ctx,
      { ...call, service: 'sqs', operation: 'CreateQueue', input: { QueueName: 'jobs' }, output: { QueueUrl: 'http://q/jobs' } },
      'ev-2',
      now,
    );
    assert.deepEqual(created.record.responseElements, { queueUrl: 'http://q/jobs' });
    assert.deepEqual(created.stored.resources, [
      { type: 'AWS::SQS::Queue', name: 'jobs' },
      { type: 'AWS::SQS::Queue', name: 'http://q/jobs' },
    ]);
  });
});
