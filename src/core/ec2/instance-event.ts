import { isoSeconds } from '../shared/clock.js';
import type { InstanceStateName } from '../../storage/ports/ec2-store.js';

/**
 * "EC2 Instance State-change Notification", as AWS's EventBridge event reference for EC2 shows
 * it: the detail holds exactly `instance-id` and `state`; `resources` holds the instance ARN with
 * the account (unlike the AMI event's ARN).
 */
export interface InstanceStateChangeEvent {
  version: '0';
  id: string;
  'detail-type': 'EC2 Instance State-change Notification';
  source: 'aws.ec2';
  account: string;
  /** `yyyy-mm-ddThh:mm:ssZ`. */
  time: string;
  region: string;
  /** `["arn:aws:ec2:<region>:<account>:instance/<instance-id>"]`. */
  resources: string[];
  detail: {
    'instance-id': string;
    state: InstanceStateName;
  };
}

export function instanceArn(region: string, accountId: string, instanceId: string): string {
  return `arn:aws:ec2:${region}:${accountId}:instance/${instanceId}`;
}

export interface InstanceEventInput {
  id: string;
  accountId: string;
  region: string;
  instanceId: string;
  state: InstanceStateName;
  /** Epoch ms of the transition. */
  at: number;
}

export function buildInstanceEvent(input: InstanceEventInput): InstanceStateChangeEvent {
  return {
    version: '0',
    id: input.id,
    'detail-type': 'EC2 Instance State-change Notification',
    source: 'aws.ec2',
    account: input.accountId,
    time: isoSeconds(input.at),
    region: input.region,
    resources: [instanceArn(input.region, input.accountId, input.instanceId)],
    detail: { 'instance-id': input.instanceId, state: input.state },
  };
}
