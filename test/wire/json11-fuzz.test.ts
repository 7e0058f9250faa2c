import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { App } from '../../src/server/app.js';
import { eventsModel } from '../../src/wire/generated/events.js';
import { startTestServer } from '../e2e/helpers.js';
import { inProcessFetch } from '../support/in-process.js';

/**
 * Whatever arrives — any operation, any JSON (or not JSON), members of any type — the answer is
 * either a success or an AWS-shaped error (`__type` + `message`, 4xx), never a 500 or a crash.
 */
let app: App;
/** Requests go to the server's socket-free handle (behaviour); the health checks use the socket. */
const send: ReturnType<typeof inProcessFetch> = (url, init) => inProcessFetch(app)(url, init);
const internal: unknown[] = [];
before(async () => {
  app = await startTestServer({}, { log: (m) => internal.push(m) });
});
after(() => app.close());

const AUTH = 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/events/aws4_request, SignedHeaders=host, Signature=00';
const operations = Object.keys(eventsModel.operations);

/** Values shaped like the real inputs often enough to get past the first check. */
const member = fc.oneof(
  fc.jsonValue(),
  fc.string(),
  fc.constantFrom(
    'default',
    'r1',
    'arn:aws:events:us-east-1:000000000000:event-bus/default',
    '{"source":["a"]}',
    'rate(1 minute)',
    '{}',
    '[]',
  ),
  fc.array(
    fc.record(
      {
        Id: fc.string(),
        Arn: fc.string(),
        Source: fc.string(),
        DetailType: fc.string(),
        Detail: fc.oneof(fc.string(), fc.constant('{"a":1}')),
      },
      { requiredKeys: [] },
    ),
    { maxLength: 12 },
  ),
);
const body = fc.oneof(
  fc
    .dictionary(
      fc.constantFrom(
        'Name',
        'EventPattern',
        'ScheduleExpression',
        'State',
        'EventBusName',
        'Rule',
        'Targets',
        'Ids',
        'Entries',
        'Event',
        'Limit',
        'NextToken',
        'NamePrefix',
        'ResourceARN',
        'Tags',
        'TagKeys',
        'Policy',
        'StatementId',
        'Principal',
        'Action',
      ),
      member,
    )
    .map((o) => JSON.stringify(o)),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string(),
);

test('no request makes the server crash or answer anything but an AWS-shaped result', async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...operations, 'Nope'), body, async (op, text) => {
      const res = await send(app.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSEvents.${op}`, authorization: AUTH },
        body: text,
      });
      const parsed = JSON.parse(await res.text()) as { __type?: string; message?: string };
      if (res.status !== 200) {
        assert.ok(res.status >= 400 && res.status < 500, `${op} ${text} → ${res.status} ${JSON.stringify(parsed)}`);
        assert.equal(typeof parsed.__type, 'string');
        assert.equal(typeof parsed.message, 'string');
      }
    }),
    { numRuns: Number(process.env.FUZZ_RUNS ?? 400), ...(process.env.FUZZ_RUNS ? {} : { seed: 20261125 }) },
  );
  assert.deepEqual(internal, []);
  assert.equal((await fetch(`${app.url}/_amiwatch/health`)).status, 200);
});
