import type { ShapeModel } from './service-model.js';

/**
 * The model's value constraints (enum, length, pattern, range) as one place decides them, for
 * every protocol's validation: the JSON protocols write each failure as AWS's
 * ValidationException clause (`constraintText`), the query protocols in their own words from the
 * same failure (`kind` and `bound`).
 */
export type Failure =
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'minLength' | 'maxLength' | 'minValue' | 'maxValue'; readonly bound: number }
  | { readonly kind: 'pattern'; readonly pattern: string };

type StringShape = Extract<ShapeModel, { t: 'string' }>;
type Bounds = { readonly min?: number; readonly max?: number };

export function stringFailures(shape: StringShape, value: string): Failure[] {
  const out: Failure[] = [];
  if (shape.enum && !shape.enum.includes(value)) out.push({ kind: 'enum', values: shape.enum });
  out.push(...lengthFailures(shape, value.length));
  if (shape.pattern !== undefined && !compiled(shape.pattern, shape.flags).test(value))
    out.push({ kind: 'pattern', pattern: shape.pattern });
  return out;
}

export function lengthFailures(shape: Bounds, length: number): Failure[] {
  const out: Failure[] = [];
  if (shape.min !== undefined && length < shape.min) out.push({ kind: 'minLength', bound: shape.min });
  if (shape.max !== undefined && length > shape.max) out.push({ kind: 'maxLength', bound: shape.max });
  return out;
}

export function rangeFailures(shape: Bounds, value: number): Failure[] {
  const out: Failure[] = [];
  if (shape.min !== undefined && value < shape.min) out.push({ kind: 'minValue', bound: shape.min });
  if (shape.max !== undefined && value > shape.max) out.push({ kind: 'maxValue', bound: shape.max });
  return out;
}

/** AWS's clause for a failure: "Value 'x' at 'path' failed to satisfy constraint: <this>". */
export function constraintText(f: Failure): string {
  switch (f.kind) {
    case 'enum':
      return `Member must satisfy enum value set: [${f.values.join(', ')}]`;
    case 'minLength':
      return `Member must have length greater than or equal to ${f.bound}`;
    case 'maxLength':
      return `Member must have length less than or equal to ${f.bound}`;
    case 'minValue':
      return `Member must have value greater than or equal to ${f.bound}`;
    case 'maxValue':
      return `Member must have value less than or equal to ${f.bound}`;
    case 'pattern':
      return `Member must satisfy regular expression pattern: ${f.pattern}`;
  }
}

/** One ValidationException clause, as AWS's validators write it. */
export const violationText = (value: unknown, path: string, constraint: string): string =>
  `Value ${show(value)} at '${path}' failed to satisfy constraint: ${constraint}`;

/** "N validation error(s) detected: a; b" */
export const validationSummary = (violations: readonly string[]): string =>
  `${violations.length} validation error${violations.length > 1 ? 's' : ''} detected: ${violations.join('; ')}`;

const patterns = new Map<string, RegExp>();

/** Model patterns are whole-value matches (AWS's validators anchor them). */
function compiled(pattern: string, flags = ''): RegExp {
  const key = `${flags}/${pattern}`;
  let re = patterns.get(key);
  if (!re) patterns.set(key, (re = new RegExp(`^(?:${pattern})$`, flags)));
  return re;
}

function show(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return `'${value}'`;
  if (value instanceof Date) return `'${value.toISOString()}'`;
  if (Array.isArray(value)) return `'[${value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ')}]'`;
  return `'${JSON.stringify(value)}'`;
}
