import { jsonCall } from './http.js';

/**
 * EventBridge over its own protocol (JSON 1.1, `X-Amz-Target: AWSEvents.<Operation>`), the same
 * requests the AWS CLI sends. Shapes are the subset of the API model the console reads.
 */
export function eventbridge<T>(operation: string, input: object = {}): Promise<T> {
  return jsonCall<T>('events', '1.1', 'AWSEvents', operation, input);
}

export interface Rule {
  Name: string;
  Arn: string;
  EventPattern?: string;
  ScheduleExpression?: string;
  State: 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
  Description?: string;
  EventBusName: string;
  RoleArn?: string;
}

export interface Target {
  Id: string;
  Arn: string;
  Input?: string;
  InputPath?: string;
  InputTransformer?: { InputPathsMap?: Record<string, string>; InputTemplate: string };
  RetryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
  DeadLetterConfig?: { Arn?: string };
}

export interface EventBus {
  Name: string;
  Arn: string;
  Description?: string;
  Policy?: string;
  CreationTime?: number;
}

export const listRules = (bus: string, NextToken?: string) =>
  eventbridge<{ Rules?: Rule[]; NextToken?: string }>('ListRules', { EventBusName: bus, Limit: 25, ...(NextToken && { NextToken }) });
export const describeRule = (bus: string, name: string) => eventbridge<Rule>('DescribeRule', { EventBusName: bus, Name: name });
export const listTargets = (bus: string, rule: string) =>
  eventbridge<{ Targets?: Target[] }>('ListTargetsByRule', { EventBusName: bus, Rule: rule });
export const listTags = async (arn: string) =>
  (await eventbridge<{ Tags?: { Key: string; Value: string }[] }>('ListTagsForResource', { ResourceARN: arn })).Tags ?? [];
export const listBuses = (NextToken?: string) =>
  eventbridge<{ EventBuses?: EventBus[]; NextToken?: string }>('ListEventBuses', { Limit: 25, ...(NextToken && { NextToken }) });
export const describeBus = (name: string) => eventbridge<EventBus>('DescribeEventBus', { Name: name });

/**
 * Whether a rule of that name exists on the bus. ListRules with the name as prefix (answered 200
 * either way) rather than DescribeRule, whose "not found" the browser would log as a failed
 * request every time a free name is typed.
 */
export async function ruleExists(bus: string, name: string): Promise<boolean> {
  let token: string | undefined;
  do {
    const page = await eventbridge<{ Rules?: Rule[]; NextToken?: string }>('ListRules', {
      EventBusName: bus,
      NamePrefix: name,
      Limit: 100,
      ...(token && { NextToken: token }),
    });
    if ((page.Rules ?? []).some((r) => r.Name === name)) return true;
    token = page.NextToken;
  } while (token);
  return false;
}

/** Every bus name in the region (the wizard's and filters' choices). */
export async function allBusNames(): Promise<string[]> {
  const names: string[] = [];
  let token: string | undefined;
  do {
    const page = await listBuses(token);
    names.push(...(page.EventBuses ?? []).map((b) => b.Name));
    token = page.NextToken;
  } while (token);
  return names;
}
