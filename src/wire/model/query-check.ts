import type { ServiceError } from '../../core/shared/service-error.js';
import { lengthFailures, rangeFailures, stringFailures, type Failure } from './constraints.js';
import type { ShapeModel } from './service-model.js';

/**
 * Checks a query-protocol input (awsQuery, EC2), already read by query-input.ts, against the
 * model before the operation runs: required members first (the first one missing is the error,
 * named by its wire key — `Tag.1.Key`, `SendMessageBatchRequestEntry.2.Id` — as AWS's
 * MissingParameter texts name it), then lengths, ranges, patterns and enums, every failure
 * handed to the protocol, which writes them in its service's words. A protocol that leaves
 * values to its services (SQS: InvalidAttributeName and its own texts) gives no `invalid`.
 */
export interface QueryViolation {
  /** The wire key: `MaxResults`, `Filter.1.Name`, `Tags.member.1.Key`. */
  readonly key: string;
  /** The member path as AWS's validators print it: `tags.1.member.key`. */
  readonly path: string;
  /** The member's own name (EC2 texts say `for parameter maxResults`). */
  readonly member: string;
  readonly value: unknown;
  readonly failure: Failure;
  /** The member's shape (its full bounds, for texts that name both). */
  readonly shape: ShapeModel;
}

export interface QueryCheck {
  readonly missing: (key: string, member: string) => ServiceError;
  /** The error for the failures found; undefined lets the request through (the service decides). */
  readonly invalid?: (violations: readonly QueryViolation[]) => ServiceError | undefined;
}

type Shapes = Readonly<Record<string, ShapeModel>>;
interface At {
  readonly key: string;
  readonly path: string;
  readonly member: string;
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const join = (a: string, b: string, sep = '.') => (a ? `${a}${sep}${b}` : b);

export function checkQueryInput(shapes: Shapes, shape: string | undefined, input: Record<string, unknown>, check: QueryCheck): void {
  if (shape === undefined) return;
  const violations: QueryViolation[] = [];
  walk(shapes, shape, input, { key: '', path: '', member: '' }, check, violations);
  const err = violations.length > 0 ? check.invalid?.(violations) : undefined;
  if (err) throw err;
}

function walk(shapes: Shapes, name: string, value: unknown, at: At, check: QueryCheck, out: QueryViolation[]): void {
  const shape = shapes[name]!;
  const fail = (failures: Failure[]) => {
    for (const failure of failures) out.push({ ...at, value, failure, shape });
  };
  switch (shape.t) {
    case 'string':
      if (typeof value === 'string') fail(stringFailures(shape, value));
      return;
    case 'integer':
    case 'long':
    case 'double':
    case 'float':
      if (typeof value === 'number') fail(rangeFailures(shape, value));
      return;
    case 'list':
      if (!Array.isArray(value)) return;
      fail(lengthFailures(shape, value.length));
      value.forEach((item, i) => {
        const key = join(shape.item === undefined ? at.key : join(at.key, shape.item), String(i + 1));
        walk(shapes, shape.member, item, { key, path: `${at.path}.${i + 1}.member`, member: at.member }, check, out);
      });
      return;
    case 'map':
      if (value === null || typeof value !== 'object') return;
      fail(lengthFailures(shape, Object.keys(value).length));
      for (const [k, v] of Object.entries(value)) walk(shapes, shape.value, v, { ...at, path: `${at.path}.${k}.value` }, check, out);
      return;
    case 'structure':
      if (value !== null && typeof value === 'object') structure(shapes, shape, value as Record<string, unknown>, at, check, out);
      return;
    default:
      return;
  }
}

function structure(
  shapes: Shapes,
  shape: Extract<ShapeModel, { t: 'structure' }>,
  value: Record<string, unknown>,
  at: At,
  check: QueryCheck,
  out: QueryViolation[],
): void {
  for (const member of shape.required ?? []) {
    const ref = shape.members[member];
    if (value[member] === undefined && ref?.location === undefined) throw check.missing(join(at.key, ref?.name ?? member), member);
  }
  for (const [member, ref] of Object.entries(shape.members)) {
    if (value[member] === undefined) continue;
    const next = { key: join(at.key, ref.name ?? member), path: join(at.path, lowerFirst(member)), member };
    walk(shapes, ref.shape, value[member], next, check, out);
  }
}
