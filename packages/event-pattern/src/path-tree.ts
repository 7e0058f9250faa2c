import type { PathRegistry } from './condition.js';
import { PathNode } from './path-node.js';
import type { LeafSink } from './event-reader.js';
import { Leaf } from './leaf.js';

/**
 * The dotted paths the rules use, as a tree the event reader walks: members on no used path are
 * skipped without being decoded. Each used path has a small integer id indexing the per-event
 * leaf buffers; ids are recycled when the last rule using a path goes.
 *
 * The buffers allocate nothing per event: leaves come from a pool reused by every event, and the
 * leaves of one path are chained through `Leaf.next`. (Allocating a leaf and a list per path
 * cost more than a cold event's matching: each new object is a write to memory not in cache.)
 */
/** Most leaves kept for reuse between events. */
const MAX_POOLED = 4096;

export class PathTree implements PathRegistry {
  readonly root = new PathNode();
  private readonly freeIds: number[] = [];
  private nextId = 0;
  // Per-event leaves by path id: first and last of the chain, valid when leafEpoch[id] === epoch.
  private readonly first: (Leaf | null)[] = [];
  private readonly last: (Leaf | null)[] = [];
  private readonly leafEpoch: number[] = [];
  private readonly pool: Leaf[] = [];
  private used = 0;
  /** Paths that received leaves in the current event, in arrival order: the first `presentCount`. */
  readonly present: PathNode[] = [];
  presentCount = 0;
  epoch = 0;
  /** Whether any leaf of the current event sits inside an array of objects. */
  hasTrails = false;

  node(path: string): PathNode {
    let node = this.root;
    const above: PathNode[] = [];
    let added = false;
    for (const part of path.split('.')) {
      above.push(node);
      let child = node.children.get(part);
      if (!child) {
        child = new PathNode();
        node.children.set(part, child);
        added = true;
      }
      node = child;
    }
    // Every node above a new one can now reach it by a (dotted) member name.
    if (added) for (const n of above) n.members = null;
    return node;
  }

  acquire(node: PathNode): void {
    if (node.refs++ > 0) return;
    node.id = this.freeIds.pop() ?? this.nextId++;
    this.first[node.id] = null;
    this.last[node.id] = null;
    this.leafEpoch[node.id] = -1;
  }

  release(node: PathNode): void {
    if (--node.refs > 0) return;
    this.freeIds.push(node.id);
    node.id = -1;
    // The empty node stays in the tree: a Map entry, reused if the path comes back.
  }

  /** Starts a new event: bumps the epoch, which invalidates every list at once. */
  begin(): number {
    // No `length = 0` resets on the hot path: V8 runs them as slow builtins.
    this.presentCount = 0;
    this.used = 0;
    // One event with a huge array must not keep its leaves alive for good.
    if (this.pool.length > MAX_POOLED) this.pool.length = MAX_POOLED;
    this.hasTrails = false;
    return ++this.epoch;
  }

  /** The first leaf at a path in the current event (the others follow through `next`), or null. */
  leavesAt(path: PathNode): Leaf | null {
    const id = path.id;
    return id >= 0 && this.leafEpoch[id] === this.epoch ? this.first[id]! : null;
  }

  readonly sink: LeafSink<PathNode> = {
    childAt: (parent, text, start, end) => parent.memberAt(text, start, end),
    child: (parent, key) => parent.member(key),
    emit: (node, kind, text, trail) => {
      const id = node.id;
      if (id < 0) return;
      if (trail !== null) this.hasTrails = true;
      const leaf = (this.pool[this.used++] ??= new Leaf()).reset(kind, text, trail);
      if (this.leafEpoch[id] !== this.epoch) {
        this.leafEpoch[id] = this.epoch;
        this.first[id] = leaf;
        this.present[this.presentCount++] = node;
      } else {
        this.last[id]!.next = leaf;
      }
      this.last[id] = leaf;
    },
  };
}
