import assert from 'node:assert/strict';
import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * What the wire fuzz tests share: the SigV4 Authorization header a client sends (the credential
 * scope routes the request; signatures are not checked in tests), fast-check settings (a fixed
 * seed unless FUZZ_RUNS asks for more), form encoding, and the XML error readers.
 */
export const auth = (service: string): string =>
  `AWS4-HMAC-SHA256 Credential=test/20261124/us-east-1/${service}/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=00`;

export const FORM = 'application/x-www-form-urlencoded; charset=utf-8';

/** `numRuns` per property: FUZZ_RUNS when set (then a random seed), else `runs` with a fixed seed. */
export function fuzzOptions(runs: number, seed: number): { numRuns: number; seed?: number } {
  return { numRuns: Number(process.env.FUZZ_RUNS ?? runs), ...(process.env.FUZZ_RUNS ? {} : { seed }) };
}

/** Log lines that say the server failed on its own (what a 500 logs), not delivery noise. */
export const internalErrors = (log: readonly string[]): string[] => log.filter((m) => /internal error/i.test(m));

/** A form body: `k=v&…`, each part URL-encoded, or the raw text as it is. */
export const form = (params: readonly (readonly [string, string])[]): string =>
  params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');

/** Keys an attacker or a confused client might send: prototype names and odd indexes. */
export const oddKeys = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'] as const;

/** List indexes: the usual 1 and 2, then 0, negatives, huge, non-numeric. */
export const index = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('1', '2') },
  { weight: 2, arbitrary: fc.constantFrom('0', '-1', '01', '99999999999999999999', '1e3', 'x', '', '1.5', '4294967296', '1000') },
  { weight: 1, arbitrary: fc.nat().map(String) },
);

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false });

/** The body as XML that parses (well-formed), as an object. */
export function parseXml(body: string, what: string): Record<string, unknown> {
  const valid = XMLValidator.validate(body);
  assert.equal(valid, true, `${what}: not well-formed XML: ${JSON.stringify(valid)}\n${body}`);
  return parser.parse(body) as Record<string, unknown>;
}

const nonEmpty = (v: unknown): boolean => typeof v === 'string' && v.length > 0;

/** awsQuery (SNS, SQS): `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>`. */
export function assertQueryError(status: number, body: string, what: string): void {
  assert.ok(status >= 400 && status < 500, `${what} → ${status} ${body}`);
  const doc = parseXml(body, what) as { ErrorResponse?: { Error?: Record<string, unknown>; RequestId?: unknown } };
  const e = doc.ErrorResponse?.Error;
  assert.ok(e, `${what}: no ErrorResponse/Error: ${body}`);
  assert.ok(e.Type === 'Sender', `${what}: Type ${String(e.Type)}`);
  assert.ok(nonEmpty(e.Code), `${what}: empty Code: ${body}`);
  assert.ok(nonEmpty(e.Message), `${what}: empty Message: ${body}`);
  assert.ok(nonEmpty(doc.ErrorResponse?.RequestId), `${what}: no RequestId: ${body}`);
}

/** EC2: `<Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>`. */
export function assertEc2Error(status: number, body: string, what: string): void {
  assert.ok(status >= 400 && status < 500, `${what} → ${status} ${body}`);
  const doc = parseXml(body, what) as { Response?: { Errors?: { Error?: Record<string, unknown> }; RequestID?: unknown } };
  const e = doc.Response?.Errors?.Error;
  assert.ok(e, `${what}: no Response/Errors/Error: ${body}`);
  assert.ok(nonEmpty(e.Code), `${what}: empty Code: ${body}`);
  assert.ok(nonEmpty(e.Message), `${what}: empty Message: ${body}`);
  assert.ok(nonEmpty(doc.Response?.RequestID), `${what}: no RequestID: ${body}`);
}

/** JSON errors: `{"__type": …, "message": …}` (JSON 1.0) — the type and message non-empty. */
export function assertJsonError(status: number, body: string, what: string, typeKey = '__type'): Record<string, unknown> {
  assert.ok(status >= 400 && status < 500, `${what} → ${status} ${body}`);
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(body) as Record<string, unknown>;
  } catch {
    assert.fail(`${what}: error body is not JSON: ${body}`);
  }
  assert.ok(nonEmpty(parsed[typeKey]), `${what}: no ${typeKey}: ${body}`);
  assert.ok(nonEmpty(parsed.message), `${what}: no message: ${body}`);
  return parsed;
}
