import { test } from 'node:test';
import assert from 'node:assert/strict';
import { captureSeeds, syntheticSeeds } from '../../bench/fuzz/seeds.js';
import { startFuzzServer } from '../../bench/fuzz/servers.js';
import { fuzzWire, type FuzzReport } from '../../bench/fuzz/wire-fuzz.js';

/**
 * The wire fuzz suite at a small size (seconds): every protocol — JSON 1.1 (EventBridge),
 * JSON 1.0 (SQS), awsQuery (SNS, SQS), EC2 query, REST-JSON (Lambda), the control API — from
 * real clients' captures and mutated, against a server without and with signature verification.
 * `npm run bench:fuzz` runs the same at full size (FUZZ_RUNS, FUZZ_SEED).
 */
const seeds = [...captureSeeds(new URL('../fixtures/wire/', import.meta.url).pathname), ...syntheticSeeds];
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);

const summary = (r: FuzzReport) =>
  [
    ...r.crashes.map((f) => ['crash', f] as const),
    ...r.serverErrors.map((f) => ['5xx', f] as const),
    ...r.notAwsShaped.map((f) => ['shape', f] as const),
  ]
    .slice(0, 4)
    .map(([kind, f]) => `${kind}: ${f.why} ← ${JSON.stringify(f.request)} → ${f.status} ${(f.body ?? '').slice(0, 300)}`)
    .join('\n');

test('the seeds cover every protocol', () => {
  const protocols = new Set(seeds.map((s) => s.protocol));
  assert.deepEqual([...protocols].sort(), ['control', 'ec2', 'json10', 'json11', 'query', 'rest-json']);
});

for (const mode of ['open', 'verified'] as const) {
  test(`fuzz (${mode}): no crash, no 5xx, every error AWS-shaped`, async () => {
    const server = await startFuzzServer(mode);
    try {
      const report = await fuzzWire(server.target, seeds, RUNS, mode === 'open' ? 20261207 : 20261208);
      assert.equal(report.sent, RUNS);
      assert.equal(report.crashes.length + report.serverErrors.length + report.notAwsShaped.length, 0, summary(report));
      assert.equal((await fetch(`${server.target.url}/_amiwatch/health`)).status, 200);
    } finally {
      await server.close();
    }
  });
}
