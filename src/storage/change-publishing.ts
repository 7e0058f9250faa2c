import type { Ec2Store } from './ports/ec2-store.js';
import type { ChangeFeed, ResourceChange } from './ports/change-feed.js';
import type { LambdaStore } from './ports/lambda-store.js';
import type { ResourceWrite, Store } from './store.js';

/**
 * Decorators that publish each store's committed writes to a ChangeFeed (see change-feed.ts):
 * the write first, the change after it succeeded, so a reader woken by a change always finds
 * it. Every other method passes through untouched (a Proxy, so methods added to a port later
 * need no change here).
 */
export function intercept<T extends object>(target: T, overrides: Partial<T>): T {
  // Each method is bound once, not on every access: appendEvents and claimDue pass through here
  // on the PutEvents and delivery hot paths.
  const bound = new Map<PropertyKey, unknown>();
  return new Proxy(target, {
    get(t, p) {
      if (Object.prototype.hasOwnProperty.call(overrides, p)) return overrides[p as keyof T];
      const v: unknown = Reflect.get(t, p, t);
      if (typeof v !== 'function') return v;
      let b = bound.get(p);
      if (b === undefined) bound.set(p, (b = (v as (...a: unknown[]) => unknown).bind(t)));
      return b;
    },
  });
}

/**
 * The scope of a keyed resource write, read from its key: an ARN (`arn:aws:sns:REGION:ACCOUNT:…`),
 * or an ARN followed by `#` and a sub-key (an SQS message: the change is its queue's). Keys that
 * are no ARN are published unscoped.
 */
export function changeOfWrite(w: ResourceWrite): ResourceChange {
  const dot = w.kind.indexOf('.');
  const service = dot > 0 ? w.kind.slice(0, dot) : w.kind;
  const kind = dot > 0 ? w.kind.slice(dot + 1) : w.kind;
  const id = w.key.split('#', 1)[0]!;
  const parts = id.startsWith('arn:') ? id.split(':') : [];
  return { service, kind, account: parts[4] || '*', region: parts[3] || '*', id, action: w.doc === null ? 'delete' : 'put' };
}

export function publishingStore(store: Store, feed: ChangeFeed): Store {
  return intercept<Store>(store, {
    async writeResources(writes: readonly ResourceWrite[]) {
      await store.writeResources(writes);
      feed.publish(writes.map(changeOfWrite));
    },
  });
}

const ec2Change = (kind: string, account: string, region: string, id: string, action: ResourceChange['action']): ResourceChange => ({
  service: 'ec2',
  kind,
  account,
  region,
  id,
  action,
});

const image = (accountId: string, region: string, imageId: string, action: ResourceChange['action']): ResourceChange => ({
  service: 'ec2',
  kind: 'image',
  account: accountId,
  region,
  id: imageId,
  action,
});

export function publishingEc2Store(store: Ec2Store, feed: ChangeFeed): Ec2Store {
  return intercept<Ec2Store>(store, {
    async putImage(record) {
      await store.putImage(record);
      feed.publish([image(record.accountId, record.region, record.imageId, 'put')]);
    },
    async putImageWithEvent(record, event) {
      await store.putImageWithEvent(record, event);
      feed.publish([image(record.accountId, record.region, record.imageId, 'put')]);
    },
    async deleteImage(region, imageId) {
      const before = await store.getImage(region, imageId);
      await store.deleteImage(region, imageId);
      feed.publish([image(before?.accountId ?? '*', region, imageId, 'delete')]);
    },
    async putInstancesWithEvents(records, events) {
      await store.putInstancesWithEvents(records, events);
      feed.publish(records.map((r) => ec2Change('instance', r.accountId, r.region, r.instanceId, 'put')));
    },
    async deleteInstance(region, instanceId) {
      const before = await store.getInstance(region, instanceId);
      await store.deleteInstance(region, instanceId);
      feed.publish([ec2Change('instance', before?.accountId ?? '*', region, instanceId, 'delete')]);
    },
    async putSnapshotsWithEvents(records, events) {
      await store.putSnapshotsWithEvents(records, events);
      feed.publish(records.map((r) => ec2Change('snapshot', r.accountId, r.region, r.snapshotId, 'put')));
    },
    async deleteSnapshot(region, snapshotId) {
      const before = await store.getSnapshot(region, snapshotId);
      const deleted = await store.deleteSnapshot(region, snapshotId);
      if (deleted) feed.publish([ec2Change('snapshot', before?.accountId ?? '*', region, snapshotId, 'delete')]);
      return deleted;
    },
    async putKeyPair(record) {
      await store.putKeyPair(record);
      feed.publish([ec2Change('key-pair', record.accountId, record.region, record.keyPairId, 'put')]);
    },
    async deleteKeyPair(accountId, region, keyName) {
      const before = (await store.listKeyPairs(accountId, region)).find((k) => k.keyName === keyName);
      const deleted = await store.deleteKeyPair(accountId, region, keyName);
      if (deleted) feed.publish([ec2Change('key-pair', accountId, region, before?.keyPairId ?? keyName, 'delete')]);
      return deleted;
    },
    async putSecurityGroup(record) {
      await store.putSecurityGroup(record);
      feed.publish([ec2Change('security-group', record.accountId, record.region, record.groupId, 'put')]);
    },
    async deleteSecurityGroup(region, groupId) {
      const deleted = await store.deleteSecurityGroup(region, groupId);
      // The port deletes by id alone; the owner is not read back (a delete names no contents).
      if (deleted) feed.publish([ec2Change('security-group', '*', region, groupId, 'delete')]);
      return deleted;
    },
  });
}

export function publishingLambdaStore(store: LambdaStore, feed: ChangeFeed): LambdaStore {
  const fn = (accountId: string, region: string, id: string, action: ResourceChange['action']): ResourceChange => ({
    service: 'lambda',
    kind: 'function',
    account: accountId,
    region,
    id,
    action,
  });
  return intercept<LambdaStore>(store, {
    async createFunction(record, zip) {
      const created = await store.createFunction(record, zip);
      if (created) feed.publish([fn(record.accountId, record.region, record.arn, 'put')]);
      return created;
    },
    async updateFunction(record, zip) {
      const updated = await store.updateFunction(record, zip);
      if (updated) feed.publish([fn(record.accountId, record.region, record.arn, 'put')]);
      return updated;
    },
    async deleteFunction(accountId, region, name) {
      const before = await store.getFunction(accountId, region, name);
      const deleted = await store.deleteFunction(accountId, region, name);
      if (deleted) feed.publish([fn(accountId, region, before?.arn ?? name, 'delete')]);
      return deleted;
    },
  });
}
