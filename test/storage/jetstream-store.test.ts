import { after, before } from 'node:test';
import { runStoreContract } from '../../src/storage/contract/store-contract.js';
import { JetStreamConnection } from '../../src/storage/jetstream/connection.js';
import { JetStreamStore } from '../../src/storage/jetstream/jetstream-store.js';
import type { Store } from '../../src/storage/store.js';
import { startNatsServer, type NatsCluster } from '../support/nats-server.js';

/** The Store contract on JetStream: one nats-server for the file, a fresh stream prefix per store. */
let server: NatsCluster;
before(async () => {
  server = await startNatsServer();
});
after(() => server.close());

let n = 0;
const prefixes = new WeakMap<Store, string>();
async function open(prefix: string): Promise<Store> {
  const c = await JetStreamConnection.open({ url: server.url, replicas: 1, prefix });
  const store = await JetStreamStore.open(c, { ownsConnection: true });
  prefixes.set(store, prefix);
  return store;
}

runStoreContract('jetstream', {
  open: () => open(`t${process.pid}x${++n}`),
  async reopen(store) {
    await store.close();
    return open(prefixes.get(store)!);
  },
  peer: (store) => open(prefixes.get(store)!),
  serverTimed:
    "leases are the consumer's ack wait and retry times nak delays, both timed by nats-server's clock: the real-time variants below cover them",
});
