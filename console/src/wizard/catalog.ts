/**
 * The pattern form's catalog: AWS services and their event types, each with the pattern template
 * the EventBridge console offers and a sample event for the sandbox. The EC2 AMI samples are the
 * guide's own examples (account and ids as there).
 */
export interface EventType {
  readonly name: string;
  readonly source: string;
  /** Values the form offers for `detail.<field>`; null: no detail filter. */
  readonly states?: { field: string; values: readonly string[] };
  /** An optional free-text filter (the AMI's id). */
  readonly idField?: { field: string; label: string; placeholder: string };
  readonly sample: Record<string, unknown>;
}

const envelope = (source: string, detailType: string, resources: string[], detail: Record<string, unknown>) => ({
  version: '0',
  id: '7bf73129-1428-4cd3-a780-95db273d1602',
  'detail-type': detailType,
  source,
  account: '012345678901',
  time: '2026-11-25T12:00:00Z',
  region: 'us-east-1',
  resources,
  detail,
});

const amiSample = (state: string, error = '') =>
  envelope('aws.ec2', 'EC2 AMI State Change', ['arn:aws:ec2:us-east-1::image/ami-0123456789example'], {
    RequestId: '7bf73129-9dcc-40a6-aa77-7ce457d5442b',
    ImageId: 'ami-0123456789example',
    State: state,
    ErrorMessage: error,
  });

export const services: Readonly<Record<string, readonly EventType[]>> = {
  EC2: [
    {
      name: 'EC2 AMI State Change',
      source: 'aws.ec2',
      states: { field: 'State', values: ['available', 'failed', 'deregistered', 'disabled'] },
      idField: { field: 'ImageId', label: 'Specific AMI ID (optional)', placeholder: 'ami-0123456789example' },
      sample: amiSample('available'),
    },
    {
      name: 'EC2 Instance State-change Notification',
      source: 'aws.ec2',
      states: { field: 'state', values: ['pending', 'running', 'stopping', 'stopped', 'shutting-down', 'terminated'] },
      idField: { field: 'instance-id', label: 'Specific instance ID (optional)', placeholder: 'i-0123456789abcdef0' },
      sample: envelope(
        'aws.ec2',
        'EC2 Instance State-change Notification',
        ['arn:aws:ec2:us-east-1:012345678901:instance/i-0123456789abcdef0'],
        {
          'instance-id': 'i-0123456789abcdef0',
          state: 'running',
        },
      ),
    },
  ],
  EventBridge: [
    {
      name: 'Scheduled Event',
      source: 'aws.events',
      sample: envelope('aws.events', 'Scheduled Event', ['arn:aws:events:us-east-1:012345678901:rule/my-schedule'], {}),
    },
  ],
};

/** The sandbox's sample events: the guide's three AMI events plus one of each other type. */
export const samples: readonly { label: string; event: Record<string, unknown> }[] = [
  { label: 'EC2 AMI State Change — available', event: amiSample('available') },
  { label: 'EC2 AMI State Change — failed', event: amiSample('failed', 'Description of failure') },
  { label: 'EC2 AMI State Change — deregistered', event: amiSample('deregistered') },
  ...Object.values(services).flatMap((types) =>
    types.filter((t) => t.name !== 'EC2 AMI State Change').map((t) => ({ label: t.name, event: t.sample })),
  ),
];

export interface FormChoice {
  service: string;
  type: string;
  /** Empty: any value. */
  states: string[];
  id: string;
  /** Custom source (source = "custom"). */
  customSource: string;
  customDetailType: string;
}

/** The pattern the form's choices stand for, pretty-printed the way the AWS console shows it. */
export function patternFromForm(c: FormChoice, source: 'aws' | 'custom'): string {
  if (source === 'custom') {
    const p: Record<string, unknown> = { source: [c.customSource || 'my.application'] };
    if (c.customDetailType) p['detail-type'] = [c.customDetailType];
    return JSON.stringify(p, null, 2);
  }
  const type = services[c.service]?.find((t) => t.name === c.type);
  if (!type) return JSON.stringify({ source: [`aws.${c.service.toLowerCase()}`] }, null, 2);
  const p: Record<string, unknown> = { source: [type.source], 'detail-type': [type.name] };
  const detail: Record<string, unknown> = {};
  if (type.states && c.states.length > 0) detail[type.states.field] = c.states;
  if (type.idField && c.id.trim()) detail[type.idField.field] = [c.id.trim()];
  if (Object.keys(detail).length > 0) p.detail = detail;
  return JSON.stringify(p, null, 2);
}
