import type { ChangeFeed, ResourceChange } from './ports/change-feed.js';
import type { LogScope, LogsStore } from './ports/logs-store.js';
import { intercept } from './change-publishing.js';

/**
 * CloudWatch Logs' committed writes on the change feed (see change-feed.ts), for the console's
 * log pages: a group created, re-tagged, given a retention or deleted is a `log-group` change; a
 * stream created or deleted, or events appended to it, is a `log-stream` change — which is how
 * an open stream page follows new events without polling. Ids are the ARNs CloudWatch Logs
 * gives them (`…:log-group:NAME`, `…:log-group:NAME:log-stream:STREAM`).
 */
const groupArn = (s: LogScope, group: string): string => `arn:aws:logs:${s.region}:${s.accountId}:log-group:${group}`;

const change = (kind: 'log-group' | 'log-stream', s: LogScope, id: string, action: ResourceChange['action']): ResourceChange => ({
  service: 'logs',
  kind,
  account: s.accountId,
  region: s.region,
  id,
  action,
});

const streamChange = (s: LogScope, group: string, stream: string, action: ResourceChange['action']): ResourceChange =>
  change('log-stream', s, `${groupArn(s, group)}:log-stream:${stream}`, action);

export function publishingLogsStore(store: LogsStore, feed: ChangeFeed): LogsStore {
  return intercept<LogsStore>(store, {
    async putGroup(group) {
      await store.putGroup(group);
      feed.publish([change('log-group', group, groupArn(group, group.name), 'put')]);
    },
    async deleteGroup(scope, name) {
      const deleted = await store.deleteGroup(scope, name);
      if (deleted) feed.publish([change('log-group', scope, groupArn(scope, name), 'delete')]);
      return deleted;
    },
    async putStream(stream) {
      await store.putStream(stream);
      feed.publish([streamChange(stream, stream.group, stream.name, 'put')]);
    },
    async deleteStream(scope, group, name) {
      const deleted = await store.deleteStream(scope, group, name);
      if (deleted) feed.publish([streamChange(scope, group, name, 'delete')]);
      return deleted;
    },
    async appendEvents(stream, events, ingestionTime) {
      await store.appendEvents(stream, events, ingestionTime);
      feed.publish([streamChange(stream, stream.group, stream.name, 'put')]);
    },
  });
}
