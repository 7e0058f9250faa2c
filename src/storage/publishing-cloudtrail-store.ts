import type { ChangeFeed, ResourceChange } from './ports/change-feed.js';
import type { CloudTrailStore, TrailRecord } from './ports/cloudtrail-store.js';
import { intercept } from './change-publishing.js';

/**
 * CloudTrail's trail writes on the change feed (see change-feed.ts), for the console's trail
 * list. A multi-region trail shows in every region (its shadow trails), so its change is
 * published to all of them (`region: '*'`). Recorded calls are not published: the console's own
 * reads of the event history are recorded calls, and following them would feed itself.
 */
const trailChange = (
  t: Pick<TrailRecord, 'accountId' | 'region' | 'arn' | 'isMultiRegionTrail'>,
  action: ResourceChange['action'],
): ResourceChange => ({
  service: 'cloudtrail',
  kind: 'trail',
  account: t.accountId,
  region: t.isMultiRegionTrail ? '*' : t.region,
  id: t.arn,
  action,
});

export function publishingCloudTrailStore(store: CloudTrailStore, feed: ChangeFeed): CloudTrailStore {
  return intercept<CloudTrailStore>(store, {
    async createTrail(trail) {
      const created = await store.createTrail(trail);
      if (created) feed.publish([trailChange(trail, 'put')]);
      return created;
    },
    async updateTrail(trail) {
      const updated = await store.updateTrail(trail);
      if (updated) feed.publish([trailChange(trail, 'put')]);
      return updated;
    },
    async deleteTrail(accountId, region, name) {
      const before = (await store.allTrails()).find((t) => t.accountId === accountId && t.region === region && t.name === name);
      const deleted = await store.deleteTrail(accountId, region, name);
      if (deleted && before) feed.publish([trailChange(before, 'delete')]);
      return deleted;
    },
  });
}
