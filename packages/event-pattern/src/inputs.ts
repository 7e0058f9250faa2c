/** A pattern as JSON text (what the AWS APIs carry) or as a parsed object. */
export type Pattern = string | object;

/** An event as JSON text or as a parsed object. */
export type EventInput = string | object;

/**
 * Patterns are validated as text because AWS's messages quote the text and point into it.
 * A parsed object is serialised compactly first (`JSON.stringify`), so its messages point into
 * that serialisation.
 */
export function patternText(pattern: Pattern): string {
  if (typeof pattern === 'string') return pattern;
  const text = JSON.stringify(pattern) as string | undefined;
  return text ?? '';
}
