import { ApiError, send } from './http.js';

/** Lambda over its REST-JSON protocol (`/2015-03-31/functions/…`), signed for service `lambda`. */
export interface FunctionConfig {
  FunctionName: string;
  FunctionArn: string;
  Runtime?: string;
  Handler?: string;
  LastModified?: string;
  Description?: string;
  State?: string;
}

async function lambda(method: string, path: string, body = '', headers: Record<string, string> = {}): Promise<Response> {
  const res = await send(method, path, 'lambda', { ...(body && { 'content-type': 'application/json' }), ...headers }, body);
  if (!res.ok && res.status !== 200) {
    const err = (await res.json().catch(() => ({}))) as { message?: string; Message?: string; __type?: string };
    throw new ApiError(res.headers.get('x-amzn-errortype')?.split(':')[0] ?? err.__type ?? 'Error', err.message ?? err.Message ?? res.statusText, res.status);
  }
  return res;
}

export async function listFunctions(marker?: string): Promise<{ items: FunctionConfig[]; next?: string }> {
  const q = new URLSearchParams({ MaxItems: '25', ...(marker && { Marker: marker }) });
  const body = (await (await lambda('GET', `/2015-03-31/functions/?${q.toString()}`)).json()) as { Functions?: FunctionConfig[]; NextMarker?: string };
  return { items: body.Functions ?? [], ...(body.NextMarker && { next: body.NextMarker }) };
}

/** A synchronous invocation: the status, the function's answer, and whether it failed. */
export async function invoke(name: string, payload: string): Promise<{ status: number; payload: string; functionError?: string }> {
  const res = await lambda('POST', `/2015-03-31/functions/${encodeURIComponent(name)}/invocations`, payload, { 'x-amz-invocation-type': 'RequestResponse' });
  const error = res.headers.get('x-amz-function-error');
  return { status: res.status, payload: await res.text(), ...(error && { functionError: error }) };
}

export async function functionLogs(name: string, region: string): Promise<{ requestId: string; timestamp: string; message: string }[]> {
  const res = await send('GET', `/_amiwatch/functions/${encodeURIComponent(name)}/logs?region=${encodeURIComponent(region)}`, 'amiwatch', {});
  const body = (await res.json()) as { events?: { requestId: string; timestamp: string; message: string }[]; error?: string };
  if (!res.ok) throw new Error(body.error ?? res.statusText);
  return body.events ?? [];
}
