import type { ServiceError } from '../../core/shared/service-error.js';
import { indexed, type FormNode } from './form-tree.js';
import type { ShapeModel } from './service-model.js';

/**
 * Reads query-protocol parameters (awsQuery: SNS, SQS; the EC2 protocol) into an operation's
 * SDK-shaped input, from the generated model's wire names: structure members by name, lists as
 * `Key.N` (EC2, flattened awsQuery) or `Key.member.N`, maps as `Key.entry.N.key/value` or the
 * flattened `Key.N.Name/Value`. Values are checked only for their type (integers, booleans),
 * with the protocol's own text for a value it cannot read; services check the rest in their own
 * words. A list longer than its model's maximum is refused before its elements are read.
 */
export interface QueryDecoding {
  readonly shapes: Readonly<Record<string, ShapeModel>>;
  /** The protocol's error for a value that is not of its member's type (`key` is the wire key). */
  readonly invalidValue: (raw: string, key: string, type: 'integer' | 'boolean' | 'number' | 'timestamp') => ServiceError;
  /** The protocol's error for a list longer than the model allows. */
  readonly tooMany: (key: string, count: number, max: number) => ServiceError;
}

export function readQueryInput(d: QueryDecoding, shape: string | undefined, root: FormNode): Record<string, unknown> {
  if (shape === undefined) return {};
  return (structure(d, shape, root, '', false) as Record<string, unknown> | undefined) ?? {};
}

function read(d: QueryDecoding, name: string, node: FormNode | undefined, key: string, element: boolean): unknown {
  if (!node) return undefined;
  const shape = d.shapes[name]!;
  switch (shape.t) {
    case 'structure':
      return structure(d, name, node, key, element);
    case 'list':
      return list(d, shape, node, key);
    case 'map':
      return map(d, shape, node, key);
    default:
      return scalar(d, shape.t, node.value, key, element);
  }
}

function scalar(d: QueryDecoding, type: ShapeModel['t'], raw: string | undefined, key: string, element: boolean): unknown {
  // An element present with none of its content (`ImageId.1.x=y`) is empty, as AWS's
  // deserializer builds it, for the operation to refuse in its words — never an undefined hole.
  if (raw === undefined) return element && (type === 'string' || type === 'blob') ? '' : undefined;
  switch (type) {
    case 'integer':
    case 'long':
      if (!/^-?\d+$/.test(raw.trim())) throw d.invalidValue(raw, key, 'integer');
      return Number(raw);
    case 'double':
    case 'float':
      if (raw.trim() === '' || !Number.isFinite(Number(raw))) throw d.invalidValue(raw, key, 'number');
      return Number(raw);
    case 'boolean': {
      const v = raw.toLowerCase();
      if (v !== 'true' && v !== 'false') throw d.invalidValue(raw, key, 'boolean');
      return v === 'true';
    }
    case 'timestamp': {
      const ms = Date.parse(raw);
      if (!Number.isFinite(ms)) throw d.invalidValue(raw, key, 'timestamp');
      return new Date(ms);
    }
    default:
      return raw;
  }
}

function structure(d: QueryDecoding, name: string, node: FormNode, key: string, element: boolean): Record<string, unknown> | undefined {
  const shape = d.shapes[name] as Extract<ShapeModel, { t: 'structure' }>;
  const out: Record<string, unknown> = {};
  let present = false;
  for (const [member, ref] of Object.entries(shape.members)) {
    const wire = ref.name ?? member;
    const value = read(d, ref.shape, node.children?.get(wire), key ? `${key}.${wire}` : wire, false);
    if (value !== undefined) {
      out[member] = value;
      present = true;
    }
  }
  return present || element ? out : undefined;
}

function list(d: QueryDecoding, shape: Extract<ShapeModel, { t: 'list' }>, node: FormNode, key: string): unknown[] | undefined {
  const container = shape.item === undefined ? node : node.children?.get(shape.item);
  const elements = indexed(container);
  if (elements.length === 0) return undefined;
  if (shape.max !== undefined && elements.length > shape.max) throw d.tooMany(key, elements.length, shape.max);
  const prefix = shape.item === undefined ? key : `${key}.${shape.item}`;
  const member = d.shapes[shape.member]!;
  return elements.map(([n, e]) => read(d, shape.member, e, `${prefix}.${n}`, true) ?? (member.t === 'list' ? [] : undefined));
}

function map(d: QueryDecoding, shape: Extract<ShapeModel, { t: 'map' }>, node: FormNode, key: string): Record<string, unknown> | undefined {
  const container = shape.entry === undefined ? node : node.children?.get(shape.entry);
  const entries = indexed(container);
  if (entries.length === 0) return undefined;
  if (shape.max !== undefined && entries.length > shape.max) throw d.tooMany(key, entries.length, shape.max);
  const out: Record<string, unknown> = {};
  const prefix = shape.entry === undefined ? key : `${key}.${shape.entry}`;
  for (const [n, entry] of entries) {
    const name = entry.children?.get(shape.keyName ?? 'key')?.value;
    if (name === undefined) continue;
    const valueKey = `${prefix}.${n}.${shape.valueName ?? 'value'}`;
    const value = read(d, shape.value, entry.children?.get(shape.valueName ?? 'value'), valueKey, true);
    // An own property even for `__proto__`: a map key is data, never the object's prototype.
    Object.defineProperty(out, name, {
      value: value ?? (d.shapes[shape.value]!.t === 'string' ? '' : {}),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
