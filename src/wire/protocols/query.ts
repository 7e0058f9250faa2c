import { XMLBuilder } from 'fast-xml-parser';
import type { ServiceError } from '../../core/shared/service-error.js';
import type { Protocol } from '../dispatch.js';
import { formTree, formText } from '../model/form-tree.js';
import { readQueryInput, type QueryDecoding } from '../model/query-input.js';
import { checkQueryInput, type QueryCheck } from '../model/query-check.js';
import { xmlOutput } from '../model/xml-output.js';
import type { ServiceModel } from '../model/service-model.js';
import type { WireRequest, WireResponse } from '../service-handler.js';

/**
 * awsQuery (SNS; SQS's older clients): `Action=<Op>&Version=…` form parameters in (body or query
 * string), `<OpResponse xmlns=…><OpResult>…</OpResult><ResponseMetadata><RequestId>` out;
 * errors `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>`. Results are
 * written from the model's output shapes (xml-output.ts); an operation without an output shape
 * answers no Result element.
 */
export interface QueryOptions {
  readonly namespace: string;
  readonly decoding: Omit<QueryDecoding, 'shapes'>;
  /** The model's required members and constraints, in the service's words (query-check.ts). */
  readonly check: QueryCheck;
  /** The error for an Action the service does not serve. */
  readonly invalidAction: (action: string) => ServiceError;
  /** A member the request may carry outside its parameters (SQS: the queue URL as the path). */
  readonly fromRequest?: (operation: string, input: Record<string, unknown>, request: WireRequest) => void;
  /** awsQuery's code where it differs from the JSON one (SQS's legacy codes). */
  readonly queryCode?: (err: ServiceError) => string;
  readonly internalError: () => ServiceError;
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: false });
const xml = (body: unknown): string => `<?xml version="1.0"?>\n${builder.build(body)}`;

export function queryProtocol(model: ServiceModel, options: QueryOptions): Protocol {
  const decoding: QueryDecoding = { shapes: model.queryShapes ?? model.shapes, ...options.decoding };
  return {
    model,
    operationOf(request) {
      const action = formTree(formText(request.url, request.body)).get('Action');
      return action !== undefined && Object.hasOwn(model.operations, action) ? action : undefined;
    },
    read(request) {
      const form = formTree(formText(request.url, request.body));
      const action = form.get('Action') ?? '';
      const operation = Object.hasOwn(model.operations, action) ? model.operations[action] : undefined;
      if (!operation) throw options.invalidAction(action);
      const input = readQueryInput(decoding, operation.input, form.root);
      options.fromRequest?.(action, input, request);
      checkQueryInput(decoding.shapes, operation.input, input, options.check);
      return { operation: action, input };
    },
    write: (ctx, operation, output) => {
      const shape = model.operations[operation]?.output;
      const result = shape === undefined ? null : xmlOutput(model.outputShapes ?? {}, shape, output ?? {});
      return queryResponse(options.namespace, operation, ctx.requestId, result);
    },
    error: (ctx, err) => queryError(options.namespace, ctx.requestId, err, options.queryCode?.(err) ?? err.code),
    internalError: options.internalError,
  };
}

export function queryResponse(namespace: string, action: string, requestId: string, result: Record<string, unknown> | null): WireResponse {
  const body = {
    [`${action}Response`]: {
      '@_xmlns': namespace,
      ...(result !== null && { [`${action}Result`]: clean(result) }),
      ResponseMetadata: { RequestId: requestId },
    },
  };
  return { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body: xml(body) };
}

export function queryError(namespace: string, requestId: string, err: ServiceError, code = err.code): WireResponse {
  const body = {
    ErrorResponse: { '@_xmlns': namespace, Error: { Type: err.fault, Code: code, Message: err.message }, RequestId: requestId },
  };
  return { status: err.status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body: xml(body) };
}

/** Drops undefined members, writes booleans and numbers as text. */
function clean(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clean);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = clean(v);
    return out;
  }
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  return value;
}
