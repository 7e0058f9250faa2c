import type { PutPermissionRequest, RemovePermissionRequest } from '@aws-sdk/client-eventbridge';
import type { RequestContext } from '../shared/request-context.js';
import { ServiceError } from '../shared/service-error.js';
import { requireBus } from './buses.js';
import type { EventsState } from './events-state.js';
import type { BusDoc, BusPolicy, PolicyStatement } from './model.js';

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
          throw new ServiceError('ValidationException', 'Parameter(s) Action, Principal, StatementId must be specified.');
        }
        const statement: PolicyStatement = {
          Sid: input.StatementId,
          Effect: 'Allow',
          Principal: input.Principal === '*' ? '*' : { AWS: `arn:aws:iam::${input.Principal}:root` },
          Action: input.Action,
          Resource: bus.doc.arn,
          ...(input.Condition && {
            Condition: { [input.Condition.Type === 'StringEquals' ? 'StringEquals' : input.Condition.Type!]: { [input.Condition.Key!]: input.Condition.Value! } },
          }),
        };
        const others = (bus.doc.policy?.Statement ?? []).filter((s) => s.Sid !== input.StatementId);
        policy = { Version: '2012-10-17', Statement: [...others, statement] };
      }
      if (JSON.stringify(policy).length > MAX_POLICY) {
        throw new ServiceError('PolicyLengthExceededException', 'The event bus policy is too long.');
      }
      await this.state.commit({ putBus: { ...bus.doc, policy } });
      return {};
    });
  }

  removePermission(ctx: RequestContext, input: RemovePermissionRequest): Promise<Record<string, never>> {
    return this.state.exclusive(async () => {
      const bus = requireBus(this.state, ctx, input.EventBusName);
      const { policy: _old, ...rest } = bus.doc;
      if (input.RemoveAllPermissions) {
        await this.state.commit({ putBus: rest });
        return {};
      }
      if (!input.StatementId) throw new ServiceError('ValidationException', 'Parameter StatementId is required.');
      const statements = bus.doc.policy?.Statement ?? [];
      if (!statements.some((s) => s.Sid === input.StatementId)) {
        throw new ServiceError('ResourceNotFoundException', 'Statement with the provided id does not exist.');
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
    throw new ServiceError('ValidationException', 'Parameter Policy is not valid. Reason: Policy is not valid JSON.');
  }
  const p = parsed as Partial<BusPolicy>;
  const list = Array.isArray(p.Statement) ? p.Statement : p.Statement ? [p.Statement] : null;
  if (!list) throw new ServiceError('ValidationException', 'Parameter Policy is not valid. Reason: Policy has no Statement.');
  return { Version: '2012-10-17', Statement: list };
}

const asList = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function principalMatches(p: PolicyStatement['Principal'], account: string): boolean {
  const ids = typeof p === 'string' ? [p] : asList(p.AWS);
  return ids.some((id) => id === '*' || id === account || id === `arn:aws:iam::${account}:root`);
}

const actionMatches = (a: string | string[]): boolean => asList(a).some((x) => x === 'events:PutEvents' || x === 'events:*' || x === '*');

/**
 * Whether `account` may put events on `bus`. The owner always may; others need an Allow
 * statement for events:PutEvents naming them (or `*`) and no Deny. Conditions amiwatch cannot
 * evaluate (there are no organizations here) make a statement not apply.
 */
export function allowsPutEvents(bus: BusDoc, account: string): boolean {
  if (bus.account === account) return true;
  const applicable = (bus.policy?.Statement ?? []).filter(
    (s) => principalMatches(s.Principal, account) && actionMatches(s.Action) && s.Condition === undefined,
  );
  return applicable.some((s) => s.Effect === 'Allow') && !applicable.some((s) => s.Effect === 'Deny');
}
