import type { ConditionBlock } from './policy-conditions.js';
import type { DeadLetterConfig, Tag, Target } from '@aws-sdk/client-eventbridge';

/**
 * What core persists, as JSON documents in the store's keyed state (kind `bus` / `rule`, keyed by
 * ARN). Targets live inside their rule's document, so PutTargets/RemoveTargets are one atomic
 * write together with the rule they belong to.
 */
export type RuleStateName = 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  /** Absent in a statement that names no other account (it grants nothing across accounts). */
  Principal?: string | { AWS?: string | string[] };
  Action: string | string[];
  Resource: string | string[];
  Condition?: ConditionBlock;
}

export interface BusPolicy {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

export interface BusDoc {
  name: string;
  arn: string;
  account: string;
  region: string;
  description?: string;
  kmsKeyIdentifier?: string;
  deadLetterConfig?: DeadLetterConfig;
  policy?: BusPolicy;
  tags: Tag[];
  createdAt: number;
  updatedAt: number;
}

export interface RuleDoc {
  name: string;
  arn: string;
  account: string;
  region: string;
  busName: string;
  eventPattern?: string;
  scheduleExpression?: string;
  state: RuleStateName;
  description?: string;
  roleArn?: string;
  createdBy: string;
  /** Set on rules an AWS service manages (an archive's `Events-Archive-<name>`): users cannot change them. */
  managedBy?: string;
  tags: Tag[];
  targets: Target[];
  createdAt: number;
}

/**
 * A target as a delivery carries it: the AWS target plus the rule context Input transformation
 * and history need. Frozen into each delivery row when the event matches, so a delivery keeps
 * going (or fails) on the target as it was when the event arrived.
 */
export interface DeliveryTarget {
  ruleName: string;
  ruleArn: string;
  busArn: string;
  account: string;
  region: string;
  target: Target;
}

export const RESOURCE_KIND = { bus: 'events.bus', rule: 'events.rule' } as const;
