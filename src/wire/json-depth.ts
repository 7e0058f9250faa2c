/**
 * How deeply a request's JSON may nest. AWS's deserializers refuse absurd nesting before they
 * build anything (the probe's 2,500-deep SQS body overflowed our recursive readers instead: a
 * 500). No AWS input shape comes near this depth — SQS and EventBridge inputs are a handful of
 * levels, event patterns and details travel as strings — so 100 refuses only what no client sends.
 */
export const MAX_JSON_DEPTH = 100;

/**
 * Whether `text`'s JSON nests at most `max` arrays/objects deep, in one linear pass that skips
 * strings (brackets inside them do not count); run before JSON.parse, so a deep body costs one
 * scan and no recursion anywhere.
 */
export function jsonDepthWithin(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return false;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return true;
}
