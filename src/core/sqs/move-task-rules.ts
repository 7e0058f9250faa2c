import type { ListMessageMoveTasksResultEntry } from '@aws-sdk/client-sqs';
import type { ServiceError } from '../shared/service-error.js';
import type { MoveTaskDoc } from './model.js';
import { redriveOf } from './queue-attributes.js';
import type { QueueEntry } from './sqs-state.js';
import { SqsErrors } from '../generated/errors.js';

/** StartMessageMoveTask: "The maximum value for messages per second is 500." */
export const MAX_RATE = 500;

/**
 * The texts AWS answers with (recorded against SQS itself): a missing queue is
 * ResourceNotFoundException naming the parameter, a handle that does not decode is
 * InvalidParameterValue.
 */
export const notFoundFor = (parameter: 'SourceArn' | 'DestinationArn'): ServiceError =>
  SqsErrors.ResourceNotFoundException(`The resource that you specified for the ${parameter} parameter doesn't exist.`, 404);
export const taskNotFound = (): ServiceError => SqsErrors.ResourceNotFoundException('Task does not exist.', 404);
const badHandle = (): ServiceError => SqsErrors.InvalidParameterValue('Value for parameter TaskHandle is invalid.');

export function required(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw SqsErrors.MissingParameter(`The request must contain the parameter ${name}.`);
  return value;
}

/** MaxNumberOfMessagesPerSecond: absent, or a whole number from 1 to 500. */
export function checkRate(rate: number | undefined): number | undefined {
  if (rate === undefined) return undefined;
  if (!Number.isInteger(rate) || rate < 1 || rate > MAX_RATE) {
    throw SqsErrors.InvalidParameterValue(
      `Value ${String(rate)} for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: Must be between 1 and ${MAX_RATE}.`,
    );
  }
  return rate;
}

/** ListMessageMoveTasks' MaxResults: default 1 (the latest task), at most 10. */
export function checkMaxResults(max: number | undefined): number {
  if (max === undefined) return 1;
  if (!Number.isInteger(max) || max < 1 || max > 10)
    throw SqsErrors.InvalidParameterValue(`Value ${String(max)} for parameter MaxResults is invalid. Reason: Must be between 1 and 10.`);
  return max;
}

/**
 * Only a DLQ can be a source: "Currently, only ARNs of dead-letter queues (DLQs) whose sources
 * are other Amazon SQS queues are accepted" — some queue's RedrivePolicy must name it.
 */
export function checkIsDeadLetterQueue(sourceArn: string, queues: ReadonlyMap<string, QueueEntry>): void {
  for (const q of queues.values()) if (redriveOf(q.doc)?.deadLetterTargetArn === sourceArn) return;
  throw SqsErrors.InvalidParameterValue('Source queue must be configured as a Dead Letter Queue.');
}

/** Redrive keeps the queue type: a FIFO DLQ's messages go to a FIFO queue, a standard one's to a standard one. */
export function checkSameType(source: QueueEntry, destination: QueueEntry): void {
  if (source.doc.arn === destination.doc.arn)
    throw SqsErrors.InvalidParameterValue(
      'Value for parameter DestinationArn is invalid. Reason: The destination must be another queue than the source.',
    );
  const fifo = (q: QueueEntry) => q.doc.attributes.FifoQueue === 'true';
  if (fifo(source) !== fifo(destination))
    throw SqsErrors.InvalidParameterValue(
      'Value for parameter DestinationArn is invalid. Reason: The source and destination queues must be of the same type (both standard or both FIFO).',
    );
}

export const ALREADY_RUNNING = 'There is already a task running. Only one active task is allowed for a source queue arn at a given time.';

/** A task handle names the task and its source queue (Cancel looks the queue up first, as AWS does). */
export function encodeHandle(t: Pick<MoveTaskDoc, 'taskId' | 'sourceArn'>): string {
  return Buffer.from(JSON.stringify({ taskId: t.taskId, sourceArn: t.sourceArn })).toString('base64');
}

export function decodeHandle(handle: string | undefined): { taskId: string; sourceArn: string } {
  const text = required(handle, 'TaskHandle');
  try {
    const v = JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as Record<string, unknown>;
    if (typeof v.taskId === 'string' && typeof v.sourceArn === 'string') return { taskId: v.taskId, sourceArn: v.sourceArn };
  } catch {
    // falls through to the error
  }
  throw badHandle();
}

/** A task as ListMessageMoveTasks shows it: the handle only while RUNNING, optional members only when set. */
export function taskView(t: MoveTaskDoc): ListMessageMoveTasksResultEntry {
  return {
    ...(t.status === 'RUNNING' && { TaskHandle: encodeHandle(t) }),
    Status: t.status,
    SourceArn: t.sourceArn,
    ...(t.destinationArn !== undefined && { DestinationArn: t.destinationArn }),
    ...(t.rate !== undefined && { MaxNumberOfMessagesPerSecond: t.rate }),
    ApproximateNumberOfMessagesMoved: t.moved,
    ApproximateNumberOfMessagesToMove: t.toMove,
    ...(t.status === 'FAILED' && t.failureReason !== undefined && { FailureReason: t.failureReason }),
    StartedTimestamp: t.startedAt,
  };
}
