import type { ArchiveRead, ArchiveStats, ArchiveStore, ArchivedEvent, ArchivedEventInput } from '../ports/archive-store.js';

const after = (e: ArchivedEvent, c: { time: number; seq: number }) => e.time > c.time || (e.time === c.time && e.seq > c.seq);

/** ArchiveStore in memory (tests, `--in-memory`). */
export class MemoryArchiveStore implements ArchiveStore {
  private readonly byArchive = new Map<string, { events: ArchivedEvent[]; ids: Set<string> }>();
  private seq = 0;

  private archive(arn: string) {
    let a = this.byArchive.get(arn);
    if (!a) this.byArchive.set(arn, (a = { events: [], ids: new Set() }));
    return a;
  }

  async append(events: readonly ArchivedEventInput[]): Promise<void> {
    for (const e of events) {
      const a = this.archive(e.archiveArn);
      if (a.ids.has(e.eventId)) continue;
      a.ids.add(e.eventId);
      a.events.push({ ...e, seq: ++this.seq });
    }
  }

  async read(q: ArchiveRead): Promise<ArchivedEvent[]> {
    const a = this.byArchive.get(q.archiveArn);
    if (!a) return [];
    return a.events
      .filter((e) => e.time >= q.from && e.time < q.to && (!q.after || after(e, q.after)))
      .sort((x, y) => x.time - y.time || x.seq - y.seq)
      .slice(0, q.limit)
      .map((e) => ({ ...e }));
  }

  async stats(archiveArn: string): Promise<ArchiveStats> {
    const events = this.byArchive.get(archiveArn)?.events ?? [];
    let sizeBytes = 0;
    for (const e of events) sizeBytes += Buffer.byteLength(e.body, 'utf8');
    return { eventCount: events.length, sizeBytes };
  }

  async prune(archiveArn: string, before: number, limit: number): Promise<number> {
    const a = this.byArchive.get(archiveArn);
    if (!a) return 0;
    const gone = a.events
      .filter((e) => e.archivedAt < before)
      .sort((x, y) => x.seq - y.seq)
      .slice(0, limit);
    const seqs = new Set(gone.map((e) => e.seq));
    a.events = a.events.filter((e) => !seqs.has(e.seq));
    for (const e of gone) a.ids.delete(e.eventId);
    return gone.length;
  }

  async drop(archiveArn: string): Promise<void> {
    this.byArchive.delete(archiveArn);
  }

  close(): void {}
}
