import type { Target } from '@aws-sdk/client-eventbridge';
import { evaluate, parseJsonPath } from './json-path.js';
import { EventsErrors } from '../generated/errors.js';

/**
 * Input, InputPath and InputTransformer (eb-transform-target-input, API_InputTransformer).
 *
 *  - Input: sent verbatim (it must be valid JSON text).
 *  - InputPath: the JSON at that path of the event.
 *  - InputTransformer: variables from InputPathsMap plus the reserved `aws.events.*` ones are
 *    substituted into InputTemplate. Values are not escaped (AWS's words). In a JSON template
 *    (surrounded by curly braces), a placeholder outside quotes gets the value's JSON (a string
 *    arrives quoted), a placeholder inside quotes gets its raw text (a string unquoted); a
 *    string template gets raw text everywhere. A path that does not resolve yields no value:
 *    `null` in a JSON position, nothing inside a string.
 */
export interface TransformContext {
  readonly ruleName: string;
  readonly ruleArn: string;
  /** Ingestion time, ISO 8601 (the real time, not the event's `time`). */
  readonly ingestionTime: string;
}

const RESERVED = [
  'aws.events.rule-arn',
  'aws.events.rule-name',
  'aws.events.event.ingestion-time',
  'aws.events.event',
  'aws.events.event.json',
];
const PLACEHOLDER = /<([A-Za-z0-9_.\-]+)>/g;
const MAX_PATHS = 100;
const BRACKET_KEY = /\[\s*'/;
/**
 * Variables that "can only be used as a value for a JSON field, as [their contents are] not
 * escaped" (eb-transform-target-input, predefined variables): refused in a string template and
 * inside a JSON string at write time rather than producing broken text at delivery.
 */
const JSON_ONLY = new Set(['aws.events.event', 'aws.events.event.json']);

const invalid = (message: string) => EventsErrors.ValidationException(message);

/** Write-time checks of PutTargets; throws AWS's ValidationException. */
export function validateTargetInput(t: Target): void {
  const kinds = [t.Input, t.InputPath, t.InputTransformer].filter((x) => x !== undefined).length;
  if (kinds > 1) throw invalid(`Only one of Input, InputPath, or InputTransformer must be provided for target ${t.Id}.`);
  if (t.Input !== undefined && !isJson(t.Input))
    throw invalid(`Parameter Input is not valid. Reason: Input for target ${t.Id} is not valid JSON text.`);
  if (t.InputPath !== undefined && parseJsonPath(t.InputPath) === null)
    throw invalid(`Parameter InputPath is not valid. Reason: ${t.InputPath} is not a valid JSON path.`);
  const tr = t.InputTransformer;
  if (!tr) return;
  const paths = Object.entries(tr.InputPathsMap ?? {});
  if (paths.length > MAX_PATHS) throw invalid(`InputPathsMap for target ${t.Id} has more than ${MAX_PATHS} entries.`);
  for (const [key, path] of paths) {
    if (key.toLowerCase().startsWith('aws.')) throw invalid(`InputPathsMap for target ${t.Id} contains the reserved key ${key}.`);
    // "You must use JSON dot notation, not bracket notation" (API_InputTransformer): `['key']`
    // steps, which parseJsonPath reads for InputPath, are refused here; `[0]` indices are fine.
    if (parseJsonPath(path) === null || BRACKET_KEY.test(path))
      throw invalid(`InputPathsMap for target ${t.Id} contains an invalid JSON path: ${path}.`);
  }
  const known = new Set([...paths.map(([k]) => k), ...RESERVED]);
  const template = tr.InputTemplate ?? '';
  const json = isJsonTemplate(template);
  for (const m of template.matchAll(PLACEHOLDER)) {
    const name = m[1]!;
    if (!known.has(name)) throw invalid(`InputTemplate for target ${t.Id} contains invalid placeholder ${name}.`);
    if (!json) {
      if (JSON_ONLY.has(name)) throw invalid(`InputTemplate for target ${t.Id} uses <${name}> outside a JSON value.`);
      continue;
    }
    const inString = insideString(template, m.index);
    // "If InputTemplate is a JSON object ... the placeholder cannot be used as an object key."
    if (isObjectKey(template, m.index + m[0].length, inString))
      throw invalid(`InputTemplate for target ${t.Id} uses placeholder <${name}> as an object key.`);
    if (inString && JSON_ONLY.has(name)) throw invalid(`InputTemplate for target ${t.Id} uses <${name}> outside a JSON value.`);
  }
}

/** The payload a target receives for `event` (its JSON text and parsed form). */
export function transformInput(t: Target, eventText: string, event: Record<string, unknown>, ctx: TransformContext): string {
  if (t.Input !== undefined) return t.Input;
  if (t.InputPath !== undefined) {
    const v = evaluate(parseJsonPath(t.InputPath) ?? [], event);
    return v === undefined ? '' : JSON.stringify(v);
  }
  const tr = t.InputTransformer;
  if (!tr) return eventText;
  const values = new Map<string, unknown>();
  for (const [key, path] of Object.entries(tr.InputPathsMap ?? {})) values.set(key, evaluate(parseJsonPath(path) ?? [], event));
  const { detail: _detail, ...withoutDetail } = event;
  values.set('aws.events.rule-arn', ctx.ruleArn);
  values.set('aws.events.rule-name', ctx.ruleName);
  values.set('aws.events.event.ingestion-time', ctx.ingestionTime);
  values.set('aws.events.event', withoutDetail);
  values.set('aws.events.event.json', event);
  return substitute(tr.InputTemplate ?? '', values, isJsonTemplate(tr.InputTemplate ?? ''));
}

function substitute(template: string, values: Map<string, unknown>, jsonTemplate: boolean): string {
  let out = '';
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    const name = m[1]!;
    const at = m.index;
    out += template.slice(last, at);
    last = at + m[0].length;
    if (!values.has(name)) {
      out += m[0];
      continue;
    }
    const value = values.get(name);
    const inString = jsonTemplate && insideString(template, at);
    if (jsonTemplate && !inString) out += value === undefined ? 'null' : JSON.stringify(value);
    else out += value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  }
  return out + template.slice(last);
}

/** A JSON template is one "surrounded by curly braces" (API_InputTransformer); others are string templates. */
const isJsonTemplate = (template: string): boolean => template.trim().startsWith('{');

/**
 * Whether the placeholder ending at `end` is (part of) an object key: the next token after it —
 * after the rest of its string literal when it sits in one — is a colon.
 */
function isObjectKey(text: string, end: number, inString: boolean): boolean {
  let i = end;
  if (inString) {
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
  }
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return text[i] === ':';
}

/** Whether position `at` of a JSON text lies inside a string literal. */
function insideString(text: string, at: number): boolean {
  let inside = false;
  for (let i = 0; i < at; i++) {
    const c = text[i];
    if (c === '\\' && inside) i++;
    else if (c === '"') inside = !inside;
  }
  return inside;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
