import { ServiceError } from '../../core/shared/service-error.js';

/**
 * The EC2 query protocol's input side. Parameters arrive form-encoded (`+` or `%20` for spaces);
 * lists are flattened and 1-based (`ImageId.1`, `Filter.1.Value.1`), structures are dotted
 * (`BlockDeviceMapping.1.Ebs.SnapshotId`). A Spec says, per input member, its query key and type;
 * `decode` turns the flat map into the SDK-shaped input object.
 */
export type FieldType = 'string' | 'bool' | 'int' | ListType | StructType;
export interface ListType {
  readonly list: FieldType;
}
export interface StructType {
  readonly struct: Spec;
}
/** member name → type (query key = member name) or [query key, type]. */
export type Spec = Readonly<Record<string, FieldType | readonly [string, FieldType]>>;

export const list = (of: FieldType): ListType => ({ list: of });
export const struct = (spec: Spec): StructType => ({ struct: spec });

export function parseForm(text: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const [k, v] of new URLSearchParams(text)) params.set(k, v);
  return params;
}

export function decode(params: ReadonlyMap<string, string>, spec: Spec, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [member, entry] of Object.entries(spec)) {
    const [key, type] = Array.isArray(entry) ? (entry as readonly [string, FieldType]) : [member, entry as FieldType];
    const value = decodeField(params, `${prefix}${key}`, type);
    if (value !== undefined) out[member] = value;
  }
  return out;
}

function decodeField(params: ReadonlyMap<string, string>, key: string, type: FieldType): unknown {
  if (type === 'string') return params.get(key);
  if (type === 'bool') return parseBool(key, params.get(key));
  if (type === 'int') return parseInt(key, params.get(key));
  if ('struct' in type) {
    const value = decode(params, type.struct, `${key}.`);
    return Object.keys(value).length === 0 ? undefined : value;
  }
  const indexes = listIndexes(params, key);
  if (indexes.length === 0) return undefined;
  return indexes.map((n) => decodeField(params, `${key}.${n}`, type.list) ?? absentElement(type.list));
}

/**
 * A list index that is present with none of its element's members (`Filter.1.Value.0=x`,
 * `ImageId.1.x=y`) is an empty element, as AWS's deserializer builds it — `{}` or `''` — for
 * the operation to refuse in its words, never an `undefined` hole a service trips over.
 */
const absentElement = (type: FieldType): unknown => (typeof type === 'object' && 'struct' in type ? {} : typeof type === 'object' ? [] : type === 'string' ? '' : undefined);

/** The 1-based indexes present under `key.` in numeric order (gaps allowed, as AWS allows them). */
function listIndexes(params: ReadonlyMap<string, string>, key: string): number[] {
  const found = new Set<number>();
  const start = `${key}.`;
  for (const k of params.keys()) {
    if (!k.startsWith(start)) continue;
    const segment = k.slice(start.length).split('.')[0]!;
    if (!/^[1-9]\d*$/.test(segment)) continue;
    found.add(Number(segment));
  }
  return [...found].sort((a, b) => a - b);
}

function parseBool(key: string, raw: string | undefined): boolean | undefined {
  if (raw === undefined) return undefined;
  const v = raw.toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw invalidValue(raw, key);
}

function parseInt(key: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^-?\d+$/.test(raw.trim())) throw invalidValue(raw, key);
  return Number(raw);
}

const invalidValue = (raw: string, key: string): ServiceError =>
  new ServiceError('InvalidParameterValue', `Value (${raw}) for parameter ${key} is invalid.`);
