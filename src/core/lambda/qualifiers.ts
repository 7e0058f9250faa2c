import type { FunctionRecord } from '../../storage/ports/lambda-store.js';
import { notFound } from './errors.js';

/**
 * The qualifier a request names, in the FunctionName (`NAME:QUALIFIER`, an ARN's eighth part) or
 * the Qualifier parameter; `$LATEST` when it names none. amiwatch has no published versions or
 * aliases yet, so any other qualifier is Lambda's ResourceNotFoundException for that ARN.
 */
export function resolveQualifier(r: FunctionRecord, name: string, qualifier: string | undefined): string {
  const parts = name.split(':');
  const inName = parts[0] === 'arn' ? parts[7] : parts.length === 2 ? parts[1] : parts.length === 4 ? parts[3] : undefined;
  const q = inName ?? qualifier ?? '$LATEST';
  if (q !== '$LATEST') throw notFound(`${r.arn}:${q}`);
  return q;
}
