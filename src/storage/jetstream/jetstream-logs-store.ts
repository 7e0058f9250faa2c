import { randomUUID } from 'node:crypto';
import { RetentionPolicy, StorageType } from '@nats-io/jetstream';
import {
  positionBefore,
  type LogEventQuery,
  type LogEventRecord,
  type LogGroupRecord,
  type LogScope,
  type LogsStore,
  type LogStreamRecord,
  type NewLogEvent,
} from '../ports/logs-store.js';
import type { JetStreamConnection } from './connection.js';
import { ResourceBucket } from './resource-bucket.js';
import { scanSubject, settledProbe, token } from './scan.js';

const GROUP = 'group';
/** The streams of one group are a kind of their own, so listing them reads only theirs. */
const streamKind = (s: LogScope, group: string): string => `stream:${s.accountId}/${s.region}/${group}`;
const groupKey = (s: LogScope, name: string): string => `${s.accountId}/${s.region}/${name}`;

/** One log event as stored (the group and stream are in the subject; the stream's name again for reads). */
interface StoredEvent {
  readonly stream: string;
  readonly timestamp: number;
  readonly message: string;
  readonly ingestionTime: number;
}

/**
 * LogsStore on JetStream. Groups and streams are documents of the `amiwatch_logs` KV bucket
 * (ResourceBucket); the events are messages of the `amiwatch_log_events` stream on the subject
 * `amiwatch.log.<group>.<stream>`, one per event, whose stream sequence is the event's `seq` (so
 * events put through different nodes are numbered by one counter). A read takes the group's
 * subjects (or one stream's) and orders by (timestamp, seq) in the node: fine for the volumes
 * amiwatch sees (a function's logs), linear in the group's size. Deleting a stream or group is a
 * purge of its subjects; expiry deletes the old messages one by one.
 *
 * Not one transaction (nats-server 2.9 has no atomic batch): `appendEvents` publishes the events,
 * then writes the stream's summary. A node dying in between leaves the events readable with a
 * summary that misses them until the next put; two nodes putting into ONE stream at once may each
 * write a summary counting only their own events (the last one wins) — CloudWatch Logs' own
 * summary (storedBytes, lastEventTimestamp) is documented as eventually consistent too.
 */
export class JetStreamLogsStore implements LogsStore {
  private constructor(
    private readonly c: JetStreamConnection,
    private readonly docs: ResourceBucket,
    private readonly stream: string,
    private readonly prefix: string,
  ) {}

  static async open(c: JetStreamConnection): Promise<JetStreamLogsStore> {
    const prefix = `${c.options.prefix ?? 'amiwatch'}.log`;
    const stream = c.name('log_events');
    await c.ensureStream({ name: stream, subjects: [`${prefix}.>`], retention: RetentionPolicy.Limits, storage: StorageType.File });
    await settledProbe(c, stream, prefix);
    const kv = await c.bucket('logs');
    const docs = new ResourceBucket(kv, c.name('logs'), c.requests, c.jsm, randomUUID);
    await c.settled('bucket logs', () => docs.load('amiwatch.probe'));
    return new JetStreamLogsStore(c, docs, stream, prefix);
  }

  private groupSubjects(s: LogScope, group: string): string {
    return `${this.prefix}.${token(groupKey(s, group))}`;
  }

  async getGroup(scope: LogScope, name: string): Promise<LogGroupRecord | undefined> {
    const got = await this.docs.get(GROUP, groupKey(scope, name));
    return got ? (JSON.parse(got.doc) as LogGroupRecord) : undefined;
  }

  private async allGroups(): Promise<LogGroupRecord[]> {
    return (await this.docs.load(GROUP)).map((r) => JSON.parse(r.doc) as LogGroupRecord);
  }

  async listGroups(scope: LogScope): Promise<LogGroupRecord[]> {
    return (await this.allGroups())
      .filter((g) => g.accountId === scope.accountId && g.region === scope.region)
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  async listRetainedGroups(): Promise<LogGroupRecord[]> {
    return (await this.allGroups()).filter((g) => g.retentionInDays !== null);
  }

  async putGroup(group: LogGroupRecord): Promise<void> {
    await this.docs.write([{ kind: GROUP, key: groupKey(group, group.name), doc: JSON.stringify(group) }]);
  }

  async deleteGroup(scope: LogScope, name: string): Promise<boolean> {
    if (!(await this.getGroup(scope, name))) return false;
    const streams = await this.listStreams(scope, name);
    await this.docs.write([
      { kind: GROUP, key: groupKey(scope, name), doc: null },
      ...streams.map((s) => ({ kind: streamKind(scope, name), key: s.name, doc: null })),
    ]);
    await this.c.jsm.streams.purge(this.stream, { filter: `${this.groupSubjects(scope, name)}.>` });
    return true;
  }

  async getStream(scope: LogScope, group: string, name: string): Promise<LogStreamRecord | undefined> {
    const got = await this.docs.get(streamKind(scope, group), name);
    return got ? (JSON.parse(got.doc) as LogStreamRecord) : undefined;
  }

  async listStreams(scope: LogScope, group: string): Promise<LogStreamRecord[]> {
    return (await this.docs.load(streamKind(scope, group))).map((r) => JSON.parse(r.doc) as LogStreamRecord);
  }

  async putStream(stream: LogStreamRecord): Promise<void> {
    // As the other adapters: a stream of a group that does not exist is not kept.
    if (!(await this.getGroup(stream, stream.group))) return;
    await this.docs.write([{ kind: streamKind(stream, stream.group), key: stream.name, doc: JSON.stringify(stream) }]);
  }

  async deleteStream(scope: LogScope, group: string, name: string): Promise<boolean> {
    if (!(await this.getStream(scope, group, name))) return false;
    await this.docs.write([{ kind: streamKind(scope, group), key: name, doc: null }]);
    await this.c.jsm.streams.purge(this.stream, { filter: `${this.groupSubjects(scope, group)}.${token(name)}` });
    return true;
  }

  async appendEvents(stream: LogStreamRecord, events: readonly NewLogEvent[], ingestionTime: number): Promise<void> {
    if (!(await this.getGroup(stream, stream.group))) return;
    const subject = `${this.groupSubjects(stream, stream.group)}.${token(stream.name)}`;
    // Sent together, in order, on one connection: their sequences keep the order they were put in.
    await Promise.all(
      events.map((e) =>
        this.c.requests.publish(
          subject,
          JSON.stringify({ stream: stream.name, timestamp: e.timestamp, message: e.message, ingestionTime } satisfies StoredEvent),
        ),
      ),
    );
    await this.docs.write([{ kind: streamKind(stream, stream.group), key: stream.name, doc: JSON.stringify(stream) }]);
  }

  private async events(scope: LogScope, group: string, streams: readonly string[] | null): Promise<LogEventRecord[]> {
    const base = this.groupSubjects(scope, group);
    // One stream: its own subject; several or all: the group's, filtered here.
    const filter = streams?.length === 1 ? `${base}.${token(streams[0]!)}` : `${base}.>`;
    const only = streams ? new Set(streams) : null;
    return (await scanSubject<StoredEvent>(this.c, this.stream, filter))
      .filter((m) => !only || only.has(m.value.stream))
      .map(({ seq, value }) => ({ ...value, seq }))
      .sort((a, b) => a.timestamp - b.timestamp || a.seq - b.seq);
  }

  async queryEvents(scope: LogScope, q: LogEventQuery): Promise<LogEventRecord[]> {
    if (q.streams?.length === 0) return [];
    const keep = (e: LogEventRecord) =>
      (q.start === undefined || e.timestamp >= q.start) &&
      (q.end === undefined || e.timestamp <= q.end) &&
      (!q.after || positionBefore(q.after, e)) &&
      (!q.before || positionBefore(e, q.before));
    const found = (await this.events(scope, q.group, q.streams)).filter(keep);
    return (q.descending ? found.reverse() : found).slice(0, q.limit);
  }

  async expireEvents(scope: LogScope, group: string, before: number): Promise<number> {
    const old = (await this.events(scope, group, null)).filter((e) => e.timestamp < before);
    for (const e of old) await this.c.jsm.streams.deleteMessage(this.stream, e.seq, false);
    return old.length;
  }

  /** The connection belongs to the node. */
  close(): void {}
}
