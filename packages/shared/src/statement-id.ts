/**
 * The statement id of the permission that lets a rule invoke a Lambda target.
 *
 * AWS's console names these statements `AWSEvents_RULE_TARGET`; amiwatch adds a hash of the
 * rule's ARN and the target ID, because the readable part alone cannot be unique: rule names and
 * target IDs may hold `_` and `.` (`.` is not allowed in a statement id, so becomes `-`), the same
 * rule name can exist on several buses, and 64 + 64 characters do not fit in 100 (it is cut).
 * The console's wizard and `amiwatch start --init` both name statements this way, so either one
 * finds what the other added.
 */
const PREFIX = 'AWSEvents_';

/** AddPermission's StatementId (Lambda API model): 1–100 of `[a-zA-Z0-9-_]`. */
export const MAX_STATEMENT_ID = 100;

/** FNV-1a (32 bits) as 8 hex digits: no WebCrypto, which a console served over plain http lacks. */
function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** `AWSEvents_RULE_TARGET_HASH`, at most 100 characters, only those AddPermission allows. */
export function statementId(ruleArn: string, targetId: string): string {
  const rule = ruleArn.slice(ruleArn.lastIndexOf('/') + 1);
  const hash = shortHash(`${ruleArn}\n${targetId}`);
  const readable = `${rule}_${targetId}`.replace(/[^a-zA-Z0-9_-]/g, '-');
  return `${PREFIX}${readable.slice(0, MAX_STATEMENT_ID - PREFIX.length - hash.length - 1)}_${hash}`;
}
