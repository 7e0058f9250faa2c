import { XMLBuilder } from 'fast-xml-parser';
import type { ServiceError } from '../../core/shared/service-error.js';
import type { WireResponse } from '../service-handler.js';

/**
 * The awsQuery response side (SNS, SQS): `<OpResponse xmlns=…><OpResult>…</OpResult>
 * <ResponseMetadata><RequestId>…` and `<ErrorResponse><Error><Type/><Code/><Message/></Error>`.
 * Callers hand over the Result content already shaped (lists as arrays of repeated elements);
 * this module only wraps and escapes.
 */
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: false });

export function queryResponse(namespace: string, action: string, requestId: string, result: Record<string, unknown> | null): WireResponse {
  const body = {
    [`${action}Response`]: {
      '@_xmlns': namespace,
      ...(result !== null && { [`${action}Result`]: clean(result) }),
      ResponseMetadata: { RequestId: requestId },
    },
  };
  return { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body: `<?xml version="1.0"?>\n${builder.build(body)}` };
}

export function queryError(namespace: string, requestId: string, err: ServiceError, code = err.code): WireResponse {
  const body = { ErrorResponse: { '@_xmlns': namespace, Error: { Type: err.fault, Code: code, Message: err.message }, RequestId: requestId } };
  return { status: err.status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body: `<?xml version="1.0"?>\n${builder.build(body)}` };
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

/** A map as awsQuery writes it (SNS): `<entry><key/><value/></entry>` … */
export const entries = (m: Readonly<Record<string, string>>): { entry: { key: string; value: string }[] } => ({
  entry: Object.entries(m).map(([key, value]) => ({ key, value })),
});
