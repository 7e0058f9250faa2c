import { parseArn } from '../../core/shared/arn.js';
import { isServiceError } from '../../core/shared/service-error.js';
import { recordEvent, type InvocationRecord } from './invocation-record.js';

type StringAttributes = Readonly<Record<string, { DataType: string; StringValue: string }>>;

/**
 * Where asynchronous invocations send what they produce: invocation records to OnSuccess /
 * OnFailure destinations, discarded events to the function's dead-letter queue. The server wires
 * each to its service (SQS SendMessage, SNS Publish, PutEvents on a bus, Lambda's own queue).
 */
/**
 * Who sends: the function (its account). A destination or dead-letter queue/topic/function of
 * another account takes it only when its own policy lets that account in (the one access check).
 */
export interface OutletSource {
  readonly functionArn: string;
  readonly account: string;
}

export interface AsyncOutlets {
  sendSqs(queueArn: string, body: string, attributes: StringAttributes | undefined, source: OutletSource): Promise<void>;
  publishSns(topicArn: string, message: string, attributes: StringAttributes | undefined, source: OutletSource): Promise<void>;
  /** Resolves the reason the bus refused the event, or null. */
  putEvent(busArn: string, event: string, fromAccount: string, idempotencyKey: string): Promise<{ code: string; message: string } | null>;
  /** Queues an asynchronous invocation of the function (a destination is invoked asynchronously). */
  invokeAsync(functionArn: string, payload: string, source: OutletSource): Promise<{ ok: boolean; message?: string }>;
}

/**
 * Sends an invocation record to a destination ARN; resolves null when sent, or why it was not
 * (Lambda then counts DestinationDeliveryFailures and the event is gone). FIFO queues and topics
 * are refused as Lambda refuses them ("an unsupported destination type, such as an Amazon SQS
 * FIFO queue or an Amazon SNS FIFO topic").
 */
export async function sendRecord(
  outlets: AsyncOutlets,
  destination: string,
  record: InvocationRecord,
  o: { eventId: string; account: string; region: string; functionArn: string },
): Promise<string | null> {
  const source = { functionArn: o.functionArn, account: o.account };
  const service = parseArn(destination)?.service;
  const body = JSON.stringify(record);
  return attempt(async () => {
    if ((service === 'sqs' || service === 'sns') && destination.endsWith('.fifo'))
      return `${destination} is FIFO: a destination must be a standard queue or topic`;
    if (service === 'sqs') await outlets.sendSqs(destination, body, undefined, source);
    else if (service === 'sns') await outlets.publishSns(destination, body, undefined, source);
    else if (service === 'lambda') {
      const r = await outlets.invokeAsync(destination, body, source);
      if (!r.ok) return r.message ?? `${destination} could not be invoked`;
    } else if (service === 'events') {
      const event = recordEvent(record, { id: o.eventId, account: o.account, region: o.region, busArn: destination });
      const problem = await outlets.putEvent(destination, event, o.account, `lambda-destination/${o.eventId}`);
      if (problem) return `${problem.code}: ${problem.message}`;
    } else return `${destination} is not a supported destination`;
    return null;
  });
}

/**
 * The function's dead-letter queue (invocation-async-retain-records, "Dead-letter queues"): the
 * event itself as the body, with the attributes RequestID, ErrorCode (the response status, 200
 * when the function ran and failed) and ErrorMessage (the first 1 KB of the error).
 */
export async function sendDeadLetter(
  outlets: AsyncOutlets,
  dlq: string,
  payload: string,
  o: { requestId: string; errorCode: number; errorMessage: string; source: OutletSource },
): Promise<string | null> {
  const attributes: StringAttributes = {
    RequestID: { DataType: 'String', StringValue: o.requestId },
    ErrorCode: { DataType: 'Number', StringValue: String(o.errorCode) },
    ErrorMessage: {
      DataType: 'String',
      StringValue: Buffer.from(o.errorMessage || 'Unknown error')
        .subarray(0, 1024)
        .toString('utf8'),
    },
  };
  const service = parseArn(dlq)?.service;
  return attempt(async () => {
    if (service === 'sqs') await outlets.sendSqs(dlq, payload, attributes, o.source);
    else if (service === 'sns') await outlets.publishSns(dlq, payload, attributes, o.source);
    else return `${dlq} is not an SQS queue or SNS topic`;
    return null;
  });
}

async function attempt(send: () => Promise<string | null>): Promise<string | null> {
  try {
    return await send();
  } catch (err) {
    if (isServiceError(err)) return `${err.code}: ${err.message}`;
    throw err;
  }
}
