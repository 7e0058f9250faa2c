import type {
  ChangeMessageVisibilityBatchRequest,
  ChangeMessageVisibilityBatchResult,
  ChangeMessageVisibilityRequest,
  DeleteMessageBatchRequest,
  DeleteMessageBatchResult,
  DeleteMessageRequest,
  Message,
  ReceiveMessageRequest,
  ReceiveMessageResult,
  SendMessageBatchRequest,
  SendMessageBatchResult,
  SendMessageRequest,
  SendMessageResult,
} from '@aws-sdk/client-sqs';
import type { Clock } from '../shared/clock.js';
import type { Random } from '../shared/random.js';
import type { RequestContext } from '../shared/request-context.js';
import { serviceMay, type ServiceCaller } from '../shared/resource-access.js';
import { policyStatements } from '../shared/resource-policy.js';
import { isServiceError } from '../shared/service-error.js';
import {
  BATCH_SIZE_LIMIT,
  checkBatch,
  checkMessage,
  decodeReceipt,
  encodeReceipt,
  messageSize,
  selectAttributes,
  systemAttributes,
} from './message-rules.js';
import { checkFifoSend, dedupKey, isFifo, type FifoIds } from './fifo.js';
import { SequenceNumbers } from '../shared/sequence-numbers.js';
import { md5, md5OfAttributes, type MessageAttributeValue, type MessageDoc } from './model.js';
import { intAttr } from './queue-attributes.js';
import { DedupClaims } from './dedup-claims.js';
import { MessageTaker } from './message-taker.js';
import type { QueueEntry, SqsState } from './sqs-state.js';
import { SqsErrors } from '../generated/errors.js';
import { ReceiveAttempts } from './receive-attempts.js';

/** A message stays invisible at most 12 hours after a receive (VisibilityTimeout 0–43,200). */
const MAX_VISIBILITY_S = 43_200;

/** The queue a request names, checked for `operation` (the IAM action's name; batches are authorized as their single form). */
type Resolve = (url: string | undefined, ctx: RequestContext, operation: string) => QueueEntry;

export interface OutgoingMessage {
  readonly body: string;
  readonly attributes?: Readonly<Record<string, MessageAttributeValue>>;
  readonly delaySeconds?: number;
  readonly senderId?: string;
  readonly traceHeader?: string;
  /** FIFO queues: MessageGroupId and MessageDeduplicationId (SNS FIFO topics, EventBridge SqsParameters). */
  readonly groupId?: string;
  readonly dedupId?: string;
}

type NewMessage = Omit<MessageDoc, 'seq' | 'queueArn'>;

/** What a send answers: the stored message, or for a FIFO duplicate the first one's ids. */
interface Sent {
  readonly messageId: string;
  readonly sequenceNumber?: string | undefined;
}

/** SendMessage … ChangeMessageVisibilityBatch, long polling and redrive. */
export class SqsMessages {
  constructor(
    private readonly state: SqsState,
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly resolve: Resolve,
    private readonly attempts: ReceiveAttempts,
  ) {
    this.taker = new MessageTaker(state, clock, random);
    this.dedup = new DedupClaims(state.tokens);
  }

  /** On a cluster: whose send of a deduplication id is the first. */
  private readonly dedup: DedupClaims;

  /** ReceiveMessage's picking (and, on a cluster, claiming) of messages. */
  private readonly taker: MessageTaker;

  /**
   * For other services (SNS, EventBridge targets, DLQs): throws QueueDoesNotExist, or
   * AccessDenied when `from` is another account's rule or topic the queue's policy does not let in.
   */
  async sendToArn(arn: string, message: OutgoingMessage, from?: ServiceCaller): Promise<string> {
    const q = this.state.queue(arn);
    if (from && !serviceMay(from, q.doc, { action: 'sqs:SendMessage', policy: policyStatements(q.doc.attributes.Policy) })) {
      throw SqsErrors.AccessDenied(
        `Access to the resource ${arn} is denied: its policy does not allow ${from.service ?? `account ${from.sourceAccount}`} to sqs:SendMessage for ${from.sourceArn}.`,
      );
    }
    const ids = checkFifoSend(q.doc, {
      MessageGroupId: message.groupId,
      MessageDeduplicationId: message.dedupId,
      MessageBody: message.body,
    });
    const [sent] = await this.enqueue(q, [this.newMessage(q, { ...message, ...ids })]);
    return sent!.messageId;
  }

  /**
   * Stores new messages. On a FIFO queue a deduplication id seen within 5 minutes (or earlier in
   * the same batch) is "accepted successfully but not delivered": it answers with the first
   * message's ids and stores nothing.
   */
  private async enqueue(q: QueueEntry, messages: readonly NewMessage[]): Promise<Sent[]> {
    if (!isFifo(q.doc)) return (await this.state.addMessages(q, [...messages])).map((d) => ({ messageId: d.messageId }));
    const now = this.clock.now();
    const out: (Sent | number)[] = [];
    const fresh: { m: NewMessage; key: string }[] = [];
    const batchKeys = new Map<string, number>();
    for (const m of messages) {
      const key = dedupKey(q.doc, m)!;
      const seen = this.state.seen(q, key, now);
      const inBatch = batchKeys.get(key);
      if (seen) out.push({ messageId: seen.messageId, sequenceNumber: seen.sequenceNumber });
      else if (inBatch !== undefined) out.push(inBatch);
      else {
        batchKeys.set(key, fresh.length);
        out.push(fresh.length);
        fresh.push({ m, key });
      }
    }
    const ids = await this.storeFresh(q, fresh, now);
    return out.map((o) => (typeof o === 'number' ? ids[o]! : o));
  }

  /**
   * Stores FIFO messages whose deduplication ids this node has not seen; the ids of each. On a
   * cluster an id may have been sent through another node in the same instant: that send's ids
   * are answered instead (dedup-claims.ts), and nothing is stored for it.
   */
  private async storeFresh(q: QueueEntry, fresh: { m: NewMessage; key: string }[], now: number): Promise<Sent[]> {
    const claimed = this.dedup.claim(q.doc.arn, fresh);
    const firsts = Array.isArray(claimed) ? claimed : await claimed;
    const kept = fresh.filter((_, i) => firsts[i] === null);
    let docs: MessageDoc[];
    try {
      docs = await this.state.addFifoMessages(q, kept, now);
    } catch (err) {
      await this.dedup.release(q.doc.arn, kept);
      throw err;
    }
    let k = 0;
    return firsts.map((first) => {
      if (first) return first;
      const d = docs[k++]!;
      return { messageId: d.messageId, sequenceNumber: d.sequenceNumber };
    });
  }

  private newMessage(q: QueueEntry, m: OutgoingMessage & FifoIds): NewMessage {
    const now = this.clock.now();
    const attributes = { ...(m.attributes ?? {}) };
    const delay = m.delaySeconds ?? intAttr(q.doc, 'DelaySeconds');
    const md5Attrs = md5OfAttributes(attributes);
    const fifo = isFifo(q.doc);
    return {
      messageId: this.random.uuid(),
      body: m.body,
      md5OfBody: md5(m.body),
      attributes,
      ...(md5Attrs !== undefined && { md5OfAttributes: md5Attrs }),
      sentAt: now,
      visibleAt: now + delay * 1000,
      receiveCount: 0,
      ...(m.senderId !== undefined && { senderId: m.senderId }),
      ...(m.traceHeader !== undefined && { traceHeader: m.traceHeader }),
      ...(m.groupId !== undefined && { groupId: m.groupId }),
      ...(m.dedupId !== undefined && { dedupId: m.dedupId }),
      ...(fifo && { sequenceNumber: this.sequence.next(now) }),
    };
  }

  private readonly sequence = new SequenceNumbers();

  async sendMessage(ctx: RequestContext, input: SendMessageRequest): Promise<SendMessageResult> {
    const q = this.resolve(input.QueueUrl, ctx, 'SendMessage');
    const doc = this.fromRequest(q, input, ctx);
    const [sent] = await this.enqueue(q, [doc]);
    return {
      MessageId: sent!.messageId,
      MD5OfMessageBody: doc.md5OfBody,
      ...(doc.md5OfAttributes && { MD5OfMessageAttributes: doc.md5OfAttributes }),
      ...(sent!.sequenceNumber && { SequenceNumber: sent!.sequenceNumber }),
    };
  }

  /** One SendMessage (or batch entry): the message rules, then the FIFO rules. */
  private fromRequest(
    q: QueueEntry,
    input: Parameters<typeof checkMessage>[0] & Parameters<typeof checkFifoSend>[1],
    ctx: RequestContext,
  ): NewMessage {
    const m = checkMessage(input, intAttr(q.doc, 'MaximumMessageSize'));
    const ids = checkFifoSend(q.doc, input);
    return this.newMessage(q, { ...m, ...ids, senderId: ctx.accountId });
  }

  async sendMessageBatch(ctx: RequestContext, input: SendMessageBatchRequest): Promise<SendMessageBatchResult> {
    const q = this.resolve(input.QueueUrl, ctx, 'SendMessage');
    const entries = checkBatch(input.Entries, 'SendMessageBatchRequestEntry');
    // The whole request fails, not single entries: the limit is on the batch (BatchRequestTooLong).
    const total = entries.reduce((n, e) => n + messageSize(e), 0);
    if (total > BATCH_SIZE_LIMIT)
      throw SqsErrors.BatchRequestTooLong(`Batch requests cannot be longer than ${BATCH_SIZE_LIMIT} bytes. You have sent ${total} bytes.`);
    const ok: { id: string; m: NewMessage }[] = [];
    const failed: SendMessageBatchResult['Failed'] = [];
    for (const e of entries) {
      try {
        ok.push({ id: e.Id!, m: this.fromRequest(q, e, ctx) });
      } catch (err) {
        if (!isServiceError(err)) throw err;
        failed.push({ Id: e.Id, SenderFault: true, Code: err.code, Message: err.message });
      }
    }
    const sent = await this.enqueue(
      q,
      ok.map((o) => o.m),
    );
    return {
      Successful: ok.map(({ id, m }, i) => ({
        Id: id,
        MessageId: sent[i]!.messageId,
        MD5OfMessageBody: m.md5OfBody,
        ...(m.md5OfAttributes && { MD5OfMessageAttributes: m.md5OfAttributes }),
        ...(sent[i]!.sequenceNumber && { SequenceNumber: sent[i]!.sequenceNumber }),
      })),
      Failed: failed,
    };
  }

  async receiveMessage(ctx: RequestContext, input: ReceiveMessageRequest, signal?: { closed: boolean }): Promise<ReceiveMessageResult> {
    const q = this.resolve(input.QueueUrl, ctx, 'ReceiveMessage');
    const max = input.MaxNumberOfMessages ?? 1;
    if (!Number.isInteger(max) || max < 1 || max > 10)
      throw SqsErrors.InvalidParameterValue(
        `Value ${max} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.`,
      );
    const wait = input.WaitTimeSeconds ?? intAttr(q.doc, 'ReceiveMessageWaitTimeSeconds');
    if (wait < 0 || wait > 20)
      throw SqsErrors.InvalidParameterValue(
        `Value ${wait} for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.`,
      );
    const visibility = input.VisibilityTimeout ?? intAttr(q.doc, 'VisibilityTimeout');
    const names = [...(input.AttributeNames ?? []), ...(input.MessageSystemAttributeNames ?? [])];
    // ReceiveRequestAttemptId "applies only to FIFO queues": elsewhere it is ignored.
    const attemptId = isFifo(q.doc) ? input.ReceiveRequestAttemptId : undefined;
    if (attemptId !== undefined) {
      const again = await this.retryAttempt(q, attemptId, visibility);
      if (again) return { Messages: again.map((m) => this.view(m, names, input.MessageAttributeNames)) };
    }
    const deadline = Date.now() + wait * 1000;
    for (;;) {
      const got = await this.taker.take(q, max, visibility);
      if (got.length > 0 || Date.now() >= deadline || signal?.closed || !this.state.queues.has(q.doc.arn)) {
        if (attemptId !== undefined && got.length > 0) {
          const messages = got.map((m) => ({ seq: m.seq, receipt: m.receipt!, visibleAt: m.visibleAt }));
          await this.attempts.remember({ queueArn: q.doc.arn, attemptId, at: this.clock.now(), messages });
        }
        return got.length > 0 ? { Messages: got.map((m) => this.view(m, names, input.MessageAttributeNames)) } : {};
      }
      // Woken by a send, or re-checked every 200 ms (delays and visibility timeouts run out too).
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          q.waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, Math.min(200, Math.max(0, deadline - Date.now())));
        q.waiters.add(done);
      });
    }
  }

  /**
   * A retry of an attempt made within 5 minutes: the same messages with the same receipt handles,
   * their visibility timeout started again ("If a retry occurs within the deduplication interval,
   * it resets the visibility timeout"). A message since deleted or given another visibility (or
   * received again) makes the attempt not retryable, in AWS's words. Undefined: a new attempt.
   */
  private async retryAttempt(q: QueueEntry, attemptId: string, visibility: number): Promise<MessageDoc[] | undefined> {
    const now = this.clock.now();
    const prior = this.attempts.find(q.doc.arn, attemptId, now);
    if (!prior) return undefined;
    const again: MessageDoc[] = [];
    for (const { seq, receipt, visibleAt } of prior.messages) {
      const m = q.messages.get(seq);
      if (!m || m.receipt !== receipt || m.visibleAt !== visibleAt || visibleAt <= now) throw ReceiveAttempts.notRetryable(attemptId);
      again.push({ ...m, visibleAt: now + visibility * 1000 });
    }
    await this.state.update(q, again);
    const messages = again.map((m) => ({ seq: m.seq, receipt: m.receipt!, visibleAt: m.visibleAt }));
    await this.attempts.remember({ ...prior, messages });
    return again;
  }

  private view(m: MessageDoc, attributeNames: readonly string[], messageAttributeNames: readonly string[] | undefined): Message {
    const attrs = selectAttributes(m.attributes, messageAttributeNames);
    const md5Attrs = md5OfAttributes(attrs);
    const sys = systemAttributes(m, attributeNames);
    return {
      MessageId: m.messageId,
      ReceiptHandle: encodeReceipt(m),
      MD5OfBody: m.md5OfBody,
      Body: m.body,
      ...(Object.keys(sys).length > 0 && { Attributes: sys }),
      ...(md5Attrs !== undefined && { MD5OfMessageAttributes: md5Attrs, MessageAttributes: attrs as Message['MessageAttributes'] }),
    };
  }

  async deleteMessage(ctx: RequestContext, input: DeleteMessageRequest): Promise<void> {
    const q = this.resolve(input.QueueUrl, ctx, 'DeleteMessage');
    const r = decodeReceipt(input.ReceiptHandle, q.doc.arn);
    const m = q.messages.get(r.seq);
    // A handle of a message already deleted succeeds (DeleteMessage is idempotent in AWS).
    if (m) await this.state.update(q, [], [m]);
  }

  async deleteMessageBatch(ctx: RequestContext, input: DeleteMessageBatchRequest): Promise<DeleteMessageBatchResult> {
    const q = this.resolve(input.QueueUrl, ctx, 'DeleteMessage');
    const entries = checkBatch(input.Entries, 'DeleteMessageBatchRequestEntry');
    const result = {
      Successful: [] as NonNullable<DeleteMessageBatchResult['Successful']>,
      Failed: [] as NonNullable<DeleteMessageBatchResult['Failed']>,
    };
    const gone: MessageDoc[] = [];
    for (const e of entries) {
      try {
        const m = q.messages.get(decodeReceipt(e.ReceiptHandle, q.doc.arn).seq);
        if (m) gone.push(m);
        result.Successful.push({ Id: e.Id });
      } catch (err) {
        if (!isServiceError(err)) throw err;
        result.Failed.push({ Id: e.Id, SenderFault: true, Code: err.code, Message: err.message });
      }
    }
    await this.state.update(q, [], gone);
    return result;
  }

  async changeMessageVisibility(ctx: RequestContext, input: ChangeMessageVisibilityRequest): Promise<void> {
    const q = this.resolve(input.QueueUrl, ctx, 'ChangeMessageVisibility');
    await this.state.update(q, [this.changed(q, input.ReceiptHandle, input.VisibilityTimeout)]);
  }

  async changeMessageVisibilityBatch(
    ctx: RequestContext,
    input: ChangeMessageVisibilityBatchRequest,
  ): Promise<ChangeMessageVisibilityBatchResult> {
    const q = this.resolve(input.QueueUrl, ctx, 'ChangeMessageVisibility');
    const entries = checkBatch(input.Entries, 'ChangeMessageVisibilityBatchRequestEntry');
    const result = {
      Successful: [] as NonNullable<ChangeMessageVisibilityBatchResult['Successful']>,
      Failed: [] as NonNullable<ChangeMessageVisibilityBatchResult['Failed']>,
    };
    const changed: MessageDoc[] = [];
    for (const e of entries) {
      try {
        changed.push(this.changed(q, e.ReceiptHandle, e.VisibilityTimeout));
        result.Successful.push({ Id: e.Id });
      } catch (err) {
        if (!isServiceError(err)) throw err;
        result.Failed.push({ Id: e.Id, SenderFault: true, Code: err.code, Message: err.message });
      }
    }
    await this.state.update(q, changed);
    return result;
  }

  private changed(q: QueueEntry, handle: string | undefined, timeout: number | undefined): MessageDoc {
    if (timeout === undefined || !Number.isInteger(timeout) || timeout < 0 || timeout > MAX_VISIBILITY_S) {
      throw SqsErrors.InvalidParameterValue(
        `Value ${String(timeout)} for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and 43200, if provided.`,
      );
    }
    const r = decodeReceipt(handle, q.doc.arn);
    const m = q.messages.get(r.seq);
    const now = this.clock.now();
    // Any receipt handle of the message will do while it is in flight, not only the latest: SQS
    // accepts an older one (the handle names the message; the latest receive set its timeout).
    if (!m || m.receiveCount === 0 || m.visibleAt <= now)
      throw SqsErrors.MessageNotInflight('Message does not exist or is not available for visibility timeout change.');
    // "The maximum is 12 hours … If you attempt to set the VisibilityTimeout to a value greater than the
    // maximum time left, Amazon SQS returns an error" (ChangeMessageVisibility): 12 h from the receive.
    const left = m.receivedAt === undefined ? MAX_VISIBILITY_S : Math.floor((m.receivedAt + MAX_VISIBILITY_S * 1000 - now) / 1000);
    if (timeout > left)
      throw SqsErrors.InvalidParameterValue(
        `Value ${timeout} for parameter VisibilityTimeout is invalid. Reason: the message was received ${MAX_VISIBILITY_S - left} seconds ago; at most ${left} seconds are left of its 12 hours.`,
      );
    return { ...m, visibleAt: now + timeout * 1000 };
  }
}
