import type { Target } from '../api/eventbridge.js';
import type { FormChoice } from './catalog.js';

/** Everything the create-rule wizard collects before "Create rule" writes it. */
export interface Draft {
  name: string;
  description: string;
  bus: string;
  ruleType: 'pattern' | 'schedule';
  schedule: string;
  eventSource: 'aws' | 'custom';
  patternMode: 'form' | 'json';
  form: FormChoice;
  pattern: string;
  targets: TargetDraft[];
  tags: { key: string; value: string }[];
  enabled: boolean;
}

export type TargetKind = 'sns' | 'sqs' | 'lambda' | 'events' | 'api-destination';

export interface TargetDraft {
  id: string;
  kind: TargetKind;
  /** Topic, queue, function or bus name (or a full ARN). */
  resource: string;
  input: 'matched' | 'constant' | 'path' | 'transformer';
  constant: string;
  path: string;
  pathsMap: string;
  template: string;
  maxRetries: string;
  maxAgeSeconds: string;
  dlq: string;
}

export const kinds: Readonly<Record<TargetKind, { label: string; service: string; noun: string }>> = {
  sns: { label: 'SNS topic', service: 'sns', noun: 'Topic' },
  sqs: { label: 'SQS queue', service: 'sqs', noun: 'Queue' },
  lambda: { label: 'Lambda function', service: 'lambda', noun: 'Function' },
  events: { label: 'EventBridge event bus', service: 'events', noun: 'Event bus' },
  'api-destination': { label: 'EventBridge API destination', service: 'events', noun: 'API destination' },
};

export const newTarget = (n: number): TargetDraft => ({
  id: `Target${n}`,
  kind: 'sns',
  resource: '',
  input: 'matched',
  constant: '',
  path: '',
  pathsMap: '{\n  "state": "$.detail.State",\n  "image": "$.detail.ImageId"\n}',
  template: '"AMI <image> is now <state>."',
  maxRetries: '185',
  maxAgeSeconds: '86400',
  dlq: '',
});

export const emptyDraft = (): Draft => ({
  name: '',
  description: '',
  bus: 'default',
  ruleType: 'pattern',
  schedule: 'rate(5 minutes)',
  eventSource: 'aws',
  patternMode: 'form',
  form: { service: 'EC2', type: 'EC2 AMI State Change', states: [], id: '', customSource: '', customDetailType: '' },
  pattern: '',
  targets: [newTarget(1)],
  tags: [],
  enabled: true,
});

/** A resource name → its ARN in this account and region (a pasted ARN is kept as it is). */
export function targetArn(t: TargetDraft, region: string, account: string): string {
  if (t.resource.startsWith('arn:')) return t.resource;
  const name = t.resource.trim();
  switch (t.kind) {
    case 'sns':
      return `arn:aws:sns:${region}:${account}:${name}`;
    case 'sqs':
      return `arn:aws:sqs:${region}:${account}:${name}`;
    case 'lambda':
      return `arn:aws:lambda:${region}:${account}:function:${name}`;
    case 'events':
      return `arn:aws:events:${region}:${account}:event-bus/${name}`;
    case 'api-destination':
      // Its ARN ends in an id the server chose: the target step offers the ARNs to pick from.
      throw new Error(`Target ${t.id}: choose an API destination from the list (its ARN)`);
  }
}

const toDlqArn = (v: string, region: string, account: string) =>
  v.startsWith('arn:') ? v : `arn:aws:sqs:${region}:${account}:${v.trim()}`;

/** The PutTargets entry for one target draft. Throws with a readable reason for bad JSON. */
export function toTarget(t: TargetDraft, region: string, account: string): Target {
  const target: Target = { Id: t.id.trim(), Arn: targetArn(t, region, account) };
  if (t.input === 'constant') target.Input = t.constant;
  if (t.input === 'path') target.InputPath = t.path;
  if (t.input === 'transformer') {
    let map: Record<string, string>;
    try {
      map = JSON.parse(t.pathsMap || '{}') as Record<string, string>;
    } catch {
      throw new Error(`Target ${t.id}: the input path map is not valid JSON`);
    }
    target.InputTransformer = { InputPathsMap: map, InputTemplate: t.template };
  }
  if (t.kind !== 'events')
    target.RetryPolicy = { MaximumRetryAttempts: Number(t.maxRetries), MaximumEventAgeInSeconds: Number(t.maxAgeSeconds) };
  if (t.dlq.trim()) target.DeadLetterConfig = { Arn: toDlqArn(t.dlq, region, account) };
  return target;
}

/** A stored target back into the form (editing a rule). */
export function fromTarget(t: Target): TargetDraft {
  const kind: TargetKind = t.Arn.includes(':sqs:')
    ? 'sqs'
    : t.Arn.includes(':lambda:')
      ? 'lambda'
      : t.Arn.includes(':api-destination/')
        ? 'api-destination'
        : t.Arn.includes(':events:')
          ? 'events'
          : 'sns';
  const base = newTarget(1);
  return {
    ...base,
    id: t.Id,
    kind,
    resource: t.Arn,
    input: t.InputTransformer ? 'transformer' : t.InputPath ? 'path' : t.Input !== undefined ? 'constant' : 'matched',
    constant: t.Input ?? '',
    path: t.InputPath ?? '',
    pathsMap: t.InputTransformer ? JSON.stringify(t.InputTransformer.InputPathsMap ?? {}, null, 2) : base.pathsMap,
    template: t.InputTransformer?.InputTemplate ?? base.template,
    maxRetries: String(t.RetryPolicy?.MaximumRetryAttempts ?? base.maxRetries),
    maxAgeSeconds: String(t.RetryPolicy?.MaximumEventAgeInSeconds ?? base.maxAgeSeconds),
    dlq: t.DeadLetterConfig?.Arn ?? '',
  };
}

/** The rule name's own rules (AWS: 1–64 of `.-_A-Za-z0-9`). */
export function nameProblem(name: string): string | null {
  if (!name) return 'Enter a name.';
  if (name.length > 64) return 'The name can be at most 64 characters.';
  if (!/^[.\-_A-Za-z0-9]+$/.test(name)) return 'Use letters, numbers, periods, hyphens and underscores only.';
  return null;
}
