/**
 * @amiwatch/event-pattern — Amazon EventBridge event patterns: AWS's semantics and error
 * texts, and a compiled matcher whose cost per event does not grow with the number of rules.
 * See PATTERNS.md for the language as implemented.
 */
import { compilePattern, DEFAULT_LIMITS, type CompileLimits } from './compile-pattern.js';
import { allPathsSink, branchMatches, type LeafTable } from './evaluate.js';
import { readEventObject } from './event-reader.js';
import { readEventText } from './json-scanner.js';
import { PatternError } from './pattern-error.js';
import { patternText, type EventInput, type Pattern } from './inputs.js';

export { Matcher, type MatcherOptions } from './matcher.js';
export { PatternError } from './pattern-error.js';
export { EventSyntaxError } from './event-reader.js';
export { DEFAULT_LIMITS, type CompileLimits } from './compile-pattern.js';
export type { Pattern, EventInput } from './inputs.js';

/**
 * Validates a pattern. Returns null when it is valid, otherwise the exact reason EventBridge
 * gives — the text after `Event pattern is not valid. Reason: ` in InvalidEventPatternException.
 *
 * @example check('{"source":["aws.ec2"]}') // null
 * @example check('{"source":[]}') // 'Empty arrays are not allowed\n at [Source: …; line: 1, column: 13]'
 */
export function check(pattern: Pattern, limits: CompileLimits = DEFAULT_LIMITS): string | null {
  try {
    compilePattern(patternText(pattern), limits);
    return null;
  } catch (e) {
    if (e instanceof PatternError) return e.message;
    throw e;
  }
}

/**
 * Whether one event matches one pattern, as TestEventPattern answers. Both may be JSON text or
 * parsed objects. Throws PatternError for an invalid pattern and EventSyntaxError for an event
 * that is not a JSON object.
 */
export function matches(pattern: Pattern, event: EventInput, limits: CompileLimits = DEFAULT_LIMITS): boolean {
  const branches = compilePattern(patternText(pattern), limits);
  const table: LeafTable = new Map();
  const sink = allPathsSink(table);
  if (typeof event === 'string') readEventText(event, '', sink);
  else readEventObject(event, '', sink);
  return branches.some((b) => branchMatches(b, table));
}
