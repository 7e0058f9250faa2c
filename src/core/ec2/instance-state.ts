import type { InstanceRecord, InstanceStateName, OutboxEventRecord } from '../../storage/ports/ec2-store.js';
import type { Ec2Deps } from './ec2-context.js';
import { buildInstanceEvent } from './instance-event.js';

/** AWS's `InstanceState.Code` of each state (the low byte; the high byte is internal). */
export const stateCodes: Readonly<Record<InstanceStateName, number>> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

export interface StateReason {
  code: string;
  message: string;
}

/** What a user-initiated stop or terminate sets, as DescribeInstances shows it on AWS. */
export const userShutdown: StateReason = {
  code: 'Client.UserInitiatedShutdown',
  message: 'Client.UserInitiatedShutdown: User initiated shutdown',
};

/** `User initiated (2026-12-07 20:00:00 GMT)`: AWS's StateTransitionReason of a user action. */
export function userInitiated(at: number): string {
  return `User initiated (${new Date(at).toISOString().slice(0, 19).replace('T', ' ')} GMT)`;
}

type Deps = Pick<Ec2Deps, 'clock' | 'random' | 'options'>;

/**
 * The instance as it is on entering `state` at `now`: transient states get the transition out of
 * them (pending → running, stopping → stopped, shutting-down → terminated), after the configured
 * duration or `delayMs`; terminated gets the time it is forgotten from.
 */
export function enter(
  deps: Deps,
  instance: InstanceRecord,
  state: InstanceStateName,
  now: number,
  extra: {
    reason?: StateReason;
    delayMs?: number;
    next?: Pick<InstanceRecord['transition'] & object, 'to' | 'reasonCode' | 'reasonMessage'>;
  } = {},
): InstanceRecord {
  const { transition: _old, stateReason: _reason, terminatedAt: _t, ...rest } = instance;
  const entered: InstanceRecord = { ...rest, state, ...(extra.reason && { stateReason: extra.reason }) };
  const to = extra.next?.to ?? nextOf(state);
  if (to) {
    const duration = extra.delayMs ?? deps.options.instanceDurations[state as 'pending' | 'stopping' | 'shutting-down'];
    entered.transition = { ...extra.next, dueAt: now + duration, to };
  }
  if (state === 'terminated') entered.terminatedAt = now;
  return entered;
}

function nextOf(state: InstanceStateName): InstanceStateName | undefined {
  if (state === 'pending') return 'running';
  if (state === 'stopping') return 'stopped';
  if (state === 'shutting-down') return 'terminated';
  return undefined;
}

/** The "EC2 Instance State-change Notification" of the instance's current state, as an outbox record. */
export function stateEvent(deps: Deps, instance: InstanceRecord, at: number): OutboxEventRecord {
  const event = buildInstanceEvent({
    id: deps.random.uuid(),
    accountId: instance.accountId,
    region: instance.region,
    instanceId: instance.instanceId,
    state: instance.state,
    at,
  });
  return { id: event.id, json: JSON.stringify(event) };
}

/**
 * Saves instances that changed state and queues one state-change event each, in one store
 * transaction. Inputs: the instances as they should now be stored. Emits: one
 * "EC2 Instance State-change Notification" per instance with its new state.
 */
export async function commitInstanceStates(
  deps: Pick<Ec2Deps, 'store' | 'clock' | 'random' | 'options'>,
  instances: readonly InstanceRecord[],
): Promise<void> {
  const now = deps.clock.now();
  await deps.store.putInstancesWithEvents(
    instances,
    instances.map((i) => stateEvent(deps, i, now)),
  );
}

/**
 * Due transitions of one instance: the state it arrives in (emitting its event); when that state
 * is itself transient (a failed launch's shutting-down) its own transition is scheduled.
 */
export function arrive(deps: Deps, instance: InstanceRecord, now: number): InstanceRecord | undefined {
  const t = instance.transition;
  if (!t) return undefined;
  const reason = t.reasonCode !== undefined ? { code: t.reasonCode, message: t.reasonMessage ?? t.reasonCode } : instance.stateReason;
  return enter(deps, instance, t.to, now, reason ? { reason } : {});
}
