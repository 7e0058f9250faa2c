import type { RequestContext } from '../../core/shared/request-context.js';
import { ServiceError, isServiceError } from '../../core/shared/service-error.js';
import { unavailable } from '../../core/shared/unavailable.js';
import { jsonDepthWithin, MAX_JSON_DEPTH } from '../json-depth.js';
import type { ServiceHandler, WireRequest, WireResponse } from '../service-handler.js';
import { readShape, type Shape } from './shapes.js';

/**
 * AWS JSON 1.1 (awsJson1_1): `POST /`, `X-Amz-Target: <Prefix>.<Operation>`, a JSON body in,
 * a JSON body out; errors are `{"__type": code, "message": text}` with the error's status. The
 * SDK maps `__type` to its exception class, so the code must be exact.
 */
export type Json11Operation = (ctx: RequestContext, input: never) => Promise<unknown> | unknown;

export interface Json11Service {
  /** `AWSEvents` for EventBridge. */
  readonly targetPrefix: string;
  readonly operations: Readonly<Record<string, Json11Operation>>;
  readonly shapes: Readonly<Record<string, Shape>>;
  /** Called with unexpected (non-ServiceError) failures; they answer InternalException. */
  readonly onInternalError?: (err: unknown, request: WireRequest) => void;
}

const CONTENT_TYPE = 'application/x-amz-json-1.1';

export function json11Response(ctx: RequestContext, status: number, body: unknown): WireResponse {
  return {
    status,
    headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': ctx.requestId },
    body: JSON.stringify(body, replacer),
  };
}

export function json11Error(ctx: RequestContext, err: ServiceError): WireResponse {
  return json11Response(ctx, err.status, { __type: err.code, message: err.message });
}

/** Timestamps go out as epoch seconds (awsJson1_1's default timestamp format). */
function replacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  return raw instanceof Date ? raw.getTime() / 1000 : value;
}

export function createJson11Handler(service: Json11Service): ServiceHandler {
  return async (request) => {
    const ctx = request.context;
    try {
      const target = request.headers['x-amz-target'] ?? '';
      const dot = target.lastIndexOf('.');
      const prefix = target.slice(0, dot);
      const name = target.slice(dot + 1);
      const operation = prefix === service.targetPrefix && Object.hasOwn(service.operations, name) ? service.operations[name] : undefined;
      if (request.method !== 'POST' || !operation) {
        throw new ServiceError('UnknownOperationException', target ? `Operation ${target} is not supported.` : 'Missing X-Amz-Target header.');
      }
      const input = readShape(service.shapes[name] ?? { t: 'any' }, parseBody(request.body));
      const output = await operation(ctx, input as never);
      return json11Response(ctx, 200, output ?? {});
    } catch (err) {
      if (isServiceError(err)) return json11Error(ctx, err);
      const busy = unavailable(err);
      if (busy) return json11Error(ctx, busy);
      service.onInternalError?.(err, request);
      return json11Error(ctx, new ServiceError('InternalException', 'An internal error occurred.', 500));
    }
  };
}

function parseBody(body: Buffer): unknown {
  // An empty body reads as an empty structure, as AWS's deserializer does.
  if (body.length === 0) return {};
  const text = body.toString('utf8');
  if (!jsonDepthWithin(text)) throw new ServiceError('SerializationException', `The request body nests deeper than ${MAX_JSON_DEPTH} levels.`);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ServiceError('SerializationException', `Malformed JSON in the request body: ${(err as Error).message}`);
  }
}
