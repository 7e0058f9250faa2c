import { changeOfWrite } from '../change-publishing.js';
import type { ChangeFeed, ResourceChange as FeedChange } from '../ports/change-feed.js';
import type { ResourceChange } from '../store.js';
import type { JetStreamEc2Store } from './jetstream-ec2-store.js';
import type { JetStreamLambdaStore } from './jetstream-lambda-store.js';
import type { JetStreamStore } from './jetstream-store.js';

/**
 * The console's change stream on a cluster (change-feed.ts names this seam): the writes a node
 * makes are published by its own decorators (change-publishing.ts); the writes OTHER nodes make
 * arrive through the KV watches of the three buckets the console's pages show — resources
 * (buses, rules, topics, subscriptions, queues, messages, mappings…), EC2 and Lambda — and are
 * published into the same feed here, named as the local decorators name them. A node's own
 * writes are not echoed by the watches, so each change is published once per node.
 */
export async function feedRemoteChanges(
  feed: ChangeFeed,
  stores: { store: JetStreamStore; ec2: JetStreamEc2Store; lambda: JetStreamLambdaStore },
): Promise<() => void> {
  const publish = (c: FeedChange | null) => c && feed.publish([c]);
  const stops: (() => void)[] = [];
  const stopAll = () => {
    for (const stop of stops.splice(0)) stop();
  };
  try {
    stops.push(await stores.store.watchAllResources((c) => publish(changeOfWrite(c))));
    stops.push(await stores.ec2.watchAllDocs((c) => publish(ec2Change(c))));
    stops.push(await stores.lambda.watchAllDocs((c) => publish(lambdaChange(c))));
  } catch (err) {
    stopAll(); // none half-started: the caller may try again
    throw err;
  }
  return stopAll;
}

/** The EC2 bucket's kinds the console follows (keys `region/id`, key pairs `account/region/name`). */
const EC2_KINDS: Readonly<Record<string, { kind: string; id: (doc: Record<string, string>) => string }>> = {
  image: { kind: 'image', id: (d) => d.imageId! },
  instance: { kind: 'instance', id: (d) => d.instanceId! },
  keypair: { kind: 'key-pair', id: (d) => d.keyPairId! },
  sg: { kind: 'security-group', id: (d) => d.groupId! },
};

function ec2Change(c: ResourceChange): FeedChange | null {
  const k = EC2_KINDS[c.kind];
  if (!k) return null; // outbox events, tasks, fault rules: no page shows them
  const parts = c.key.split('/');
  if (c.doc === null) {
    // A delete names no contents: the id is the key's last part, the owner unknown (every subscriber hears it).
    const keyPair = c.kind === 'keypair';
    const region = keyPair ? parts[1]! : parts[0]!;
    return { service: 'ec2', kind: k.kind, account: keyPair ? parts[0]! : '*', region, id: parts[parts.length - 1]!, action: 'delete' };
  }
  const doc = JSON.parse(c.doc) as Record<string, string>;
  return { service: 'ec2', kind: k.kind, account: doc.accountId!, region: doc.region!, id: k.id(doc), action: 'put' };
}

/** Functions only (key `account/region/name`); code chunks, versions and leases are not pages. */
function lambdaChange(c: ResourceChange): FeedChange | null {
  if (c.kind !== 'function') return null;
  const [account = '*', region = '*', name = ''] = c.key.split('/');
  const arn = `arn:aws:lambda:${region}:${account}:function:${name}`;
  return { service: 'lambda', kind: 'function', account, region, id: arn, action: c.doc === null ? 'delete' : 'put' };
}
