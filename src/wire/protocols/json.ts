import type { RequestContext } from '../../core/shared/request-context.js';
import { isServiceError, type ServiceError } from '../../core/shared/service-error.js';
import type { Protocol } from '../dispatch.js';
import { readJsonInput, type JsonCheck } from '../model/json-input.js';
import type { ServiceModel } from '../model/service-model.js';
import { jsonDepthWithin, MAX_JSON_DEPTH } from '../json-depth.js';
import type { WireRequest, WireResponse } from '../service-handler.js';
import { CommonErrors } from '../../core/generated/errors.js';

/**
 * AWS JSON 1.0 / 1.1 (awsJson1_0, awsJson1_1): `POST /`, `X-Amz-Target: <Prefix>.<Operation>`,
 * a JSON body in, a JSON body out; errors are `{"__type": code, "message": text}` with the
 * error's status. The SDKs map `__type` to their exception classes, so the code must be exact.
 * What differs between the services that speak it is in JsonOptions, each with its reason.
 */
export interface JsonOptions {
  /** `full` validates the model's constraints (EventBridge); `types` leaves values to the service. */
  readonly check: (operation: string) => JsonCheck;
  /** The error for a body that is JSON but not an object (default: SerializationException). */
  readonly notAnObject?: () => ServiceError;
  /** The error for a target the service does not serve. */
  readonly unknownOperation: (target: string) => ServiceError;
  /** The error for a body that is not JSON. */
  readonly malformed: (detail: string) => ServiceError;
  /** Renames a SerializationException (a member of the wrong JSON type) where the service does. */
  readonly typeError?: (err: ServiceError) => ServiceError;
  /** `__type` as written: SQS qualifies it (`com.amazonaws.sqs#QueueDoesNotExist`). */
  readonly errorType?: (err: ServiceError) => string;
  /** Extra headers of an error: SQS's `x-amzn-query-error` (awsQueryCompatible). */
  readonly errorHeaders?: (err: ServiceError) => Record<string, string>;
  readonly internalError: () => ServiceError;
  /**
   * Target prefixes accepted besides the model's: CloudTrail's botocore model says
   * `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101`, the SDK v3 (Smithy) sends the
   * short `CloudTrail_20131101`; AWS answers both.
   */
  readonly targetAliases?: readonly string[];
}

export function jsonProtocol(model: ServiceModel, options: JsonOptions): Protocol {
  const contentType = `application/x-amz-json-${model.jsonVersion ?? '1.1'}`;
  const prefixes = [model.targetPrefix, ...(options.targetAliases ?? [])].map((p) => `${p}.`);
  const respond = (ctx: RequestContext, status: number, body: unknown, headers: Record<string, string> = {}): WireResponse => ({
    status,
    headers: { 'content-type': contentType, 'x-amzn-requestid': ctx.requestId, ...headers },
    body: JSON.stringify(body, epochSeconds),
  });
  const operationOf = (request: WireRequest): string | undefined => {
    const target = request.headers['x-amz-target'] ?? '';
    const prefix = prefixes.find((p) => target.startsWith(p));
    const name = prefix ? target.slice(prefix.length) : '';
    return request.method === 'POST' && Object.hasOwn(model.operations, name) ? name : undefined;
  };
  return {
    model,
    operationOf,
    read(request) {
      const name = operationOf(request);
      if (name === undefined) throw options.unknownOperation(request.headers['x-amz-target'] ?? '');
      const operation = model.operations[name]!;
      const body = parseBody(request.body, options.malformed);
      if (body === null || typeof body !== 'object' || Array.isArray(body)) {
        throw (
          options.notAnObject?.() ??
          CommonErrors.SerializationException(
            `Expected an object for the request body, got ${body === null ? 'null' : Array.isArray(body) ? 'a list' : `a ${typeof body}`}.`,
          )
        );
      }
      try {
        return { operation: name, input: readJsonInput(model, operation.input, body, options.check(name)) };
      } catch (err) {
        if (options.typeError && isServiceError(err) && err.code === 'SerializationException') throw options.typeError(err);
        throw err;
      }
    },
    write: (ctx, _operation, output) => respond(ctx, 200, output ?? {}),
    error: (ctx, err) =>
      respond(ctx, err.status, { __type: options.errorType?.(err) ?? err.code, message: err.message }, options.errorHeaders?.(err)),
    internalError: options.internalError,
  };
}

function parseBody(body: Buffer, malformed: (detail: string) => ServiceError): unknown {
  // An empty body reads as an empty structure, as AWS's deserializer does.
  if (body.length === 0) return {};
  const text = body.toString('utf8');
  // Refused before parsing: no reader recurses through an absurdly nested body (json-depth.ts).
  if (!jsonDepthWithin(text)) throw CommonErrors.SerializationException(`The request body nests deeper than ${MAX_JSON_DEPTH} levels.`);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw malformed((err as Error).message);
  }
}

/** Timestamps go out as epoch seconds (the JSON protocols' default timestamp format). */
export function epochSeconds(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  return raw instanceof Date ? raw.getTime() / 1000 : value;
}
