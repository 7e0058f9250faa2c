import { toBase64 } from './base64.js';
import { ApiError, send } from './http.js';
import { session } from './session.js';
import type { PolicyStatement } from '@amiwatch/shared';

/** Lambda over its REST-JSON protocol (`/2015-03-31/functions/…`), signed for service `lambda`. */
export interface FunctionConfig {
  FunctionName: string;
  FunctionArn: string;
  Runtime?: string;
  Handler?: string;
  LastModified?: string;
  Description?: string;
  State?: string;
  MemorySize?: number;
  Timeout?: number;
  CodeSize?: number;
  Role?: string;
  Environment?: { Variables?: Record<string, string> };
}

export async function lambda(method: string, path: string, body = '', headers: Record<string, string> = {}): Promise<Response> {
  const res = await send(method, path, 'lambda', { ...(body && { 'content-type': 'application/json' }), ...headers }, body);
  if (!res.ok && res.status !== 200) {
    const err = (await res.json().catch(() => ({}))) as { message?: string; Message?: string; __type?: string };
    throw new ApiError(
      res.headers.get('x-amzn-errortype')?.split(':')[0] ?? err.__type ?? 'Error',
      err.message ?? err.Message ?? res.statusText,
      res.status,
    );
  }
  return res;
}

export async function listFunctions(marker?: string): Promise<{ items: FunctionConfig[]; next?: string }> {
  const q = new URLSearchParams({ MaxItems: '25', ...(marker && { Marker: marker }) });
  const body = (await (await lambda('GET', `/2015-03-31/functions/?${q.toString()}`)).json()) as {
    Functions?: FunctionConfig[];
    NextMarker?: string;
  };
  return { items: body.Functions ?? [], ...(body.NextMarker && { next: body.NextMarker }) };
}

/** A synchronous invocation: the status, the function's answer, and whether it failed. */
export async function invoke(name: string, payload: string): Promise<{ status: number; payload: string; functionError?: string }> {
  const res = await lambda('POST', `/2015-03-31/functions/${encodeURIComponent(name)}/invocations`, payload, {
    'x-amz-invocation-type': 'RequestResponse',
  });
  const error = res.headers.get('x-amz-function-error');
  return { status: res.status, payload: await res.text(), ...(error && { functionError: error }) };
}

export async function functionLogs(name: string, region: string): Promise<{ requestId: string; timestamp: string; message: string }[]> {
  const res = await send(
    'GET',
    `/_amiwatch/functions/${encodeURIComponent(name)}/logs?region=${encodeURIComponent(region)}`,
    'amiwatch',
    {},
  );
  const body = (await res.json()) as { events?: { requestId: string; timestamp: string; message: string }[]; error?: string };
  if (!res.ok) throw new Error(body.error ?? res.statusText);
  return body.events ?? [];
}

/** What the create form sends: CreateFunction's members, the package as bytes (sent as base64). */
export interface NewFunction {
  FunctionName: string;
  Runtime: string;
  Handler: string;
  Role: string;
  MemorySize: number;
  Timeout: number;
  Variables: Record<string, string>;
  zip: Uint8Array;
}

const fn = (name: string, rest = '') => `/2015-03-31/functions/${encodeURIComponent(name)}${rest}`;

export async function createFunction(f: NewFunction): Promise<FunctionConfig> {
  const { zip, Variables, ...config } = f;
  const body = {
    ...config,
    PackageType: 'Zip',
    Code: { ZipFile: toBase64(zip) },
    ...(Object.keys(Variables).length > 0 && { Environment: { Variables } }),
  };
  return (await (await lambda('POST', '/2015-03-31/functions', JSON.stringify(body))).json()) as FunctionConfig;
}

export async function updateFunctionCode(name: string, zip: Uint8Array): Promise<FunctionConfig> {
  return (await (await lambda('PUT', fn(name, '/code'), JSON.stringify({ ZipFile: toBase64(zip) }))).json()) as FunctionConfig;
}

export async function deleteFunction(name: string): Promise<void> {
  await lambda('DELETE', fn(name));
}

/** GetFunction: the configuration and where the deployment package can be read. */
export async function getFunction(name: string): Promise<{ Configuration: FunctionConfig; Code?: { Location?: string } }> {
  return (await (await lambda('GET', fn(name))).json()) as { Configuration: FunctionConfig; Code?: { Location?: string } };
}

/**
 * Whether a function of that name exists in the region: read from ListFunctions (answered 200),
 * not GetFunction, whose 404 for a free name the browser would log as a failed request.
 */
export async function functionExists(name: string): Promise<boolean> {
  let marker: string | undefined;
  do {
    const page = await listFunctions(marker);
    if (page.items.some((f) => f.FunctionName === name)) return true;
    marker = page.next;
  } while (marker);
  return false;
}

/** The deployment package at GetFunction's Code.Location (amiwatch serves it on its control API). */
export async function functionPackage(location: string): Promise<Uint8Array> {
  const res = await send('GET', location, 'amiwatch', {});
  if (!res.ok) throw new ApiError('Error', `Could not read the deployment package (${res.status}).`, res.status);
  return new Uint8Array(await res.arrayBuffer());
}

/**
 * The function's resource-based policy document (GetPolicy's), or null when it has none. Asked
 * of the control API (`/_amiwatch/functions/NAME/policy`), which answers "no policy" as a 200:
 * GetPolicy answers it with the same 404 as a missing function, and the browser would log that
 * as an error on every function that has none (most of them).
 */
export async function functionPolicy(name: string, region: string): Promise<string | null> {
  const q = new URLSearchParams({ region });
  const res = await send('GET', `/_amiwatch/functions/${encodeURIComponent(name)}/policy?${q.toString()}`, 'amiwatch', {});
  const body = (await res.json().catch(() => ({}))) as { policy?: string | null; error?: string };
  if (!res.ok) {
    const [code, ...rest] = (body.error ?? `Error: ${res.statusText}`).split(': ');
    throw new ApiError(code ?? 'Error', rest.join(': '), res.status);
  }
  return body.policy ?? null;
}

/**
 * The policy's statements; none when the function has no policy yet, or does not exist (a caller
 * that goes on to AddPermission gets the latter's own error).
 */
export async function getPolicy(name: string): Promise<PolicyStatement[]> {
  try {
    const policy = await functionPolicy(name, session().region);
    return policy ? ((JSON.parse(policy) as { Statement?: PolicyStatement[] }).Statement ?? []) : [];
  } catch (e) {
    if (e instanceof ApiError && e.code === 'ResourceNotFoundException') return [];
    throw e;
  }
}

/** AddPermission: one statement added to the function's resource-based policy (201). */
export async function addPermission(
  name: string,
  input: { StatementId: string; Action: string; Principal: string; SourceArn?: string; SourceAccount?: string },
): Promise<void> {
  await lambda('POST', fn(name, '/policy'), JSON.stringify(input));
}
