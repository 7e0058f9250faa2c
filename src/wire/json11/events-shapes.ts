import { any, bool, int, list, map, str, struct, timestamp, type Shape } from './shapes.js';

/**
 * Input shapes of the EventBridge ("AWSEvents", 2015-10-07) operations amiwatch serves, with
 * the constraints of AWS's model (botocore events/2015-10-07/service-2.json).
 */
const ruleName = str({ min: 1, max: 64, pattern: /^[\.\-_A-Za-z0-9]+$/ });
const busName = str({ min: 1, max: 256, pattern: /^[/\.\-_A-Za-z0-9]+$/ });
const busNameOrArn = str({
  min: 1,
  max: 1600,
  pattern: /^(arn:aws[\w-]*:events:[a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\d{1}:\d{12}:event-bus\/)?[/\.\-_A-Za-z0-9]+$/,
});
const nonPartnerBusName = str({ min: 1, max: 256, pattern: /^[\.\-_A-Za-z0-9]+$/ });
const nextToken = str({ min: 1, max: 2048 });
const limit = int(1, 100);
const arn = str({ min: 1, max: 1600 });
const tag = struct({ Key: str({ min: 1, max: 128 }), Value: str({ min: 0, max: 256 }) }, ['Key', 'Value']);
const tags = list(tag);
const deadLetterConfig = struct({ Arn: arn });
const targetId = str({ min: 1, max: 64, pattern: /^[\.\-_A-Za-z0-9]+$/ });

const target = struct(
  {
    Id: targetId,
    Arn: arn,
    RoleArn: arn,
    Input: str({ max: 8192 }),
    InputPath: str({ max: 256 }),
    InputTransformer: struct(
      {
        InputPathsMap: map(str({ min: 1, max: 256, pattern: /^[A-Za-z0-9_\-]+$/ }), str({ max: 256 })),
        InputTemplate: str({ min: 1, max: 8192 }),
      },
      ['InputTemplate'],
    ),
    KinesisParameters: any,
    RunCommandParameters: any,
    EcsParameters: any,
    BatchParameters: any,
    SqsParameters: any,
    HttpParameters: struct({
      PathParameterValues: list(str({ pattern: /^(?!\s*$).+$/ })),
      HeaderParameters: map(str({ max: 512, pattern: /^[!#$%&'*+-.^_`|~0-9a-zA-Z]+$/ }), str({ max: 512 })),
      QueryStringParameters: map(str({ max: 512 }), str({ max: 512 })),
    }),
    RedshiftDataParameters: any,
    SageMakerPipelineParameters: any,
    AppSyncParameters: any,
    DeadLetterConfig: deadLetterConfig,
    RetryPolicy: struct({ MaximumRetryAttempts: int(0, 185), MaximumEventAgeInSeconds: int(60, 86400) }),
  },
  ['Id', 'Arn'],
);

const archiveName = str({ min: 1, max: 48, pattern: /^[\.\-_A-Za-z0-9]+$/ });
const replayName = str({ min: 1, max: 64, pattern: /^[\.\-_A-Za-z0-9]+$/ });
const archiveArnShape = str({ min: 1, max: 1600, pattern: /^arn:aws([a-z]|\-)*:events:([a-z]|\d|\-)*:([0-9]{12})?:.+\/.+$/ });
const archiveState = str({ enum: ['ENABLED', 'DISABLED', 'CREATING', 'UPDATING', 'CREATE_FAILED', 'UPDATE_FAILED'] });
const replayState = str({ enum: ['STARTING', 'RUNNING', 'CANCELLING', 'COMPLETED', 'CANCELLED', 'FAILED'] });

const connectionName = str({ min: 1, max: 64, pattern: /^[\.\-_A-Za-z0-9]+$/ });
const connectionState = str({ enum: ['CREATING', 'UPDATING', 'DELETING', 'AUTHORIZED', 'DEAUTHORIZED', 'AUTHORIZING', 'DEAUTHORIZING', 'ACTIVE', 'FAILED_CONNECTIVITY'] });
const authType = str({ enum: ['BASIC', 'OAUTH_CLIENT_CREDENTIALS', 'API_KEY'] });
const authValue = str({ min: 1, max: 512 });
const httpParameter = struct({ Key: str({ max: 512 }), Value: str({ max: 512 }), IsValueSecret: bool });
const connectionHttpParameters = struct({ HeaderParameters: list(httpParameter, 0, 100), QueryStringParameters: list(httpParameter, 0, 100), BodyParameters: list(httpParameter, 0, 100) });
const authParameters = (required: boolean) =>
  struct({
    BasicAuthParameters: struct({ Username: authValue, Password: authValue }, required ? ['Username', 'Password'] : []),
    ApiKeyAuthParameters: struct({ ApiKeyName: authValue, ApiKeyValue: authValue }, required ? ['ApiKeyName', 'ApiKeyValue'] : []),
    OAuthParameters: struct(
      {
        ClientParameters: struct({ ClientID: authValue, ClientSecret: authValue }, required ? ['ClientID', 'ClientSecret'] : []),
        AuthorizationEndpoint: str({ min: 1, max: 2048, pattern: /^((%[0-9A-Fa-f]{2}|[-()_.!~*';/?:@&=+$,A-Za-z0-9])+)([).!';/?:,])?$/ }),
        HttpMethod: str({ enum: ['GET', 'POST', 'PUT'] }),
        OAuthHttpParameters: connectionHttpParameters,
      },
      required ? ['ClientParameters', 'AuthorizationEndpoint', 'HttpMethod'] : [],
    ),
    InvocationHttpParameters: connectionHttpParameters,
    ConnectivityParameters: any,
  });
const apiDestinationName = str({ min: 1, max: 64, pattern: /^[\.\-_A-Za-z0-9]+$/ });
const connectionArn = str({ min: 1, max: 1600, pattern: /^arn:aws([a-z]|\-)*:events:([a-z]|\d|\-)*:([0-9]{12})?:connection\/[\.\-_A-Za-z0-9]+\/[\-A-Za-z0-9]+$/ });
const invocationEndpoint = str({ min: 1, max: 2048, pattern: /^((%[0-9A-Fa-f]{2}|[-()_.!~*';/?:@&=+$,A-Za-z0-9])+)([).!';/?:,])?$/ });
const httpMethod = str({ enum: ['POST', 'GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'DELETE'] });

export const eventsShapes: Readonly<Record<string, Shape>> = {
  CreateEventBus: struct(
    {
      Name: busName,
      EventSourceName: str({ min: 1, max: 256, pattern: /^aws\.partner(\/[\.\-_A-Za-z0-9]+){2,}$/ }),
      Description: str({ max: 512 }),
      KmsKeyIdentifier: str({ max: 2048 }),
      DeadLetterConfig: deadLetterConfig,
      Tags: tags,
    },
    ['Name'],
  ),
  DeleteEventBus: struct({ Name: busName }, ['Name']),
  DescribeEventBus: struct({ Name: busNameOrArn }),
  ListEventBuses: struct({ NamePrefix: str({ min: 1, max: 256, pattern: /^[/\.\-_A-Za-z0-9]+$/ }), NextToken: nextToken, Limit: limit }),
  UpdateEventBus: struct({ Name: busName, KmsKeyIdentifier: str({ max: 2048 }), Description: str({ max: 512 }), DeadLetterConfig: deadLetterConfig }),
  PutRule: struct(
    {
      Name: ruleName,
      ScheduleExpression: str({ max: 256 }),
      EventPattern: str({ max: 4096 }),
      State: str({ enum: ['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'] }),
      Description: str({ max: 512 }),
      RoleArn: arn,
      Tags: tags,
      EventBusName: busNameOrArn,
    },
    ['Name'],
  ),
  DescribeRule: struct({ Name: ruleName, EventBusName: busNameOrArn }, ['Name']),
  DeleteRule: struct({ Name: ruleName, EventBusName: busNameOrArn, Force: bool }, ['Name']),
  EnableRule: struct({ Name: ruleName, EventBusName: busNameOrArn }, ['Name']),
  DisableRule: struct({ Name: ruleName, EventBusName: busNameOrArn }, ['Name']),
  ListRules: struct({ NamePrefix: ruleName, EventBusName: busNameOrArn, NextToken: nextToken, Limit: limit }),
  ListRuleNamesByTarget: struct({ TargetArn: arn, EventBusName: busNameOrArn, NextToken: nextToken, Limit: limit }, ['TargetArn']),
  PutTargets: struct({ Rule: ruleName, EventBusName: busNameOrArn, Targets: list(target, 1, 100) }, ['Rule', 'Targets']),
  RemoveTargets: struct({ Rule: ruleName, EventBusName: busNameOrArn, Ids: list(targetId, 1, 100), Force: bool }, ['Rule', 'Ids']),
  ListTargetsByRule: struct({ Rule: ruleName, EventBusName: busNameOrArn, NextToken: nextToken, Limit: limit }, ['Rule']),
  PutEvents: struct(
    {
      Entries: list(
        struct({
          Time: timestamp,
          Source: str(),
          Resources: list(str()),
          DetailType: str(),
          Detail: str(),
          EventBusName: busNameOrArn,
          TraceHeader: str({ min: 1, max: 500 }),
        }),
        1,
        10,
      ),
      EndpointId: str({ min: 1, max: 50, pattern: /^[A-Za-z0-9\-]+[\.][A-Za-z0-9\-]+$/ }),
    },
    ['Entries'],
  ),
  TestEventPattern: struct({ EventPattern: str({ max: 4096 }), Event: str() }, ['EventPattern', 'Event']),
  TagResource: struct({ ResourceARN: arn, Tags: tags }, ['ResourceARN', 'Tags']),
  UntagResource: struct({ ResourceARN: arn, TagKeys: list(str({ min: 1, max: 128 })) }, ['ResourceARN', 'TagKeys']),
  ListTagsForResource: struct({ ResourceARN: arn }, ['ResourceARN']),
  PutPermission: struct({
    EventBusName: nonPartnerBusName,
    Action: str({ min: 1, max: 64, pattern: /^events:[a-zA-Z]+$/ }),
    Principal: str({ min: 1, max: 12, pattern: /^(\d{12}|\*)$/ }),
    StatementId: str({ min: 1, max: 64, pattern: /^[a-zA-Z0-9-_]+$/ }),
    Condition: struct({ Type: str(), Key: str(), Value: str() }, ['Type', 'Key', 'Value']),
    Policy: str(),
  }),
  CreateArchive: struct(
    {
      ArchiveName: archiveName,
      EventSourceArn: arn,
      Description: str({ max: 512 }),
      EventPattern: str({ max: 4096 }),
      RetentionDays: int(0),
      KmsKeyIdentifier: str({ max: 2048 }),
    },
    ['ArchiveName', 'EventSourceArn'],
  ),
  DescribeArchive: struct({ ArchiveName: archiveName }, ['ArchiveName']),
  UpdateArchive: struct(
    { ArchiveName: archiveName, Description: str({ max: 512 }), EventPattern: str({ max: 4096 }), RetentionDays: int(0), KmsKeyIdentifier: str({ max: 2048 }) },
    ['ArchiveName'],
  ),
  DeleteArchive: struct({ ArchiveName: archiveName }, ['ArchiveName']),
  ListArchives: struct({ NamePrefix: archiveName, EventSourceArn: arn, State: archiveState, NextToken: nextToken, Limit: limit }),
  StartReplay: struct(
    {
      ReplayName: replayName,
      Description: str({ max: 512 }),
      EventSourceArn: archiveArnShape,
      EventStartTime: timestamp,
      EventEndTime: timestamp,
      Destination: struct({ Arn: arn, FilterArns: list(arn) }, ['Arn']),
    },
    ['ReplayName', 'EventSourceArn', 'EventStartTime', 'EventEndTime', 'Destination'],
  ),
  DescribeReplay: struct({ ReplayName: replayName }, ['ReplayName']),
  CancelReplay: struct({ ReplayName: replayName }, ['ReplayName']),
  ListReplays: struct({ NamePrefix: replayName, State: replayState, EventSourceArn: archiveArnShape, NextToken: nextToken, Limit: limit }),
  CreateConnection: struct(
    { Name: connectionName, Description: str({ max: 512 }), AuthorizationType: authType, AuthParameters: authParameters(true), InvocationConnectivityParameters: any, KmsKeyIdentifier: str({ max: 2048 }) },
    ['Name', 'AuthorizationType', 'AuthParameters'],
  ),
  DescribeConnection: struct({ Name: connectionName }, ['Name']),
  UpdateConnection: struct(
    { Name: connectionName, Description: str({ max: 512 }), AuthorizationType: authType, AuthParameters: authParameters(false), InvocationConnectivityParameters: any, KmsKeyIdentifier: str({ max: 2048 }) },
    ['Name'],
  ),
  DeleteConnection: struct({ Name: connectionName }, ['Name']),
  DeauthorizeConnection: struct({ Name: connectionName }, ['Name']),
  ListConnections: struct({ NamePrefix: connectionName, ConnectionState: connectionState, NextToken: nextToken, Limit: limit }),
  CreateApiDestination: struct(
    { Name: apiDestinationName, Description: str({ max: 512 }), ConnectionArn: connectionArn, InvocationEndpoint: invocationEndpoint, HttpMethod: httpMethod, InvocationRateLimitPerSecond: int(1) },
    ['Name', 'ConnectionArn', 'InvocationEndpoint', 'HttpMethod'],
  ),
  DescribeApiDestination: struct({ Name: apiDestinationName }, ['Name']),
  UpdateApiDestination: struct(
    { Name: apiDestinationName, Description: str({ max: 512 }), ConnectionArn: connectionArn, InvocationEndpoint: invocationEndpoint, HttpMethod: httpMethod, InvocationRateLimitPerSecond: int(1) },
    ['Name'],
  ),
  DeleteApiDestination: struct({ Name: apiDestinationName }, ['Name']),
  ListApiDestinations: struct({ NamePrefix: apiDestinationName, ConnectionArn: connectionArn, NextToken: nextToken, Limit: limit }),
  RemovePermission: struct({ StatementId: str({ min: 1, max: 64, pattern: /^[a-zA-Z0-9-_]+$/ }), RemoveAllPermissions: bool, EventBusName: nonPartnerBusName }),
};
