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
  await moveDueInstances(deps, now, (dueAt) => dueAt);
  for (const gone of await deps.store.terminatedBefore(now - deps.options.terminatedVisibleMs)) {
    await deps.store.deleteInstance(gone.region, gone.instanceId);
  }
}

/**
 * Moves every instance in a transient state now, whatever its due time (the embedded server's
 * `advance()`: a test does not wait out `--instance-duration`). Each arrives as planned, with its
 * event timed now (or at its due time if that has passed). Returns how many moved.
 */
export async function advanceInstances(deps: Omit<Ec2Deps, 'settle'>): Promise<number> {
  const now = deps.clock.now();
  return moveDueInstances(deps, Number.MAX_SAFE_INTEGER, (dueAt) => Math.min(dueAt, now));
}

async function moveDueInstances(deps: Omit<Ec2Deps, 'settle'>, upTo: number, timeOf: (dueAt: number) => number): Promise<number> {
  let count = 0;
  for (;;) {
    const due = await deps.store.dueInstanceTransitions(upTo, 100);
    if (due.length === 0) return count;
    for (const instance of due) {
      const at = timeOf(instance.transition!.dueAt);
      const moved = arrive(deps, instance, at);
      if (!moved) continue;
      await commitInstanceStates({ ...deps, clock: { now: () => at } }, [moved]);
      count++;
    }
  }
}
