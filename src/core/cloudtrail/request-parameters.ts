/**
 * An operation's input or output as CloudTrail writes it in `requestParameters` and
 * `responseElements`: member names in lowerCamelCase (`ImageId` → `imageId`), and for EC2 every
 * list wrapped as `{"items": [...]}` — the shape automations match on, e.g.
 * `requestParameters.launchPermission.add.items[].group = "all"` for an image made public.
 * Secrets are never written: CloudTrail replaces credentials and code with
 * `HIDDEN_DUE_TO_SECURITY_REASONS` (binary payloads: zips, Invoke payloads).
 */
export const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';

/** Members whose values CloudTrail never records (lowerCamelCase names). */
const SECRET = new Set([
  'secretAccessKey',
  'sessionToken',
  'password',
  'apiKeyValue',
  'clientSecret',
  'zipFile',
  'privateKey',
  'keyMaterial',
  // RunInstances' user data may hold secrets; CloudTrail records it removed.
  'userData',
  'authorization',
  'token',
  // Message contents (SNS Publish, SQS SendMessage): CloudTrail records that a message was sent, not what it said.
  'message',
  'messageBody',
]);

/** A connection's auth parameters (EventBridge), a function's environment variables (Lambda): every value under them is hidden. */
const SECRET_TREES = new Set(['authParameters', 'invocationHttpParameters', 'variables']);

const lowerFirst = (s: string): string => (s.length > 0 && s[0]! >= 'A' && s[0]! <= 'Z' ? s[0]!.toLowerCase() + s.slice(1) : s);

/**
 * What the service model says of a value (given by the wire, which has the models): a map's keys
 * are data (`Attributes: {"VisibilityTimeout": …}`, tag keys), written as they are; a structure's
 * are member names, written in lowerCamelCase. Without a guide every object is a structure.
 */
export interface ShapeGuide {
  readonly kind: 'structure' | 'map' | 'list' | 'other';
  /** A structure member's, a map value's or a list item's guide. */
  child(key: string): ShapeGuide | undefined;
}

export function cloudTrailShape(value: unknown, ec2Lists: boolean, guide?: ShapeGuide, depth = 0): unknown {
  if (value === undefined || value === null) return value;
  if (depth > 32) return HIDDEN;
  if (value instanceof Uint8Array) return HIDDEN;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    const items = value.map((v) => cloudTrailShape(v, ec2Lists, guide?.child(''), depth + 1));
    return ec2Lists ? { items } : items;
  }
  if (typeof value === 'object') {
    const map = guide?.kind === 'map';
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      const name = map ? k : lowerFirst(k);
      if (SECRET.has(name)) out[name] = HIDDEN;
      else if (SECRET_TREES.has(name)) out[name] = hideLeaves(v, guide?.child(k));
      else out[name] = cloudTrailShape(v, ec2Lists, guide?.child(k), depth + 1);
    }
    return out;
  }
  return value;
}

/** The structure kept (names as above), every leaf value hidden. */
function hideLeaves(value: unknown, guide: ShapeGuide | undefined): unknown {
  if (Array.isArray(value)) return value.map((v) => hideLeaves(v, guide?.child('')));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [guide?.kind === 'map' ? k : lowerFirst(k), hideLeaves(v, guide?.child(k))]),
    );
  }
  return HIDDEN;
}
