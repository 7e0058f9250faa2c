import type { ResourceWrite, Store } from '../../storage/store.js';
import { loadFollowing } from '../shared/follow.js';

/**
 * Documents of one kind (archives, replays, connections, API destinations) held in memory and
 * persisted in the Store's keyed resources by ARN. Writes go store first, then memory, so memory
 * never shows what the store does not have. `writeOf` lets a caller fold a document into a larger
 * atomic write (an archive together with its managed rule) and `applyPut` afterwards.
 */
/** What every such document has: its ARN, name, and the account and region that own it. */
export interface OwnedDoc {
  readonly arn: string;
  readonly name: string;
  readonly account: string;
  readonly region: string;
}

export class DocCollection<T extends OwnedDoc> {
  private readonly docs = new Map<string, T>();

  private constructor(
    private readonly store: Store,
    readonly kind: string,
  ) {}

  /**
   * With `follow`, the documents other nodes of a cluster write are followed too (loadFollowing):
   * what any node's deliveries need (an archive, a connection, an API destination) is known to
   * every node. Replays are not followed: a replay is run by the node that started it.
   */
  static async load<T extends OwnedDoc>(store: Store, kind: string, o: { follow?: boolean } = {}): Promise<DocCollection<T>> {
    const c = new DocCollection<T>(store, kind);
    const load = async () => {
      for (const r of await store.loadResources(kind)) c.docs.set(r.key, JSON.parse(r.doc) as T);
    };
    if (!o.follow) await load();
    else
      await loadFollowing(store, [kind], load, (change) => {
        if (change.doc === null) c.docs.delete(change.key);
        else c.docs.set(change.key, JSON.parse(change.doc) as T);
      });
    return c;
  }

  get(arn: string): T | undefined {
    return this.docs.get(arn);
  }

  /** Every document, sorted by ARN. */
  values(): T[] {
    return [...this.docs.values()].sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
  }

  /** The documents of one account and region, sorted by name (what the List operations page through). */
  of(owner: { readonly accountId: string; readonly region: string }): T[] {
    return [...this.docs.values()]
      .filter((d) => d.account === owner.accountId && d.region === owner.region)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** One account and region's document by name (for resources whose ARN carries an id). */
  byName(owner: { readonly accountId: string; readonly region: string }, name: string): T | undefined {
    return this.of(owner).find((d) => d.name === name);
  }

  writeOf(doc: T): ResourceWrite {
    return { kind: this.kind, key: doc.arn, doc: JSON.stringify(doc) };
  }

  deleteOf(doc: T): ResourceWrite {
    return { kind: this.kind, key: doc.arn, doc: null };
  }

  applyPut(doc: T): void {
    this.docs.set(doc.arn, doc);
  }

  applyDelete(doc: T): void {
    this.docs.delete(doc.arn);
  }

  async put(doc: T): Promise<void> {
    await this.store.writeResources([this.writeOf(doc)]);
    this.applyPut(doc);
  }

  async delete(doc: T): Promise<void> {
    await this.store.writeResources([this.deleteOf(doc)]);
    this.applyDelete(doc);
  }
}
