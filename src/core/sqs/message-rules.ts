import type { MessageAttributeValue, MessageDoc } from './model.js';
import { SqsErrors } from '../generated/errors.js';

interface MessageInput {
  readonly MessageBody?: string | undefined;
  readonly DelaySeconds?: number | undefined;
  readonly MessageAttributes?:
    | Readonly<
        Record<string, { DataType?: string | undefined; StringValue?: string | undefined; BinaryValue?: Uint8Array | string | undefined }>
      >
    | undefined;
  readonly MessageSystemAttributes?:
    | Readonly<Record<string, { DataType?: string | undefined; StringValue?: string | undefined }>>
    | undefined;
}

// Characters SQS accepts in a body (SendMessage API reference): #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF.
const INVALID_CHAR = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** SendMessage's rules: body present, valid characters, size within MaximumMessageSize, ≤10 attributes. */
export function checkMessage(
  input: MessageInput,
  maxSize: number,
): { body: string; attributes: Record<string, MessageAttributeValue>; delaySeconds?: number; traceHeader?: string } {
  const body = input.MessageBody;
  if (body === undefined || body.length === 0) throw SqsErrors.MissingParameter('The request must contain the parameter MessageBody.');
  if (INVALID_CHAR.test(body))
    throw SqsErrors.InvalidMessageContents(
      'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
    );
  const attributes: Record<string, MessageAttributeValue> = {};
  const entries = Object.entries(input.MessageAttributes ?? {});
  if (entries.length > 10)
    throw SqsErrors.InvalidParameterValue('Number of message attributes [' + entries.length + '] exceeds the allowed maximum [10].');
  for (const [name, v] of entries) {
    checkAttributeName(name);
    if (!v.DataType)
      throw SqsErrors.InvalidParameterValue(`The message attribute '${name}' must contain non-empty message attribute type.`);
    if (v.DataType.length > 256)
      throw SqsErrors.InvalidParameterValue(`The type of message attribute '${name}' is longer than 256 characters.`);
    if (!/^(String|Number|Binary)(\..+)?$/.test(v.DataType))
      throw SqsErrors.InvalidParameterValue(
        `The type of message (user) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`,
      );
    if (v.DataType.startsWith('Binary')) {
      if (v.BinaryValue === undefined)
        throw SqsErrors.InvalidParameterValue(`The message attribute '${name}' with type 'Binary' must use field 'Binary'.`);
      const b64 = typeof v.BinaryValue === 'string' ? v.BinaryValue : Buffer.from(v.BinaryValue).toString('base64');
      // Value before type: the order SQS's model declares (and its XML answers) them.
      attributes[name] = { BinaryValue: b64, DataType: v.DataType };
    } else {
      if (v.StringValue === undefined)
        throw SqsErrors.InvalidParameterValue(
          `The message attribute '${name}' with type '${v.DataType.split('.')[0]}' must use field 'String'.`,
        );
      if (v.DataType.startsWith('Number') && !Number.isFinite(Number(v.StringValue)))
        throw SqsErrors.InvalidParameterValue(`Can't cast the value of message (user) attribute '${name}' to a number.`);
      attributes[name] = { StringValue: v.StringValue, DataType: v.DataType };
    }
  }
  if (messageSize(input) > maxSize)
    throw SqsErrors.InvalidParameterValue(`One or more parameters are invalid. Reason: Message must be shorter than ${maxSize} bytes.`);
  const delay = input.DelaySeconds;
  if (delay !== undefined && (!Number.isInteger(delay) || delay < 0 || delay > 900)) {
    throw SqsErrors.InvalidParameterValue(
      `Value ${delay} for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.`,
    );
  }
  const trace = traceHeaderOf(input.MessageSystemAttributes);
  return { body, attributes, ...(delay !== undefined && { delaySeconds: delay }), ...(trace !== undefined && { traceHeader: trace }) };
}

/**
 * MessageSystemAttributes: "Currently, the only supported message system attribute is
 * AWSTraceHeader. Its type must be String" (SendMessage API reference); it comes back as a
 * system attribute on ReceiveMessage.
 */
function traceHeaderOf(system: MessageInput['MessageSystemAttributes']): string | undefined {
  for (const [name, v] of Object.entries(system ?? {})) {
    if (name !== 'AWSTraceHeader') throw SqsErrors.InvalidParameterValue(`Message system attribute name '${name}' is invalid.`);
    if (v.DataType !== 'String' || v.StringValue === undefined)
      throw SqsErrors.InvalidParameterValue("Message (system) attribute 'AWSTraceHeader' must be of type String.");
    return v.StringValue;
  }
  return undefined;
}

/**
 * Message attribute names (SQS developer guide, message metadata; ReceiveMessage API reference):
 * `A-Z a-z 0-9 _ - .`, up to 256 characters, not starting with `AWS.` or `Amazon.` in any
 * casing, no period first, last or twice in a row. The texts are ours: AWS documents none.
 */
function checkAttributeName(name: string): void {
  const reason = !/^[A-Za-z0-9_.-]{1,256}$/.test(name)
    ? 'it must be 1 to 256 of A-Z, a-z, 0-9, underscore, hyphen and period'
    : /^(aws|amazon)\./i.test(name)
      ? 'the prefixes AWS. and Amazon. are reserved'
      : name.startsWith('.') || name.endsWith('.') || name.includes('..')
        ? 'it must not start or end with a period or have two in a row'
        : null;
  if (reason) throw SqsErrors.InvalidParameterValue(`The message attribute name '${name}' is invalid: ${reason}.`);
}

/**
 * A message's size as SQS limits it: the body plus every attribute's name, type and value, in
 * bytes ("All parts of the message attribute, including Name, Type, and Value, are part of the
 * message size restriction", MessageAttributeValue).
 */
export function messageSize(input: MessageInput): number {
  let size = Buffer.byteLength(input.MessageBody ?? '');
  for (const [name, v] of Object.entries(input.MessageAttributes ?? {})) {
    size += Buffer.byteLength(name) + Buffer.byteLength(v.DataType ?? '');
    if (v.DataType?.startsWith('Binary'))
      size += typeof v.BinaryValue === 'string' ? Buffer.from(v.BinaryValue, 'base64').length : (v.BinaryValue?.length ?? 0);
    else size += Buffer.byteLength(v.StringValue ?? '');
  }
  return size;
}

/** SendMessageBatch: "the sum of the individual lengths of all of the batched messages" is at most 1 MiB (API reference). */
export const BATCH_SIZE_LIMIT = 1_048_576;

/** Batch rules shared by the three batch calls (1..10 entries, distinct valid ids). */
export function checkBatch<T extends { Id?: string | undefined }>(entries: readonly T[] | undefined, entryName: string): readonly T[] {
  // The text names the call's own entry type (SendMessageBatchRequestEntry, DeleteMessageBatchRequestEntry, …).
  if (!entries || entries.length === 0) throw SqsErrors.EmptyBatchRequest(`There should be at least one ${entryName} in the request.`);
  if (entries.length > 10)
    throw SqsErrors.TooManyEntriesInBatchRequest(`Maximum number of entries per request are 10. You have sent ${entries.length}.`);
  const ids = new Set<string>();
  for (const e of entries) {
    if (!e.Id || !/^[A-Za-z0-9_-]{1,80}$/.test(e.Id))
      throw SqsErrors.InvalidBatchEntryId(
        'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
      );
    if (ids.has(e.Id)) throw SqsErrors.BatchEntryIdsNotDistinct(`Id ${e.Id} repeated.`);
    ids.add(e.Id);
  }
  return entries;
}

/** Receipt handles name the queue, the message and the receive (a nonce per receive). */
export function encodeReceipt(m: MessageDoc): string {
  return Buffer.from(JSON.stringify([m.queueArn, m.seq, m.receipt ?? ''])).toString('base64');
}

export function decodeReceipt(handle: string | undefined, queueArn: string): { seq: number; nonce: string } {
  if (!handle) throw SqsErrors.MissingParameter('The request must contain the parameter ReceiptHandle.');
  try {
    const [arn, seq, nonce] = JSON.parse(Buffer.from(handle, 'base64').toString('utf8')) as [unknown, unknown, unknown];
    if (arn === queueArn && typeof seq === 'number' && typeof nonce === 'string') return { seq, nonce };
  } catch {
    // falls through to the error
  }
  throw SqsErrors.ReceiptHandleIsInvalid(`The input receipt handle "${handle}" is not a valid receipt handle.`);
}

/** MessageAttributeNames: `All`, `.*`, exact names, or `prefix.*`. */
export function selectAttributes(
  attrs: Readonly<Record<string, MessageAttributeValue>>,
  names: readonly string[] | undefined,
): Record<string, MessageAttributeValue> {
  if (!names || names.length === 0) return {};
  const all = names.includes('All') || names.includes('.*');
  const out: Record<string, MessageAttributeValue> = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (all || names.includes(k) || names.some((n) => n.endsWith('.*') && k.startsWith(n.slice(0, -1)))) out[k] = v;
  }
  return out;
}

/** The system attributes ReceiveMessage returns when asked (`All` or by name). */
export function systemAttributes(m: MessageDoc, names: readonly string[]): Record<string, string> {
  if (names.length === 0) return {};
  const all: Record<string, string> = {
    SenderId: m.senderId ?? '000000000000',
    SentTimestamp: String(m.sentAt),
    ApproximateReceiveCount: String(m.receiveCount),
    ApproximateFirstReceiveTimestamp: String(m.firstReceivedAt ?? m.sentAt),
    ...(m.deadLetterSourceArn && { DeadLetterQueueSourceArn: m.deadLetterSourceArn }),
    ...(m.groupId !== undefined && { MessageGroupId: m.groupId }),
    ...(m.dedupId !== undefined && { MessageDeduplicationId: m.dedupId }),
    ...(m.sequenceNumber !== undefined && { SequenceNumber: m.sequenceNumber }),
    ...(m.traceHeader !== undefined && { AWSTraceHeader: m.traceHeader }),
  };
  if (names.includes('All')) return all;
  const out: Record<string, string> = {};
  for (const n of names) if (all[n] !== undefined) out[n] = all[n];
  return out;
}
