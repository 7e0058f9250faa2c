import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classify } from '../../src/delivery/transports/api-destination/api-destination-transport.js';
import { RateLimiter } from '../../src/delivery/transports/api-destination/rate-limiter.js';
import { ManualClock } from '../../src/core/shared/clock.js';

test("AWS's retry rules per HTTP status: 2xx ok; 401, 407, 409, 429, 5xx retried; the rest not", () => {
  const table = Object.fromEntries(
    [200, 201, 204, 301, 400, 401, 403, 404, 407, 409, 413, 429, 500, 502, 503, 504].map((s) => [s, classify(s)]),
  );
  assert.deepEqual(table, {
    200: 'ok',
    201: 'ok',
    204: 'ok',
    301: 'fail',
    400: 'fail',
    401: 'retry',
    403: 'fail',
    404: 'fail',
    407: 'retry',
    409: 'retry',
    413: 'fail',
    429: 'retry',
    500: 'retry',
    502: 'retry',
    503: 'retry',
    504: 'retry',
  });
});

test('the rate limiter spaces calls 1/rate apart, gives each waiting call its own slot, and lets it through at its time', () => {
  const clock = new ManualClock(1_000_000);
  const limiter = new RateLimiter(clock);
  assert.equal(limiter.take('d', 4, 'a'), null, 'the first goes at once');
  assert.equal(limiter.take('d', 4, 'b'), 1_000_250);
  assert.equal(limiter.take('d', 4, 'c'), 1_000_500);
  assert.equal(limiter.take('d', 4, 'b'), 1_000_250, 'asking again keeps the same slot');
  assert.equal(limiter.take('other', 4, 'x'), null, 'destinations are limited separately');
  clock.set(1_000_250);
  assert.equal(limiter.take('d', 4, 'b'), null, 'b at its slot');
  assert.equal(limiter.take('d', 4, 'e'), 1_000_750, 'a newcomer queues after c');
  clock.set(1_000_500);
  assert.equal(limiter.take('d', 4, 'c'), null);
  clock.set(2_000_000);
  assert.equal(limiter.take('d', 4, 'f'), null, 'an idle destination sends at once again');
});
