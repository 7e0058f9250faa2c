import { Readable } from 'node:stream';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { startApp } from '../../src/server/app.js';
import { defaults } from '../../src/server/config.js';
import { bufferedRequest, createHandle, type Handle } from '../../src/server/handle.js';

/**
 * bench/cloudtrail: what CloudTrail's hook in the dispatch costs PutEvents (10 entries) through
 * the socket-free `handle`, in one process, in memory. One request signed by the SDK is replayed:
 *  A. a handle without the recorder (as before CloudTrail);
 *  B. the server's handle: recorder present, no trail logging (the hot path must not slow);
 *  C. the same with a trail logging (each call also writes its record and an event).
 * Prints µs per request, medians of interleaved rounds, and the ratios to A.
 * `npx tsx bench/cloudtrail/run.ts` (`ROUNDS`, `REQUESTS` per round).
 */
const ROUNDS = Number(process.env.ROUNDS ?? 7);
const REQUESTS = Number(process.env.REQUESTS ?? 3000);

const app = await startApp({ config: Object.freeze({ ...defaults, port: 0, inMemory: true }), log: () => {} });
const auth = {
  credentials: null,
  defaultAccount: defaults.defaultAccount,
  defaultRegion: defaults.defaultRegion,
  clock: { now: () => Date.now() },
};
const withoutRecorder = createHandle({ registry: app.registry, auth, bodyLimit: defaults.bodyLimit });

/** The SDK's own signed PutEvents request, captured once. */
async function signedPutEvents(): Promise<{ path: string; headers: Record<string, string>; body: Buffer }> {
  let captured: { path: string; headers: Record<string, string>; body: Buffer } | undefined;
  const client = new EventBridgeClient({
    endpoint: app.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    requestHandler: {
      async handle(request: { path: string; headers: Record<string, string>; body?: unknown }) {
        const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
        captured = {
          path: request.path,
          headers,
          body: typeof request.body === 'string' ? Buffer.from(request.body) : Buffer.from(request.body as Uint8Array),
        };
        return {
          response: {
            statusCode: 200,
            headers: { 'content-type': 'application/x-amz-json-1.1' },
            body: Readable.from([Buffer.from('{"FailedEntryCount":0,"Entries":[]}')]),
          },
        };
      },
    } as never,
  });
  const Entries = Array.from({ length: 10 }, (_, i) => ({
    Source: 'bench.app',
    DetailType: 'Order Created',
    Detail: JSON.stringify({ orderId: `o-${i}`, total: 42.5 }),
  }));
  await client.send(new PutEventsCommand({ Entries }));
  client.destroy();
  return captured!;
}

const request = await signedPutEvents();
async function round(handle: Handle): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < REQUESTS; i++) {
    const r = await handle(bufferedRequest('POST', request.path, request.headers, request.body));
    if (r.status !== 200) throw new Error(`PutEvents answered ${r.status}: ${String(r.body)}`);
  }
  return Number(process.hrtime.bigint() - start) / 1000 / REQUESTS;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
await round(withoutRecorder);
await round(app.handle);
const a: number[] = [];
const b: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  a.push(await round(withoutRecorder));
  b.push(await round(app.handle));
}
const ctx = { accountId: defaults.defaultAccount, region: 'us-east-1', requestId: 'bench' };
await app.cloudtrail.trails.createTrail(ctx, { Name: 'bench', S3BucketName: 'bench-logs' });
await app.cloudtrail.trails.startLogging(ctx, { Name: 'bench' });
const c: number[] = [];
for (let r = 0; r < Math.max(3, Math.floor(ROUNDS / 2)); r++) c.push(await round(app.handle));
await app.close();

console.log(`bench/cloudtrail (PutEvents of 10 entries through handle, ${ROUNDS} rounds of ${REQUESTS}, medians)`);
console.log(`  A  no recorder                 ${median(a).toFixed(1)} µs per request`);
console.log(`  B  recorder, no trail logging  ${median(b).toFixed(1)} µs per request, ${(median(b) / median(a)).toFixed(3)} × A`);
console.log(`  C  recorder, trail logging     ${median(c).toFixed(1)} µs per request, ${(median(c) / median(a)).toFixed(2)} × A`);
