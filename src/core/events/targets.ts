import type {
  ListRuleNamesByTargetRequest,
  ListRuleNamesByTargetResponse,
  ListTargetsByRuleRequest,
  ListTargetsByRuleResponse,
  PutTargetsRequest,
  PutTargetsResponse,
  RemoveTargetsRequest,
  RemoveTargetsResponse,
  Target,
} from '@aws-sdk/client-eventbridge';
import type { RequestContext } from '../shared/request-context.js';
import { requireBus } from './buses.js';
import type { EventsState } from './events-state.js';
import { validateTargetInput } from './input-transform.js';
import { isArn } from './names.js';
import { paginate } from './paging.js';
import { refuseManaged, requireRule } from './rules.js';
import { EventsErrors } from '../generated/errors.js';

/** "Each rule can have up to five (5) targets"; PutTargets takes at most 10 per request. */
export const MAX_TARGETS_PER_RULE = 5;
export const MAX_TARGETS_PER_CALL = 10;

const limitExceeded = () => EventsErrors.LimitExceededException('The requested resource exceeds the maximum number allowed.');

export class EventTargets {
  constructor(private readonly state: EventsState) {}

  putTargets(ctx: RequestContext, input: PutTargetsRequest): Promise<PutTargetsResponse> {
    return this.state.exclusive(async () => {
      const bus = requireBus(this.state, ctx, input.EventBusName);
      const rule = requireRule(bus, input.Rule!);
      refuseManaged(rule);
      const incoming = input.Targets ?? [];
      if (incoming.length > MAX_TARGETS_PER_CALL) throw limitExceeded();
      const seen = new Set<string>();
      for (const t of incoming) {
        if (seen.has(t.Id!)) throw EventsErrors.ValidationException(`Target id ${t.Id} is used more than once in the request.`);
        seen.add(t.Id!);
        if (!isArn(t.Arn!))
          throw EventsErrors.ValidationException(`Parameter ${t.Arn} is not valid. Reason: Provided Arn is not in correct format.`);
        validateTargetInput(t);
        // "EventBridge DLQs are standard Amazon SQS queues" (eb-rule-dlq). AWS refuses a FIFO one
        // at PutTargets with this text (recorded from CloudTrail: dev.classmethod.jp, 2025-01).
        if (t.DeadLetterConfig?.Arn?.endsWith('.fifo'))
          throw EventsErrors.ValidationException('SQS FIFO is not supported by Dead Letter Queues.');
        // A FIFO queue target needs its message group (Target.SqsParameters); AWS's text as PutTargets gives it.
        if (/^arn:[^:]+:sqs:/.test(t.Arn!) && t.Arn!.endsWith('.fifo') && !t.SqsParameters?.MessageGroupId) {
          throw EventsErrors.ValidationException(`Parameter(s) SqsParameters must be specified for target: ${t.Id}.`);
        }
      }
      // A target with an existing Id is replaced in place; new Ids are appended.
      const targets: Target[] = rule.doc.targets.map((t) => incoming.find((n) => n.Id === t.Id) ?? t);
      for (const t of incoming) if (!rule.doc.targets.some((o) => o.Id === t.Id)) targets.push(t);
      if (targets.length > MAX_TARGETS_PER_RULE) throw limitExceeded();
      await this.state.commit({ putRules: [{ ...rule.doc, targets }] });
      return { FailedEntryCount: 0, FailedEntries: [] };
    });
  }

  removeTargets(ctx: RequestContext, input: RemoveTargetsRequest): Promise<RemoveTargetsResponse> {
    return this.state.exclusive(async () => {
      const bus = requireBus(this.state, ctx, input.EventBusName);
      const rule = requireRule(bus, input.Rule!);
      refuseManaged(rule);
      const ids = new Set(input.Ids ?? []);
      const targets = rule.doc.targets.filter((t) => !ids.has(t.Id!));
      // Ids the rule does not have are ignored, as on AWS.
      if (targets.length !== rule.doc.targets.length) await this.state.commit({ putRules: [{ ...rule.doc, targets }] });
      return { FailedEntryCount: 0, FailedEntries: [] };
    });
  }

  async listTargetsByRule(ctx: RequestContext, input: ListTargetsByRuleRequest): Promise<ListTargetsByRuleResponse> {
    const bus = requireBus(this.state, ctx, input.EventBusName);
    const rule = requireRule(bus, input.Rule!);
    const sorted = [...rule.doc.targets].sort((a, b) => (a.Id! < b.Id! ? -1 : 1));
    const page = paginate(sorted, (t) => t.Id!, input.Limit, input.NextToken);
    return { Targets: page.items, ...(page.nextToken && { NextToken: page.nextToken }) };
  }

  async listRuleNamesByTarget(ctx: RequestContext, input: ListRuleNamesByTargetRequest): Promise<ListRuleNamesByTargetResponse> {
    const bus = requireBus(this.state, ctx, input.EventBusName);
    const names = [...bus.rules.values()]
      .filter((r) => r.doc.targets.some((t) => t.Arn === input.TargetArn))
      .map((r) => r.doc.name)
      .sort();
    const page = paginate(names, (n) => n, input.Limit, input.NextToken);
    return { RuleNames: page.items, ...(page.nextToken && { NextToken: page.nextToken }) };
  }
}
