import type {
  CreateEventSourceMappingRequest,
  DeleteEventSourceMappingRequest,
  EventSourceMappingConfiguration,
  GetEventSourceMappingRequest,
  ListEventSourceMappingsRequest,
  ListEventSourceMappingsResponse,
  UpdateEventSourceMappingRequest,
} from '@aws-sdk/client-lambda';
import type { Store } from '../../storage/store.js';
import type { Clock } from '../shared/clock.js';
import type { Random } from '../shared/random.js';
import type { RequestContext } from '../shared/request-context.js';
import { LambdaErrors } from '../generated/errors.js';
import { loadFollowing } from '../shared/follow.js';
import { conflict, invalidParameter } from './errors.js';
import { checkMapping, type MappingSettings, type QueueFacts } from './mapping-settings.js';
import type { LambdaFunctions } from './lambda-service.js';

/** A mapping as stored (resource kind `lambda.esm`, keyed by UUID). */
export interface MappingDoc extends MappingSettings {
  readonly uuid: string;
  readonly accountId: string;
  readonly region: string;
  /** The function (qualified when the mapping names a version or alias). */
  readonly functionArn: string;
  readonly eventSourceArn: string;
  readonly lastModified: number;
  readonly lastProcessingResult: string;
}

const KIND = 'lambda.esm';

/**
 * Create/Get/Update/Delete/ListEventSourceMappings for SQS queues. The mappings are resource
 * documents of the store (memory or SQLite, or JetStream on a cluster), loaded at start and
 * followed on a cluster; the poller (src/delivery/lambda-sqs/) reads `enabled()`.
 */
/** A queue's facts as account `accountId` may read them; 'denied' when SQS refuses that account. */
export type QueueLookup = (arn: string, accountId: string) => Promise<QueueFacts | 'denied' | undefined>;

export class EventSourceMappings {
  private readonly docs = new Map<string, MappingDoc>();

  private constructor(private readonly o: { store: Store; functions: LambdaFunctions; clock: Clock; random: Random; queue: QueueLookup }) {}

  static async open(o: {
    store: Store;
    functions: LambdaFunctions;
    clock: Clock;
    random: Random;
    queue: QueueLookup;
  }): Promise<EventSourceMappings> {
    const m = new EventSourceMappings(o);
    // On a cluster a mapping created, changed or deleted through another node is followed (the
    // Store's watch): every node's poller sees it without a restart, and the poll lease
    // (sqs-poller.ts) lets one node at a time poll it.
    await loadFollowing(
      o.store,
      [KIND],
      async () => {
        for (const r of await o.store.loadResources(KIND)) m.docs.set(r.key, JSON.parse(r.doc) as MappingDoc);
      },
      (c) => (c.doc === null ? m.docs.delete(c.key) : m.docs.set(c.key, JSON.parse(c.doc) as MappingDoc)),
    );
    return m;
  }

  /** The enabled mappings, for the poller. */
  enabled(): MappingDoc[] {
    return [...this.docs.values()].filter((d) => d.enabled);
  }

  get(uuid: string): MappingDoc | undefined {
    return this.docs.get(uuid);
  }

  async createEventSourceMapping(ctx: RequestContext, input: CreateEventSourceMappingRequest): Promise<EventSourceMappingConfiguration> {
    const resolved = await this.o.functions.resolved(ctx, input.FunctionName ?? '', undefined, 'CreateEventSourceMapping');
    const source = input.EventSourceArn ?? '';
    if (!source.startsWith('arn:aws:sqs:'))
      throw invalidParameter(`amiwatch maps SQS queues only: ${source || 'EventSourceArn'} is not an SQS queue ARN.`);
    // The queue is looked up as the caller: SQS's own access check decides whether another
    // account's queue may be read (its queue policy), as the execution role's permissions do on AWS.
    const queue = await this.o.queue(source, ctx.accountId);
    if (queue === 'denied') throw invalidParameter('The provided execution role does not have permissions to call ReceiveMessage on SQS');
    if (!queue)
      throw invalidParameter(
        'Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist for this wsdl version.',
      );
    const functionArn =
      resolved.qualifier === '$LATEST' && !(input.FunctionName ?? '').endsWith(':$LATEST')
        ? resolved.latest.arn
        : `${resolved.latest.arn}:${resolved.qualifier}`;
    const same = [...this.docs.values()].find((d) => d.eventSourceArn === source && d.functionArn === functionArn);
    if (same) {
      throw conflict(
        `An event source mapping with SQS arn (" ${source} ") and function (" ${resolved.latest.name} ") already exists. Please update or delete the existing mapping with UUID ${same.uuid}`,
      );
    }
    const settings = checkMapping(input, undefined, queue, resolved.run.timeoutSeconds);
    const doc: MappingDoc = {
      ...settings,
      uuid: this.o.random.uuid(),
      accountId: resolved.latest.accountId,
      region: resolved.latest.region,
      functionArn,
      eventSourceArn: source,
      lastModified: this.o.clock.now(),
      lastProcessingResult: 'No records processed',
    };
    await this.save(doc);
    return view(doc, 'Creating');
  }

  async getEventSourceMapping(ctx: RequestContext, input: GetEventSourceMappingRequest): Promise<EventSourceMappingConfiguration> {
    const d = this.find(ctx, input.UUID);
    return view(d, d.enabled ? 'Enabled' : 'Disabled');
  }

  async updateEventSourceMapping(ctx: RequestContext, input: UpdateEventSourceMappingRequest): Promise<EventSourceMappingConfiguration> {
    const d = this.find(ctx, input.UUID);
    let functionArn = d.functionArn;
    let timeout = (await this.o.functions.resolved(ctx, d.functionArn, undefined, 'UpdateEventSourceMapping')).run.timeoutSeconds;
    if (input.FunctionName !== undefined) {
      const r = await this.o.functions.resolved(ctx, input.FunctionName, undefined, 'UpdateEventSourceMapping');
      functionArn = r.qualifier === '$LATEST' ? r.latest.arn : `${r.latest.arn}:${r.qualifier}`;
      timeout = r.run.timeoutSeconds;
    }
    const found = await this.o.queue(d.eventSourceArn, d.accountId);
    const queue = (found === 'denied' ? undefined : found) ?? { visibilityTimeoutSeconds: Infinity, fifo: false };
    const next: MappingDoc = { ...d, ...checkMapping(input, d, queue, timeout), functionArn, lastModified: this.o.clock.now() };
    await this.save(next);
    return view(next, 'Updating');
  }

  async deleteEventSourceMapping(ctx: RequestContext, input: DeleteEventSourceMappingRequest): Promise<EventSourceMappingConfiguration> {
    const d = this.find(ctx, input.UUID);
    await this.o.store.writeResources([{ kind: KIND, key: d.uuid, doc: null }]);
    this.docs.delete(d.uuid);
    return view(d, 'Deleting');
  }

  async listEventSourceMappings(ctx: RequestContext, input: ListEventSourceMappingsRequest): Promise<ListEventSourceMappingsResponse> {
    let fn: string | undefined;
    if (input.FunctionName !== undefined) {
      const r = await this.o.functions.resolved(ctx, input.FunctionName, undefined, 'ListEventSourceMappings');
      fn = r.latest.arn;
    }
    const max = input.MaxItems ?? 100;
    if (!Number.isInteger(max) || max < 1 || max > 10_000) {
      throw LambdaErrors.ValidationException(
        `1 validation error detected: Value '${max}' at 'maxItems' failed to satisfy constraint: Member must have value ${max > 10_000 ? 'less than or equal to 10000' : 'greater than or equal to 1'}`,
      );
    }
    const all = [...this.docs.values()]
      .filter((d) => d.accountId === ctx.accountId && d.region === ctx.region)
      .filter((d) => input.EventSourceArn === undefined || d.eventSourceArn === input.EventSourceArn)
      .filter((d) => fn === undefined || d.functionArn === fn || d.functionArn.startsWith(`${fn}:`))
      .sort((a, b) => a.lastModified - b.lastModified || (a.uuid < b.uuid ? -1 : 1));
    const start = input.Marker ? all.findIndex((d) => d.uuid === input.Marker) + 1 : 0;
    const page = all.slice(start, start + Math.min(max, 100));
    const more = start + page.length < all.length;
    return {
      EventSourceMappings: page.map((d) => view(d, d.enabled ? 'Enabled' : 'Disabled')),
      ...(more && { NextMarker: page[page.length - 1]!.uuid }),
    };
  }

  /** Records what the poller last saw (GetEventSourceMapping's LastProcessingResult). */
  async noteResult(uuid: string, result: string): Promise<void> {
    const d = this.docs.get(uuid);
    if (!d || d.lastProcessingResult === result) return;
    await this.save({ ...d, lastProcessingResult: result });
  }

  private find(ctx: RequestContext, uuid: string | undefined): MappingDoc {
    const d = uuid ? this.docs.get(uuid) : undefined;
    if (!d || d.accountId !== ctx.accountId || d.region !== ctx.region)
      throw LambdaErrors.ResourceNotFoundException('The resource you requested does not exist.');
    return d;
  }

  private async save(doc: MappingDoc): Promise<void> {
    await this.o.store.writeResources([{ kind: KIND, key: doc.uuid, doc: JSON.stringify(doc) }]);
    this.docs.set(doc.uuid, doc);
  }
}

function view(d: MappingDoc, state: string): EventSourceMappingConfiguration {
  return {
    UUID: d.uuid,
    BatchSize: d.batchSize,
    MaximumBatchingWindowInSeconds: d.maximumBatchingWindowInSeconds,
    EventSourceArn: d.eventSourceArn,
    FunctionArn: d.functionArn,
    LastModified: new Date(d.lastModified),
    LastProcessingResult: d.lastProcessingResult,
    State: state,
    StateTransitionReason: 'USER_INITIATED',
    FunctionResponseTypes: d.reportBatchItemFailures ? ['ReportBatchItemFailures'] : [],
    ...(d.maximumConcurrency !== undefined && { ScalingConfig: { MaximumConcurrency: d.maximumConcurrency } }),
    EventSourceMappingArn: `arn:aws:lambda:${d.region}:${d.accountId}:event-source-mapping:${d.uuid}`,
  };
}
