/**
 * Resource changes, as they are committed: what the console's list pages follow to stay current
 * whoever made the change (the console, the AWS CLI, an SDK, the AMI lifecycle).
 *
 * The seam: a change is published by whatever commits the write: the in-process decorators of
 * change-publishing.ts wrapped around each store (SQLite, memory or JetStream), after each
 * successful write. On a cluster the other nodes' writes are published into the same feed from
 * the KV watches (jetstream/remote-changes.ts), and nothing downstream changes.
 *
 * A change names the resource, never its contents: a reader asks the AWS APIs for the state,
 * so the feed cannot leak what a caller may not read and cannot go stale.
 */
export interface ResourceChange {
  /** AWS service: `events`, `ec2`, `sns`, `sqs`, `lambda`. */
  readonly service: string;
  /** Resource type within the service: `rule`, `bus`, `image`, `topic`, `subscription`, `queue`, `message`, `function`, … */
  readonly kind: string;
  /** The owner, or `*` when the write does not say (every subscriber hears it). */
  readonly account: string;
  /** The region, or `*`. */
  readonly region: string;
  /** The resource's ARN, or its id where it has none (an image id). */
  readonly id: string;
  readonly action: 'put' | 'delete';
}

export type ChangeListener = (changes: readonly ResourceChange[]) => void;

export interface ChangeFeed {
  /** Hands committed changes to every listener, synchronously; a throwing listener harms no other. */
  publish(changes: readonly ResourceChange[]): void;
  /** Returns the unsubscribe function. */
  subscribe(listener: ChangeListener): () => void;
}

/** The in-process feed: one process, its stores' writes. */
export class LocalChangeFeed implements ChangeFeed {
  private readonly listeners = new Set<ChangeListener>();

  publish(changes: readonly ResourceChange[]): void {
    if (changes.length === 0) return;
    for (const l of this.listeners) {
      try {
        l(changes);
      } catch {
        // A listener's failure (a closed socket) is its own; the write already committed.
      }
    }
  }

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
}
