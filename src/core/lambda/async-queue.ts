import type { NewEvent, Store } from '../../storage/store.js';
import type { EventFeed } from '../events/event-feed.js';
import type { Clock } from '../shared/clock.js';

/** The delivery-queue job kind of an asynchronous invocation (the delivery worker's handler key). */
export const LAMBDA_ASYNC_JOB = 'lambda-async';

/**
 * An asynchronous invocation as a job of the durable delivery queue. It is stored as a delivery
 * target (JSON) beside the event body (the payload), so the queue's lease, retry-at and history
 * apply to it as to any rule target; the fields `ruleArn`/`target.Id` name it in the history.
 */
export interface AsyncInvokeJob {
  readonly job: typeof LAMBDA_ASYNC_JOB;
  /** The function's unqualified ARN (history groups by it). */
  readonly ruleArn: string;
  readonly ruleName: string;
  readonly busArn: string;
  readonly account: string;
  readonly region: string;
  /** `Arn`: the invoked ARN with its qualifier (`…:function:NAME:$LATEST`), as the record names it. */
  readonly target: { readonly Id: string; readonly Arn: string };
  readonly qualifier: string;
  /** The invocation's request id: the one Invoke answered and the function's `awsRequestId`. */
  readonly requestId: string;
}

export interface AsyncEnqueue {
  readonly functionArn: string;
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly qualifier: string;
  readonly requestId: string;
  readonly payload: string;
}

/**
 * Lambda's asynchronous event queue, on the store's delivery queue: Invoke `Event`, EventBridge
 * and SNS targets append the event here and are answered once it is durable (Lambda "places the
 * event in a queue and returns a success response"). The delivery worker's `lambda-async`
 * handler runs, retries and routes it (src/delivery/lambda-async/).
 */
export class AsyncInvokeQueue {
  constructor(private readonly o: { store: Store; feed: EventFeed; clock: Clock }) {}

  async enqueue(e: AsyncEnqueue): Promise<void> {
    const job: AsyncInvokeJob = {
      job: LAMBDA_ASYNC_JOB,
      ruleArn: e.functionArn,
      ruleName: e.name,
      busArn: e.functionArn,
      account: e.account,
      region: e.region,
      target: { Id: `async:${e.qualifier}`, Arn: `${e.functionArn}:${e.qualifier}` },
      qualifier: e.qualifier,
      requestId: e.requestId,
    };
    const now = this.o.clock.now();
    const event: NewEvent = {
      eventId: e.requestId,
      busArn: e.functionArn,
      ingestedAt: now,
      body: e.payload,
      rules: [],
      deliveries: [{ ruleArn: e.functionArn, target: JSON.stringify(job), dueAt: now }],
      // The request id is unique per invocation: a producer offering it again lands once.
      idempotencyKey: `lambda-async/${e.requestId}`,
    };
    await this.o.store.appendEvents([event]);
    this.o.feed.publishEvents([event]);
  }
}
