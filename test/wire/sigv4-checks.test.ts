import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dialects, renderAuthFailure, type AuthDialect } from '../../src/wire/sigv4/auth-dialect.js';
import { AuthFailure, type AuthFailureKind } from '../../src/wire/sigv4/auth-failure.js';
import { identify, type AuthOptions } from '../../src/wire/sigv4/authenticate.js';
import { parsePresigned, requestAuthorization } from '../../src/wire/sigv4/authorization.js';
import { ManualClock } from '../../src/core/shared/clock.js';

/** The checks SigV4 makes before the body, one by one (docs/sigv4.md). */
const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);
const options: AuthOptions = {
  credentials: { get: (k) => (k === 'AKID' ? { accessKeyId: 'AKID', secretAccessKey: 's', accountId: '111122223333' } : undefined) },
  defaultAccount: '000000000000',
  defaultRegion: 'us-east-1',
  clock: new ManualClock(NOW),
};
const header = (service = 'sns', region = 'us-east-1', date = '20261207') =>
  `AWS4-HMAC-SHA256 Credential=AKID/${date}/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=00`;
const kind = (v: unknown) => (v instanceof AuthFailure ? v.kind : 'ok');
const detail = (v: unknown) => (v instanceof AuthFailure ? v.detail : '');

test('every failure renders, in every dialect, as a 4xx with a code and a text', () => {
  const kinds: AuthFailureKind[] = ['missing', 'incomplete', 'unknown-key', 'mismatch', 'expired', 'not-yet-current', 'presign-expired'];
  for (const d of Object.keys(dialects) as AuthDialect[]) {
    for (const k of kinds) {
      const e = renderAuthFailure(d, new AuthFailure(k, 'detail'));
      assert.ok(e.status >= 400 && e.status < 500 && e.code && e.message, `${d} ${k}`);
    }
  }
  assert.deepEqual(
    [renderAuthFailure('query', new AuthFailure('unknown-key')).code, renderAuthFailure('ec2', new AuthFailure('unknown-key')).status],
    ['InvalidClientTokenId', 401],
  );
});

test('the scope must name the routed service and a real region; the key must be known', () => {
  const at = (auth: string, service = 'sns') =>
    identify({ url: '/', headers: { authorization: auth, 'x-amz-date': '20261207T120000Z' } }, options, { service, dialect: 'query' });
  assert.equal(kind(at(header())), 'ok');
  assert.equal(detail(at(header('sqs'))), "Credential should be scoped to correct service: 'sns'. ");
  assert.equal(detail(at(header('sns', 'moon-base-1x'))), "Credential should be scoped to a valid region, not 'moon-base-1x'. ");
  assert.equal(kind(at(header().replace('AKID', 'OTHER'))), 'unknown-key');
  // A regional AWS host name (a DNS override, a proxy) is that region's endpoint only.
  const viaHost = (host: string) =>
    identify({ url: '/', headers: { authorization: header(), 'x-amz-date': '20261207T120000Z', host } }, options, {
      service: 'sns',
      dialect: 'query',
    });
  assert.equal(kind(viaHost('sns.us-east-1.amazonaws.com')), 'ok');
  assert.equal(kind(viaHost('localhost:4566')), 'ok');
  assert.equal(detail(viaHost('sns.eu-west-1.amazonaws.com')), "Credential should be scoped to a valid region, not 'us-east-1'. ");
  assert.match(detail(at(header('sns', 'us-east-1', '20261206'))), /^Date in Credential scope does not match YYYYMMDD/);
  assert.equal(kind(identify({ url: '/', headers: {} }, options, { service: 'sns', dialect: 'query' })), 'missing');
});

test("the clock-skew window is the dialect's: 5 minutes for JSON, 15 for awsQuery and EC2", () => {
  const at = (date: string, dialect: AuthDialect) =>
    identify({ url: '/', headers: { authorization: header('sns'), 'x-amz-date': date } }, options, { service: 'sns', dialect });
  assert.equal(kind(at('20261207T115000Z', 'query')), 'ok'); // 10 minutes old
  assert.equal(kind(at('20261207T115000Z', 'json')), 'expired');
  assert.equal(
    detail(at('20261207T115000Z', 'json')),
    'Signature expired: 20261207T115000Z is now earlier than 20261207T115500Z (20261207T120000Z - 5 min.)',
  );
  assert.equal(kind(at('20261207T121000Z', 'json')), 'not-yet-current');
  assert.equal(
    detail(at('20261207T122000Z', 'ec2')),
    'Signature not yet current: 20261207T122000Z is still later than 20261207T121500Z (20261207T120000Z + 15 min.)',
  );
});

test('presigned parameters: all six required, X-Amz-Expires 1..604800, the expiry checked', () => {
  const params = (o: Record<string, string>) =>
    new URLSearchParams({
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': 'AKID/20261207/us-east-1/sns/aws4_request',
      'X-Amz-Date': '20261207T115000Z',
      'X-Amz-Expires': '900',
      'X-Amz-SignedHeaders': 'host',
      'X-Amz-Signature': '00',
      ...o,
    });
  assert.equal(parsePresigned(new URLSearchParams('Action=ListTopics')), null);
  assert.equal(kind(parsePresigned(params({}))), 'ok');
  assert.match(detail(parsePresigned(params({ 'X-Amz-Signature': '' }))), /^AWS query-string parameters must include/);
  assert.equal(
    detail(parsePresigned(params({ 'X-Amz-Expires': '604801' }))),
    'X-Amz-Expires must be less than a week (in seconds) that is 604800',
  );
  assert.equal(detail(parsePresigned(params({ 'X-Amz-Expires': '0' }))), 'X-Amz-Expires must be non-negative');
  assert.equal(kind(parsePresigned(params({ 'X-Amz-Algorithm': 'AWS4-ECDSA-P256-SHA256' }))), 'incomplete');
  const at = (o: Record<string, string>) => identify({ url: `/?${params(o)}`, headers: {} }, options, { service: 'sns', dialect: 'query' });
  assert.equal(kind(at({})), 'ok'); // 10 minutes into 15
  assert.equal(kind(at({ 'X-Amz-Expires': '300' })), 'presign-expired');
  assert.equal(kind(requestAuthorization(`/?${params({})}`, { authorization: header() })), 'incomplete');
});
