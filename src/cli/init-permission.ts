import { AddPermissionCommand, GetPolicyCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { allowsService } from '../core/lambda/function-policy.js';
import type { FunctionPolicyStatement } from '../storage/ports/lambda-store.js';

/**
 * An init file's rule with a Lambda target gets the permission AWS's console would add (and
 * amiwatch's console adds): a statement in the function's policy letting events.amazonaws.com
 * invoke it for the rule. The file has no way to say it, and without it every delivery fails
 * with NO_PERMISSIONS. The server's own check (allowsService) decides whether a statement already
 * does; the statement id is the console's (console/src/wizard/invoke-permission.ts, which the CLI
 * may not import; a test keeps the two equal).
 */
const PRINCIPAL = 'events.amazonaws.com';
const PREFIX = 'AWSEvents_';
const MAX_SID = 100;

function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** `AWSEvents_RULE_TARGET_HASH`: see the console's statementId for why the hash is always there. */
export function statementId(ruleArn: string, targetId: string): string {
  const rule = ruleArn.slice(ruleArn.lastIndexOf('/') + 1);
  const hash = shortHash(`${ruleArn}\n${targetId}`);
  const readable = `${rule}_${targetId}`.replace(/[^a-zA-Z0-9_-]/g, '-');
  return `${PREFIX}${readable.slice(0, MAX_SID - PREFIX.length - hash.length - 1)}_${hash}`;
}

async function statements(client: LambdaClient, functionArn: string): Promise<FunctionPolicyStatement[]> {
  try {
    const { Policy } = await client.send(new GetPolicyCommand({ FunctionName: functionArn }));
    return (JSON.parse(Policy ?? '{}') as { Statement?: FunctionPolicyStatement[] }).Statement ?? [];
  } catch (err) {
    // No policy yet, or no function: AddPermission then says which in its own words.
    if ((err as { name?: string }).name === 'ResourceNotFoundException') return [];
    throw err;
  }
}

/**
 * Lets the rule invoke the function unless its policy already does (a second start with the same
 * file, or the user's own statement). ResourceConflictException: the id is taken, fine when the
 * policy now lets the rule in.
 */
export async function grantInvoke(client: LambdaClient, functionArn: string, ruleArn: string, targetId: string): Promise<'present' | 'added'> {
  const account = ruleArn.split(':')[4];
  const allows = async () => allowsService(await statements(client, functionArn), PRINCIPAL, ruleArn, account);
  if (await allows()) return 'present';
  try {
    await client.send(new AddPermissionCommand({ FunctionName: functionArn, StatementId: statementId(ruleArn, targetId), Action: 'lambda:InvokeFunction', Principal: PRINCIPAL, SourceArn: ruleArn }));
    return 'added';
  } catch (err) {
    if ((err as { name?: string }).name === 'ResourceConflictException' && (await allows())) return 'present';
    throw err;
  }
}

export const isFunctionArn = (arn: string): boolean => /^arn:aws[a-z-]*:lambda:[^:]*:[^:]*:function:/.test(arn);
