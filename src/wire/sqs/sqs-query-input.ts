import { int, list, map, members, messageAttributes, str, type Params } from '../query/query-params.js';

/** awsQuery SQS parameters (API version 2012-11-05) → the SDK-shaped input the service takes. */
type Decoder = (p: Params) => Record<string, unknown>;

const def = (o: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
const url = (p: Params) => str(p, 'QueueUrl');

function message(m: Params): Record<string, unknown> {
  return def({
    Id: str(m, 'Id'),
    MessageBody: str(m, 'MessageBody'),
    DelaySeconds: int(m, 'DelaySeconds'),
    MessageAttributes: messageAttributes(m, 'MessageAttribute', 'Name'),
  });
}

export const sqsQueryInputs: Readonly<Record<string, Decoder>> = {
  CreateQueue: (p) => def({ QueueName: str(p, 'QueueName'), Attributes: map(p, 'Attribute', 'Name', 'Value'), tags: map(p, 'Tag', 'Key', 'Value') }),
  GetQueueUrl: (p) => def({ QueueName: str(p, 'QueueName'), QueueOwnerAWSAccountId: str(p, 'QueueOwnerAWSAccountId') }),
  ListQueues: (p) => def({ QueueNamePrefix: str(p, 'QueueNamePrefix'), NextToken: str(p, 'NextToken'), MaxResults: int(p, 'MaxResults') }),
  DeleteQueue: (p) => def({ QueueUrl: url(p) }),
  PurgeQueue: (p) => def({ QueueUrl: url(p) }),
  GetQueueAttributes: (p) => def({ QueueUrl: url(p), AttributeNames: list(p, 'AttributeName') }),
  SetQueueAttributes: (p) => def({ QueueUrl: url(p), Attributes: map(p, 'Attribute', 'Name', 'Value') }),
  TagQueue: (p) => def({ QueueUrl: url(p), Tags: map(p, 'Tag', 'Key', 'Value') }),
  UntagQueue: (p) => def({ QueueUrl: url(p), TagKeys: list(p, 'TagKey') }),
  ListQueueTags: (p) => def({ QueueUrl: url(p) }),
  ListDeadLetterSourceQueues: (p) => def({ QueueUrl: url(p), NextToken: str(p, 'NextToken'), MaxResults: int(p, 'MaxResults') }),
  StartMessageMoveTask: (p) => def({ SourceArn: str(p, 'SourceArn'), DestinationArn: str(p, 'DestinationArn'), MaxNumberOfMessagesPerSecond: int(p, 'MaxNumberOfMessagesPerSecond') }),
  ListMessageMoveTasks: (p) => def({ SourceArn: str(p, 'SourceArn'), MaxResults: int(p, 'MaxResults') }),
  CancelMessageMoveTask: (p) => def({ TaskHandle: str(p, 'TaskHandle') }),
  SendMessage: (p) => def({ QueueUrl: url(p), ...message(p) }),
  SendMessageBatch: (p) => def({ QueueUrl: url(p), Entries: members(p, 'SendMessageBatchRequestEntry')?.map(message) }),
  ReceiveMessage: (p) =>
    def({
      QueueUrl: url(p),
      MaxNumberOfMessages: int(p, 'MaxNumberOfMessages'),
      VisibilityTimeout: int(p, 'VisibilityTimeout'),
      WaitTimeSeconds: int(p, 'WaitTimeSeconds'),
      AttributeNames: list(p, 'AttributeName'),
      MessageSystemAttributeNames: list(p, 'MessageSystemAttributeName'),
      MessageAttributeNames: list(p, 'MessageAttributeName'),
    }),
  DeleteMessage: (p) => def({ QueueUrl: url(p), ReceiptHandle: str(p, 'ReceiptHandle') }),
  DeleteMessageBatch: (p) => def({ QueueUrl: url(p), Entries: members(p, 'DeleteMessageBatchRequestEntry')?.map((m) => def({ Id: str(m, 'Id'), ReceiptHandle: str(m, 'ReceiptHandle') })) }),
  ChangeMessageVisibility: (p) => def({ QueueUrl: url(p), ReceiptHandle: str(p, 'ReceiptHandle'), VisibilityTimeout: int(p, 'VisibilityTimeout') }),
  ChangeMessageVisibilityBatch: (p) =>
    def({
      QueueUrl: url(p),
      Entries: members(p, 'ChangeMessageVisibilityBatchRequestEntry')?.map((m) => def({ Id: str(m, 'Id'), ReceiptHandle: str(m, 'ReceiptHandle'), VisibilityTimeout: int(m, 'VisibilityTimeout') })),
    }),
};

