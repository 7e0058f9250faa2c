import type { ResourceChange, ResourceWrite, Store } from '../../storage/store.js';
import { loadFollowing } from '../shared/follow.js';
import type { Random } from '../shared/random.js';
import type { TokenPort } from './dedup-claims.js';
import { DEDUP_WINDOW_MS } from './fifo.js';
import { SQS_KIND, type DedupDoc, type MessageDoc, type MoveTaskDoc, type QueueDoc } from './model.js';
import { SqsErrors } from '../generated/errors.js';

export interface QueueEntry {
  doc: QueueDoc;
  /** Messages in send order (Map keeps insertion order): receive takes the oldest visible. */
  readonly messages: Map<number, MessageDoc>;
  nextSeq: number;
  /** Long pollers waiting on this queue. */
  readonly waiters: Set<() => void>;
  /** FIFO: deduplication ids seen in the last 5 minutes, oldest first. */
  readonly dedup: Map<string, DedupDoc>;
  /** When PurgeQueue last ran (memory only: a restart forgets it, which only lets a purge through early). */
  purgedAt?: number;
}

/** One message of a move task's step: it leaves its DLQ and arrives in `to` as `fresh`. */
export interface RedriveMove {
  readonly to: QueueEntry;
  readonly old: MessageDoc;
  readonly fresh: Omit<MessageDoc, 'seq' | 'queueArn'>;
}

/** ListMessageMoveTasks answers with the latest ten per source; older ones are forgotten. */
const TASKS_KEPT = 10;

const messageKey = (m: MessageDoc): string => `${m.queueArn}#${String(m.seq).padStart(16, '0')}`;
const messageWrite = (m: MessageDoc): ResourceWrite => ({ kind: SQS_KIND.message, key: messageKey(m), doc: JSON.stringify(m) });
const messageDelete = (m: MessageDoc): ResourceWrite => ({ kind: SQS_KIND.message, key: messageKey(m), doc: null });
const dedupWrite = (d: DedupDoc): ResourceWrite => ({ kind: SQS_KIND.dedup, key: `${d.queueArn}#${d.key}`, doc: JSON.stringify(d) });
const dedupDelete = (d: DedupDoc): ResourceWrite => ({ kind: SQS_KIND.dedup, key: `${d.queueArn}#${d.key}`, doc: null });
const taskWrite = (t: MoveTaskDoc): ResourceWrite => ({ kind: SQS_KIND.moveTask, key: t.taskId, doc: JSON.stringify(t) });
const taskDelete = (t: MoveTaskDoc): ResourceWrite => ({ kind: SQS_KIND.moveTask, key: t.taskId, doc: null });

/**
 * Queues and their messages in memory, loaded from the store at start and written through on
 * every change: persist first, then apply, so memory never shows what the store lacks.
 */
export class SqsState {
  readonly queues = new Map<string, QueueEntry>();
  /** Message move tasks by id, in start order. */
  readonly tasks = new Map<string, MoveTaskDoc>();

  /**
   * Message sequence numbers order a queue and key its messages in the store. On a cluster,
   * several nodes send to one queue at once: each node then numbers in its own lane (`slot` of
   * `stride`), so two nodes never give two messages the same number; alone, numbers are 1, 2, 3…
   */
  private readonly stride: number;
  private readonly slot: number;

  /**
   * On a cluster, the Store's one-time tokens: receives claim what they picked
   * (receive-claims.ts), FIFO sends their deduplication ids (dedup-claims.ts). Absent alone.
   */
  readonly tokens: TokenPort | undefined;

  private constructor(
    private readonly store: Store,
    random: Random | undefined,
  ) {
    const { claimOnce, claimHolder, releaseClaim } = store;
    this.tokens =
      store.shared && claimOnce && claimHolder && releaseClaim
        ? {
            claimOnce: (key, value) => claimOnce.call(store, key, value),
            claimHolder: (key) => claimHolder.call(store, key),
            releaseClaim: (key) => releaseClaim.call(store, key),
          }
        : undefined;
    this.stride = store.shared ? 1024 : 1;
    this.slot = store.shared ? Math.floor((random?.float() ?? 0) * 1024) : 0;
  }

  /** The next sequence number of `q`, in this node's lane. */
  private alloc(q: QueueEntry): number {
    const seq = q.nextSeq;
    q.nextSeq = this.after(seq);
    return seq;
  }

  private after(seq: number): number {
    return this.stride === 1 ? seq + 1 : (Math.floor(seq / this.stride) + 1) * this.stride + this.slot;
  }

  private newEntry(doc: QueueDoc): QueueEntry {
    return { doc, messages: new Map(), nextSeq: this.after(0), waiters: new Set(), dedup: new Map() };
  }

  /**
   * Group commit: writes requested in the same event-loop turn (a delivery round sending to a
   * queue hundreds of times, a burst of SendMessage calls) share one store transaction. Every
   * caller still resolves only after its own writes are durable.
   */
  private pending: ResourceWrite[] = [];
  private flushing: Promise<void> | null = null;

  private persist(writes: readonly ResourceWrite[]): Promise<void> {
    if (writes.length === 0) return Promise.resolve();
    this.pending.push(...writes);
    this.flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      const batch = this.pending;
      this.pending = [];
      this.flushing = null;
      return this.store.writeResources(batch);
    });
    return this.flushing;
  }

  static async load(store: Store, random?: Random): Promise<SqsState> {
    const state = new SqsState(store, random);
    // FIFO deduplication marks are followed too: a duplicate sent through another node is one here.
    await loadFollowing(
      store,
      [SQS_KIND.queue, SQS_KIND.message, SQS_KIND.moveTask, SQS_KIND.dedup],
      () => state.loadAll(),
      (c) => state.applyRemote(c),
    );
    return state;
  }

  /**
   * A queue, message or move task another node wrote. A message sent through another node wakes
   * this node's long pollers on its queue.
   */
  applyRemote(c: ResourceChange): void {
    if (c.kind === SQS_KIND.queue) {
      if (c.doc === null) {
        const q = this.queues.get(c.key);
        this.queues.delete(c.key);
        for (const w of [...(q?.waiters ?? [])]) w();
        return;
      }
      const doc = JSON.parse(c.doc) as QueueDoc;
      const q = this.queues.get(doc.arn);
      if (q) q.doc = doc;
      else this.queues.set(doc.arn, this.newEntry(doc));
    } else if (c.kind === SQS_KIND.message) {
      const at = c.key.lastIndexOf('#');
      const q = this.queues.get(c.key.slice(0, at));
      if (!q) return;
      if (c.doc === null) return void q.messages.delete(Number(c.key.slice(at + 1)));
      const m = JSON.parse(c.doc) as MessageDoc;
      q.messages.set(m.seq, m);
      if (m.seq >= q.nextSeq) q.nextSeq = this.after(m.seq);
      for (const w of [...q.waiters]) w();
    } else if (c.kind === SQS_KIND.dedup) {
      this.applyRemoteDedup(c);
    } else if (c.kind === SQS_KIND.moveTask) {
      if (c.doc === null) this.tasks.delete(c.key);
      else this.tasks.set(c.key, JSON.parse(c.doc) as MoveTaskDoc);
    }
  }

  /**
   * Another node's FIFO deduplication mark (store key `<queue arn>#<id>`): a send of the same id
   * through this node inside the window is then a duplicate here too. Kept oldest first.
   */
  private applyRemoteDedup(c: ResourceChange): void {
    // A queue ARN holds no '#'; the id after it may (a per-group key).
    const at = c.key.indexOf('#');
    const q = this.queues.get(c.key.slice(0, at));
    if (!q) return;
    const key = c.key.slice(at + 1);
    q.dedup.delete(key);
    if (c.doc === null) return;
    const d = JSON.parse(c.doc) as DedupDoc;
    const later = [...q.dedup.values()].filter((o) => o.at > d.at);
    for (const o of later) q.dedup.delete(o.key);
    q.dedup.set(key, d);
    for (const o of later) q.dedup.set(o.key, o);
  }

  private async loadAll(): Promise<void> {
    const state = this;
    const store = this.store;
    for (const r of await store.loadResources(SQS_KIND.queue)) {
      const doc = JSON.parse(r.doc) as QueueDoc;
      state.queues.set(doc.arn, state.newEntry(doc));
    }
    const dedups = (await store.loadResources(SQS_KIND.dedup)).map((r) => JSON.parse(r.doc) as DedupDoc);
    for (const d of dedups.sort((a, b) => a.at - b.at)) state.queues.get(d.queueArn)?.dedup.set(d.key, d);
    for (const r of await store.loadResources(SQS_KIND.message)) {
      const m = JSON.parse(r.doc) as MessageDoc;
      const q = state.queues.get(m.queueArn);
      if (!q) continue;
      q.messages.set(m.seq, m);
      if (m.seq >= q.nextSeq) q.nextSeq = state.after(m.seq);
    }
    const tasks = (await store.loadResources(SQS_KIND.moveTask)).map((r) => JSON.parse(r.doc) as MoveTaskDoc);
    for (const t of tasks.sort((a, b) => a.startedAt - b.startedAt)) if (state.queues.has(t.sourceArn)) state.tasks.set(t.taskId, t);
  }

  queue(arn: string): QueueEntry {
    const q = this.queues.get(arn);
    if (!q) throw SqsErrors.QueueDoesNotExist('The specified queue does not exist.');
    return q;
  }

  async putQueue(doc: QueueDoc): Promise<void> {
    await this.persist([{ kind: SQS_KIND.queue, key: doc.arn, doc: JSON.stringify(doc) }]);
    const q = this.queues.get(doc.arn);
    if (q) q.doc = doc;
    else this.queues.set(doc.arn, this.newEntry(doc));
  }

  /** The queue, its messages and the move tasks it is the source of go in one write. */
  async deleteQueue(q: QueueEntry): Promise<void> {
    const tasks = [...this.tasks.values()].filter((t) => t.sourceArn === q.doc.arn);
    await this.persist([
      { kind: SQS_KIND.queue, key: q.doc.arn, doc: null },
      ...[...q.messages.values()].map(messageDelete),
      ...tasks.map(taskDelete),
      ...[...q.dedup.values()].map(dedupDelete),
    ]);
    this.queues.delete(q.doc.arn);
    for (const t of tasks) this.tasks.delete(t.taskId);
    for (const w of q.waiters) w();
  }

  /** Adds new messages (seq assigned here) in one write; wakes long pollers. */
  async addMessages(q: QueueEntry, messages: Omit<MessageDoc, 'seq' | 'queueArn'>[]): Promise<MessageDoc[]> {
    const docs = messages.map((m) => ({ ...m, queueArn: q.doc.arn, seq: this.alloc(q) }));
    await this.persist(docs.map(messageWrite));
    for (const m of docs) q.messages.set(m.seq, m);
    for (const w of [...q.waiters]) w();
    return docs;
  }

  /** A deduplication id still inside its 5-minute window, or undefined. */
  seen(q: QueueEntry, key: string, now: number): DedupDoc | undefined {
    const d = q.dedup.get(key);
    return d && now - d.at < DEDUP_WINDOW_MS ? d : undefined;
  }

  /**
   * Adds FIFO messages and remembers their deduplication ids in the same write, forgetting ids
   * whose window is over. Memory first (the ids and the messages), so a second send of the same
   * id in the same turn is already a duplicate.
   */
  async addFifoMessages(
    q: QueueEntry,
    messages: { m: Omit<MessageDoc, 'seq' | 'queueArn'>; key: string }[],
    now: number,
  ): Promise<MessageDoc[]> {
    const expired: DedupDoc[] = [];
    for (const d of q.dedup.values()) {
      if (now - d.at < DEDUP_WINDOW_MS) break;
      expired.push(d);
    }
    for (const d of expired) q.dedup.delete(d.key);
    const docs = messages.map(({ m }) => ({ ...m, queueArn: q.doc.arn, seq: this.alloc(q) }));
    const marks = docs.map(
      (m, i): DedupDoc => ({
        queueArn: q.doc.arn,
        key: messages[i]!.key,
        messageId: m.messageId,
        ...(m.sequenceNumber !== undefined && { sequenceNumber: m.sequenceNumber }),
        at: now,
      }),
    );
    // Delete first: a key whose window ended but was not yet forgotten moves to the end (oldest first holds).
    for (const d of marks) q.dedup.delete(d.key), q.dedup.set(d.key, d);
    for (const m of docs) q.messages.set(m.seq, m);
    try {
      await this.persist([...expired.map(dedupDelete), ...docs.map(messageWrite), ...marks.map(dedupWrite)]);
    } catch (err) {
      // Not durable, not sent: the sender may retry with the same id.
      for (const d of marks) q.dedup.delete(d.key);
      for (const m of docs) q.messages.delete(m.seq);
      throw err;
    }
    for (const w of [...q.waiters]) w();
    return docs;
  }

  /**
   * Writes changed and removed messages in one write. Memory is updated first, at once: two
   * receives in the same turn must not both take a message while its write is in flight (a
   * failed write then only makes a message visible or present again: at-least-once).
   */
  async update(q: QueueEntry, changed: readonly MessageDoc[], removed: readonly MessageDoc[] = []): Promise<void> {
    for (const m of changed) q.messages.set(m.seq, m);
    for (const m of removed) q.messages.delete(m.seq);
    await this.persist([...changed.map(messageWrite), ...removed.map(messageDelete)]);
  }

  /** Moves messages to another queue (redrive) in one write; memory first, as in `update`. */
  async move(from: QueueEntry, to: QueueEntry, messages: readonly MessageDoc[]): Promise<void> {
    const moved = messages.map((m) => ({
      ...m,
      queueArn: to.doc.arn,
      seq: this.alloc(to),
      receiveCount: 0,
      deadLetterSourceArn: from.doc.arn,
    }));
    for (const m of moved) {
      delete m.receipt;
      delete m.firstReceivedAt;
      delete m.receivedAt;
    }
    for (const m of messages) from.messages.delete(m.seq);
    for (const m of moved) to.messages.set(m.seq, m);
    for (const w of [...to.waiters]) w();
    await this.persist([...messages.map(messageDelete), ...moved.map(messageWrite)]);
  }

  /** A new move task; the source's oldest beyond the latest ten are forgotten in the same write. */
  async addTask(task: MoveTaskDoc): Promise<void> {
    const older = [...this.tasks.values()].filter((t) => t.sourceArn === task.sourceArn);
    const forgotten = older.slice(0, Math.max(0, older.length + 1 - TASKS_KEPT));
    for (const t of forgotten) this.tasks.delete(t.taskId);
    this.tasks.set(task.taskId, task);
    await this.persist([...forgotten.map(taskDelete), taskWrite(task)]);
  }

  /** A task's new status (cancelled, failed) on its own. Memory first, as in `update`. */
  async putTask(task: MoveTaskDoc): Promise<void> {
    this.tasks.set(task.taskId, task);
    await this.persist([taskWrite(task)]);
  }

  /**
   * One step of a move task, in ONE write: the messages leave the DLQ, arrive in their
   * destinations, and the task's count (and status, when this step ends it) changes with them. A
   * crash before the commit leaves the messages where they were and the count as it was, so a
   * task resumed after a restart neither repeats nor skips a message. Memory is updated first, at
   * once, as in `update`: no receive or other step can take these messages meanwhile.
   */
  async redrive(from: QueueEntry, moves: readonly RedriveMove[], task: MoveTaskDoc): Promise<void> {
    const arrived = moves.map(({ to, fresh }) => ({ to, doc: { ...fresh, queueArn: to.doc.arn, seq: this.alloc(to) } }));
    for (const { old } of moves) from.messages.delete(old.seq);
    for (const { to, doc } of arrived) to.messages.set(doc.seq, doc);
    this.tasks.set(task.taskId, task);
    for (const to of new Set(arrived.map((a) => a.to))) for (const w of [...to.waiters]) w();
    await this.persist([...moves.map(({ old }) => messageDelete(old)), ...arrived.map(({ doc }) => messageWrite(doc)), taskWrite(task)]);
  }
}
