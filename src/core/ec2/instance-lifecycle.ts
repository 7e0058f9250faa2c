import type { Ec2Deps } from './ec2-context.js';
import { arrive, commitInstanceStates } from './instance-state.js';

/**
 * Moves every instance whose transition is due (pending → running, stopping → stopped,
 * shutting-down → terminated), each with its event in the same transaction, then forgets
 * instances terminated longer ago than `terminatedVisibleMs` (AWS keeps them listed about an
 * hour). A transition is applied at its due time, not when it is noticed, so the event's time is
 * right after a restart too; an instance no longer due is skipped, so each fires once.
 */
export async function applyDueInstances(deps: Omit<Ec2Deps, 'settle'>, now: number): Promise<void> {
  for (;;) {
    const due = await deps.store.dueInstanceTransitions(now, 100);
    if (due.length === 0) break;
    for (const instance of due) {
      const at = instance.transition!.dueAt;
      const moved = arrive(deps, instance, at);
      if (!moved) continue;
      await commitInstanceStates({ ...deps, clock: { now: () => at } }, [moved]);
    }
  }
  for (const gone of await deps.store.terminatedBefore(now - deps.options.terminatedVisibleMs)) {
    await deps.store.deleteInstance(gone.region, gone.instanceId);
  }
}
