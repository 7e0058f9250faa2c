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
  'secretAccessKey', 'sessionToken', 'password', 'apiKeyValue', 'clientSecret', 'zipFile', 'privateKey', 'keyMaterial',
  'authorization', 'token',
  // Message contents (SNS Publish, SQS SendMessage): CloudTrail records that a message was sent, not what it said.
  'message', 'messageBody',
]);

/** A connection's auth parameters (EventBridge), a function's environment variables (Lambda): every value under them is hidden. */
const SECRET_TREES = new Set(['authParameters', 'invocationHttpParameters', 'variables']);

const lowerFirst = (s: string): string => (s.length > 0 && s[0]! >= 'A' && s[0]! <= 'Z' ? s[0]!.toLowerCase() + s.slice(1) : s);

export function cloudTrailShape(value: unknown, ec2Lists: boolean, depth = 0): unknown {
  if (value === undefined || value === null) return value;
  if (depth > 32) return HIDDEN;
  if (value instanceof Uint8Array) return HIDDEN;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    const items = value.map((v) => cloudTrailShape(v, ec2Lists, depth + 1));
    return ec2Lists ? { items } : items;
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      const name = lowerFirst(k);
      if (SECRET.has(name)) out[name] = HIDDEN;
      else if (SECRET_TREES.has(name)) out[name] = hideLeaves(v);
      else out[name] = cloudTrailShape(v, ec2Lists, depth + 1);
    }
    return out;
  }
  return value;
}

/** The structure kept, every leaf value hidden. */
function hideLeaves(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(hideLeaves);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [lowerFirst(k), hideLeaves(v)]));
  return HIDDEN;
}
