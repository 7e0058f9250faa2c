import { isoSeconds } from '../shared/clock.js';
import { imageArn } from './ids.js';
import type { InstanceStateChangeEvent } from './instance-event.js';
import type { SnapshotNotificationEvent } from './snapshot-event.js';

/** The states the guide (and AWS's current page) emits an event for. */
export type AmiEventState = 'available' | 'failed' | 'deregistered' | 'disabled';

/**
 * "EC2 AMI State Change", field for field as the guide's three examples show it. The detail has
 * exactly four keys; ErrorMessage is "" unless the state is `failed`.
 */
export interface AmiStateChangeEvent {
  version: '0';
  id: string;
  'detail-type': 'EC2 AMI State Change';
  source: 'aws.ec2';
  account: string;
  /** `yyyy-mm-ddThh:mm:ssZ`. */
  time: string;
  region: string;
  /** `["arn:aws:ec2:<region>::image/<ami-id>"]`: the account field is empty, as AWS writes it. */
  resources: string[];
  detail: {
    RequestId: string;
    ImageId: string;
    State: AmiEventState;
    ErrorMessage: string;
  };
}

/**
 * The port through which EC2's events (AMI and instance state changes) leave the EC2 domain: the server wires it to the durable
 * ingestion into the account's default bus in `event.region`.
 *
 * Contract: `emit` resolves once the event is durably accepted; it may be called again with the
 * same event (same `id`) after a crash between acceptance and our bookkeeping, so an
 * implementation must treat a repeated `id` as already done (at-least-once hand-over + idempotent
 * sink = exactly-once on the bus). A rejection leaves the event queued; it is offered again.
 */
export interface AmiEventSink {
  emit(event: Ec2Event): Promise<void>;
}

/** Every event EC2 emits through the sink (AMI and instance state changes, EBS snapshot notifications). */
export type Ec2Event = AmiStateChangeEvent | InstanceStateChangeEvent | SnapshotNotificationEvent;

export interface AmiEventInput {
  id: string;
  accountId: string;
  region: string;
  imageId: string;
  requestId: string;
  state: AmiEventState;
  errorMessage?: string;
  /** Epoch ms of the transition. */
  at: number;
}

export function buildAmiEvent(input: AmiEventInput): AmiStateChangeEvent {
  return {
    version: '0',
    id: input.id,
    'detail-type': 'EC2 AMI State Change',
    source: 'aws.ec2',
    account: input.accountId,
    time: isoSeconds(input.at),
    region: input.region,
    resources: [imageArn(input.region, input.imageId)],
    detail: {
      RequestId: input.requestId,
      ImageId: input.imageId,
      State: input.state,
      ErrorMessage: input.state === 'failed' ? (input.errorMessage ?? '') : '',
    },
  };
}
