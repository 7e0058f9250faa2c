import type { RequestContext } from '../core/shared/request-context.js';
import type { ErrorOf } from '../core/generated/errors.js';
import { isServiceError, type ServiceError } from '../core/shared/service-error.js';
import { unavailable } from '../core/shared/unavailable.js';
import type { ServiceHandler, WireRequest, WireResponse } from './service-handler.js';

/**
 * The one dispatch every service goes through: the protocol reads the request into an operation
 * name and its SDK-shaped input (checked against the generated model), the operation runs with
 * `(ctx, input)`, the protocol writes its output or its error. Unexpected failures are logged
 * once here and answer the protocol's internal error (a full disk its retryable 503); nothing
 * thrown escapes.
 */
export interface Protocol {
  /** The operation and its input; throws a ServiceError for a request it cannot read. */
  read(request: WireRequest): { readonly operation: string; readonly input: object };
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
    try {
      const { operation, input } = protocol.read(request);
      // The protocol only names operations of the generated list, which the table's type covers.
      if (!isOperation(operations, operation)) throw new Error(`operation ${operation} is in the generated list but has no binding`);
      return protocol.write(ctx, operation, await operations[operation](ctx, input), request);
    } catch (err) {
      if (isServiceError(err)) return protocol.error(ctx, err);
      // A full disk is the machine's state, not a bug: a retryable 503, not logged as an internal error.
      const busy = unavailable(err, protocol.unavailable);
      if (busy) return protocol.error(ctx, busy);
      options.onInternalError?.(err, request);
      return protocol.error(ctx, protocol.internalError());
    }
  };
}
