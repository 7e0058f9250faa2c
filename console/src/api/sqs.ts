import { jsonCall } from './http.js';

/** SQS over AWS JSON 1.0 (`X-Amz-Target: AmazonSQS.<Operation>`), what the current SDK sends. */
export function sqs<T>(operation: string, input: object = {}): Promise<T> {
  return jsonCall<T>('sqs', '1.0', 'AmazonSQS', operation, input);
}

export interface Message {
  MessageId: string;
  ReceiptHandle: string;
  Body: string;
  Attributes?: Record<string, string>;
}

/** A queue's ARN from its URL (`…/ACCOUNT/NAME`) in the session's region. */
export function queueArnOf(url: string, region: string): string {
  const [account = '', name = ''] = new URL(url, location.href).pathname.split('/').filter(Boolean).slice(-2);
  return `arn:aws:sqs:${region}:${account}:${name}`;
}

export const queueNameOf = (urlOrArn: string): string => urlOrArn.slice(Math.max(urlOrArn.lastIndexOf('/'), urlOrArn.lastIndexOf(':')) + 1);

/** A message move task as ListMessageMoveTasks shows it (TaskHandle only while RUNNING). */
export interface MoveTask {
  TaskHandle?: string;
  Status: 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';
  SourceArn: string;
  DestinationArn?: string;
  MaxNumberOfMessagesPerSecond?: number;
  ApproximateNumberOfMessagesMoved?: number;
  ApproximateNumberOfMessagesToMove?: number;
  FailureReason?: string;
  StartedTimestamp?: number;
}

export async function moveTasks(sourceArn: string, max = 10): Promise<MoveTask[]> {
  return (await sqs<{ Results?: MoveTask[] }>('ListMessageMoveTasks', { SourceArn: sourceArn, MaxResults: max })).Results ?? [];
}

/** The queues whose RedrivePolicy names this one (it is their dead-letter queue). */
export async function deadLetterSources(url: string): Promise<string[]> {
  return (await sqs<{ queueUrls?: string[] }>('ListDeadLetterSourceQueues', { QueueUrl: url })).queueUrls ?? [];
}

/** Every queue URL of the region (ListQueues without MaxResults answers up to 1,000). */
export async function allQueueUrls(): Promise<string[]> {
  return (await sqs<{ QueueUrls?: string[] }>('ListQueues', {})).QueueUrls ?? [];
}
