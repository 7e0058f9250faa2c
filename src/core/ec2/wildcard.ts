/**
 * EC2 filter values may hold wildcards: `*` (zero or more characters) and `?` (exactly one);
 * a backslash escapes them (`\*`, `\?`, `\\`). Matching is case-sensitive, as on AWS.
 */
export function wildcardToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) {
      source += escapeRegExp(pattern[++i]!);
    } else if (c === '*') {
      source += '[\\s\\S]*';
    } else if (c === '?') {
      source += '[\\s\\S]';
    } else {
      source += escapeRegExp(c);
    }
  }
  return new RegExp(`^${source}$`);
}

const escapeRegExp = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

export function wildcardMatches(pattern: string, value: string): boolean {
  return wildcardToRegExp(pattern).test(value);
}
