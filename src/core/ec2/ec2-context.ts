import type { Clock } from '../shared/clock.js';
import type { Random } from '../shared/random.js';
import type { Ec2Store, ImageRecord, ImageStateName } from '../../storage/ports/ec2-store.js';
import { buildAmiEvent, type AmiEventState } from './ami-event.js';
import type { FaultService } from './faults.js';
import type { Ec2Options } from './options.js';
import type { Serial } from './serial.js';

/** What every EC2 operation module works with: one object, built once by Ec2Service. */
export interface Ec2Deps {
  readonly store: Ec2Store;
  readonly clock: Clock;
  readonly random: Random;
  readonly options: Ec2Options;
  readonly faults: FaultService;
  readonly serial: Serial;
  /** Writes a region's public `amazon` images on first use (public-images.ts). */
  readonly publicImages: { ensure(region: string): Promise<void> };
  /** Applies due transitions and relays events; reads call it so they never show stale states. */
  readonly settle: () => Promise<void>;
}

/**
 * Moves an image to a state that the guide emits an event for, and queues that event, in one
 * store transaction.
 * Inputs: the image as it should now be stored (state already set), the request id to carry.
 * Emits: one "EC2 AMI State Change" with `detail.State = image.state`.
 */
export async function commitStateChange(
  deps: Pick<Ec2Deps, 'store' | 'clock' | 'random'>,
  image: ImageRecord,
  requestId: string,
  errorMessage = '',
): Promise<void> {
  const state = eventState(image.state);
  const event = buildAmiEvent({
    id: deps.random.uuid(),
    accountId: image.accountId,
    region: image.region,
    imageId: image.imageId,
    requestId,
    state,
    errorMessage,
    at: deps.clock.now(),
  });
  await deps.store.putImageWithEvent(image, { id: event.id, json: JSON.stringify(event) });
}

function eventState(state: ImageStateName): AmiEventState {
  if (state === 'available' || state === 'failed' || state === 'deregistered' || state === 'disabled') return state;
  throw new Error(`no AMI event for state ${state}`);
}
