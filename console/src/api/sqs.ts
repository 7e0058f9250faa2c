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
