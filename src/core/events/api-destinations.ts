import type {
  ApiDestination,
  CreateApiDestinationRequest,
  CreateApiDestinationResponse,
  DeleteApiDestinationRequest,
  DeleteApiDestinationResponse,
  DescribeApiDestinationRequest,
  DescribeApiDestinationResponse,
  ListApiDestinationsRequest,
  ListApiDestinationsResponse,
  UpdateApiDestinationRequest,
  UpdateApiDestinationResponse,
} from '@aws-sdk/client-eventbridge';
import type { Store } from '../../storage/store.js';
import { formatArn } from '../shared/arn.js';
import type { Clock } from '../shared/clock.js';
import type { Random } from '../shared/random.js';
import type { RequestContext } from '../shared/request-context.js';
import { API_DESTINATION_KIND, DEFAULT_RATE_LIMIT, type ApiDestinationDoc } from './connection-model.js';
import type { EventConnections } from './connections.js';
import { DocCollection } from './doc-collection.js';
import type { EventsState } from './events-state.js';
import { paginate } from './paging.js';
import { EventsErrors } from '../generated/errors.js';

/** AWS's texts name the action: "Failed to describe the api-destination(s). …", "Failed to create …". */
type Action = 'create' | 'describe' | 'update' | 'delete';
const notFound = (action: Action, name: string) =>
  EventsErrors.ResourceNotFoundException(`Failed to ${action} the api-destination(s). An api-destination '${name}' does not exist.`);

/**
 * CreateApiDestination … ListApiDestinations: an HTTP endpoint, its method, the connection that
 * authorizes calls to it, and InvocationRateLimitPerSecond (enforced by the transport: excess
 * calls wait for their turn). ApiDestinationState is ACTIVE.
 */
export class EventApiDestinations {
  private constructor(
    private readonly state: EventsState,
    readonly docs: DocCollection<ApiDestinationDoc>,
    private readonly connections: EventConnections,
    private readonly clock: Clock,
    private readonly random: Random,
  ) {}

  static async open(
    state: EventsState,
    store: Store,
    connections: EventConnections,
    clock: Clock,
    random: Random,
  ): Promise<EventApiDestinations> {
    return new EventApiDestinations(
      state,
      await DocCollection.load(store, API_DESTINATION_KIND, { follow: true }),
      connections,
      clock,
      random,
    );
  }

  createApiDestination(ctx: RequestContext, input: CreateApiDestinationRequest): Promise<CreateApiDestinationResponse> {
    return this.state.exclusive(async () => {
      const name = input.Name!;
      if (this.docs.byName(ctx, name)) throw EventsErrors.ResourceAlreadyExistsException(`An api-destination ${name} already exists.`);
      this.requireConnection(ctx, input.ConnectionArn!);
      checkEndpoint('create', input.InvocationEndpoint!);
      const now = this.clock.now();
      const doc: ApiDestinationDoc = {
        name,
        arn: formatArn({
          service: 'events',
          region: ctx.region,
          account: ctx.accountId,
          resource: `api-destination/${name}/${this.random.uuid()}`,
        }),
        account: ctx.accountId,
        region: ctx.region,
        connectionArn: input.ConnectionArn!,
        endpoint: input.InvocationEndpoint!,
        httpMethod: input.HttpMethod!,
        rateLimitPerSecond: input.InvocationRateLimitPerSecond ?? DEFAULT_RATE_LIMIT,
        createdAt: now,
        modifiedAt: now,
        ...(input.Description !== undefined && { description: input.Description }),
      };
      await this.docs.put(doc);
      return { ApiDestinationArn: doc.arn, ApiDestinationState: 'ACTIVE', CreationTime: new Date(now), LastModifiedTime: new Date(now) };
    });
  }

  async describeApiDestination(ctx: RequestContext, input: DescribeApiDestinationRequest): Promise<DescribeApiDestinationResponse> {
    const doc = this.require(ctx, input.Name!, 'describe');
    return {
      ...toApi(doc),
      ...(doc.description !== undefined && { Description: doc.description }),
    };
  }

  updateApiDestination(ctx: RequestContext, input: UpdateApiDestinationRequest): Promise<UpdateApiDestinationResponse> {
    return this.state.exclusive(async () => {
      const doc = this.require(ctx, input.Name!, 'update');
      if (input.ConnectionArn !== undefined) this.requireConnection(ctx, input.ConnectionArn);
      if (input.InvocationEndpoint !== undefined) checkEndpoint('update', input.InvocationEndpoint);
      const next: ApiDestinationDoc = {
        ...doc,
        modifiedAt: this.clock.now(),
        ...(input.Description !== undefined && { description: input.Description }),
        ...(input.ConnectionArn !== undefined && { connectionArn: input.ConnectionArn }),
        ...(input.InvocationEndpoint !== undefined && { endpoint: input.InvocationEndpoint }),
        ...(input.HttpMethod !== undefined && { httpMethod: input.HttpMethod }),
        ...(input.InvocationRateLimitPerSecond !== undefined && { rateLimitPerSecond: input.InvocationRateLimitPerSecond }),
      };
      await this.docs.put(next);
      return {
        ApiDestinationArn: doc.arn,
        ApiDestinationState: 'ACTIVE',
        CreationTime: new Date(doc.createdAt),
        LastModifiedTime: new Date(next.modifiedAt),
      };
    });
  }

  deleteApiDestination(ctx: RequestContext, input: DeleteApiDestinationRequest): Promise<DeleteApiDestinationResponse> {
    return this.state.exclusive(async () => {
      await this.docs.delete(this.require(ctx, input.Name!, 'delete'));
      return {};
    });
  }

  async listApiDestinations(ctx: RequestContext, input: ListApiDestinationsRequest): Promise<ListApiDestinationsResponse> {
    const mine = this.docs
      .of(ctx)
      .filter((d) => input.NamePrefix === undefined || d.name.startsWith(input.NamePrefix))
      .filter((d) => input.ConnectionArn === undefined || d.connectionArn === input.ConnectionArn);
    const page = paginate(mine, (d) => d.name, input.Limit, input.NextToken);
    return { ApiDestinations: page.items.map(toApi), ...(page.nextToken && { NextToken: page.nextToken }) };
  }

  private require(ctx: RequestContext, name: string, action: Action): ApiDestinationDoc {
    const doc = this.docs.byName(ctx, name);
    if (!doc) throw notFound(action, name);
    return doc;
  }

  private requireConnection(ctx: RequestContext, arn: string): void {
    const conn = this.connections.docs.get(arn);
    if (!conn || conn.account !== ctx.accountId || conn.region !== ctx.region) {
      throw EventsErrors.ResourceNotFoundException(`Connection '${arn}' does not exist.`);
    }
  }
}

/**
 * AWS accepts only HTTPS endpoints on public names ("Failed to create the api-destination(s).
 * Parameter InvocationEndpoint is not valid. Reason: Endpoint '…' is invalid, please provide a
 * valid HTTPS endpoint URL.", recorded from CloudFormation); amiwatch also accepts http:// (a
 * webhook on this machine or the local network is what a self-hosted setup sends to). A `*` in
 * the path is filled from the target's HttpParameters.PathParameterValues.
 */
function checkEndpoint(action: Action, endpoint: string): void {
  let ok = false;
  try {
    const url = new URL(endpoint.replaceAll('*', 'x'));
    ok = url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    ok = false;
  }
  if (!ok) {
    throw EventsErrors.ValidationException(
      `Failed to ${action} the api-destination(s). Parameter InvocationEndpoint is not valid. Reason: Endpoint '${endpoint}' is invalid, please provide a valid HTTPS endpoint URL.`,
    );
  }
}

const toApi = (d: ApiDestinationDoc): ApiDestination => ({
  ApiDestinationArn: d.arn,
  Name: d.name,
  ApiDestinationState: 'ACTIVE',
  ConnectionArn: d.connectionArn,
  InvocationEndpoint: d.endpoint,
  HttpMethod: d.httpMethod as ApiDestination['HttpMethod'],
  InvocationRateLimitPerSecond: d.rateLimitPerSecond,
  CreationTime: new Date(d.createdAt),
  LastModifiedTime: new Date(d.modifiedAt),
});
