import { ServiceError } from '../../core/shared/service-error.js';

/**
 * Reading awsQuery parameters (SNS, SQS): a flat form map with 1-based lists
 * (`AttributeName.1`, `Tags.member.1.Key`), maps as numbered entries
 * (`Attributes.entry.1.key`, `Attribute.1.Name`), and message attributes
 * (`MessageAttributes.entry.1.Value.StringValue`). Each helper reads one of those shapes.
 */
export type Params = ReadonlyMap<string, string>;

export const str = (p: Params, key: string): string | undefined => p.get(key);

export function int(p: Params, key: string): number | undefined {
  const v = p.get(key);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v.trim())) throw new ServiceError('InvalidParameterValue', `Value ${v} for parameter ${key} is invalid. Reason: must be an integer.`);
  return Number(v);
}

export function bool(p: Params, key: string): boolean | undefined {
  const v = p.get(key)?.toLowerCase();
  if (v === undefined) return undefined;
  if (v !== 'true' && v !== 'false') throw new ServiceError('InvalidParameterValue', `Value ${p.get(key)} for parameter ${key} is invalid.`);
  return v === 'true';
}

/** The 1-based indexes under `prefix.`, in numeric order. */
function indexes(p: Params, prefix: string): number[] {
  const found = new Set<number>();
  for (const k of p.keys()) {
    if (!k.startsWith(`${prefix}.`)) continue;
    const seg = k.slice(prefix.length + 1).split('.')[0]!;
    if (/^[1-9]\d*$/.test(seg)) found.add(Number(seg));
  }
  return [...found].sort((a, b) => a - b);
}

/** `prefix.1`, `prefix.2`, … as a list; undefined when none. */
export function list(p: Params, prefix: string): string[] | undefined {
  const ns = indexes(p, prefix);
  return ns.length === 0 ? undefined : ns.map((n) => p.get(`${prefix}.${n}`) ?? '');
}

/** `prefix.N.<rest>` as one sub-map per N (keys without the prefix); undefined when none. */
export function members(p: Params, prefix: string): Map<string, string>[] | undefined {
  const ns = indexes(p, prefix);
  if (ns.length === 0) return undefined;
  return ns.map((n) => {
    const start = `${prefix}.${n}.`;
    const sub = new Map<string, string>();
    for (const [k, v] of p) if (k.startsWith(start)) sub.set(k.slice(start.length), v);
    return sub;
  });
}

/** Maps sent as entries: `prefix.N.<nameKey>` / `prefix.N.<valueKey>`. */
export function map(p: Params, prefix: string, nameKey: string, valueKey: string): Record<string, string> | undefined {
  const ms = members(p, prefix);
  if (!ms) return undefined;
  const out: Record<string, string> = {};
  for (const m of ms) {
    const name = m.get(nameKey);
    if (name !== undefined) out[name] = m.get(valueKey) ?? '';
  }
  return out;
}

export interface QueryAttributeValue {
  DataType?: string;
  StringValue?: string;
  BinaryValue?: string;
}

/** Message attributes: `prefix.N.<nameKey>` + `prefix.N.Value.{DataType,StringValue,BinaryValue}`. */
export function messageAttributes(p: Params, prefix: string, nameKey: string): Record<string, QueryAttributeValue> | undefined {
  const ms = members(p, prefix);
  if (!ms) return undefined;
  const out: Record<string, QueryAttributeValue> = {};
  for (const m of ms) {
    const name = m.get(nameKey);
    if (name === undefined) continue;
    const v: QueryAttributeValue = {};
    const dt = m.get('Value.DataType');
    const sv = m.get('Value.StringValue');
    const bv = m.get('Value.BinaryValue');
    if (dt !== undefined) v.DataType = dt;
    if (sv !== undefined) v.StringValue = sv;
    if (bv !== undefined) v.BinaryValue = bv;
    out[name] = v;
  }
  return out;
}

/** The form text of a request: the query string (GET) and the body (POST), joined. */
export function formParams(url: string, body: Buffer): Map<string, string> {
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  const text = [query, body.toString('utf8')].filter((s) => s.length > 0).join('&');
  const out = new Map<string, string>();
  for (const [k, v] of new URLSearchParams(text)) out.set(k, v);
  return out;
}
