import type { ApiCall } from '../core/cloudtrail/api-call.js';
import type { RequestContext } from '../core/shared/request-context.js';
import type { ErrorOf } from '../core/generated/errors.js';
import { isServiceError, type ServiceError } from '../core/shared/service-error.js';
import { unavailable } from '../core/shared/unavailable.js';
import type { ServiceHandler, WireRequest, WireResponse } from './service-handler.js';
import { parseAuthorization } from './sigv4/authorization.js';
import type { ServiceModel } from './model/service-model.js';
import { shapeGuide } from './model/shape-guide.js';

/**
 * The one dispatch every service goes through: the protocol reads the request into an operation
 * name and its SDK-shaped input (checked against the generated model), the operation runs with
 * `(ctx, input)`, the protocol writes its output or its error. Unexpected failures are logged
 * once here and answer the protocol's internal error (a full disk its retryable 503); nothing
 * thrown escapes.
 */
export interface Protocol {
  /** The service's model: its signing name is CloudTrail's eventSource (`<name>.amazonaws.com`). */
  readonly model: ServiceModel;
  /** The operation and its input; throws a ServiceError for a request it cannot read. */
  read(request: WireRequest): { readonly operation: string; readonly input: object };
  /** The served operation a request names, whether or not its input reads (CloudTrail records refused calls too). */
  operationOf(request: WireRequest): string | undefined;
  write(ctx: RequestContext, operation: string, output: unknown, request: WireRequest): WireResponse;
  error(ctx: RequestContext, err: ServiceError): WireResponse;
  /** What an unexpected failure answers (InternalException, InternalError, ServiceException). */
  internalError(): ServiceError;
  /** What a full disk answers (unavailable.ts): AWS's retryable 503, `ServiceUnavailable` unless the protocol spells it otherwise (EC2: `Unavailable`). */
  readonly unavailable?: ErrorOf;
}

/**
 * One operation as the dispatch calls it. Declared as a method so that the generated interfaces'
 * methods — each taking its own SDK Request type — fit it: the protocol has read the input into
 * exactly that operation's model shape (method parameters are compared bivariantly).
 */
type Method = { call(ctx: RequestContext, input: object): Promise<unknown> }['call'];

/** A service's operations, named after the AWS operation, each `(ctx, input) → output`. */
export type OperationTable<T> = { readonly [K in keyof T]: Method };

const isOperation = <T extends object>(table: T, name: string): name is Extract<keyof T, string> => Object.hasOwn(table, name);

export interface DispatchOptions {
  readonly onInternalError?: (err: unknown, request: WireRequest) => void;
}

export function dispatch<T extends OperationTable<T>>(protocol: Protocol, operations: T, options: DispatchOptions = {}): ServiceHandler {
  return async (request) => {
    const ctx = request.context;
    // CloudTrail: one in-memory lookup per call; nothing more unless a trail logs here.
    const audit = request.audit?.watching(ctx) === true ? request.audit : undefined;
    let read: { readonly operation: string; readonly input: object } | undefined;
    try {
      read = protocol.read(request);
      const { operation, input } = read;
      // The protocol only names operations of the generated list, which the table's type covers.
      if (!isOperation(operations, operation)) throw new Error(`operation ${operation} is in the generated list but has no binding`);
      const output = await operations[operation](ctx, input);
      if (audit) await audit.record(ctx, apiCall(protocol, request, read, { output }));
      return protocol.write(ctx, operation, output, request);
    } catch (err) {
      // A full disk is the machine's state, not a bug: a retryable 503, not logged as an internal error.
      const busy = isServiceError(err) ? undefined : unavailable(err, protocol.unavailable);
      const known = isServiceError(err) ? err : (busy ?? protocol.internalError());
      if (!isServiceError(err) && !busy) options.onInternalError?.(err, request);
      // A call refused while its input was read (a ValidationException) is recorded with no
      // parameters; one that names no served operation (no Action, an unknown target) is not.
      read ??= audit ? named(protocol.operationOf(request)) : undefined;
      if (audit && read) await audit.record(ctx, apiCall(protocol, request, read, { error: { code: known.code, message: known.message } }));
      return protocol.error(ctx, known);
    }
  };
}

/** The call as CloudTrail records it: who (access key, user agent, address), what, and how it ended. */
function apiCall(
  protocol: Protocol,
  request: WireRequest,
  read: { operation: string; input: object },
  outcome: Pick<ApiCall, 'output' | 'error'>,
): ApiCall {
  return {
    service: protocol.model.signingName,
    operation: read.operation,
    input: read.input,
    ...guides(protocol.model, read.operation),
    ...outcome,
    accessKeyId: parseAuthorization(request.headers.authorization)?.accessKeyId ?? '',
    userAgent: request.headers['user-agent'] ?? '',
    sourceIp: request.sourceIp ?? '127.0.0.1',
  };
}

const named = (operation: string | undefined) => (operation === undefined ? undefined : { operation, input: {} });

/** What the model says of the operation's input and output, for CloudTrail's names. */
function guides(model: ServiceModel, operation: string): Pick<ApiCall, 'inputShape' | 'outputShape'> {
  const op = model.operations[operation];
  const inputShape = shapeGuide(model, op?.input);
  const outputShape = shapeGuide(model, op?.output);
  return { ...(inputShape && { inputShape }), ...(outputShape && { outputShape }) };
}
