import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sqs from '@aws-sdk/client-sqs';
import * as sns from '@aws-sdk/client-sns';
import * as lambda from '@aws-sdk/client-lambda';
import * as eb from '@aws-sdk/client-eventbridge';
import * as ec2 from '@aws-sdk/client-ec2';
import * as logs from '@aws-sdk/client-cloudwatch-logs';
import type { App } from '../../src/server/app.js';
import { ec2Model } from '../../src/wire/generated/ec2.js';
import { eventsModel } from '../../src/wire/generated/events.js';
import { lambdaModel } from '../../src/wire/generated/lambda.js';
import { logsModel } from '../../src/wire/generated/logs.js';
import { snsModel } from '../../src/wire/generated/sns.js';
import { sqsModel } from '../../src/wire/generated/sqs.js';
import { startTestServer } from './helpers.js';
import { ROLE, zipOf } from '../lambda/helpers.js';
import { signedFetch } from '../support/signed-fetch.js';
import { snapshotOf } from '../support/ec2-instance.js';
import { generateKeyPairSync } from 'node:crypto';

/**
 * Account isolation, every operation of every service: account A owns one of each resource;
 * account B, with its own key in the credentials file, calls every operation naming A's resource
 * (or lists, which must show none of A's). The case tables are checked against the operations
 * the generated wire layer serves (models/operations.json `serves`, in each generated model), so
 * a new operation without a case fails this test.
 */
const A = '111111111111';
const B = '222222222222';
const dir = mkdtempSync(join(tmpdir(), 'amiwatch-xacct-'));
const credentialsFile = join(dir, 'credentials.json');
writeFileSync(
  credentialsFile,
  JSON.stringify({
    credentials: [
      { accessKeyId: 'AKIDAAAAAAAAAAAAAAAA', secretAccessKey: 'secret-a', accountId: A },
      { accessKeyId: 'AKIDBBBBBBBBBBBBBBBB', secretAccessKey: 'secret-b', accountId: B },
    ],
  }),
);

let app: App;
type Clients = {
  sqs: sqs.SQSClient;
  sns: sns.SNSClient;
  lambda: lambda.LambdaClient;
  eb: eb.EventBridgeClient;
  ec2: ec2.EC2Client;
  logs: logs.CloudWatchLogsClient;
};
let a: Clients;
let b: Clients;
const clients = (key: string, secret: string): Clients => {
  const credentials = { accessKeyId: key, secretAccessKey: secret };
  const o = { endpoint: app.url, region: 'us-east-1', credentials, maxAttempts: 1 };
  // Function ARNs in the path are signed as the SDK signs them (escaped twice), as AWS verifies.
  return {
    sqs: new sqs.SQSClient(o),
    sns: new sns.SNSClient(o),
    lambda: new lambda.LambdaClient(o),
    eb: new eb.EventBridgeClient(o),
    ec2: new ec2.EC2Client(o),
    logs: new logs.CloudWatchLogsClient(o),
  };
};

/** A's resources, named the way B would name them. */
const r = {
  queueUrl: '',
  dlqUrl: '',
  queueArn: `arn:aws:sqs:us-east-1:${A}:qa`,
  dlqArn: `arn:aws:sqs:us-east-1:${A}:qa-dlq`,
  receipt: '',
  topicArn: `arn:aws:sns:us-east-1:${A}:ta`,
  subscriptionArn: '',
  fn: `arn:aws:lambda:us-east-1:${A}:function:fa`,
  busArn: `arn:aws:events:us-east-1:${A}:event-bus/ba`,
  ruleArn: `arn:aws:events:us-east-1:${A}:rule/ba/ra`,
  archiveArn: `arn:aws:events:us-east-1:${A}:archive/aa`,
  connectionArn: '',
  imageId: '',
  logGroupArn: `arn:aws:logs:us-east-1:${A}:log-group:ga`,
  esmQueueArn: `arn:aws:sqs:us-east-1:${A}:qa-esm`,
  esmUuid: '',
  instanceId: '',
  snapshotId: '',
  volumeId: '',
  keyPairId: '',
  groupId: '',
  appArn: `arn:aws:sns:us-east-1:${A}:app/GCM/pa`,
  endpointArn: '',
};

/** An OpenSSH `ssh-ed25519` public key line (ImportKeyPair's input), from a fresh key. */
function sshEd25519PublicKey(): string {
  const raw = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const field = (b: Buffer): Buffer => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  return `ssh-ed25519 ${Buffer.concat([field(Buffer.from('ssh-ed25519')), field(raw)]).toString('base64')} b@example`;
}

before(async () => {
  app = await startTestServer({ credentialsFile, defaultAccount: A });
  a = clients('AKIDAAAAAAAAAAAAAAAA', 'secret-a');
  b = clients('AKIDBBBBBBBBBBBBBBBB', 'secret-b');
  r.dlqUrl = (await a.sqs.send(new sqs.CreateQueueCommand({ QueueName: 'qa-dlq' }))).QueueUrl!;
  r.queueUrl = (
    await a.sqs.send(
      new sqs.CreateQueueCommand({
        QueueName: 'qa',
        Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: r.dlqArn, maxReceiveCount: 5 }) },
      }),
    )
  ).QueueUrl!;
  await a.sqs.send(new sqs.SendMessageCommand({ QueueUrl: r.queueUrl, MessageBody: 'secret of A' }));
  r.receipt = (await a.sqs.send(new sqs.ReceiveMessageCommand({ QueueUrl: r.queueUrl, VisibilityTimeout: 0 }))).Messages![0]!
    .ReceiptHandle!;
  await a.sns.send(new sns.CreateTopicCommand({ Name: 'ta' }));
  // Issue 21: a platform application with one endpoint, and SMS settings of A's.
  await a.sns.send(
    new sns.CreatePlatformApplicationCommand({ Name: 'pa', Platform: 'GCM', Attributes: { PlatformCredential: 'key of A' } }),
  );
  r.endpointArn = (await a.sns.send(new sns.CreatePlatformEndpointCommand({ PlatformApplicationArn: r.appArn, Token: 'token of A' })))
    .EndpointArn!;
  await a.sns.send(new sns.SetSMSAttributesCommand({ attributes: { DefaultSenderID: 'SecretA' } }));
  r.subscriptionArn = (
    await a.sns.send(new sns.SubscribeCommand({ TopicArn: r.topicArn, Protocol: 'sqs', Endpoint: r.queueArn, ReturnSubscriptionArn: true }))
  ).SubscriptionArn!;
  await a.lambda.send(
    new lambda.CreateFunctionCommand({
      FunctionName: 'fa',
      Runtime: 'nodejs20.x',
      Role: ROLE,
      Handler: 'index.handler',
      Code: { ZipFile: zipOf({ 'index.js': 'exports.handler = async () => "A"' }) },
    }),
  );
  await a.lambda.send(
    new lambda.AddPermissionCommand({
      FunctionName: 'fa',
      StatementId: 'events',
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
    }),
  );
  // Issue 19: a version, an alias, an event invoke config, reserved concurrency and a (disabled) SQS mapping of A's.
  await a.lambda.send(new lambda.PublishVersionCommand({ FunctionName: 'fa' }));
  await a.lambda.send(new lambda.CreateAliasCommand({ FunctionName: 'fa', Name: 'live', FunctionVersion: '1' }));
  await a.lambda.send(new lambda.PutFunctionEventInvokeConfigCommand({ FunctionName: 'fa', MaximumRetryAttempts: 1 }));
  await a.lambda.send(new lambda.PutFunctionConcurrencyCommand({ FunctionName: 'fa', ReservedConcurrentExecutions: 5 }));
  await a.sqs.send(new sqs.CreateQueueCommand({ QueueName: 'qa-esm' }));
  r.esmUuid = (
    await a.lambda.send(new lambda.CreateEventSourceMappingCommand({ FunctionName: 'fa', EventSourceArn: r.esmQueueArn, Enabled: false }))
  ).UUID!;
  await a.eb.send(new eb.CreateEventBusCommand({ Name: 'ba' }));
  await a.eb.send(new eb.PutRuleCommand({ Name: 'ra', EventBusName: 'ba', EventPattern: '{"source":["x"]}' }));
  await a.eb.send(new eb.PutTargetsCommand({ Rule: 'ra', EventBusName: 'ba', Targets: [{ Id: 't', Arn: r.queueArn }] }));
  await a.eb.send(
    new eb.PutEventsCommand({ Entries: [{ Source: 'x', DetailType: 'd', Detail: '{"secret":"of A"}', EventBusName: 'ba' }] }),
  );
  await a.eb.send(new eb.CreateArchiveCommand({ ArchiveName: 'aa', EventSourceArn: r.busArn }));
  await a.eb.send(
    new eb.StartReplayCommand({
      ReplayName: 'pa',
      EventSourceArn: r.archiveArn,
      EventStartTime: new Date(Date.now() - 3_600_000),
      EventEndTime: new Date(Date.now() - 1000),
      Destination: { Arn: r.busArn },
    }),
  );
  const apiKey = {
    AuthorizationType: 'API_KEY' as const,
    AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-key', ApiKeyValue: 'secret of A' } },
  };
  r.connectionArn = (await a.eb.send(new eb.CreateConnectionCommand({ Name: 'ca', ...apiKey }))).ConnectionArn!;
  await a.eb.send(
    new eb.CreateApiDestinationCommand({
      Name: 'da',
      ConnectionArn: r.connectionArn,
      InvocationEndpoint: 'https://example.com/hook',
      HttpMethod: 'POST',
    }),
  );
  await a.logs.send(new logs.CreateLogGroupCommand({ logGroupName: 'ga', tags: { owner: 'A' } }));
  await a.logs.send(new logs.CreateLogStreamCommand({ logGroupName: 'ga', logStreamName: 'sa' }));
  await a.logs.send(
    new logs.PutLogEventsCommand({
      logGroupName: 'ga',
      logStreamName: 'sa',
      logEvents: [{ timestamp: Date.now(), message: 'secret of A' }],
    }),
  );
  ({ snapshotId: r.snapshotId, volumeId: r.volumeId, instanceId: r.instanceId } = await snapshotOf(a.ec2));
  r.imageId = (
    await a.ec2.send(
      new ec2.RegisterImageCommand({
        Name: 'img-a',
        RootDeviceName: '/dev/xvda',
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: r.snapshotId } }],
      }),
    )
  ).ImageId!;
  r.keyPairId = (await a.ec2.send(new ec2.CreateKeyPairCommand({ KeyName: 'ka' }))).KeyPairId!;
  r.groupId = (await a.ec2.send(new ec2.CreateSecurityGroupCommand({ GroupName: 'sga', Description: 'A' }))).GroupId!;
});
after(async () => {
  for (const c of [a, b]) for (const client of Object.values(c)) client.destroy();
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * What B's call must come to: an error with this name, or `list` (it succeeds and shows nothing
 * of A's), or `own` (it acts in B's own account only, which the result shows).
 */
type Expect = string | 'list' | 'own' | ((result: Record<string, unknown>) => void);
interface Case {
  readonly expect: Expect;
  readonly run: (c: Clients) => Promise<unknown>;
}

const sqsCases: Record<string, Case> = {
  CreateQueue: { expect: 'own', run: (c) => c.sqs.send(new sqs.CreateQueueCommand({ QueueName: 'qa' })) },
  GetQueueUrl: {
    expect: 'AccessDenied',
    run: (c) => c.sqs.send(new sqs.GetQueueUrlCommand({ QueueName: 'qa', QueueOwnerAWSAccountId: A })),
  },
  ListQueues: { expect: 'list', run: (c) => c.sqs.send(new sqs.ListQueuesCommand({})) },
  DeleteQueue: { expect: 'AccessDenied', run: (c) => c.sqs.send(new sqs.DeleteQueueCommand({ QueueUrl: r.queueUrl })) },
  PurgeQueue: { expect: 'AccessDenied', run: (c) => c.sqs.send(new sqs.PurgeQueueCommand({ QueueUrl: r.queueUrl })) },
  GetQueueAttributes: {
    expect: 'AccessDenied',
    run: (c) => c.sqs.send(new sqs.GetQueueAttributesCommand({ QueueUrl: r.queueUrl, AttributeNames: ['All'] })),
  },
  SetQueueAttributes: {
    expect: 'AccessDenied',
    run: (c) => c.sqs.send(new sqs.SetQueueAttributesCommand({ QueueUrl: r.queueUrl, Attributes: { DelaySeconds: '1' } })),
  },
  TagQueue: { expect: 'AccessDenied', run: (c) => c.sqs.send(new sqs.TagQueueCommand({ QueueUrl: r.queueUrl, Tags: { k: 'v' } })) },
  UntagQueue: { expect: 'AccessDenied', run: (c) => c.sqs.send(new sqs.UntagQueueCommand({ QueueUrl: r.queueUrl, TagKeys: ['k'] })) },
  ListQueueTags: { expect: 'AccessDenied', run: (c) => c.sqs.send(new sqs.ListQueueTagsCommand({ QueueUrl: r.queueUrl })) },
  ListDeadLetterSourceQueues: {
    expect: 'AccessDenied',
    run: (c) => c.sqs.send(new sqs.ListDeadLetterSourceQueuesCommand({ QueueUrl: r.dlqUrl })),
  },
  StartMessageMoveTask: { expect: 'AccessDenied', run: (c) => c.sqs.send(new sqs.StartMessageMoveTaskCommand({ SourceArn: r.dlqArn })) },
  ListMessageMoveTasks: { expect: 'AccessDenied', run: (c) => c.sqs.send(new sqs.ListMessageMoveTasksCommand({ SourceArn: r.dlqArn })) },
  CancelMessageMoveTask: {
    expect: 'AccessDenied',
    run: (c) =>
      c.sqs.send(
        new sqs.CancelMessageMoveTaskCommand({
          TaskHandle: Buffer.from(JSON.stringify({ taskId: 'x', sourceArn: r.dlqArn })).toString('base64'),
        }),
      ),
  },
  SendMessage: {
    expect: 'AccessDenied',
    run: (c) => c.sqs.send(new sqs.SendMessageCommand({ QueueUrl: r.queueUrl, MessageBody: 'from B' })),
  },
  SendMessageBatch: {
    expect: 'AccessDenied',
    run: (c) => c.sqs.send(new sqs.SendMessageBatchCommand({ QueueUrl: r.queueUrl, Entries: [{ Id: '1', MessageBody: 'from B' }] })),
  },
  ReceiveMessage: { expect: 'AccessDenied', run: (c) => c.sqs.send(new sqs.ReceiveMessageCommand({ QueueUrl: r.queueUrl })) },
  DeleteMessage: {
    expect: 'AccessDenied',
    run: (c) => c.sqs.send(new sqs.DeleteMessageCommand({ QueueUrl: r.queueUrl, ReceiptHandle: r.receipt })),
  },
  DeleteMessageBatch: {
    expect: 'AccessDenied',
    run: (c) => c.sqs.send(new sqs.DeleteMessageBatchCommand({ QueueUrl: r.queueUrl, Entries: [{ Id: '1', ReceiptHandle: r.receipt }] })),
  },
  ChangeMessageVisibility: {
    expect: 'AccessDenied',
    run: (c) =>
      c.sqs.send(new sqs.ChangeMessageVisibilityCommand({ QueueUrl: r.queueUrl, ReceiptHandle: r.receipt, VisibilityTimeout: 100 })),
  },
  AddPermission: {
    expect: 'AccessDenied',
    run: (c) =>
      c.sqs.send(new sqs.AddPermissionCommand({ QueueUrl: r.queueUrl, Label: 'b', AWSAccountIds: [B], Actions: ['SendMessage'] })),
  },
  RemovePermission: {
    expect: 'AccessDenied',
    run: (c) => c.sqs.send(new sqs.RemovePermissionCommand({ QueueUrl: r.queueUrl, Label: 'b' })),
  },
  ChangeMessageVisibilityBatch: {
    expect: 'AccessDenied',
    run: (c) =>
      c.sqs.send(
        new sqs.ChangeMessageVisibilityBatchCommand({
          QueueUrl: r.queueUrl,
          Entries: [{ Id: '1', ReceiptHandle: r.receipt, VisibilityTimeout: 100 }],
        }),
      ),
  },
};

const snsCases: Record<string, Case> = {
  CreateTopic: { expect: 'own', run: (c) => c.sns.send(new sns.CreateTopicCommand({ Name: 'ta' })) },
  DeleteTopic: { expect: 'AuthorizationErrorException', run: (c) => c.sns.send(new sns.DeleteTopicCommand({ TopicArn: r.topicArn })) },
  ListTopics: { expect: 'list', run: (c) => c.sns.send(new sns.ListTopicsCommand({})) },
  GetTopicAttributes: {
    expect: 'AuthorizationErrorException',
    run: (c) => c.sns.send(new sns.GetTopicAttributesCommand({ TopicArn: r.topicArn })),
  },
  SetTopicAttributes: {
    expect: 'AuthorizationErrorException',
    run: (c) => c.sns.send(new sns.SetTopicAttributesCommand({ TopicArn: r.topicArn, AttributeName: 'DisplayName', AttributeValue: 'B' })),
  },
  TagResource: {
    expect: 'AuthorizationErrorException',
    run: (c) => c.sns.send(new sns.TagResourceCommand({ ResourceArn: r.topicArn, Tags: [{ Key: 'k', Value: 'v' }] })),
  },
  UntagResource: {
    expect: 'AuthorizationErrorException',
    run: (c) => c.sns.send(new sns.UntagResourceCommand({ ResourceArn: r.topicArn, TagKeys: ['k'] })),
  },
  ListTagsForResource: {
    expect: 'AuthorizationErrorException',
    run: (c) => c.sns.send(new sns.ListTagsForResourceCommand({ ResourceArn: r.topicArn })),
  },
  Subscribe: {
    expect: 'AuthorizationErrorException',
    run: (c) => c.sns.send(new sns.SubscribeCommand({ TopicArn: r.topicArn, Protocol: 'sqs', Endpoint: `arn:aws:sqs:us-east-1:${B}:qb` })),
  },
  // The token is the credential (AWS lets anyone holding it confirm): without it, nothing.
  ConfirmSubscription: {
    expect: 'InvalidParameterException',
    run: (c) => c.sns.send(new sns.ConfirmSubscriptionCommand({ TopicArn: r.topicArn, Token: 'f'.repeat(128) })),
  },
  Unsubscribe: {
    expect: 'AuthorizationErrorException',
    run: (c) => c.sns.send(new sns.UnsubscribeCommand({ SubscriptionArn: r.subscriptionArn })),
  },
  ListSubscriptions: { expect: 'list', run: (c) => c.sns.send(new sns.ListSubscriptionsCommand({})) },
  ListSubscriptionsByTopic: {
    expect: 'AuthorizationErrorException',
    run: (c) => c.sns.send(new sns.ListSubscriptionsByTopicCommand({ TopicArn: r.topicArn })),
  },
  GetSubscriptionAttributes: {
    expect: 'AuthorizationErrorException',
    run: (c) => c.sns.send(new sns.GetSubscriptionAttributesCommand({ SubscriptionArn: r.subscriptionArn })),
  },
  SetSubscriptionAttributes: {
    expect: 'AuthorizationErrorException',
    run: (c) =>
      c.sns.send(
        new sns.SetSubscriptionAttributesCommand({
          SubscriptionArn: r.subscriptionArn,
          AttributeName: 'RawMessageDelivery',
          AttributeValue: 'true',
        }),
      ),
  },
  Publish: {
    expect: 'AuthorizationErrorException',
    run: (c) => c.sns.send(new sns.PublishCommand({ TopicArn: r.topicArn, Message: 'from B' })),
  },
  AddPermission: {
    expect: 'AuthorizationErrorException',
    run: (c) => c.sns.send(new sns.AddPermissionCommand({ TopicArn: r.topicArn, Label: 'b', AWSAccountId: [B], ActionName: ['Publish'] })),
  },
  RemovePermission: {
    expect: 'AuthorizationErrorException',
    run: (c) => c.sns.send(new sns.RemovePermissionCommand({ TopicArn: r.topicArn, Label: 'b' })),
  },
  PublishBatch: {
    expect: 'AuthorizationErrorException',
    run: (c) =>
      c.sns.send(new sns.PublishBatchCommand({ TopicArn: r.topicArn, PublishBatchRequestEntries: [{ Id: '1', Message: 'from B' }] })),
  },
  // Platform applications and endpoints have no resource policy: only their account may use them.
  CreatePlatformApplication: {
    expect: 'own',
    run: (c) =>
      c.sns.send(new sns.CreatePlatformApplicationCommand({ Name: 'pa', Platform: 'GCM', Attributes: { PlatformCredential: 'k' } })),
  },
  GetPlatformApplicationAttributes: {
    expect: 'AuthorizationErrorException',
    run: (c) => c.sns.send(new sns.GetPlatformApplicationAttributesCommand({ PlatformApplicationArn: r.appArn })),
  },
  SetPlatformApplicationAttributes: {
    expect: 'AuthorizationErrorException',
    run: (c) =>
      c.sns.send(new sns.SetPlatformApplicationAttributesCommand({ PlatformApplicationArn: r.appArn, Attributes: { Enabled: 'false' } })),
  },
  DeletePlatformApplication: {
    expect: 'AuthorizationErrorException',
    run: (c) => c.sns.send(new sns.DeletePlatformApplicationCommand({ PlatformApplicationArn: r.appArn })),
  },
  ListPlatformApplications: { expect: 'list', run: (c) => c.sns.send(new sns.ListPlatformApplicationsCommand({})) },
  CreatePlatformEndpoint: {
    expect: 'AuthorizationErrorException',
    run: (c) => c.sns.send(new sns.CreatePlatformEndpointCommand({ PlatformApplicationArn: r.appArn, Token: 'from B' })),
  },
  GetEndpointAttributes: {
    expect: 'AuthorizationErrorException',
    run: (c) => c.sns.send(new sns.GetEndpointAttributesCommand({ EndpointArn: r.endpointArn })),
  },
  SetEndpointAttributes: {
    expect: 'AuthorizationErrorException',
    run: (c) => c.sns.send(new sns.SetEndpointAttributesCommand({ EndpointArn: r.endpointArn, Attributes: { Enabled: 'false' } })),
  },
  DeleteEndpoint: {
    expect: 'AuthorizationErrorException',
    run: (c) => c.sns.send(new sns.DeleteEndpointCommand({ EndpointArn: r.endpointArn })),
  },
  ListEndpointsByPlatformApplication: {
    expect: 'AuthorizationErrorException',
    run: (c) => c.sns.send(new sns.ListEndpointsByPlatformApplicationCommand({ PlatformApplicationArn: r.appArn })),
  },
  // SMS settings and opt-outs are per account: B reads and writes its own.
  SetSMSAttributes: {
    expect: 'own',
    run: (c) => c.sns.send(new sns.SetSMSAttributesCommand({ attributes: { DefaultSMSType: 'Promotional' } })),
  },
  GetSMSAttributes: {
    expect: (res) => assert.equal((res.attributes as Record<string, string>).DefaultSenderID, undefined, "B sees A's SMS settings"),
    run: (c) => c.sns.send(new sns.GetSMSAttributesCommand({})),
  },
  CheckIfPhoneNumberIsOptedOut: {
    expect: 'own',
    run: (c) => c.sns.send(new sns.CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: '+15555550100' })),
  },
  ListPhoneNumbersOptedOut: { expect: 'list', run: (c) => c.sns.send(new sns.ListPhoneNumbersOptedOutCommand({})) },
  OptInPhoneNumber: { expect: 'own', run: (c) => c.sns.send(new sns.OptInPhoneNumberCommand({ phoneNumber: '+15555550100' })) },
};

const zip = zipOf({ 'index.js': 'exports.handler = async () => "B"' });
const lambdaCases: Record<string, Case> = {
  CreateFunction: {
    expect: 'AccessDeniedException',
    run: (c) =>
      c.lambda.send(
        new lambda.CreateFunctionCommand({
          FunctionName: r.fn,
          Runtime: 'nodejs20.x',
          Role: ROLE,
          Handler: 'index.handler',
          Code: { ZipFile: zip },
        }),
      ),
  },
  ListFunctions: { expect: 'list', run: (c) => c.lambda.send(new lambda.ListFunctionsCommand({})) },
  GetFunction: { expect: 'AccessDeniedException', run: (c) => c.lambda.send(new lambda.GetFunctionCommand({ FunctionName: r.fn })) },
  DeleteFunction: { expect: 'AccessDeniedException', run: (c) => c.lambda.send(new lambda.DeleteFunctionCommand({ FunctionName: r.fn })) },
  GetFunctionConfiguration: {
    expect: 'AccessDeniedException',
    run: (c) => c.lambda.send(new lambda.GetFunctionConfigurationCommand({ FunctionName: r.fn })),
  },
  UpdateFunctionConfiguration: {
    expect: 'AccessDeniedException',
    run: (c) => c.lambda.send(new lambda.UpdateFunctionConfigurationCommand({ FunctionName: r.fn, Timeout: 9 })),
  },
  UpdateFunctionCode: {
    expect: 'AccessDeniedException',
    run: (c) => c.lambda.send(new lambda.UpdateFunctionCodeCommand({ FunctionName: r.fn, ZipFile: zip })),
  },
  Invoke: { expect: 'AccessDeniedException', run: (c) => c.lambda.send(new lambda.InvokeCommand({ FunctionName: r.fn })) },
  GetPolicy: { expect: 'AccessDeniedException', run: (c) => c.lambda.send(new lambda.GetPolicyCommand({ FunctionName: r.fn })) },
  AddPermission: {
    expect: 'AccessDeniedException',
    run: (c) => c.lambda.send(new lambda.AddPermissionCommand({ FunctionName: r.fn, StatementId: 'b', Action: 'lambda:*', Principal: B })),
  },
  RemovePermission: {
    expect: 'AccessDeniedException',
    run: (c) => c.lambda.send(new lambda.RemovePermissionCommand({ FunctionName: r.fn, StatementId: 'events' })),
  },
  PutFunctionEventInvokeConfig: {
    expect: 'AccessDeniedException',
    run: (c) => c.lambda.send(new lambda.PutFunctionEventInvokeConfigCommand({ FunctionName: r.fn, MaximumRetryAttempts: 0 })),
  },
  GetFunctionEventInvokeConfig: {
    expect: 'AccessDeniedException',
    run: (c) => c.lambda.send(new lambda.GetFunctionEventInvokeConfigCommand({ FunctionName: r.fn })),
  },
  UpdateFunctionEventInvokeConfig: {
    expect: 'AccessDeniedException',
    run: (c) => c.lambda.send(new lambda.UpdateFunctionEventInvokeConfigCommand({ FunctionName: r.fn, MaximumRetryAttempts: 0 })),
  },
  DeleteFunctionEventInvokeConfig: {
    expect: 'AccessDeniedException',
    run: (c) => c.lambda.send(new lambda.DeleteFunctionEventInvokeConfigCommand({ FunctionName: r.fn })),
  },
  ListFunctionEventInvokeConfigs: {
    expect: 'AccessDeniedException',
    run: (c) => c.lambda.send(new lambda.ListFunctionEventInvokeConfigsCommand({ FunctionName: r.fn })),
  },
  PutFunctionConcurrency: {
    expect: 'AccessDeniedException',
    run: (c) => c.lambda.send(new lambda.PutFunctionConcurrencyCommand({ FunctionName: r.fn, ReservedConcurrentExecutions: 0 })),
  },
  GetFunctionConcurrency: {
    expect: 'AccessDeniedException',
    run: (c) => c.lambda.send(new lambda.GetFunctionConcurrencyCommand({ FunctionName: r.fn })),
  },
  DeleteFunctionConcurrency: {
    expect: 'AccessDeniedException',
    run: (c) => c.lambda.send(new lambda.DeleteFunctionConcurrencyCommand({ FunctionName: r.fn })),
  },
  PublishVersion: { expect: 'AccessDeniedException', run: (c) => c.lambda.send(new lambda.PublishVersionCommand({ FunctionName: r.fn })) },
  ListVersionsByFunction: {
    expect: 'AccessDeniedException',
    run: (c) => c.lambda.send(new lambda.ListVersionsByFunctionCommand({ FunctionName: r.fn })),
  },
  CreateAlias: {
    expect: 'AccessDeniedException',
    run: (c) => c.lambda.send(new lambda.CreateAliasCommand({ FunctionName: r.fn, Name: 'b', FunctionVersion: '1' })),
  },
  GetAlias: {
    expect: 'AccessDeniedException',
    run: (c) => c.lambda.send(new lambda.GetAliasCommand({ FunctionName: r.fn, Name: 'live' })),
  },
  UpdateAlias: {
    expect: 'AccessDeniedException',
    run: (c) => c.lambda.send(new lambda.UpdateAliasCommand({ FunctionName: r.fn, Name: 'live', FunctionVersion: '$LATEST' })),
  },
  DeleteAlias: {
    expect: 'AccessDeniedException',
    run: (c) => c.lambda.send(new lambda.DeleteAliasCommand({ FunctionName: r.fn, Name: 'live' })),
  },
  ListAliases: { expect: 'AccessDeniedException', run: (c) => c.lambda.send(new lambda.ListAliasesCommand({ FunctionName: r.fn })) },
  CreateEventSourceMapping: {
    expect: 'AccessDeniedException',
    run: (c) =>
      c.lambda.send(new lambda.CreateEventSourceMappingCommand({ FunctionName: r.fn, EventSourceArn: `arn:aws:sqs:us-east-1:${B}:qb` })),
  },
  // A mapping is found by its UUID in the caller's own account only (as on AWS: not found).
  GetEventSourceMapping: {
    expect: 'ResourceNotFoundException',
    run: (c) => c.lambda.send(new lambda.GetEventSourceMappingCommand({ UUID: r.esmUuid })),
  },
  UpdateEventSourceMapping: {
    expect: 'ResourceNotFoundException',
    run: (c) => c.lambda.send(new lambda.UpdateEventSourceMappingCommand({ UUID: r.esmUuid, Enabled: true })),
  },
  DeleteEventSourceMapping: {
    expect: 'ResourceNotFoundException',
    run: (c) => c.lambda.send(new lambda.DeleteEventSourceMappingCommand({ UUID: r.esmUuid })),
  },
  ListEventSourceMappings: { expect: 'list', run: (c) => c.lambda.send(new lambda.ListEventSourceMappingsCommand({})) },
};

const ebCases: Record<string, Case> = {
  CreateEventBus: { expect: 'own', run: (c) => c.eb.send(new eb.CreateEventBusCommand({ Name: 'ba' })) },
  DeleteEventBus: { expect: 'own', run: (c) => c.eb.send(new eb.DeleteEventBusCommand({ Name: 'ba' })) },
  DescribeEventBus: { expect: 'ResourceNotFoundException', run: (c) => c.eb.send(new eb.DescribeEventBusCommand({ Name: r.busArn })) },
  ListEventBuses: { expect: 'list', run: (c) => c.eb.send(new eb.ListEventBusesCommand({})) },
  UpdateEventBus: {
    expect: 'ResourceNotFoundException',
    run: (c) => c.eb.send(new eb.UpdateEventBusCommand({ Name: 'ba', Description: 'B was here' })),
  },
  PutRule: {
    expect: 'ResourceNotFoundException',
    run: (c) => c.eb.send(new eb.PutRuleCommand({ Name: 'rb', EventBusName: r.busArn, EventPattern: '{"source":["y"]}' })),
  },
  DescribeRule: {
    expect: 'ResourceNotFoundException',
    run: (c) => c.eb.send(new eb.DescribeRuleCommand({ Name: 'ra', EventBusName: r.busArn })),
  },
  ListRules: { expect: 'ResourceNotFoundException', run: (c) => c.eb.send(new eb.ListRulesCommand({ EventBusName: r.busArn })) },
  DeleteRule: {
    expect: 'ResourceNotFoundException',
    run: (c) => c.eb.send(new eb.DeleteRuleCommand({ Name: 'ra', EventBusName: r.busArn })),
  },
  EnableRule: {
    expect: 'ResourceNotFoundException',
    run: (c) => c.eb.send(new eb.EnableRuleCommand({ Name: 'ra', EventBusName: r.busArn })),
  },
  DisableRule: {
    expect: 'ResourceNotFoundException',
    run: (c) => c.eb.send(new eb.DisableRuleCommand({ Name: 'ra', EventBusName: r.busArn })),
  },
  PutTargets: {
    expect: 'ResourceNotFoundException',
    run: (c) => c.eb.send(new eb.PutTargetsCommand({ Rule: 'ra', EventBusName: r.busArn, Targets: [{ Id: 'b', Arn: r.queueArn }] })),
  },
  RemoveTargets: {
    expect: 'ResourceNotFoundException',
    run: (c) => c.eb.send(new eb.RemoveTargetsCommand({ Rule: 'ra', EventBusName: r.busArn, Ids: ['t'] })),
  },
  ListTargetsByRule: {
    expect: 'ResourceNotFoundException',
    run: (c) => c.eb.send(new eb.ListTargetsByRuleCommand({ Rule: 'ra', EventBusName: r.busArn })),
  },
  ListRuleNamesByTarget: {
    expect: 'ResourceNotFoundException',
    run: (c) => c.eb.send(new eb.ListRuleNamesByTargetCommand({ TargetArn: r.queueArn, EventBusName: r.busArn })),
  },
  PutEvents: {
    expect: (out) => assert.equal((out.Entries as { ErrorCode?: string }[])[0]!.ErrorCode, 'AccessDeniedException'),
    run: (c) => c.eb.send(new eb.PutEventsCommand({ Entries: [{ Source: 'x', DetailType: 'd', Detail: '{}', EventBusName: r.busArn }] })),
  },
  TestEventPattern: {
    expect: 'own',
    run: (c) =>
      c.eb.send(
        new eb.TestEventPatternCommand({
          EventPattern: '{"source":["x"]}',
          Event: JSON.stringify({
            id: '1',
            account: B,
            source: 'x',
            time: '2026-01-01T00:00:00Z',
            region: 'us-east-1',
            'detail-type': 'd',
            detail: {},
          }),
        }),
      ),
  },
  TagResource: {
    expect: 'ResourceNotFoundException',
    run: (c) => c.eb.send(new eb.TagResourceCommand({ ResourceARN: r.ruleArn, Tags: [{ Key: 'k', Value: 'v' }] })),
  },
  UntagResource: {
    expect: 'ResourceNotFoundException',
    run: (c) => c.eb.send(new eb.UntagResourceCommand({ ResourceARN: r.ruleArn, TagKeys: ['k'] })),
  },
  ListTagsForResource: {
    expect: 'ResourceNotFoundException',
    run: (c) => c.eb.send(new eb.ListTagsForResourceCommand({ ResourceARN: r.ruleArn })),
  },
  // EventBusName is a name here (no ARN accepted): B can only name its own buses (its `ba` was deleted above).
  PutPermission: {
    expect: 'ResourceNotFoundException',
    run: (c) => c.eb.send(new eb.PutPermissionCommand({ EventBusName: 'ba', StatementId: 'b', Action: 'events:PutEvents', Principal: B })),
  },
  RemovePermission: {
    expect: 'ResourceNotFoundException',
    run: (c) => c.eb.send(new eb.RemovePermissionCommand({ EventBusName: 'ba', RemoveAllPermissions: true })),
  },
  // Archives, replays, connections and API destinations are named within the caller's account;
  // the members that take an ARN (EventSourceArn, ConnectionArn) refuse another account's.
  CreateArchive: {
    expect: 'ResourceNotFoundException',
    run: (c) => c.eb.send(new eb.CreateArchiveCommand({ ArchiveName: 'ab', EventSourceArn: r.busArn })),
  },
  DeleteArchive: { expect: 'ResourceNotFoundException', run: (c) => c.eb.send(new eb.DeleteArchiveCommand({ ArchiveName: 'aa' })) },
  DescribeArchive: { expect: 'ResourceNotFoundException', run: (c) => c.eb.send(new eb.DescribeArchiveCommand({ ArchiveName: 'aa' })) },
  ListArchives: { expect: 'list', run: (c) => c.eb.send(new eb.ListArchivesCommand({})) },
  UpdateArchive: {
    expect: 'ResourceNotFoundException',
    run: (c) => c.eb.send(new eb.UpdateArchiveCommand({ ArchiveName: 'aa', Description: 'B was here' })),
  },
  StartReplay: {
    expect: 'ValidationException',
    run: (c) =>
      c.eb.send(
        new eb.StartReplayCommand({
          ReplayName: 'pb',
          EventSourceArn: r.archiveArn,
          EventStartTime: new Date(0),
          EventEndTime: new Date(),
          Destination: { Arn: r.busArn },
        }),
      ),
  },
  CancelReplay: { expect: 'ResourceNotFoundException', run: (c) => c.eb.send(new eb.CancelReplayCommand({ ReplayName: 'pa' })) },
  DescribeReplay: { expect: 'ResourceNotFoundException', run: (c) => c.eb.send(new eb.DescribeReplayCommand({ ReplayName: 'pa' })) },
  ListReplays: { expect: 'list', run: (c) => c.eb.send(new eb.ListReplaysCommand({ EventSourceArn: r.archiveArn })) },
  CreateConnection: {
    expect: 'own',
    run: (c) =>
      c.eb.send(
        new eb.CreateConnectionCommand({
          Name: 'cb',
          AuthorizationType: 'API_KEY',
          AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'k', ApiKeyValue: 'v' } },
        }),
      ),
  },
  DeleteConnection: { expect: 'ResourceNotFoundException', run: (c) => c.eb.send(new eb.DeleteConnectionCommand({ Name: 'ca' })) },
  DescribeConnection: { expect: 'ResourceNotFoundException', run: (c) => c.eb.send(new eb.DescribeConnectionCommand({ Name: 'ca' })) },
  ListConnections: { expect: 'list', run: (c) => c.eb.send(new eb.ListConnectionsCommand({})) },
  UpdateConnection: {
    expect: 'ResourceNotFoundException',
    run: (c) => c.eb.send(new eb.UpdateConnectionCommand({ Name: 'ca', Description: 'B was here' })),
  },
  DeauthorizeConnection: {
    expect: 'ResourceNotFoundException',
    run: (c) => c.eb.send(new eb.DeauthorizeConnectionCommand({ Name: 'ca' })),
  },
  CreateApiDestination: {
    expect: 'ResourceNotFoundException',
    run: (c) =>
      c.eb.send(
        new eb.CreateApiDestinationCommand({
          Name: 'db',
          ConnectionArn: r.connectionArn,
          InvocationEndpoint: 'https://example.com/b',
          HttpMethod: 'POST',
        }),
      ),
  },
  DeleteApiDestination: { expect: 'ResourceNotFoundException', run: (c) => c.eb.send(new eb.DeleteApiDestinationCommand({ Name: 'da' })) },
  DescribeApiDestination: {
    expect: 'ResourceNotFoundException',
    run: (c) => c.eb.send(new eb.DescribeApiDestinationCommand({ Name: 'da' })),
  },
  ListApiDestinations: { expect: 'list', run: (c) => c.eb.send(new eb.ListApiDestinationsCommand({ ConnectionArn: r.connectionArn })) },
  UpdateApiDestination: {
    expect: 'ResourceNotFoundException',
    run: (c) => c.eb.send(new eb.UpdateApiDestinationCommand({ Name: 'da', InvocationEndpoint: 'https://example.com/b' })),
  },
};

const sshFromAnywhere = { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] };

const ec2Cases: Record<string, Case> = {
  CreateImage: {
    expect: 'InvalidInstanceID.NotFound',
    run: (c) => c.ec2.send(new ec2.CreateImageCommand({ InstanceId: r.instanceId, Name: 'image-of-b' })),
  },
  CopyImage: {
    expect: 'InvalidAMIID.NotFound',
    run: (c) => c.ec2.send(new ec2.CopyImageCommand({ SourceImageId: r.imageId, SourceRegion: 'us-east-1', Name: 'copy' })),
  },
  // B cannot register an image from A's snapshot: it does not exist for B.
  RegisterImage: {
    expect: 'InvalidSnapshot.NotFound',
    run: (c) =>
      c.ec2.send(
        new ec2.RegisterImageCommand({
          Name: 'img-b',
          RootDeviceName: '/dev/xvda',
          BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: r.snapshotId } }],
        }),
      ),
  },
  CreateRestoreImageTask: {
    expect: 'own',
    run: (c) =>
      c.ec2.send(new ec2.CreateRestoreImageTaskCommand({ Bucket: 'bucket-of-b', ObjectKey: `${r.imageId}.bin`, Name: 'restored' })),
  },
  CreateStoreImageTask: {
    expect: 'InvalidAMIID.NotFound',
    run: (c) => c.ec2.send(new ec2.CreateStoreImageTaskCommand({ ImageId: r.imageId, Bucket: 'bucket-of-b' })),
  },
  DescribeStoreImageTasks: { expect: 'list', run: (c) => c.ec2.send(new ec2.DescribeStoreImageTasksCommand({})) },
  DeregisterImage: {
    expect: 'InvalidAMIID.Unavailable|InvalidAMIID.NotFound',
    run: (c) => c.ec2.send(new ec2.DeregisterImageCommand({ ImageId: r.imageId })),
  },
  EnableImage: { expect: 'InvalidAMIID.NotFound|AuthFailure', run: (c) => c.ec2.send(new ec2.EnableImageCommand({ ImageId: r.imageId })) },
  DisableImage: {
    expect: 'InvalidAMIID.NotFound|AuthFailure',
    run: (c) => c.ec2.send(new ec2.DisableImageCommand({ ImageId: r.imageId })),
  },
  DescribeImages: { expect: 'list', run: (c) => c.ec2.send(new ec2.DescribeImagesCommand({ Owners: ['self'] })) },
  DescribeImageAttribute: {
    expect: 'InvalidAMIID.NotFound|AuthFailure',
    run: (c) => c.ec2.send(new ec2.DescribeImageAttributeCommand({ ImageId: r.imageId, Attribute: 'description' })),
  },
  ModifyImageAttribute: {
    expect: 'InvalidAMIID.NotFound|AuthFailure',
    run: (c) => c.ec2.send(new ec2.ModifyImageAttributeCommand({ ImageId: r.imageId, Description: { Value: 'B' } })),
  },
  CreateTags: {
    expect: 'InvalidAMIID.NotFound|AuthFailure|InvalidID',
    run: (c) => c.ec2.send(new ec2.CreateTagsCommand({ Resources: [r.imageId], Tags: [{ Key: 'k', Value: 'v' }] })),
  },
  DeleteTags: {
    expect: 'InvalidAMIID.NotFound|AuthFailure|InvalidID',
    run: (c) => c.ec2.send(new ec2.DeleteTagsCommand({ Resources: [r.imageId], Tags: [{ Key: 'Name' }] })),
  },
  DescribeTags: { expect: 'list', run: (c) => c.ec2.send(new ec2.DescribeTagsCommand({})) },
  // Instances: A's (running) is found by no call of B's; B may not launch from A's private image.
  RunInstances: {
    expect: 'InvalidAMIID.NotFound',
    run: (c) => c.ec2.send(new ec2.RunInstancesCommand({ ImageId: r.imageId, MinCount: 1, MaxCount: 1 })),
  },
  DescribeInstances: { expect: 'list', run: (c) => c.ec2.send(new ec2.DescribeInstancesCommand({})) },
  DescribeInstanceStatus: {
    expect: 'InvalidInstanceID.NotFound',
    run: (c) => c.ec2.send(new ec2.DescribeInstanceStatusCommand({ InstanceIds: [r.instanceId] })),
  },
  StartInstances: {
    expect: 'InvalidInstanceID.NotFound',
    run: (c) => c.ec2.send(new ec2.StartInstancesCommand({ InstanceIds: [r.instanceId] })),
  },
  StopInstances: {
    expect: 'InvalidInstanceID.NotFound',
    run: (c) => c.ec2.send(new ec2.StopInstancesCommand({ InstanceIds: [r.instanceId], Force: true })),
  },
  RebootInstances: {
    expect: 'InvalidInstanceID.NotFound',
    run: (c) => c.ec2.send(new ec2.RebootInstancesCommand({ InstanceIds: [r.instanceId] })),
  },
  TerminateInstances: {
    expect: 'InvalidInstanceID.NotFound',
    run: (c) => c.ec2.send(new ec2.TerminateInstancesCommand({ InstanceIds: [r.instanceId] })),
  },
  DescribeInstanceAttribute: {
    expect: 'InvalidInstanceID.NotFound',
    run: (c) => c.ec2.send(new ec2.DescribeInstanceAttributeCommand({ InstanceId: r.instanceId, Attribute: 'instanceType' })),
  },
  ModifyInstanceAttribute: {
    expect: 'InvalidInstanceID.NotFound',
    run: (c) => c.ec2.send(new ec2.ModifyInstanceAttributeCommand({ InstanceId: r.instanceId, DisableApiTermination: { Value: true } })),
  },
  DescribeVolumes: {
    expect: (out) => assert.deepEqual(out.Volumes ?? [], [], "A's instance volumes are not B's"),
    run: (c) => c.ec2.send(new ec2.DescribeVolumesCommand({})),
  },
  // Snapshots: A's volume and snapshot are unknown to B (snapshots are not shared here).
  CreateSnapshot: { expect: 'InvalidVolume.NotFound', run: (c) => c.ec2.send(new ec2.CreateSnapshotCommand({ VolumeId: r.volumeId })) },
  CopySnapshot: {
    expect: 'InvalidSnapshot.NotFound',
    run: (c) => c.ec2.send(new ec2.CopySnapshotCommand({ SourceRegion: 'us-east-1', SourceSnapshotId: r.snapshotId })),
  },
  DeleteSnapshot: {
    expect: 'InvalidSnapshot.NotFound',
    run: (c) => c.ec2.send(new ec2.DeleteSnapshotCommand({ SnapshotId: r.snapshotId })),
  },
  DescribeSnapshots: {
    expect: 'InvalidSnapshot.NotFound',
    run: (c) => c.ec2.send(new ec2.DescribeSnapshotsCommand({ SnapshotIds: [r.snapshotId] })),
  },
  // The default network is each account's own (ids derived from the account, OwnerId B's).
  DescribeVpcs: { expect: 'list', run: (c) => c.ec2.send(new ec2.DescribeVpcsCommand({})) },
  DescribeSubnets: { expect: 'list', run: (c) => c.ec2.send(new ec2.DescribeSubnetsCommand({})) },
  DescribeAvailabilityZones: { expect: 'list', run: (c) => c.ec2.send(new ec2.DescribeAvailabilityZonesCommand({})) },
  DescribeRegions: { expect: 'list', run: (c) => c.ec2.send(new ec2.DescribeRegionsCommand({})) },
  // Key pairs: names are per account (B's own `ka` is a new key), A's is found by no id.
  CreateKeyPair: { expect: 'own', run: (c) => c.ec2.send(new ec2.CreateKeyPairCommand({ KeyName: 'ka' })) },
  ImportKeyPair: {
    expect: 'own',
    run: (c) => c.ec2.send(new ec2.ImportKeyPairCommand({ KeyName: 'kb-imported', PublicKeyMaterial: Buffer.from(sshEd25519PublicKey()) })),
  },
  DeleteKeyPair: {
    expect: (out) => assert.equal(out.KeyPairId, undefined, "B deleted A's key pair"),
    run: (c) => c.ec2.send(new ec2.DeleteKeyPairCommand({ KeyPairId: r.keyPairId })),
  },
  DescribeKeyPairs: {
    expect: 'InvalidKeyPair.NotFound',
    run: (c) => c.ec2.send(new ec2.DescribeKeyPairsCommand({ KeyPairIds: [r.keyPairId] })),
  },
  // Security groups: A's group id is unknown to B.
  CreateSecurityGroup: {
    expect: 'own',
    run: (c) => c.ec2.send(new ec2.CreateSecurityGroupCommand({ GroupName: 'sga', Description: 'B' })),
  },
  DeleteSecurityGroup: {
    expect: 'InvalidGroup.NotFound',
    run: (c) => c.ec2.send(new ec2.DeleteSecurityGroupCommand({ GroupId: r.groupId })),
  },
  DescribeSecurityGroups: {
    expect: 'InvalidGroup.NotFound',
    run: (c) => c.ec2.send(new ec2.DescribeSecurityGroupsCommand({ GroupIds: [r.groupId] })),
  },
  AuthorizeSecurityGroupIngress: {
    expect: 'InvalidGroup.NotFound',
    run: (c) => c.ec2.send(new ec2.AuthorizeSecurityGroupIngressCommand({ GroupId: r.groupId, IpPermissions: [sshFromAnywhere] })),
  },
  RevokeSecurityGroupIngress: {
    expect: 'InvalidGroup.NotFound',
    run: (c) => c.ec2.send(new ec2.RevokeSecurityGroupIngressCommand({ GroupId: r.groupId, IpPermissions: [sshFromAnywhere] })),
  },
  AuthorizeSecurityGroupEgress: {
    expect: 'InvalidGroup.NotFound',
    run: (c) => c.ec2.send(new ec2.AuthorizeSecurityGroupEgressCommand({ GroupId: r.groupId, IpPermissions: [sshFromAnywhere] })),
  },
  RevokeSecurityGroupEgress: {
    expect: 'InvalidGroup.NotFound',
    run: (c) => c.ec2.send(new ec2.RevokeSecurityGroupEgressCommand({ GroupId: r.groupId, IpPermissions: [sshFromAnywhere] })),
  },
};

// Log groups are named in the caller's account: B naming `ga` finds none of its own; by ARN, A's is not B's.
const notFound = 'ResourceNotFoundException';
const logsCases: Record<string, Case> = {
  // B's own `ga` (made and removed again), beside A's, which the last test finds intact.
  CreateLogGroup: {
    expect: 'own',
    run: async (c) => {
      const out = await c.logs.send(new logs.CreateLogGroupCommand({ logGroupName: 'ga' }));
      await c.logs.send(new logs.DeleteLogGroupCommand({ logGroupName: 'ga' }));
      return out;
    },
  },
  DeleteLogGroup: { expect: notFound, run: (c) => c.logs.send(new logs.DeleteLogGroupCommand({ logGroupName: 'ga' })) },
  DescribeLogGroups: { expect: 'list', run: (c) => c.logs.send(new logs.DescribeLogGroupsCommand({})) },
  CreateLogStream: {
    expect: notFound,
    run: (c) => c.logs.send(new logs.CreateLogStreamCommand({ logGroupName: 'ga', logStreamName: 'sb' })),
  },
  DeleteLogStream: {
    expect: notFound,
    run: (c) => c.logs.send(new logs.DeleteLogStreamCommand({ logGroupName: 'ga', logStreamName: 'sa' })),
  },
  DescribeLogStreams: { expect: notFound, run: (c) => c.logs.send(new logs.DescribeLogStreamsCommand({ logGroupName: 'ga' })) },
  PutLogEvents: {
    expect: notFound,
    run: (c) =>
      c.logs.send(
        new logs.PutLogEventsCommand({
          logGroupName: 'ga',
          logStreamName: 'sa',
          logEvents: [{ timestamp: Date.now(), message: 'from B' }],
        }),
      ),
  },
  GetLogEvents: { expect: notFound, run: (c) => c.logs.send(new logs.GetLogEventsCommand({ logGroupName: 'ga', logStreamName: 'sa' })) },
  FilterLogEvents: { expect: notFound, run: (c) => c.logs.send(new logs.FilterLogEventsCommand({ logGroupName: 'ga' })) },
  PutRetentionPolicy: {
    expect: notFound,
    run: (c) => c.logs.send(new logs.PutRetentionPolicyCommand({ logGroupName: 'ga', retentionInDays: 1 })),
  },
  DeleteRetentionPolicy: { expect: notFound, run: (c) => c.logs.send(new logs.DeleteRetentionPolicyCommand({ logGroupName: 'ga' })) },
  TagResource: { expect: notFound, run: (c) => c.logs.send(new logs.TagResourceCommand({ resourceArn: r.logGroupArn, tags: { k: 'v' } })) },
  UntagResource: {
    expect: notFound,
    run: (c) => c.logs.send(new logs.UntagResourceCommand({ resourceArn: r.logGroupArn, tagKeys: ['owner'] })),
  },
  ListTagsForResource: { expect: notFound, run: (c) => c.logs.send(new logs.ListTagsForResourceCommand({ resourceArn: r.logGroupArn })) },
  TagLogGroup: { expect: notFound, run: (c) => c.logs.send(new logs.TagLogGroupCommand({ logGroupName: 'ga', tags: { k: 'v' } })) },
  UntagLogGroup: { expect: notFound, run: (c) => c.logs.send(new logs.UntagLogGroupCommand({ logGroupName: 'ga', tags: ['owner'] })) },
  ListTagsLogGroup: { expect: notFound, run: (c) => c.logs.send(new logs.ListTagsLogGroupCommand({ logGroupName: 'ga' })) },
};

const services: Record<string, { operations: string[]; cases: Record<string, Case> }> = {
  sqs: { operations: Object.keys(sqsModel.operations), cases: sqsCases },
  sns: { operations: Object.keys(snsModel.operations), cases: snsCases },
  lambda: { operations: Object.keys(lambdaModel.operations), cases: lambdaCases },
  events: { operations: Object.keys(eventsModel.operations), cases: ebCases },
  ec2: { operations: Object.keys(ec2Model.operations), cases: ec2Cases },
  logs: { operations: Object.keys(logsModel.operations), cases: logsCases },
};

for (const [service, { operations, cases }] of Object.entries(services)) {
  test(`${service}: every served operation has a cross-account case`, () => {
    assert.deepEqual(
      Object.keys(cases).sort(),
      [...operations].sort(),
      'add a case to test/e2e/cross-account.test.ts for each new operation',
    );
  });
  for (const operation of operations) {
    const c = cases[operation];
    if (!c) continue;
    test(`${service}:${operation} with account B's key cannot reach account A's resource`, async () => {
      let result: unknown;
      try {
        result = await c.run(b);
      } catch (err) {
        const e = err as Error & { $metadata?: { httpStatusCode?: number } };
        assert.ok(
          typeof c.expect === 'string' && c.expect !== 'list' && c.expect !== 'own',
          `${operation} failed: ${e.name}: ${e.message}`,
        );
        assert.ok(c.expect.split('|').includes(e.name), `${operation}: expected ${c.expect}, got ${e.name}: ${e.message}`);
        assert.ok((e.$metadata?.httpStatusCode ?? 500) < 500, `${operation}: ${e.$metadata?.httpStatusCode}`);
        return;
      }
      const { $metadata: _m, ...body } = result as Record<string, unknown>;
      if (typeof c.expect === 'function') return c.expect(body);
      assert.ok(c.expect === 'list' || c.expect === 'own', `${operation} succeeded for account B: ${JSON.stringify(result)}`);
      assert.ok(!JSON.stringify(body).includes(A), `${operation} showed account A's resources to B: ${JSON.stringify(body)}`);
    });
  }
}

test("A's resources are intact after B's attempts", async () => {
  const messages = await a.sqs.send(new sqs.ReceiveMessageCommand({ QueueUrl: r.queueUrl, MaxNumberOfMessages: 10 }));
  const bodies = messages.Messages?.map((m) => m.Body) ?? [];
  assert.ok(bodies.includes('secret of A') && !bodies.some((b) => b?.includes('from B')), JSON.stringify(bodies));
  const attrs = (await a.sns.send(new sns.GetTopicAttributesCommand({ TopicArn: r.topicArn }))).Attributes!;
  assert.equal(attrs.DisplayName, '');
  const endpoint = (await a.sns.send(new sns.GetEndpointAttributesCommand({ EndpointArn: r.endpointArn }))).Attributes!;
  assert.deepEqual(endpoint, { Enabled: 'true', Token: 'token of A' });
  assert.equal(
    (await a.sns.send(new sns.GetSMSAttributesCommand({ attributes: ['DefaultSenderID', 'DefaultSMSType'] }))).attributes?.DefaultSenderID,
    'SecretA',
  );
  const fn = await a.lambda.send(new lambda.GetFunctionConfigurationCommand({ FunctionName: 'fa' }));
  assert.equal(fn.Timeout, 3);
  assert.equal((await a.lambda.send(new lambda.GetFunctionEventInvokeConfigCommand({ FunctionName: 'fa' }))).MaximumRetryAttempts, 1);
  assert.equal((await a.lambda.send(new lambda.GetFunctionConcurrencyCommand({ FunctionName: 'fa' }))).ReservedConcurrentExecutions, 5);
  assert.equal((await a.lambda.send(new lambda.GetAliasCommand({ FunctionName: 'fa', Name: 'live' }))).FunctionVersion, '1');
  assert.deepEqual(
    (await a.lambda.send(new lambda.ListVersionsByFunctionCommand({ FunctionName: 'fa' }))).Versions?.map((v) => v.Version),
    ['$LATEST', '1'],
  );
  const esm = await a.lambda.send(new lambda.GetEventSourceMappingCommand({ UUID: r.esmUuid }));
  assert.equal(esm.State, 'Disabled');
  assert.equal((await a.eb.send(new eb.ListTargetsByRuleCommand({ Rule: 'ra', EventBusName: 'ba' }))).Targets?.length, 1);
  const group = (await a.logs.send(new logs.DescribeLogGroupsCommand({ logGroupNamePrefix: 'ga' }))).logGroups ?? [];
  assert.deepEqual(
    group.map((g) => [g.logGroupName, g.retentionInDays]),
    [['ga', undefined]],
  );
  assert.deepEqual((await a.logs.send(new logs.ListTagsForResourceCommand({ resourceArn: r.logGroupArn }))).tags, { owner: 'A' });
  const logged = await a.logs.send(new logs.GetLogEventsCommand({ logGroupName: 'ga', logStreamName: 'sa' }));
  assert.deepEqual(
    logged.events?.map((e) => e.message),
    ['secret of A'],
  );
  const instance = (await a.ec2.send(new ec2.DescribeInstancesCommand({ InstanceIds: [r.instanceId] }))).Reservations![0]!.Instances![0]!;
  assert.equal(instance.State?.Name, 'running');
  assert.equal(
    (await a.ec2.send(new ec2.DescribeInstanceAttributeCommand({ InstanceId: r.instanceId, Attribute: 'disableApiTermination' })))
      .DisableApiTermination?.Value,
    false,
  );
  assert.equal((await a.ec2.send(new ec2.DescribeKeyPairsCommand({ KeyPairIds: [r.keyPairId] }))).KeyPairs?.[0]?.KeyName, 'ka');
  const sg = (await a.ec2.send(new ec2.DescribeSecurityGroupsCommand({ GroupIds: [r.groupId] }))).SecurityGroups![0]!;
  assert.deepEqual(sg.IpPermissions, []);
  const snapshot = (await a.ec2.send(new ec2.DescribeSnapshotsCommand({ SnapshotIds: [r.snapshotId] }))).Snapshots![0]!;
  assert.equal(snapshot.OwnerId, A);
});

test('resource policies are the way across: what they grant, and nothing more', async () => {
  // Queue: B may send, not receive.
  const policy = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: 'sqs:SendMessage', Resource: r.queueArn }],
  };
  await a.sqs.send(new sqs.SetQueueAttributesCommand({ QueueUrl: r.queueUrl, Attributes: { Policy: JSON.stringify(policy) } }));
  await b.sqs.send(new sqs.SendMessageCommand({ QueueUrl: r.queueUrl, MessageBody: 'granted' }));
  await assert.rejects(b.sqs.send(new sqs.ReceiveMessageCommand({ QueueUrl: r.queueUrl })), (e: Error) => e.name === 'AccessDenied');
  // An explicit Deny beats the Allow.
  const denied = { ...policy, Statement: [...policy.Statement, { Effect: 'Deny', Principal: '*', Action: 'sqs:*', Resource: r.queueArn }] };
  await a.sqs.send(new sqs.SetQueueAttributesCommand({ QueueUrl: r.queueUrl, Attributes: { Policy: JSON.stringify(denied) } }));
  await assert.rejects(
    b.sqs.send(new sqs.SendMessageCommand({ QueueUrl: r.queueUrl, MessageBody: 'no' })),
    (e: Error) => e.name === 'AccessDenied',
  );
  // Topic: B may subscribe (its own queue), not publish.
  const topicPolicy = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: B }, Action: ['SNS:Subscribe'], Resource: r.topicArn }],
  };
  await a.sns.send(
    new sns.SetTopicAttributesCommand({ TopicArn: r.topicArn, AttributeName: 'Policy', AttributeValue: JSON.stringify(topicPolicy) }),
  );
  const sub = await b.sns.send(
    new sns.SubscribeCommand({
      TopicArn: r.topicArn,
      Protocol: 'sqs',
      Endpoint: `arn:aws:sqs:us-east-1:${B}:qb`,
      ReturnSubscriptionArn: true,
    }),
  );
  assert.match(sub.SubscriptionArn!, new RegExp(`^${r.topicArn}:`));
  await b.sns.send(new sns.UnsubscribeCommand({ SubscriptionArn: sub.SubscriptionArn! }));
  await assert.rejects(
    b.sns.send(new sns.PublishCommand({ TopicArn: r.topicArn, Message: 'no' })),
    (e: Error) => e.name === 'AuthorizationErrorException',
  );
  // Function: lambda add-permission --principal B lets B invoke it, and only that.
  await a.lambda.send(
    new lambda.AddPermissionCommand({ FunctionName: 'fa', StatementId: 'b', Action: 'lambda:InvokeFunction', Principal: B }),
  );
  const out = await b.lambda.send(new lambda.InvokeCommand({ FunctionName: r.fn }));
  assert.equal(Buffer.from(out.Payload!).toString(), '"A"');
  await assert.rejects(
    b.lambda.send(new lambda.GetFunctionCommand({ FunctionName: r.fn })),
    (e: Error) => e.name === 'AccessDeniedException',
  );
});

test("qualified ARNs: another account's version or alias is refused as AWS does, naming the qualified ARN; a permission added with a Qualifier grants that qualifier only", async () => {
  const denied = (arn: string) => (e: Error) => e.name === 'AccessDeniedException' && e.message.includes(`on resource: ${arn} `);
  for (const q of ['1', 'live', 'missing', '$LATEST']) {
    const arn = q === '$LATEST' ? r.fn : `${r.fn}:${q}`;
    await assert.rejects(b.lambda.send(new lambda.GetFunctionConfigurationCommand({ FunctionName: `${r.fn}:${q}` })), denied(arn), q);
    await assert.rejects(b.lambda.send(new lambda.GetFunctionCommand({ FunctionName: r.fn, Qualifier: q })), denied(arn), q);
    await assert.rejects(
      b.lambda.send(new lambda.GetFunctionEventInvokeConfigCommand({ FunctionName: r.fn, Qualifier: q })),
      denied(arn),
      q,
    );
  }
  await assert.rejects(
    b.lambda.send(new lambda.InvokeCommand({ FunctionName: `${r.fn}:live`, InvocationType: 'Event' })),
    denied(`${r.fn}:live`),
  );
  await assert.rejects(b.lambda.send(new lambda.DeleteFunctionCommand({ FunctionName: `${r.fn}:1` })), denied(`${r.fn}:1`));
  // lambda add-permission --qualifier live --principal B: B may invoke the alias, not version 1 nor read the alias.
  await a.lambda.send(
    new lambda.AddPermissionCommand({
      FunctionName: 'fa',
      Qualifier: 'live',
      StatementId: 'b-live',
      Action: 'lambda:InvokeFunction',
      Principal: B,
    }),
  );
  const out = await b.lambda.send(new lambda.InvokeCommand({ FunctionName: `${r.fn}:live` }));
  assert.equal(out.ExecutedVersion, '1');
  await assert.rejects(b.lambda.send(new lambda.InvokeCommand({ FunctionName: `${r.fn}:1` })), denied(`${r.fn}:1`));
  await assert.rejects(
    b.lambda.send(new lambda.GetAliasCommand({ FunctionName: r.fn, Name: 'live' })),
    (e: Error) => e.name === 'AccessDeniedException',
  );
  await a.lambda.send(new lambda.RemovePermissionCommand({ FunctionName: 'fa', Qualifier: 'live', StatementId: 'b-live' }));
  await assert.rejects(b.lambda.send(new lambda.InvokeCommand({ FunctionName: `${r.fn}:live` })), denied(`${r.fn}:live`));
  // The mapping's queue is read as the caller: B's function may not take A's queue without A's queue policy.
  await b.lambda.send(
    new lambda.CreateFunctionCommand({
      FunctionName: 'fb',
      Runtime: 'nodejs20.x',
      Role: ROLE,
      Handler: 'index.handler',
      Code: { ZipFile: zip },
    }),
  );
  await assert.rejects(
    b.lambda.send(new lambda.CreateEventSourceMappingCommand({ FunctionName: 'fb', EventSourceArn: r.esmQueueArn })),
    (e: Error) => e.name === 'InvalidParameterValueException' && /permissions to call ReceiveMessage/.test(e.message),
  );
  await b.lambda.send(new lambda.DeleteFunctionCommand({ FunctionName: 'fb' }));
});

test("an asynchronous invocation's destination in another account takes the record only when its queue policy lets the function's account in", {
  timeout: 60_000,
}, async () => {
  const destUrl = (await a.sqs.send(new sqs.CreateQueueCommand({ QueueName: 'qa-dest' }))).QueueUrl!;
  const destArn = `arn:aws:sqs:us-east-1:${A}:qa-dest`;
  await b.lambda.send(
    new lambda.CreateFunctionCommand({
      FunctionName: 'fails',
      Runtime: 'nodejs20.x',
      Role: ROLE,
      Handler: 'index.handler',
      Code: { ZipFile: zipOf({ 'index.js': 'exports.handler = async (e) => { throw new Error("nope " + e.n); }' }) },
    }),
  );
  await b.lambda.send(
    new lambda.PutFunctionEventInvokeConfigCommand({
      FunctionName: 'fails',
      MaximumRetryAttempts: 0,
      DestinationConfig: { OnFailure: { Destination: destArn } },
    }),
  );
  await b.lambda.send(new lambda.InvokeCommand({ FunctionName: 'fails', InvocationType: 'Event', Payload: Buffer.from('{"n":1}') }));
  // Give the first event time to fail and be refused at A's queue, then let B's account in.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const policy = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: 'sqs:SendMessage', Resource: destArn }],
  };
  await a.sqs.send(new sqs.SetQueueAttributesCommand({ QueueUrl: destUrl, Attributes: { Policy: JSON.stringify(policy) } }));
  await b.lambda.send(new lambda.InvokeCommand({ FunctionName: 'fails', InvocationType: 'Event', Payload: Buffer.from('{"n":2}') }));
  const bodies: string[] = [];
  for (let i = 0; i < 10 && bodies.length === 0; i++) {
    const got = await a.sqs.send(new sqs.ReceiveMessageCommand({ QueueUrl: destUrl, WaitTimeSeconds: 2, MaxNumberOfMessages: 10 }));
    bodies.push(...(got.Messages ?? []).map((m) => m.Body ?? ''));
  }
  assert.equal(bodies.length, 1, JSON.stringify(bodies));
  const record = JSON.parse(bodies[0]!) as { requestPayload: { n: number } };
  assert.equal(record.requestPayload.n, 2, 'the record sent before the policy was refused');
  await b.lambda.send(new lambda.DeleteFunctionCommand({ FunctionName: 'fails' }));
});

test("control API: B reads nothing of A through ?account=A, and the operator endpoints are A's (the server's) only", async () => {
  const get = (path: string) => signedFetch(`${app.url}${path}`, { accessKeyId: 'AKIDBBBBBBBBBBBBBBBB', secretAccessKey: 'secret-b' });
  for (const path of [
    `/_amiwatch/events?account=${A}`,
    `/_amiwatch/functions/fa/code?account=${A}`,
    `/_amiwatch/functions/fa/logs?account=${A}`,
    '/_amiwatch/ec2/faults',
    '/_amiwatch/sns/deliveries',
    '/_amiwatch/mailbox',
    '/_amiwatch/metrics',
  ]) {
    const res = await get(path);
    assert.equal(res.status, 403, `${path}: ${res.status} ${res.body}`);
  }
  // By ARN, without naming the account: still not A's.
  const code = await get(`/_amiwatch/functions/${encodeURIComponent(r.fn)}/code`);
  assert.equal(code.status, 403, code.body);
  const events = await get(`/_amiwatch/events?bus=${encodeURIComponent(r.busArn)}`);
  assert.equal(events.status, 200);
  assert.deepEqual(JSON.parse(events.body).events, []);
});

test("another account's rule or topic sends into a queue only as far as the queue's policy lets the service in", async () => {
  const inbox = (await a.sqs.send(new sqs.CreateQueueCommand({ QueueName: 'qa-inbox' }))).QueueUrl!;
  const inboxArn = `arn:aws:sqs:us-east-1:${A}:qa-inbox`;
  const received = async () =>
    (await a.sqs.send(new sqs.ReceiveMessageCommand({ QueueUrl: inbox, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }))).Messages?.map(
      (m) => m.Body ?? '',
    ) ?? [];
  // B's rule targets A's queue; B's topic has A's queue subscribed.
  await b.eb.send(new eb.PutRuleCommand({ Name: 'rb', EventPattern: '{"source":["b.app"]}' }));
  await b.eb.send(new eb.PutTargetsCommand({ Rule: 'rb', Targets: [{ Id: 'a', Arn: inboxArn }] }));
  const { TopicArn } = await b.sns.send(new sns.CreateTopicCommand({ Name: 'tb' }));
  await b.sns.send(new sns.SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: inboxArn, Attributes: { RawMessageDelivery: 'true' } }));
  const send = async (text: string) => {
    await b.eb.send(new eb.PutEventsCommand({ Entries: [{ Source: 'b.app', DetailType: 'd', Detail: JSON.stringify({ text }) }] }));
    await b.sns.send(new sns.PublishCommand({ TopicArn, Message: text }));
  };
  await send('uninvited');
  const ruleArn = `arn:aws:events:us-east-1:${B}:rule/rb`;
  // The worker has had its turn once A's own event through the same path arrives.
  await a.sqs.send(new sqs.SendMessageCommand({ QueueUrl: inbox, MessageBody: 'marker' }));
  await new Promise((r) => setTimeout(r, 1500));
  assert.deepEqual(await received(), ['marker']);
  const policy = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: inboxArn,
        Condition: { ArnEquals: { 'aws:SourceArn': ruleArn } },
      },
      {
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: inboxArn,
        Condition: { ArnEquals: { 'aws:SourceArn': TopicArn! } },
      },
    ],
  };
  await a.sqs.send(new sqs.SetQueueAttributesCommand({ QueueUrl: inbox, Attributes: { Policy: JSON.stringify(policy) } }));
  await send('invited');
  let bodies: string[] = [];
  for (let i = 0; i < 100 && bodies.filter((x) => x.includes('invited') && !x.includes('uninvited')).length < 2; i++) {
    bodies = await received();
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(bodies.filter((x) => x.includes('uninvited')).length, 0, JSON.stringify(bodies));
  assert.equal(bodies.filter((x) => x.includes('invited')).length, 2, JSON.stringify(bodies));
});

test("another account's rule publishes to a topic only as far as the topic's policy lets events.amazonaws.com in", async () => {
  const inbox = (await a.sqs.send(new sqs.CreateQueueCommand({ QueueName: 'qa-topic-inbox' }))).QueueUrl!;
  const { TopicArn } = await a.sns.send(new sns.CreateTopicCommand({ Name: 'ta-events' }));
  await a.sns.send(
    new sns.SubscribeCommand({
      TopicArn,
      Protocol: 'sqs',
      Endpoint: `arn:aws:sqs:us-east-1:${A}:qa-topic-inbox`,
      Attributes: { RawMessageDelivery: 'true' },
    }),
  );
  await b.eb.send(new eb.PutRuleCommand({ Name: 'rb-topic', EventPattern: '{"source":["b.topic"]}' }));
  await b.eb.send(new eb.PutTargetsCommand({ Rule: 'rb-topic', Targets: [{ Id: 'a', Arn: TopicArn }] }));
  const put = (text: string) =>
    b.eb.send(new eb.PutEventsCommand({ Entries: [{ Source: 'b.topic', DetailType: 'd', Detail: JSON.stringify({ text }) }] }));
  const bodies = async () =>
    (await a.sqs.send(new sqs.ReceiveMessageCommand({ QueueUrl: inbox, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }))).Messages?.map(
      (m) => m.Body ?? '',
    ) ?? [];
  await put('uninvited');
  await new Promise((r) => setTimeout(r, 1500));
  assert.deepEqual(await bodies(), []);
  const policy = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: TopicArn,
        Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:events:us-east-1:${B}:rule/*` } },
      },
    ],
  };
  await a.sns.send(new sns.SetTopicAttributesCommand({ TopicArn, AttributeName: 'Policy', AttributeValue: JSON.stringify(policy) }));
  await put('invited');
  let got: string[] = [];
  for (let i = 0; i < 100 && got.length === 0; i++) {
    got = await bodies();
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(got.length, 1, JSON.stringify(got));
  assert.match(got[0]!, /"text":"invited"/);
});
