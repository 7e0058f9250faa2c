import { createHash } from 'node:crypto';
import type { MessageDoc, QueueDoc } from './model.js';
import { SqsErrors } from '../generated/errors.js';

/**
 * FIFO queues (SQS developer guide, "FIFO queue key terms", "Exactly-once processing"; SendMessage
 * API reference): every message names a message group, messages of one group are received in send
 * order and never two receives at once, and a message whose deduplication id was seen in the last
 * 5 minutes is accepted but not delivered again.
 */
export const DEDUP_WINDOW_MS = 5 * 60_000;

/** The attributes a FIFO queue has whether set or not (CreateQueue API reference defaults). */
export const FIFO_DEFAULTS: Readonly<Record<string, string>> = {
  FifoQueue: 'true',
  ContentBasedDeduplication: 'false',
  DeduplicationScope: 'queue',
  FifoThroughputLimit: 'perQueue',
};

/** Attributes only a FIFO queue has: a standard queue does not know them (InvalidAttributeName). */
export const FIFO_ONLY = ['ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit'] as const;

export const isFifo = (doc: QueueDoc): boolean => doc.attributes.FifoQueue === 'true';

// "MessageGroupId … can contain alphanumeric characters (a-z, A-Z, 0-9) and punctuation
// (!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~)", at most 128 characters; MessageDeduplicationId the same.
const TOKEN = /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/;

export interface FifoSendInput {
  readonly MessageGroupId?: string | undefined;
  readonly MessageDeduplicationId?: string | undefined;
  readonly DelaySeconds?: number | undefined;
  readonly MessageBody?: string | undefined;
}

/** Where a message sits in FIFO order: its group and the id that deduplicates it. */
export interface FifoIds {
  readonly groupId?: string;
  readonly dedupId?: string;
}

/**
 * SendMessage's FIFO rules, texts as SQS gives them: a group id is required on a FIFO queue
 * (MissingParameter), a deduplication id unless ContentBasedDeduplication (then the SHA-256 of the
 * body), no per-message DelaySeconds other than 0; a deduplication id is refused on a standard
 * queue. A group id on a standard queue is accepted (fair queues) and kept.
 */
export function checkFifoSend(doc: QueueDoc, input: FifoSendInput): FifoIds {
  const group = input.MessageGroupId;
  const dedup = input.MessageDeduplicationId;
  if (group !== undefined) checkToken('MessageGroupId', group);
  if (dedup !== undefined) checkToken('MessageDeduplicationId', dedup);
  if (!isFifo(doc)) {
    if (dedup !== undefined) throw notForQueueType('MessageDeduplicationId', dedup);
    return group !== undefined ? { groupId: group } : {};
  }
  if (group === undefined) throw SqsErrors.MissingParameter('The request must contain the parameter MessageGroupId.');
  if (input.DelaySeconds !== undefined && input.DelaySeconds !== 0) throw notForQueueType('DelaySeconds', String(input.DelaySeconds));
  if (dedup !== undefined) return { groupId: group, dedupId: dedup };
  if (doc.attributes.ContentBasedDeduplication !== 'true') {
    throw SqsErrors.InvalidParameterValue(
      'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    );
  }
  return { groupId: group, dedupId: contentDedupId(input.MessageBody ?? '') };
}

/** ContentBasedDeduplication: "a SHA-256 hash … using the body of the message (but not the attributes)". */
export const contentDedupId = (body: string): string => createHash('sha256').update(body, 'utf8').digest('hex');

function checkToken(name: string, value: string): void {
  if (!TOKEN.test(value)) {
    throw SqsErrors.InvalidParameterValue(
      `Value ${value} for parameter ${name} is invalid. Reason: ${name} can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
    );
  }
}

const notForQueueType = (name: string, value: string) =>
  SqsErrors.InvalidParameterValue(
    `Value ${value} for parameter ${name} is invalid. Reason: The request include parameter that is not valid for this queue type.`,
  );

/** The key a deduplication id is remembered under: per queue, or per group (DeduplicationScope messageGroup). */
export function dedupKey(doc: QueueDoc, ids: FifoIds): string | undefined {
  if (ids.dedupId === undefined) return undefined;
  return doc.attributes.DeduplicationScope === 'messageGroup' ? `${ids.groupId ?? ''}\u0000${ids.dedupId}` : ids.dedupId;
}

/**
 * Which of a FIFO queue's messages a receive may take, in order: a group is locked while any of
 * its messages is in flight or not yet visible ahead of the others (order within the group holds),
 * and a receive takes as many messages of a group as it can before the next group ("Amazon SQS
 * returns as many messages with the same message group ID as possible").
 */
export function fifoCandidates(messages: Iterable<MessageDoc>, now: number): MessageDoc[] {
  const locked = new Set<string>();
  const byGroup = new Map<string, MessageDoc[]>();
  for (const m of messages) {
    const g = m.groupId ?? '';
    if (locked.has(g)) continue;
    if (m.visibleAt > now) {
      // In flight: the whole group waits. Still delayed: the group stops here, those before it may go.
      locked.add(g);
      if (m.receiveCount > 0) byGroup.delete(g);
      continue;
    }
    const list = byGroup.get(g);
    if (list) list.push(m);
    else byGroup.set(g, [m]);
  }
  return [...byGroup.values()].flat();
}
