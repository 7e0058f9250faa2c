import { SetTopicAttributesCommand, type SNSClient } from '@aws-sdk/client-sns';
import { SetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';

/**
 * The statement AWS's console adds when a rule targets a topic or queue (eb-use-resource-based):
 * events.amazonaws.com may publish / send. Tests that deliver to SNS or SQS targets give their
 * resources this policy as a user must, since amiwatch enforces it as AWS does.
 */
export const eventBridgeStatement = (action: 'sns:Publish' | 'sqs:SendMessage', resource: string, ruleArn?: string) => ({
  Sid: 'AWSEvents',
  Effect: 'Allow',
  Principal: { Service: 'events.amazonaws.com' },
  Action: action,
  Resource: resource,
  ...(ruleArn && { Condition: { ArnEquals: { 'aws:SourceArn': ruleArn } } }),
});

export async function allowEventsToTopic(sns: SNSClient, topicArn: string, ruleArn?: string): Promise<void> {
  const Policy = JSON.stringify({ Version: '2012-10-17', Statement: [eventBridgeStatement('sns:Publish', topicArn, ruleArn)] });
  await sns.send(new SetTopicAttributesCommand({ TopicArn: topicArn, AttributeName: 'Policy', AttributeValue: Policy }));
}

export async function allowEventsToQueue(sqs: SQSClient, queueUrl: string, ruleArn?: string): Promise<void> {
  const name = new URL(queueUrl).pathname.split('/').filter(Boolean);
  const arn = `arn:aws:sqs:us-east-1:${name[0]}:${name[1]}`;
  const Policy = JSON.stringify({ Version: '2012-10-17', Statement: [eventBridgeStatement('sqs:SendMessage', arn, ruleArn)] });
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { Policy } }));
}
