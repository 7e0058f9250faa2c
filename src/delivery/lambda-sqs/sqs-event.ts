import type { Message } from '@aws-sdk/client-sqs';

/**
 * A batch of SQS messages as Lambda hands it to a function (with-sqs, "Example standard queue
 * message event"): `Records` with messageId, receiptHandle, body, attributes (the system
 * attributes), messageAttributes (lower-camel-case members, empty lists for the list values),
 * md5OfBody, eventSource `aws:sqs`, eventSourceARN and awsRegion.
 */
export function sqsEvent(messages: readonly Message[], queueArn: string, region: string): string {
  return JSON.stringify({
    Records: messages.map((m) => ({
      messageId: m.MessageId,
      receiptHandle: m.ReceiptHandle,
      body: m.Body ?? '',
      attributes: m.Attributes ?? {},
      messageAttributes: Object.fromEntries(
        Object.entries(m.MessageAttributes ?? {}).map(([name, v]) => [
          name,
          {
            ...(v.StringValue !== undefined && { stringValue: v.StringValue }),
            ...(v.BinaryValue !== undefined && { binaryValue: Buffer.from(v.BinaryValue).toString('base64') }),
            stringListValues: [],
            binaryListValues: [],
            dataType: v.DataType,
          },
        ]),
      ),
      md5OfBody: m.MD5OfBody,
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn,
      awsRegion: region,
    })),
  });
}

/**
 * Which messages of a batch to delete after the function answered (services-sqs-errorhandling,
 * "Implementing partial batch responses"): all of them after a success; with
 * ReportBatchItemFailures, all but the `batchItemFailures` it names. A response Lambda cannot
 * read — an itemIdentifier missing, empty or not in the batch — fails the whole batch, as on Lambda.
 */
export function toDelete(messages: readonly Message[], response: string, partial: boolean): Message[] {
  if (!partial) return [...messages];
  let parsed: unknown;
  try {
    parsed = JSON.parse(response);
  } catch {
    return [...messages];
  }
  const failures = (parsed as { batchItemFailures?: unknown } | null)?.batchItemFailures;
  if (failures === undefined || failures === null) return [...messages];
  if (!Array.isArray(failures)) return [];
  const ids = new Set(messages.map((m) => m.MessageId));
  const failed = new Set<string>();
  for (const f of failures) {
    const id = (f as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || id === '' || !ids.has(id)) return [];
    failed.add(id);
  }
  return messages.filter((m) => !failed.has(m.MessageId!));
}
