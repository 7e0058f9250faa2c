import type {
  CreateQueueRequest,
  CreateQueueResult,
  DeleteQueueRequest,
  GetQueueAttributesRequest,
  GetQueueAttributesResult,
  GetQueueUrlRequest,
  GetQueueUrlResult,
  ListDeadLetterSourceQueuesRequest,
  ListDeadLetterSourceQueuesResult,
  ListQueuesRequest,
  ListQueuesResult,
  ListQueueTagsRequest,
  ListQueueTagsResult,
  PurgeQueueRequest,
  SetQueueAttributesRequest,
  TagQueueRequest,
  UntagQueueRequest,
} from '@aws-sdk/client-sqs';
import type { Store } from '../../storage/store.js';
import type { Clock } from '../shared/clock.js';
import type { Random } from '../shared/random.js';
import type { RequestContext } from '../shared/request-context.js';
import { ownedBy } from '../shared/resource-access.js';
import { SqsMessages } from './messages.js';
import { DEFAULT_ATTRIBUTES } from './model.js';
import { MessageMoveTasks } from './move-tasks.js';
import { authorizeQueue } from './queue-access.js';
import { QueuePermissions } from './queue-permissions.js';
import { FIFO_DEFAULTS, isFifo } from './fifo.js';
import { allAttributes, checkAttributes, checkFifoAttributes, pick, redriveOf } from './queue-attributes.js';
import { arnFromUrl, checkQueueName, nameFromArn, queueArn } from './queue-names.js';
import { ReceiveAttempts } from './receive-attempts.js';
import { SqsState, type QueueEntry } from './sqs-state.js';
import { SqsErrors } from '../generated/errors.js';

const MAX_TAGS = 50;

/** PurgeQueue: "the message deletion process takes up to 60 seconds", one purge per queue in that time. */
const PURGE_INTERVAL_MS = 60_000;

/** "If you delete a queue, you must wait at least 60 seconds before creating a queue with the same name" (CreateQueue). */
const NAME_REUSE_MS = 60_000;

export interface SqsServiceOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly random: Random;
  /** Base of queue URLs, e.g. `http://127.0.0.1:4566` (known once the listener is up). */
  readonly endpoint: () => string;
  /** Told of a move task's step that failed to commit (it is retried). */
  readonly onError?: (err: unknown) => void;
}

/**
 * SQS queues (CreateQueue … PurgeQueue, tags, ListDeadLetterSourceQueues). Messages are in
 * `messages` (SqsMessages), DLQ redrive in `moveTasks`; other services (SNS subscriptions,
 * EventBridge targets, DLQs) send through `sendToArn`.
 */
export class SqsService {
  readonly messages: SqsMessages;
  readonly moveTasks: MessageMoveTasks;
  /** AddPermission / RemovePermission. */
  readonly permissions: QueuePermissions;
  /** When each deleted queue (by ARN) went, for QueueDeletedRecently; memory only, like AWS's short window. */
  private readonly deletedAt = new Map<string, number>();

  private constructor(
    private readonly state: SqsState,
    attempts: ReceiveAttempts,
    private readonly o: SqsServiceOptions,
  ) {
    this.messages = new SqsMessages(state, o.clock, o.random, (url, ctx, operation) => this.entryByUrl(url, ctx, operation), attempts);
    this.moveTasks = new MessageMoveTasks(
      state,
      o.clock,
      o.random,
      (q, ctx, operation) => authorizeQueue(ctx, q, operation, (arn) => this.queueUrl(arn)),
      o.onError,
    );
    this.permissions = new QueuePermissions(state, o.clock, (url, ctx, operation) => this.entryByUrl(url, ctx, operation));
  }

  /** Loads the queues; move tasks that were RUNNING when the server stopped go on. */
  static async open(o: SqsServiceOptions): Promise<SqsService> {
    const service = new SqsService(await SqsState.load(o.store, o.random), await ReceiveAttempts.load(o.store), o);
    service.moveTasks.resume();
    return service;
  }

  queueUrl(arn: string): string {
    const n = nameFromArn(arn);
    return `${this.o.endpoint()}/${n?.account ?? ''}/${n?.name ?? ''}`;
  }

  exists(arn: string): boolean {
    return this.state.queues.has(arn);
  }

  /** A queue's Policy attribute (undefined: none, or no such queue). */
  policyOf(arn: string): string | undefined {
    return this.state.queues.get(arn)?.doc.attributes.Policy;
  }

  /** The queue a request names, if the caller may do `operation` on it (queue-access.ts). */
  private entryByUrl(url: string | undefined, ctx: RequestContext, operation: string): QueueEntry {
    return authorizeQueue(ctx, this.state.queue(arnFromUrl(url, ctx)), operation, (arn) => this.queueUrl(arn));
  }

  async createQueue(ctx: RequestContext, input: CreateQueueRequest): Promise<CreateQueueResult> {
    const name = checkQueueName(input.QueueName);
    const attributes = checkAttributes(input.Attributes, this.state.queues);
    if (name.endsWith('.fifo') !== (attributes.FifoQueue === 'true')) {
      throw SqsErrors.InvalidParameterValue(
        'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.',
      );
    }
    if (attributes.FifoQueue === 'false') delete attributes.FifoQueue;
    checkFifoAttributes(attributes, name.endsWith('.fifo'));
    // A dead-letter queue is of its source's type (SQS developer guide, dead-letter queues).
    this.checkDlqType(attributes, name.endsWith('.fifo'));
    const arn = queueArn(ctx, name);
    const deleted = this.deletedAt.get(arn);
    if (deleted !== undefined && this.o.clock.now() - deleted < NAME_REUSE_MS) {
      throw SqsErrors.QueueDeletedRecently(
        `Queue ${name} was deleted less than 60 seconds ago; wait before creating a queue with its name.`,
      );
    }
    const existing = this.state.queues.get(arn);
    if (existing) {
      // Same name, same attributes: idempotent; QueueNameExists "only if the request includes attributes
      // whose values differ from those of the existing queue" — an attribute never set has its default.
      const differs = Object.keys(attributes).filter(
        (k) => (existing.doc.attributes[k] ?? DEFAULT_ATTRIBUTES[k] ?? FIFO_DEFAULTS[k] ?? '') !== attributes[k],
      );
      if (differs.length > 0)
        throw SqsErrors.QueueNameExists(
          'A queue already exists with the same name and a different value for attribute(s) ' + differs.join(', '),
        );
      return { QueueUrl: this.queueUrl(arn) };
    }
    const now = this.o.clock.now();
    await this.state.putQueue({
      name,
      arn,
      account: ctx.accountId,
      region: ctx.region,
      attributes,
      tags: { ...(input.tags ?? {}) },
      createdAt: now,
      updatedAt: now,
    });
    return { QueueUrl: this.queueUrl(arn) };
  }

  async getQueueUrl(ctx: RequestContext, input: GetQueueUrlRequest): Promise<GetQueueUrlResult> {
    const name = input.QueueName;
    if (!name) throw SqsErrors.MissingParameter('The request must contain the parameter QueueName.');
    const account = input.QueueOwnerAWSAccountId ?? ctx.accountId;
    const q = this.state.queue(queueArn({ region: ctx.region, accountId: account }, name));
    authorizeQueue(ctx, q, 'GetQueueUrl', (arn) => this.queueUrl(arn));
    return { QueueUrl: this.queueUrl(q.doc.arn) };
  }

  async listQueues(ctx: RequestContext, input: ListQueuesRequest): Promise<ListQueuesResult> {
    const prefix = input.QueueNamePrefix ?? '';
    const all = [...this.state.queues.values()]
      .filter((q) => ownedBy(ctx, q.doc) && q.doc.name.startsWith(prefix))
      .map((q) => q.doc.arn)
      .sort();
    const { urls, next } = this.page(all, input);
    return { ...(urls.length > 0 && { QueueUrls: urls }), ...(next && { NextToken: next }) };
  }

  /**
   * A page of queue ARNs as URLs. Both list calls page the same way: a NextToken only when
   * MaxResults was given (ListQueues API reference), naming the last ARN returned.
   */
  private page(
    all: readonly string[],
    input: { MaxResults?: number | undefined; NextToken?: string | undefined },
  ): { urls: string[]; next?: string } {
    const max = input.MaxResults ?? 1000;
    if (!Number.isInteger(max) || max < 1 || max > 1000)
      throw SqsErrors.InvalidParameterValue('Value for parameter MaxResults is invalid. Reason: must be between 1 and 1000.');
    const after = input.NextToken ? Buffer.from(input.NextToken, 'base64').toString('utf8') : null;
    const found = after === null ? 0 : all.findIndex((a) => a > after);
    const start = found < 0 ? all.length : found;
    const page = all.slice(start, start + max);
    const more = input.MaxResults !== undefined && start + max < all.length;
    return { urls: page.map((a) => this.queueUrl(a)), ...(more && { next: Buffer.from(page[page.length - 1]!).toString('base64') }) };
  }

  async deleteQueue(ctx: RequestContext, input: DeleteQueueRequest): Promise<void> {
    const q = this.entryByUrl(input.QueueUrl, ctx, 'DeleteQueue');
    await this.state.deleteQueue(q);
    const now = this.o.clock.now();
    this.deletedAt.set(q.doc.arn, now);
    // Forget names whose 60 seconds are over, so the map stays as small as the recent deletions.
    for (const [arn, at] of this.deletedAt) if (now - at >= NAME_REUSE_MS) this.deletedAt.delete(arn);
  }

  async getQueueAttributes(ctx: RequestContext, input: GetQueueAttributesRequest): Promise<GetQueueAttributesResult> {
    const q = this.entryByUrl(input.QueueUrl, ctx, 'GetQueueAttributes');
    const attrs = pick(allAttributes(q, this.o.clock.now()), input.AttributeNames);
    return Object.keys(attrs).length > 0 ? { Attributes: attrs } : {};
  }

  async setQueueAttributes(ctx: RequestContext, input: SetQueueAttributesRequest): Promise<void> {
    const q = this.entryByUrl(input.QueueUrl, ctx, 'SetQueueAttributes');
    const attrs = checkAttributes(input.Attributes, this.state.queues);
    if ('FifoQueue' in attrs) throw SqsErrors.InvalidAttributeName('Unknown Attribute FifoQueue.');
    const merged = { ...q.doc.attributes, ...attrs };
    // An empty Policy or RedrivePolicy removes it (SetQueueAttributes: "To remove … set it to an empty string").
    for (const k of ['Policy', 'RedrivePolicy', 'RedriveAllowPolicy']) if (merged[k] === '') delete merged[k];
    checkFifoAttributes({ ...attrs, ...(isFifo(q.doc) && merged) }, isFifo(q.doc));
    this.checkDlqType(attrs, isFifo(q.doc));
    await this.state.putQueue({ ...q.doc, attributes: merged, updatedAt: this.o.clock.now() });
  }

  /** "The dead-letter queue of a FIFO queue must also be a FIFO queue", and a standard one's standard. */
  private checkDlqType(attrs: Readonly<Record<string, string>>, fifo: boolean): void {
    const v = attrs.RedrivePolicy;
    if (!v) return;
    const dlq = redriveOf({ attributes: { RedrivePolicy: v } });
    if (dlq && dlq.deadLetterTargetArn.endsWith('.fifo') !== fifo) {
      throw SqsErrors.InvalidParameterValue(
        `Value ${v} for parameter RedrivePolicy is invalid. Reason: Dead-letter target must be of the same type (FIFO or standard) as the source queue.`,
      );
    }
  }

  /**
   * One purge per queue per 60 seconds: another within that time is PurgeQueueInProgress (PurgeQueue
   * API reference), HTTP 403 as the SQS service model gives it.
   */
  async purgeQueue(ctx: RequestContext, input: PurgeQueueRequest): Promise<void> {
    const q = this.entryByUrl(input.QueueUrl, ctx, 'PurgeQueue');
    const now = this.o.clock.now();
    if (q.purgedAt !== undefined && now - q.purgedAt < PURGE_INTERVAL_MS) {
      throw SqsErrors.PurgeQueueInProgress(`Queue ${q.doc.name} was purged less than 60 seconds ago.`, 403);
    }
    q.purgedAt = now;
    await this.state.update(q, [], [...q.messages.values()]);
  }

  /** "You can add up to 50 tags to a queue" (sqs-queue-tags); no tags at all is a missing parameter. */
  async tagQueue(ctx: RequestContext, input: TagQueueRequest): Promise<void> {
    const q = this.entryByUrl(input.QueueUrl, ctx, 'TagQueue');
    if (!input.Tags || Object.keys(input.Tags).length === 0)
      throw SqsErrors.MissingParameter('The request must contain the parameter Tags.');
    const tags = { ...q.doc.tags, ...input.Tags };
    if (Object.keys(tags).length > MAX_TAGS) throw SqsErrors.InvalidParameterValue(`Too many tags added for queue ${q.doc.name}.`);
    await this.state.putQueue({ ...q.doc, tags });
  }

  async untagQueue(ctx: RequestContext, input: UntagQueueRequest): Promise<void> {
    const q = this.entryByUrl(input.QueueUrl, ctx, 'UntagQueue');
    if (!input.TagKeys || input.TagKeys.length === 0) throw SqsErrors.MissingParameter('The request must contain the parameter TagKeys.');
    const tags = { ...q.doc.tags };
    for (const k of input.TagKeys ?? []) delete tags[k];
    await this.state.putQueue({ ...q.doc, tags });
  }

  async listQueueTags(ctx: RequestContext, input: ListQueueTagsRequest): Promise<ListQueueTagsResult> {
    const q = this.entryByUrl(input.QueueUrl, ctx, 'ListQueueTags');
    return Object.keys(q.doc.tags).length > 0 ? { Tags: { ...q.doc.tags } } : {};
  }

  /** The queues whose RedrivePolicy names this one as their dead-letter queue. */
  async listDeadLetterSourceQueues(
    ctx: RequestContext,
    input: ListDeadLetterSourceQueuesRequest,
  ): Promise<ListDeadLetterSourceQueuesResult> {
    const dlq = this.entryByUrl(input.QueueUrl, ctx, 'ListDeadLetterSourceQueues');
    const all = [...this.state.queues.values()]
      // Source queues of other accounts may name this DLQ; the caller sees its own only.
      .filter((q) => redriveOf(q.doc)?.deadLetterTargetArn === dlq.doc.arn && ownedBy(ctx, q.doc))
      .map((q) => q.doc.arn)
      .sort();
    const { urls, next } = this.page(all, input);
    return { queueUrls: urls, ...(next && { NextToken: next }) };
  }

  /** Ends every long poll at once and stops the move tasks (server shutdown; they resume at the next start). */
  async close(): Promise<void> {
    for (const q of this.state.queues.values()) for (const w of [...q.waiters]) w();
    await this.moveTasks.stop();
  }
}
