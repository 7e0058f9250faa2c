import type { ResourceChange, Store } from '../../storage/store.js';

/**
 * Loads a service's in-memory state while following the writes other nodes make (a cluster,
 * `Store.watchResources`): the feed starts BEFORE the load and what it brings meanwhile is applied
 * after it, so nothing written during the load is missed (a change applied twice is harmless:
 * it sets what the load already read). On a single-owner store the feed never calls.
 */
export async function loadFollowing(
  store: Store,
  kinds: readonly string[],
  load: () => Promise<void>,
  apply: (change: ResourceChange) => void,
): Promise<void> {
  const early: ResourceChange[] = [];
  let loaded = false;
  for (const kind of kinds) await store.watchResources(kind, (c) => (loaded ? apply(c) : early.push(c)));
  await load();
  loaded = true;
  for (const c of early) apply(c);
}
