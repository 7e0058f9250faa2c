import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { JetStreamArchiveStore } from '../storage/jetstream/jetstream-archive-store.js';
import { JetStreamCloudTrailStore } from '../storage/jetstream/jetstream-cloudtrail-store.js';
import { JetStreamConnection } from '../storage/jetstream/connection.js';
import { JetStreamLogsStore } from '../storage/jetstream/jetstream-logs-store.js';
import { JetStreamEc2Store } from '../storage/jetstream/jetstream-ec2-store.js';
import { JetStreamLambdaStore } from '../storage/jetstream/jetstream-lambda-store.js';
import { JetStreamStore } from '../storage/jetstream/jetstream-store.js';
import type { ChangeFeed } from '../storage/ports/change-feed.js';
import { feedRemoteChanges } from '../storage/jetstream/remote-changes.js';
import type { Config } from './config.js';

/** Every storage port of a node, on the JetStream cluster of `--nats-url` (docs/scale-out.md). */
export interface ClusterStorage {
  readonly store: JetStreamStore;
  readonly ec2: JetStreamEc2Store;
  readonly lambda: JetStreamLambdaStore;
  readonly archive: JetStreamArchiveStore;
  readonly logs: JetStreamLogsStore;
  readonly cloudtrail: JetStreamCloudTrailStore;
  readonly nodeName: string;
  /** Publishes the resource writes other nodes make into the node's change feed (/_amiwatch/changes). */
  followChanges(feed: ChangeFeed): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens one connection for the node and the adapters on it; creates the streams and buckets the
 * first time (every node may: creation is idempotent). The lease is --nats-ack-wait (the delivery
 * worker uses the same): a node that dies mid-delivery has its deliveries taken over after it.
 */
export async function openClusterStorage(config: Config, port: number): Promise<ClusterStorage> {
  // Unique even for two nodes in one process (tests) on port 0: the URL is announced once known.
  const nodeName = `amiwatch-${hostname()}-${process.pid}-${port || randomBytes(3).toString('hex')}`;
  const c = await JetStreamConnection.open({ url: config.natsUrl!, replicas: config.natsReplicas, name: nodeName });
  let stopChanges = () => {};
  try {
    const store = await JetStreamStore.open(c, { leaseMs: config.natsAckWaitMs, nodeName });
    const ec2 = await JetStreamEc2Store.open(c);
    const lambda = await JetStreamLambdaStore.open(c);
    const archive = await JetStreamArchiveStore.open(c);
    const logs = await JetStreamLogsStore.open(c);
    const cloudtrail = await JetStreamCloudTrailStore.open(c);
    return {
      store,
      ec2,
      lambda,
      archive,
      logs,
      cloudtrail,
      nodeName,
      async followChanges(feed) {
        // Right after a restart of the whole cluster the buckets' consumers answer last: retried.
        stopChanges = await c.settled('change feed', () => feedRemoteChanges(feed, { store, ec2, lambda }));
      },
      async close() {
        stopChanges();
        await store.close();
        await c.close();
      },
    };
  } catch (err) {
    await c.close();
    throw err;
  }
}
