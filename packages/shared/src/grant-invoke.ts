import { allowsService } from './allows-service.js';
import { EVENTS_PRINCIPAL, type PolicyStatement } from './policy-statement.js';
import { statementId } from './statement-id.js';

/**
 * The two Lambda calls granting needs, in whatever client the caller has (the console's fetch
 * client, the AWS SDK's LambdaClient). `getPolicy` answers `[]` for a function without a policy.
 */
export interface PolicyApi {
  getPolicy(functionName: string): Promise<readonly PolicyStatement[]>;
  addPermission(functionName: string, input: { StatementId: string; Action: string; Principal: string; SourceArn: string }): Promise<void>;
}

/** A Lambda function's ARN (a rule target's; a qualifier may follow). */
export const isFunctionArn = (arn: string): boolean => /^arn:aws[a-z-]*:lambda:[^:]*:[^:]*:function:/.test(arn);

/** The account of an ARN (its fifth field). */
const accountOf = (arn: string): string | undefined => arn.split(':')[4];

/** AWS's error code of a failed call: the console's ApiError carries `code`, the SDK's errors `name`. */
const errorCode = (e: unknown): string | undefined => {
  const err = e as { code?: unknown; name?: unknown } | null;
  const code = err?.code ?? err?.name;
  return typeof code === 'string' ? code : undefined;
};

/** Whether the function's policy already lets this rule invoke it (Lambda's own check on delivery). */
export function allowsRule(policy: readonly PolicyStatement[], ruleArn: string): boolean {
  return allowsService(policy, EVENTS_PRINCIPAL, ruleArn, accountOf(ruleArn));
}

/**
 * Lets the rule invoke the function, as AWS's console does when it saves a rule with a Lambda
 * target ("Using resource-based policies for Amazon EventBridge": `aws lambda add-permission
 * --principal events.amazonaws.com --source-arn RULE_ARN`), unless some statement already does (a
 * second save, or the user's own `add-permission` under any id). ResourceConflictException means
 * the id is taken (an earlier save of this rule, or one running alongside): fine when the policy
 * now lets the rule in. Any other failure is the caller's to report.
 */
export async function grantInvoke(api: PolicyApi, functionArn: string, ruleArn: string, targetId: string): Promise<'present' | 'added'> {
  if (allowsRule(await api.getPolicy(functionArn), ruleArn)) return 'present';
  try {
    await api.addPermission(functionArn, {
      StatementId: statementId(ruleArn, targetId),
      Action: 'lambda:InvokeFunction',
      Principal: EVENTS_PRINCIPAL,
      SourceArn: ruleArn,
    });
    return 'added';
  } catch (e) {
    if (errorCode(e) === 'ResourceConflictException' && allowsRule(await api.getPolicy(functionArn), ruleArn)) return 'present';
    throw e;
  }
}
