import { RetentionPolicy, StorageType } from '@nats-io/jetstream';
import type { ArchiveRead, ArchiveStats, ArchiveStore, ArchivedEvent, ArchivedEventInput } from '../ports/archive-store.js';
import type { JetStreamConnection } from './connection.js';
import { later, pageOf, TimeIndex, whileTrue } from './time-index.js';
import { settledProbe, token, wrongLastSequence } from './scan.js';

/** One archived copy as stored (the archive is in the subject). */
interface StoredCopy {
  readonly eventId: string;
  readonly time: number;
  readonly archivedAt: number;
  readonly body: string;
}

/** What a node's index keeps of a copy: enough to order, page, count and prune, not the body. */
interface IndexEntry {
  readonly seq: number;
  readonly time: number;
  readonly archivedAt: number;
  /** UTF-8 bytes of the body (ArchiveStats.sizeBytes). */
  readonly bytes: number;
}

/**
 * ArchiveStore on JetStream: the `amiwatch_archive` stream, one message per archived copy on the
 * subject `amiwatch.ar.<archive>.<event id>`. "One copy per (archive, event id)" is the stream's
 * own compare-and-set: a copy is published expecting its subject to hold nothing
 * (`Nats-Expected-Last-Subject-Sequence: 0`), so a second copy, from any node and at any time
 * (not only within a dedup window), is refused. The message's stream sequence is its `seq`.
 * Reads go through an index each node keeps per archive (time-index.ts: the order, sizes and
 * times, read from the archive's subjects `amiwatch.ar.<archive>.>` as they grow), and fetch
 * the bodies of a page by sequence; DeleteArchive is one purge of those subjects.
 */
export class JetStreamArchiveStore implements ArchiveStore {
  private constructor(
    private readonly c: JetStreamConnection,
    private readonly stream: string,
    private readonly prefix: string,
  ) {}

  /** Per archive (by its subjects), what this node has read of it (time-index.ts). */
  private readonly indexes = new Map<string, TimeIndex<IndexEntry>>();

  static async open(c: JetStreamConnection): Promise<JetStreamArchiveStore> {
    const prefix = `${c.options.prefix ?? 'amiwatch'}.ar`;
    const stream = c.name('archive');
    await c.ensureStream({ name: stream, subjects: [`${prefix}.>`], retention: RetentionPolicy.Limits, storage: StorageType.File });
    await settledProbe(c, stream, prefix);
    return new JetStreamArchiveStore(c, stream, prefix);
  }

  private subjects(archiveArn: string): string {
    return `${this.prefix}.${token(archiveArn)}`;
  }

  async append(events: readonly ArchivedEventInput[]): Promise<void> {
    // Sent together, in order, on one connection: the stream numbers them in that order.
    await Promise.all(
      events.map(async (e) => {
        const copy: StoredCopy = { eventId: e.eventId, time: e.time, archivedAt: e.archivedAt, body: e.body };
        try {
          await this.c.requests.publish(`${this.subjects(e.archiveArn)}.${token(e.eventId)}`, JSON.stringify(copy), {
            lastSubjectSequence: 0,
          });
        } catch (err) {
          if (!wrongLastSequence(err)) throw err; // already archived: the copy is skipped
        }
      }),
    );
  }

  /** The archive's index (time-index.ts), brought up to date. */
  private index(archiveArn: string): Promise<TimeIndex<IndexEntry>> {
    return TimeIndex.refresh<StoredCopy, IndexEntry>(this.indexes, this.c, this.stream, `${this.subjects(archiveArn)}.>`, (seq, v) => ({
      seq,
      time: v.time,
      archivedAt: v.archivedAt,
      bytes: Buffer.byteLength(v.body, 'utf8'),
    }));
  }

  async read(q: ArchiveRead): Promise<ArchivedEvent[]> {
    const ix = await this.index(q.archiveArn);
    const start = later({ time: q.from, seq: 0 }, q.after ? { time: q.after.time, seq: q.after.seq + 1 } : { time: q.from, seq: 0 });
    const wanted = whileTrue(ix.from(start), (e) => e.time < q.to);
    const page = await pageOf(
      ix,
      wanted,
      () => true,
      q.limit,
      (seq) => this.copy(seq),
    );
    return page.map(({ entry, body }) => ({ archiveArn: q.archiveArn, ...body, seq: entry.seq }));
  }

  /** One copy by its sequence; null when it was deleted (any other failure is the caller's: a replay must not skip). */
  private async copy(seq: number): Promise<StoredCopy | null> {
    const m = await this.c.jsm.streams.getMessage(this.stream, { seq });
    return m ? (JSON.parse(m.string()) as StoredCopy) : null;
  }

  async stats(archiveArn: string): Promise<ArchiveStats> {
    const entries = (await this.index(archiveArn)).all();
    let sizeBytes = 0;
    for (const e of entries) sizeBytes += e.bytes;
    return { eventCount: entries.length, sizeBytes };
  }

  async prune(archiveArn: string, before: number, limit: number): Promise<number> {
    const ix = await this.index(archiveArn);
    const gone = ix
      .all()
      .filter((e) => e.archivedAt < before)
      .sort((a, b) => a.seq - b.seq)
      .slice(0, limit);
    for (const e of gone) await this.c.jsm.streams.deleteMessage(this.stream, e.seq, false).catch(() => undefined);
    ix.remove(new Set(gone.map((e) => e.seq)));
    return gone.length;
  }

  async drop(archiveArn: string): Promise<void> {
    await this.c.jsm.streams.purge(this.stream, { filter: `${this.subjects(archiveArn)}.>` });
    this.indexes.delete(`${this.subjects(archiveArn)}.>`);
  }

  /** The connection belongs to the node. */
  close(): void {}
}
