import { PathNode, type PathRegistry } from './automaton.js';
import type { LeafSink } from './event-reader.js';
import type { Leaf } from './leaf.js';

/**
 * The dotted paths the rules use, as a tree the event reader walks: members on no used path are
 * skipped without being decoded. Each used path has a small integer id indexing the per-event
 * leaf buffers; ids are recycled when the last rule using a path goes.
 */
export class PathTree implements PathRegistry {
  readonly root = new PathNode();
  private readonly freeIds: number[] = [];
  private nextId = 0;
  // Per-event leaf buffers by path id, valid when leafEpoch[id] === epoch.
  private readonly leaves: Leaf[][] = [];
  private readonly leafEpoch: number[] = [];
  /** Paths that received leaves in the current event, in arrival order. */
  readonly present: PathNode[] = [];
  epoch = 0;
  /** Whether any leaf of the current event sits inside an array of objects. */
  hasTrails = false;

  node(path: string): PathNode {
    let node = this.root;
    for (const part of path.split('.')) {
      let child = node.children.get(part);
      if (!child) node.children.set(part, (child = new PathNode()));
      node = child;
    }
    return node;
  }

  acquire(node: PathNode): void {
    if (node.refs++ > 0) return;
    node.id = this.freeIds.pop() ?? this.nextId++;
    this.leaves[node.id] = [];
    this.leafEpoch[node.id] = -1;
  }

  release(node: PathNode): void {
    if (--node.refs > 0) return;
    this.freeIds.push(node.id);
    node.id = -1;
    // The empty node stays in the tree: a Map entry, reused if the path comes back.
  }

  /** Starts a new event: bumps the epoch, which invalidates every buffer at once. */
  begin(): number {
    this.present.length = 0;
    this.hasTrails = false;
    return ++this.epoch;
  }

  leavesAt(path: PathNode): Leaf[] | null {
    const id = path.id;
    return id >= 0 && this.leafEpoch[id] === this.epoch ? this.leaves[id]! : null;
  }

  readonly sink: LeafSink<PathNode> = {
    child: (parent, key) => {
      const direct = parent.children.get(key);
      if (direct !== undefined) return direct;
      if (key.indexOf('.') < 0) return null;
      // A dotted member name in the event addresses the same path as nested objects.
      let node: PathNode | undefined = parent;
      for (const part of key.split('.')) {
        node = node.children.get(part);
        if (!node) return null;
      }
      return node;
    },
    emit: (node, leaf) => {
      const id = node.id;
      if (id < 0) return;
      if (leaf.trail !== null) this.hasTrails = true;
      const list = this.leaves[id]!;
      if (this.leafEpoch[id] !== this.epoch) {
        this.leafEpoch[id] = this.epoch;
        list.length = 0;
        this.present.push(node);
      }
      list.push(leaf);
    },
  };
}
