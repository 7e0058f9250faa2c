import { formatArn, parseArn } from '../shared/arn.js';
import type { RequestContext } from '../shared/request-context.js';
import { EventsErrors } from '../generated/errors.js';

/** ARNs exactly as AWS writes them: a rule on the default bus has no bus segment. */
export const busArn = (region: string, account: string, name: string): string =>
  formatArn({ service: 'events', region, account, resource: `event-bus/${name}` });

export const ruleArn = (region: string, account: string, bus: string, name: string): string =>
  formatArn({ service: 'events', region, account, resource: bus === 'default' ? `rule/${name}` : `rule/${bus}/${name}` });

export const DEFAULT_BUS = 'default';

export interface BusRef {
  account: string;
  region: string;
  name: string;
}

/**
 * `EventBusName` members take a name or an ARN (`EventBusNameOrArn`). An ARN may point at another
 * account's bus (cross-account PutEvents); elsewhere only the caller's own buses are addressable.
 */
export function resolveBus(ctx: RequestContext, nameOrArn: string | undefined): BusRef {
  if (nameOrArn === undefined || nameOrArn === '') return { account: ctx.accountId, region: ctx.region, name: DEFAULT_BUS };
  if (!nameOrArn.startsWith('arn:')) return { account: ctx.accountId, region: ctx.region, name: nameOrArn };
  const arn = parseArn(nameOrArn);
  if (!arn || arn.service !== 'events' || !arn.resource.startsWith('event-bus/')) {
    throw EventsErrors.ValidationException(`Parameter ${nameOrArn} is not valid. Reason: Provided Arn is not in correct format.`);
  }
  return { account: arn.account, region: arn.region, name: arn.resource.slice('event-bus/'.length) };
}

/** Like resolveBus, but refuses another account's or region's bus (rules, targets, permissions). */
export function resolveOwnBus(ctx: RequestContext, nameOrArn: string | undefined): BusRef {
  const ref = resolveBus(ctx, nameOrArn);
  if (ref.account !== ctx.accountId || ref.region !== ctx.region) {
    throw EventsErrors.ResourceNotFoundException(`Event bus ${nameOrArn} does not exist.`);
  }
  return ref;
}

export const isArn = (text: string): boolean => {
  const arn = parseArn(text);
  return arn !== null && arn.partition.startsWith('aws') && arn.service.length > 0;
};
