import { check } from '@amiwatch/event-pattern';
import type {
  DeleteRuleRequest,
  DescribeRuleRequest,
  DescribeRuleResponse,
  DisableRuleRequest,
  EnableRuleRequest,
  ListRulesRequest,
  ListRulesResponse,
  PutRuleRequest,
  PutRuleResponse,
  Rule,
} from '@aws-sdk/client-eventbridge';
import type { Clock } from '../shared/clock.js';
import type { RequestContext } from '../shared/request-context.js';
import type { ServiceError } from '../shared/service-error.js';
import { requireBus } from './buses.js';
import type { BusEntry, EventsState, RuleEntry } from './events-state.js';
import type { RuleDoc, RuleStateName } from './model.js';
import { DEFAULT_BUS, ruleArn } from './names.js';
import { paginate } from './paging.js';
import { parseSchedule } from './schedule-expression.js';
import { EventsErrors } from '../generated/errors.js';

/** "Rules per event bus: 300" (eb-quota; 100 in a few regions, not modelled). */
export const MAX_RULES_PER_BUS = 300;

export const invalidPattern = (reason: string): ServiceError =>
  EventsErrors.InvalidEventPatternException(`Event pattern is not valid. Reason: ${reason}`);

/**
 * Rules an AWS service manages (ManagedBy) are changed only through that service: PutRule,
 * DeleteRule, Enable/DisableRule, PutTargets and RemoveTargets refuse them with
 * ManagedRuleException (the message is amiwatch's: AWS's text is not recorded).
 */
export function refuseManaged(rule: RuleEntry | undefined): void {
  if (rule?.doc.managedBy !== undefined) {
    throw EventsErrors.ManagedRuleException(`Rule ${rule.doc.name} is managed by ${rule.doc.managedBy} and cannot be changed directly.`);
  }
}

export function requireRule(bus: BusEntry, name: string): RuleEntry {
  const rule = bus.rules.get(name);
  if (!rule) throw EventsErrors.ResourceNotFoundException(`Rule ${name} does not exist on EventBus ${bus.doc.name}.`);
  return rule;
}

export class EventRules {
  constructor(
    private readonly state: EventsState,
    private readonly clock: Clock,
  ) {}

  putRule(ctx: RequestContext, input: PutRuleRequest): Promise<PutRuleResponse> {
    return this.state.exclusive(async () => {
      const bus = requireBus(this.state, ctx, input.EventBusName);
      const name = input.Name!;
      if (input.EventPattern === undefined && input.ScheduleExpression === undefined) {
        throw EventsErrors.ValidationException('Parameter(s) EventPattern or ScheduleExpression must be specified.');
      }
      if (input.EventPattern !== undefined) {
        const reason = check(input.EventPattern);
        if (reason !== null) throw invalidPattern(reason);
      }
      if (input.ScheduleExpression !== undefined) {
        parseSchedule(input.ScheduleExpression);
        // "Scheduled rules are supported only on the default event bus" (eb-create-rule-schedule).
        if (bus.doc.name !== DEFAULT_BUS) {
          throw EventsErrors.ValidationException('ScheduleExpression is supported only on the default event bus.');
        }
      }
      const existing = bus.rules.get(name);
      refuseManaged(existing);
      if (!existing && bus.rules.size >= MAX_RULES_PER_BUS) {
        throw EventsErrors.LimitExceededException('The requested resource exceeds the maximum number allowed.');
      }
      // PutRule replaces the rule's definition (unset members are cleared, as AWS does) but keeps
      // its targets; tags are only set on creation ("Tags ... apply only when you create a rule").
      const doc: RuleDoc = {
        name,
        arn: ruleArn(ctx.region, ctx.accountId, bus.doc.name, name),
        account: ctx.accountId,
        region: ctx.region,
        busName: bus.doc.name,
        state: (input.State as RuleStateName | undefined) ?? 'ENABLED',
        createdBy: existing?.doc.createdBy ?? ctx.accountId,
        tags: existing ? existing.doc.tags : (input.Tags ?? []),
        targets: existing?.doc.targets ?? [],
        createdAt: existing?.doc.createdAt ?? this.clock.now(),
        ...(input.EventPattern !== undefined && { eventPattern: input.EventPattern }),
        ...(input.ScheduleExpression !== undefined && { scheduleExpression: input.ScheduleExpression }),
        ...(input.Description !== undefined && { description: input.Description }),
        ...(input.RoleArn !== undefined && { roleArn: input.RoleArn }),
      };
      await this.state.commit({ putRules: [doc] });
      return { RuleArn: doc.arn };
    });
  }

  async describeRule(ctx: RequestContext, input: DescribeRuleRequest): Promise<DescribeRuleResponse> {
    const bus = requireBus(this.state, ctx, input.EventBusName);
    const rule = requireRule(bus, input.Name!);
    return { ...toApi(rule.doc), CreatedBy: rule.doc.createdBy };
  }

  async listRules(ctx: RequestContext, input: ListRulesRequest): Promise<ListRulesResponse> {
    const bus = requireBus(this.state, ctx, input.EventBusName);
    const rules = [...bus.rules.values()]
      .map((r) => r.doc)
      .filter((d) => input.NamePrefix === undefined || d.name.startsWith(input.NamePrefix))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const page = paginate(rules, (d) => d.name, input.Limit, input.NextToken);
    return { Rules: page.items.map(toApi), ...(page.nextToken && { NextToken: page.nextToken }) };
  }

  deleteRule(ctx: RequestContext, input: DeleteRuleRequest): Promise<Record<string, never>> {
    return this.state.exclusive(async () => {
      const bus = requireBus(this.state, ctx, input.EventBusName);
      const rule = bus.rules.get(input.Name!);
      // Deleting a rule that does not exist succeeds, as on AWS.
      if (!rule) return {};
      refuseManaged(rule);
      if (rule.doc.targets.length > 0 && !input.Force) {
        throw EventsErrors.ValidationException("Rule can't be deleted since it has targets.");
      }
      await this.state.commit({ deleteRules: [rule.doc] });
      return {};
    });
  }

  enableRule(ctx: RequestContext, input: EnableRuleRequest): Promise<Record<string, never>> {
    return this.setState(ctx, input, 'ENABLED');
  }

  disableRule(ctx: RequestContext, input: DisableRuleRequest): Promise<Record<string, never>> {
    return this.setState(ctx, input, 'DISABLED');
  }

  private setState(ctx: RequestContext, input: EnableRuleRequest, state: RuleStateName): Promise<Record<string, never>> {
    return this.state.exclusive(async () => {
      const bus = requireBus(this.state, ctx, input.EventBusName);
      const rule = requireRule(bus, input.Name!);
      refuseManaged(rule);
      if (rule.doc.state !== state) await this.state.commit({ putRules: [{ ...rule.doc, state }] });
      return {};
    });
  }
}

export function toApi(doc: RuleDoc): Rule {
  return {
    Name: doc.name,
    Arn: doc.arn,
    ...(doc.eventPattern !== undefined && { EventPattern: doc.eventPattern }),
    ...(doc.scheduleExpression !== undefined && { ScheduleExpression: doc.scheduleExpression }),
    State: doc.state,
    ...(doc.description !== undefined && { Description: doc.description }),
    ...(doc.roleArn !== undefined && { RoleArn: doc.roleArn }),
    ...(doc.managedBy !== undefined && { ManagedBy: doc.managedBy }),
    EventBusName: doc.busName,
  };
}
