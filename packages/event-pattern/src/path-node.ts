/**
 * A node of the tree of dotted paths the patterns use, and how an event's member names find
 * their nodes.
 *
 * A member name reaches a node when it equals the node's path relative to the parent object,
 * dots included: `{"detail.State": …}` at the top reaches `detail` → `State` just as
 * `{"detail": {"State": …}}` does (event-ruler flattens paths with dots). So each node's lookup
 * table lists every descendant under its relative path, not only its children, and a member
 * name is resolved in one lookup, dotted or not.
 *
 * Most member names of an event are on no path, so the lookup is built to say "no" cheaply:
 * candidates are grouped by name length, and their names are internalized strings, which V8
 * compares with a pointer test against the (also internalized) property names of a parsed
 * object. Hashing every member name into a Map costs several times more.
 */

/** A name (possibly dotted) that leads from a node to one of its descendants. */
export interface MemberEntry {
  readonly key: string;
  readonly node: PathNode;
}

/** Above this many candidates of one length, a length group is searched through a Map instead. */
const MAX_SCANNED = 8;
/** Names of this length or longer share the last group. */
const LENGTH_GROUPS = 64;

export class MemberLookup {
  /** Candidates by name length; the last group holds every longer name. */
  private readonly byLength: (MemberEntry[] | undefined)[];
  private readonly all = new Map<string, PathNode>();

  constructor(entries: readonly MemberEntry[]) {
    let longest = 0;
    for (const e of entries) {
      this.all.set(e.key, e.node);
      if (e.key.length > longest) longest = e.key.length;
    }
    this.byLength = new Array<MemberEntry[] | undefined>(Math.min(longest, LENGTH_GROUPS) + 1).fill(undefined);
    for (const e of entries) (this.byLength[groupOf(e.key.length, this.byLength.length)] ??= []).push(e);
  }

  /** The node a member name reaches, or null. */
  find(name: string): PathNode | null {
    const group = this.byLength[groupOf(name.length, this.byLength.length)];
    if (group === undefined) return null;
    if (group.length > MAX_SCANNED) return this.all.get(name) ?? null;
    for (let i = 0; i < group.length; i++) {
      const e = group[i]!;
      if (e.key === name) return e.node;
    }
    return null;
  }

  /** The same for a member name given as a span of JSON text (with no escapes in it). */
  findSpan(text: string, start: number, end: number): PathNode | null {
    const length = end - start;
    const group = this.byLength[groupOf(length, this.byLength.length)];
    if (group === undefined) return null;
    if (group.length > MAX_SCANNED) return this.all.get(text.slice(start, end)) ?? null;
    const first = text.charCodeAt(start);
    for (let i = 0; i < group.length; i++) {
      const key = group[i]!.key;
      if (key.length === length && key.charCodeAt(0) === first && text.startsWith(key, start)) return group[i]!.node;
    }
    return null;
  }
}

function groupOf(length: number, groups: number): number {
  return length < groups - 1 ? length : groups - 1;
}

export class PathNode {
  readonly children = new Map<string, PathNode>();
  /** Built on first use; dropped whenever a path is added below this node. */
  members: MemberLookup | null = null;
  /** Index into the per-event leaf buffers while some rule uses this path, else -1. */
  id = -1;
  refs = 0;

  /** The node a member name reaches from here (see above), or null. */
  member(name: string): PathNode | null {
    return (this.members ??= new MemberLookup(descendants(this))).find(name);
  }

  memberAt(text: string, start: number, end: number): PathNode | null {
    return (this.members ??= new MemberLookup(descendants(this))).findSpan(text, start, end);
  }
}

function descendants(node: PathNode): MemberEntry[] {
  const out: MemberEntry[] = [];
  const visit = (n: PathNode, prefix: string | null): void => {
    for (const [name, child] of n.children) {
      const key = prefix === null ? name : `${prefix}.${name}`;
      out.push({ key: internalize(key), node: child });
      visit(child, key);
    }
  };
  visit(node, null);
  return out;
}

/**
 * The internalized copy of a string: property names are internalized by V8, so reading one
 * back from an object gives the table's canonical string, and comparing it with a member name
 * of a parsed event is a pointer test.
 */
function internalize(s: string): string {
  return Object.keys({ [s]: 0 })[0] ?? s;
}
