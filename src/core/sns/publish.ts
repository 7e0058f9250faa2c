import type { PublishBatchInput, PublishBatchResponse, PublishInput, PublishResponse } from '@aws-sdk/client-sns';
import { parseArn } from '../shared/arn.js';
import type { Clock } from '../shared/clock.js';
import type { Random } from '../shared/random.js';
import type { RequestContext } from '../shared/request-context.js';
import { serviceMay, type ServiceCaller } from '../shared/resource-access.js';
import { policyStatements } from '../shared/resource-policy.js';
import { isServiceError } from '../shared/service-error.js';
import { topicPolicy } from './topic-access.js';
import type { SnsEndpoints } from './endpoints.js';
import { SequenceNumbers } from '../shared/sequence-numbers.js';
import { checkFifoPublish, isFifoTopic } from './fifo-topic.js';
import { FilterIndex } from './filter-index.js';
import type { Notification, SnsAttributeValue, SubscriptionDoc, TopicDoc } from './model.js';
import type { PushTarget } from './push/push-model.js';
import type { SnsState } from './sns-state.js';
import { SnsErrors } from '../generated/errors.js';
import type { MobilePush } from './push/mobile-push.js';
import { checkRegion } from './push/push-access.js';
import { checkPushPayload } from './push/push-payload.js';
import { messageFor } from './message-format.js';

const MAX_BYTES = 262_144;

interface PublishRequest {
  readonly Message?: string | undefined;
  readonly Subject?: string | undefined;
  readonly MessageStructure?: string | undefined;
  readonly MessageGroupId?: string | undefined;
  readonly MessageDeduplicationId?: string | undefined;
  readonly MessageAttributes?:
    | Readonly<
        Record<string, { DataType?: string | undefined; StringValue?: string | undefined; BinaryValue?: Uint8Array | string | undefined }>
      >
    | undefined;
}

/** Publish / PublishBatch: validate, build the Notification, fan out to matching subscriptions. */
export class Publisher {
  constructor(
    private readonly state: SnsState,
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly endpoints: SnsEndpoints,
    private readonly push: MobilePush,
    private readonly onPublished: (topicArn: string) => void = () => {},
  ) {}

  async publish(ctx: RequestContext, input: PublishInput): Promise<PublishResponse> {
    if (input.PhoneNumber !== undefined || (input.TargetArn && parseArn(input.TargetArn)?.resource.startsWith('endpoint/'))) {
      return this.direct(input, ctx);
    }
    const param = input.TopicArn !== undefined ? 'TopicArn' : 'TargetArn';
    const topic = this.state.topicFor(ctx, input.TopicArn ?? input.TargetArn, 'Publish', param);
    const n = await this.toTopic(topic, input);
    return { MessageId: n.messageId, ...(n.sequenceNumber !== undefined && { SequenceNumber: n.sequenceNumber }) };
  }

  private readonly sequence = new SequenceNumbers();

  /**
   * Builds and fans out one message. On a FIFO topic a deduplication id seen within 5 minutes is
   * "accepted successfully but not delivered": the first message's ids come back, nothing is sent.
   */
  private async toTopic(topic: TopicDoc, input: PublishRequest): Promise<Notification> {
    const built = this.build(topic.arn, input);
    const ids = checkFifoPublish(topic, input);
    if (!isFifoTopic(topic)) {
      const n = ids.groupId !== undefined ? { ...built, groupId: ids.groupId } : built;
      await this.fanOut(topic, n);
      return n;
    }
    const now = this.clock.now();
    const seen = this.state.seen(topic.arn, ids.dedupId!, now);
    if (seen) return { ...built, messageId: seen.messageId, sequenceNumber: seen.sequenceNumber };
    const n: Notification = { ...built, groupId: ids.groupId!, dedupId: ids.dedupId!, sequenceNumber: this.sequence.next(now) };
    await this.state.remember({
      topicArn: topic.arn,
      dedupId: n.dedupId!,
      messageId: n.messageId,
      sequenceNumber: n.sequenceNumber!,
      at: now,
    });
    await this.fanOut(topic, n);
    return n;
  }

  async publishBatch(ctx: RequestContext, input: PublishBatchInput): Promise<PublishBatchResponse> {
    // PublishBatch is authorized as SNS:Publish (its IAM action).
    const topic = this.state.topicFor(ctx, input.TopicArn, 'Publish');
    const entries = input.PublishBatchRequestEntries ?? [];
    if (entries.length === 0) throw SnsErrors.EmptyBatchRequest("The batch request doesn't contain any entries.");
    if (entries.length > 10) throw SnsErrors.TooManyEntriesInBatchRequest('The batch request contains more entries than permissible.');
    const ids = new Set(entries.map((e) => e.Id));
    if (ids.size !== entries.length) throw SnsErrors.BatchEntryIdsNotDistinct('Two or more batch entries in the request have the same Id.');
    const out = {
      Successful: [] as NonNullable<PublishBatchResponse['Successful']>,
      Failed: [] as NonNullable<PublishBatchResponse['Failed']>,
    };
    for (const e of entries) {
      try {
        const n = await this.toTopic(topic, e);
        out.Successful.push({
          Id: e.Id,
          MessageId: n.messageId,
          ...(n.sequenceNumber !== undefined && { SequenceNumber: n.sequenceNumber }),
        });
      } catch (err) {
        if (!isServiceError(err)) throw err;
        out.Failed.push({ Id: e.Id, Code: err.code, Message: err.message, SenderFault: err.fault === 'Sender' });
      }
    }
    return out;
  }

  /**
   * EventBridge's SNS target: the (transformed) event as the Message, no Subject (as AWS delivers it: email subscribers see the raw event JSON).
   * A rule of another account publishes only as far as the topic's policy lets events.amazonaws.com in.
   */
  async publishEvent(topicArn: string, message: string, from?: ServiceCaller): Promise<string> {
    const topic = this.state.topic(topicArn);
    if (from && !serviceMay(from, topic, { action: 'SNS:Publish', policy: policyStatements(topicPolicy(topic)) })) {
      throw SnsErrors.AuthorizationError(
        `User: ${from.service ?? `arn:aws:iam::${from.sourceAccount}:root`} is not authorized to perform: SNS:Publish on resource: ${topic.arn} (the topic policy does not allow ${from.sourceArn}).`,
      );
    }
    const n = this.build(topic.arn, { Message: message });
    await this.fanOut(topic, n);
    return n.messageId;
  }

  /**
   * Publish to a phone number or to a platform endpoint (TargetArn). An endpoint that does not
   * exist, is disabled, or whose application is disabled is refused in AWS's words; an opted-out
   * number is accepted and not sent to (the number's owner said STOP).
   */
  private async direct(input: PublishInput, ctx: RequestContext): Promise<PublishResponse> {
    const sms = input.PhoneNumber !== undefined;
    const endpoint = sms ? input.PhoneNumber! : input.TargetArn!;
    if (sms) checkSms(endpoint, input.Message);
    const push = sms ? undefined : this.pushTarget(ctx, endpoint);
    const built = this.build(endpoint, input);
    if (push) checkPushPayload(push.platform, messageFor(built, push.platform));
    const n = push ? { ...built, push } : built;
    if (sms && this.push.sms.isOptedOut(ctx.accountId, ctx.region, endpoint)) return { MessageId: n.messageId };
    const sub: SubscriptionDoc = {
      arn: endpoint,
      topicArn: '',
      account: ctx.accountId,
      protocol: sms ? 'sms' : 'application',
      endpoint,
      confirmed: true,
      attributes: {},
      createdAt: n.timestamp,
    };
    const topic: TopicDoc = {
      name: '',
      arn: '',
      account: ctx.accountId,
      region: ctx.region,
      attributes: {},
      tags: {},
      createdAt: n.timestamp,
    };
    await this.endpoints.deliver([sub], topic, n);
    return { MessageId: n.messageId };
  }

  private pushTarget(ctx: RequestContext, endpointArn: string): PushTarget {
    checkRegion(ctx, endpointArn, 'TargetArn');
    const found = this.push.lookup(endpointArn);
    if (found.kind === 'missing')
      throw SnsErrors.InvalidParameter('Invalid parameter: TargetArn Reason: No endpoint found for the target arn specified');
    if (found.account !== ctx.accountId)
      throw SnsErrors.AuthorizationError(
        `User: arn:aws:iam::${ctx.accountId}:root is not authorized to perform: SNS:Publish on resource: ${endpointArn}`,
      );
    if (found.kind === 'disabled') throw SnsErrors.EndpointDisabled('Endpoint is disabled');
    if (found.kind === 'application-disabled') throw SnsErrors.PlatformApplicationDisabled('Platform application is disabled');
    return found.target;
  }

  private build(topicArn: string, input: PublishRequest): Notification {
    const message = input.Message;
    if (message === undefined || message.length === 0) throw SnsErrors.InvalidParameter('Invalid parameter: Empty message');
    const attributes = checkAttributes(input.MessageAttributes ?? {});
    let size = Buffer.byteLength(message);
    for (const [k, v] of Object.entries(attributes))
      size += Buffer.byteLength(k) + Buffer.byteLength(v.DataType) + Buffer.byteLength(v.StringValue ?? v.BinaryValue ?? '');
    if (size > MAX_BYTES) throw SnsErrors.InvalidParameter('Invalid parameter: Message too long');
    const subject = input.Subject;
    if (subject !== undefined && (subject.length === 0 || subject.length > 100 || /[\r\n]/.test(subject))) {
      throw SnsErrors.InvalidParameter('Invalid parameter: Subject');
    }
    let perProtocol: Record<string, string> | undefined;
    if (input.MessageStructure !== undefined) {
      if (input.MessageStructure !== 'json') throw SnsErrors.InvalidParameter('Invalid parameter: MessageStructure');
      perProtocol = parseStructure(message);
    }
    return {
      messageId: this.random.uuid(),
      topicArn,
      message,
      ...(perProtocol && { perProtocol }),
      ...(subject !== undefined && { subject }),
      attributes,
      timestamp: this.clock.now(),
    };
  }

  private readonly filters = new FilterIndex();

  private async fanOut(topic: TopicDoc, n: Notification): Promise<void> {
    this.onPublished(topic.arn);
    const subs = this.filters.passing(
      topic.arn,
      this.state.subscriptionsOf(topic.arn).filter((s) => s.confirmed),
      n,
    );
    // Subscribers that get the topic's notification as it is go out together (one queue write);
    // a push subscriber gets it with its endpoint's platform and token.
    const plain: SubscriptionDoc[] = [];
    const sends: Promise<void>[] = [];
    for (const s of subs) {
      const delivered = this.forSubscriber(topic, s, n);
      if (delivered === n) plain.push(s);
      else if (delivered) sends.push(this.endpoints.deliver([s], topic, delivered));
    }
    if (plain.length > 0) sends.push(this.endpoints.deliver(plain, topic, n));
    await Promise.all(sends);
  }

  /**
   * What one subscriber gets, or null when it is skipped: an `application` subscription whose
   * endpoint was deleted or is disabled (or its application), an `sms` one whose number opted out.
   */
  private forSubscriber(topic: TopicDoc, s: SubscriptionDoc, n: Notification): Notification | null {
    if (s.protocol === 'sms') return this.push.sms.isOptedOut(topic.account, topic.region, s.endpoint) ? null : n;
    if (s.protocol !== 'application') return n;
    const found = this.push.lookup(s.endpoint);
    return found.kind === 'ok' ? { ...n, push: found.target } : null;
  }
}

/**
 * SMS: "phone numbers … in E.164 format" (a plus sign, then at most 15 digits), and "the size of
 * a single SMS message … up to 1,600 characters" (sms_publish-to-phone). The first text is AWS's;
 * the second is ours, worded as Publish's other size error.
 */
function checkSms(phone: string, message: string | undefined): void {
  if (!/^\+[1-9]\d{1,14}$/.test(phone))
    throw SnsErrors.InvalidParameter(`Invalid parameter: PhoneNumber Reason: ${phone} is not valid to publish to`);
  if (message !== undefined && [...message].length > 1600) throw SnsErrors.InvalidParameter('Invalid parameter: Message too long');
}

function parseStructure(message: string): Record<string, string> {
  let doc: unknown;
  try {
    doc = JSON.parse(message);
  } catch {
    throw SnsErrors.InvalidParameter('Invalid parameter: Message Structure - JSON message body failed to parse');
  }
  if (doc === null || typeof doc !== 'object' || typeof (doc as Record<string, unknown>).default !== 'string') {
    throw SnsErrors.InvalidParameter('Invalid parameter: Message Structure - No default entry in JSON message body');
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(doc as Record<string, unknown>)) if (typeof v === 'string') out[k] = v;
  return out;
}

function checkAttributes(attrs: NonNullable<PublishRequest['MessageAttributes']>): Record<string, SnsAttributeValue> {
  const out: Record<string, SnsAttributeValue> = {};
  const entries = Object.entries(attrs);
  if (entries.length > 10)
    throw SnsErrors.InvalidParameter('Invalid parameter: Number of message attributes exceeds the allowed maximum [10].');
  for (const [name, v] of entries) {
    const bad = (why: string) => SnsErrors.ParameterValueInvalid(`The message attribute '${name}' ${why}`);
    if (!v.DataType) throw bad('must contain non-empty message attribute type.');
    if (!/^(String|Number|Binary)(\..+)?$/.test(v.DataType))
      throw bad(`has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
    if (v.DataType.startsWith('Binary')) {
      if (v.BinaryValue === undefined) throw bad("with type 'Binary' must use field 'Binary'.");
      out[name] = {
        DataType: v.DataType,
        BinaryValue: typeof v.BinaryValue === 'string' ? v.BinaryValue : Buffer.from(v.BinaryValue).toString('base64'),
      };
      continue;
    }
    if (v.StringValue === undefined)
      throw bad(`must contain non-empty message attribute value for message attribute type '${v.DataType.split('.')[0]}'.`);
    if (v.DataType.startsWith('Number') && !Number.isFinite(Number(v.StringValue)))
      throw bad(`has invalid value ${v.StringValue} for type Number.`);
    if (v.DataType === 'String.Array') {
      let arr: unknown;
      try {
        arr = JSON.parse(v.StringValue);
      } catch {
        arr = null;
      }
      // Any JSON value but an object: an array, or one value such as "100" (SNS accepts both).
      if (arr === null ? v.StringValue.trim() !== 'null' : typeof arr === 'object' && !Array.isArray(arr))
        throw bad('has an invalid value for type String.Array.');
    }
    out[name] = { DataType: v.DataType, StringValue: v.StringValue };
  }
  return out;
}
