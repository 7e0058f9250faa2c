import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddPermissionRequest } from '@aws-sdk/client-lambda';
import type { PolicyStatement } from '../../console/src/api/lambda-policy.js';
import { allowsRule, grantInvoke, statementId, type PolicyApi } from '../../console/src/wizard/invoke-permission.js';
import { statementId as cliStatementId } from '../../src/cli/init-permission.js';
import { allowsService, statementFor } from '../../src/core/lambda/function-policy.js';
import type { FunctionRecord } from '../../src/storage/ports/lambda-store.js';

/**
 * The wizard's permission for Lambda targets, without a browser: its statement ids are ones
 * AddPermission takes, one per (rule ARN, target), the same as `amiwatch start --init` writes; its
 * "already allowed" is the server's delivery check; an existing statement is never added again.
 */
const fn = { arn: 'arn:aws:lambda:us-east-1:000000000000:function:f', policy: [] } as unknown as FunctionRecord;
/** Lambda's statement for an AddPermission on `fn` (FunctionName is the path's, not the statement's). */
const permit = (input: Omit<AddPermissionRequest, 'FunctionName'>) => statementFor(fn, { FunctionName: 'f', ...input });
const ruleArn = (name: string, bus?: string, account = '000000000000') => `arn:aws:events:us-east-1:${account}:rule/${bus ? `${bus}/` : ''}${name}`;

test('statement ids: valid for AddPermission, unique per rule ARN and target, the same in the console and the CLI', () => {
  const long = `${'r.'.repeat(31)}rr`;
  const cases: [string, string][] = [
    [ruleArn('ami-available'), 'Target1'],
    [ruleArn('a_b'), 'c'],
    [ruleArn('a'), 'b_c'],
    [ruleArn('a.b'), 'c'],
    [ruleArn('a-b'), 'c'],
    [ruleArn('ami-available', 'orders'), 'Target1'],
    [ruleArn('ami-available', 'aws.partner/example.com/123'), 'Target1'],
    [ruleArn('ami-available', undefined, '111111111111'), 'Target1'],
    [ruleArn(long, 'b'.repeat(64)), `t.${'x'.repeat(62)}`],
    [ruleArn(long, 'b'.repeat(64)), `t.${'x'.repeat(61)}y`],
    [ruleArn(long), 'x'.repeat(64)],
  ];
  const ids = cases.map(([arn, target]) => statementId(arn, target));
  assert.equal(new Set(ids).size, cases.length, ids.join('\n'));
  cases.forEach(([arn, target], i) => {
    const sid = ids[i]!;
    assert.equal(sid, cliStatementId(arn, target));
    assert.match(sid, /^AWSEvents_/);
    assert.ok(sid.length <= 100, sid);
    assert.doesNotThrow(() => permit({ StatementId: sid, Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceArn: arn }), sid);
  });
  assert.match(ids[0]!, /^AWSEvents_ami-available_Target1_[0-9a-f]{8}$/, 'readable: the rule and the target');
  assert.equal(ids[8]!.length, 100);
});

test('"already allowed" is what the server checks on delivery', () => {
  const rule = ruleArn('r');
  const inputs: Omit<AddPermissionRequest, 'FunctionName'>[] = [
    { StatementId: 's', Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceArn: rule },
    { StatementId: 's', Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceArn: ruleArn('other') },
    { StatementId: 's', Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceArn: ruleArn('*') },
    { StatementId: 's', Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceArn: ruleArn('r', 'orders') },
    { StatementId: 's', Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com' },
    { StatementId: 's', Action: 'lambda:*', Principal: 'events.amazonaws.com', SourceAccount: '000000000000' },
    { StatementId: 's', Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceAccount: '111111111111' },
    { StatementId: 's', Action: 'lambda:GetFunction', Principal: 'events.amazonaws.com', SourceArn: rule },
    { StatementId: 's', Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com', SourceArn: rule },
    { StatementId: 's', Action: 'lambda:InvokeFunction', Principal: '000000000000' },
    { StatementId: 's', Action: '*', Principal: '*' },
  ];
  for (const input of inputs) {
    const statement = permit(input);
    assert.equal(allowsRule([statement as PolicyStatement], rule), allowsService([statement], 'events.amazonaws.com', rule, '000000000000'), JSON.stringify(input));
  }
  assert.equal(allowsRule([], rule), false);
});

function fakeApi(policy: PolicyStatement[], fail?: { code: string; message: string }): PolicyApi & { added: string[] } {
  const added: string[] = [];
  return {
    added,
    getPolicy: async () => policy,
    addPermission: async (_fn, input) => {
      if (fail) throw Object.assign(new Error(fail.message), fail);
      added.push(input.StatementId);
      policy.push(permit(input) as PolicyStatement);
    },
  };
}

test('grantInvoke adds once; an allowing statement or a taken id that allows is enough; other errors are thrown', async () => {
  const rule = ruleArn('r');
  const api = fakeApi([]);
  assert.equal(await grantInvoke(api, fn.arn, rule, 'T1'), 'added');
  assert.equal(await grantInvoke(api, fn.arn, rule, 'T1'), 'present');
  assert.equal(await grantInvoke(api, fn.arn, rule, 'T2'), 'present', 'a second target on the same function');
  assert.deepEqual(api.added, [statementId(rule, 'T1')]);

  // The id was taken between GetPolicy and AddPermission by a save that added the same statement.
  let reads = 0;
  const racing: PolicyApi = {
    getPolicy: async () => (reads++ === 0 ? [] : [permit({ StatementId: 'x', Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceArn: rule }) as PolicyStatement]),
    addPermission: async () => {
      throw Object.assign(new Error('The statement id (x) provided already exists.'), { code: 'ResourceConflictException' });
    },
  };
  assert.equal(await grantInvoke(racing, fn.arn, rule, 'T1'), 'present');
  await assert.rejects(grantInvoke(fakeApi([], { code: 'ResourceConflictException', message: 'taken by another rule' }), fn.arn, rule, 'T1'), /taken by another rule/);
  await assert.rejects(grantInvoke(fakeApi([], { code: 'ResourceNotFoundException', message: 'Function not found' }), fn.arn, rule, 'T1'), /Function not found/);
});
