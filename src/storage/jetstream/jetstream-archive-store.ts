import { RetentionPolicy, StorageType } from '@nats-io/jetstream';
import type { ArchiveRead, ArchiveStats, ArchiveStore, ArchivedEvent, ArchivedEventInput } from '../ports/archive-store.js';
import type { JetStreamConnection } from './connection.js';
import { scanSubject, token, wrongLastSequence, type Scanned } from './scan.js';

/** One archived copy as stored (the archive is in the subject). */
interface StoredCopy {
  readonly eventId: string;
  readonly time: number;
  readonly archivedAt: number;
  readonly body: string;
}

const after = (e: ArchivedEvent, c: { time: number; seq: number }) => e.time > c.time || (e.time === c.time && e.seq > c.seq);

/**
 * ArchiveStore on JetStream: the `amiwatch_archive` stream, one message per archived copy on the
 * subject `amiwatch.ar.<archive>.<event id>`. "One copy per (archive, event id)" is the stream's
 * own compare-and-set: a copy is published expecting its subject to hold nothing
 * (`Nats-Expected-Last-Subject-Sequence: 0`), so a second copy, from any node and at any time
 * (not only within a dedup window), is refused. The message's stream sequence is its `seq`.
 * Reads go through the archive's subjects (`amiwatch.ar.<archive>.>`, scan.ts) and order by
 * (time, seq) in the node; DeleteArchive is one purge of those subjects.
 */
export class JetStreamArchiveStore implements ArchiveStore {
  private constructor(
    private readonly c: JetStreamConnection,
    private readonly stream: string,
    private readonly prefix: string,
  ) {}

  static async open(c: JetStreamConnection): Promise<JetStreamArchiveStore> {
    const prefix = `${c.options.prefix ?? 'amiwatch'}.ar`;
    const stream = c.name('archive');
    await c.ensureStream({ name: stream, subjects: [`${prefix}.>`], retention: RetentionPolicy.Limits, storage: StorageType.File });
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

  private async all(archiveArn: string): Promise<Scanned<StoredCopy>[]> {
    return scanSubject<StoredCopy>(this.c, this.stream, `${this.subjects(archiveArn)}.>`);
  }

  async read(q: ArchiveRead): Promise<ArchivedEvent[]> {
    return (await this.all(q.archiveArn))
      .map(({ seq, value }): ArchivedEvent => ({ archiveArn: q.archiveArn, ...value, seq }))
      .filter((e) => e.time >= q.from && e.time < q.to && (!q.after || after(e, q.after)))
      .sort((x, y) => x.time - y.time || x.seq - y.seq)
      .slice(0, q.limit);
  }

  async stats(archiveArn: string): Promise<ArchiveStats> {
    const copies = await this.all(archiveArn);
    let sizeBytes = 0;
    for (const c of copies) sizeBytes += Buffer.byteLength(c.value.body, 'utf8');
    return { eventCount: copies.length, sizeBytes };
  }

  async prune(archiveArn: string, before: number, limit: number): Promise<number> {
    const gone = (await this.all(archiveArn)).filter((c) => c.value.archivedAt < before).slice(0, limit);
    for (const c of gone) await this.c.jsm.streams.deleteMessage(this.stream, c.seq, false);
    return gone.length;
  }

  async drop(archiveArn: string): Promise<void> {
    await this.c.jsm.streams.purge(this.stream, { filter: `${this.subjects(archiveArn)}.>` });
  }

  /** The connection belongs to the node. */
  close(): void {}
}
