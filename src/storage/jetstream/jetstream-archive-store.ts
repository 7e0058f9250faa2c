import { RetentionPolicy, StorageType } from '@nats-io/jetstream';
import type { ArchiveRead, ArchiveStats, ArchiveStore, ArchivedEvent, ArchivedEventInput } from '../ports/archive-store.js';
import type { JetStreamConnection } from './connection.js';
import { ArchiveIndex, type IndexEntry } from './archive-index.js';
import { scanSubject, settledProbe, token, wrongLastSequence } from './scan.js';

/** One archived copy as stored (the archive is in the subject). */
interface StoredCopy {
  readonly eventId: string;
  readonly time: number;
  readonly archivedAt: number;
  readonly body: string;
}

/** How long a node's index of an archive is used before it is read again from the whole archive. */
const REBUILD_MS = 60_000;

/**
 * ArchiveStore on JetStream: the `amiwatch_archive` stream, one message per archived copy on the
 * subject `amiwatch.ar.<archive>.<event id>`. "One copy per (archive, event id)" is the stream's
 * own compare-and-set: a copy is published expecting its subject to hold nothing
 * (`Nats-Expected-Last-Subject-Sequence: 0`), so a second copy, from any node and at any time
 * (not only within a dedup window), is refused. The message's stream sequence is its `seq`.
 * Reads go through an index each node keeps per archive (archive-index.ts: the order, sizes and
 * times, read from the archive's subjects `amiwatch.ar.<archive>.>` as they grow), and fetch
 * the bodies of a page by sequence; DeleteArchive is one purge of those subjects.
 */
export class JetStreamArchiveStore implements ArchiveStore {
  private constructor(
    private readonly c: JetStreamConnection,
    private readonly stream: string,
    private readonly prefix: string,
  ) {}

  /** Per archive, what this node has read of it (archive-index.ts). */
  private readonly indexes = new Map<string, ArchiveIndex>();

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

  /**
   * The archive's index, brought up to date: the copies published since it was last read are
   * added (a consumer from `lastSeq + 1`). Rebuilt from the whole archive once REBUILD_MS old, so
   * copies another node pruned leave this node's counts within that time (a pruned copy a page
   * asks for is noticed at once: its body is gone).
   */
  private async index(archiveArn: string): Promise<ArchiveIndex> {
    let ix = this.indexes.get(archiveArn);
    if (!ix || Date.now() - ix.builtAt > REBUILD_MS) {
      ix = new ArchiveIndex(Date.now());
      this.indexes.set(archiveArn, ix);
    }
    const fresh = await scanSubject<StoredCopy>(this.c, this.stream, `${this.subjects(archiveArn)}.>`, ix.lastSeq + 1);
    for (const m of fresh) {
      ix.add({ seq: m.seq, time: m.value.time, archivedAt: m.value.archivedAt, bytes: Buffer.byteLength(m.value.body, 'utf8') });
    }
    return ix;
  }

  async read(q: ArchiveRead): Promise<ArchivedEvent[]> {
    const ix = await this.index(q.archiveArn);
    const out: ArchivedEvent[] = [];
    const gone = new Set<number>();
    const wanted = ix.range(q.from, q.to, q.after);
    while (out.length < q.limit) {
      const page: IndexEntry[] = [];
      for (let n = out.length; n < q.limit; n++) {
        const next = wanted.next();
        if (next.done) break;
        page.push(next.value);
      }
      if (page.length === 0) break;
      const bodies = await Promise.all(page.map((e) => this.copy(e.seq)));
      page.forEach((e, i) => {
        const copy = bodies[i];
        if (copy) out.push({ archiveArn: q.archiveArn, ...copy, seq: e.seq });
        else gone.add(e.seq); // pruned or dropped through another node
      });
    }
    ix.remove(gone);
    return out;
  }

  /** One copy by its sequence; null when it was deleted. */
  private async copy(seq: number): Promise<StoredCopy | null> {
    try {
      const m = await this.c.jsm.streams.getMessage(this.stream, { seq });
      return m ? (JSON.parse(m.string()) as StoredCopy) : null;
    } catch {
      return null;
    }
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
    this.indexes.delete(archiveArn);
  }

  /** The connection belongs to the node. */
  close(): void {}
}
