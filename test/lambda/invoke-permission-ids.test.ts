import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allowsService, EVENTS_PRINCIPAL, statementId } from '@amiwatch/shared';
import { statementFor } from '../../src/core/lambda/function-policy.js';
import type { FunctionRecord } from '../../src/storage/ports/lambda-store.js';

/**
 * The statements the console and `start --init` add (@amiwatch/shared) are ones Lambda's
 * AddPermission (core) takes, and once added they let exactly that rule in.
 */
const fn = { arn: 'arn:aws:lambda:us-east-1:000000000000:function:f', policy: [] } as unknown as FunctionRecord;

test("the shared statement ids pass AddPermission's checks and the statement lets the rule in", () => {
  const long = `${'r.'.repeat(31)}rr`;
  const rules = [
    'arn:aws:events:us-east-1:000000000000:rule/ami-available',
    'arn:aws:events:us-east-1:000000000000:rule/orders/a.b',
    `arn:aws:events:us-east-1:000000000000:rule/${'b'.repeat(64)}/${long}`,
  ];
  for (const rule of rules) {
    const sid = statementId(rule, `t.${'x'.repeat(62)}`);
    const statement = statementFor(fn, {
      FunctionName: 'f',
      StatementId: sid,
      Action: 'lambda:InvokeFunction',
      Principal: EVENTS_PRINCIPAL,
      SourceArn: rule,
    });
    assert.equal(statement.Sid, sid);
    assert.equal(allowsService([statement], EVENTS_PRINCIPAL, rule, '000000000000'), true, rule);
    assert.equal(allowsService([statement], EVENTS_PRINCIPAL, `${rule}x`, '000000000000'), false, rule);
  }
});
