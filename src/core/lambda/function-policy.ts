import type { AddPermissionRequest } from '@aws-sdk/client-lambda';
import type { FunctionPolicyStatement, FunctionRecord } from '../../storage/ports/lambda-store.js';
import { conflict, invalidParameter, validation } from './errors.js';

/**
 * AddPermission's StatementId: `([a-zA-Z0-9-_]+)`, 1–100 characters (the Lambda API model's
 * StatementId shape; RemovePermission's NamespacedStatementId also allows dots, AddPermission's
 * does not).
 */
const SID = /^[a-zA-Z0-9_-]+$/;
const MAX_SID = 100;

/**
 * AddPermission as a policy statement, written the way Lambda writes it (GetPolicy shows the
 * same JSON): a service principal becomes `{"Service": …}`, an account id `{"AWS":
 * "arn:aws:iam::ACCOUNT:root"}`; SourceArn / SourceAccount become `ArnLike` / `StringEquals`
 * conditions.
 */
export function statementFor(record: FunctionRecord, input: AddPermissionRequest): FunctionPolicyStatement {
  const sid = input.StatementId;
  if (sid !== undefined && sid.length > MAX_SID)
    throw validation(
      `Value '${sid}' at 'statementId' failed to satisfy constraint: Member must have length less than or equal to ${MAX_SID}`,
    );
  if (!sid || !SID.test(sid))
    throw validation(
      `Value '${sid ?? ''}' at 'statementId' failed to satisfy constraint: Member must satisfy regular expression pattern: ([a-zA-Z0-9-_]+)`,
    );
  if (!input.Action || !/^(lambda:[*]|lambda:[a-zA-Z]+|[*])$/.test(input.Action))
    throw validation(
      `Value '${input.Action ?? ''}' at 'action' failed to satisfy constraint: Member must satisfy regular expression pattern: (lambda:[*]|lambda:[a-zA-Z]+|[*])`,
    );
  if (!input.Principal) throw validation("Value null at 'principal' failed to satisfy constraint: Member must not be null");
  if (record.policy.some((s) => s.Sid === sid)) {
    throw conflict(
      `The statement id (${sid}) provided already exists. Please provide a new statement id, or remove the existing statement.`,
    );
  }
  const p = input.Principal;
  let principal: FunctionPolicyStatement['Principal'];
  if (p === '*') principal = '*';
  else if (/^\d{12}$/.test(p)) principal = { AWS: `arn:aws:iam::${p}:root` };
  else if (p.startsWith('arn:aws:iam::')) principal = { AWS: p };
  else if (/^[a-z0-9.-]+\.amazonaws\.com$/.test(p)) principal = { Service: p };
  else throw invalidParameter(`The provided principal was invalid. Please check the principal and try again.`);
  const condition: Record<string, Record<string, string>> = {};
  if (input.SourceAccount) condition.StringEquals = { 'AWS:SourceAccount': input.SourceAccount };
  if (input.SourceArn) condition.ArnLike = { 'AWS:SourceArn': input.SourceArn };
  return {
    Sid: sid,
    Effect: 'Allow',
    Principal: principal,
    Action: input.Action,
    Resource: record.arn,
    ...(Object.keys(condition).length > 0 && { Condition: condition }),
  };
}

export const policyDocument = (statements: readonly FunctionPolicyStatement[]) => ({
  Version: '2012-10-17',
  Id: 'default',
  Statement: statements,
});
