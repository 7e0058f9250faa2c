import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseOrganizations } from '../../src/core/events/organizations.js';
import { conditionContext, conditionHolds, type ConditionBlock } from '../../src/core/shared/policy-conditions.js';

const request = conditionContext({
  'aws:PrincipalAccount': '111122223333',
  'aws:PrincipalOrgID': 'o-abcdefghij',
  'events:source': 'com.exampleCorp.webStore',
  'events:detail-type': 'newOrderCreated',
});
const forwarded = conditionContext({
  'aws:PrincipalAccount': '111122223333',
  'aws:SourceArn': 'arn:aws:events:us-east-1:111122223333:rule/team/fwd',
  'events:source': 'a',
});

describe('bus policy conditions, evaluated as IAM does', () => {
  const cases: [string, ConditionBlock | undefined, boolean][] = [
    ['no condition', undefined, true],
    ['StringEquals on the organization', { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } }, true],
    ['StringEquals, another organization', { StringEquals: { 'aws:PrincipalOrgID': 'o-zzzzzzzzzz' } }, false],
    ['keys are case-insensitive', { StringEquals: { 'AWS:principalorgid': 'o-abcdefghij' } }, true],
    ['values are case-sensitive', { StringEquals: { 'events:source': 'com.examplecorp.webstore' } }, false],
    ['…except with IgnoreCase', { StringEqualsIgnoreCase: { 'events:source': 'com.examplecorp.webstore' } }, true],
    ['several values for a key: any', { StringEquals: { 'events:source': ['x', 'com.exampleCorp.webStore'] } }, true],
    [
      'several keys: all (AWS guide example)',
      {
        'ForAllValues:StringEquals': { 'events:source': 'com.exampleCorp.webStore' },
        StringEquals: { 'events:detail-type': 'newOrderCreated' },
      },
      true,
    ],
    ['several keys: one fails', { StringEquals: { 'events:source': 'com.exampleCorp.webStore', 'events:detail-type': 'other' } }, false],
    ['StringLike with * and ?', { StringLike: { 'events:source': 'com.example?orp.*' } }, true],
    ['StringLike is anchored', { StringLike: { 'events:source': 'example*' } }, false],
    ['StringLike: regex characters are literal', { StringLike: { 'events:source': 'com.exampleCorp.webStore.' } }, false],
    ['StringNotEquals', { StringNotEquals: { 'events:source': 'other' } }, true],
    ['StringNotEquals with the value', { StringNotEquals: { 'events:source': ['other', 'com.exampleCorp.webStore'] } }, false],
    ['absent key: positive operator false', { StringEquals: { 'aws:SourceArn': 'x' } }, false],
    ['absent key: negated operator true', { StringNotEquals: { 'aws:SourceArn': 'x' } }, true],
    ['absent key: IfExists true', { StringEqualsIfExists: { 'aws:SourceArn': 'x' } }, true],
    ['present key: IfExists still compares', { StringEqualsIfExists: { 'events:source': 'x' } }, false],
    ['absent key: ForAllValues true', { 'ForAllValues:StringEquals': { 'aws:SourceArn': 'x' } }, true],
    ['absent key: ForAnyValue false', { 'ForAnyValue:StringEquals': { 'aws:SourceArn': 'x' } }, false],
    ['Null true: key absent', { Null: { 'aws:SourceArn': 'true' } }, true],
    ['Null false: key present', { Null: { 'aws:PrincipalOrgID': 'false' } }, true],
    ['Null true on a present key', { Null: { 'aws:PrincipalOrgID': 'true' } }, false],
    ['an unknown operator never holds', { NumericLessThan: { 'events:source': '3' } }, false],
    ['a malformed block never holds', { StringEquals: 'x' } as unknown as ConditionBlock, false],
  ];
  for (const [name, block, expected] of cases) it(`${name} → ${expected}`, () => assert.equal(conditionHolds(block, request), expected));

  it('ArnLike and ArnEquals compare component by component, with wildcards', () => {
    assert.equal(conditionHolds({ ArnLike: { 'aws:SourceArn': 'arn:aws:events:*:111122223333:rule/team/*' } }, forwarded), true);
    assert.equal(
      conditionHolds({ ArnEquals: { 'aws:SourceArn': 'arn:aws:events:us-east-1:111122223333:rule/team/fwd' } }, forwarded),
      true,
    );
    // A wildcard in one component does not spill into the next.
    assert.equal(conditionHolds({ ArnLike: { 'aws:SourceArn': 'arn:aws:events:us-*:rule/team/fwd' } }, forwarded), false);
    assert.equal(conditionHolds({ ArnNotLike: { 'aws:SourceArn': 'arn:aws:events:*:999999999999:*' } }, forwarded), true);
  });
});

describe('--organizations', () => {
  it('maps each account to its organization', () => {
    const orgs = parseOrganizations('o-aaaaaaaaaa=111111111111, 222222222222; o-bbbbbbbbbb=333333333333;');
    assert.deepEqual(
      [...orgs],
      [
        ['111111111111', 'o-aaaaaaaaaa'],
        ['222222222222', 'o-aaaaaaaaaa'],
        ['333333333333', 'o-bbbbbbbbbb'],
      ],
    );
  });
  it('says what is wrong', () => {
    assert.throws(() => parseOrganizations('org=111111111111'), /expected o-<10 to 32 lowercase letters or digits>=ACCOUNT/);
    assert.throws(() => parseOrganizations('o-aaaaaaaaaa='), /lists no accounts/);
    assert.throws(() => parseOrganizations('o-aaaaaaaaaa=12'), /12 is not a 12-digit account id/);
    assert.throws(() => parseOrganizations('o-aaaaaaaaaa=111111111111;o-bbbbbbbbbb=111111111111'), /in both o-aaaaaaaaaa and o-bbbbbbbbbb/);
  });
});
