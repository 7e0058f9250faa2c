import type { PolicyStatement } from '../api/lambda-policy.js';

/**
 * Lambda targets need the function's resource-based policy to let EventBridge in. AWS's console
 * adds that statement when it saves a rule with a Lambda target ("Using resource-based policies
 * for Amazon EventBridge" shows it as `aws lambda add-permission --principal
 * events.amazonaws.com --source-arn RULE_ARN`); the wizard does the same, once per rule and
 * function. No imports with side effects, so the tests can run it against the server's rules.
 */
export const EVENTS_PRINCIPAL = 'events.amazonaws.com';

const PREFIX = 'AWSEvents_';
/** AddPermission's StatementId: 1–100 of `[a-zA-Z0-9-_]`. */
const MAX_SID = 100;

/** FNV-1a (32 bits) as 8 hex digits: no WebCrypto, which a console served over plain http lacks. */
function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/**
 * `AWSEvents_RULE_TARGET_HASH`, as AWS's console names these statements (`AWSEvents_RULE_TARGET`)
 * plus a hash of the rule's ARN and the target ID. The readable part alone cannot be unique: rule
 * names and target IDs may hold `_` and `.` (`.` is not allowed here, so becomes `-`), the same
 * rule name can exist on several buses, and 64 + 64 characters do not fit in 100 (it is cut).
 */
export function statementId(ruleArn: string, targetId: string): string {
  const rule = ruleArn.slice(ruleArn.lastIndexOf('/') + 1);
  const hash = shortHash(`${ruleArn}\n${targetId}`);
  const readable = `${rule}_${targetId}`.replace(/[^a-zA-Z0-9_-]/g, '-');
  return `${PREFIX}${readable.slice(0, MAX_SID - PREFIX.length - hash.length - 1)}_${hash}`;
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** `ArnLike`: `*` matches any run of characters, `?` one character. */
function arnLike(pattern: string, value: string): boolean {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(value);
}

/**
 * Whether some statement already lets EventBridge invoke the function for this rule: the
 * server's check on delivery (`allowsService`, kept in step by a test), so a statement the user
 * added (`aws lambda add-permission`, any statement id) counts and none is added next to it.
 */
export function allowsRule(policy: readonly PolicyStatement[], ruleArn: string): boolean {
  const account = ruleArn.split(':')[4];
  return policy.some((s) => {
    const who = s.Principal === '*' || list(s.Principal.Service).includes(EVENTS_PRINCIPAL);
    const what = list(s.Action).some((a) => a === '*' || a === 'lambda:*' || a === 'lambda:InvokeFunction');
    if (!who || !what) return false;
    const arn = s.Condition?.ArnLike?.['AWS:SourceArn'] ?? s.Condition?.ArnEquals?.['AWS:SourceArn'];
    if (arn !== undefined && !arnLike(arn, ruleArn)) return false;
    const sourceAccount = s.Condition?.StringEquals?.['AWS:SourceAccount'];
    return sourceAccount === undefined || sourceAccount === account;
  });
}

export interface PolicyApi {
  getPolicy(fn: string): Promise<PolicyStatement[]>;
  addPermission(fn: string, input: { StatementId: string; Action: string; Principal: string; SourceArn: string }): Promise<void>;
}

/**
 * Lets the rule invoke the function unless its policy already does. ResourceConflictException
 * means the statement id is taken (an earlier save of this rule, or a save running alongside):
 * fine when the policy now lets the rule in; any other failure is the caller's to show.
 */
export async function grantInvoke(api: PolicyApi, functionArn: string, ruleArn: string, targetId: string): Promise<'present' | 'added'> {
  if (allowsRule(await api.getPolicy(functionArn), ruleArn)) return 'present';
  try {
    await api.addPermission(functionArn, { StatementId: statementId(ruleArn, targetId), Action: 'lambda:InvokeFunction', Principal: EVENTS_PRINCIPAL, SourceArn: ruleArn });
    return 'added';
  } catch (e) {
    if ((e as { code?: string }).code === 'ResourceConflictException' && allowsRule(await api.getPolicy(functionArn), ruleArn)) return 'present';
    throw e;
  }
}

/** A Lambda function's ARN (a rule target's; a qualifier may follow). */
export const isFunctionArn = (arn: string): boolean => /^arn:aws[a-z-]*:lambda:[^:]*:[^:]*:function:/.test(arn);
