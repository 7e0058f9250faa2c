import { randomUUID } from 'node:crypto';
import { RetentionPolicy, StorageType } from '@nats-io/jetstream';
import type {
  LogEventQuery,
  LogEventRecord,
  LogGroupRecord,
  LogScope,
  LogsStore,
  LogStreamRecord,
  NewLogEvent,
} from '../ports/logs-store.js';
import type { JetStreamConnection } from './connection.js';
import { ResourceBucket } from './resource-bucket.js';
import { settledProbe, token } from './scan.js';
import { earlier, later, pageOf, TimeIndex, whileTrue } from './time-index.js';

const GROUP = 'group';
/** The streams of one group are a kind of their own, so listing them reads only theirs. */
const streamKind = (s: LogScope, group: string): string => `stream:${s.accountId}/${s.region}/${group}`;
const groupKey = (s: LogScope, name: string): string => `${s.accountId}/${s.region}/${name}`;

/** What a node's index keeps of an event: its place and stream, not its message. */
interface IndexEntry {
  readonly seq: number;
  /** The event's timestamp. */
  readonly time: number;
  readonly stream: string;
}

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
 * events put through different nodes are numbered by one counter). Reads go through an index
 * each node keeps per group (time-index.ts: every event's timestamp, seq and stream, taken in as
 * the group's subjects grow) and fetch only a page's messages by sequence. Deleting a stream or
 * group is a purge of its subjects; expiry deletes the old messages one by one.
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

  /** Per log group (by its subjects), what this node has read of its events (time-index.ts). */
  private readonly indexes = new Map<string, TimeIndex<IndexEntry>>();

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
    this.indexes.delete(`${this.groupSubjects(scope, name)}.>`);
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
    const ix = this.indexes.get(`${this.groupSubjects(scope, group)}.>`);
    ix?.remove(
      new Set(
        ix
          .all()
          .filter((e) => e.stream === name)
          .map((e) => e.seq),
      ),
    );
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

  /** The group's index (time-index.ts): every event's (timestamp, seq) and stream, brought up to date. */
  private index(scope: LogScope, group: string): Promise<TimeIndex<IndexEntry>> {
    return TimeIndex.refresh<StoredEvent, IndexEntry>(
      this.indexes,
      this.c,
      this.stream,
      `${this.groupSubjects(scope, group)}.>`,
      (seq, v) => ({
        seq,
        time: v.timestamp,
        stream: v.stream,
      }),
    );
  }

  /** One event by its sequence; null when it was deleted. */
  private async event(seq: number): Promise<StoredEvent | null> {
    const m = await this.c.jsm.streams.getMessage(this.stream, { seq });
    return m ? (JSON.parse(m.string()) as StoredEvent) : null;
  }

  async queryEvents(scope: LogScope, q: LogEventQuery): Promise<LogEventRecord[]> {
    if (q.streams?.length === 0) return [];
    const ix = await this.index(scope, q.group);
    const only = q.streams ? new Set(q.streams) : null;
    const keep = (e: IndexEntry) => !only || only.has(e.stream);
    let wanted: Iterator<IndexEntry>;
    if (!q.descending) {
      const start = later(
        { time: q.start ?? -Infinity, seq: 0 },
        q.after ? { time: q.after.timestamp, seq: q.after.seq + 1 } : { time: -Infinity, seq: 0 },
      );
      wanted = whileTrue(ix.from(start), (e) => q.end === undefined || e.time <= q.end);
    } else {
      const top = { time: q.end ?? Infinity, seq: Number.MAX_SAFE_INTEGER };
      const end = earlier(top, q.before ? { time: q.before.timestamp, seq: q.before.seq - 1 } : top);
      wanted = whileTrue(ix.backFrom(end), (e) => q.start === undefined || e.time >= q.start);
    }
    const page = await pageOf(ix, wanted, keep, q.limit, (seq) => this.event(seq));
    return page.map(({ entry, body }) => ({ ...body, seq: entry.seq }));
  }

  async expireEvents(scope: LogScope, group: string, before: number): Promise<number> {
    const ix = await this.index(scope, group);
    const old = ix.all().filter((e) => e.time < before);
    for (const e of old) await this.c.jsm.streams.deleteMessage(this.stream, e.seq, false).catch(() => undefined);
    ix.remove(new Set(old.map((e) => e.seq)));
    return old.length;
  }

  /** The connection belongs to the node. */
  close(): void {}
}
