import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grantInvoke, isFunctionArn, statementId, type PolicyApi, type PolicyStatement } from '@amiwatch/shared';

const fn = 'arn:aws:lambda:us-east-1:000000000000:function:f';
const rule = 'arn:aws:events:us-east-1:000000000000:rule/r';
const allowing = (sid: string, arn: string): PolicyStatement => ({
  Sid: sid,
  Effect: 'Allow',
  Principal: { Service: 'events.amazonaws.com' },
  Action: 'lambda:InvokeFunction',
  Condition: { ArnLike: { 'AWS:SourceArn': arn } },
});

/** A function's policy in memory; AddPermission refuses a taken id as Lambda does. */
function memoryApi(policy: PolicyStatement[], fail?: Error): PolicyApi & { added: string[] } {
  const added: string[] = [];
  return {
    added,
    getPolicy: async () => [...policy],
    addPermission: async (_fn, input) => {
      if (fail) throw fail;
      if (policy.some((s) => s.Sid === input.StatementId))
        throw Object.assign(new Error('The statement id provided already exists.'), { code: 'ResourceConflictException' });
      added.push(input.StatementId);
      policy.push(allowing(input.StatementId, input.SourceArn));
    },
  };
}

test('grantInvoke adds the statement once; an allowing statement already there is enough', async () => {
  const api = memoryApi([]);
  assert.equal(await grantInvoke(api, fn, rule, 'T1'), 'added');
  assert.equal(await grantInvoke(api, fn, rule, 'T1'), 'present');
  assert.equal(await grantInvoke(api, fn, rule, 'T2'), 'present', 'a second target on the same function');
  assert.deepEqual(api.added, [statementId(rule, 'T1')]);
  const users = memoryApi([allowing('mine', 'arn:aws:events:us-east-1:000000000000:rule/*')]);
  assert.equal(await grantInvoke(users, fn, rule, 'T1'), 'present', "the user's own statement, any id");
  assert.deepEqual(users.added, []);
});

test("a taken id is fine when the policy now allows the rule, in the console's error shape and the SDK's", async () => {
  for (const conflict of [
    Object.assign(new Error('taken'), { code: 'ResourceConflictException' }),
    Object.assign(new Error('taken'), { name: 'ResourceConflictException' }),
  ]) {
    let reads = 0;
    const racing: PolicyApi = {
      // A save running alongside added the same statement between our GetPolicy and AddPermission.
      getPolicy: async () => (reads++ === 0 ? [] : [allowing('x', rule)]),
      addPermission: async () => {
        throw conflict;
      },
    };
    assert.equal(await grantInvoke(racing, fn, rule, 'T1'), 'present');
  }
});

test('other failures, and a taken id that does not allow the rule, reach the caller', async () => {
  const taken = Object.assign(new Error('taken by another rule'), { code: 'ResourceConflictException' });
  await assert.rejects(grantInvoke(memoryApi([], taken), fn, rule, 'T1'), /taken by another rule/);
  const missing = Object.assign(new Error('Function not found'), { name: 'ResourceNotFoundException' });
  await assert.rejects(grantInvoke(memoryApi([], missing), fn, rule, 'T1'), /Function not found/);
});

test('function ARNs, with or without a qualifier, in any partition', () => {
  assert.ok(isFunctionArn(fn));
  assert.ok(isFunctionArn(`${fn}:live`));
  assert.ok(isFunctionArn('arn:aws-cn:lambda:cn-north-1:000000000000:function:f'));
  assert.ok(!isFunctionArn('arn:aws:sqs:us-east-1:000000000000:q'));
  assert.ok(!isFunctionArn('arn:aws:lambda:us-east-1:000000000000:layer:l'));
});
