import type * as EC2 from '@aws-sdk/client-ec2';
import type { RequestContext } from '../shared/request-context.js';
import type { InstanceRecord } from '../../storage/ports/ec2-store.js';
import type { Ec2Deps } from './ec2-context.js';
import { ec2Errors } from './errors.js';
import { ownInstances } from './instance-access.js';
import { enter, stateEvent, userInitiated, userShutdown } from './instance-state.js';
import { stateChange } from './instance-view.js';

/**
 * Start, Stop, Reboot and Terminate, each over a list of the caller's instances. Every instance
 * is checked before any changes (one refusal changes nothing); the ones whose state changes are
 * saved with their events in one transaction. An instance already where the call would take it
 * is reported with its state unchanged and emits nothing, as on AWS.
 */
type Plan = (i: InstanceRecord, now: number) => InstanceRecord | undefined;

async function act(
  deps: Ec2Deps,
  ctx: RequestContext,
  ids: readonly string[] | undefined,
  dryRun: boolean | undefined,
  plan: Plan,
): Promise<EC2.InstanceStateChange[]> {
  const instances = await ownInstances(deps, ctx, ids);
  const now = deps.clock.now();
  const planned = instances.map((i) => ({ before: i, after: plan(i, now) }));
  if (dryRun) throw ec2Errors.dryRun();
  const saved = planned.flatMap((p) => (p.after ? [p.after] : []));
  // Only a new state is an event (a forced stop of an instance already stopping is not).
  const moved = planned.filter((p) => p.after && p.after.state !== p.before.state).map((p) => stateEvent(deps, p.after!, now));
  await deps.store.putInstancesWithEvents(saved, moved);
  return planned.map((p) => stateChange(p.before, p.after ?? p.before));
}

export async function startInstances(
  deps: Ec2Deps,
  ctx: RequestContext,
  input: EC2.StartInstancesRequest,
): Promise<EC2.StartInstancesResult> {
  const changes = await act(deps, ctx, input.InstanceIds, input.DryRun, (i, now) => {
    if (i.state === 'running' || i.state === 'pending') return undefined;
    if (i.state !== 'stopped') throw ec2Errors.instanceCannot(i.instanceId, 'started');
    return enter(deps, { ...i, launchTime: new Date(now).toISOString(), stateTransitionReason: '' }, 'pending', now);
  });
  return { StartingInstances: changes };
}

/**
 * Stop: running → stopping → stopped. A StopInstances fault makes the stop slow; `Force` ends a
 * stop in progress (or a slow one) at once, which is what Force is for on AWS (an instance
 * stuck in `stopping`).
 */
export async function stopInstances(deps: Ec2Deps, ctx: RequestContext, input: EC2.StopInstancesRequest): Promise<EC2.StopInstancesResult> {
  const delays = new Map<string, number | undefined>();
  for (const i of await ownInstances(deps, ctx, input.InstanceIds)) delays.set(i.instanceId, await deps.faults.stopDelay(i.tags));
  const changes = await act(deps, ctx, input.InstanceIds, input.DryRun, (i, now) => {
    if (i.disableApiStop) throw ec2Errors.protectedInstance(i.instanceId, 'stopped', 'disableApiStop');
    if (i.state === 'stopping' && input.Force && i.transition) return { ...i, transition: { ...i.transition, dueAt: now } };
    if (i.state === 'stopped' || i.state === 'stopping') return undefined;
    if (i.state === 'pending') throw ec2Errors.neverRunning(i.instanceId);
    if (i.state !== 'running') throw ec2Errors.instanceCannot(i.instanceId, 'stopped');
    const delay = input.Force ? 0 : delays.get(i.instanceId);
    return enter(deps, { ...i, stateTransitionReason: userInitiated(now) }, 'stopping', now, {
      reason: userShutdown,
      ...(delay !== undefined && { delayMs: delay }),
    });
  });
  return { StoppingInstances: changes };
}

export async function terminateInstances(
  deps: Ec2Deps,
  ctx: RequestContext,
  input: EC2.TerminateInstancesRequest,
): Promise<EC2.TerminateInstancesResult> {
  const changes = await act(deps, ctx, input.InstanceIds, input.DryRun, (i, now) => {
    if (i.state === 'terminated' || i.state === 'shutting-down') return undefined;
    if (i.disableApiTermination) throw ec2Errors.protectedInstance(i.instanceId, 'terminated', 'disableApiTermination');
    return enter(deps, { ...i, stateTransitionReason: userInitiated(now) }, 'shutting-down', now, { reason: userShutdown });
  });
  return { TerminatingInstances: changes };
}

/** Reboot: a running instance restarts in place; its state stays `running`, so no event (as on AWS). */
export async function rebootInstances(deps: Ec2Deps, ctx: RequestContext, input: EC2.RebootInstancesRequest): Promise<void> {
  const instances = await ownInstances(deps, ctx, input.InstanceIds);
  for (const i of instances) if (i.state !== 'running') throw ec2Errors.instanceCannot(i.instanceId, 'rebooted');
  if (input.DryRun) throw ec2Errors.dryRun();
  await deps.store.putInstancesWithEvents(
    instances.map((i) => ({ ...i, rebootCount: i.rebootCount + 1 })),
    [],
  );
}
