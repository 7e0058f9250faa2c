import type { ConnectionHttpParameters, CreateConnectionAuthRequestParameters, HttpParameters } from '@aws-sdk/client-eventbridge';
import type { ApiDestinationDoc, AuthorizationType } from '../../../core/events/connection-model.js';
import { evaluate, parseJsonPath } from '../../../core/events/json-path.js';

export interface OutboundRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/**
 * A target HttpParameters value is static text, or a JSON path into the event (`$.detail.id`)
 * whose value is used — "you can use dynamic values from the event" (eb-api-destinations).
 */
function value(text: string, event: unknown): string {
  if (!text.startsWith('$.')) return text;
  const steps = parseJsonPath(text);
  const v = steps ? evaluate(steps, event) : undefined;
  return v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
}

function addConnectionParameters(
  p: ConnectionHttpParameters | undefined,
  url: URL,
  headers: Record<string, string>,
): Record<string, string> {
  const body: Record<string, string> = {};
  for (const h of p?.HeaderParameters ?? []) if (h.Key) headers[h.Key.toLowerCase()] = h.Value ?? '';
  for (const q of p?.QueryStringParameters ?? []) if (q.Key) url.searchParams.append(q.Key, q.Value ?? '');
  for (const b of p?.BodyParameters ?? []) if (b.Key) body[b.Key] = b.Value ?? '';
  return body;
}

/**
 * The HTTP request for one delivery: the endpoint with each `*` replaced by the next
 * PathParameterValues entry; the connection's invocation parameters, then the target's header
 * and query string parameters (the target's win on a clash); the connection's authorization
 * (Basic, API key header, or the OAuth bearer token); the payload as the body (a JSON object
 * payload also receives the connection's body parameters). GET and HEAD carry no body.
 */
export function buildRequest(
  dest: ApiDestinationDoc,
  type: AuthorizationType,
  auth: CreateConnectionAuthRequestParameters,
  target: HttpParameters | undefined,
  payload: string,
  event: unknown,
  bearer: string | null,
): OutboundRequest {
  const path = [...(target?.PathParameterValues ?? [])];
  const url = new URL(dest.endpoint.replace(/\*/g, () => encodeURIComponent(value(path.shift() ?? '', event))));
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'user-agent': 'Amazon/EventBridge/ApiDestinations',
  };
  const bodyParams = addConnectionParameters(auth.InvocationHttpParameters, url, headers);
  for (const [k, v] of Object.entries(target?.HeaderParameters ?? {})) headers[k.toLowerCase()] = value(v, event);
  for (const [k, v] of Object.entries(target?.QueryStringParameters ?? {})) url.searchParams.set(k, value(v, event));
  if (type === 'BASIC' && auth.BasicAuthParameters) {
    const { Username, Password } = auth.BasicAuthParameters;
    headers.authorization = `Basic ${Buffer.from(`${Username}:${Password}`).toString('base64')}`;
  } else if (type === 'API_KEY' && auth.ApiKeyAuthParameters?.ApiKeyName) {
    headers[auth.ApiKeyAuthParameters.ApiKeyName.toLowerCase()] = auth.ApiKeyAuthParameters.ApiKeyValue ?? '';
  } else if (type === 'OAUTH_CLIENT_CREDENTIALS' && bearer !== null) {
    headers.authorization = `Bearer ${bearer}`;
  }
  const method = dest.httpMethod;
  if (method === 'GET' || method === 'HEAD') return { url: url.toString(), method, headers };
  return { url: url.toString(), method, headers, body: withBodyParameters(payload, bodyParams) };
}

function withBodyParameters(payload: string, params: Record<string, string>): string {
  if (Object.keys(params).length === 0) return payload;
  try {
    const parsed = JSON.parse(payload) as unknown;
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return JSON.stringify({ ...parsed, ...params });
  } catch {
    // not JSON: sent as it is
  }
  return payload;
}
