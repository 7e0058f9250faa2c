import type { ServiceModel, ShapeModel } from './service-model.js';
import { CommonErrors } from '../../core/generated/errors.js';
import {
  constraintText,
  lengthFailures,
  rangeFailures,
  stringFailures,
  validationSummary,
  violationText,
  type Failure,
} from './constraints.js';

/**
 * Reads a parsed JSON body into an operation's input shape, as AWS's JSON front ends do before
 * the operation runs:
 *  - a member of the wrong JSON type → SerializationException (the body cannot be read into the
 *    shape);
 *  - in `full` mode, missing required members, lengths, ranges, patterns and enums →
 *    ValidationException "N validation error(s) detected: Value … at '…' failed to satisfy
 *    constraint: …", every violation listed (EventBridge's texts, test/e2e/sdk-rules.test.ts);
 *  - in `types` mode only the types are checked: services that check values in their own words
 *    (SQS, Lambda) keep doing so; `none` leaves the (object) body to the operation.
 * Unknown members and JSON nulls are dropped, as AWS's deserializer ignores them; timestamps
 * (epoch seconds, or ISO 8601) become Dates. The value is read in place (it was parsed for this
 * request alone).
 */
export type JsonCheck = 'full' | 'types' | 'none';

export function readJsonInput(model: ServiceModel, shape: string | undefined, value: unknown, check: JsonCheck): Record<string, unknown> {
  if (shape === undefined) return {};
  if (check === 'none') return value as Record<string, unknown>;
  const violations: string[] = [];
  const reader = new Reader(model.shapes, check, violations);
  const out = reader.read(shape, value, '') as Record<string, unknown>;
  if (violations.length > 0) throw CommonErrors.ValidationException(validationSummary(violations));
  return out;
}

const serialization = (message: string) => CommonErrors.SerializationException(message);
const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

class Reader {
  constructor(
    private readonly shapes: ServiceModel['shapes'],
    private readonly check: JsonCheck,
    private readonly violations: string[],
  ) {}

  read(name: string, value: unknown, path: string): unknown {
    const shape = this.shapes[name]!;
    switch (shape.t) {
      case 'string':
        if (typeof value !== 'string') throw serialization(`Expected a string for ${path || 'input'}, got ${jsonType(value)}.`);
        if (this.check === 'full') this.string(shape, value, path);
        return value;
      case 'blob':
        if (typeof value !== 'string') throw serialization(`Expected a string for ${path || 'input'}, got ${jsonType(value)}.`);
        return value;
      case 'integer':
      case 'long':
        if (typeof value !== 'number' || !Number.isInteger(value))
          throw serialization(`Expected an integer for ${path}, got ${jsonType(value)}.`);
        this.range(shape, value, path);
        return value;
      case 'double':
      case 'float':
        if (typeof value !== 'number') throw serialization(`Expected a number for ${path}, got ${jsonType(value)}.`);
        this.range(shape, value, path);
        return value;
      case 'boolean':
        if (typeof value !== 'boolean') throw serialization(`Expected a boolean for ${path}, got ${jsonType(value)}.`);
        return value;
      case 'timestamp':
        return this.timestamp(value, path);
      case 'list':
        return this.list(shape, value, path);
      case 'map':
        return this.map(shape, value, path);
      case 'structure':
        return this.structure(shape, value, path);
    }
  }

  private violation(value: unknown, path: string, failures: readonly Failure[]): void {
    for (const f of failures) this.violations.push(violationText(value, path, constraintText(f)));
  }

  private string(shape: Extract<ShapeModel, { t: 'string' }>, value: string, path: string): void {
    this.violation(value, path, stringFailures(shape, value));
  }

  private length(shape: { min?: number; max?: number }, length: number, value: unknown, path: string): void {
    if (this.check === 'full') this.violation(value, path, lengthFailures(shape, length));
  }

  private range(shape: { min?: number; max?: number }, value: number, path: string): void {
    if (this.check === 'full') this.violation(value, path, rangeFailures(shape, value));
  }

  private timestamp(value: unknown, path: string): Date {
    // JSON protocols send epoch seconds; an ISO 8601 string is accepted as AWS's parser does.
    const ms = typeof value === 'number' ? value * 1000 : typeof value === 'string' ? Date.parse(value) : NaN;
    if (!Number.isFinite(ms)) throw serialization(`Expected a timestamp for ${path}, got ${jsonType(value)}.`);
    return new Date(ms);
  }

  private list(shape: Extract<ShapeModel, { t: 'list' }>, value: unknown, path: string): unknown[] {
    if (!Array.isArray(value)) throw serialization(`Expected a list for ${path}, got ${jsonType(value)}.`);
    this.length(shape, value.length, value, path);
    for (let i = 0; i < value.length; i++) value[i] = this.read(shape.member, value[i], `${path}.${i + 1}.member`);
    return value;
  }

  private map(shape: Extract<ShapeModel, { t: 'map' }>, value: unknown, path: string): Record<string, unknown> {
    if (!isObject(value)) throw serialization(`Expected a map for ${path}, got ${jsonType(value)}.`);
    const out: Record<string, unknown> = {};
    const entries = Object.entries(value);
    this.length(shape, entries.length, value, path);
    for (const [k, item] of entries) {
      this.read(shape.key, k, `${path}.key`);
      // An own property even for `__proto__`: a map key is data, never the object's prototype.
      Object.defineProperty(out, k, {
        value: this.read(shape.value, item, `${path}.${k}.value`),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }

  private structure(shape: Extract<ShapeModel, { t: 'structure' }>, value: unknown, path: string): Record<string, unknown> {
    if (!isObject(value)) throw serialization(`Expected an object for ${path || 'the request body'}, got ${jsonType(value)}.`);
    const prefix = path ? `${path}.` : '';
    if (this.check === 'full') {
      for (const name of shape.required ?? []) {
        if (value[name] === undefined || value[name] === null)
          this.violations.push(`Value null at '${prefix}${lowerFirst(name)}' failed to satisfy constraint: Member must not be null`);
      }
    }
    for (const name in value) {
      const member = Object.hasOwn(shape.members, name) ? shape.members[name] : undefined;
      const item = value[name];
      // A JSON null is an absent member for AWS's deserializer; unknown members are ignored.
      if (item === null || !member || member.location !== undefined) {
        delete value[name];
        continue;
      }
      value[name] = this.read(member.shape, item, `${prefix}${lowerFirst(name)}`);
    }
    return value;
  }
}

function jsonType(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'a list';
  return typeof x === 'object' ? 'an object' : `a ${typeof x}`;
}
