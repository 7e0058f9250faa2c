import { bool, list, map, members, messageAttributes, str, type Params } from '../query/query-params.js';

/** awsQuery SNS parameters (API version 2010-03-31) → the SDK-shaped input the service takes. */
type Decoder = (p: Params) => Record<string, unknown>;

const def = (o: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
const attributes = (p: Params) => map(p, 'Attributes.entry', 'key', 'value');
const tags = (p: Params) => members(p, 'Tags.member')?.map((m) => ({ Key: m.get('Key') ?? '', Value: m.get('Value') ?? '' }));
const arnOnly = (key: string): Decoder => (p) => def({ [key]: str(p, key) });
const setAttribute = (key: string): Decoder => (p) => def({ [key]: str(p, key), AttributeName: str(p, 'AttributeName'), AttributeValue: str(p, 'AttributeValue') });

function publishFields(p: Params): Record<string, unknown> {
  return {
    Message: str(p, 'Message'),
    Subject: str(p, 'Subject'),
    MessageStructure: str(p, 'MessageStructure'),
    MessageAttributes: messageAttributes(p, 'MessageAttributes.entry', 'Name'),
    MessageGroupId: str(p, 'MessageGroupId'),
    MessageDeduplicationId: str(p, 'MessageDeduplicationId'),
  };
}

export const snsQueryInputs: Readonly<Record<string, Decoder>> = {
  CreateTopic: (p) => def({ Name: str(p, 'Name'), Attributes: attributes(p), Tags: tags(p) }),
  DeleteTopic: arnOnly('TopicArn'),
  ListTopics: arnOnly('NextToken'),
  GetTopicAttributes: arnOnly('TopicArn'),
  SetTopicAttributes: setAttribute('TopicArn'),
  Subscribe: (p) =>
    def({ TopicArn: str(p, 'TopicArn'), Protocol: str(p, 'Protocol'), Endpoint: str(p, 'Endpoint'), Attributes: attributes(p), ReturnSubscriptionArn: bool(p, 'ReturnSubscriptionArn') }),
  ConfirmSubscription: (p) => def({ TopicArn: str(p, 'TopicArn'), Token: str(p, 'Token'), AuthenticateOnUnsubscribe: str(p, 'AuthenticateOnUnsubscribe') }),
  Unsubscribe: arnOnly('SubscriptionArn'),
  ListSubscriptions: arnOnly('NextToken'),
  ListSubscriptionsByTopic: (p) => def({ TopicArn: str(p, 'TopicArn'), NextToken: str(p, 'NextToken') }),
  GetSubscriptionAttributes: arnOnly('SubscriptionArn'),
  SetSubscriptionAttributes: setAttribute('SubscriptionArn'),
  Publish: (p) => def({ TopicArn: str(p, 'TopicArn'), TargetArn: str(p, 'TargetArn'), PhoneNumber: str(p, 'PhoneNumber'), ...publishFields(p) }),
  PublishBatch: (p) =>
    def({
      TopicArn: str(p, 'TopicArn'),
      PublishBatchRequestEntries: members(p, 'PublishBatchRequestEntries.member')?.map((m) => def({ Id: str(m, 'Id'), ...publishFields(m) })),
    }),
  TagResource: (p) => def({ ResourceArn: str(p, 'ResourceArn'), Tags: tags(p) }),
  UntagResource: (p) => def({ ResourceArn: str(p, 'ResourceArn'), TagKeys: list(p, 'TagKeys.member') }),
  ListTagsForResource: arnOnly('ResourceArn'),
};
