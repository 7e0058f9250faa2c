import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startApp } from '../../src/server/app.js';
import { defaults } from '../../src/server/config.js';
import { delivered, type DeliveryRequest, type Transport } from '../../src/delivery/transport.js';

/**
 * The benchmark's server side, forked by run.ts so the load generator and the server each get a
 * core. `bare`: node:http reading each body and answering a fixed PutEvents response (the
 * ceiling). `amiwatch`: the real server on a data dir (or, given a NATS URL, a node on that
 * JetStream cluster), with a noop transport for `sqs` targets that records ingestion → delivery latency.
 */
const [mode, dataDir, natsUrl] = process.argv.slice(2);
const send = (m: unknown) => process.send!(m);
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
// Exit normally on the runner's kill, so that `NODE_FLAGS=--cpu-prof` writes its profile.
process.on('SIGTERM', () => process.exit(0));

if (mode === 'bare') {
  const answer = JSON.stringify({
    FailedEntryCount: 0,
    Entries: Array.from({ length: 10 }, () => ({ EventId: '00000000-0000-4000-8000-000000000000' })),
  });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      Buffer.concat(chunks);
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(answer) });
      res.end(answer);
    });
  });
  server.listen(0, '127.0.0.1', () => send({ ready: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  process.on('message', (m: { cmd: string }) => {
    if (m.cmd === 'cpu') send({ cpuMs: cpuMs() });
  });
} else {
  let latencies: number[] = [];
  const recorder: Transport = {
    async deliver(r: DeliveryRequest) {
      latencies.push(Date.now() - r.ingestedAt);
      return delivered;
    },
  };
  // With a NATS URL: a node on that JetStream cluster (replicas 3 when it lists three servers).
  const cluster = natsUrl ? { natsUrl, natsReplicas: natsUrl.split(',').length >= 3 ? 3 : 1 } : {};
  const app = await startApp({
    config: { ...defaults, port: 0, dataDir: dataDir!, inMemory: false, ...cluster },
    transports: { sqs: recorder },
    log: () => {},
  });
  process.on('message', async (m: { cmd: string }) => {
    if (m.cmd === 'latencies') {
      send({ latencies });
      latencies = [];
    } else if (m.cmd === 'cpu') {
      send({ cpuMs: cpuMs() });
    } else if (m.cmd === 'counts') {
      send({ counts: await app.store.countDeliveries() });
    }
  });
  send({ ready: app.url });
}
