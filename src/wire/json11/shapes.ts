import { ServiceError } from '../../core/shared/service-error.js';

/**
 * A compact form of the Smithy model's input shapes, enough to reproduce what AWS's front end
 * does before an operation runs:
 *  - a member of the wrong JSON type → SerializationException (the body cannot be read into the
 *    shape), as AWS's JSON 1.1 services answer;
 *  - missing required members, lengths, ranges, patterns, enums → ValidationException with
 *    AWS's "N validation error(s) detected: Value … at '…' failed to satisfy constraint: …".
 * Unknown members are ignored, as AWS does. Timestamps arrive as epoch seconds and become Dates.
 */
export type Shape =
  | { readonly t: 'string'; readonly min?: number; readonly max?: number; readonly pattern?: RegExp; readonly enum?: readonly string[] }
  | { readonly t: 'integer'; readonly min?: number; readonly max?: number }
  | { readonly t: 'boolean' }
  | { readonly t: 'timestamp' }
  | { readonly t: 'list'; readonly member: Shape; readonly min?: number; readonly max?: number }
  | { readonly t: 'map'; readonly key: Shape; readonly value: Shape; readonly max?: number }
  | { readonly t: 'structure'; readonly members: Readonly<Record<string, Shape>>; readonly required?: readonly string[] }
  | { readonly t: 'any' };

export const str = (o: { min?: number; max?: number; pattern?: RegExp; enum?: readonly string[] } = {}): Shape => ({ t: 'string', ...o });
export const int = (min?: number, max?: number): Shape => ({ t: 'integer', ...(min !== undefined && { min }), ...(max !== undefined && { max }) });
export const bool: Shape = { t: 'boolean' };
export const timestamp: Shape = { t: 'timestamp' };
export const any: Shape = { t: 'any' };
export const list = (member: Shape, min?: number, max?: number): Shape => ({ t: 'list', member, ...(min !== undefined && { min }), ...(max !== undefined && { max }) });
export const map = (key: Shape, value: Shape, max?: number): Shape => ({ t: 'map', key, value, ...(max !== undefined && { max }) });
export const struct = (members: Record<string, Shape>, required: string[] = []): Shape => ({ t: 'structure', members, required });

const serialization = (message: string) => new ServiceError('SerializationException', message);

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/**
 * Checks `value` against `shape` without changing it (readShape drops unknown members and
 * converts timestamps; this reads a copy): for protocols whose services read their own inputs
 * and only need a member of the wrong JSON type refused before they see it.
 */
export function checkShape(shape: Shape, value: unknown): void {
  readShape(shape, copyOf(value));
}

function copyOf(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copyOf);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copyOf(v)]));
}

/** Reads `value` into `shape` (returning the typed value) and collects constraint violations. */
export function readShape(shape: Shape, value: unknown): unknown {
  const violations: string[] = [];
  const out = read(shape, value, '', violations);
  if (violations.length > 0) {
    const n = violations.length;
    throw new ServiceError('ValidationException', `${n} validation error${n > 1 ? 's' : ''} detected: ${violations.join('; ')}`);
  }
  return out;
}

function show(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return `'[${value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ')}]'`;
  return `'${JSON.stringify(value)}'`;
}

function violation(v: string[], value: unknown, path: string, constraint: string): void {
  v.push(`Value ${show(value)} at '${path}' failed to satisfy constraint: ${constraint}`);
}

function read(shape: Shape, value: unknown, path: string, v: string[]): unknown {
  switch (shape.t) {
    case 'any':
      return value;
    case 'string': {
      if (typeof value !== 'string') throw serialization(`Expected a string for ${path || 'input'}, got ${jsonType(value)}.`);
      if (shape.enum && !shape.enum.includes(value)) violation(v, value, path, `Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
      if (shape.min !== undefined && value.length < shape.min) violation(v, value, path, `Member must have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && value.length > shape.max) violation(v, value, path, `Member must have length less than or equal to ${shape.max}`);
      if (shape.pattern && !shape.pattern.test(value)) violation(v, value, path, `Member must satisfy regular expression pattern: ${shape.pattern.source.replace(/^\^|\$$/g, '')}`);
      return value;
    }
    case 'integer': {
      if (typeof value !== 'number' || !Number.isInteger(value)) throw serialization(`Expected an integer for ${path}, got ${jsonType(value)}.`);
      if (shape.min !== undefined && value < shape.min) violation(v, value, path, `Member must have value greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && value > shape.max) violation(v, value, path, `Member must have value less than or equal to ${shape.max}`);
      return value;
    }
    case 'boolean':
      if (typeof value !== 'boolean') throw serialization(`Expected a boolean for ${path}, got ${jsonType(value)}.`);
      return value;
    case 'timestamp': {
      // JSON 1.1 sends epoch seconds; an ISO 8601 string is accepted as AWS's parser does.
      const ms = typeof value === 'number' ? value * 1000 : typeof value === 'string' ? Date.parse(value) : NaN;
      if (!Number.isFinite(ms)) throw serialization(`Expected a timestamp for ${path}, got ${jsonType(value)}.`);
      return new Date(ms);
    }
    case 'list': {
      if (!Array.isArray(value)) throw serialization(`Expected a list for ${path}, got ${jsonType(value)}.`);
      if (shape.min !== undefined && value.length < shape.min) violation(v, value, path, `Member must have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && value.length > shape.max) violation(v, value, path, `Member must have length less than or equal to ${shape.max}`);
      // Read in place (the body was parsed for this request alone): no copies on the hot path.
      for (let i = 0; i < value.length; i++) value[i] = read(shape.member, value[i], `${path}.${i + 1}.member`, v);
      return value;
    }
    case 'map': {
      if (!isObject(value)) throw serialization(`Expected a map for ${path}, got ${jsonType(value)}.`);
      const out: Record<string, unknown> = {};
      const entries = Object.entries(value);
      if (shape.max !== undefined && entries.length > shape.max) violation(v, value, path, `Member must have length less than or equal to ${shape.max}`);
      for (const [k, item] of entries) {
        read(shape.key, k, `${path}.key`, v);
        out[k] = read(shape.value, item, `${path}.${k}.value`, v);
      }
      return out;
    }
    case 'structure': {
      if (!isObject(value)) throw serialization(`Expected an object for ${path || 'the request body'}, got ${jsonType(value)}.`);
      for (const name of shape.required ?? []) {
        if (value[name] === undefined || value[name] === null) {
          v.push(`Value null at '${path ? path + '.' : ''}${lowerFirst(name)}' failed to satisfy constraint: Member must not be null`);
        }
      }
      for (const name in value) {
        const member = shape.members[name];
        const item = value[name];
        // A JSON null is an absent member for AWS's deserializer; unknown members are ignored.
        if (item === null || !member || !Object.hasOwn(shape.members, name)) {
          delete value[name];
          continue;
        }
        value[name] = read(member, item, `${path ? path + '.' : ''}${lowerFirst(name)}`, v);
      }
      return value;
    }
  }
}

const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

function jsonType(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'a list';
  return typeof x === 'object' ? 'an object' : `a ${typeof x}`;
}
