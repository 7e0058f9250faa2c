import type { RequestContext } from '../../core/shared/request-context.js';
import { isServiceError, ServiceError } from '../../core/shared/service-error.js';
import { jsonDepthWithin, MAX_JSON_DEPTH } from '../json-depth.js';
import { checkShape, type Shape } from '../json11/shapes.js';
import type { WireResponse } from '../service-handler.js';

/**
 * REST-JSON (Lambda's protocol): the operation is the method and path, input is in the path,
 * query, headers and a JSON body; output is JSON. Errors carry the code in `x-amzn-ErrorType`
 * and a body `{"Type": "User" | "Service", "Message": …}`, the shape Lambda answers with (the
 * SDK reads the code from the header, the CLI from either).
 */
export function restJsonResponse(ctx: RequestContext, status: number, body?: unknown, headers: Record<string, string> = {}): WireResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': ctx.requestId, ...headers },
    body: body === undefined ? '' : JSON.stringify(body),
  };
}

export function restJsonError(ctx: RequestContext, err: ServiceError): WireResponse {
  return {
    status: err.status,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': ctx.requestId, 'x-amzn-errortype': err.code },
    body: JSON.stringify({ Type: err.fault === 'Sender' ? 'User' : 'Service', Message: err.message, message: err.message }),
  };
}

/** The JSON body as an object; a body that is not one is the caller's error, said plainly. */
export function jsonBody<T>(body: Buffer): T {
  if (body.length === 0) return {} as T;
  const text = body.toString('utf8');
  if (!jsonDepthWithin(text)) throw new ServiceError('InvalidRequestContentException', `Could not parse request body into json: it nests deeper than ${MAX_JSON_DEPTH} levels.`, 400);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ServiceError('InvalidRequestContentException', 'Could not parse request body into json: the body is not valid JSON.', 400);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ServiceError('InvalidRequestContentException', 'Could not parse request body into json: expected a JSON object.', 400);
  }
  return value as T;
}

/**
 * The JSON body as an object whose members have their model's JSON types. A member of the wrong
 * type is InvalidRequestContentException, what Lambda answers when it cannot read a body into
 * its input. Only types are checked (values are the operation's business); the body is returned
 * unchanged.
 */
export function typedJsonBody<T>(body: Buffer, shape: Shape): T {
  const value = jsonBody<Record<string, unknown>>(body);
  try {
    checkShape(shape, value);
  } catch (err) {
    if (isServiceError(err) && err.code === 'SerializationException') {
      throw new ServiceError('InvalidRequestContentException', `Could not parse request body into json: ${err.message}`, 400);
    }
    throw err;
  }
  return value as T;
}

/** A base64 blob member (ZipFile) as bytes. */
export function blob(value: unknown, member: string): Uint8Array | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/\r\n]*={0,2}$/.test(value)) {
    throw new ServiceError('InvalidParameterValueException', `${member} must be base64-encoded bytes.`, 400);
  }
  return Buffer.from(value, 'base64');
}
