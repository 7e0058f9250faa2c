import { ApiError, send } from './http.js';

/** SQS over AWS JSON 1.0 (`X-Amz-Target: AmazonSQS.<Operation>`), what the current SDK sends. */
export async function sqs<T>(operation: string, input: object = {}): Promise<T> {
  const res = await send('POST', '/', 'sqs', { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${operation}` }, JSON.stringify(input));
  const text = await res.text();
  const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
  if (!res.ok) {
    const type = String(body.__type ?? 'Error');
    throw new ApiError(type.slice(type.lastIndexOf('#') + 1), String(body.message ?? body.Message ?? res.statusText), res.status);
  }
  return body as T;
}

export interface Message {
  MessageId: string;
  ReceiptHandle: string;
  Body: string;
  Attributes?: Record<string, string>;
}
