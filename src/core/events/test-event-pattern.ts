import { check, DEFAULT_LIMITS, EventSyntaxError, matches } from '@amiwatch/event-pattern';
import type { TestEventPatternRequest, TestEventPatternResponse } from '@aws-sdk/client-eventbridge';
import { invalidPattern } from './rules.js';
import { EventsErrors } from '../generated/errors.js';

/**
 * TestEventPattern: the pattern is checked with the same texts as PutRule; the event must be a
 * JSON object carrying the envelope fields AWS insists on (id, account, source, time, region,
 * detail-type — `resources` is not actually required), otherwise "Parameter Event is not valid.".
 */
const REQUIRED = ['id', 'account', 'source', 'time', 'region', 'detail-type'];

/** TestEventPattern takes patterns up to the API's 4,096 characters, not a rule's 2,048. */
const LIMITS = { ...DEFAULT_LIMITS, maxLength: 4096 };

export function testEventPattern(input: TestEventPatternRequest): TestEventPatternResponse {
  const reason = check(input.EventPattern!, LIMITS);
  if (reason !== null) throw invalidPattern(reason);
  let event: unknown;
  try {
    event = JSON.parse(input.Event!);
  } catch {
    event = undefined;
  }
  if (event === null || typeof event !== 'object' || Array.isArray(event) || REQUIRED.some((k) => !Object.hasOwn(event as object, k))) {
    throw EventsErrors.ValidationException('Parameter Event is not valid.');
  }
  try {
    return { Result: matches(input.EventPattern!, event, LIMITS) };
  } catch (err) {
    // An event nested deeper than the matcher reads (1,000 levels).
    if (err instanceof EventSyntaxError) throw EventsErrors.ValidationException('Parameter Event is not valid.');
    throw err;
  }
}
