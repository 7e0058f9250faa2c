import { arnLike } from './arn-like.js';
import type { PolicyStatement } from './policy-statement.js';

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

const INVOKE_ACTIONS = new Set(['*', 'lambda:*', 'lambda:InvokeFunction']);

/**
 * Whether a service (EventBridge, SNS) may invoke the function: some statement names it (or `*`),
 * allows `lambda:InvokeFunction`, and its conditions hold for the caller. A statement with an
 * `AWS:SourceArn` condition lets nobody in when the caller states no source ARN; a
 * `AWS:SourceAccount` condition likewise. Lambda runs this check before every service
 * invocation; the console and the CLI run it to see whether a rule already has the permission.
 */
export function allowsService(policy: readonly PolicyStatement[], principal: string, sourceArn?: string, sourceAccount?: string): boolean {
  return policy.some((s) => {
    if (s.Effect !== 'Allow') return false;
    const who = s.Principal === '*' || list(s.Principal.Service).includes(principal);
    const what = list(s.Action).some((a) => INVOKE_ACTIONS.has(a));
    if (!who || !what) return false;
    const arn = s.Condition?.ArnLike?.['AWS:SourceArn'] ?? s.Condition?.ArnEquals?.['AWS:SourceArn'];
    if (arn !== undefined && (sourceArn === undefined || !arnLike(arn, sourceArn))) return false;
    const account = s.Condition?.StringEquals?.['AWS:SourceAccount'];
    return account === undefined || account === sourceAccount;
  });
}
