import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allowsRule, allowsService, arnLike, type PolicyStatement } from '@amiwatch/shared';

const rule = 'arn:aws:events:us-east-1:000000000000:rule/r';
const fn = 'arn:aws:lambda:us-east-1:000000000000:function:f';
/** A statement as Lambda writes it for `add-permission`. */
const statement = (over: Partial<PolicyStatement>): PolicyStatement => ({
  Sid: 's',
  Effect: 'Allow',
  Principal: { Service: 'events.amazonaws.com' },
  Action: 'lambda:InvokeFunction',
  Resource: fn,
  ...over,
});
const sourceArn = (arn: string) => ({ Condition: { ArnLike: { 'AWS:SourceArn': arn } } });

test('ArnLike: * any run (colons and slashes too), ? one character, the rest literal', () => {
  assert.ok(arnLike('arn:aws:events:*:*:rule/*', rule));
  assert.ok(arnLike('arn:aws:events:us-east-1:000000000000:rule/?', rule));
  assert.ok(!arnLike('arn:aws:events:us-east-1:000000000000:rule/??', rule));
  assert.ok(!arnLike('arn:aws:events:us-east-1:000000000000:rule/R', rule), 'case-sensitive');
  assert.ok(!arnLike('arn:aws:events:us-east-1:000000000000:rule.r', 'arn:aws:events:us-east-1:000000000000:rule/r'), 'a dot is a dot');
  assert.ok(arnLike('arn:aws:events:us-east-1:000000000000:rule/(r)', 'arn:aws:events:us-east-1:000000000000:rule/(r)'));
});

test('a rule is allowed by the statements Lambda would honour for it, and by no others', () => {
  const cases: [string, PolicyStatement, boolean][] = [
    ['its own source ARN', statement(sourceArn(rule)), true],
    ['another rule', statement(sourceArn('arn:aws:events:us-east-1:000000000000:rule/other')), false],
    ['a wildcard over the rules', statement(sourceArn('arn:aws:events:us-east-1:000000000000:rule/*')), true],
    ['the same name on another bus', statement(sourceArn('arn:aws:events:us-east-1:000000000000:rule/orders/r')), false],
    ['no condition', statement({}), true],
    ['ArnEquals', statement({ Condition: { ArnEquals: { 'AWS:SourceArn': rule } } }), true],
    [
      'lambda:* for its account',
      statement({ Action: 'lambda:*', Condition: { StringEquals: { 'AWS:SourceAccount': '000000000000' } } }),
      true,
    ],
    ['another account', statement({ Condition: { StringEquals: { 'AWS:SourceAccount': '111111111111' } } }), false],
    ['another action', statement({ Action: 'lambda:GetFunction', ...sourceArn(rule) }), false],
    ['another service', statement({ Principal: { Service: 'sns.amazonaws.com' }, ...sourceArn(rule) }), false],
    ['an account principal', statement({ Principal: { AWS: 'arn:aws:iam::000000000000:root' } }), false],
    ['anyone, any action', statement({ Principal: '*', Action: '*' }), true],
    [
      'lists of principals and actions',
      statement({
        Principal: { Service: ['sns.amazonaws.com', 'events.amazonaws.com'] },
        Action: ['lambda:GetFunction', 'lambda:InvokeFunction'],
      }),
      true,
    ],
    ['a Deny', statement({ Effect: 'Deny' }), false],
  ];
  for (const [what, s, allowed] of cases) assert.equal(allowsRule([s], rule), allowed, what);
  assert.equal(allowsRule([], rule), false, 'no policy');
  assert.equal(allowsRule([statement({ Action: 'lambda:GetFunction' }), statement(sourceArn(rule))], rule), true, 'any statement suffices');
});

test('a condition on the source holds only when the caller states that source', () => {
  const s = [statement(sourceArn(rule))];
  assert.equal(allowsService(s, 'events.amazonaws.com'), false, 'no source ARN given');
  assert.equal(allowsService(s, 'events.amazonaws.com', rule), true);
  const byAccount = [statement({ Condition: { StringEquals: { 'AWS:SourceAccount': '000000000000' } } })];
  assert.equal(allowsService(byAccount, 'events.amazonaws.com', rule), false, 'no source account given');
  assert.equal(allowsService(byAccount, 'events.amazonaws.com', rule, '000000000000'), true);
});
