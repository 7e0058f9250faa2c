import { FIFO_DEFAULTS, FIFO_ONLY, isFifo } from './fifo.js';
import { DEFAULT_ATTRIBUTES, SETTABLE, type QueueDoc } from './model.js';
import type { QueueEntry } from './sqs-state.js';
import { SqsErrors } from '../generated/errors.js';

/** Validates attributes for CreateQueue/SetQueueAttributes; returns them as stored. */
export function checkAttributes(
  attrs: Readonly<Record<string, string>> | undefined,
  queues: ReadonlyMap<string, QueueEntry>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (!(name in SETTABLE)) throw SqsErrors.InvalidAttributeName(`Unknown Attribute ${name}.`);
    const range = SETTABLE[name];
    if (range) {
      const n = Number(value);
      if (!/^\d+$/.test(value) || n < range[0] || n > range[1])
        throw SqsErrors.InvalidAttributeValue(`Invalid value for the parameter ${name}.`);
    }
    if (name === 'RedrivePolicy' && value !== '') checkRedrive(value, queues);
    if (name === 'Policy' && value !== '') parseJson(value, name);
    out[name] = ENUMS[name] ? checkEnum(name, value, ENUMS[name]) : value;
  }
  return out;
}

/** The FIFO attributes' values (CreateQueue API reference); booleans in any casing, kept lower-case. */
const ENUMS: Readonly<Record<string, readonly string[]>> = {
  FifoQueue: ['true', 'false'],
  ContentBasedDeduplication: ['true', 'false'],
  SqsManagedSseEnabled: ['true', 'false'],
  DeduplicationScope: ['messageGroup', 'queue'],
  FifoThroughputLimit: ['perQueue', 'perMessageGroupId'],
};

function checkEnum(name: string, value: string, allowed: readonly string[]): string {
  const found = allowed.find((a) => a === value || (a === a.toLowerCase() && a === value.toLowerCase()));
  if (found === undefined) throw SqsErrors.InvalidAttributeValue(`Invalid value for the parameter ${name}.`);
  return found;
}

/**
 * The FIFO rules of a queue's attributes once merged: a standard queue knows no FIFO attribute
 * (InvalidAttributeName, as SQS answers), and "the perMessageGroupId value is allowed only when the
 * value for DeduplicationScope is messageGroup".
 */
export function checkFifoAttributes(merged: Readonly<Record<string, string>>, fifo: boolean): void {
  if (!fifo) {
    const wrong = FIFO_ONLY.find((n) => n in merged);
    if (wrong) throw SqsErrors.InvalidAttributeName(`Unknown Attribute ${wrong}.`);
    return;
  }
  const all = { ...FIFO_DEFAULTS, ...merged };
  if (all.FifoThroughputLimit === 'perMessageGroupId' && all.DeduplicationScope !== 'messageGroup') {
    throw SqsErrors.InvalidAttributeValue(
      'Invalid value for the parameter FifoThroughputLimit. Reason: perMessageGroupId is allowed only when DeduplicationScope is messageGroup.',
    );
  }
}

export interface Redrive {
  readonly deadLetterTargetArn: string;
  readonly maxReceiveCount: number;
}

function checkRedrive(value: string, queues: ReadonlyMap<string, QueueEntry>): Redrive {
  const p = parseJson(value, 'RedrivePolicy') as Partial<Record<string, unknown>>;
  const arn = p.deadLetterTargetArn;
  const max = Number(p.maxReceiveCount);
  if (typeof arn !== 'string' || !Number.isInteger(max) || max < 1 || max > 1000) {
    throw SqsErrors.InvalidParameterValue(
      'Value ' +
        value +
        ' for parameter RedrivePolicy is invalid. Reason: Redrive policy is not a valid JSON map or is missing deadLetterTargetArn or maxReceiveCount (1 to 1000).',
    );
  }
  if (!queues.has(arn))
    throw SqsErrors.InvalidParameterValue(
      `Value ${value} for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.`,
    );
  return { deadLetterTargetArn: arn, maxReceiveCount: max };
}

export function redriveOf(doc: Pick<QueueDoc, 'attributes'>): Redrive | null {
  const v = doc.attributes.RedrivePolicy;
  if (!v) return null;
  try {
    const p = JSON.parse(v) as { deadLetterTargetArn?: string; maxReceiveCount?: number | string };
    return p.deadLetterTargetArn ? { deadLetterTargetArn: p.deadLetterTargetArn, maxReceiveCount: Number(p.maxReceiveCount) } : null;
  } catch {
    return null;
  }
}

function parseJson(value: string, name: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    throw SqsErrors.InvalidAttributeValue(`Invalid value for the parameter ${name}.`);
  }
}

export const intAttr = (doc: QueueDoc, name: string): number => Number(doc.attributes[name] ?? DEFAULT_ATTRIBUTES[name] ?? 0);

/** GetQueueAttributes: the stored ones, the defaults, and the computed counters. */
export function allAttributes(q: QueueEntry, now: number): Record<string, string> {
  let visible = 0;
  let inflight = 0;
  let delayed = 0;
  for (const m of q.messages.values()) {
    if (m.visibleAt <= now) visible++;
    else if (m.receiveCount > 0) inflight++;
    else delayed++;
  }
  const { doc } = q;
  return {
    ...DEFAULT_ATTRIBUTES,
    ...(isFifo(doc) && FIFO_DEFAULTS),
    ...doc.attributes,
    QueueArn: doc.arn,
    ApproximateNumberOfMessages: String(visible),
    ApproximateNumberOfMessagesNotVisible: String(inflight),
    ApproximateNumberOfMessagesDelayed: String(delayed),
    CreatedTimestamp: String(Math.floor(doc.createdAt / 1000)),
    LastModifiedTimestamp: String(Math.floor(doc.updatedAt / 1000)),
  };
}

/** The attributes a request asked for (`All` or names); unknown names are an error, as in AWS. */
export function pick(all: Record<string, string>, names: readonly string[] | undefined): Record<string, string> {
  if (!names || names.length === 0) return {};
  if (names.includes('All')) return all;
  const out: Record<string, string> = {};
  for (const n of names) {
    if (!(n in all) && !(n in SETTABLE)) throw SqsErrors.InvalidAttributeName(`Unknown Attribute ${n}.`);
    if (all[n] !== undefined) out[n] = all[n];
  }
  return out;
}
