import type { PutPermissionRequest, RemovePermissionRequest } from '@aws-sdk/client-eventbridge';
import type { RequestContext } from '../shared/request-context.js';
import { requireBus } from './buses.js';
import type { EventsState } from './events-state.js';
import type { BusDoc, BusPolicy, PolicyStatement } from './model.js';
import { ORG_ID, type Organizations } from './organizations.js';
import { EventsErrors } from '../generated/errors.js';
import { evaluatePolicy } from '../shared/resource-policy.js';

/** "Event bus policy: 10,240 characters" (eb-quota). */
const MAX_POLICY = 10_240;

/**
 * The event bus resource policy: PutPermission adds a statement (or replaces the whole policy),
 * RemovePermission drops one or all. `allowsPutEvents` enforces it for cross-account PutEvents
 * and for event-bus targets in another account.
 */
export class EventPermissions {
  constructor(private readonly state: EventsState) {}

  putPermission(ctx: RequestContext, input: PutPermissionRequest): Promise<Record<string, never>> {
    return this.state.exclusive(async () => {
      const bus = requireBus(this.state, ctx, input.EventBusName);
      let policy: BusPolicy;
      if (input.Policy !== undefined) {
        policy = parsePolicy(input.Policy);
      } else {
        if (!input.Action || !input.Principal || !input.StatementId) {
          throw EventsErrors.ValidationException('Parameter(s) Action, Principal, StatementId must be specified.');
        }
        // "The action that you are enabling the other account to perform" — events:PutEvents is the
        // only one (PutPermission API reference); AWS refuses any other with this text.
        if (input.Action !== 'events:PutEvents')
          throw EventsErrors.ValidationException("Provided value in parameter 'action' is not supported.");
        if (input.Condition) checkCondition(input.Condition);
        const statement: PolicyStatement = {
          Sid: input.StatementId,
          Effect: 'Allow',
          Principal: input.Principal === '*' ? '*' : { AWS: `arn:aws:iam::${input.Principal}:root` },
          Action: input.Action,
          Resource: bus.doc.arn,
          ...(input.Condition && { Condition: { StringEquals: { [input.Condition.Key!]: input.Condition.Value! } } }),
        };
        const others = (bus.doc.policy?.Statement ?? []).filter((s) => s.Sid !== input.StatementId);
        policy = { Version: '2012-10-17', Statement: [...others, statement] };
      }
      if (JSON.stringify(policy).length > MAX_POLICY) {
        throw EventsErrors.PolicyLengthExceededException('The event bus policy is too long.');
      }
      await this.state.commit({ putBus: { ...bus.doc, policy } });
      return {};
    });
  }

  removePermission(ctx: RequestContext, input: RemovePermissionRequest): Promise<Record<string, never>> {
    return this.state.exclusive(async () => {
      const bus = requireBus(this.state, ctx, input.EventBusName);
      const { policy: _old, ...rest } = bus.doc;
      if (!bus.doc.policy) throw EventsErrors.ResourceNotFoundException('EventBus does not have a policy.');
      if (input.RemoveAllPermissions) {
        await this.state.commit({ putBus: rest });
        return {};
      }
      if (!input.StatementId) throw EventsErrors.ValidationException('Parameter StatementId is required.');
      const statements = bus.doc.policy?.Statement ?? [];
      if (!statements.some((s) => s.Sid === input.StatementId)) {
        throw EventsErrors.ResourceNotFoundException('Statement with the provided id does not exist.');
      }
      const kept = statements.filter((s) => s.Sid !== input.StatementId);
      await this.state.commit({ putBus: kept.length ? { ...rest, policy: { Version: '2012-10-17', Statement: kept } } : rest });
      return {};
    });
  }
}

function parsePolicy(text: string): BusPolicy {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw EventsErrors.ValidationException('Parameter Policy is not valid. Reason: Policy is not valid JSON.');
  }
  const p = parsed as Partial<BusPolicy>;
  const list = Array.isArray(p.Statement) ? p.Statement : p.Statement ? [p.Statement] : null;
  if (!list) throw EventsErrors.ValidationException('Parameter Policy is not valid. Reason: Policy has no Statement.');
  return { Version: '2012-10-17', Statement: list };
}

/**
 * PutPermission's Condition: AWS documents one form only, membership of an organization
 * (`{"Type": "StringEquals", "Key": "aws:PrincipalOrgID", "Value": "o-…"}`); anything else is
 * refused here rather than stored and silently never granting. (A whole `Policy` may use any
 * condition: see policy-conditions.ts.)
 */
function checkCondition(c: NonNullable<PutPermissionRequest['Condition']>): void {
  if (c.Type !== 'StringEquals')
    throw EventsErrors.ValidationException(
      `Parameter Condition.Type is not valid. Reason: the only supported value is StringEquals, got ${c.Type}.`,
    );
  if (c.Key !== 'aws:PrincipalOrgID')
    throw EventsErrors.ValidationException(
      `Parameter Condition.Key is not valid. Reason: the only supported key is aws:PrincipalOrgID, got ${c.Key}.`,
    );
  if (!c.Value || !ORG_ID.test(c.Value))
    throw EventsErrors.ValidationException(
      `Parameter Condition.Value is not valid. Reason: it must be an organization id (o-…), got ${c.Value}.`,
    );
}

/** Who puts an event on a bus, and what the event is: the request a bus policy judges. */
export interface PutEventsRequestFacts {
  readonly account: string;
  readonly source: string;
  readonly detailType: string;
  /** The rule that forwards the event (an event-bus target); absent for PutEvents. */
  readonly ruleArn?: string;
}

/**
 * Whether an account may put this event on `bus`. The owner always may; another account needs an
 * Allow statement for events:PutEvents naming it (or `*`) whose Condition holds, and no Deny
 * statement that applies (policy-conditions.ts evaluates conditions as IAM does).
 */
export function allowsPutEvents(bus: BusDoc, request: PutEventsRequestFacts, organizations: Organizations): boolean {
  if (bus.account === request.account) return true;
  // The same evaluation as every resource policy (resource-policy.ts): principal, action,
  // resource and Condition as IAM reads them; an explicit Deny wins.
  const decision = evaluatePolicy(bus.policy?.Statement ?? [], {
    account: request.account,
    action: 'events:PutEvents',
    resource: bus.arn,
    context: {
      'aws:PrincipalOrgID': organizations.get(request.account),
      'events:source': request.source,
      'events:detail-type': request.detailType,
      'aws:SourceAccount': request.ruleArn === undefined ? undefined : request.account,
      'aws:SourceArn': request.ruleArn,
    },
  });
  return decision === 'allow';
}
