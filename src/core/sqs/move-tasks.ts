import type { RequestContext } from '../shared/request-context.js';
import type {
  CancelMessageMoveTaskRequest,
  CancelMessageMoveTaskResult,
  ListMessageMoveTasksRequest,
  ListMessageMoveTasksResult,
  StartMessageMoveTaskRequest,
  StartMessageMoveTaskResult,
} from '@aws-sdk/client-sqs';
import type { Clock } from '../shared/clock.js';
import type { Random } from '../shared/random.js';
import type { MessageDoc, MoveTaskDoc } from './model.js';
import {
  ALREADY_RUNNING,
  checkIsDeadLetterQueue,
  checkMaxResults,
  checkRate,
  checkSameType,
  decodeHandle,
  encodeHandle,
  notFoundFor,
  required,
  taskNotFound,
  taskView,
} from './move-task-rules.js';
import { intAttr } from './queue-attributes.js';
import type { QueueEntry, RedriveMove, SqsState } from './sqs-state.js';
import { SqsErrors } from '../generated/errors.js';

/** Messages one step moves at most (one store transaction). */
const BATCH = 100;
/** How often a rate-limited task looks again whether its next second has begun. */
const TICK_MS = 100;
/** FailureReason when a destination queue is gone: the code SQS itself reports. */
const NO_QUEUE = 'AWS.SimpleQueueService.NonExistentQueue';

/**
 * SQS's message move tasks (DLQ redrive): StartMessageMoveTask, ListMessageMoveTasks,
 * CancelMessageMoveTask, and the loop that runs the tasks. A task moves the messages that were in
 * the DLQ when it started, oldest first, to its destination or — without one — each back to the
 * queue it was dead-lettered from; moved messages are new messages there (new MessageId, receive
 * count and retention restarted: "All redriven messages are considered new messages"). Messages a
 * consumer holds (in flight) are left where they are. Each step is one store write with the task's
 * count, so RUNNING tasks resume after a restart where they stood.
 */
export class MessageMoveTasks {
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private stopped = false;
  /**
   * Messages each rate-limited task moved in its current second. Kept in memory only: after a
   * restart a task starts a fresh second, so it never bursts to catch up on the time it was down.
   */
  private readonly thisSecond = new Map<string, { second: number; moved: number }>();

  constructor(
    private readonly state: SqsState,
    private readonly clock: Clock,
    private readonly random: Random,
    /** The access check of every SQS operation (queue-access.ts), for the queues a task names. */
    private readonly authorize: (q: QueueEntry, ctx: RequestContext, operation: string) => QueueEntry,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  async startMessageMoveTask(ctx: RequestContext, input: StartMessageMoveTaskRequest): Promise<StartMessageMoveTaskResult> {
    const sourceArn = required(input.SourceArn, 'SourceArn');
    const source = this.state.queues.get(sourceArn);
    if (!source) throw notFoundFor('SourceArn');
    this.authorize(source, ctx, 'StartMessageMoveTask');
    checkIsDeadLetterQueue(sourceArn, this.state.queues);
    if (input.DestinationArn !== undefined) {
      const destination = this.state.queues.get(input.DestinationArn);
      if (!destination) throw notFoundFor('DestinationArn');
      // Moving into a queue is sending to it.
      this.authorize(destination, ctx, 'SendMessage');
      checkSameType(source, destination);
    }
    const rate = checkRate(input.MaxNumberOfMessagesPerSecond);
    if ([...this.state.tasks.values()].some((t) => t.sourceArn === sourceArn && t.status === 'RUNNING'))
      throw SqsErrors.InvalidParameterValue(ALREADY_RUNNING);
    const task: MoveTaskDoc = {
      taskId: this.random.uuid(),
      sourceArn,
      ...(input.DestinationArn !== undefined && { destinationArn: input.DestinationArn }),
      ...(rate !== undefined && { rate }),
      status: 'RUNNING',
      startedAt: this.clock.now(),
      lastSeq: source.nextSeq - 1,
      toMove: source.messages.size,
      moved: 0,
    };
    await this.state.addTask(task);
    this.resume();
    return { TaskHandle: encodeHandle(task) };
  }

  async listMessageMoveTasks(ctx: RequestContext, input: ListMessageMoveTasksRequest): Promise<ListMessageMoveTasksResult> {
    const sourceArn = required(input.SourceArn, 'SourceArn');
    const source = this.state.queues.get(sourceArn);
    if (!source) throw notFoundFor('SourceArn');
    this.authorize(source, ctx, 'ListMessageMoveTasks');
    const max = checkMaxResults(input.MaxResults);
    const tasks = [...this.state.tasks.values()].filter((t) => t.sourceArn === sourceArn).reverse();
    return { Results: tasks.slice(0, max).map(taskView) };
  }

  /** Stops a RUNNING task at once: what it moved stays moved, the rest stays in the DLQ. */
  async cancelMessageMoveTask(ctx: RequestContext, input: CancelMessageMoveTaskRequest): Promise<CancelMessageMoveTaskResult> {
    const { taskId, sourceArn } = decodeHandle(input.TaskHandle);
    const source = this.state.queues.get(sourceArn);
    if (!source) throw notFoundFor('SourceArn');
    this.authorize(source, ctx, 'CancelMessageMoveTask');
    const task = this.state.tasks.get(taskId);
    if (!task || task.sourceArn !== sourceArn) throw taskNotFound();
    if (task.status !== 'RUNNING')
      throw SqsErrors.InvalidParameterValue(
        `Value for parameter TaskHandle is invalid. Reason: Only a task in status RUNNING can be cancelled; this one is ${task.status}.`,
      );
    const cancelled: MoveTaskDoc = { ...task, status: 'CANCELLED' };
    this.thisSecond.delete(taskId);
    await this.state.putTask(cancelled);
    return { ApproximateNumberOfMessagesMoved: cancelled.moved };
  }

  /** Runs the RUNNING tasks (after start, and after a restart) until none is left. */
  resume(delayMs = 0): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.inFlight = this.step().then(
        (next) => (next === null ? undefined : this.resume(next)),
        (err: unknown) => {
          this.onError(err);
          this.resume(1000);
        },
      );
    }, delayMs).unref();
  }

  /** Stops the loop; resolves once a step in progress has committed (then the store may close). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  /** One step of every RUNNING task; the delay before the next, or null when none runs. */
  private async step(): Promise<number | null> {
    const running = [...this.state.tasks.values()].filter((t) => t.status === 'RUNNING');
    if (running.length === 0) return null;
    for (const t of running) await this.advance(t.taskId);
    const still = [...this.state.tasks.values()].filter((t) => t.status === 'RUNNING');
    if (still.length === 0) return null;
    return still.some((t) => t.rate === undefined) ? 0 : TICK_MS;
  }

  /**
   * Moves the next batch of one task. Everything up to `state.redrive` runs synchronously, so a
   * cancel in between is impossible, and one arriving while the write is in flight applies to the
   * task as this step left it.
   */
  private async advance(taskId: string): Promise<void> {
    const task = this.state.tasks.get(taskId);
    const source = task && this.state.queues.get(task.sourceArn);
    if (!task || task.status !== 'RUNNING' || !source) return;
    const now = this.clock.now();
    const second = Math.floor(now / 1000);
    const window = this.thisSecond.get(taskId);
    const movedThisSecond = window?.second === second ? window.moved : 0;
    const budget = task.rate === undefined ? BATCH : Math.min(BATCH, task.rate - movedThisSecond);
    if (budget <= 0) return;
    const { picked, more } = this.pick(source, task, budget, now);
    const moves: RedriveMove[] = [];
    let failure: string | undefined;
    for (const old of picked) {
      const arn = task.destinationArn ?? old.deadLetterSourceArn;
      const to = arn === undefined ? undefined : this.state.queues.get(arn);
      if (!to) {
        failure =
          arn === undefined
            ? `Message ${old.messageId} was not dead-lettered from an SQS queue, so it has no source queue to go back to; start the task with a DestinationArn.`
            : NO_QUEUE;
        break;
      }
      moves.push({ to, old, fresh: this.fresh(old, to, now) });
    }
    const status = failure !== undefined ? 'FAILED' : more ? 'RUNNING' : 'COMPLETED';
    const next: MoveTaskDoc = {
      ...task,
      moved: task.moved + moves.length,
      status,
      ...(failure !== undefined && { failureReason: failure }),
    };
    if (status === 'RUNNING') this.thisSecond.set(taskId, { second, moved: movedThisSecond + moves.length });
    else this.thisSecond.delete(taskId);
    await this.state.redrive(source, moves, next);
  }

  /** Up to `budget` of the task's messages, oldest first, and whether more are waiting. */
  private pick(source: QueueEntry, task: MoveTaskDoc, budget: number, now: number): { picked: MessageDoc[]; more: boolean } {
    const picked: MessageDoc[] = [];
    for (const m of source.messages.values()) {
      if (m.seq > task.lastSeq) break;
      const held = m.receiveCount > 0 && m.visibleAt > now;
      if (held) continue;
      if (picked.length === budget) return { picked, more: true };
      picked.push(m);
    }
    return { picked, more: false };
  }

  /** The message as it arrives: new id, sent now, never received, the destination's delay. */
  private fresh(old: MessageDoc, to: QueueEntry, now: number): Omit<MessageDoc, 'seq' | 'queueArn'> {
    return {
      messageId: this.random.uuid(),
      body: old.body,
      md5OfBody: old.md5OfBody,
      attributes: old.attributes,
      ...(old.md5OfAttributes !== undefined && { md5OfAttributes: old.md5OfAttributes }),
      sentAt: now,
      visibleAt: now + intAttr(to.doc, 'DelaySeconds') * 1000,
      receiveCount: 0,
      ...(old.senderId !== undefined && { senderId: old.senderId }),
    };
  }
}
