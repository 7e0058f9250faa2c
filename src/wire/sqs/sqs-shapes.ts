import { int, list, map, str, struct, type Shape } from '../json11/shapes.js';

/**
 * Member types of the SQS JSON 1.0 inputs (botocore sqs/2012-11-05). Only the types: SQS checks
 * required members, ranges and names itself and answers with its own codes (MissingParameter,
 * InvalidParameterValue, …). A member of the wrong JSON type — `"QueueUrl": true`, `"Entries": {}`
 * — is refused before the operation runs (see sqs-handler). The message move task operations are
 * not here: they check their members' types themselves, with the errors AWS gives for them.
 */
const s = str();
const strings = list(s);
const stringMap = map(s, s);
const attributeValue = struct({ StringValue: s, BinaryValue: s, StringListValues: strings, BinaryListValues: strings, DataType: s });
const messageAttributes = map(s, attributeValue);
const queue = (members: Record<string, Shape> = {}): Shape => struct({ QueueUrl: s, ...members });
const message = {
  MessageBody: s, DelaySeconds: int(), MessageAttributes: messageAttributes, MessageSystemAttributes: messageAttributes,
  MessageDeduplicationId: s, MessageGroupId: s,
};

export const sqsShapes: Readonly<Record<string, Shape>> = {
  CreateQueue: struct({ QueueName: s, Attributes: stringMap, tags: stringMap }),
  GetQueueUrl: struct({ QueueName: s, QueueOwnerAWSAccountId: s }),
  ListQueues: struct({ QueueNamePrefix: s, NextToken: s, MaxResults: int() }),
  DeleteQueue: queue(),
  PurgeQueue: queue(),
  GetQueueAttributes: queue({ AttributeNames: strings }),
  SetQueueAttributes: queue({ Attributes: stringMap }),
  TagQueue: queue({ Tags: stringMap }),
  UntagQueue: queue({ TagKeys: strings }),
  ListQueueTags: queue(),
  ListDeadLetterSourceQueues: queue({ NextToken: s, MaxResults: int() }),
  SendMessage: queue(message),
  SendMessageBatch: queue({ Entries: list(struct({ Id: s, ...message })) }),
  ReceiveMessage: queue({
    AttributeNames: strings, MessageSystemAttributeNames: strings, MessageAttributeNames: strings,
    MaxNumberOfMessages: int(), VisibilityTimeout: int(), WaitTimeSeconds: int(), ReceiveRequestAttemptId: s,
  }),
  DeleteMessage: queue({ ReceiptHandle: s }),
  DeleteMessageBatch: queue({ Entries: list(struct({ Id: s, ReceiptHandle: s })) }),
  ChangeMessageVisibility: queue({ ReceiptHandle: s, VisibilityTimeout: int() }),
  ChangeMessageVisibilityBatch: queue({ Entries: list(struct({ Id: s, ReceiptHandle: s, VisibilityTimeout: int() })) }),
};
