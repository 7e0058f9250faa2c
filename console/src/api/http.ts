import { session } from './session.js';
import { authorize } from './sigv4.js';

/** An error the server answered with: AWS's code and message, shown to the user as they are. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** One request to the server, authorised for the current session (see sigv4.ts). */
export async function send(
  method: string,
  url: string,
  service: string,
  headers: Record<string, string>,
  body = '',
  signal?: AbortSignal,
): Promise<Response> {
  const s = session();
  const req = { method, url, headers: { ...headers }, body };
  await authorize(req, { account: s.account, region: s.region, service }, s.key, location);
  return fetch(url, { method, headers: req.headers, ...(method !== 'GET' && method !== 'HEAD' && { body }), ...(signal && { signal }) });
}

/**
 * One call of an AWS JSON protocol (EventBridge: 1.1, `AWSEvents`; SQS: 1.0, `AmazonSQS`): the
 * operation in `X-Amz-Target`, errors as `__type` (possibly namespaced) and `message`.
 */
export async function jsonCall<T>(
  service: string,
  version: '1.0' | '1.1',
  targetPrefix: string,
  operation: string,
  input: object,
): Promise<T> {
  const headers = { 'content-type': `application/x-amz-json-${version}`, 'x-amz-target': `${targetPrefix}.${operation}` };
  const res = await send('POST', '/', service, headers, JSON.stringify(input));
  const text = await res.text();
  const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
  if (!res.ok) {
    const type = String(body.__type ?? 'Error');
    throw new ApiError(type.slice(type.lastIndexOf('#') + 1), String(body.message ?? body.Message ?? res.statusText), res.status);
  }
  return body as T;
}
