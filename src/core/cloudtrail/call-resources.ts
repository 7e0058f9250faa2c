/**
 * The resources of a call, as LookupEvents lists them (`Resources[].ResourceType/ResourceName`,
 * filterable by the ResourceType and ResourceName attributes): found by the input members that
 * name a resource, per service. CloudFormation type names, as CloudTrail writes them.
 */
const BY_MEMBER: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  ec2: {
    ImageId: 'AWS::EC2::Ami',
    SourceImageId: 'AWS::EC2::Ami',
    ImageIds: 'AWS::EC2::Ami',
    InstanceId: 'AWS::EC2::Instance',
    InstanceIds: 'AWS::EC2::Instance',
    SnapshotId: 'AWS::EC2::Snapshot',
    SnapshotIds: 'AWS::EC2::Snapshot',
    SourceSnapshotId: 'AWS::EC2::Snapshot',
    VolumeId: 'AWS::EC2::Volume',
    Resources: 'AWS::EC2::Ami',
  },
  events: { Name: 'AWS::Events::Rule', Rule: 'AWS::Events::Rule', EventBusName: 'AWS::Events::EventBus' },
  sns: {
    TopicArn: 'AWS::SNS::Topic',
    Name: 'AWS::SNS::Topic',
    SubscriptionArn: 'AWS::SNS::Subscription',
    PlatformApplicationArn: 'AWS::SNS::PlatformApplication',
    EndpointArn: 'AWS::SNS::PlatformEndpoint',
  },
  sqs: { QueueUrl: 'AWS::SQS::Queue', QueueName: 'AWS::SQS::Queue' },
  lambda: { FunctionName: 'AWS::Lambda::Function' },
  logs: { logGroupName: 'AWS::Logs::LogGroup', logGroupIdentifier: 'AWS::Logs::LogGroup' },
  cloudtrail: { Name: 'AWS::CloudTrail::Trail', trailNameList: 'AWS::CloudTrail::Trail' },
};

/** EventBridge's bus operations name a bus in `Name`, not a rule. */
const EVENTS_BUS_OPERATIONS = new Set(['CreateEventBus', 'DeleteEventBus', 'DescribeEventBus', 'UpdateEventBus']);

export function callResources(service: string, operation: string, input: object, output?: unknown): { type: string; name: string }[] {
  const members = BY_MEMBER[service];
  if (!members) return [];
  const out: { type: string; name: string }[] = [];
  // A created resource is named in the output (CreateImage's ImageId, CreateQueue's QueueUrl, …).
  const created =
    output !== null && typeof output === 'object' && !Array.isArray(output)
      ? Object.entries(output).filter(([, v]) => typeof v === 'string')
      : [];
  for (const [member, value] of [...Object.entries(input), ...created]) {
    let type = members[member];
    if (!type) continue;
    if (service === 'events' && member === 'Name' && EVENTS_BUS_OPERATIONS.has(operation)) type = 'AWS::Events::EventBus';
    if (operation === 'CreatePlatformApplication' && member === 'Name') type = 'AWS::SNS::PlatformApplication';
    // EC2's Resources (CreateTags) names images, snapshots or instances: the id's prefix tells.
    for (const name of Array.isArray(value) ? value : [value]) {
      if (typeof name !== 'string' || name === '' || out.some((r) => r.name === name)) continue;
      out.push({ type: member === 'Resources' ? ec2TypeOf(name) : type, name });
    }
  }
  return out;
}

const ec2TypeOf = (id: string): string =>
  id.startsWith('i-') ? 'AWS::EC2::Instance' : id.startsWith('snap-') ? 'AWS::EC2::Snapshot' : 'AWS::EC2::Ami';
