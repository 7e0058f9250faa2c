import { createHash } from 'node:crypto';

/**
 * SQS as core keeps it: queue documents (kind `sqs.queue`, keyed by ARN), message documents
 * (kind `sqs.message`, keyed by queue ARN + sequence) and message move tasks (kind
 * `sqs.move-task`, keyed by task id) in the store's keyed state, written through on every change
 * so a restart loses nothing that was acknowledged.
 */
export const SQS_KIND = { queue: 'sqs.queue', message: 'sqs.message', moveTask: 'sqs.move-task', dedup: 'sqs.dedup' } as const;

/**
 * A FIFO queue's memory of a deduplication id (kind `sqs.dedup`, keyed by queue ARN + key): a
 * send with the same id within 5 minutes is accepted and answered with the first message's ids,
 * but not delivered. Kept after the message is deleted, as SQS does, and across a restart.
 */
export interface DedupDoc {
  queueArn: string;
  key: string;
  messageId: string;
  sequenceNumber?: string;
  at: number;
}

export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  /** Base64 on the wire and in storage. */
  BinaryValue?: string;
}

export interface QueueDoc {
  name: string;
  arn: string;
  account: string;
  region: string;
  /** Settable attributes as AWS names them, values as strings. */
  attributes: Record<string, string>;
  tags: Record<string, string>;
  createdAt: number;
  updatedAt: number;
}

export interface MessageDoc {
  queueArn: string;
  seq: number;
  messageId: string;
  body: string;
  md5OfBody: string;
  attributes: Record<string, MessageAttributeValue>;
  md5OfAttributes?: string;
  sentAt: number;
  /** Not receivable before this (DelaySeconds, then each receive's visibility timeout). */
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  /** The latest receive: a visibility timeout may not reach beyond 12 hours after it. */
  receivedAt?: number;
  /** The receipt handle of the latest receive; older handles stop working for visibility changes. */
  receipt?: string;
  senderId?: string;
  /** Set when redriven from another queue. */
  deadLetterSourceArn?: string;
  /** MessageGroupId (FIFO queues; fair standard queues may carry one too). */
  groupId?: string;
  /** MessageDeduplicationId as given or derived from the body (FIFO queues). */
  dedupId?: string;
  /** SequenceNumber (FIFO queues). */
  sequenceNumber?: string;
  /** MessageSystemAttributes.AWSTraceHeader as sent. */
  traceHeader?: string;
}

export type MoveTaskStatus = 'RUNNING' | 'COMPLETED' | 'CANCELLED' | 'FAILED';

/** A message move task (StartMessageMoveTask): a DLQ's messages going back, at most `rate` a second. */
export interface MoveTaskDoc {
  taskId: string;
  sourceArn: string;
  /** Absent: each message goes back to the queue it was dead-lettered from. */
  destinationArn?: string;
  /** MaxNumberOfMessagesPerSecond as asked; absent: as fast as the task can. */
  rate?: number;
  status: MoveTaskStatus;
  failureReason?: string;
  startedAt: number;
  /** Only messages up to this sequence number (those in the DLQ at the start) are moved. */
  lastSeq: number;
  toMove: number;
  moved: number;
}

/**
 * AWS's defaults (CreateQueue / SetQueueAttributes API reference). MaximumMessageSize is 1 MiB
 * since SQS raised its message size limit from 256 KiB (the API reference says so since 2025).
 */
export const DEFAULT_ATTRIBUTES: Readonly<Record<string, string>> = {
  DelaySeconds: '0',
  MaximumMessageSize: '1048576',
  MessageRetentionPeriod: '345600',
  ReceiveMessageWaitTimeSeconds: '0',
  VisibilityTimeout: '30',
  SqsManagedSseEnabled: 'true',
};

/** Settable attributes and their allowed integer ranges (null = free text, validated elsewhere). */
export const SETTABLE: Readonly<Record<string, readonly [number, number] | null>> = {
  DelaySeconds: [0, 900],
  MaximumMessageSize: [1024, 1048576],
  MessageRetentionPeriod: [60, 1209600],
  ReceiveMessageWaitTimeSeconds: [0, 20],
  VisibilityTimeout: [0, 43200],
  Policy: null,
  RedrivePolicy: null,
  RedriveAllowPolicy: null,
  KmsMasterKeyId: null,
  KmsDataKeyReusePeriodSeconds: [60, 86400],
  SqsManagedSseEnabled: null,
  FifoQueue: null,
  ContentBasedDeduplication: null,
  DeduplicationScope: null,
  FifoThroughputLimit: null,
};

export const md5 = (text: string | Buffer): string => createHash('md5').update(text).digest('hex');

/**
 * MD5OfMessageAttributes as SQS computes it (sqs-message-metadata "Calculating the MD5 message
 * digest"): names sorted; per attribute the length-prefixed name, data type, a transport byte
 * (1 string, 2 binary) and the length-prefixed value. The SDK checks it, so it must be exact.
 */
export function md5OfAttributes(attributes: Readonly<Record<string, MessageAttributeValue>>): string | undefined {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const parts: Buffer[] = [];
  const lp = (b: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    parts.push(len, b);
  };
  for (const name of names) {
    const a = attributes[name]!;
    lp(Buffer.from(name, 'utf8'));
    lp(Buffer.from(a.DataType, 'utf8'));
    if (a.BinaryValue !== undefined) {
      parts.push(Buffer.from([2]));
      lp(Buffer.from(a.BinaryValue, 'base64'));
    } else {
      parts.push(Buffer.from([1]));
      lp(Buffer.from(a.StringValue ?? '', 'utf8'));
    }
  }
  return md5(Buffer.concat(parts));
}
