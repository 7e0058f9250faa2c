import type {
  CreateEventBusRequest,
  CreateEventBusResponse,
  DeleteEventBusRequest,
  DescribeEventBusRequest,
  DescribeEventBusResponse,
  EventBus,
  ListEventBusesRequest,
  ListEventBusesResponse,
  UpdateEventBusRequest,
  UpdateEventBusResponse,
} from '@aws-sdk/client-eventbridge';
import type { Clock } from '../shared/clock.js';
import type { RequestContext } from '../shared/request-context.js';
import type { ServiceError } from '../shared/service-error.js';
import type { BusEntry, EventsState } from './events-state.js';
import type { BusDoc } from './model.js';
import { DEFAULT_BUS, busArn, resolveOwnBus } from './names.js';
import { paginate } from './paging.js';
import { EventsErrors } from '../generated/errors.js';

/** "Event buses per account: 100" (eb-quota). */
export const MAX_BUSES = 100;

export const notFoundBus = (name: string): ServiceError => EventsErrors.ResourceNotFoundException(`Event bus ${name} does not exist.`);

export function requireBus(state: EventsState, ctx: RequestContext, nameOrArn: string | undefined): BusEntry {
  const ref = resolveOwnBus(ctx, nameOrArn);
  const bus = state.bus(ref.account, ref.region, ref.name);
  if (!bus) throw notFoundBus(ref.name);
  return bus;
}

export class EventBuses {
  constructor(
    private readonly state: EventsState,
    private readonly clock: Clock,
  ) {}

  createEventBus(ctx: RequestContext, input: CreateEventBusRequest): Promise<CreateEventBusResponse> {
    return this.state.exclusive(async () => {
      const name = input.Name!;
      if (this.state.bus(ctx.accountId, ctx.region, name)) {
        throw EventsErrors.ResourceAlreadyExistsException(`Event bus ${name} already exists.`);
      }
      // Partner buses must be named after their event source; amiwatch has no partner sources.
      if (input.EventSourceName !== undefined || name.startsWith('aws.partner/')) {
        throw EventsErrors.ResourceNotFoundException(`Event source ${input.EventSourceName ?? name} does not exist.`);
      }
      if (name.includes('/')) throw EventsErrors.ValidationException(`Event bus name must not contain '/'.`);
      if (this.state.busesOf(ctx.accountId, ctx.region).length >= MAX_BUSES) {
        throw EventsErrors.LimitExceededException('The requested resource exceeds the maximum number allowed.');
      }
      const now = this.clock.now();
      const doc: BusDoc = {
        name,
        arn: busArn(ctx.region, ctx.accountId, name),
        account: ctx.accountId,
        region: ctx.region,
        tags: input.Tags ?? [],
        createdAt: now,
        updatedAt: now,
        ...(input.Description !== undefined && { description: input.Description }),
        ...(input.KmsKeyIdentifier !== undefined && { kmsKeyIdentifier: input.KmsKeyIdentifier }),
        ...(input.DeadLetterConfig !== undefined && { deadLetterConfig: input.DeadLetterConfig }),
      };
      await this.state.commit({ putBus: doc });
      return {
        EventBusArn: doc.arn,
        ...(doc.description !== undefined && { Description: doc.description }),
        ...(doc.kmsKeyIdentifier !== undefined && { KmsKeyIdentifier: doc.kmsKeyIdentifier }),
        ...(doc.deadLetterConfig !== undefined && { DeadLetterConfig: doc.deadLetterConfig }),
      };
    });
  }

  deleteEventBus(ctx: RequestContext, input: DeleteEventBusRequest): Promise<Record<string, never>> {
    return this.state.exclusive(async () => {
      const name = input.Name!;
      if (name === DEFAULT_BUS) throw EventsErrors.ValidationException('Cannot delete event bus default.');
      const bus = this.state.bus(ctx.accountId, ctx.region, name);
      // AWS answers 200 for a bus that does not exist.
      if (bus) await this.state.commit({ deleteBus: bus.doc, deleteRules: [...bus.rules.values()].map((r) => r.doc) });
      return {};
    });
  }

  async describeEventBus(ctx: RequestContext, input: DescribeEventBusRequest): Promise<DescribeEventBusResponse> {
    const bus = requireBus(this.state, ctx, input.Name);
    return toApi(bus.doc, true);
  }

  async listEventBuses(ctx: RequestContext, input: ListEventBusesRequest): Promise<ListEventBusesResponse> {
    const all = this.state
      .busesOf(ctx.accountId, ctx.region)
      .filter((b) => input.NamePrefix === undefined || b.doc.name.startsWith(input.NamePrefix));
    const page = paginate(all, (b) => b.doc.name, input.Limit, input.NextToken);
    return { EventBuses: page.items.map((b) => toApi(b.doc, true)), ...(page.nextToken && { NextToken: page.nextToken }) };
  }

  updateEventBus(ctx: RequestContext, input: UpdateEventBusRequest): Promise<UpdateEventBusResponse> {
    return this.state.exclusive(async () => {
      const bus = requireBus(this.state, ctx, input.Name);
      const doc: BusDoc = { ...bus.doc, updatedAt: this.clock.now() };
      if (input.Description !== undefined) doc.description = input.Description;
      if (input.KmsKeyIdentifier !== undefined) doc.kmsKeyIdentifier = input.KmsKeyIdentifier;
      if (input.DeadLetterConfig !== undefined) doc.deadLetterConfig = input.DeadLetterConfig;
      await this.state.commit({ putBus: doc });
      return {
        Arn: doc.arn,
        Name: doc.name,
        ...(doc.description !== undefined && { Description: doc.description }),
        ...(doc.kmsKeyIdentifier !== undefined && { KmsKeyIdentifier: doc.kmsKeyIdentifier }),
        ...(doc.deadLetterConfig !== undefined && { DeadLetterConfig: doc.deadLetterConfig }),
      };
    });
  }
}

function toApi(doc: BusDoc, withTimes: boolean): EventBus & { Policy?: string } {
  return {
    Name: doc.name,
    Arn: doc.arn,
    ...(doc.description !== undefined && { Description: doc.description }),
    ...(doc.kmsKeyIdentifier !== undefined && { KmsKeyIdentifier: doc.kmsKeyIdentifier }),
    ...(doc.deadLetterConfig !== undefined && { DeadLetterConfig: doc.deadLetterConfig }),
    ...(doc.policy !== undefined && { Policy: JSON.stringify(doc.policy) }),
    ...(withTimes && { CreationTime: new Date(doc.createdAt), LastModifiedTime: new Date(doc.updatedAt) }),
  };
}
