import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_STATEMENT_ID, statementId } from '@amiwatch/shared';

const ruleArn = (name: string, bus?: string, account = '000000000000') =>
  `arn:aws:events:us-east-1:${account}:rule/${bus ? `${bus}/` : ''}${name}`;

test('statement ids: what AddPermission accepts, one per rule ARN and target, readable where they fit', () => {
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
  for (const sid of ids) {
    assert.match(sid, /^AWSEvents_[a-zA-Z0-9_-]+_[0-9a-f]{8}$/);
    assert.ok(sid.length <= MAX_STATEMENT_ID, sid);
  }
  assert.equal(ids[0], `AWSEvents_ami-available_Target1_${ids[0]!.slice(-8)}`, 'readable: the rule and the target');
  assert.equal(ids[3]!.slice(0, 16), 'AWSEvents_a-b_c_', 'a dot becomes a dash');
  assert.equal(ids[8]!.length, MAX_STATEMENT_ID, 'a long name is cut, the hash kept');
  assert.equal(statementId(cases[0]![0], cases[0]![1]), ids[0], 'the same inputs, the same id (the console and the CLI find each other)');
});
