/**
 * SDK-shaped SQS results → the awsQuery XML content. SQS's query model flattens its lists
 * (`<QueueUrl>` repeated, `<Message>` repeated, `<Attribute><Name/><Value/></Attribute>`), so
 * each shape is written out here.
 */
type Out = Record<string, unknown>;
type Shaper = (r: Out) => Out;

const nameValue = (m: unknown): { Name: string; Value: string }[] | undefined =>
  m ? Object.entries(m as Record<string, string>).map(([Name, Value]) => ({ Name, Value })) : undefined;

interface AttrValue {
  DataType?: string;
  StringValue?: string;
  BinaryValue?: string;
}

function message(m: Out): Out {
  const attrs = m.MessageAttributes as Record<string, AttrValue> | undefined;
  return {
    MessageId: m.MessageId,
    ReceiptHandle: m.ReceiptHandle,
    MD5OfBody: m.MD5OfBody,
    Body: m.Body,
    Attribute: nameValue(m.Attributes),
    MD5OfMessageAttributes: m.MD5OfMessageAttributes,
    MessageAttribute: attrs
      ? Object.entries(attrs).map(([Name, v]) => ({
          Name,
          Value: { StringValue: v.StringValue, BinaryValue: v.BinaryValue, DataType: v.DataType },
        }))
      : undefined,
  };
}

const batch =
  (ok: string) =>
  (r: Out): Out => ({ [ok]: r.Successful, BatchResultErrorEntry: r.Failed });

export const sqsQueryOutputs: Readonly<Record<string, Shaper>> = {
  ListQueues: (r) => ({ QueueUrl: r.QueueUrls, NextToken: r.NextToken }),
  ListDeadLetterSourceQueues: (r) => ({ QueueUrl: r.queueUrls, NextToken: r.NextToken }),
  ListMessageMoveTasks: (r) => ({ ListMessageMoveTasksResultEntry: r.Results }),
  GetQueueAttributes: (r) => ({ Attribute: nameValue(r.Attributes) }),
  ListQueueTags: (r) => ({
    Tag: r.Tags ? Object.entries(r.Tags as Record<string, string>).map(([Key, Value]) => ({ Key, Value })) : undefined,
  }),
  ReceiveMessage: (r) => ({ Message: (r.Messages as Out[] | undefined)?.map(message) }),
  SendMessageBatch: batch('SendMessageBatchResultEntry'),
  DeleteMessageBatch: batch('DeleteMessageBatchResultEntry'),
  ChangeMessageVisibilityBatch: batch('ChangeMessageVisibilityBatchResultEntry'),
};

/** Operations whose response has no Result element. */
export const emptyResults = new Set([
  'DeleteQueue',
  'PurgeQueue',
  'SetQueueAttributes',
  'TagQueue',
  'UntagQueue',
  'DeleteMessage',
  'ChangeMessageVisibility',
  'AddPermission',
  'RemovePermission',
]);
