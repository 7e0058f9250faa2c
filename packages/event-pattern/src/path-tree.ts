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
  // Per-event leaf lists by path id, valid when leafEpoch[id] === epoch.
  private readonly leaves: Leaf[][] = [];
  private readonly leafEpoch: number[] = [];
  /** Paths that received leaves in the current event, in arrival order: the first `presentCount`. */
  readonly present: PathNode[] = [];
  presentCount = 0;
  epoch = 0;
  /** Whether any leaf of the current event sits inside an array of objects. */
  hasTrails = false;

  node(path: string): PathNode {
    let node = this.root;
    for (const part of path.split('.')) {
      let child = node.children.get(part);
      if (!child) {
        child = new PathNode();
        child.name = part;
        node.children.set(part, child);
        node.probe = null;
      }
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

  /** Starts a new event: bumps the epoch, which invalidates every list at once. */
  begin(): number {
    // No `length = 0` resets on the hot path: V8 runs them as slow builtins.
    this.presentCount = 0;
    this.hasTrails = false;
    return ++this.epoch;
  }

  leavesAt(path: PathNode): Leaf[] | null {
    const id = path.id;
    return id >= 0 && this.leafEpoch[id] === this.epoch ? this.leaves[id]! : null;
  }

  readonly sink: LeafSink<PathNode> = {
    childAt: (parent, text, start, end) => {
      const probe = (parent.probe ??= probeOf(parent));
      const length = end - start;
      const candidates = probe[length < probe.length ? length : 0];
      if (candidates !== undefined) {
        const first = text.charCodeAt(start);
        for (let i = 0; i < candidates.length; i++) {
          const c = candidates[i]!;
          if (c.name.length === length && c.name.charCodeAt(0) === first && text.startsWith(c.name, start)) return c;
        }
      }
      // A dotted member name may still address a path; only then is the name materialised.
      for (let i = start; i < end; i++) {
        if (text.charCodeAt(i) === 0x2e) return this.sink.child(parent, text.slice(start, end));
      }
      return null;
    },
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
      if (this.leafEpoch[id] !== this.epoch) {
        this.leafEpoch[id] = this.epoch;
        // A fresh one-element list per path per event is cheaper than clearing the old one.
        this.leaves[id] = [leaf];
        this.present[this.presentCount++] = node;
      } else {
        this.leaves[id]!.push(leaf);
      }
    },
  };
}

/** Children by name length (slot 0 also holds names longer than the table). */
function probeOf(node: PathNode): PathNode[][] {
  const longest = Math.min(256, Math.max(0, ...[...node.children.keys()].map((k) => k.length)));
  const probe: PathNode[][] = Array.from({ length: longest + 1 }, () => []);
  for (const child of node.children.values()) {
    probe[child.name.length <= longest ? child.name.length : 0]!.push(child);
  }
  return probe;
}
