import type { RequestContext } from '../../core/shared/request-context.js';
import { isServiceError, type ServiceError } from '../../core/shared/service-error.js';
import type { Protocol } from '../dispatch.js';
import { readJsonInput } from '../model/json-input.js';
import { epochSeconds } from './json.js';
import type { ServiceModel, ShapeModel } from '../model/service-model.js';
import { jsonDepthWithin, MAX_JSON_DEPTH } from '../json-depth.js';
import type { WireRequest, WireResponse } from '../service-handler.js';
import { CommonErrors } from '../../core/generated/errors.js';

/**
 * REST-JSON (Lambda): the operation is the method and the path, matched against the model's URI
 * templates (`/2015-03-31/functions/{FunctionName}/policy/{StatementId}`); input members come
 * from the path labels, the query string, headers, a raw payload or a JSON body, as the model
 * binds them; output members go to the status code, headers, a raw payload or a JSON body.
 * Errors carry the code in `x-amzn-ErrorType` and a body `{"Type": "User" | "Service",
 * "Message": …}`, the shape Lambda answers with (the SDK reads the header, the CLI either).
 * Body members are checked for their JSON types only: Lambda checks values in its own words.
 */
export interface RestJsonOptions {
  readonly unknownOperation: (request: WireRequest) => ServiceError;
  readonly internalError: () => ServiceError;
}

interface Route {
  readonly operation: string;
  readonly method: string;
  readonly segments: readonly string[];
}

export function restJsonProtocol(model: ServiceModel, options: RestJsonOptions): Protocol {
  const routes: Route[] = Object.entries(model.operations).map(([operation, op]) => ({
    operation,
    method: op.http!.method,
    segments: op
      .http!.uri.split('?')[0]!
      .split('/')
      .filter((s) => s !== ''),
  }));
  return {
    model,
    operationOf(request) {
      const segments = new URL(request.url, 'http://localhost').pathname.split('/').filter((s) => s !== '');
      return match(routes, request.method, segments)?.route.operation;
    },
    read(request) {
      const url = new URL(request.url, 'http://localhost');
      const segments = url.pathname.split('/').filter((s) => s !== '');
      const found = match(routes, request.method, segments);
      if (!found) throw options.unknownOperation(request);
      const op = model.operations[found.route.operation]!;
      return { operation: found.route.operation, input: readInput(model, op.input, request, url, found.labels) };
    },
    write: (ctx, operation, output) => writeOutput(model, ctx, model.operations[operation]!, output),
    error: restJsonError,
    internalError: options.internalError,
  };
}

function match(
  routes: readonly Route[],
  method: string,
  segments: readonly string[],
): { route: Route; labels: Map<string, string> } | undefined {
  for (const route of routes) {
    if (route.method !== method || route.segments.length !== segments.length) continue;
    const labels = new Map<string, string>();
    const fits = route.segments.every((t, i) =>
      t.startsWith('{') ? (labels.set(t.slice(1, -1), decodeSegment(segments[i]!)), true) : t === segments[i],
    );
    if (fits) return { route, labels };
  }
  return undefined;
}

function readInput(
  model: ServiceModel,
  shapeName: string | undefined,
  request: WireRequest,
  url: URL,
  labels: Map<string, string>,
): Record<string, unknown> {
  if (shapeName === undefined) return {};
  const shape = model.shapes[shapeName] as Extract<ShapeModel, { t: 'structure' }>;
  const hasBody = Object.entries(shape.members).some(([name, m]) => m.location === undefined && name !== shape.payload);
  const input: Record<string, unknown> = hasBody ? jsonBody(model, shapeName, request.body) : {};
  for (const [name, m] of Object.entries(shape.members)) {
    const wire = m.name ?? name;
    let value: unknown;
    if (m.location === 'uri') value = labels.get(wire);
    else if (m.location === 'querystring') value = queryValue(model.shapes[m.shape]!, url.searchParams.get(wire));
    else if (m.location === 'header') value = request.headers[wire.toLowerCase()];
    else if (name === shape.payload) value = request.body;
    if (value !== undefined) input[name] = value;
  }
  return input;
}

function queryValue(shape: ShapeModel, raw: string | null): unknown {
  if (raw === null) return undefined;
  if (shape.t === 'integer' || shape.t === 'long') return Number(raw);
  if (shape.t === 'boolean') return raw === 'true';
  return raw;
}

/** The JSON body, its members of their model's JSON types (Lambda's InvalidRequestContentException). */
function jsonBody(model: ServiceModel, shape: string, body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  const text = body.toString('utf8');
  // Refused before parsing: no reader recurses through an absurdly nested body (json-depth.ts).
  if (!jsonDepthWithin(text)) throw unreadable(`it nests deeper than ${MAX_JSON_DEPTH} levels.`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw unreadable('the body is not valid JSON.');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw unreadable('expected a JSON object.');
  try {
    return readJsonInput(model, shape, value, 'types');
  } catch (err) {
    if (isServiceError(err) && err.code === 'SerializationException') throw unreadable(err.message);
    throw err;
  }
}

const unreadable = (detail: string) => CommonErrors.InvalidRequestContentException(`Could not parse request body into json: ${detail}`);

function writeOutput(model: ServiceModel, ctx: RequestContext, op: ServiceModel['operations'][string], output: unknown): WireResponse {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-amzn-requestid': ctx.requestId };
  let status = op.http!.status;
  if (output === undefined || output === null || op.output === undefined) return { status, headers, body: '' };
  const shape = model.shapes[op.output] as Extract<ShapeModel, { t: 'structure' }>;
  const body: Record<string, unknown> = {};
  let payload: string | Buffer | undefined;
  for (const [name, value] of Object.entries(output)) {
    const m = shape.members[name];
    if (value === undefined) continue;
    if (m?.location === 'statusCode') status = Number(value);
    else if (m?.location === 'header') headers[(m.name ?? name).toLowerCase()] = String(value);
    else if (name === shape.payload) payload = value instanceof Uint8Array ? Buffer.from(value) : String(value);
    else body[name] = value;
  }
  if (shape.payload !== undefined) return { status, headers, body: payload ?? '' };
  return { status, headers, body: Object.keys(body).length === 0 && status === 204 ? '' : JSON.stringify(body, epochSeconds) };
}

export function restJsonError(ctx: RequestContext, err: ServiceError): WireResponse {
  return {
    status: err.status,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': ctx.requestId, 'x-amzn-errortype': err.code },
    body: JSON.stringify({ Type: err.fault === 'Sender' ? 'User' : 'Service', Message: err.message, message: err.message, ...err.extra }),
  };
}

/**
 * A path segment, %-decoded. A malformed escape (`%zz`, a cut-off `%E0%A4%A`) is kept as sent: no
 * function name or statement id can hold a `%`, so the operation refuses it in its own words
 * (ValidationException for the name) instead of decodeURIComponent's URIError becoming a 500.
 */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
