import type { Message } from '@aws-sdk/client-sqs';
import type { EventSourceMappings, MappingDoc } from '../../core/lambda/event-source-mappings.js';
import type { AsyncAttempt } from '../../core/lambda/invocations.js';
import type { LambdaStore } from '../../storage/ports/lambda-store.js';
import { sqsEvent, toDelete } from './sqs-event.js';

/** How the poller reaches SQS (the server wires it to SQS's own ReceiveMessage / DeleteMessageBatch). */
export interface SqsPollPort {
  receive(queueArn: string, max: number, waitSeconds: number): Promise<Message[]>;
  delete(queueArn: string, receiptHandles: readonly string[]): Promise<void>;
}

export interface SqsPollerOptions {
  readonly mappings: EventSourceMappings;
  readonly sqs: SqsPollPort;
  readonly run: (functionArn: string, payload: string) => Promise<AsyncAttempt>;
  /** Where the poll leases are held: one node polls a mapping at a time. */
  readonly leases: LambdaStore;
  /** This node's name in the leases. */
  readonly owner: string;
  readonly now: () => number;
  readonly log: (m: string) => void;
  /** How often mappings are looked at (new, changed, leases renewed). */
  readonly tickMs?: number;
}

const LEASE_MS = 30_000;

/**
 * Lambda's SQS poller: for every enabled mapping whose lease this node holds, pollers receive
 * batches (up to BatchSize, gathered for up to MaximumBatchingWindowInSeconds), invoke the
 * function synchronously with Lambda's SQS event, and delete what succeeded (all, or all but the
 * reported `batchItemFailures`). What failed is left alone: it becomes visible again after the
 * queue's visibility timeout and, past the queue's maxReceiveCount, SQS moves it to the DLQ of
 * its redrive policy — as on AWS. ScalingConfig.MaximumConcurrency bounds the pollers of a
 * mapping (default 5, at most 10: the function's process cap).
 */
export class SqsPoller {
  private readonly running = new Map<string, Promise<void>[]>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;

  constructor(private readonly o: SqsPollerOptions) {}

  start(): void {
    this.stopped = false;
    const tick = () => void this.tick().catch((e: unknown) => this.o.log(`lambda sqs poller: ${String(e)}`));
    tick();
    this.timer = setInterval(tick, this.o.tickMs ?? 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    // Taken before the pollers end: each removes its mapping from `running` as it ends, and the
    // leases must still be given back so another node polls at once, not after LEASE_MS.
    const held = [...this.running.keys()];
    await Promise.allSettled([...this.running.values()].flat());
    for (const uuid of held) await this.o.leases.releaseLease(`esm/${uuid}`, this.o.owner);
  }

  private async tick(): Promise<void> {
    for (const m of this.o.mappings.enabled()) {
      if (!(await this.o.leases.tryLease(`esm/${m.uuid}`, this.o.owner, this.o.now(), LEASE_MS))) continue;
      if (this.running.has(m.uuid)) continue;
      const n = Math.min(m.maximumConcurrency ?? 5, 10);
      const loops = Array.from({ length: n }, () => this.loop(m.uuid));
      this.running.set(m.uuid, loops);
      void Promise.allSettled(loops).then(() => this.running.delete(m.uuid));
    }
  }

  /** One poller of a mapping: runs while the mapping exists, is enabled, and the server runs. */
  private async loop(uuid: string): Promise<void> {
    for (;;) {
      const m = this.o.mappings.get(uuid);
      if (this.stopped || !m || !m.enabled) return;
      try {
        const batch = await this.gather(m);
        if (batch.length > 0) await this.handle(m, batch);
      } catch (err) {
        this.o.log(`lambda sqs poller ${uuid}: ${String(err)}`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  /**
   * Up to BatchSize messages, receiving for up to the batching window (one long poll when it is
   * 0). A message received twice while gathering (its visibility ran out during a long window)
   * is in the batch once, with its newest receipt handle.
   */
  private async gather(m: MappingDoc): Promise<Message[]> {
    const got = new Map<string, Message>();
    const until = this.o.now() + m.maximumBatchingWindowInSeconds * 1000;
    do {
      const wait = got.size === 0 ? 1 : Math.max(0, Math.min(1, Math.ceil((until - this.o.now()) / 1000)));
      for (const msg of await this.o.sqs.receive(m.eventSourceArn, Math.min(10, m.batchSize - got.size), wait))
        got.set(msg.MessageId!, msg);
    } while (got.size < m.batchSize && this.o.now() < until && !this.stopped);
    return [...got.values()];
  }

  private async handle(m: MappingDoc, batch: Message[]): Promise<void> {
    const attempt = await this.o.run(m.functionArn, sqsEvent(batch, m.eventSourceArn, m.region));
    if (attempt.kind !== 'ran') {
      await this.o.mappings.noteResult(
        m.uuid,
        attempt.kind === 'gone' ? 'PROBLEM: Function not found.' : 'PROBLEM: Function call failed (throttled)',
      );
      return;
    }
    const ok = attempt.result.status === 'ok';
    const done = ok ? toDelete(batch, attempt.result.payload, m.reportBatchItemFailures) : [];
    if (done.length > 0)
      await this.o.sqs.delete(
        m.eventSourceArn,
        done.map((x) => x.ReceiptHandle!),
      );
    await this.o.mappings.noteResult(m.uuid, ok ? 'OK' : 'PROBLEM: Function call failed');
  }
}
