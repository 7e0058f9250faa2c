/**
 * IAM's `ArnLike` condition operator: `*` matches any run of characters (`:` and `/` included),
 * `?` exactly one; everything else literally and case-sensitively. IAM's "Condition operators"
 * page gives `ArnEquals` the same behaviour, so one function serves both.
 */
export function arnLike(pattern: string, value: string): boolean {
  const literal = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${literal.replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(value);
}
